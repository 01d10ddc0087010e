import numpy as np
import pytest

from estimates.claims import load_register
from estimates import paths
from estimates.units import Q_
from estimates.verdicts import (CONSISTENT, CORRECT, INCONSISTENT, INCORRECT, STRAINED, UNVERIFIED, Band,
                                VerdictRecord, claim_band, combine_routes, depends_on, discrimination,
                                estimate, estimate_verdict, exact_verdict, judge_band, judge_estimate,
                                judge_exact, judge_exact_band, reading, route, rounding_step, scale_for_tail)

MODEL = Q_(np.arange(1, 1001, dtype=float), "month")  # percentiles are easy to read off


@pytest.mark.parametrize("tail, verdict", [(1.0, CONSISTENT), (0.05, CONSISTENT), (0.0499, STRAINED),
                                           (0.01, STRAINED), (0.0099, INCONSISTENT), (0.0, INCONSISTENT)])
def test_the_scale_thresholds(tail, verdict):
    assert scale_for_tail(tail) == verdict


def test_a_tail_outside_zero_one_is_an_error():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        scale_for_tail(1.5)


def test_a_point_claim_is_judged_on_both_tails():
    assert judge_estimate(Q_(500, "month"), MODEL, "point").verdict == CONSISTENT
    assert judge_estimate(Q_(30, "month"), MODEL, "point").verdict == STRAINED
    assert judge_estimate(Q_(995, "month"), MODEL, "point").verdict == INCONSISTENT


def test_a_lower_bound_claim_asks_whether_the_model_reaches_it():
    assert judge_estimate(Q_(3, "month"), MODEL, "lower").verdict == CONSISTENT   # a low bound is easy
    assert judge_estimate(Q_(980, "month"), MODEL, "lower").verdict == STRAINED
    assert judge_estimate(Q_(2000, "month"), MODEL, "lower").verdict == INCONSISTENT


def test_an_upper_bound_claim_asks_whether_the_model_stays_below_it():
    assert judge_estimate(Q_(3, "month"), MODEL, "upper").verdict == INCONSISTENT
    assert judge_estimate(Q_(990, "month"), MODEL, "upper").verdict == CONSISTENT


def test_judgement_carries_percentile_tail_and_ratio_in_the_models_unit():
    j = judge_estimate(Q_(250 * 30.4375, "day"), MODEL, "point")
    assert j.percentile == pytest.approx(25, abs=0.1)
    assert j.ratio == pytest.approx(250 / 500.5, rel=1e-3)


def test_an_estimate_check_needs_samples():
    with pytest.raises(ValueError, match="judge_exact"):
        judge_estimate(Q_(1, "month"), Q_(2, "month"), "point")
    with pytest.raises(ValueError, match="bound must be one of"):
        judge_estimate(Q_(1, "month"), MODEL, "sideways")


def test_exact_checks_use_the_stated_tolerance():
    assert judge_exact(Q_(125, "mile"), Q_(200, "km"), Q_(2.5, "mile")).verdict == CORRECT
    assert judge_exact(Q_(125, "mile"), Q_(200, "km"), Q_(0.5, "mile")).verdict == INCORRECT


def test_records_refuse_unknown_verdicts_and_kinds():
    with pytest.raises(ValueError, match="unknown verdict 'plausible'"):
        VerdictRecord("c", "k", "q", "plausible", "estimate", {})
    with pytest.raises(ValueError, match="kind must be"):
        VerdictRecord("c", "k", "q", CONSISTENT, "guess", {})


