"""Declared checks: the audit, published ranges, "cannot tell", the route rule both ways, what-if,
lazy per-input sampling, and every class of bad declaration."""
from __future__ import annotations

import numpy as np
import pytest

from estimates.checks import (ALT_RULE, Assumption, Ceiling, Check, Choice, Derived, Floor, Range, Route, Sourced,
                              divide, record)
from estimates.units import Q_
from estimates.verdicts import CANNOT_TELL, CONSISTENT, INCONSISTENT, UNDETERMINED, Band

N = 20_000
BAND = Band(50, 70, "day")


def _stock(**readings):
    return Sourced("stock", "src-stock", readings or {"as stated": Range(900, 1100, "round")}, "as stated", "the stock")


def _check(inputs, routes=None, band=BAND, **kw):
    routes = routes or [Route("stock over rate", divide("stock", "rate"), "stock / rate")]
    return Check("days", "How long does the stock last?", band, inputs=inputs, routes=routes, n=N, seed=3, **kw)


def _flips(judged):
    return [a for a in judged.audit if a.verdict != judged.base.verdict]


# --- the audit and the published verdict ----------------------------------------------------------

@pytest.mark.parametrize("inputs", [
    [_stock(), Assumption("rate", 16, 18, "round / day", "a pace")],
    [_stock(**{"as stated": Range(900, 1100, "round"), "the rounder figure": Q_(1000, "round")}),
     Assumption("rate", 16, 18, "round / day", "a pace")],
    [_stock(), Choice("rate", {"the summer pace": Q_(16, "round / day"), "the autumn pace": Q_(17, "round / day")},
                      "the summer pace", "two seasons", kind="date")],
], ids=["assumption", "source-reading", "date-choice"])
def test_a_verdict_published_as_one_class_has_no_audited_move_that_flips_it(inputs):
    judged = _check(inputs).judge()
    assert judged.verdict == CONSISTENT and judged.verdict_range == (CONSISTENT,)
    assert judged.audit and not _flips(judged) and not judged.deciding_inputs


def test_negative_control_a_check_whose_source_reading_flips_publishes_a_range_naming_that_input():
    stock = _stock(**{"as stated": Range(900, 1100, "round"), "the older figure": Q_(700, "round")})
    judged = _check([stock, Assumption("rate", 16, 18, "round / day", "a pace")]).judge()
    assert judged.base.verdict == CONSISTENT
    assert judged.verdict == UNDETERMINED and judged.verdict_range == (CONSISTENT, INCONSISTENT)
    assert judged.deciding_inputs == ("stock",)
    assert [a.option for a in _flips(judged) if a.kind != "combination"] == ["the older figure"]
    assert "stock" in judged.sentence() and "consistent to inconsistent" in judged.sentence()


def test_an_assumption_at_either_end_of_its_range_is_audited_and_can_decide():
    judged = _check([_stock(), Assumption("rate", 15, 24, "round / day", "a pace")]).judge()
    moves = {a.option: a.verdict for a in judged.audit if a.input == "rate"}
    assert moves == {"at its low end (15)": CONSISTENT, "at its high end (24)": INCONSISTENT}
    assert judged.deciding_inputs == ("rate",) and judged.verdict == UNDETERMINED


def test_the_least_favourable_combination_of_readings_can_flip_what_no_single_move_does():
    stock = _stock(**{"as stated": Range(1000, 1100, "round"), "the lower figure": Range(800, 860, "round")})
    rate = Choice("rate", {"the summer pace": Range(16, 17, "round / day"), "the autumn pace": Range(19, 20, "round / day")},
                  "the summer pace", "two seasons", kind="date")
    judged = _check([stock, rate]).judge()
    singles = [a for a in judged.audit if a.kind != "combination"]
    assert all(a.verdict == CONSISTENT for a in singles)
    together = [a for a in judged.audit if a.kind == "combination"]
    assert together and together[0].verdict != CONSISTENT and judged.verdict == UNDETERMINED
    assert set(judged.deciding_inputs) == {"stock", "rate"}  # an interaction names both inputs


def test_the_claim_s_own_readings_are_audited():
    bands = {"'about 60' to the nearest ten": Band(55, 65, "day"), "'about 60' to the nearest hundred": Band(10, 110, "day")}
    judged = _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace")], band=bands).judge()
    assert {a.option for a in judged.audit if a.input == "claim"} == {"'about 60' to the nearest hundred"}


# --- tests that cannot fail say so ------------------------------------------------------------------

