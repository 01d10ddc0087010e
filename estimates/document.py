"""The report's document, typed from the notebooks' records to the page.

:func:`estimates.report.assemble` builds a :class:`Document`: per case, the article and its excerpts as
structures, one :class:`ClaimVerdict` per claim (the register's claim, where it was read, and the
:class:`~estimates.verdicts.VerdictRecord` its notebook displayed), the notebooks' named estimates,
the sources the page cites and the hindsight section. Every reader of the document (the pages,
ClaimReview, the terminal table, the CSV files, a freeze) reads its fields; ``verdicts.json`` is
:meth:`Document.as_dict`, the one place it becomes plain data.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from estimates.verdicts import Estimate, VerdictRecord, verdict_flags


@dataclass(frozen=True)
class ReportedIn:
    """Where a claim was read: the excerpt (or the article) with its outlet, headline, date, address
    and whom it relays."""

    excerpt: str
    outlet: str
    headline: str
    published: str
    url: str
    relays: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class ExcerptRef:
    """One attributed excerpt of a case's seed, as the page lists it."""

    id: str
    citation: str
    outlet: str
    relays: str
    headline: str
    published: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class ArticleRef:
    """The article a case checks (or its set of excerpts), as the page names it."""

    title: str
    outlet: str
    agency: str
    published: str
    dateline: str
    kind: str
    line: str
    url: str
    excerpts: tuple[ExcerptRef, ...] = ()

    def excerpt(self, excerpt_id: str) -> ExcerptRef | None:
        return next((x for x in self.excerpts if x.id == excerpt_id), None) if excerpt_id else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "excerpts": [x.as_dict() for x in self.excerpts]}


@dataclass(frozen=True)
class SourceRef:
    """A source a page cites, as a reader sees it: title, who published it and when, its address and
    the mirror it was read at (each empty unless an http(s) address)."""

    id: str
    title: str
    producer: str
    originator: str
    published: str
    url: str
    read_at: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Unjudged:
    """Why a claim has no verdict record: not checked, its notebook failed, or it emits none for it;
    with the verdict that says so and the claim as stated."""

    verdict: str
    claimed: dict[str, Any]
    explanation: str


