"""Reference sources: the public figures the checks use, one cited record each, under the as-of rule.

Records live in ``sources/reference-figures.toml`` as ``[[sources]]``. A check of an article sees
only sources published on or before the article's date (:meth:`SourceBook.as_of`). A figure
published later may be marked as **hindsight** for a case (``hindsight_for``), saying which quantity
it measures (``measures``, an estimand of ``sources/estimands.toml``) and how it becomes that quantity
(``derive``, a pint expression of ``{value}`` and, with ``per``, of another record's ``{per}``), which
claims it speaks to as stated (``speaks_to``), and whether it only relays another record's figure
(``relays``, never scored twice); it never enters that case's as-of view (``hindsight = true`` keeps
a record out of every as-of view).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from estimates.claims import QUALIFIERS
from estimates.units import Q_, require_dimension, safe_expression, UnitError
from estimates.validate import Fields, RecordError, no_duplicate_ids, parse_toml, published_text, read_text, records

#: How exactly a publication date is known: on the day; within a month or a year (the record holds
#: the month's or the year's last day); or undated in the reference sheet, which holds only material
#: published on or before its cut-off (the record holds the cut-off).
DATE_PRECISIONS = ("day", "month", "year", "undated")
_FIELDS = {
    "id", "figure", "value", "low", "high", "unit", "qualifier", "period", "period_start", "period_end",
    "producer", "originator", "title", "published", "published_precision", "url", "read_at", "quote", "notes",
    "tags", "hindsight", "on", "latitude", "longitude", "hindsight_for", "speaks_to", "per", "derive",
    "measures", "relays",
}


class AsOfError(LookupError):
    """A source published after the article, asked for by a check of that article."""


@dataclass(frozen=True)
class Source:
    """One public figure with its citation."""

    id: str
    figure: str
    unit: str
    qualifier: str
    period: str
    producer: str
    originator: str
    title: str
    published: dt.date
    url: str
    quote: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    published_precision: str = "day"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    read_at: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    hindsight: bool = False
    on: dt.date | None = None
    latitude: str = ""
    longitude: str = ""
    hindsight_for: tuple[str, ...] = ()
    speaks_to: tuple[str, ...] = ()
    per: str = ""
    derive: str = ""
    measures: str = ""
    relays: str = ""
    path: str = ""

    def _where(self, field: str) -> str:
        return f"{self.path}, record {self.id!r}, field {field!r}"

    def sample(self, model, unit: str, spread: float | None = None, dist: str = "lognormal"):
        """Samples of this figure in ``unit`` from ``model`` (a :class:`estimates.uncertain.Model`).

        A range is read as a 90% interval, lognormal unless ``dist`` says otherwise (reference
        figures are rates, counts and masses: positive). A single figure needs ``spread``: it is
        read as the 90% interval from value / spread to value * spread. Errors name the file,
        record and field.
        """
        from estimates.uncertain import IntervalError
        lo, hi = self.in_unit(unit)
        if lo == hi:
            if spread is None:
                raise IntervalError(f"{self._where('value')}: a single figure needs a spread to be sampled "
                                    f"(give spread=, e.g. 1.3 for x/1.3 to x*1.3)")
            if not spread >= 1:
                raise IntervalError(f"{self._where('value')}: spread must be at least 1, got {spread!r}")
            lo, hi = lo / spread, hi * spread
        return model.between(lo, hi, unit, dist, where=self._where("low" if self.value is None else "value"))

    def position(self):
        """(latitude, longitude) as angle quantities in degrees, for a place record."""
        if not self.latitude:
            raise TypeError(f"source {self.id!r} is not a place (it has no latitude/longitude)")
        return Q_(self.latitude).to("degree"), Q_(self.longitude).to("degree")

    def quantity(self):
        """The figure as a quantity: the value, or the geometric middle of low and high."""
        if self.value is None and self.low is None:
            raise TypeError(f"source {self.id!r} states no number (it is an event or a place)")
        if self.value is not None:
            return Q_(self.value, self.unit)
        return Q_((self.low * self.high) ** 0.5 if self.low > 0 else (self.low + self.high) / 2, self.unit)

    def bounds(self):
        """(low, high) as quantities; a point figure gives (value, value)."""
        if self.value is None and self.low is None:
            raise TypeError(f"source {self.id!r} states no number (it is an event or a place)")
        if self.value is not None:
            return Q_(self.value, self.unit), Q_(self.value, self.unit)
        return Q_(self.low, self.unit), Q_(self.high, self.unit)

    def in_unit(self, unit: str):
        """(low, high) magnitudes in ``unit``, which must have this figure's dimension."""
        require_dimension(self.unit, unit, where=self._where("unit"))
        lo, hi = self.bounds()
        return lo.to(unit).magnitude, hi.to(unit).magnitude

    def citation(self) -> str:
        """Producer, title, date and URL (and where it was read, for a mirror)."""
        when = published_text(self.published, self.published_precision)
        read = f" (read at {self.read_at})" if self.read_at else ""
        return f"{self.producer}, {self.title}, {when}, {self.url}{read}"


