"""The report: templates that escape, pages with a chart and cards, ClaimReview records that validate."""
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from estimates import claimreview, paths, report, terminal
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
    case = doc.cases[0]
    first = case.verdicts[0]
    first = replace(first, quote="<script>alert('quote')</script>",
                    record=replace(first.record, explanation="<img src=x onerror=alert(1)> why."))
    case = replace(case, verdicts=(first, *case.verdicts[1:]), article=replace(case.article, title="Title <b>bold</b>"))
    evil = replace(doc, cases=(case, *doc.cases[1:]))
    report.write_report(evil, [], tmp_path)
    page = _parse(tmp_path / case.id / "index.html")
    assert [t for t, _ in page.tags if t == "img" and "onerror" in _] == []
    assert all(kind == "application/ld+json" for kind, _ in page.scripts)
    text = (tmp_path / case.id / "index.html").read_text(encoding="utf-8")
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
    for case in doc.cases:
        records = json.loads((folder / case.id / "claimreview.jsonld").read_text(encoding="utf-8"))
        jsonschema.validate(records, SCHEMA)
        reviewed = [v for v in case.verdicts if v.verdict in (*RATING, UNDETERMINED, CANNOT_TELL)]
        assert len(records) == len(reviewed) and records
        names = {r["reviewRating"]["alternateName"] for r in records}
        assert all(n in RATING or n.startswith((UNDETERMINED, CANNOT_TELL)) for n in names), names
        assert all(r["author"]["name"] == "Test Desk" and r["url"].startswith(f"https://example.org/checks/{case.id}/"
                                                                              f"index.html#claim-") for r in records)
        assert all(r["itemReviewed"]["appearance"]["url"].startswith(("https://", "http://")) for r in records)
        expanded = jsonld.expand(records)
        assert all("https://schema.org/reviewRating" in e for e in expanded)
        page = _parse(folder / case.id / "index.html")
        blocks = [json.loads(body) for kind, body in page.scripts if kind == "application/ld+json"]
        assert blocks == [records]


