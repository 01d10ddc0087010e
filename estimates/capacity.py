"""Munitions, containers and capacity: how many rounds a 20-foot container holds, under each limit
and each reading of what a "round" is.

Which source record gives which quantity, and the unsourced assumptions' starting ranges, are data
(``estimates/data/capacity.toml``); the numbers themselves are cited records of the reference
sources. A container's payload is the smaller of its rating and its floor-loading cap; a round's
packed mass is its bare mass times a packaging factor, and its packed volume that mass over a
packed density; a container holds the smaller of what its payload and its usable volume allow.

>>> from estimates.units import Q_
>>> by_mass, by_volume, cap = limits(Q_(50, "kg"), Q_(23, "tonne / container"), Q_(24, "m ** 3 / container"),
...                                  Q_(1.5, "dimensionless"), Q_(1.2, "tonne / m ** 3"))
>>> f"{by_mass:.0f~P}", f"{by_volume:.0f~P}", f"{cap:.0f~P}"
('307 rnd/ctr', '384 rnd/ctr', '307 rnd/ctr')
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

import numpy as np
import pint

from estimates import paths
from estimates.units import Q_
from estimates.validate import Fields, RecordError, load_toml, records

DATA = paths.PACKAGE / "data" / "capacity.toml"

#: The readings of a counted "round": with its propelling charge, or the projectile alone.
ROUND_READINGS = {"complete": "a complete round (projectile and charge)", "projectile": "the projectile alone"}


@dataclass(frozen=True)
class Munition:
    """A kind of round and the source records that give its masses (``complete`` for a round that
    is one piece, such as a rocket)."""

    id: str
    name: str
    projectile: str = ""
    charge: str = ""
    complete: str = ""

    def bare_mass(self, sources, model=None, reading: str = "complete") -> pint.Quantity:
        """The bare mass of one round, in kg, under a reading of 'round' (:data:`ROUND_READINGS`).
        A mass sourced as a range (the Grad rocket) is sampled from ``model``."""
        if reading not in ROUND_READINGS:
            raise ValueError(f"reading must be one of {', '.join(ROUND_READINGS)}, got {reading!r}")
        if self.complete:
            s = sources[self.complete]
            if s.value is None:
                if model is None:
                    raise ValueError(f"{self.id}: its mass is a range ({s.id}); give a model to sample it")
                return s.sample(model, "kg")
            return s.quantity().to("kg")
        mass = sources[self.projectile].quantity().to("kg")
        return mass + sources[self.charge].quantity().to("kg") if reading == "complete" else mass


@dataclass(frozen=True)
class Container:
    """One container's limits: rated payload, floor cap, effective payload (the smaller) and volume."""

    payload_rating: pint.Quantity
    floor_cap: pint.Quantity
    payload: pint.Quantity
    internal_volume: pint.Quantity
    usable_volume: pint.Quantity
    sources: tuple[str, ...] = ()


@lru_cache(maxsize=None)
def _data() -> dict:
    return load_toml(DATA)


def munitions() -> dict[str, Munition]:
    """Every munition of the data file, by id."""
    data = _data()
    out = {}
    for i, r in enumerate(records(DATA, data, "munitions")):
        f = Fields(DATA, r, i, {"id", "name", "projectile", "charge", "complete"})
        mid = f.text("id")
        complete = f.text("complete", required=False)
        projectile, charge = f.text("projectile", required=False), f.text("charge", required=False)
        if not complete and not (projectile and charge):
            f.fail("projectile", "a munition needs projectile and charge, or complete")
        out[mid] = Munition(mid, f.text("name"), projectile, charge, complete)
    return out


def assumption(name: str) -> dict:
    """An unsourced assumption's starting range: low, high, unit, dist and why."""
    table = _data().get("assumptions", {})
    if name not in table:
        raise RecordError(DATA, name, None, f"no assumption {name!r}; the file has {', '.join(sorted(table))}")
    return dict(table[name])


def assumption_range(name: str) -> tuple[float, float]:
    """(low, high) of an assumption, for a notebook to state as a named variable.

    >>> assumption_range("packaging")
    (1.2, 1.9)
    """
    a = assumption(name)
    return float(a["low"]), float(a["high"])


def sample(model, name: str, bounds: tuple[float, float] | None = None) -> pint.Quantity:
    """Samples of an assumption from ``model``, over ``bounds`` (default: its starting range)."""
    a = assumption(name)
    low, high = bounds if bounds is not None else (a["low"], a["high"])
    return model.between(low, high, a["unit"], a.get("dist"), where=f"assumption {name!r}")


