"""Places: points and areas, and geodesic distances between them (WGS84, by geographiclib).

A place given as a point is a source record with latitude and longitude
(:meth:`estimates.sources.Source.position`). A place that is an *area* (a cosmodrome, a port
district) is a point with a sourced area around it; without a sourced outline it is modelled as
a disc of that area, so its nearest and farthest edges lie one radius either side of the point.
The disc is a stated assumption, not a fact.

>>> from estimates.units import Q_
>>> a = (Q_(50.25, "degree"), Q_(127.5333, "degree"))
>>> b = (Q_(51.884, "degree"), Q_(128.333, "degree"))
>>> f"{geodesic(a, b):.1f~P}"
'190.2 km'
>>> [f"{d:.1f~P}" for d in disc_edges(Q_(178, "km"), Q_(551.5, "km ** 2"))]
['164.8 km', '191.2 km']
"""
from __future__ import annotations

import math

import pint

from estimates.units import Q_

Position = tuple[pint.Quantity, pint.Quantity]


def geodesic(a: Position, b: Position) -> pint.Quantity:
    """The shortest distance over the WGS84 ellipsoid between two (latitude, longitude) positions,
    in km (geographiclib solves it to well under a millimetre)."""
    from geographiclib.geodesic import Geodesic
    (lat1, lon1), (lat2, lon2) = ((p[0].to("degree").magnitude, p[1].to("degree").magnitude) for p in (a, b))
    return Q_(Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"], "m").to("km")


def disc_radius(area: pint.Quantity) -> pint.Quantity:
    """The radius of a disc of ``area``: sqrt(area / pi), in km."""
    a = area.to("km ** 2").magnitude
    if not a > 0 or not math.isfinite(a):
        raise ValueError(f"an area must be positive and finite, got {area:~P}")
    return Q_(math.sqrt(a / math.pi), "km")


def disc_edges(distance_to_centre: pint.Quantity, area: pint.Quantity) -> tuple[pint.Quantity, pint.Quantity]:
    """(nearest, farthest) distance to a disc of ``area`` whose centre is ``distance_to_centre`` away."""
    r = disc_radius(area)
    d = distance_to_centre.to("km")
    return (max(d - r, Q_(0, "km")), d + r)


def span(froms, to: Position) -> tuple[pint.Quantity, pint.Quantity]:
    """The shortest and longest geodesic from any of the positions ``froms`` (one place as several
    sources put it) to ``to``, in km."""
    d = sorted(geodesic(a, to).to("km") for a in froms)
    if not d:
        raise ValueError("span needs at least one position to measure from")
    return d[0], d[-1]


def area_span(froms, centre: Position, areas) -> tuple[pint.Quantity, pint.Quantity]:
    """The nearest and farthest edge of a site modelled as a disc of each of its sourced ``areas``
    around ``centre``, from any of ``froms``, in km."""
    edges = [disc_edges(d, a) for d in span(froms, centre) for a in areas]
    return min(n for n, _ in edges).to("km"), max(f for _, f in edges).to("km")


def by_road(straight, detour) -> pint.Quantity:
    """A road's length: the straight line times a detour factor (no road is shorter than the line)."""
    return (straight * detour).to("km")