def test_a_floor_only_route_with_nothing_in_the_band_cannot_tell():
    trips = Sourced("trips", "src-trips", {"at least five, as counted": Floor(Q_(5, "round_trip"))}, "at least five, as counted",
                    "satellite counts are floors")
    per = Assumption("per_trip", 1.0, 1.2, "transfer / round_trip", "a round trip is one transfer, or a little more")
    check = Check("transfers", "At least 10 transfers?", Band(10, np.inf, "transfer"), inputs=[trips, per],
                  routes=[Route("trips", lambda trips, per_trip: trips * per_trip, "trips x transfers per trip")], n=N)
    judged = check.judge()
    assert judged.base.routes[0].bound == "lower" and judged.base.routes[0].in_band == 0
    assert judged.verdict == CANNOT_TELL and "weak test" in judged.sentence()


def test_a_model_that_accepts_half_and_twice_the_claim_cannot_tell():
    rate = Sourced("rate", "src-rate", {"as reported": Range(2, 200, "round / day")}, "as reported", "a vague source")
    judged = _check([_stock(), rate]).judge()
    assert judged.base.routes[0].weak and judged.verdict == CANNOT_TELL


def test_a_route_that_falls_with_a_floor_is_an_upper_bound():
    rate = Sourced("rate", "src-rate", {"at least": Floor(Q_(17, "round / day"))}, "at least", "a floor on the pace")
    judged = _check([_stock(), rate]).judge()
    assert judged.base.routes[0].bound == "upper"


def test_a_route_bounded_both_ways_is_refused():
    stock = Sourced("stock", "src-stock", {"at most": Ceiling(Q_(1000, "round"))}, "at most", "a ceiling")
    rate = Sourced("rate", "src-rate", {"at most": Ceiling(Q_(17, "round / day"))}, "at most", "a ceiling")
    with pytest.raises(ValueError, match="bounds nothing"):
        _check([stock, rate]).judge()


# --- the route rule, both ways ---------------------------------------------------------------------

def _two_routes(claimant_rate):
    return _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace"),
                   Assumption("claimant_rate", claimant_rate, claimant_rate * 1.1, "round / day", "the claimant's own")],
                  routes=[Route("independent", divide("stock", "rate"), "stock / rate"),
                          Route("the claimant's own", divide("stock", "claimant_rate"), "stock / the claimant's pace",
                                claimant=True)])


def test_a_route_from_the_claimant_cannot_confirm_but_its_refutation_is_a_conflict_not_dropped():
    agrees = _two_routes(16).judge()
    assert agrees.verdict == CONSISTENT and agrees.base.conflict == ()
    refutes = _two_routes(40).judge()
    assert refutes.base.verdict == CONSISTENT and refutes.base.conflict == (INCONSISTENT,)
    assert refutes.verdict == UNDETERMINED and refutes.verdict_range == (CONSISTENT, INCONSISTENT)


def test_with_no_independent_route_the_check_cannot_tell_and_the_other_rule_is_audited():
    check = _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace")],
                   routes=[Route("ten transfers", divide("stock", "rate"), "takes another claim as given",
                                 assumes=("arms-transfers",))])
    judged = check.judge()
    assert judged.base.verdict == CANNOT_TELL
    assert [a.verdict for a in judged.audit if a.option == ALT_RULE] == [CONSISTENT]
    assert judged.verdict == UNDETERMINED and CANNOT_TELL in judged.verdict_range


# --- what-if -------------------------------------------------------------------------------------------

def test_a_what_if_gives_exactly_what_declaring_the_same_values_gives():
    base = _check([_stock(), Assumption("rate", 15, 24, "round / day", "a pace")])
    base.judge()  # a judged check's results are reused by its what-ifs, where they do not rest on the moved input
    for value in (16.0, 24.0, (17, 19)):
        lo, hi = (value, value) if np.ndim(value) == 0 else value
        declared = _check([_stock(), Assumption("rate", lo, hi, "round / day", "a pace")])
        a, b = base.what_if(rate=value).judge(), declared.judge()
        assert (a.verdict, a.verdict_range, a.base, a.audit) == (b.verdict, b.verdict_range, b.base, b.audit)
    assert base.what_if(rate=24.0).judge().base.verdict != base.judge().base.verdict  # one that flips it


def test_moving_one_input_never_redraws_another():
    a = _check([_stock(), Assumption("rate", 15, 24, "round / day", "a pace")])
    b = a.what_if(rate=(14, 30))
    assert np.array_equal(a.leaf_values("stock over rate")["stock"].magnitude,
                          b.leaf_values("stock over rate")["stock"].magnitude)
    assert not np.array_equal(a.leaf_values("stock over rate")["rate"].magnitude,
                              b.leaf_values("stock over rate")["rate"].magnitude)


