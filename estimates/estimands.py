"""Estimands: the quantity each named estimate estimates, so a later figure scores only its like.

A frozen estimate is a distribution of *some* quantity: the physical capacity of a container in
complete rounds is not an official's conversion of containers to rounds, though both are "rounds per
container". ``sources/estimands.toml`` declares each quantity once (``[[estimands]]``):

- ``id``, ``quantity`` (what is measured, in words) and ``unit``;
- ``estimates``: the names of the estimates, in any case, that estimate it;
- ``claims``: what the article's own claim says of it, taken as a forecast (the claim's band):
  ``"estimate:<name>"`` (an estimate that restates the claim) or ``"claim:<id>"`` (its frozen band);
- ``naive``: a stated naive reference, an as-of record (``naive_derive`` turns it into the quantity)
  taken within a factor of two either way, with ``naive_why``;
- ``from_estimand`` and ``derive``: a quantity computed from another, so every figure of that one
  also speaks to this one (months a stock lasts, from a daily fire rate).

A later figure names the estimand it measures (``measures`` in its source record). An estimate with no
entry is its own estimand, named by its description (:func:`for_estimate` says so).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from estimates import paths
from estimates.validate import Fields, RecordError, load_toml, no_duplicate_ids, records

_FIELDS = {"id", "quantity", "unit", "estimates", "claims", "naive", "naive_derive", "naive_why",
           "from_estimand", "derive", "notes"}
REFERENCE_KINDS = ("estimate", "claim")


@dataclass(frozen=True)
class Estimand:
    """One quantity later figures can measure."""
    id: str
    quantity: str
    unit: str
    estimates: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    naive: str = ""
    naive_derive: str = ""
    naive_why: str = ""
    from_estimand: str = ""
    derive: str = ""
    notes: str = ""
    declared: bool = True  # False: an estimate's own, named only by its description


def path() -> Path:
    """The registry, ``sources/estimands.toml`` (``ESTIMATE_CHECKER_ESTIMANDS`` may name another)."""
    import os
    return Path(os.environ.get("ESTIMATE_CHECKER_ESTIMANDS", paths.SOURCES / "estimands.toml"))


def load(file: Path | None = None) -> dict[str, Estimand]:
    """Every declared estimand by id; a bad field, an unknown reference or one estimate claimed by two
    estimands is a :class:`RecordError` that names the file, the record and the field."""
    file = Path(file or path())
    return _load(file, file.read_bytes() if file.is_file() else b"")


@functools.lru_cache(maxsize=8)
def _load(file: Path, content: bytes) -> dict[str, Estimand]:
    data = load_toml(file)
    out: dict[str, Estimand] = {}
    owner: dict[str, str] = {}
    items = records(file, data, "estimands")
    no_duplicate_ids(file, [r.get("id") for r in items])
    for i, r in enumerate(items):
        f = Fields(file, r, i, _FIELDS)
        unit = f.unit("unit")
        claims = f.strings("claims")
        for c in claims:
            kind, _, name = c.partition(":")
            if kind not in REFERENCE_KINDS or not name:
                f.fail("claims", f"{c!r} is not 'estimate:<name>' or 'claim:<id>'")
        e = Estimand(id=f.ident(), quantity=f.text("quantity"), unit=unit, estimates=f.strings("estimates"),
                     claims=claims, naive=f.text("naive", required=False),
                     naive_derive=f.text("naive_derive", required=False),
                     naive_why=f.text("naive_why", required=bool(r.get("naive"))),
                     from_estimand=f.text("from_estimand", required=False),
                     derive=f.text("derive", required=bool(r.get("from_estimand"))), notes=f.text("notes", required=False))
        for name in e.estimates:
            if name in owner:
                f.fail("estimates", f"estimate {name!r} is already the estimand {owner[name]!r}'s: an estimate "
                                    f"estimates one quantity")
            owner[name] = e.id
        out[e.id] = e
    for e in out.values():
        if e.from_estimand and e.from_estimand not in out:
            raise RecordError(file, e.id, "from_estimand", f"no estimand {e.from_estimand!r} in this file")
    return out


def for_estimate(name: str, description: str = "", unit: str = "", registry: dict[str, Estimand] | None = None) -> Estimand:
    """The estimand of the estimate ``name``: its declared one, or its own (``declared`` False), named
    ``own:<name>`` and described by the estimate's description."""
    registry = load() if registry is None else registry
    for e in registry.values():
        if name in e.estimates:
            return e
    return Estimand(id=f"own:{name}", quantity=description or name, unit=unit, estimates=(name,), declared=False)


def get(estimand_id: str, registry: dict[str, Estimand] | None = None) -> Estimand:
    """A declared estimand, or a :class:`KeyError` that lists the ids there are."""
    registry = load() if registry is None else registry
    if estimand_id not in registry:
        raise KeyError(f"no estimand {estimand_id!r} in {path()}; declared: {', '.join(sorted(registry))}")
    return registry[estimand_id]