@dataclass(frozen=True)
class ClaimVerdict:
    """One claim's row of the report: the claim as its register has it, where it was read, and either
    the verdict its notebook displayed (``record``) or why there is none (``unjudged``)."""

    case: str
    claim_id: str
    notebook: str
    quote: str
    reported_in: ReportedIn
    variant_of: str
    claimant: str
    claimant_person: str
    excerpt: str
    made_on: str
    record: VerdictRecord | None = None
    unjudged: Unjudged | None = None

    def __post_init__(self):
        if (self.record is None) == (self.unjudged is None):
            raise ValueError(f"claim {self.claim_id!r}: a row has a verdict record or says why it has none, "
                             f"not both or neither")

    @property
    def verdict(self) -> str:
        return self.record.verdict if self.record else self.unjudged.verdict

    @property
    def claimed(self) -> dict[str, Any]:
        return self.record.claimed if self.record else self.unjudged.claimed

    @property
    def explanation(self) -> str:
        return self.record.explanation if self.record else self.unjudged.explanation

    # what the record says, or nothing where there is none
    @property
    def check_id(self) -> str:
        return self.record.check_id if self.record else ""

    @property
    def question(self) -> str:
        return self.record.question if self.record else ""

    @property
    def kind(self) -> str:
        return self.record.kind if self.record else ""

    @property
    def model(self) -> dict[str, Any] | None:
        return self.record.model if self.record else None

    @property
    def band(self) -> dict[str, Any] | None:
        return self.record.band if self.record else None

    @property
    def ratio(self) -> float | None:
        return self.record.ratio if self.record else None

    @property
    def percentile(self) -> float | None:
        return self.record.percentile if self.record else None

    @property
    def tail_probability(self) -> float | None:
        return self.record.tail_probability if self.record else None

    @property
    def routes(self) -> tuple[dict[str, Any], ...]:
        return self.record.routes if self.record else ()

    @property
    def readings(self) -> tuple[dict[str, Any], ...]:
        return self.record.readings if self.record else ()

    @property
    def depends_on(self) -> tuple[dict[str, Any], ...]:
        return self.record.depends_on if self.record else ()

    @property
    def audit(self) -> tuple[dict[str, Any], ...]:
        return self.record.audit if self.record else ()

    @property
    def drivers(self) -> tuple[str, ...]:
        return self.record.drivers if self.record else ()

    @property
    def sources(self) -> tuple[str, ...]:
        return self.record.sources if self.record else ()

    @property
    def verdict_range(self) -> tuple[str, ...]:
        return self.record.verdict_range if self.record else ()

    @property
    def deciding_inputs(self) -> tuple[str, ...]:
        return self.record.deciding_inputs if self.record else ()

    @property
    def extra(self) -> dict[str, Any]:
        return self.record.extra if self.record else {}

    @property
    def routes_disagree(self) -> bool:
        return bool(self.record and self.record.routes_disagree)

    @property
    def reading_dependent(self) -> bool:
        return bool(self.record and self.record.reading_dependent)

    @property
    def assumption_dependent(self) -> bool:
        return bool(self.record and self.record.assumption_dependent)

    @property
    def weak_test(self) -> bool:
        return bool(self.record and self.record.weak_test)

    @property
    def finding(self) -> str:
        """The finding this wording belongs to (one statement several outlets worded), or ""."""
        return self.extra.get("finding") or ""

    @property
    def flags(self) -> list[str]:
        return verdict_flags(self)

    def as_dict(self) -> dict[str, Any]:
        """The row as ``verdicts.json`` stores it: the claim's fields, and the record's (or, with none,
        empty ones)."""
        base = {"case": self.case, "claim_id": self.claim_id, "notebook": self.notebook, "quote": self.quote,
                "reported_in": self.reported_in.as_dict(), "variant_of": self.variant_of, "claimant": self.claimant,
                "claimant_person": self.claimant_person, "excerpt": self.excerpt, "made_on": self.made_on}
        if self.record is not None:
            return {**base, **self.record.as_dict(), "notebook": self.notebook}
        return {**base, "check_id": "", "question": "", "verdict": self.verdict, "kind": "", "claimed": self.claimed,
                "model": None, "explanation": self.explanation}


@dataclass(frozen=True)
class EstimateRow:
    """A named estimate a case's notebook displayed, with the case and the notebook."""

    case: str
    notebook: str
    estimate: Estimate

    @property
    def name(self) -> str:
        return self.estimate.name

    @property
    def unit(self) -> str:
        return self.estimate.unit

    @property
    def description(self) -> str:
        return self.estimate.description

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case, "notebook": self.notebook, **self.estimate.as_dict()}


@dataclass(frozen=True)
class NotebookStatus:
    """How one notebook's run ended, as the report lists it."""

    case: str
    notebook: str
    path: str
    status: str  # "ok" or "error"
    error_cell: int | None
    error: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CaseReport:
    """One case of the report: its article, a row per claim, its named estimates, the sources its page
    cites, and its hindsight section (built from its freezes; None without one)."""

    id: str
    article: ArticleRef
    verdicts: tuple[ClaimVerdict, ...]
    estimates: tuple[EstimateRow, ...]
    sources: dict[str, SourceRef] = field(default_factory=dict)
    hindsight: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "article": self.article.as_dict(), "verdicts": [v.as_dict() for v in self.verdicts],
                "estimates": [e.as_dict() for e in self.estimates], "hindsight": self.hindsight,
                "sources": {k: s.as_dict() for k, s in self.sources.items()}}


@dataclass(frozen=True)
class Document:
    """The whole report: every case, and how every notebook's run ended."""

    cases: tuple[CaseReport, ...]
    notebooks: tuple[NotebookStatus, ...]

    def as_dict(self) -> dict[str, Any]:
        """The document as ``verdicts.json`` stores it."""
        return {"cases": [c.as_dict() for c in self.cases], "notebooks": [n.as_dict() for n in self.notebooks]}
