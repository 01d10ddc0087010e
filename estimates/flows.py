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
    '92 day'
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


def carried_on_at_factor(count, window: Window, span: Window, pace_factor) -> pint.Quantity:
    """``count``, seen over ``window``, carried on over the rest of ``span`` (which holds the window) at
    ``pace_factor`` times the window's pace."""
    rest = days(span) - days(window)
    if rest.magnitude < 0:
        raise ValueError(f"the span {span[0]} to {span[1]} must hold the window {window[0]} to {window[1]}")
    return (count / days(window) * (days(window) + rest * pace_factor)).to(count.units)


@ureg.check("[freight_container]", "[munition] / [freight_container]")
def rounds_in_containers(containers, per_container) -> pint.Quantity:
    """The rounds ``containers`` hold at ``per_container``."""
    return (containers * per_container).to("round")


@ureg.check("[freight_container]", "[munition]", "[freight_container]")
def scaled_conversion(containers, rounds, per) -> pint.Quantity:
    """An official's conversion (``rounds`` in ``per`` containers) scaled to ``containers``."""
    return (containers * rounds / per).to("round")


def carried_on_from(count, start: dt.date, seen_to: dt.date, until: dt.date) -> pint.Quantity:
    """A running total ``count`` counted from ``start`` to ``seen_to``, carried on at its own pace to ``until``."""
    return carried_on(count, (start, seen_to), (start, until))


def lasts(stock, rate) -> pint.Quantity:
    """How long a ``stock`` lasts at ``rate``, in months (pint's month: a twelfth of a Julian year,
    30.4375 days).

    >>> f"{lasts(Q_(1_000_000, 'round'), Q_(16_427, 'round / day')):.2f~P}"
    '2.00 month'
    """
    return (stock / rate).to("month")


def lasts_at_season(stock, annual_rate, season_factor) -> pint.Quantity:
    """How long a ``stock`` lasts at a season's pace: a year's average rate times ``season_factor``."""
    return lasts(stock, annual_rate * season_factor)


def fire_rate(figures, point_spread, draws) -> pint.Quantity:
    """A fire rate in rounds per day as "one of these figures is right", each originator weighing the
    same (:func:`estimates.sources.mixture_of`); a derived input that draws its own samples."""
    from estimates.sources import mixture_of
    return mixture_of(figures, point_spread, "round / day", draws)


def ratio(now, before) -> pint.Quantity:
    """How many times ``before`` ``now`` is (the two in one dimension): a claim of "twofold" is 2.

    >>> f"{ratio(Q_(13_000, 'container'), Q_(6_700, 'container')):.2f~P}"
    '1.94'
    """
    return (now / before).to("dimensionless")


def period(start: dt.date, end: dt.date) -> pint.Quantity:
    """The period from ``start`` to ``end``, in days (to be read in any time unit).

    >>> f"{period(dt.date(2022, 2, 24), dt.date(2024, 7, 1)).to('year'):.2f~P}"
    '2.35 year'
    """
    return days((start, end))