def test_an_estimate_verdict_record_travels_with_its_numbers():
    case = "2023-11-01-thehindu-afp-nk-russia-artillery"
    reg = load_register(paths.claims_path(case), paths.seed_path(case))
    r = estimate_verdict(reg["two-months-of-war"], "question?", MODEL / 100, unit="month",
                         drivers=["rate"], sources=["s"])
    d = r.as_dict()
    assert d["verdict"] == CONSISTENT and d["kind"] == "estimate"
    assert d["claimed"]["value"] == 2 and d["claimed"]["unit"] == "month" and d["claimed"]["qualifier"] == "around"
    assert d["model"] == {"unit": "month", "p5": 0.51, "p25": 2.5, "p50": 5.0, "p75": 7.5, "p95": 9.5}
    assert 19 < d["percentile"] < 21 and d["drivers"] == ["rate"]
    e = exact_verdict(reg["summit-date"], "q", CORRECT, computed={"value": "2023-09-13", "unit": "day"})
    assert e.as_dict()["claimed"]["value"] == "2023-09-13" and e.model["p50"] == "2023-09-13"
    with pytest.raises(ValueError, match="exact check"):
        exact_verdict(reg["summit-date"], "q", STRAINED)


def test_a_named_estimate_is_rounded_where_it_is_made():
    e = estimate("x", Q_(np.linspace(10, 20, 1001), "km"), "m", "d")
    assert (e.unit, e.p5, e.p50, e.p95, e.interval) == ("m", 10000.0, 15000.0, 20000.0, "90%")


@pytest.fixture(scope="module")
def reg():
    case = "2023-11-01-thehindu-afp-nk-russia-artillery"
    return load_register(paths.claims_path(case), paths.seed_path(case))


@pytest.mark.parametrize("value, bound", [(30, "point"), (500, "point"), (995, "point"), (3, "lower"),
                                          (980, "lower"), (2000, "lower"), (3, "upper"), (990, "upper")])
def test_a_zero_width_or_one_sided_band_reduces_to_the_point_and_bound_rules(value, bound):
    band = Band(-np.inf if bound == "upper" else value, np.inf if bound == "lower" else value, "month")
    old = {"point": lambda b, a: min(b, a), "lower": lambda b, a: a, "upper": lambda b, a: b}[bound]
    pct = (np.count_nonzero(MODEL.magnitude < value) + 0.5 * np.count_nonzero(MODEL.magnitude == value)) / 1000
    assert judge_band(band, MODEL).tail == pytest.approx(old(pct, 1 - pct))


def test_a_claims_band_comes_from_its_words(reg):
    assert claim_band(reg["two-months-of-war"]).as_dict()["low"] == 1.5      # "around 2": nearest 1
    assert claim_band(reg["two-months-of-war"]).high == 2.5
    km = claim_band(reg["vostochny-blagoveshchensk-km"])                     # "about 200": nearest 100
    assert (km.low, km.high) == (150, 250)
    miles = claim_band(reg["vostochny-blagoveshchensk-miles"])               # "125": nearest 5
    assert (miles.low, miles.high) == (122.5, 127.5)
    rounds = claim_band(reg["rounds-transferred"])                           # "more than": from 1M up
    assert rounds.low == 1_000_000 and rounds.high == np.inf and rounds.as_dict()["high"] is None
    assert claim_band(reg["vostochny-blagoveshchensk-km"], step=20).low == 190


@pytest.mark.parametrize("number", [0, float("nan"), float("inf")])
def test_a_rounding_step_needs_a_finite_non_zero_number(number):
    with pytest.raises(ValueError, match="finite non-zero"):
        rounding_step(number)


def test_a_band_judges_the_whole_band_not_its_middle():
    narrow = Q_(np.linspace(1.2, 1.7, 2001), "month")        # like the annual-total route
    assert judge_estimate(Q_(2, "month"), narrow, "point").verdict == INCONSISTENT   # the point is outside
    j = judge_band(Band(1.5, 2.5, "month"), narrow)                                  # the band is not
    assert j.verdict == CONSISTENT and 0.3 < j.in_band < 0.5


def test_a_lower_bound_model_cannot_refute_a_lower_bound_claim():
    at_least = Q_(np.linspace(5, 9, 2001), "transfer")
    assert judge_band(Band(10, np.inf, "transfer"), at_least).verdict == INCONSISTENT
    assert judge_band(Band(10, np.inf, "transfer"), at_least, model_bound="lower").verdict == CONSISTENT
    assert discrimination(Band(10, np.inf, "transfer"), at_least, model_bound="lower")["weak"]
    with pytest.raises(ValueError, match="model_bound"):
        judge_band(Band(10, np.inf, "transfer"), at_least, model_bound="sideways")