def test_a_derived_input_follows_its_inputs():
    per_day = Derived("rate", lambda monthly: (monthly / Q_(30, "day / month")).to("round / day"), "a monthly figure per day")
    check = _check([_stock(), Assumption("monthly", 480, 540, "round / month", "a monthly pace"), per_day])
    moved = check.what_if(monthly=600).output("stock over rate")
    assert np.allclose(moved.to("day").magnitude, check.leaf_values("stock over rate")["stock"].magnitude / 20)


# --- the record -----------------------------------------------------------------------------------------

def test_the_record_carries_the_audit_the_range_and_every_declared_input():
    from estimates.claims import Claim
    stock = _stock(**{"as stated": Range(900, 1100, "round"), "the older figure": Q_(700, "round")})
    judged = _check([stock, Assumption("rate", 16, 18, "round / day", "a pace")]).judge()
    claim = Claim(id="lasts-two-months", kind="quantity", quote="about 60 days", value=60, unit="day",
                  qualifier="about", claimant="someone", made_on=None, period="", check="days")
    d = record(judged, claim).as_dict()
    assert d["verdict"] == UNDETERMINED and d["verdict_range"] == [CONSISTENT, INCONSISTENT]
    assert {a["input"] for a in d["audit"]} >= {"stock", "rate"} and d["deciding_inputs"] == ["stock"]
    assert [i["name"] for i in d["inputs"]] == ["stock", "rate"] and d["sources"] == ["src-stock"]
    assert d["extra"]["as_argued"] == CONSISTENT


# --- bad declarations ------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, message", [
    (lambda: Sourced("stock", "s", {"a": Q_(1, "round")}, "b", "why"), "primary reading 'b' is not among"),
    (lambda: Choice("when", {"a": 1}, "a", "why", kind="weather"), "kind must be"),
    (lambda: Assumption("rate", 20, 10, "round / day", "why"), "above high"),
    (lambda: Assumption("rate", 0, 10, "round / day", "why", dist="lognormal"), "positive bounds"),
    (lambda: _check([_stock()]), "needs rate, which no input declares"),
    (lambda: _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace"),
                     Assumption("spare", 1, 2, "day", "unused")]), "no route uses spare"),
    (lambda: _check([_stock(), Assumption("rate", 16, 18, "kg", "a pace")]), "cannot be expressed in the claim's unit"),
    (lambda: _check([_stock(), _stock()]), "two inputs are named 'stock'"),
    (lambda: _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace")],
                    routes=[Route("r", divide("stock", "rate"), "d", inputs={"nope": "rate"})]), "renames"),
    (lambda: _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace")]).what_if(speed=3), "no input 'speed'"),
    (lambda: _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace")]).what_if(stock="other"),
     "no reading 'other'"),
    (lambda: _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace")]).what_if(claim="other"),
     "the claim has no reading"),
], ids=["primary", "kind", "range-order", "lognormal-zero", "missing-input", "unused-input", "dimension",
        "duplicate", "rename", "what-if-input", "what-if-reading", "what-if-claim"])
def test_a_bad_declaration_is_refused_with_a_message_naming_what_is_wrong(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_route_that_returns_no_quantity_is_refused():
    with pytest.raises(TypeError, match="must return a pint quantity"):
        _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace")],
               routes=[Route("r", lambda stock, rate: 3.0, "d")])


def test_a_break_even_is_found_for_an_input_fixed_at_one_value_too():
    from estimates.explore import route_break_even
    check = _check([_stock(), Assumption("rate", 16, 18, "round / day", "a pace")]).what_if(rate=17)
    value = route_break_even(check, "stock over rate", "rate", Q_(50, "day"))
    assert value is not None and abs(value.to("round / day").magnitude - 20) < 0.5


# --- the stored records ---------------------------------------------------------------------------------

def _stored_records():
    import nbformat

    from estimates import paths
    from estimates.publish import read_records
    for path in sorted(paths.NOTEBOOKS.glob("*/*.ipynb")):
        for v in (r.as_dict() for r in read_records(nbformat.read(path, as_version=4))[0]):
            yield path, v


