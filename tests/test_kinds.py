"""Check kinds: each answers its question from declared inputs, and each can fail (a negative control)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as S

import pytest

from estimates import kinds
from estimates.calendar import date_check
from estimates.checks import Assumption, Ceiling, Choice, Range, Sourced
from estimates.claims import Claim
from estimates.units import Q_

N = 20_000


def _claim(value, unit, qualifier="about", kind="quantity", **kw):
    return Claim(id="c", kind=kind, quote="q", unit=unit, qualifier=qualifier, claimant="x", made_on=dt.date(2024, 7, 1),
                 period="", check="k", value=value, **kw)


@pytest.mark.parametrize("before, verdict", [((6_600, 6_800), "consistent"), ((1_900, 2_100), "inconsistent")],
                         ids=["twofold-holds", "negative-control"])
def test_a_ratio_claim_is_the_later_figure_over_the_earlier(before, verdict):
    check = kinds.ratio_check(_claim(2.0, "dimensionless", "ratio"), Assumption("now", 12_500, 13_500, "container", "later"),
                              Assumption("before", *before, "container", "earlier"), n=N)
    assert check.judge().base.verdict == verdict


@pytest.mark.parametrize("start, verdict", [(dt.date(2022, 2, 24), "correct"), (dt.date(2020, 1, 1), "incorrect")],
                         ids=["two-years-holds", "negative-control"])
def test_a_period_claim_is_the_time_between_two_dates(start, verdict):
    check = kinds.period_check(_claim(2.0, "year", "roughly"),
                               Choice("start", {"the war's start": start}, "the war's start", "", kind="date"),
                               Choice("end", {"the report's day": dt.date(2024, 7, 1)}, "the report's day", "", kind="date"))
    assert check.judge().verdict == verdict


@pytest.mark.parametrize("rate, verdict", [((15_000, 20_000), "consistent"), ((90_000, 110_000), "inconsistent")],
                         ids=["two-months-holds", "negative-control"])
def test_a_stock_lasting_a_time_is_the_stock_over_the_rate(rate, verdict):
    check = kinds.lasting_check(_claim(2.0, "month", "around"), Choice("stock", {"a million": Q_(1e6, "round")}, "a million", ""),
                                Sourced("rate", "src", {"as reported": Range(*rate, "round / day")}, "as reported", ""), n=N)
    assert check.judge().base.verdict == verdict


@pytest.mark.parametrize("claimed, verdict", [(10_000, "consistent"), (2_000, "inconsistent")],
                         ids=["count-at-pace-holds", "negative-control"])
def test_a_count_carried_on_at_its_pace(claimed, verdict):
    window = Choice("window", {"the US window": (dt.date(2023, 9, 7), dt.date(2023, 10, 1))}, "the US window", "", kind="date")
    span = Choice("span", {"to the briefing": (dt.date(2023, 9, 7), dt.date(2024, 2, 26))}, "to the briefing", "", kind="date")
    count = Sourced("count", "src", {"a rounded total": Range(1000, 2000, "container", "uniform")}, "a rounded total", "")
    check = kinds.pace_check(_claim(claimed, "container"), count, window, span, n=N)
    assert check.judge().base.verdict == verdict


@pytest.mark.parametrize("claimed, verdict", [(2_000_000, "consistent"), (5_000_000, "inconsistent")],
                         ids=["containers-to-rounds-holds", "negative-control"])
def test_containers_to_rounds_with_the_capacity_model_and_an_officials_conversion(claimed, verdict):
    from estimates.case import case_ids, load_case
    case = load_case(case_ids()[-1])
    containers = Choice("containers", {"6,650 to 6,750": Range(6650, 6750, "container", "uniform")}, "6,650 to 6,750", "")
    official = Sourced("official", "src", {"as converted": Range(400, 450, "round / container", "uniform")}, "as converted", "")
    check = kinds.rounds_check(_claim(claimed, "round"), case.sources, containers, "152 mm", official=official, n=N)
    judged = check.judge()
    assert judged.base.verdict == verdict
    assert [r.independent for r in judged.base.routes] == [True, False]  # the official's route cannot confirm


@pytest.mark.parametrize("claimed, verdict", [(200, "correct"), (50, "incorrect"), (400, "unverified")],
                         ids=["about-200-holds", "negative-control", "a-floor-short-of-the-band"])
def test_a_distance_is_a_geodesic_no_road_beats(claimed, verdict):
    check = kinds.distance_check(_claim(float(claimed), "km"), {"the site": (Q_(176, "km"), Q_(180, "km"))}, "the site")
    assert check.judge().verdict == verdict


@pytest.mark.parametrize("seen, verdict", [(dt.date(2023, 8, 15), "correct"), (dt.date(2023, 9, 7), "unverified"),
                                           (dt.date(2023, 7, 1), "incorrect")],
                         ids=["inside-the-month", "sources-only-show-a-later-start", "negative-control"])
def test_a_date_claim_against_the_start_the_sources_saw(seen, verdict):
    claim = _claim(dt.date(2023, 8, 1), "day", "since", kind="date")
    case = S(claim=lambda cid: claim, article=S(published=dt.date(2023, 11, 1)))
    check = date_check(case, "c", {"the first shipment seen": Ceiling(seen)})
    assert check.judge().verdict == verdict
