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
_NUMBER_TOKEN = rf"(?:\d[\d,.]*|{_WORD})"
# tokens join with a hyphen ("six-thousand-700"), or with a space only to a word ("6 million", "one
# hundred and ten"): "6 million 152-millimeter" is a count and a calibre, not one number
_NUMBER_WORDS = rf"(?:{_NUMBER_TOKEN}(?:-(?:and-)?{_NUMBER_TOKEN}| (?:and )?(?:{_WORD})\b)*)"
#: Ratio words and the factor each names.
RATIOS = {"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "tenfold": 10, "doubled": 2, "double": 2,
          "tripled": 3, "triple": 3, "quadrupled": 4, "halved": 0.5, "half": 0.5}
_RATIO = (rf"(?:{'|'.join(sorted(RATIOS, key=len, reverse=True))})(?![- ]a[- ](?:million|billion|thousand|dozen))"
          rf"|(?:\d+|{'|'.join(list(_SMALL)[2:])})[- ](?:fold|times)")
_MONTH = "|".join(re.escape(m) for m in _MONTHS)
_PATTERN = re.compile(
    rf"(?P<time>\b\d{{1,2}}:\d{{2}}\b)"
    rf"|(?P<calibre>\b\d{{2,3}}(?:\.\d)?[- ]?(?:mm|millimet(?:re|er)s?)\b)"
    rf"|(?P<date>(?:(?:last|this|next|since) )?(?:{_MONTH})(?: \d{{1,2}}\b)?(?:,? \d{{4}}\b)?)"
    rf"|(?P<relative>\b(?:{_RELATIVE})\b)"
    rf"|(?P<weekday>\b(?:{'|'.join(_WEEKDAYS)})\b)"
    rf"|(?P<ratio>\b(?:{_RATIO})\b)"
    rf"|(?P<number>\bhalf[- ]a[- ](?:million|billion|thousand)\b|\b{_NUMBER_WORDS}(?:st|nd|rd|th)?\b|\d+(?:[.,]\d+)*)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A number found in a seed: its text, where it is (offset, line), and its kind: a number, a date,
    a weekday, a relative phrase, a ratio word, a calibre or a time of day."""

    text: str
    start: int
    end: int
    line: int
    kind: str = "number"


def find_numbers(text: str) -> list[Found]:
    """Every number, date, weekday, relative phrase, ratio word, calibre and time of day in ``text``, in
    order, each read as one item ("6 million", "February 2022", "152-millimeter", "20:09", "twofold").

    >>> [(f.text, f.kind) for f in find_numbers("6 million 152-millimeter shells since February 2022, at 20:09")]
    [('6 million', 'number'), ('152-millimeter', 'calibre'), ('since February 2022', 'date'), ('20:09', 'time')]
    """
    found = []
    for m in _PATTERN.finditer(text):
        word = m.group(0)
        if not any(ch.isdigit() for ch in word) and word.lower() in ("one",) and _is_pronoun(text, m.start()):
            continue
        found.append(Found(word, m.start(), m.end(), text.count("\n", 0, m.start()) + 1, m.lastgroup))
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
        if w == "and" or (w == "a" and current):  # "one hundred and ten"; "half a million"
            continue
        if w in ("a", "half"):  # "a million"; "half a million"
            current += 1 if w == "a" else 0.5
            seen = True
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
#: What a draft puts where the text does not say: a string that loads as TOML, and that the register
#: refuses until the analyst replaces it.
FILL = "FILL"


def _fill(what: str) -> str:
    return f'"{FILL}: {what}"'


def _toml_number(v: float) -> str:
    """A number as TOML writes it readably: 6_000_000, 1.5, 0.5.

    >>> _toml_number(6e6), _toml_number(1.5e9), _toml_number(0.5)
    ('6_000_000', '1_500_000_000', '0.5')
    """
    return f"{int(v):_}" if float(v).is_integer() else repr(float(v))


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def draft(found: Found, seed_text: str, register=None) -> str:
    """A draft register entry for an uncovered number, valid TOML: a ``[[not_claims]]`` entry for a time
    of day or a calibre (neither is a claim by default), else a ``[[claims]]`` entry with a quote from
    the qualifier before it to the unit word after it, the number (a date as its day or its month's
    days), a unit guessed from the words after it, and a qualifier only where the text has one. Every
    field the text cannot give is a string beginning "FILL:" that says what to put there."""
    from estimates.claims import QUALIFIERS
    if found.kind in ("time", "calibre"):
        reason = "a time of day, not a claim" if found.kind == "time" else "a calibre, not a count"
        return f"[[not_claims]]\ntext = {toml_string(found.text)}\nreason = {toml_string(reason)}\n"
    line_start = seed_text.rfind("\n", 0, found.start) + 1
    before = seed_text[line_start:found.start]
    qualifier, q_at = None, found.start
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        hit = re.search(rf"\b{re.escape(q)}\s+$", before, re.IGNORECASE)
        if hit:
            qualifier, q_at = q, line_start + hit.start()
            break
    after = seed_text[found.end:found.end + 40]
    unit, end = "dimensionless", found.end
    for word, u in _UNIT_WORDS.items():
        hit = re.match(rf"[\s-]*(?:[\w-]+\s+){{0,3}}?{word}s?\b", after, re.IGNORECASE)
        if hit and found.kind == "number":
            unit, end = u, found.end + hit.end()
            break
    quote = seed_text[q_at:end]
    slug = re.sub(r"[^a-z0-9]+", "-", quote.lower()).strip("-")[:40].strip("-")
    excerpt = ""
    if register is not None and register.excerpts:
        for x in register.excerpts:
            at = seed_text.index(x.text)
            if at <= found.start < at + len(x.text):
                excerpt = f'excerpt = "{x.id}"\n'
    kind, number = "quantity", ""
    if found.kind == "ratio":
        factor = next((v for w, v in RATIOS.items() if found.text.lower() == w), None)
        factor = factor if factor is not None else parse_number(re.split(r"[- ](?:fold|times)", found.text.lower())[0])
        number, qualifier = f"value = {_toml_number(factor)}", qualifier or "ratio"
    elif found.kind == "date" or re.fullmatch(r"(1[89]|20)\d\d", found.text):
        kind, number = "date", _date_fields(found.text)
        qualifier = qualifier or ("since" if found.text.lower().startswith("since") else None)
    elif found.kind in ("weekday", "relative"):
        kind, number = "date", f"relative = {toml_string(found.text)}"
    else:
        value = parse_number(found.text)
        number = f"value = {_toml_number(value)}" if value is not None else f"value = {_fill('the number')}"
    unit = unit if kind == "quantity" else "day"
    qualifier_line = (f'qualifier = "{qualifier}"' if qualifier else
                      f"qualifier = {_fill('the text has no qualifier: exactly, or one the README lists')}")
    return (f'[[claims]]\nid = "{slug}"\nkind = "{kind}"\nquote = {toml_string(quote)}\n{number}\nunit = "{unit}"\n'
            f"{qualifier_line}\n{excerpt}claimant = {_fill('who made the claim')}\n"
            f"made_on = {_fill('the day it was made, as 2024-01-31 (no quotes)')}\n"
            f"period = {_fill('the period the number describes')}\n"
            f"check = {_fill('the notebook that checks it, or replace with not_checked = why')}\n")


def _date_fields(text: str) -> str:
    """A date's register fields: a day as value, a month or a year as low and high; a date the text
    gives without its year asks for it."""
    import calendar
    import datetime as dt
    words = re.sub(r"^(?:last|this|next|since) ", "", text, flags=re.IGNORECASE).replace(",", "").split()
    if len(words) == 1 and words[0].isdigit():  # a year
        return f"low = {words[0]}-01-01\nhigh = {words[0]}-12-31"
    month = next(i for i, names in enumerate(_MONTH_NUMBERS, start=1) if words[0].rstrip(".").lower() in names)
    year = next((w for w in words[1:] if len(w) == 4), None)
    day = next((w for w in words[1:] if len(w) <= 2), None)
    if year is None:
        return (f"relative = {toml_string(text)}  # or, with the year: value = YYYY-{month:02d}-"
                + (f"{int(day):02d}" if day else "DD"))
    if day:
        return f"value = {dt.date(int(year), month, int(day)).isoformat()}"
    last = calendar.monthrange(int(year), month)[1]
    return f"low = {year}-{month:02d}-01\nhigh = {year}-{month:02d}-{last:02d}"


_MONTH_NUMBERS = [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june",),
                  ("july",), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"),
                  ("november", "nov"), ("december", "dec")]


def draft_register(seed_text: str, seed_name: str, found: list[Found]) -> str:
    """A whole draft register for a seed that has none: an ``[article]`` table to fill, then a draft for
    every number of the seed."""
    head = (f"[article]\ntitle = {_fill('the headline, verbatim from the seed')}\noutlet = {_fill('the outlet')}\n"
            f"published = {_fill('the date the checks are made as of, as 2024-01-31 (no quotes)')}\n"
            f'seed = "{seed_name}"\n')
    return head + "".join("\n" + d for d in drafts(found, seed_text))


def drafts(found: list[Found], seed_text: str, register=None) -> list[str]:
    """A draft for each number, ids made unique (a number stated twice gets "-2", and so on) and none
    equal to one the register already has."""
    taken = {c.id for c in register.claims} if register is not None else set()
    out = []
    for f in found:
        d = draft(f, seed_text, register)
        m = re.search(r'^id = "([^"]*)"$', d, re.MULTILINE)
        if m:
            base, n, rid = m.group(1) or "claim", 1, m.group(1) or "claim"
            while rid in taken:
                n += 1
                rid = f"{base}-{n}"
            taken.add(rid)
            d = d.replace(m.group(0), f'id = "{rid}"', 1)
        out.append(d)
    return out


def main(argv: list[str] | None = None) -> int:
    from estimates import paths
    from estimates.case import case_ids, load_case
    from estimates.validate import RecordError
    parser = argparse.ArgumentParser(prog="python -m estimates coverage", description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case ids (default: every case)")
    parser.add_argument("--draft", action="store_true", help="print a draft [[claims]] entry for each uncovered number")
    args = parser.parse_args(argv)
    status = 0
    for cid in args.cases or case_ids():
        if not paths.claims_path(cid).is_file() and paths.seed_path(cid).is_file():
            # a new article: no register yet, so draft a whole one from the seed
            text = paths.seed_path(cid).read_text(encoding="utf-8")
            found = find_numbers(text)
            print(f"{cid}: no register at {paths.claims_path(cid).name}; {len(found)} numbers, a draft register:")
            print("\n".join("    " + ln for ln in draft_register(text, paths.seed_path(cid).name, found).splitlines()))
            status = 1
            continue
        try:
            case = load_case(cid)
        except (RecordError, KeyError) as exc:
            print(f"{cid}: cannot load: {exc}", file=sys.stderr)
            return 2
        missing = uncovered(case.register, case.text)
        print(f"{cid}: {len(find_numbers(case.text)) - len(missing)} numbers covered, {len(missing)} not")
        for f, d in zip(missing, drafts(missing, case.text, case.register)):
            print(f"  line {f.line}: {f.text!r}")
            if args.draft:
                print("\n".join("    " + ln for ln in d.splitlines()))
        status = max(status, 1 if missing else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