def container(sources, model, stowage: tuple[float, float] | None = None) -> Container:
    """A 20-foot container's limits from the sources: the rated payload spans the lowest to the highest
    sourced rating (a 90% interval), capped by the floor load times the internal length; the usable
    volume is the internal volume (lowest to highest sourced) times the stowage fraction."""
    spec = _data()["container"]
    ratings = sources.tagged(spec["payload_tag"])
    volumes = sources.tagged(spec["volume_tag"])
    if not ratings or not volumes:
        raise RecordError(DATA, "container", "payload_tag", "no source carries the container's payload or volume tag")
    rating = model.between(min(s.in_unit("tonne")[0] for s in ratings), max(s.in_unit("tonne")[1] for s in ratings),
                           "tonne", where="container payload rating")
    volume = model.between(min(s.in_unit("m ** 3")[0] for s in volumes), max(s.in_unit("m ** 3")[1] for s in volumes),
                           "m ** 3", where="container internal volume")
    floor_cap = (sources[spec["floor_load"]].quantity() * sources[spec["internal_length"]].quantity()).to("tonne")
    payload = np.minimum(rating.to("tonne").magnitude, floor_cap.magnitude) * Q_(1, "tonne / container")
    usable = volume * sample(model, "stowage", stowage) / Q_(1, "container")
    ids = tuple(s.id for s in ratings + volumes) + (spec["floor_load"], spec["internal_length"])
    return Container(rating, floor_cap, payload, volume, usable.to("m ** 3 / container"), ids)


def packed(bare: pint.Quantity, packaging, packed_density) -> tuple[pint.Quantity, pint.Quantity]:
    """(mass, volume) of one packed round."""
    mass = (bare * packaging / Q_(1, "round")).to("kg / round")
    return mass, (mass / packed_density).to("m ** 3 / round")


def limits(bare, payload, usable_volume, packaging, packed_density):
    """(by mass, by volume, capacity): rounds per container under each limit, and the smaller."""
    mass, volume = packed(bare, packaging, packed_density)
    by_mass = (payload / mass).to("round / container")
    by_volume = (usable_volume / volume).to("round / container")
    return by_mass, by_volume, np.minimum(by_mass, by_volume)


def containers_for(rounds, mix: Mapping[str, object], masses: Mapping[str, pint.Quantity], payload, usable_volume,
                   packaging, packed_density) -> pint.Quantity:
    """Containers that ``rounds`` fill, split by ``mix`` (shares by munition id) with bare ``masses``."""
    missing = set(mix) - set(masses)
    if missing:
        raise KeyError(f"no bare mass for {sorted(missing)}")
    return sum((rounds * mix[k] / limits(masses[k], payload, usable_volume, packaging, packed_density)[2])
               .to("container") for k in mix)


# --- as declared inputs of a check (estimates.checks) -------------------------------------------

def per_container_of_mix(payload_rating, floor_cap, internal_volume, stowage, packaging, packed_density,
                         share_152, share_rocket, masses, rocket_mass) -> pint.Quantity:
    """Rounds per container for a calibre mix (152 mm share, rocket share, the rest 122 mm): the
    harmonic mean of each calibre's capacity, weighted by its share. ``masses`` gives the 152 mm and
    122 mm bare masses under one reading of "round" (:func:`round_masses`)."""
    by = by_calibre(payload_rating, floor_cap, internal_volume, stowage, packaging, packed_density, masses, rocket_mass)
    mix = _mix(share_152, share_rocket)
    return (1 / sum(mix[k] / by[k] for k in mix)).to("round / container")


def _mix(share_152, share_rocket) -> dict:
    return {"152 mm": share_152, "122 mm": 1 - share_152 - share_rocket, "122 mm rocket": share_rocket}


def by_calibre(payload_rating, floor_cap, internal_volume, stowage, packaging, packed_density, masses,
               rocket_mass) -> dict[str, pint.Quantity]:
    """Rounds per container for each calibre: the smaller of the mass limit (the payload rating capped
    by the floor load) and the volume limit (the internal volume times the stowage fraction)."""
    # the arithmetic of :func:`limits` on magnitudes in fixed units (each input converted once), so that an
    # audit judging this dozens of times pays pint's cost once per input, not once per operation
    payload = np.minimum(payload_rating.to("tonne").magnitude, floor_cap.to("tonne").magnitude)   # t per container
    usable = internal_volume.to("m ** 3").magnitude * stowage.to("dimensionless").magnitude       # m3 per container
    pack, density = packaging.to("dimensionless").magnitude, packed_density.to("tonne / m ** 3").magnitude
    out = {}
    for k, m in {**masses, "122 mm rocket": rocket_mass}.items():
        packed = m.to("tonne").magnitude * pack                                                  # t per round
        out[k] = Q_(np.minimum(payload / packed, usable * density / packed), "round / container")
    return out


def packed_mass_of_mix(packaging, share_152, share_rocket, masses, rocket_mass) -> pint.Quantity:
    """The mean packed mass of a round of the calibre mix."""
    bare = {**masses, "122 mm rocket": rocket_mass}
    mix = _mix(share_152, share_rocket)
    return sum((mix[k] * bare[k] * packaging / Q_(1, "round")).to("kg / round") for k in mix)


