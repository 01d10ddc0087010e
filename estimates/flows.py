"""Flows over time: a count seen in one window carried on at the same pace over another, and the
rounds a flow of containers or ship trips carries. Each function is a route or a derived input of a
declared check (:mod:`estimates.checks`): pure, vectorised, its dimensions checked by pint.

A window is a pair of dates (start, end); its length is the days between them.

>>> import datetime as dt
>>> from estimates.units import Q_
>>> sep, nov = (dt.date(2023, 9, 7), dt.date(2023, 10, 1)), (dt.date(2023, 9, 7), dt.date(2023, 11, 1))
>>> f"{carried_on(Q_(1000, 'container'), sep, nov):,.0f~P}"
'2,292 ctr'
"""
from __future__ import annotations

import datetime as dt

import pint

from estimates.units import Q_, ureg

Window = tuple[dt.date, dt.date]


def days(window: Window) -> pint.Quantity:
    """The length of a window in days; a window must not end before it starts.

    >>> f"{days((dt.date(2023, 8, 1), dt.date(2023, 11, 1))):~P}"
    '92 d'
    """
    start, end = window
    if end < start:
        raise ValueError(f"a window ends on or after its start, got {start} to {end}")
    return Q_((end - start).days, "day")


def carried_on(count: pint.Quantity, window: Window, span: Window) -> pint.Quantity:
    """``count``, seen over ``window``, carried on at the same pace over ``span``."""
    if days(window).magnitude == 0:
        raise ValueError(f"a pace needs a window of at least a day, got {window[0]} to {window[1]}")
    return (count / days(window) * days(span)).to(count.units)


@ureg.check("[freight_container]", None, None, None, "[munition] / [freight_container]")
def rounds_at_container_pace(count, window: Window, span: Window, munitions_share, per_container) -> pint.Quantity:
    """Rounds that containers shipped at the pace of ``count`` in ``window`` carry over ``span``, when a
    ``munitions_share`` of them holds rounds at ``per_container``."""
    return (carried_on(count, window, span) * munitions_share * per_container).to("round")


@ureg.check("[shipment]", "[freight_container] / [shipment]", None, "[munition] / [freight_container]")
def rounds_in_transfers(transfers, containers_per_transfer, munitions_share, per_container) -> pint.Quantity:
    """Rounds that ``transfers`` of ``containers_per_transfer`` carry."""
    return (transfers * containers_per_transfer * munitions_share * per_container).to("round")


def transfers_by_trips(trips, trips_window: Window, span: Window, transfer_per_trip) -> pint.Quantity:
    """Transfers made over ``span`` by ship round trips counted over ``trips_window``, at their pace."""
    return (carried_on(trips, trips_window, span) * transfer_per_trip).to("transfer")


def rounds_by_trips(trips, trips_window: Window, span: Window, transfer_per_trip, containers_per_transfer,
                    munitions_share, per_container) -> pint.Quantity:
    """Rounds that ship round trips, at their counted pace over ``span``, carry in batches of
    ``containers_per_transfer``."""
    transfers = transfers_by_trips(trips, trips_window, span, transfer_per_trip)
    return rounds_in_transfers(transfers, containers_per_transfer, munitions_share, per_container)


def containers_by_trips(trips, window_share, transfer_per_trip, containers_per_transfer) -> pint.Quantity:
    """Containers that the counted round trips falling in a window (``window_share`` of them) carry."""
    return (trips * window_share * transfer_per_trip * containers_per_transfer).to("container")