def _source(path: Path, record: dict, index: int) -> Source:
    f = Fields(path, record, index, _FIELDS)
    sid = f.ident()
    value, low, high = f.range_or_value("number")
    f.positive("value", "low", "high")  # counts, rates, masses, lengths, areas: never zero or negative
    on = f.date("on", required=False)
    lat, lon = _angle(f, "latitude"), _angle(f, "longitude")
    if bool(lat) != bool(lon):
        f.fail("latitude" if not lat else "longitude", "a place needs both latitude and longitude")
    start, end = f.date("period_start", required=False), f.date("period_end", required=False)
    if value is None and low is None and on is None and not lat and not (start and end):
        f.fail("value", "a source needs value, or low and high, or on (an event date), or period_start and "
                        "period_end (a window of dates), or latitude and longitude")
    hindsight = record.get("hindsight", False)
    if not isinstance(hindsight, bool):
        f.fail("hindsight", f"must be true or false, got {hindsight!r}")
    if start and end and start > end:
        f.fail("period_start", f"period_start ({start}) is after period_end ({end})")
    return Source(
        id=sid, figure=f.text("figure"), unit=f.unit("unit"),
        qualifier=f.choice("qualifier", list(QUALIFIERS) + ["range"]), period=f.text("period"),
        producer=f.text("producer"), originator=f.text("originator"), title=f.text("title"), published=f.date("published"),
        url=f.text("url"), quote=f.text("quote"), value=value, low=low, high=high,
        published_precision=f.choice("published_precision", DATE_PRECISIONS, required=False, default="day"),
        period_start=start, period_end=end, read_at=f.text("read_at", required=False),
        notes=f.text("notes", required=False), tags=f.strings("tags"), hindsight=hindsight,
        on=on, latitude=lat, longitude=lon, hindsight_for=f.strings("hindsight_for"),
        speaks_to=_speaks_to(f), per=f.text("per", required=False), derive=_derive(f),
        measures=_hindsight_only(f, "measures"), relays=_hindsight_only(f, "relays"), path=str(path),
    )


def _speaks_to(f: Fields) -> tuple[str, ...]:
    """``speaks_to`` entries, "claim:<id>"; only with ``hindsight_for``."""
    items = f.strings("speaks_to")
    for item in items:
        kind, _, name = item.partition(":")
        if kind == "estimate":
            f.fail("speaks_to", f"{item!r}: a figure names the quantity it measures, not an estimate; write "
                                f"measures = \"<estimand>\" (sources/estimands.toml)")
        if kind != "claim" or not name:
            f.fail("speaks_to", f"{item!r} is not 'claim:<id>'")
    if items and not f.record.get("hindsight_for"):
        f.fail("speaks_to", "only a hindsight figure speaks to a claim: give hindsight_for too")
    return items


#: What a ``derive`` expression may hold: the placeholders, numbers, unit names, * / + - and brackets.
_DERIVE = re.compile(r"^(?:\{value\}|\{per\}|[0-9.]+|[A-Za-z_]+|[*/+\-() ]|\s)+$")


