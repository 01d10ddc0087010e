"""Provenance: every record of sources/reference-figures.toml says only what the reference sheets say.

The sheets are kept in the repository (sources/sheets/, copies of shared/sources/) so that this
holds from a fresh clone. A quote is verbatim (an ellipsis may join verbatim pieces; a quote
marked "(translated)" or "(the sheet's summary)" is the sheet's own wording); an address, and a
date known to the day, appear in the sheets; a title is the sheet's or says where it came from.
"""
import re
import unicodedata

import pytest

from estimates import paths
from estimates.sources import load_sources

SHEETS = paths.SOURCES / "sheets"
SHARED = paths.ROOT.parent / "shared" / "sources"
MARKERS = re.compile(r"\((translated|the sheet's summary)\)", re.I)
NOT_RECORDED = "not recorded in the reference sheet"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-")):
        text = text.replace(a, b)
    text = re.sub(r"[\"'|*`]", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.fixture(scope="module")
def sheet() -> str:
    return _norm(" ".join(p.read_text(encoding="utf-8") for p in sorted(SHEETS.glob("*.md"))))


@pytest.fixture(scope="module")
def book():
    return load_sources(paths.REFERENCE_FIGURES)


def quote_pieces(quote: str) -> list[str]:
    """The verbatim pieces of a quote: markers removed, split at ellipses.

    >>> quote_pieces("fired about 10-11 million rounds ... last year (translated)")
    ['fired about 10-11 million rounds', 'last year']
    """
    bare = MARKERS.sub(" ", quote)
    return [p.strip() for p in re.split(r"\.\.\.|\u2026", bare) if p.strip()]


def test_every_quote_is_found_verbatim_in_the_sheets(book, sheet):
    missing = [s.id for s in book.all if not all(_norm(p) in sheet for p in quote_pieces(s.quote))]
    assert not missing, f"quotes not found verbatim in {SHEETS}: {missing}"


def test_every_address_is_the_sheets_or_says_it_is_not_recorded(book, sheet):
    bad = []
    for s in book.all:
        for field in ("url", "read_at"):
            value = getattr(s, field)
            if value and value.startswith("http") and _norm(value) not in sheet:
                bad.append((s.id, field))
            if value and not value.startswith("http") and field == "url" and not (
                    value == NOT_RECORDED or "(address as the sheet gives it)" in value
                    or "(the sheet gives the repository" in value):
                bad.append((s.id, field))
    assert not bad, bad


def test_dates_known_to_the_day_are_the_sheets(book, sheet):
    bad = [s.id for s in book.all if s.published_precision == "day" and str(s.published) not in sheet
           and not (s.notes and "dateline" in s.notes)]
    assert not bad, f"dates to the day that the sheets do not give: {bad}"


def test_titles_are_the_sheets_or_say_where_they_came_from(book, sheet):
    marked = ("headline not recorded", "title from the url", "title from the mirror", "(as read at")
    bad = [s.id for s in book.all
           if _norm(s.title) not in sheet and not any(m in s.title.lower() for m in marked)
           and s.published_precision == "day"]
    assert not bad, bad


def test_a_quote_that_is_not_in_the_sheets_fails_the_check(sheet):
    # negative control: the check above can fail
    assert not all(_norm(p) in sheet for p in quote_pieces("Russia fires 99,999 shells a minute"))


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/ folder beside the checkout")
def test_the_repositorys_sheets_are_the_shared_ones():
    for p in SHARED.glob("*.md"):
        assert (SHEETS / p.name).read_bytes() == p.read_bytes(), f"{SHEETS / p.name} differs from {p}"