def test_a_record_missing_a_required_field_fails_the_schema(written):
    folder, doc = written
    records = json.loads((folder / doc.cases[0].id / "claimreview.jsonld").read_text(encoding="utf-8"))
    rated = [r for r in records if "ratingValue" in r["reviewRating"]]
    del rated[0]["reviewRating"]["ratingValue"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(records, SCHEMA)


def test_undetermined_and_cannot_tell_are_published_with_their_words_and_no_number_on_the_scale(written):
    folder, doc = written
    unrated = []
    for case in doc.cases:
        records = json.loads((folder / case.id / "claimreview.jsonld").read_text(encoding="utf-8"))
        unrated += [r for r in records if r["reviewRating"]["alternateName"].startswith((UNDETERMINED, CANNOT_TELL))]
    assert unrated, "the first case's headline is undetermined and its trip counts cannot tell"
    assert all("ratingValue" not in r["reviewRating"] for r in unrated)
    assert any(" to " in r["reviewRating"]["alternateName"] for r in unrated)  # an undetermined verdict's range
    forged = json.loads(json.dumps(unrated[:1]))
    forged[0]["reviewRating"].update(ratingValue=4, bestRating=5, worstRating=1)  # negative control
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(forged, SCHEMA)


@pytest.mark.parametrize("base", ["https://example.org/checks", "https://example.org/checks/"])
def test_review_urls_are_absolute_under_a_base_url_with_or_without_its_trailing_slash(base):
    assert claimreview.review_url(base, "a-case", "c-one") == "https://example.org/checks/a-case/index.html#claim-c-one"


def test_without_a_base_url_a_review_url_resolves_from_the_cases_folder():
    assert claimreview.review_url("", "a-case", "c-one") == "index.html#claim-c-one"  # not a-case/a-case/...


@pytest.mark.parametrize("base", ["javascript:alert(1)", "ftp://example.org/", "example.org/checks", "https://",
                                  "https://exa mple.org/"])
def test_a_base_url_that_is_not_http_is_refused(base, capsys):
    from estimates import runner
    with pytest.raises(ValueError, match="is not an http"):
        claimreview.check_base_url(base)
    with pytest.raises(SystemExit) as exit_:
        runner.main(["--base-url", base])
    assert exit_.value.code == 2 and "is not an http(s) address" in capsys.readouterr().err


def test_unverified_is_published_in_words_with_no_number(written):
    from estimates.verdicts import UNVERIFIED
    folder, doc = written
    records = [r for case in doc.cases
               for r in json.loads((folder / case.id / "claimreview.jsonld").read_text(encoding="utf-8"))]
    assert claimreview.rating(UNVERIFIED, "No source dates it.") == {"@type": "Rating", "alternateName": UNVERIFIED, "ratingExplanation": "No source dates it."}
    forged = [json.loads(json.dumps(records[0]))]
    forged[0]["reviewRating"] = {**claimreview.rating(UNVERIFIED, "No source dates it."), "ratingValue": 3, "bestRating": 5, "worstRating": 1}
    with pytest.raises(jsonschema.ValidationError):  # negative control: the schema refuses a number for it
        jsonschema.validate(forged, SCHEMA)


def test_a_claimant_the_register_names_as_a_person_is_a_person_and_the_rest_organisations(written):
    folder, doc = written
    for case in doc.cases:
        records = json.loads((folder / case.id / "claimreview.jsonld").read_text(encoding="utf-8"))
        claims = {c.quote: c for c in load_case(case.id).claims}
        for r in records:
            claim, author = claims[r["claimReviewed"]], r["itemReviewed"]["author"]
            assert author["@type"] == ("Person" if claim.claimant_person else "Organization")
            assert author["name"] == (claim.claimant_person or claim.claimant)


def test_each_review_appears_in_its_own_excerpt_or_the_article(written):
    folder, doc = written
    for case in doc.cases:
        loaded = load_case(case.id)
        records = json.loads((folder / case.id / "claimreview.jsonld").read_text(encoding="utf-8"))
        claims = {c.quote: c for c in loaded.claims}
        for r in records:
            claim = claims[r["claimReviewed"]]
            expected = loaded.register.excerpt(claim.excerpt).url if claim.excerpt else loaded.article.url
            assert r["itemReviewed"]["appearance"]["url"] == expected


def test_where_each_claim_was_read_stays_a_structure_in_the_records(written):
    _, doc = written
    for case in doc.cases:
        loaded = load_case(case.id)
        claims = {c.id: c for c in loaded.claims}
        for v in case.verdicts:
            claim, where = claims[v.claim_id], v.reported_in
            source = loaded.register.excerpt(claim.excerpt) if claim.excerpt else None
            assert where.url == (source.url if source else loaded.article.url)
            assert where.outlet == (source.outlet if source else loaded.article.outlet)
            assert where.headline == (source.headline if source else loaded.article.title)
            assert v.as_dict()["reported_in"] == where.as_dict()  # and so in verdicts.json


def test_the_review_date_comes_from_the_data_not_the_clock(written):
    folder, doc = written
    case = doc.cases[0]
    records = json.loads((folder / case.id / "claimreview.jsonld").read_text(encoding="utf-8"))
    freezes = (case.hindsight or {}).get("freezes")
    expected = freezes[-1]["frozen_on"] if freezes else case.article.published
    assert {r["datePublished"] for r in records} == {expected}


def test_no_page_shows_a_folder_of_this_machine(tmp_path):
    """A failed notebook whose error and traceback name the project's, the temporary and the home
    folders: the cards, the notebook page and the records show paths relative to the project, or
    short names, never where the project is."""
    import nbformat
    import tempfile
    runs = _stored_runs()
    broken = next(r for r in runs if r.name.startswith("01"))
    nb = json.loads(json.dumps(broken.nb))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    local = [str(paths.ROOT / "sources" / "reference-figures.toml"), str(Path(tempfile.gettempdir()) / "x.json"),
             str(Path.home() / "notes.txt")]
    cell["outputs"] = [nbformat.v4.new_output("error", ename="RecordError", evalue=f"{local[0]}: bad",
                                              traceback=[f'File "{p}", line 1' for p in local])]
    failed = NotebookRun(broken.path, False, 0.0, nb, 1, f"RecordError: {local[0]}, record 'x': bad; see {local[2]}", [], [])
    runs = [failed if r is broken else r for r in runs]
    doc, _ = report.assemble(runs)
    report.write_report(doc, runs, tmp_path / "report")
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "report").rglob("*") if p.suffix in (".html", ".json", ".csv", ".jsonld")]
    assert texts
    for folder in (str(paths.ROOT), tempfile.gettempdir(), str(Path.home())):
        assert not [t for t in texts if folder in t], folder
    assert any("sources/reference-figures.toml, record" in t for t in texts)  # the project's own path stays, relative


@pytest.mark.parametrize("width", [80, 160])
def test_the_terminal_table_fits_the_width_and_cuts_no_id(written, width):
    _, doc = written
    text = terminal.terminal_table(doc, width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for case in doc.cases:
        for v in case.verdicts:
            assert any(re.match(rf"{re.escape(v.claim_id)}\s", line) for line in lines), v.claim_id


def test_control_characters_of_a_register_never_reach_the_terminal(written):
    _, doc = written
    case = doc.cases[0]
    case = replace(case, article=replace(case.article, title="A title\x1b[2J\x1b]0;owned\x07 with \u202e bidi"))
    forged = replace(doc, cases=(case, *doc.cases[1:]))
    text = terminal.terminal_table(forged, 100)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b[2J" in text  # shown, as an escape