def test_every_stored_record_published_as_one_class_has_no_audited_move_that_flips_it():
    audited = [(p, v) for p, v in _stored_records() if v.get("audit")]
    assert audited, "no stored record carries an audit"
    for path, v in audited:
        as_argued = {v["extra"]["as_argued"], *v["extra"].get("as_argued_conflict", [])}
        flips = [a for a in v["audit"] if {a["verdict"], *a["conflict"]} != as_argued]
        if v["verdict"] not in (UNDETERMINED, CANNOT_TELL):
            assert not flips and v["verdict_range"] == [v["verdict"]], (path.name, v["claim_id"], flips)
        if flips:
            assert v["verdict"] == UNDETERMINED and v["deciding_inputs"], (path.name, v["claim_id"])


def test_the_headline_s_audit_moves_the_ministry_s_conversion_the_start_of_the_us_pace_and_the_us_count():
    """The first article's headline, 'more than one million rounds': its record's audit reads the
    defence ministry's 'upper 200,000 range' both ways, counts the US pace from 7 September and from
    15 August, and reads 'more than 1,000 containers' three ways."""
    records = [v for p, v in _stored_records() if v["claim_id"] == "rounds-transferred"]
    assert len(records) == 1
    moves = {(a["input"], a["option"]) for a in records[0]["audit"]}
    assert ("rok_conversion", "anywhere in the 200,000s: 200 to 300") in moves
    assert ("span", "from 15 August, the first documented trip") in moves
    assert {o for i, o in moves if i == "count"} == {"a bare floor: 1,000 and up", "exactly 1,000"}
    inputs = {d["name"]: d for d in records[0]["inputs"]}
    assert inputs["rok_conversion"]["as_argued"].startswith("the upper 200,000s")
    assert inputs["span"]["kind"] == "date"


def test_every_input_whose_move_changes_a_stored_verdict_is_named_in_its_record():
    """No unsourced assumption (nor reading, nor date) decides a verdict without the record saying so:
    every audited move that changes the verdict's classes names its input among the deciding ones, and
    an assumption among them marks the record as depending on an assumption."""
    audited = [(p, v) for p, v in _stored_records() if v.get("audit")]
    assert any(a["kind"] == "assumption" for _, v in audited for a in v["audit"])
    for path, v in audited:
        as_argued = {v["extra"]["as_argued"], *v["extra"].get("as_argued_conflict", [])}
        for a in v["audit"]:
            if a["kind"] == "combination" or {a["verdict"], *a["conflict"]} == as_argued:
                continue
            assert a["input"] in v["deciding_inputs"], (path.name, v["claim_id"], a)
            if a["kind"] == "assumption":
                assert v["assumption_dependent"], (path.name, v["claim_id"], a["input"])


def test_the_second_case_s_count_names_the_unsourced_pace_factor_and_the_minister_s_own_december_count():
    """The pace after the US window, which no source gives, is audited at both ends and decides the
    count; the minister's own December count is a route that cannot confirm but is kept, and where it
    refutes the count the record says the sources conflict."""
    records = [v for p, v in _stored_records() if v["claim_id"] == "containers-since-summit"]
    assert len(records) == 1
    v = records[0]
    assert {a["option"] for a in v["audit"] if a["input"] == "pace_factor"} == {"at its low end (0.5)", "at its high end (1)"}
    assert "pace_factor" in v["deciding_inputs"] and v["assumption_dependent"]
    december = [r for r in v["routes"] if "December" in r["name"]]
    assert december and not december[0]["independent"] and v["extra"]["as_argued_conflict"] == [december[0]["verdict"]]


def test_no_stored_record_carries_an_object_s_repr_or_a_path_of_the_machine():
    import json

    from estimates import paths
    for path, v in _stored_records():
        text = json.dumps(v)
        assert "Source(" not in text and str(paths.ROOT) not in text, (path.name, v["claim_id"])


def test_a_declared_value_is_shown_in_words_never_as_an_object_s_repr():
    from types import SimpleNamespace as S

    from estimates.checks import _value_text
    record = S(id="ru-rate-1", path="/somewhere/reference-figures.toml")
    assert _value_text((record, S(id="ru-rate-2", path="/x"))) == "ru-rate-1, ru-rate-2"
    assert _value_text(Floor(Q_(5, "round_trip"))).startswith("at least 5")


# --- exact checks -------------------------------------------------------------------------------------

def _date_check(evidence, primary, band=None):
    from estimates.calendar import date_band, month
    from estimates.checks import as_given
    band = band or date_band(*month(2023, 8), "in August 2023")
    return Check("dates", "Is the date right?", band, dates=True,
                 inputs=[Sourced("event", "src-event", evidence, primary, "when the event was")],
                 routes=[Route("the event's date", as_given, "the date the sources give the event", inputs={"value": "event"})])


