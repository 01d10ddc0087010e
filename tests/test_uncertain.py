import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimates.uncertain import (Interval, IntervalError, Model, Summary, format_number, percentile_of,
                                 percentiles, round_sig, summarize)
from estimates.units import Q_

#: Sampled p5/p95 must land within this relative distance of the stated bounds (200,000 samples
#: put the sampling error near 0.5%; 3% leaves room without hiding a wrong parameterisation).
TOLERANCE = 0.03


def test_a_positive_interval_is_lognormal_with_its_bounds_at_p5_and_p95():
    q = Model(seed=1).between(10_000, 20_000, "round / day")
    p5, p50, p95 = (p.magnitude for p in percentiles(q))
    assert p5 == pytest.approx(10_000, rel=TOLERANCE)
    assert p95 == pytest.approx(20_000, rel=TOLERANCE)
    assert p50 == pytest.approx((10_000 * 20_000) ** 0.5, rel=TOLERANCE)  # the geometric middle


def test_an_interval_through_zero_is_normal():
    q = Model(seed=1).between(-1, 3, "degC")
    assert np.median(q.magnitude) == pytest.approx(1, abs=0.05)
    assert (q.magnitude < 0).any()


def test_a_uniform_interval_is_its_support_so_a_share_never_leaves_its_limits():
    q = Model(seed=1).between(0.0, 0.15, "dimensionless", dist="uniform")
    assert q.magnitude.min() >= 0.0 and q.magnitude.max() <= 0.15
    p5, _, p95 = (p.magnitude for p in percentiles(q))
    assert (p5, p95) == (pytest.approx(0.0075, abs=0.001), pytest.approx(0.1425, abs=0.001))


def test_samples_are_one_quantity_wrapping_one_array():
    q = Model(seed=1, n=5_000).between(1, 2, "tonne")
    assert isinstance(q, pint.Quantity) and q.magnitude.shape == (5_000,)
    assert (q.to("kg").magnitude == pytest.approx(q.magnitude * 1000))


def test_the_same_seed_gives_the_same_samples_and_another_seed_the_same_summary():
    a = Model(seed=42).between(10, 20, "km")
    b = Model(seed=42).between(10, 20, "km")
    c = Model(seed=43).between(10, 20, "km")
    assert np.array_equal(a.magnitude, b.magnitude)
    assert not np.array_equal(a.magnitude, c.magnitude)
    assert str(summarize(a)) == str(summarize(c))


def test_quantity_bounds_are_accepted_and_converted():
    q = Model(seed=1).between(Q_(1, "km"), Q_(2000, "m"))
    assert str(q.units) == "kilometer"
    assert np.percentile(q.magnitude, 95) == pytest.approx(2, rel=TOLERANCE)


@pytest.mark.parametrize("low, high, dist, message", [
    (20, 10, None, r"low \(20\) is above high \(10\); give low <= high"),
    (0, 10, "lognormal", "a lognormal interval needs positive bounds, got low=0"),
    (-5, 10, "lognormal", "needs positive bounds, got low=-5"),
    ("ten", 20, None, "bounds must be numbers, got low='ten'"),
    (1, float("inf"), None, "bounds must be finite"),
    (1, 2, "beta", "unknown distribution 'beta'"),
])
def test_invalid_intervals_raise_the_documented_error(low, high, dist, message):
    with pytest.raises(IntervalError, match=message):
        Model(seed=1, n=1_000).between(low, high, "km", dist, where="here")


def test_an_interval_needs_a_unit_and_both_or_neither_bounds_as_quantities():
    m = Model(seed=1, n=1_000)
    with pytest.raises(IntervalError, match="needs a unit"):
        m.between(1, 2)
    with pytest.raises(IntervalError, match="both bounds as quantities"):
        m.between(Q_(1, "km"), 2)


def test_model_rejects_a_bad_seed_or_sample_count():
    with pytest.raises(TypeError, match="seed must be an integer"):
        Model(seed="1")
    with pytest.raises(ValueError, match="at least 1000"):
        Model(seed=1, n=10)


def test_a_mixture_draws_from_each_component_by_weight():
    m = Model(seed=5, n=100_000)
    mix = m.mixture([m.constant(1, "km"), Q_(np.full(100_000, 3.0), "km")], weights=[3, 1])
    assert np.mean(mix.magnitude == 1) == pytest.approx(0.75, abs=0.01)
    assert str(mix.units) == "kilometer"


def test_a_mixture_rejects_bad_weights_and_mixed_dimensions():
    m = Model(seed=5, n=1_000)
    with pytest.raises(IntervalError, match="non-negative"):
        m.mixture([m.constant(1, "km")], weights=[-1])
    with pytest.raises(pint.DimensionalityError):
        m.mixture([m.constant(1, "km"), m.constant(1, "kg")])


def test_percentile_of_counts_ties_as_half_and_converts_units():
    samples = Q_(np.array([1.0, 2.0, 3.0, 4.0]), "km")
    assert percentile_of(samples, Q_(2, "km")) == pytest.approx(37.5)
    assert percentile_of(samples, Q_(10_000, "m")) == 100.0


def test_summaries_round_to_two_significant_figures_with_units():
    s = summarize(Q_(np.linspace(10_000, 20_000, 10_001), "round / day"))
    assert s == Summary(10_000.0, 15_000.0, 20_000.0, "round / day", 2)
    assert str(s) == "15,000 rnd/day (90%: 10,000 to 20,000)"
    assert str(summarize(Q_(2.0, "month"))) == "2.0 month"


def test_number_formatting_never_uses_e_notation():
    assert format_number(1_234_567) == "1,200,000"
    assert format_number(0.000123) == "0.00012"
    assert round_sig(0) == 0.0


def test_interval_records_its_distribution_and_median():
    iv = Interval(10, 40, "km")
    assert iv.median().magnitude == pytest.approx(20)
    assert iv.scipy().ppf([0.05, 0.95]) == pytest.approx([10, 40])  # scipy agrees on the parameters
    assert Interval(-1, 3, "degC", "normal").scipy().ppf([0.05, 0.95]) == pytest.approx([-1, 3])
    assert Interval(0.4, 1.0, "dimensionless", "uniform").scipy().ppf([0.0, 1.0]) == pytest.approx([0.4, 1.0])
    with pytest.raises(IntervalError):
        Interval(40, 10, "km")


positive_bounds = st.tuples(st.floats(1e-3, 1e9), st.floats(1.05, 100.0)).map(lambda t: (t[0], t[0] * t[1]))


@settings(max_examples=25, deadline=None)
@given(positive_bounds)
def test_any_valid_interval_puts_its_bounds_at_p5_and_p95(bounds):
    low, high = bounds
    q = Model(seed=7, n=100_000).between(low, high, "km")
    p5, _, p95 = (p.magnitude for p in percentiles(q))
    assert p5 == pytest.approx(low, rel=TOLERANCE)
    assert p95 == pytest.approx(high, rel=TOLERANCE)


@settings(max_examples=25, deadline=None)
@given(positive_bounds)
def test_converting_before_or_after_sampling_gives_the_same_samples(bounds):
    low, high = bounds
    before = Model(seed=9, n=2_000).between(Q_(low, "km").to("mile"), Q_(high, "km").to("mile")).to("km")
    after = Model(seed=9, n=2_000).between(low, high, "km")
    np.testing.assert_allclose(before.magnitude, after.magnitude, rtol=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e6))
def test_any_interval_with_low_above_high_raises(high, gap):
    with pytest.raises(IntervalError, match="is above high"):
        Model(seed=1, n=1_000).between(high + gap, high, "km", dist="normal")
