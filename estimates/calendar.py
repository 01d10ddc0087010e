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


def weekday_on_or_before(d: dt.date, name: str) -> dt.date:
    """The last day on or before ``d`` that is a ``name`` (a weekday in English): ``d`` itself when it
    is one, so a date and its weekday agree exactly when this gives the date back.

    >>> weekday_on_or_before(dt.date(2023, 11, 1), "Wednesday"), weekday_on_or_before(dt.date(2023, 11, 1), "Monday")
    (datetime.date(2023, 11, 1), datetime.date(2023, 10, 30))
    """
    names = [weekday(dt.date(2024, 1, 1) + dt.timedelta(days=i)) for i in range(7)]  # Monday first
    if name not in names:
        raise ValueError(f"no weekday {name!r}; the weekdays: {', '.join(names)}")
    return d - dt.timedelta(days=(d.weekday() - names.index(name)) % 7)


def claim_bands(claim, written_on: dt.date) -> dict[str, Band]:
    """A date claim's readings as bands of days, from the day it was written: a day, a month or a range
    as stated; "since" a day as that day's month (when the event began); "last month"; "last week"
    under both its readings; a bare weekday as the last such day on or before ``written_on``.

    >>> from types import SimpleNamespace as S
    >>> list(claim_bands(S(relative="last week", value=None, low=None, high=None, qualifier="in"), dt.date(2023, 11, 1)))
    ["'last week' as the previous Monday-to-Sunday week", "'last week' as the seven days before"]
    """
    if claim.relative == "last month":
        return {"'last month': the previous calendar month": date_band(*previous_month(written_on))}
    if claim.relative == "last week":
        return {f"'last week' as {name}": date_band(a, b) for name, (a, b) in last_week(written_on).items()}
    if claim.value is None and claim.low is None and claim.relative:
        day = weekday_on_or_before(written_on, claim.relative)
        return {f"'{claim.relative}': the last {claim.relative} on or before {written_on}": date_band(day, day)}
    if claim.value is not None and claim.qualifier == "since":
        return {f"'since' {claim.value:%B %Y}: the event began in that month": date_band(*month(claim.value.year, claim.value.month))}
    if claim.value is not None:
        return {f"on {claim.value}": date_band(claim.value, claim.value)}
    if claim.low is not None:
        return {f"{claim.low} to {claim.high}": date_band(claim.low, claim.high)}
    raise ValueError(f"claim {claim.id!r}: no date, range or relative phrase to read")


def date_check(case, claim_id: str, evidence: dict | None = None, *, primary: str | None = None, why: str = "",
               sources=(), claimant: dict | None = None):
    """A date claim as a declared exact check (:mod:`estimates.checks`): its readings from
    :func:`claim_bands`; ``evidence`` maps each fair reading of when the event was (a label) to a date, a
    window, a :class:`~estimates.checks.Ceiling` (a source that shows only a later start: the event may
    have begun earlier, so a date past the band leaves it unverified), or None (no source dates it under
    that reading); a weekday the claim states is checked against its date by the calendar.
    ``claimant`` is evidence from the claimant's own side: a route that cannot confirm.
    """
    from estimates.checks import Check, Choice, Route, as_given
    claim = case.claim(claim_id)
    inputs, routes = [], []
    if evidence:
        inputs.append(Choice("event", dict(evidence), primary or next(iter(evidence)), why, kind="date",
                             sources_=tuple(sources)))
        routes.append(Route("the event's date, as the sources give it", as_given, "the date the sources give the event",
                            inputs={"value": "event"}))
    if claimant:
        inputs.append(Choice("claimant_date", dict(claimant), next(iter(claimant)), "the claimant's own statement",
                             kind="date"))
        routes.append(Route("the claimant's own date", as_given, "the same side's statement", inputs={"value": "claimant_date"},
                            claimant=True))
    if claim.weekday and claim.value is not None:
        inputs += [Choice("claimed_date", {str(claim.value): claim.value}, str(claim.value), "the date the claim states"),
                   Choice("claimed_weekday", {claim.weekday: claim.weekday}, claim.weekday, "the weekday the claim states")]
        routes.append(Route("the calendar: the claimed weekday of the claimed date", weekday_on_or_before,
                            f"the last {claim.weekday} on or before {claim.value}",
                            inputs={"d": "claimed_date", "name": "claimed_weekday"}))
    if not routes:
        raise ValueError(f"claim {claim_id!r}: give evidence, or a claim with a date and a weekday the calendar can check")
    return Check(claim_id, f"Is the date right: \u201c{claim.quote}\u201d?", claim_bands(claim, claim.made_on or case.article.published),
                 dates=True, inputs=inputs, routes=routes)
