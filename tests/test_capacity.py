"""Capacity: munitions and containers from the sources, limits, readings of a round, bad data named."""
import numpy as np
import pytest

from estimates import capacity, paths
from estimates.sources import load_sources
from estimates.uncertain import Model
from estimates.units import Q_
from estimates.validate import RecordError


@pytest.fixture(scope="module")
def book():
    return load_sources(paths.REFERENCE_FIGURES)


def test_a_complete_round_carries_its_charge_and_a_projectile_does_not(book):
    m = capacity.munitions()["152 mm"]
    complete, projectile = m.bare_mass(book, reading="complete"), m.bare_mass(book, reading="projectile")
    assert complete.magnitude == pytest.approx(43.56 + 8.185) and projectile.magnitude == pytest.approx(43.56)
    with pytest.raises(ValueError, match="reading must be one of complete, projectile"):
        m.bare_mass(book, reading="shell")


def test_a_rocket_sourced_as_a_range_is_sampled_and_needs_a_model(book):
    rocket = capacity.munitions()["122 mm rocket"]
    samples = rocket.bare_mass(book, Model(seed=1, n=10_000))
    assert 64 < np.median(samples.magnitude) < 68
    with pytest.raises(ValueError, match="give a model"):
        rocket.bare_mass(book)


def test_the_container_payload_is_capped_by_its_floor(book):
    box = capacity.container(book, Model(seed=2, n=20_000))
    assert box.floor_cap.to("tonne").magnitude == pytest.approx(4 * 5.867)
    assert np.max(box.payload.magnitude) == pytest.approx(4 * 5.867)
    assert "ctr-20ft-floor-load" in box.sources


def test_the_smaller_limit_binds():
    by_mass, by_volume, cap = capacity.limits(Q_(50, "kg"), Q_(23, "tonne / container"), Q_(10, "m ** 3 / container"),
                                              Q_(1.5, "dimensionless"), Q_(1.2, "tonne / m ** 3"))
    assert cap == by_volume and by_volume < by_mass


def test_containers_for_a_mix_need_a_mass_for_every_munition():
    with pytest.raises(KeyError, match="no bare mass"):
        capacity.containers_for(Q_(1e6, "round"), {"152 mm": 1.0}, {}, Q_(23, "tonne / container"),
                                Q_(24, "m ** 3 / container"), 1.5, Q_(1.2, "tonne / m ** 3"))


def test_an_unknown_assumption_names_the_data_file():
    with pytest.raises(RecordError, match=r"capacity.toml, record 'crates': no assumption 'crates'"):
        capacity.assumption("crates")


def test_by_calibre_gives_what_limits_gives_for_each_calibre():
    import numpy as np

    from estimates.capacity import by_calibre, limits
    from estimates.units import Q_
    rng = np.random.default_rng(1)
    rating, floor = Q_(rng.uniform(21, 29, 1000), "tonne"), Q_(23.5, "tonne")
    volume, stowage = Q_(rng.uniform(32, 34, 1000), "m ** 3"), Q_(rng.uniform(0.6, 0.85, 1000), "dimensionless")
    packaging, density = Q_(rng.uniform(1.2, 1.9, 1000), "dimensionless"), Q_(rng.uniform(0.8, 1.6, 1000), "tonne / m ** 3")
    masses = {"152 mm": Q_(51.75, "kg"), "122 mm": Q_(23.86, "kg")}
    got = by_calibre(rating, floor, volume, stowage, packaging, density, masses, Q_(66, "kg"))
    payload = np.minimum(rating.magnitude, 23.5) * Q_(1, "tonne / container")
    usable = volume * stowage / Q_(1, "container")
    for k, m in {**masses, "122 mm rocket": Q_(66, "kg")}.items():
        want = limits(m, payload, usable, packaging, density)[2].to("round / container").magnitude
        assert np.allclose(got[k].to("round / container").magnitude, want, rtol=1e-12)
