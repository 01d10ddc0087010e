"""The report: templates that escape, pages with a chart and cards, ClaimReview records that validate."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from estimates import paths, report
from estimates.case import case_ids, load_case
from estimates.publish import read_records
from estimates.runner import NotebookRun, find_notebooks
from estimates.verdicts import CANNOT_TELL, RATING, UNDETERMINED

SCHEMA = json.loads((Path(__file__).parent / "data" / "claimreview.schema.json").read_text(encoding="utf-8"))
HTML_TAG = re.compile(r"</?(html|head|body|p|div|span|table|tr|td|th|ul|li|a|h[1-6]|b|i|q|code|small|section|"
                      r"script|style|br|img)\b[^>]*>", re.IGNORECASE)


def _stored_runs():
    import nbformat
    runs = []
    for path in find_notebooks(paths.NOTEBOOKS):
        nb = nbformat.read(path, as_version=4)
        verdicts, estimates = read_records(nb)
        runs.append(NotebookRun(path, True, 0.0, nb, None, "", verdicts, estimates))
    return runs


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The report written from the stored notebooks' records (no kernel needed)."""
    folder = tmp_path_factory.mktemp("report")
    runs = _stored_runs()
    doc, problems = report.assemble(runs)
    assert problems == []
    report.write_report(doc, runs, folder, publisher="Test Desk", base_url="https://example.org/checks/")
    return folder, doc


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script, self.ids = [], [], None, set()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if dict(attrs).get("id"):
            self.ids.add(dict(attrs)["id"])
        if tag == "script":
            self._in_script = [dict(attrs).get("type"), ""]

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append(tuple(self._in_script))
            self._in_script = None


def _parse(path: Path) -> _Elements:
    p = _Elements()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_no_python_file_of_the_package_writes_html():
    offenders = [p.name for p in paths.PACKAGE.glob("*.py") if HTML_TAG.search(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_the_templates_autoescape_markup_from_the_data(tmp_path, written):
    _, doc = written
    evil = json.loads(json.dumps(doc))
    case = evil["cases"][0]
    case["verdicts"][0]["quote"] = "<script>alert('quote')</script>"
    case["verdicts"][0]["explanation"] = "<img src=x onerror=alert(1)> why."
    case["article"]["title"] = "Title <b>bold</b>"
    report.write_report(evil, [], tmp_path)
    page = _parse(tmp_path / case["id"] / "index.html")
    assert [t for t, _ in page.tags if t == "img" and "onerror" in _] == []
    assert all(kind == "application/ld+json" for kind, _ in page.scripts)
    text = (tmp_path / case["id"] / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in text and "<script>alert(" not in text   # the JSON-LD block too
    assert "&lt;b&gt;bold&lt;/b&gt;" in text


def test_every_case_gets_a_page_with_a_chart_a_card_per_claim_and_the_index_links_it(written):
    folder, _ = written
    index = _parse(folder / "index.html")
    links = {a.get("href") for t, a in index.tags if t == "a"}
    for cid in case_ids():
        assert f"{cid}/index.html" in links
        page = _parse(folder / cid / "index.html")
        assert {f"claim-{c.id}" for c in load_case(cid).claims} <= page.ids
        assert any(t == "img" and a.get("src", "").startswith("data:image/png;base64,") for t, a in page.tags)
        hrefs = [a.get("href", "") for t, a in page.tags if t == "a"]
        assert any(h.startswith("../notebooks/") and h.endswith(("#Verdicts", "#Verdict")) for h in hrefs)


def test_claimreview_files_validate_parse_as_json_ld_and_equal_the_pages_blocks(written):
    from pyld import jsonld
    jsonld.set_document_loader(lambda url, options=None: {  # schema.org's context, offline
        "contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": "https://schema.org/"}}})
    folder, doc = written
    for case in doc["cases"]:
        records = json.loads((folder / case["id"] / "claimreview.jsonld").read_text(encoding="utf-8"))
        jsonschema.validate(records, SCHEMA)
        reviewed = [v for v in case["verdicts"] if v["verdict"] in (*RATING, UNDETERMINED, CANNOT_TELL)]
        assert len(records) == len(reviewed) and records
        names = {r["reviewRating"]["alternateName"] for r in records}
        assert all(n in RATING or n.startswith((UNDETERMINED, CANNOT_TELL)) for n in names), names
        assert all(r["author"]["name"] == "Test Desk" and r["url"].startswith("https://example.org/checks/")
                   for r in records)
        expanded = jsonld.expand(records)
        assert all("https://schema.org/reviewRating" in e for e in expanded)
        page = _parse(folder / case["id"] / "index.html")
        blocks = [json.loads(body) for kind, body in page.scripts if kind == "application/ld+json"]
        assert blocks == [records]


def test_a_record_missing_a_required_field_fails_the_schema(written):
    folder, doc = written
    records = json.loads((folder / doc["cases"][0]["id"] / "claimreview.jsonld").read_text(encoding="utf-8"))
    rated = [r for r in records if "ratingValue" in r["reviewRating"]]
    del rated[0]["reviewRating"]["ratingValue"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(records, SCHEMA)


def test_undetermined_and_cannot_tell_are_published_with_their_words_and_no_number_on_the_scale(written):
    folder, doc = written
    unrated = []
    for case in doc["cases"]:
        records = json.loads((folder / case["id"] / "claimreview.jsonld").read_text(encoding="utf-8"))
        unrated += [r for r in records if r["reviewRating"]["alternateName"].startswith((UNDETERMINED, CANNOT_TELL))]
    assert unrated, "the first case's headline is undetermined and its trip counts cannot tell"
    assert all("ratingValue" not in r["reviewRating"] for r in unrated)
    assert any(" to " in r["reviewRating"]["alternateName"] for r in unrated)  # an undetermined verdict's range
    forged = json.loads(json.dumps(unrated[:1]))
    forged[0]["reviewRating"].update(ratingValue=4, bestRating=5, worstRating=1)  # negative control
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(forged, SCHEMA)


def test_the_review_date_comes_from_the_data_not_the_clock(written):
    folder, doc = written
    case = doc["cases"][0]
    records = json.loads((folder / case["id"] / "claimreview.jsonld").read_text(encoding="utf-8"))
    freezes = (case.get("hindsight") or {}).get("freezes")
    expected = freezes[-1]["frozen_on"] if freezes else case["article"]["published"]
    assert {r["datePublished"] for r in records} == {expected}
