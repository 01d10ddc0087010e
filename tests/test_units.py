import numpy as np
import pint
import pytest

from estimates.units import Q_, UnitError, fmt, parse_unit, require_dimension, ureg


def test_the_registry_is_pints_application_registry():
    assert pint.get_application_registry().get() is ureg


def test_adding_rounds_to_containers_raises_a_dimensionality_error():
    with pytest.raises(pint.DimensionalityError, match="munition"):
        Q_(1_000_000, "round") + Q_(1_000, "container")


def test_rounds_per_container_is_a_rate_that_converts():
    rate = Q_(3_000, "round") / Q_(10, "container")
    assert rate.to("round / TEU").magnitude == pytest.approx(300)
    assert rate.to("round / FEU").magnitude == pytest.approx(600)


def test_shell_is_an_alias_of_round_and_rd_stays_the_rod():
    assert Q_(5, "shell").to("round").magnitude == 5
    assert Q_(1, "rd").check("[length]")


def test_transfers_and_round_trips_are_distinct_counts():
    with pytest.raises(pint.DimensionalityError):
        Q_(1, "transfer").to("round_trip")
    assert (Q_(5, "round_trip") * Q_(1, "transfer / round_trip")).to("transfer").magnitude == 5


def test_month_is_a_twelfth_of_a_julian_year_and_ton_is_short():
    assert Q_(1, "month").to("day").magnitude == pytest.approx(30.4375)
    assert Q_(1, "ton").to("kg").magnitude == pytest.approx(907.18474)
    assert Q_(1, "tonne").to("kg").magnitude == 1000


def test_a_million_rounds_over_an_interval_converts_to_months():
    from estimates.uncertain import Model
    m = Model(seed=3, n=10_000)
    months = (Q_(1_000_000, "round") / m.between(10_000, 20_000, "round / day")).to("month")
    assert str(months.units) == "month"
    assert 1.5 < np.median(months.magnitude) < 3.5


def test_unknown_unit_is_rejected_with_where_and_what_is_valid():
    with pytest.raises(UnitError, match=r"claims.toml, record 'x', field 'unit': unknown unit 'rouns'.*valid units"):
        parse_unit("rouns", where="claims.toml, record 'x', field 'unit'")


def test_empty_unit_is_rejected():
    with pytest.raises(UnitError, match="non-empty"):
        parse_unit("  ")


def test_wrong_dimension_names_the_unit_and_the_expected_one():
    with pytest.raises(UnitError, match=r"'kilogram' has dimension .*needs a unit like 'round / day'"):
        require_dimension("kg", "round / day")


def test_fmt_uses_the_given_precision_and_short_symbols():
    assert fmt(Q_(16427.3, "round / day"), ",.0f") == "16,427 rnd/day"
    assert fmt(Q_(33.2, "m ** 3"), ".1f") == "33.2 m³"


@pytest.mark.parametrize("q, text", [(Q_(2, "year"), "2 year"), (Q_(60.9, "day"), "60.9 day"), (Q_(3, "round / hour"), "3 rnd/hour"),
                                     (Q_(7, "container / week"), "7 ctr/week"), (Q_(4, "month"), "4 month"),
                                     (Q_(5, "km"), "5 km"), (Q_(0.5, "dimensionless"), "0.5")])
def test_time_units_print_as_words_and_other_units_as_symbols(q, text):
    assert f"{q:~P}" == text