def test_a_wide_model_is_a_weak_test_and_a_narrow_one_is_not():
    wide = discrimination(Band(1.5, 2.5, "month"), Q_(np.geomspace(0.7, 7, 2001), "month"))
    narrow = discrimination(Band(1.5, 2.5, "month"), Q_(np.linspace(1.7, 2.3, 2001), "month"))
    assert wide["weak"] and (wide["half"], wide["double"]) == (CONSISTENT, CONSISTENT)
    assert not narrow["weak"] and narrow["half"] == INCONSISTENT and narrow["double"] == INCONSISTENT
    lo, hi = narrow["accepts_factor"]
    assert 0.6 < lo < 0.8 and 1.3 < hi < 1.6


def test_routes_combine_by_the_least_favourable_independent_route_and_disagreement_shows():
    band = Band(1_000_000, np.inf, "round")
    easy = route("easy", Q_(np.linspace(5e5, 2e6, 2001), "round"), band, description="d")
    hard = route("hard", Q_(np.linspace(3e5, 9e5, 2001), "round"), band, description="d")
    circular = route("circular", Q_(np.linspace(9e5, 3e6, 2001), "round"), band, description="d",
                     independent=False, assumes=["arms-transfers"])
    combined = combine_routes([circular, easy, hard])
    assert combined["verdict"] == INCONSISTENT and combined["deciding"] == "hard" and combined["disagree"]
    with pytest.raises(ValueError, match="cannot confirm"):
        combine_routes([circular])
    with pytest.raises(ValueError, match="not independent"):
        route("x", Q_(np.linspace(1, 2, 1001), "round"), band, description="d", assumes=["c"])


def test_a_record_carries_band_routes_readings_discrimination_and_dependence(reg):
    claim = reg["rounds-transferred"]
    band = claim_band(claim, "round")
    easy = route("easy", Q_(np.linspace(5e5, 2e6, 2001), "round"), band, description="d")
    hard = route("hard", Q_(np.linspace(3e5, 9e5, 2001), "round"), band, description="d")
    readings = [reading("complete round", INCONSISTENT, primary=True), reading("projectile", CONSISTENT)]
    dep = depends_on("PACKAGING", [1.2, 1.9], [CONSISTENT, INCONSISTENT], INCONSISTENT, unit="")
    r = estimate_verdict(claim, "q", unit="round", band=band, routes=[easy, hard], readings=readings,
                         depends=[dep, None]).as_dict()
    assert r["verdict"] == INCONSISTENT and r["routes_disagree"] and r["reading_dependent"]
    assert r["band"]["low"] == 1_000_000 and [x["name"] for x in r["routes"]] == ["easy", "hard"]
    assert r["model"]["p50"] == hard["model"]["p50"] and r["discrimination"] == hard["discrimination"]
    assert r["depends_on"][0]["assumption"] == "PACKAGING" and "least favourable" in r["route_rule"]
    with pytest.raises(ValueError, match="primary reading"):
        estimate_verdict(claim, "q", unit="round", band=band, routes=[easy, hard],
                         readings=[reading("x", CONSISTENT, primary=True)])
    with pytest.raises(ValueError, match="exactly one reading must be primary"):
        estimate_verdict(claim, "q", unit="round", band=band, routes=[easy, hard],
                         readings=[reading("x", INCONSISTENT)])


def test_exact_bands_say_correct_inside_consistent_overlapping_and_unverified_short_of_a_minimum():
    band = Band(180, 220, "km")
    assert judge_exact_band(band, 190, 192) == CORRECT
    assert judge_exact_band(band, 170, 190) == CONSISTENT
    assert judge_exact_band(band, 230, 240) == INCORRECT
    assert judge_exact_band(band, 170, 175) == INCORRECT
    assert judge_exact_band(band, 170, 175, computed_is_minimum=True) == UNVERIFIED
    assert judge_exact_band(Band(200, 200, "km"), 200, 200) == CORRECT      # a zero-width band: equality
