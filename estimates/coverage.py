"""No number left unregistered: every number of a seed lies inside some claim's quote, or is listed
in the register as not a claim, with the reason.

A "number" here is anything a reader could check: digits ("6,700", "2023", "10:22"), number words
("one million", "six-thousand-700", "third"), dates and months ("Sept. 13", "in August"), weekdays,
and relative phrases of time ("last week", "this year"). The header line of each excerpt (outlet,
headline, date, address) is the register's own metadata and is not scanned.

``python -m estimates.coverage [CASE ...]`` prints what is not covered, and with ``--draft`` a
draft ``[[claims]]`` entry for each (quote, number, unit guess, qualifier guess) for the analyst to
edit; it exits 1 when anything is uncovered.

>>> [m.text for m in find_numbers("About 6,700 containers since last August, enough for three million rounds")]
['6,700', 'last August', 'three million']
>>> parse_number("six-thousand-700"), parse_number("500-thousand"), parse_number("3 million")
(6700.0, 500000.0, 3000000.0)
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth").split()
_MONTHS = ("January February March April May June July August September October November December "
           "Jan. Feb. Mar. Apr. Aug. Sept. Sep. Oct. Nov. Dec.").split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_RELATIVE = r"(?:last|this|next|past|previous|coming) (?:week|month|year|summer|autumn|winter|spring)|yesterday|today|tomorrow"

_WORD = "|".join(sorted(list(_SMALL) + list(_TENS) + list(_SCALES) + _ORDINALS, key=len, reverse=True))
_NUMBER_WORDS = rf"(?:(?:\d[\d,.]*|{_WORD})(?:[- ](?:and[- ])?(?:\d[\d,.]*|{_WORD}))*)"
_PATTERN = re.compile(
    rf"(?:(?:last|this|next|since) )?(?:{'|'.join(re.escape(m) for m in _MONTHS)})(?: \d{{1,2}})?(?:, \d{{4}})?"
    rf"|\b(?:{_RELATIVE})\b"
    rf"|\b(?:{'|'.join(_WEEKDAYS)})\b"
    rf"|\b{_NUMBER_WORDS}(?:st|nd|rd|th)?\b"
    rf"|\d+(?:[:.,]\d+)*",
    re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A number found in a seed: its text and where it is (offset, line)."""

    text: str
    start: int
    end: int
    line: int


def find_numbers(text: str) -> list[Found]:
    """Every number, date, weekday and relative phrase of time in ``text``, in order."""
    found = []
    for m in _PATTERN.finditer(text):
        word = m.group(0)
        if not any(ch.isdigit() for ch in word) and word.lower() in ("one",) and _is_pronoun(text, m.start()):
            continue
        found.append(Found(word, m.start(), m.end(), text.count("\n", 0, m.start()) + 1))
    return found


def _is_pronoun(text: str, at: int) -> bool:
    """'one' as a pronoun ("the one that ...") is not a number."""
    before = text[max(0, at - 4):at].lower()
    return before.endswith("the ") or before.endswith("no ")