def test_an_exact_date_check_is_correct_inside_the_band_and_incorrect_outside_it():
    import datetime as dt
    assert _date_check({"as reported": dt.date(2023, 8, 24)}, "as reported").judge().verdict == "correct"
    assert _date_check({"as reported": dt.date(2023, 9, 24)}, "as reported").judge().verdict == "incorrect"


def test_a_source_that_only_shows_a_later_start_leaves_a_date_unverified_not_incorrect():
    import datetime as dt
    from estimates.checks import Ceiling
    judged = _date_check({"the first shipment seen": Ceiling(dt.date(2023, 9, 7))}, "the first shipment seen").judge()
    assert judged.verdict == "unverified"


def test_an_exact_check_whose_evidence_readings_disagree_is_undetermined_with_its_range():
    import datetime as dt

    from estimates.checks import Ceiling
    judged = _date_check({"the first counted trip": Ceiling(dt.date(2023, 8, 15)),
                          "the first shipment the US saw": Ceiling(dt.date(2023, 9, 7))}, "the first counted trip").judge()
    assert judged.base.verdict == "correct"
    assert judged.verdict == UNDETERMINED and judged.verdict_range == ("correct", "unverified")
    assert judged.deciding_inputs == ("event",)


def test_an_exact_record_carries_its_dates_as_dates():
    import datetime as dt

    from estimates.claims import Claim
    judged = _date_check({"as reported": (dt.date(2023, 8, 15), dt.date(2023, 8, 20))}, "as reported").judge()
    claim = Claim(id="since-august", kind="date", quote="since August", value=dt.date(2023, 8, 1), unit="day",
                  qualifier="since", claimant="x", made_on=None, period="", check="dates")
    d = record(judged, claim).as_dict()
    assert d["kind"] == "exact" and d["verdict"] == "correct" and d["discrimination"] is None
    assert d["band"]["text"] == "2023-08-01 to 2023-08-31" and d["model"]["p95"] == "2023-08-20"


def test_an_exact_distance_that_is_only_a_minimum_is_unverified_when_short_of_the_band():
    from estimates.checks import as_given
    line = Sourced("line", "src-line", {"a geodesic": Floor((Q_(169, "km"), Q_(173, "km")))}, "a geodesic", "no road is shorter")
    check = Check("km", "About 200 km?", Band(180, 220, "km"), exact=True, inputs=[line],
                  routes=[Route("the straight line", as_given, "a geodesic", inputs={"value": "line"})])
    assert check.judge().verdict == "unverified"


def test_beyond_the_grid_limit_the_most_and_least_favourable_combinations_are_judged(monkeypatch):
    import estimates.checks as checks
    monkeypatch.setattr(checks, "GRID_LIMIT", 1)
    stock = _stock(**{"as stated": Range(1000, 1100, "round"), "the lower figure": Range(800, 860, "round")})
    rate = Choice("rate", {"the summer pace": Range(16, 17, "round / day"), "the autumn pace": Range(19, 20, "round / day")},
                  "the summer pace", "two seasons", kind="date")
    judged = _check([stock, rate]).judge()
    worst = [a for a in judged.audit if a.input == "all at their least favourable"]
    assert worst and worst[0].verdict != CONSISTENT


def test_a_combination_whose_difference_one_move_alone_explains_is_not_an_interaction():
    import datetime as dt

    from estimates.checks import Ceiling
    judged = _date_check({"the first counted trip": Ceiling(dt.date(2023, 8, 15)),
                          "the first shipment the US saw": Ceiling(dt.date(2023, 9, 7))}, "the first counted trip").judge()
    assert not [a for a in judged.audit if a.kind == "combination"]


def test_the_what_if_controls_change_only_the_inputs_moved(monkeypatch):
    """An untouched slider keeps its assumption's range: moving one control prints the check with that
    input alone moved (and a control moved back prints the check as declared)."""
    from estimates import explore
    seen = {}
    monkeypatch.setattr(explore, "what_if", lambda fn, specs: seen.update(fn=fn, specs=specs))
    monkeypatch.setattr(explore, "what_if_text", lambda check, claim, values, **kw: seen.setdefault("calls", []).append(values))
    check = _check([_stock(**{"as stated": Range(900, 1100, "round"), "the older figure": Q_(700, "round")}),
                    Assumption("rate", 15, 24, "round / day", "a pace")])
    explore.controls(check, None)
    start = {k: (v[0] if isinstance(v, list) else v[3]) for k, v in seen["specs"].items()}
    seen["fn"](**{**start, "rate": 20.0})
    seen["fn"](**start)
    assert seen["calls"] == [{"rate": 20.0}, {}]
