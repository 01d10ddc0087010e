"""Calendar: weekdays and relative phrases as bands of dates, judged like any exact check."""
import datetime as dt

import pytest

from estimates.calendar import date_band, days, last_week, month, previous_month, weekday
from estimates.verdicts import CORRECT, INCORRECT, judge_exact_band

ARTICLE = dt.date(2023, 11, 1)


def test_last_month_across_a_year_end():
    assert previous_month(dt.date(2024, 1, 15)) == (dt.date(2023, 12, 1), dt.date(2023, 12, 31))


def test_last_week_has_two_readings_that_overlap_in_part():
    weeks = last_week(ARTICLE)
    assert weeks["the previous Monday-to-Sunday week"] == (dt.date(2023, 10, 23), dt.date(2023, 10, 29))
    assert weeks["the seven days before"] == (dt.date(2023, 10, 25), dt.date(2023, 10, 31))


def test_february_of_a_leap_year():
    assert month(2024, 2)[1] == dt.date(2024, 2, 29)


def test_an_event_is_judged_against_a_band_of_dates():
    band = date_band(*month(2023, 8), "in August")
    on = dt.date(2023, 8, 24).toordinal()
    assert judge_exact_band(band, on, on) == CORRECT
    assert judge_exact_band(band, on + 30, on + 30) == INCORRECT
    assert days(band) == (dt.date(2023, 8, 1), dt.date(2023, 8, 31))
    assert weekday(dt.date(2023, 8, 24)) == "Thursday"


def test_a_bad_month_is_an_error():
    with pytest.raises(ValueError):
        month(2023, 13)
