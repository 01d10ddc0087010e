import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from estimates.explore import (Swing, baseline, break_even, deciding, swing_table, swings, tornado,  # noqa: E402
                               what_if)
from estimates.units import Q_  # noqa: E402

RATE = Q_(np.linspace(10_000, 30_000, 1001), "round / day")
ROUNDS = Q_(np.linspace(1.0e6, 1.5e6, 1001), "round")


def months(rate, rounds):
    return (rounds / rate).to("month")


def test_swings_hold_the_others_at_their_medians_and_put_the_widest_first():
    rows = swings(months, {"rounds": ROUNDS, "rate": RATE}, "month")
    assert [r.name for r in rows] == ["rate", "rounds"]
    rate_row = rows[0]
    assert rate_row.low == pytest.approx(11_000) and rate_row.high == pytest.approx(29_000)
    assert rate_row.out_low == pytest.approx(1.25e6 / 11_000 / 30.4375)
    assert rows[0].width > rows[1].width
    assert baseline(months, {"rounds": ROUNDS, "rate": RATE}, "month") == pytest.approx(1.25e6 / 20_000 / 30.4375)


def test_deciding_names_the_widest_input_whose_swing_crosses_the_claim():
    rows = [Swing("a", "m", 0, 1, 1.0, 3.0), Swing("b", "m", 0, 1, 2.5, 2.6)]
    assert deciding(rows, 2.0).name == "a"
    assert deciding(rows, 2.55).name == "a"
    assert deciding(rows, 9.0) is None


def test_break_even_finds_the_input_value_that_gives_the_target():
    rate = break_even(months, {"rate": RATE, "rounds": Q_(1e6, "round")}, "rate", Q_(2, "month"))
    assert rate.to("round / day").magnitude == pytest.approx(1e6 / (2 * 30.4375))
    assert str(rate.units) == "round / day"
    rounds = break_even(months, {"rate": RATE, "rounds": ROUNDS}, "rounds", Q_(61, "day"))
    assert rounds.magnitude == pytest.approx(61 / 30.4375 * 20_000 * 30.4375)


def test_break_even_is_none_when_no_value_within_reach_gives_the_target():
    assert break_even(months, {"rate": RATE, "rounds": Q_(1e6, "round")}, "rate", Q_(-1, "month")) is None


def test_tornado_and_table_show_every_input():
    rows = swings(months, {"rounds": ROUNDS, "rate": RATE}, "month")
    fig, ax = plt.subplots()
    tornado(ax, rows, "month", base=2.0, claim=2.0, labels={"rate": "fire rate"})
    assert len(ax.patches) == 4
    assert any("fire rate" in t.get_text() for t in ax.get_yticklabels())
    assert [t.get_text() for t in ax.get_legend().get_texts()][-2:] == ["input at its p5", "input at its p95"]
    plt.close(fig)
    table = swing_table(rows, "month", {"rate": "fire rate"})
    assert list(table["input"]) == ["fire rate", "rounds"]
    assert table.loc[0, "p5 to p95"] == "11,000 to 29,000 rnd/day"


def test_what_if_runs_nothing_until_a_control_moves():
    calls = []
    box = what_if(lambda rounds, flag: calls.append((rounds, flag)),
                  {"rounds": (1.0, 3.0, 0.1, 1.0, "million"), "flag": False})
    assert calls == []
    slider, checkbox = box.children[0], box.children[1]
    assert slider.description == "rounds (million)" and slider.value == 1.0
    slider.value = 2.0
    checkbox.value = True
    assert calls == [(2.0, False), (2.0, True)]


def test_dependence_names_the_input_whose_own_range_flips_the_verdict():
    from estimates.explore import dependence
    from estimates.uncertain import Model
    from estimates.verdicts import Band
    m = Model(seed=3, n=20_000)
    inputs = {"per_trip": m.between(200, 400, "container"), "trips": m.between(5.0, 5.5, "dimensionless")}
    fn = lambda per_trip, trips: per_trip * trips  # noqa: E731
    entries = dependence(fn, inputs, Band(1_800, float("inf"), "container"), labels={"per_trip": "per trip"},
                         sourced=["trips"])
    assert [e["assumption"] for e in entries] == ["per trip"]
    assert entries[0]["verdicts"][0] != entries[0]["verdicts"][1] and entries[0]["sourced"] is False
    assert dependence(fn, inputs, Band(100, float("inf"), "container")) == []   # nothing flips a safe claim
