"""The claims register: every quantitative statement of an article, as validated records.

A register is a TOML file beside the seed (``seeds/<case>.claims.toml``) with an ``[article]``
table and an array of ``[[claims]]``. A claim describes what the article says (its verbatim
quote, number, unit, qualifier, claimant, date and period); it never holds a verdict.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from estimates.validate import Fields, RecordError, load_toml, no_duplicate_ids, read_text, records

#: How each qualifier bounds the true value: a lower bound, an upper bound, or a point reading.
QUALIFIERS = {
    "exactly": "point", "about": "point", "around": "point", "on": "point", "in": "point",
    "more than": "lower", "over": "lower", "at least": "lower", "since": "lower",
    "fewer than": "upper", "at most": "upper", "up to": "upper", "before": "upper",
}
KINDS = ("quantity", "date")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CLAIM_FIELDS = {
    "id", "kind", "quote", "unit", "value", "low", "high", "qualifier", "claimant", "reported_by",
    "made_on", "period", "period_start", "period_end", "weekday", "relative", "check", "notes",
}
_ARTICLE_FIELDS = {"title", "outlet", "agency", "published", "dateline", "seed"}


@dataclass(frozen=True)
class Article:
    """The article a register belongs to."""

    title: str
    outlet: str
    agency: str
    published: dt.date
    dateline: str
    seed: str


@dataclass(frozen=True)
class Claim:
    """One statement of the article, as the article makes it."""

    id: str
    kind: str
    quote: str
    unit: str
    qualifier: str
    claimant: str
    made_on: dt.date
    period: str
    check: str
    value: float | dt.date | None = None
    low: float | dt.date | None = None
    high: float | dt.date | None = None
    reported_by: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    weekday: str = ""
    relative: str = ""
    notes: str = ""
    path: str = ""

    @property
    def bound(self) -> str:
        """'lower', 'upper' or 'point': how the qualifier bounds the true value."""
        return QUALIFIERS[self.qualifier]

    def quantity(self):
        """The claimed number with its unit (the value, or the middle of low and high)."""
        from estimates.units import Q_
        if self.kind != "quantity":
            raise TypeError(f"claim {self.id!r} is a {self.kind} claim, not a quantity")
        if self.value is not None:
            return Q_(self.value, self.unit)
        if self.low is not None:
            return Q_((self.low + self.high) / 2, self.unit)
        raise ValueError(f"claim {self.id!r} states no number")

    def quantity_in(self, unit: str):
        """The claimed number converted to ``unit``; a unit of another dimension is an error that
        names the register, the claim and the field (a check asking a claim for the wrong thing)."""
        from estimates.units import require_dimension
        require_dimension(self.unit, unit, where=f"{self.path}, record {self.id!r}, field 'unit'")
        return self.quantity().to(unit)

    def stated(self) -> str:
        """The claim's number as the article states it, with qualifier and unit, for tables."""
        if self.value is not None:
            v = f"{self.value:,.10g}" if isinstance(self.value, float) else str(self.value)
        elif self.low is not None:
            lo, hi = ((f"{x:,.10g}" if isinstance(x, float) else str(x)) for x in (self.low, self.high))
            v = f"{lo} to {hi}"
        else:
            v = self.relative
        unit = f" {self.unit}" if self.kind == "quantity" else ""
        return f"{self.qualifier} {v}{unit}".strip()


@dataclass(frozen=True)
class Register:
    """A validated claims register with the article it describes."""

    path: Path
    article: Article
    claims: tuple[Claim, ...] = field(default_factory=tuple)

    def __getitem__(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise KeyError(f"{self.path}: no claim {claim_id!r}; the register has {', '.join(c.id for c in self.claims)}")

    def ids(self) -> list[str]:
        return [c.id for c in self.claims]


def _straighten(text: str) -> str:
    return text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))


def _article(path: Path, data: dict, seed_text: str) -> Article:
    table = data.get("article")
    if not isinstance(table, dict):
        raise RecordError(path, None, "article", "missing [article] table (title, outlet, agency, published, dateline, seed)")
    f = Fields(path, {**table, "id": "article"}, 0, _ARTICLE_FIELDS | {"id"})
    title = f.text("title")
    if title not in seed_text:
        f.fail("title", "the title is not found verbatim in the seed text")
    return Article(title, f.text("outlet"), f.text("agency"), f.date("published"), f.text("dateline"), f.text("seed"))


def _claim(path: Path, record: dict, index: int, seed_text: str) -> Claim:
    f = Fields(path, record, index, _CLAIM_FIELDS)
    cid = f.ident()
    kind = f.choice("kind", KINDS)
    quote = f.text("quote")
    if quote not in seed_text:
        hint = ""
        if _straighten(quote) in _straighten(seed_text):
            hint = (" (it matches only if straight and curly quotes are taken as the same: copy the"
                    " quote from the seed character for character)")
        f.fail("quote", f"not found verbatim in the seed text{hint}")
    unit = f.unit("unit")
    value, low, high = f.range_or_value("number" if kind == "quantity" else "date")
    relative = f.text("relative", required=False)
    if value is None and low is None and not relative:
        f.fail("value", "a claim needs value, or low and high (or, for a relative date, relative)")
    weekday = f.choice("weekday", WEEKDAYS, required=False)
    if weekday and kind != "date":
        f.fail("weekday", "only a date claim can name a weekday")
    start, end = f.date("period_start", required=False), f.date("period_end", required=False)
    if start and end and start > end:
        f.fail("period_start", f"period_start ({start}) is after period_end ({end})")
    return Claim(
        id=cid, kind=kind, quote=quote, unit=unit, qualifier=f.choice("qualifier", list(QUALIFIERS)),
        claimant=f.text("claimant"), made_on=f.date("made_on"), period=f.text("period"),
        check=f.text("check"), value=value, low=low, high=high,
        reported_by=f.text("reported_by", required=False), period_start=start, period_end=end,
        weekday=weekday, relative=relative, notes=f.text("notes", required=False), path=str(path),
    )


def load_register(path: Path, seed_path: Path) -> Register:
    """Load and validate a claims register against its seed (every quote verbatim in the seed)."""
    path, seed_path = Path(path), Path(seed_path)
    seed_text = read_text(seed_path)
    data = load_toml(path)
    unknown = sorted(set(data) - {"article", "claims"})
    if unknown:
        raise RecordError(path, None, unknown[0], "unknown top-level table; valid: [article], [[claims]]")
    article = _article(path, data, seed_text)
    claims = [_claim(path, r, i, seed_text) for i, r in enumerate(records(path, data, "claims"))]
    no_duplicate_ids(path, [c.id for c in claims])
    return Register(path, article, tuple(claims))
