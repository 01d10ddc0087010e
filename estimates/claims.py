"""The claims register: every quantitative statement of an article, as validated records.

A register is a TOML file beside the seed (``seeds/<case>.claims.toml``) with an ``[article]``
table and an array of ``[[claims]]``. A claim describes what the article says (its verbatim
quote, number, unit, qualifier, claimant, date and period); it never holds a verdict. It names
the notebook that checks it (``check``), or says why it is deliberately not checked
(``not_checked``).

A seed may be a whole article or a set of attributed **excerpts** (``[[excerpts]]``: each block
of the seed starts with its marker, such as ``[1]``, and has its own outlet, headline, date and
address); then every claim names its excerpt and its quote must be found in that block. Claims
that word one statement differently in different outlets point at each other (``variant_of``).
A register may declare counted units it needs (``[units]``, in pint's grammar) and list numbers
of the seed that are not claims, with the reason (``[[not_claims]]``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from estimates.units import number_text
from estimates.validate import Fields, RecordError, load_toml, no_duplicate_ids, published_text, read_text, records

#: How each qualifier bounds the true value: a lower bound, an upper bound, or a point reading
#: (a point qualifier other than "exactly" reads as the rounding its digits carry; "nearly" and
#: "almost" as just below the figure). The README lists them; a register may use no other.
QUALIFIERS = {
    "exactly": "point", "about": "point", "around": "point", "approximately": "point", "roughly": "point",
    "some": "point", "close to": "point", "nearly": "point", "almost": "point", "on": "point", "in": "point",
    "ratio": "point",  # a ratio word ("twofold", "doubled", "half") names its factor: read as "about" it
    "more than": "lower", "over": "lower", "at least": "lower", "since": "lower", "upwards of": "lower",
    "fewer than": "upper", "less than": "upper", "under": "upper", "at most": "upper", "up to": "upper",
    "as many as": "upper", "no more than": "upper", "before": "upper",
}
#: Point qualifiers that put the figure at the top of its band: "nearly 30" is a little under 30.
JUST_BELOW = ("nearly", "almost")
KINDS = ("quantity", "date")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CLAIM_FIELDS = {
    "id", "kind", "quote", "unit", "value", "low", "high", "qualifier", "claimant", "reported_by",
    "made_on", "period", "period_start", "period_end", "weekday", "relative", "check", "not_checked",
    "excerpt", "variant_of", "notes", "claimant_person",
}
_ARTICLE_FIELDS = {"title", "outlet", "agency", "published", "dateline", "seed", "kind", "url"}
_EXCERPT_FIELDS = {"id", "marker", "outlet", "relays", "headline", "published", "published_precision", "url"}
ARTICLE_KINDS = ("article", "excerpts")


@dataclass(frozen=True)
class Article:
    """The article (or set of excerpts) a register belongs to."""

    title: str
    outlet: str
    agency: str
    published: dt.date
    dateline: str
    seed: str
    kind: str = "article"
    url: str = ""  # where the article was read (http(s)); a set of excerpts has one per excerpt

    def line(self) -> str:
        """Who published it, in words built from the fields the register has."""
        who = f"{self.agency}, as run by {self.outlet}" if self.agency else self.outlet
        where = f" ({self.dateline})" if self.dateline else ""
        return f"{who}, {self.published}{where}"


@dataclass(frozen=True)
class Excerpt:
    """One attributed excerpt of a seed: its block of text starts with ``marker``."""

    id: str
    marker: str
    outlet: str
    headline: str
    published: dt.date
    url: str
    relays: str = ""
    published_precision: str = "day"
    text: str = ""

    def citation(self) -> str:
        via = f", relaying {self.relays}" if self.relays else ""
        return (f"{self.outlet}{via}, \u201c{self.headline}\u201d, "
                f"{published_text(self.published, self.published_precision)}, {self.url}")


@dataclass(frozen=True)
class NotClaim:
    """A number of the seed that is not a claim, and why (the coverage check reads these)."""

    text: str
    reason: str


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
    not_checked: str = ""
    excerpt: str = ""
    variant_of: str = ""
    claimant_person: str = ""  # the claimant's name when the claimant is a person (the rest: an organisation)
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
            v = number_text(self.value) if isinstance(self.value, float) else str(self.value)
        elif self.low is not None:
            lo, hi = ((number_text(x) if isinstance(x, float) else str(x)) for x in (self.low, self.high))
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
    excerpts: tuple[Excerpt, ...] = ()
    not_claims: tuple[NotClaim, ...] = ()
    units: tuple[tuple[str, str], ...] = ()

    def excerpt(self, excerpt_id: str) -> Excerpt:
        for e in self.excerpts:
            if e.id == excerpt_id:
                return e
        raise KeyError(f"{self.path}: no excerpt {excerpt_id!r}")

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
    return Article(title, f.text("outlet"), f.text("agency", required=False), f.date("published"),
                   f.text("dateline", required=False), f.text("seed"),
                   f.choice("kind", ARTICLE_KINDS, required=False, default="article"), f.url("url", required=False))


def _excerpts(path: Path, data: dict, seed_text: str) -> tuple[Excerpt, ...]:
    """The excerpts of the register, each with its block of the seed (from its marker to the next)."""
    if "excerpts" not in data:
        return ()
    found = []
    for i, r in enumerate(records(path, data, "excerpts")):
        f = Fields(path, r, i, _EXCERPT_FIELDS)
        marker = f.text("marker")
        at = seed_text.find(marker)
        if at < 0 or seed_text.count(marker) != 1:
            f.fail("marker", f"{marker!r} must appear exactly once in the seed, at the start of its excerpt")
        found.append((at, Excerpt(f.ident(), marker, f.text("outlet"), f.text("headline"), f.date("published"),
                                  f.url("url"), f.text("relays", required=False),
                                  f.choice("published_precision", ("day", "month", "year"), required=False,
                                           default="day"))))
    no_duplicate_ids(path, [e.id for _, e in found])
    found.sort(key=lambda x: x[0])
    ends = [at for at, _ in found[1:]] + [len(seed_text)]
    out = []
    for (at, e), end in zip(found, ends):
        text = seed_text[at:end]
        if e.headline not in text:
            raise RecordError(path, e.id, "headline", "the headline is not found verbatim in its excerpt")
        out.append(Excerpt(**{**e.__dict__, "text": text}))
    return tuple(out)


def _units(path: Path, data: dict) -> tuple[tuple[str, str], ...]:
    """The counted units a register declares (``[units]``: name = definition in pint's grammar),
    defined in the project's registry; a name the registry already knows must mean the same."""
    from estimates.units import declare_unit
    table = data.get("units", {})
    if not isinstance(table, dict):
        raise RecordError(path, None, "units", "must be a table: name = \"definition\" (pint's grammar)")
    for name, definition in table.items():
        if not isinstance(definition, str) or not definition.strip():
            raise RecordError(path, "units", name, f"must be a definition in pint's grammar, got {definition!r}")
        try:
            declare_unit(name, definition)
        except ValueError as exc:
            raise RecordError(path, "units", name, str(exc)) from None
    return tuple(table.items())


def _claim(path: Path, record: dict, index: int, seed_text: str, excerpts: tuple[Excerpt, ...] = ()) -> Claim:
    f = Fields(path, record, index, _CLAIM_FIELDS)
    cid = f.ident()
    kind = f.choice("kind", KINDS)
    quote = f.text("quote")
    excerpt = f.text("excerpt", required=False)
    where, within = "the seed text", seed_text
    if excerpts:
        if not excerpt:
            f.fail("excerpt", f"the seed is a set of excerpts: name the one the quote is from "
                              f"({', '.join(e.id for e in excerpts)})")
        match = [e for e in excerpts if e.id == excerpt]
        if not match:
            f.fail("excerpt", f"no excerpt {excerpt!r}; valid: {', '.join(e.id for e in excerpts)}")
        where, within = f"excerpt {excerpt!r}", match[0].text
    elif excerpt:
        f.fail("excerpt", "the register has no [[excerpts]]")
    if quote not in within:
        hint = ""
        if _straighten(quote) in _straighten(within):
            hint = (" (it matches only if straight and curly quotes are taken as the same: copy the"
                    " quote from the seed character for character)")
        f.fail("quote", f"not found verbatim in {where}{hint}")
    unit = f.unit("unit")
    value, low, high = f.range_or_value("number" if kind == "quantity" else "date")
    if kind == "quantity":
        f.positive("value", "low", "high")  # a claimed count, rate, mass or distance
    relative = f.text("relative", required=False)
    if value is None and low is None and not relative:
        f.fail("value", "a claim needs value, or low and high (or, for a relative date, relative)")
    weekday = f.choice("weekday", WEEKDAYS, required=False)
    if weekday and kind != "date":
        f.fail("weekday", "only a date claim can name a weekday")
    start, end = f.date("period_start", required=False), f.date("period_end", required=False)
    if start and end and start > end:
        f.fail("period_start", f"period_start ({start}) is after period_end ({end})")
    check, not_checked = f.text("check", required=False), f.text("not_checked", required=False)
    if bool(check) == bool(not_checked):
        f.fail("check", "give check (the notebook that judges the claim) or not_checked (why none does), "
                        "exactly one of them")
    return Claim(
        id=cid, kind=kind, quote=quote, unit=unit, qualifier=f.choice("qualifier", list(QUALIFIERS)),
        claimant=f.text("claimant"), made_on=f.date("made_on"), period=f.text("period"),
        check=check, value=value, low=low, high=high,
        reported_by=f.text("reported_by", required=False), period_start=start, period_end=end,
        weekday=weekday, relative=relative, notes=f.text("notes", required=False), not_checked=not_checked,
        excerpt=excerpt, variant_of=f.text("variant_of", required=False),
        claimant_person=f.text("claimant_person", required=False), path=str(path),
    )


def _not_claims(path: Path, data: dict, seed_text: str) -> tuple[NotClaim, ...]:
    if "not_claims" not in data:
        return ()
    out = []
    for i, r in enumerate(records(path, data, "not_claims")):
        f = Fields(path, {**r, "id": r.get("id", f"not-claim-{i + 1}")}, i, {"id", "text", "reason"})
        text = f.text("text")
        if text not in seed_text:
            f.fail("text", "not found verbatim in the seed text")
        out.append(NotClaim(text, f.text("reason")))
    return tuple(out)


def load_register(path: Path, seed_path: Path) -> Register:
    """Load and validate a claims register against its seed (every quote verbatim in the seed)."""
    path, seed_path = Path(path), Path(seed_path)
    seed_text = read_text(seed_path)
    data = load_toml(path)
    unknown = sorted(set(data) - {"article", "claims", "excerpts", "units", "not_claims"})
    if unknown:
        raise RecordError(path, None, unknown[0], "unknown top-level table; valid: [article], [[claims]], "
                                                  "[[excerpts]], [units], [[not_claims]]")
    article = _article(path, data, seed_text)
    units = _units(path, data)
    excerpts = _excerpts(path, data, seed_text)
    if (article.kind == "excerpts") != bool(excerpts):
        raise RecordError(path, "article", "kind", "a seed of kind 'excerpts' needs [[excerpts]], and only it")
    # a register may have no claims yet: a new article's, before `make coverage` drafts them
    claims = [_claim(path, r, i, seed_text, excerpts)
              for i, r in enumerate(records(path, data, "claims") if "claims" in data else [])]
    no_duplicate_ids(path, [c.id for c in claims])
    ids = {c.id for c in claims}
    for c in claims:
        if c.variant_of and c.variant_of not in ids:
            raise RecordError(path, c.id, "variant_of", f"no claim {c.variant_of!r} in this register")
    return Register(path, article, tuple(claims), excerpts, _not_claims(path, data, seed_text), units)
