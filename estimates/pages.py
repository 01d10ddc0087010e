"""What a case page shows an editor's reader: findings in plain words, sources as links, a small
picture per estimate, and the statistics one click away.

The report document (:mod:`estimates.document`) holds one verdict row per wording of a claim; a
reader wants one card per *finding* (one statement, however many outlets worded it), with a verdict
line a non-statistician understands, one sentence of why, the wordings and who used each, and the
sources it rests on as links. The templates render what :func:`findings` returns; the words are here,
once, so the page, its glossary and the tooltips say the same.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from estimates.document import CaseReport, ClaimVerdict, SourceRef
from estimates.verdicts import Estimate

#: Each verdict in plain words, as the page's glossary and every card say it.
VERDICT_WORDS = {
    "correct": "Correct: the record bears it out.",
    "incorrect": "Incorrect: the record contradicts it.",
    "consistent": "Plausible: what was published by then supports a figure like this.",
    "strained": "A stretch: possible only at the edge of what was published by then.",
    "inconsistent": "Not supported: what was published by then puts the figure well away from this.",
    "unverified": "Unverified: nothing published by then settles it either way.",
    "undetermined": "Undetermined: a fair reading of the words or the sources changes the verdict.",
    "cannot tell": "Cannot tell: the check could not have caught this claim had it been wrong.",
    "not checked": "Not checked.",
    "error": "Not checked: the check failed to run.",
}
#: Each label a card may carry, in plain words (the glossary, and the label's tooltip).
LABEL_WORDS = {
    "routes disagree": "Different ways of estimating the figure reach different verdicts.",
    "depends on reading": "The verdict changes with how a word of the claim, or of a source, is read.",
    "depends on an assumption": "An assumption no source gives changes the verdict within its own range.",
    "weak test": "The check would also have accepted a claim half or twice as large.",
    "one finding, several wordings": "One statement that outlets worded differently, judged once.",
}
#: The picture of an estimate spans this factor either side of the claimed figure (log scale).
SPAN = 20.0


def plain_verdict(verdict: str, verdict_range=(), deciding_inputs=()) -> str:
    """The verdict line of a card, in words: what the verdict means, and for "undetermined" the
    verdicts it ranges over and what decides between them.

    >>> plain_verdict("undetermined", ["consistent", "strained", "cannot tell"], ["pace_factor", "count"])
    'It ranges from consistent to strained, or cannot tell, depending on pace factor and count.'
    """
    if verdict != "undetermined":
        return VERDICT_WORDS.get(verdict, verdict)
    span = [c for c in verdict_range or [] if c and c != "cannot tell"]
    deciding = [_words(x) for x in deciding_inputs or []]
    line = ("It ranges from " + " to ".join([span[0], span[-1]]) if len(span) > 1 else
            f"It is {span[0]}" if span else "It has no single verdict")
    if "cannot tell" in (verdict_range or []):
        line += ", or cannot tell"
    if deciding:
        line += f", depending on {_and(deciding[:4])}" + (" and more" if len(deciding) > 4 else "")
    return line + "."


def plain_why(verdict: str, explanation: str) -> str:
    """One sentence of why a non-statistician can follow, from the record: for a verdict that holds
    under every fair reading, what decided it; for "undetermined", what the check finds as argued and
    that other readings differ; for "cannot tell", why a check that agrees proves little; otherwise
    the explanation's first sentence with the inputs' names in words.

    >>> plain_why("undetermined", "... (as argued: consistent, decided by 'the US pace').")
    'As the check argues it, the claim is consistent (by the US pace); other fair readings give the other verdicts named above.'
    """
    text = explanation or ""
    argued = re.search(r"as argued: ([a-z ]+?), decided by '([^']+)'", text)
    decided = re.search(r"decided by '([^']+)'", text)
    if verdict == "undetermined" and argued:
        return (f"As the check argues it, the claim is {argued.group(1)} (by {argued.group(2)}); other fair readings "
                f"give the other verdicts named above.")
    if verdict == "cannot tell":
        return ("Every independent way of estimating it would also accept a claim half or twice as large, so its "
                "agreement proves little.")
    if verdict in ("correct", "incorrect", "consistent", "strained", "inconsistent") and decided:
        return f"Decided by {decided.group(1)}, and the same under every fair reading examined."
    return re.sub(r"\b([a-z]+)_([a-z_]+)\b", lambda m: m.group(0).replace("_", " "), first_sentence(text))


def _words(name: str) -> str:
    return re.sub(r"[_-]+", " ", name).strip()


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def source_links(ids, sources: dict[str, SourceRef]) -> list[SourceRef]:
    """The sources a verdict rests on, each as a reader sees it (title, who published it, when) with
    its address when the record has one, and the mirror it was read at; one article cited for several
    figures is listed once; unknown ids are skipped."""
    out, seen = [], set()
    for sid in ids or []:
        s = sources.get(sid)
        key = None if s is None else (s.title, s.producer, s.url)  # two figures of one article: once
        if s is None or key in seen:
            continue
        seen.add(key)
        out.append(s)
    return sorted(out, key=lambda s: not (s.url or s.read_at))  # those a reader can open first


def bar(kind: str, claimed: float | None, model: dict | None, band: dict | None) -> dict | None:
    """An estimate's picture in percentages of a log axis from 1/SPAN to SPAN times the claimed figure:
    the claim's band, the model's 90% and 50% intervals and its median. None for an exact check."""
    m, b = model, band
    if kind != "estimate" or not claimed or not m or not b or m.get("p5") is None:
        return None

    def at(x):
        if x is None or x <= 0:
            return None
        return round(100 * (math.log(x / claimed) + math.log(SPAN)) / (2 * math.log(SPAN)), 2)

    def clip(x, default):
        return min(100.0, max(0.0, default if x is None else x))
    band_at = (clip(at(b.get("low")), 0.0), clip(at(b.get("high")), 100.0))
    out = {"band": band_at, "p90": (clip(at(m["p5"]), 0), clip(at(m["p95"]), 100)), "median": clip(at(m["p50"]), 50),
           "p50": None if m.get("p25") is None else (clip(at(m["p25"]), 0), clip(at(m["p75"]), 100))}
    out["ticks"] = [(clip(at(claimed * f), 0), label) for f, label in ((0.1, "\u00d70.1"), (0.5, "\u00d70.5"),
                                                                       (1, "claimed"), (2, "\u00d72"), (10, "\u00d710"))]
    return out


@dataclass(frozen=True)
class Card:
    """A claim's row as a page shows it: the row, and the link to its notebook's verdicts ("" if none)."""

    row: ClaimVerdict
    link: str = ""


@dataclass(frozen=True)
class Wording:
    """One wording of a finding: the quote, who said it, the outlet that carried it and its address,
    and its own verdict where that differs from the finding's (``own``)."""

    claim_id: str
    quote: str
    claimant: str
    outlet: str
    url: str
    verdict: str
    own: bool


