"""Calendar helpers: weekdays, and the relative phrases of news copy as bands of dates.

A phrase such as "last week" or "in August" names a band of days, read from the article's own
date (the only "now" its writer had). A band of dates is a :class:`estimates.verdicts.Band` of
day numbers (proleptic Gregorian ordinals), so an event's date is judged against it like any
exact check (:func:`estimates.verdicts.judge_exact_band`).

>>> import datetime as dt
>>> d = dt.date(2023, 11, 1)
>>> weekday(d), previous_month(d)
('Wednesday', (datetime.date(2023, 10, 1), datetime.date(2023, 10, 31)))
>>> {k: f"{a} to {b}" for k, (a, b) in last_week(d).items()}["the previous Monday-to-Sunday week"]
'2023-10-23 to 2023-10-29'
>>> month(2023, 8)
(datetime.date(2023, 8, 1), datetime.date(2023, 8, 31))
"""
from __future__ import annotations

import calendar as _calendar
import datetime as dt

from estimates.verdicts import Band, judge_exact_band


def weekday(d: dt.date) -> str:
    """The weekday's English name."""
    return f"{d:%A}"


def month(year: int, number: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month."""
    return dt.date(year, number, 1), dt.date(year, number, _calendar.monthrange(year, number)[1])


def previous_month(d: dt.date) -> tuple[dt.date, dt.date]:
    """'Last month' from ``d``: the previous calendar month."""
    last = d.replace(day=1) - dt.timedelta(days=1)
    return month(last.year, last.month)


def last_week(d: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """'Last week' from ``d``, under its two common readings."""
    monday = d - dt.timedelta(days=d.weekday())
    return {"the previous Monday-to-Sunday week": (monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)),
            "the seven days before": (d - dt.timedelta(days=7), d - dt.timedelta(days=1))}


def date_band(first: dt.date, last: dt.date, reading: str = "") -> Band:
    """A band of dates (day ordinals) from ``first`` to ``last``, both included."""
    return Band(first.toordinal(), last.toordinal(), "day", reading)


def days(band: Band) -> tuple[dt.date, dt.date]:
    """The first and last date of a band of dates."""
    return dt.date.fromordinal(int(band.low)), dt.date.fromordinal(int(band.high))


def judge_date(band: Band, first: dt.date, last: dt.date | None = None) -> str:
    """An event dated ``first`` (to ``last``, for a window) judged against a claim's band of dates:
    inside it, correct; overlapping it, consistent; outside it, incorrect.

    >>> judge_date(date_band(*month(2023, 8)), dt.date(2023, 8, 24))
    'correct'
    """
    return judge_exact_band(band, first.toordinal(), (last or first).toordinal())