def parse_number(text: str) -> float | None:
    """The value of a number written in digits, words or both; None for a date or a phrase."""
    words = re.split(r"[- ]+", text.lower().replace(",", ""))
    total, current, seen = 0.0, 0.0, False
    for w in words:
        if w == "and":
            continue
        if re.fullmatch(r"\d+(\.\d+)?", w):
            current += float(w)
        elif w in _SMALL:
            current += _SMALL[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SCALES:
            scale = _SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def covered_spans(register, seed_text: str) -> list[tuple[int, int, str]]:
    """(start, end, by) spans of the seed that the register accounts for: each claim's quote (in
    its excerpt, where the seed has excerpts), each not-claim's text, each excerpt's header line."""
    spans = []
    for x in register.excerpts:
        at = seed_text.index(x.text)
        spans.append((at, at + (x.text.find("\n") if "\n" in x.text else len(x.text)), f"excerpt {x.id} header"))
    for c in register.claims:
        area_start, area = 0, seed_text
        if c.excerpt:
            block = register.excerpt(c.excerpt).text
            area_start, area = seed_text.index(block), block
        for m in re.finditer(re.escape(c.quote), area):
            spans.append((area_start + m.start(), area_start + m.end(), f"claim {c.id}"))
    for n in register.not_claims:
        for m in re.finditer(re.escape(n.text), seed_text):
            spans.append((m.start(), m.end(), f"not a claim: {n.reason}"))
    return spans


def uncovered(register, seed_text: str) -> list[Found]:
    """The numbers of the seed that no claim quote, not-claim or excerpt header covers."""
    spans = covered_spans(register, seed_text)
    return [f for f in find_numbers(seed_text) if not any(a <= f.start and f.end <= b for a, b, _ in spans)]


_UNIT_WORDS = {"container": "container", "round": "round", "shell": "round", "kilometre": "km", "kilometer": "km",
               "km": "km", "mile": "mile", "percent": "percent", "per cent": "percent", "transfer": "transfer",
               "month": "month", "week": "week", "day": "day", "year": "year", "tonne": "tonne", "trip": "round_trip"}


def draft(found: Found, seed_text: str, register=None) -> str:
    """A draft [[claims]] entry for an uncovered number: a quote from the qualifier before it to
    the unit word after it, the number, a unit and a qualifier guessed from the words around it."""
    from estimates.claims import QUALIFIERS
    line_start = seed_text.rfind("\n", 0, found.start) + 1
    before = seed_text[line_start:found.start]
    qualifier, q_at = "about", found.start
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(q)}\s+$", before, re.IGNORECASE):
            qualifier, q_at = q, line_start + re.search(rf"\b{re.escape(q)}\s+$", before, re.IGNORECASE).start()
            break
    after = seed_text[found.end:found.end + 40]
    unit, end = "dimensionless", found.end
    for word, u in _UNIT_WORDS.items():
        hit = re.match(rf"\s*(?:[\w-]+\s+){{0,3}}?{word}s?\b", after, re.IGNORECASE)
        if hit:
            unit, end = u, found.end + hit.end()
            break
    value = parse_number(found.text)
    quote = seed_text[q_at:end]
    slug = re.sub(r"[^a-z0-9]+", "-", quote.lower()).strip("-")[:40].strip("-")
    excerpt = ""
    if register is not None and register.excerpts:
        for x in register.excerpts:
            at = seed_text.index(x.text)
            if at <= found.start < at + len(x.text):
                excerpt = f'excerpt = "{x.id}"\n'
    year = re.fullmatch(r"(1[89]|20)\d\d", found.text)
    if year:  # a year is a date: the band of its days
        number, kind = f"low = {found.text}-01-01\nhigh = {found.text}-12-31", "date"
    else:
        number = f"value = {value:g}" if value is not None else 'relative = "' + found.text + '"'
        kind = "quantity" if value is not None else "date"
    unit = unit if kind == "quantity" else "day"
    return (f'[[claims]]\nid = "{slug}"\nkind = "{kind}"\nquote = "{quote}"\n{number}\nunit = "{unit}"\n'
            f'qualifier = "{qualifier}"\n{excerpt}claimant = "TODO"\nmade_on = TODO\nperiod = "TODO"\n'
            f'check = "TODO"  # or: not_checked = "why"\n')


def main(argv: list[str] | None = None) -> int:
    from estimates.case import case_ids, load_case
    from estimates.validate import RecordError
    parser = argparse.ArgumentParser(prog="python -m estimates.coverage", description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case ids (default: every case)")
    parser.add_argument("--draft", action="store_true", help="print a draft [[claims]] entry for each uncovered number")
    args = parser.parse_args(argv)
    status = 0
    for cid in args.cases or case_ids():
        try:
            case = load_case(cid)
        except (RecordError, KeyError) as exc:
            print(f"{cid}: cannot load: {exc}", file=sys.stderr)
            return 2
        missing = uncovered(case.register, case.text)
        print(f"{cid}: {len(find_numbers(case.text)) - len(missing)} numbers covered, {len(missing)} not")
        for f in missing:
            print(f"  line {f.line}: {f.text!r}")
            if args.draft:
                print("\n".join("    " + ln for ln in draft(f, case.text, case.register).splitlines()))
        status = max(status, 1 if missing else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
