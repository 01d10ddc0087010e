"""Check kinds: the recurring questions of a story like these, each a declared check
(:mod:`estimates.checks`) built from a claim and the inputs that answer it, so that a notebook states
its inputs and asks the question in a few lines.

- :func:`pace_check`: a count over a window, carried on at the same pace to another date;
- :func:`ratio_check`: a ratio claim ("twofold", "doubled", "three times", "half");
- :func:`period_check`: a period claim ("the roughly two-year period", "since mid-2022");
- :func:`lasting_check`: a stock or flow lasting a time ("enough for two months");
- :func:`rounds_check`: containers to rounds (the capacity model, a calibre, a reading of "round", and
  an official's own conversion as a route of the claimant's that cannot confirm);
- :func:`distance_check`: a distance between places or areas (a geodesic is a floor: no road is shorter);
- dates: :func:`estimates.calendar.date_check`, one claim each, the outcome "sources only show a later
  start" (unverified) named.

Each takes the claim (a register record) and inputs declared with :mod:`estimates.checks`; the claim's
band is read from its words (:func:`estimates.verdicts.claim_band`) unless ``bands`` gives its readings.

>>> from types import SimpleNamespace as S
>>> from estimates.checks import Assumption
>>> claim = S(id="twofold", value=2.0, low=None, high=None, unit="dimensionless", qualifier="ratio", bound="point",
...           stated=lambda: "ratio 2 dimensionless")
>>> check = ratio_check(claim, Assumption("now", 12_500, 13_500, "container", "the later count"),
...                     Assumption("before", 6_600, 6_800, "container", "the earlier count"), n=20_000)
>>> check.judge().verdict
'consistent'
"""
from __future__ import annotations

from typing import Mapping

from estimates import flows
from estimates.checks import Check, Choice, Derived, Route, Sourced, as_given
from estimates.verdicts import Band, claim_band


def _bands(claim, unit: str, bands: Mapping[str, Band] | None) -> dict[str, Band] | Band:
    return dict(bands) if bands else claim_band(claim, unit)


def ratio_check(claim, now, before, *, question: str = "", bands=None, seed: int = 0, n: int | None = None) -> Check:
    """Is ``now`` the claimed multiple of ``before`` (two inputs of one unit)? The claim's value is the
    factor ("twofold" is 2, "half" 0.5), read at the rounding it carries."""
    kw = {} if n is None else {"n": n}
    return Check(claim.id, question or f"Is it {claim.stated()} of what it was?", _bands(claim, "dimensionless", bands),
                 inputs=[now, before], seed=seed, **kw,
                 routes=[Route("the later figure over the earlier", flows.ratio, "now / before",
                               inputs={"now": now.name, "before": before.name})])


def period_check(claim, start, end, *, question: str = "", bands=None) -> Check:
    """Is the period from ``start`` to ``end`` (inputs whose readings are dates) what the claim says, in
    the claim's unit (a year, a month)? An exact check."""
    return Check(claim.id, question or f"Is the period {claim.stated()}?", _bands(claim, claim.unit, bands), exact=True,
                 inputs=[start, end, Derived("period", flows.period, "the days between the two dates",
                                             inputs={"start": start.name, "end": end.name})],
                 routes=[Route("the dates the sources give", as_given, "from the start to the end",
                               inputs={"value": "period"})])


def lasting_check(claim, stock, rate, *, question: str = "", bands=None, seed: int = 0, n: int | None = None,
                  extra_routes=(), extra_inputs=()) -> Check:
    """Does ``stock`` last the claimed time at ``rate`` (in the claim's unit, months by default)?"""
    kw = {} if n is None else {"n": n}
    return Check(claim.id, question or f"Does it last {claim.stated()}?", _bands(claim, claim.unit, bands),
                 inputs=[stock, rate, *extra_inputs], seed=seed, **kw,
                 routes=[Route("the stock at the rate", flows.lasts, "stock / rate",
                               inputs={"stock": stock.name, "rate": rate.name}), *extra_routes])


def pace_check(claim, count, window, span, *, question: str = "", bands=None, seed: int = 0,
               n: int | None = None) -> Check:
    """Does a ``count`` seen over ``window`` reach the claimed total when carried on at the same pace over
    ``span`` (both inputs whose readings are pairs of dates)?"""
    kw = {} if n is None else {"n": n}
    return Check(claim.id, question or f"At the pace the sources saw, is it {claim.stated()}?",
                 _bands(claim, claim.unit, bands), inputs=[count, window, span], seed=seed, **kw,
                 routes=[Route("the count at its pace", flows.carried_on, "count / window x span",
                               inputs={"count": count.name, "window": window.name, "span": span.name})])


def rounds_check(claim, sources, containers, calibre: str, *, official=None, question: str = "", bands=None,
                 seed: int = 0, n: int | None = None) -> Check:
    """Could ``containers`` hold the claimed rounds of ``calibre`` ("152 mm", "122 mm", "122 mm rocket")?
    The capacity model's inputs come from the package (:func:`estimates.capacity.declared_inputs`: the
    container's limits, the packing assumptions, the reading of "round"); ``official``, an input of rounds
    per container in an official's own conversion, adds a route of the claimant's side that cannot
    confirm (and, where it refutes, is a conflict)."""
    from estimates import capacity
    kw = {} if n is None else {"n": n}
    inputs = [*capacity.declared_inputs(sources, mix=False), containers,
              Choice("calibre", {calibre: calibre}, calibre, "the calibre the claim names"),
              Derived("per_container", capacity.of_calibre, f"{calibre} rounds per container",
                      inputs={"by_calibre": "by_calibre", "calibre": "calibre"})]
    routes = [Route("the capacity model", flows.rounds_in_containers, "containers x rounds per container",
                    inputs={"containers": containers.name})]
    if official is not None:
        inputs.append(official)
        routes.append(Route("the official's own conversion", flows.rounds_in_containers,
                            "containers x the official's rounds per container",
                            inputs={"containers": containers.name, "per_container": official.name}, claimant=True))
    return Check(claim.id, question or f"Could the containers hold {claim.stated()} of {calibre}?",
                 _bands(claim, "round", bands), inputs=inputs, routes=routes, seed=seed, **kw)


def distance_check(claim, places: Mapping[str, tuple], primary: str, *, sources=(), question: str = "",
                   bands=None) -> Check:
    """Is the distance what the claim says? ``places`` maps each reading of the place (a town, a site, an
    area) to the (shortest, longest) geodesic from the sources' positions: a floor, since no road is
    shorter, so a geodesic short of the band leaves the claim unverified. An exact check."""
    from estimates.checks import Floor
    readings = {label: Floor(span) for label, span in places.items()}
    return Check(claim.id, question or f"Is the distance {claim.stated()}?", _bands(claim, claim.unit, bands), exact=True,
                 inputs=[Sourced("place", tuple(sources), readings, primary, "which place the words mean")],
                 routes=[Route("the straight line (a geodesic)", as_given, "no road is shorter", inputs={"value": "place"})])

