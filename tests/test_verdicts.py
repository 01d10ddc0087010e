import numpy as np
import pytest

from estimates.claims import load_register
from estimates import paths
from estimates.units import Q_
from estimates.verdicts import (CONSISTENT, CORRECT, INCONSISTENT, INCORRECT, STRAINED, VerdictRecord,
                                estimate, estimate_verdict, exact_verdict, judge_estimate, judge_exact,
                                scale_for_tail)

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
    r = estimate_verdict(reg["two-months-of-war"], "check", "question?", MODEL / 100, unit="month",
                         drivers=["rate"], sources=["s"])
    d = r.as_dict()
    assert d["verdict"] == CONSISTENT and d["kind"] == "estimate"
    assert d["claimed"]["value"] == 2 and d["claimed"]["unit"] == "month" and d["claimed"]["qualifier"] == "around"
    assert d["model"] == {"unit": "month", "p5": 0.51, "p50": 5.0, "p95": 9.5}
    assert 19 < d["percentile"] < 21 and d["drivers"] == ["rate"]
    e = exact_verdict(reg["summit-date"], "check", "q", CORRECT, computed={"value": "2023-09-13", "unit": "day"})
    assert e.as_dict()["claimed"]["value"] == "2023-09-13" and e.model["p50"] == "2023-09-13"
    with pytest.raises(ValueError, match="exact check"):
        exact_verdict(reg["summit-date"], "check", "q", CONSISTENT)


def test_a_named_estimate_is_rounded_where_it_is_made():
    e = estimate("x", Q_(np.linspace(10, 20, 1001), "km"), "m", "d")
    assert (e.unit, e.p5, e.p50, e.p95, e.interval) == ("m", 10000.0, 15000.0, 20000.0, "90%")
