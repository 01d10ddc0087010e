"""Places: geodesics agree with a known distance; an area's edges lie a radius either side."""
import pytest

from estimates.places import disc_edges, disc_radius, geodesic
from estimates.units import Q_


def test_a_geodesic_of_one_degree_of_latitude_is_about_111_km():
    d = geodesic((Q_(50, "degree"), Q_(128, "degree")), (Q_(51, "degree"), Q_(128, "degree")))
    assert d.to("km").magnitude == pytest.approx(111.2, abs=0.2)


def test_positions_in_arc_minutes_are_converted():
    a = (Q_("50 degree + 15 arcminute"), Q_("127 degree + 32 arcminute"))
    b = (Q_(50.25, "degree"), Q_(127 + 32 / 60, "degree"))
    assert geodesic(a, b).magnitude == pytest.approx(0, abs=1e-9)


def test_a_disc_of_a_cosmodromes_area_has_a_radius_of_about_13_km():
    assert disc_radius(Q_(551.5, "km ** 2")).magnitude == pytest.approx(13.25, abs=0.01)
    near, far = disc_edges(Q_(5, "km"), Q_(551.5, "km ** 2"))
    assert near.magnitude == 0 and far.magnitude == pytest.approx(18.25, abs=0.01)  # inside the disc


@pytest.mark.parametrize("area", [Q_(0, "km ** 2"), Q_(-3, "km ** 2"), Q_(float("nan"), "km ** 2")])
def test_an_area_must_be_positive_and_finite(area):
    with pytest.raises(ValueError, match="positive and finite"):
        disc_radius(area)