def _derive(f: Fields) -> str:
    """A ``derive`` expression, checked when loaded: ``{value}`` in it, ``{per}`` only with ``per`` (and
    ``per`` only with ``{per}``), nothing but numbers, unit names, * / + - and brackets (no power, no
    call), and evaluable by pint with the record's own figure in it."""
    text = f.text("derive", required=False)
    per = f.record.get("per")
    if per and "{per}" not in (text or ""):
        f.fail("per", "per names a record the derive expression must use as {per}")
    if not text:
        return text
    if "{value}" not in text:
        f.fail("derive", f"{text!r} does not use the figure ({{value}})")
    if "{per}" in text and not per:
        f.fail("derive", f"{text!r} uses {{per}}: name the record in per")
    if not _DERIVE.match(text):
        f.fail("derive", f"{text!r} may hold only {{value}}, {{per}}, numbers, unit names, * / + - and brackets")
    try:
        safe_expression(text)
        Q_(text.replace("{value}", "(1 dimensionless)").replace("{per}", "(1 dimensionless)"))
    except ValueError as exc:
        f.fail("derive", str(exc))
    except Exception as exc:  # pint raises several kinds for an expression it cannot read
        f.fail("derive", f"{text!r} is not an expression pint can evaluate ({exc})")
    return text


def _hindsight_only(f: Fields, field: str) -> str:
    """``measures`` or ``relays``: an id, only on a hindsight figure."""
    value = f.text(field, required=False)
    if value and not f.record.get("hindsight_for"):
        f.fail(field, f"only a hindsight figure {field} anything: give hindsight_for too")
    return value


def _angle(f: Fields, field: str) -> str:
    """A pint expression for an angle, such as "51 degree + 45 arcminute + 37 arcsecond"."""
    text = f.text(field, required=False)
    if text:
        try:
            safe_expression(text)
        except ValueError as exc:
            f.fail(field, str(exc))
        try:
            q = Q_(text)
            ok = q.check("[]") and abs(q.to("degree").magnitude) <= 180
        except Exception:  # pint raises several kinds for a bad expression
            ok = False
        if not ok:
            f.fail(field, f"{text!r} is not an angle; write it as \"51 degree + 45 arcminute + 37 arcsecond\"")
    return text


class SourceBook:
    """The reference sources of a file, seen as of a date.

    ``book[id]`` returns a source or raises :class:`AsOfError` when it was published after the
    as-of date; :meth:`tagged` lists the visible sources with a tag, in file order.
    """

    def __init__(self, path: Path, sources: tuple[Source, ...], as_of: dt.date | None = None, case: str = ""):
        self.path, self.all, self.as_of_date, self.case = Path(path), sources, as_of, case

    def as_of(self, date: dt.date, case: str = "") -> "SourceBook":
        """The same sources, as a check of an article dated ``date`` (of case ``case``) may see them."""
        return SourceBook(self.path, self.all, date, case)

    def _visible(self, s: Source) -> bool:
        return self.as_of_date is None or (s.published <= self.as_of_date and not s.hindsight
                                           and self.case not in s.hindsight_for)

    def hindsight(self, case: str) -> list["Source"]:
        """The figures marked as hindsight for ``case``, in file order (never part of its as-of view)."""
        return [s for s in self.all if case in s.hindsight_for]

    def __getitem__(self, source_id: str) -> Source:
        for s in self.all:
            if s.id == source_id:
                if not self._visible(s):
                    why = ("marked hindsight" if s.hindsight or self.case in s.hindsight_for
                           else f"published {s.published}")
                    raise AsOfError(
                        f"{self.path}, record {source_id!r}, field 'published': {why}, after the "
                        f"article's date {self.as_of_date}; an as-of check may use only sources "
                        f"published on or before it (put later figures in a labelled hindsight section)")
                return s
        raise KeyError(f"{self.path}: no source {source_id!r}")

    def __iter__(self):
        return (s for s in self.all if self._visible(s))

    def __len__(self):
        return sum(1 for _ in self)

    def tagged(self, tag: str) -> list[Source]:
        return [s for s in self if tag in s.tags]


def originator_weights(sources) -> list[float]:
    """Mixture weights that count originators, not records: each originator's records share one
    unit of weight equally, so two reports of one ministry's figures weigh what one does.

    >>> from types import SimpleNamespace as S
    >>> originator_weights([S(originator="A"), S(originator="A"), S(originator="B")])
    [0.5, 0.5, 1.0]
    """
    items = list(sources)
    counts: dict[str, int] = {}
    for s in items:
        counts[s.originator] = counts.get(s.originator, 0) + 1
    return [1 / counts[s.originator] for s in items]