@dataclass(frozen=True)
class Finding:
    """One card of a page: one statement, however many outlets worded it."""

    id: str
    lead: Card
    line: str
    why: str
    wordings: tuple[Wording, ...]
    labels: tuple[tuple[str, str], ...]
    sources: tuple[SourceRef, ...]
    bar: dict | None

    @property
    def verdict(self) -> str:
        return self.lead.row.verdict

    @property
    def link(self) -> str:
        return self.lead.link


def findings(case: CaseReport, cards: list[Card]) -> list[Finding]:
    """The cards of a case grouped by finding, in register order: each with its verdict line, one
    sentence of why, its wordings (quote, who carried it, the address), its labels with their words,
    its sources, a picture where it is an estimate, and the first wording's record for the details."""
    groups: dict[str, list[Card]] = {}
    for card in cards:
        v = card.row
        groups.setdefault(v.finding or v.variant_of or v.claim_id, []).append(card)
    out = []
    for key, members in groups.items():
        lead = members[0].row
        wordings = []
        for card in members:
            v = card.row
            wordings.append(Wording(claim_id=v.claim_id, quote=v.quote, claimant=v.claimant, outlet=v.reported_in.outlet,
                                    url=v.reported_in.url, verdict=v.verdict, own=v.verdict != lead.verdict))
        ids = [sid for card in members for sid in card.row.sources]
        out.append(Finding(id=key, lead=members[0],
                           line=plain_verdict(lead.verdict, lead.verdict_range, lead.deciding_inputs),
                           why=plain_why(lead.verdict, lead.explanation), wordings=tuple(wordings),
                           labels=tuple((f, LABEL_WORDS.get(f, f)) for f in lead.flags),
                           sources=tuple(source_links(ids, case.sources)),
                           bar=bar(lead.kind, (lead.claimed or {}).get("value"), lead.model, lead.band)))
    return out


def first_sentence(text: str) -> str:
    """The first sentence of a record's explanation: the one sentence of why on a verdict card.

    >>> first_sentence("It holds at 0.5 of the band. More follows.")
    'It holds at 0.5 of the band.'
    """
    m = re.search(r"(?<!\d)[.!?](?=\s|$)", text)
    return text[: m.end()] if m else text


def model_text(m: dict | Estimate | None) -> str:
    """A model's interval (a record's model, or a named estimate) in words, or nothing."""
    from estimates.publish import interval_text
    return interval_text(m.as_dict() if isinstance(m, Estimate) else m) if m else ""


def finding_count(case: CaseReport) -> int:
    """How many distinct findings a case's verdicts make: wordings of one statement count once."""
    return len({v.finding or v.claim_id for v in case.verdicts})


def verdict_counts(case: CaseReport) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in case.verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    return counts