def round_masses(sources) -> dict[str, dict[str, pint.Quantity]]:
    """The 152 mm and 122 mm bare masses under each reading of "round" (:data:`ROUND_READINGS`)."""
    mus = munitions()
    return {ROUND_READINGS[r]: {k: mus[k].bare_mass(sources, reading=r) for k in ("152 mm", "122 mm")}
            for r in ROUND_READINGS}


def declared_inputs(sources, *, mix: bool = True) -> list:
    """A container's limits, a round's packed mass and volume, and the reading of "round", as the
    declared inputs of a check (:mod:`estimates.checks`), with ``per_container`` derived from them for
    a calibre mix whose shares (``share_152``, ``share_rocket``) the check declares itself, and ``packed_mass``
    of that mix (without ``mix``, neither: a check of one calibre at a time); ``by_calibre`` always."""
    from estimates.checks import Assumption, Choice, Derived, Range, Sourced
    spec = _data()["container"]
    ratings, volumes = sources.tagged(spec["payload_tag"]), sources.tagged(spec["volume_tag"])
    if not ratings or not volumes:
        raise RecordError(DATA, "container", "payload_tag", "no source carries the container's payload or volume tag")
    floor = (sources[spec["floor_load"]].quantity() * sources[spec["internal_length"]].quantity()).to("tonne")
    rocket = sources[munitions()["122 mm rocket"].complete]
    mus = munitions()
    mass_ids = tuple(x for k in ("152 mm", "122 mm") for x in (mus[k].projectile, mus[k].charge))

    def assumed(name):
        a = assumption(name)
        return Assumption(name, float(a["low"]), float(a["high"]), a["unit"], a["why"], a.get("dist"))

    lowest = lambda recs, u: min(s.in_unit(u)[0] for s in recs)  # noqa: E731
    highest = lambda recs, u: max(s.in_unit(u)[1] for s in recs)  # noqa: E731
    masses = round_masses(sources)
    names = {"masses": "round"}
    return [
        Sourced("payload_rating", tuple(s.id for s in ratings),
                {"lowest to highest sourced rating": Range(lowest(ratings, "tonne"), highest(ratings, "tonne"), "tonne")},
                "lowest to highest sourced rating", "a 20-foot container's rated payload, every sourced rating"),
        Sourced("floor_cap", (spec["floor_load"], spec["internal_length"]), {"floor load x internal length": floor},
                "floor load x internal length", "a second cap on dense cargo: tonnes per running metre of floor"),
        Sourced("internal_volume", tuple(s.id for s in volumes),
                {"lowest to highest sourced volume": Range(lowest(volumes, "m ** 3"), highest(volumes, "m ** 3"), "m ** 3")},
                "lowest to highest sourced volume", "a 20-foot container's internal volume"),
        assumed("stowage"), assumed("packaging"), assumed("packed_density"),
        Sourced("rocket_mass", rocket.id, {"as sourced": Range(*rocket.in_unit("kg"), "kg")}, "as sourced",
                "a 122 mm Grad rocket, complete as fired"),
        Choice("round", masses, ROUND_READINGS["complete"], "what a counted round is: with its propelling charge, or "
               "the projectile alone (officials converting containers to 'shells' may mean the latter)",
               sources_=mass_ids),
        Derived("by_calibre", by_calibre, "rounds per container for each calibre", inputs=names),
    ] + ([Derived("per_container", per_container_of_mix, "rounds per container for the calibre mix", inputs=names),
          Derived("packed_mass", packed_mass_of_mix, "the mean packed mass of a round of the mix", inputs=names)]
         if mix else [])


def of_calibre(by_calibre, calibre) -> pint.Quantity:
    """One calibre's rounds per container, of :func:`by_calibre`'s (a reading of "122 mm" picks it)."""
    if calibre not in by_calibre:
        raise KeyError(f"no calibre {calibre!r}; the calibres: {', '.join(by_calibre)}")
    return by_calibre[calibre]


def rounds_by_mass(containers, payload_rating, floor_cap, packaging, mass) -> pint.Quantity:
    """Rounds ``containers`` hold by mass alone (no volume limit): the payload, capped by the floor, over
    the packed mass of a round of bare ``mass``."""
    payload = np.minimum(payload_rating.to("tonne").magnitude, floor_cap.to("tonne").magnitude) * Q_(1, "tonne / container")
    return (containers * payload / (mass * packaging / Q_(1, "round"))).to("round")


def payload_conversion(payload_rating, floor_cap, masses) -> dict[str, pint.Quantity]:
    """Rounds per container in a conversion that divides a container's payload (capped by the floor)
    by one bare round's mass, with no crate, no packing and no volume limit: how an official may turn a
    count of containers into rounds. ``masses`` by calibre, as :func:`round_masses` gives them."""
    payload = np.minimum(payload_rating.to("tonne").magnitude, floor_cap.to("tonne").magnitude)
    return {k: Q_(payload / m.to("tonne").magnitude, "round / container") for k, m in masses.items()}