#: How a fire-rate figure is used, by its tags (the first that applies): a range spanning two years is
#: context, an outlier a what-if, a figure of the modelled year in the model, an annual total the
#: second route, anything else (the earlier year) context.
RATE_ROLES = (("ru-span-2022-2023", "spans 2022 and 2023: context"), ("outlier", "2023, outlier (what-if only)"),
              ("ru-2023", "2023: in the model"), ("ru-annual-projection", "annual total: second route"),
              ("ru-annual-total", "annual total: second route"))


def rate_role(source) -> str:
    """How a fire-rate figure is used (:data:`RATE_ROLES`).

    >>> from types import SimpleNamespace as S
    >>> rate_role(S(tags=("ru-fire-rate", "ru-2023"))), rate_role(S(tags=("ru-fire-rate",)))
    ('2023: in the model', '2022: context')
    """
    return next((role for tag, role in RATE_ROLES if tag in source.tags), "2022: context")


def mixture_of(figures, point_spread, unit: str, draws):
    """Samples of "one of these figures is right": each figure a component (a range read as a 90%
    interval, lognormal; a single figure as the interval from value / ``point_spread`` to value x
    ``point_spread``), chosen with :func:`originator_weights`. ``draws(kind)`` gives the seeded
    standard draws ("normal" for the value, "uniform" for the choice of component) of the input this
    mixture is; ``point_spread`` may be one number or a sample array.

    >>> from types import SimpleNamespace as S
    >>> import numpy as np
    >>> figs = [S(originator="A", in_unit=lambda u: (10.0, 10.0)), S(originator="B", in_unit=lambda u: (100.0, 200.0))]
    >>> rng = np.random.default_rng(1); d = {"normal": rng.standard_normal(4000), "uniform": rng.random(4000)}
    >>> q = mixture_of(figs, 1.3, "kg", d.__getitem__)
    >>> round(float(np.mean(q.magnitude < 50)), 1), f"{q.units}"
    (0.5, 'kilogram')
    """
    from estimates.uncertain import Z90
    figures = list(figures)
    if not figures:
        raise ValueError("a mixture needs at least one figure")
    z, u = draws("normal"), draws("uniform")
    spread = np.log(np.asarray(point_spread.magnitude if hasattr(point_spread, "magnitude") else point_spread, dtype=float))
    weights = np.asarray(originator_weights(figures), dtype=float)
    pick = np.minimum(np.searchsorted(np.cumsum(weights) / weights.sum(), u, side="right"), len(figures) - 1)
    out = np.empty_like(z)
    for k, f in enumerate(figures):
        lo, hi = f.in_unit(unit)
        mu, sigma = (np.log(lo), spread / Z90) if lo == hi else ((np.log(lo) + np.log(hi)) / 2, (np.log(hi) - np.log(lo)) / (2 * Z90))
        sel = pick == k
        out[sel] = np.exp(mu + np.broadcast_to(sigma, z.shape)[sel] * z[sel])
    return Q_(out, unit)


def load_sources(path: Path) -> SourceBook:
    """Load and validate a reference-figures file (all records; call :meth:`SourceBook.as_of`). The
    file is read every time and parsed once per content: the report loads it once per case."""
    path = Path(path)
    return _parse_sources(path, read_text(path))


@functools.lru_cache(maxsize=4)
def _parse_sources(path: Path, text: str) -> SourceBook:
    data = parse_toml(path, text)
    unknown = sorted(set(data) - {"sources"})
    if unknown:
        raise RecordError(path, None, unknown[0], "unknown top-level table; valid: [[sources]]")
    items = tuple(_source(path, r, i) for i, r in enumerate(records(path, data, "sources")))
    no_duplicate_ids(path, [s.id for s in items])
    ids = {s.id for s in items}
    for s in items:  # a record named by per or relays must be there, and not be the record itself
        for field in ("per", "relays"):
            other = getattr(s, field)
            if other and (other not in ids or other == s.id):
                raise RecordError(path, s.id, field, f"no other record {other!r} in this file")
    return SourceBook(path, items)


__all__ = ["AsOfError", "Source", "SourceBook", "load_sources", "originator_weights", "UnitError", "RecordError"]
