"""The page an editor publishes: one card per finding in plain words, sources as links, a picture per
estimate, hindsight as arithmetic, and published notebooks that keep addresses whole and fold code."""
import json
import re
from html.parser import HTMLParser

import nbformat
import pytest

from estimates import pages, report
from estimates.case import case_ids, load_case
from estimates.document import SourceRef
from tests.test_report import _stored_runs


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if a.get("id"):
            self.ids.append(a["id"])

    def handle_data(self, data):
        self.text.append(data)


def _parse(path):
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    runs = _stored_runs()
    doc, _ = report.assemble(runs)
    report.write_report(doc, runs, folder, publisher="Test Desk")
    return folder, doc, runs


def test_the_verdict_line_says_in_words_what_an_undetermined_verdict_turns_on():
    assert pages.plain_verdict("undetermined", ["consistent", "strained", "inconsistent", "cannot tell"],
                               ["packaging", "munitions_share"]) == ("It ranges from consistent to inconsistent, or cannot tell, depending on "
                                      "packaging and munitions share.")
    assert pages.plain_verdict("consistent").startswith("Plausible")
    assert all(w and "tail" not in w for w in pages.VERDICT_WORDS.values())  # no statistician's words


@pytest.mark.parametrize("case_id", case_ids())
def test_a_case_page_is_a_fact_check_one_card_per_finding(site, case_id):
    folder, doc, _ = site
    case = next(c for c in doc.cases if c.id == case_id)
    page = _parse(folder / case_id / "index.html")
    html = (folder / case_id / "index.html").read_text(encoding="utf-8")
    for claim in load_case(case_id).claims:  # every claim has its anchor, once
        assert page.ids.count(f"claim-{claim.id}") == 1, claim.id
    findings = {v.finding or v.variant_of or v.claim_id for v in case.verdicts}
    assert html.count('<article class="card"') == len(findings)
    assert "Reviewed by <b>Test Desk</b>" in html and re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)
    article = load_case(case_id).article
    expected = article.url or [x.url for x in load_case(case_id).register.excerpts]
    assert (article.url in page.hrefs) if article.url else set(expected) <= set(page.hrefs)
    assert 'class="glossary"' in html and all(w in html for w in pages.LABEL_WORDS.values())
    outside = re.sub(r'<details class="stats">.*?</details>', "", html, flags=re.S)
    assert not re.search(r"\b10\^|tail probability", outside)  # in words; the statistics one click away
    assert html.count('<details class="stats">') == len(findings)  # ...and there, folded, on every card


def test_every_finding_that_cites_sources_links_one(site):
    folder, doc, _ = site
    for case in doc.cases:
        html = (folder / case.id / "index.html").read_text(encoding="utf-8")
        for card in re.findall(r'<article class="card".*?</article>', html, re.S):
            if "Sources:" in card:
                assert re.search(r'<p class="sources">.*?href="https?://', card, re.S), card[:300]


def test_an_estimates_picture_puts_the_claim_at_the_middle_and_the_interval_around_it():
    band, model = {"low": 100.0, "high": None}, {"p5": 10.0, "p25": 50.0, "p50": 100.0, "p75": 200.0, "p95": 2000.0}
    b = pages.bar("estimate", 100.0, model, band)
    assert b["median"] == 50.0 and b["band"] == (50.0, 100.0)
    assert b["p90"][0] == pytest.approx(50 - 50 * 2.302585 / 2.995732, abs=0.01) and b["p90"][1] == 100.0
    assert ("claimed" in [t[1] for t in b["ticks"]]) and pages.bar("exact", 100.0, model, band) is None


def test_hindsight_shows_each_later_figure_as_arithmetic_with_its_source(site):
    folder, doc, _ = site
    case = doc.cases[0]
    html = (folder / case.id / "index.html").read_text(encoding="utf-8")
    assert "1,500,000 rounds / 6,700 containers = 224 rounds per container" in html
    assert "{value}" not in html and "{per}" not in html and " / ua-hur" not in html  # never an expression


def test_a_published_notebook_keeps_addresses_whole_and_folds_its_code(site):
    folder, doc, runs = site
    kbs = load_case("2024-02-26-rok-defence-minister-briefing").register.excerpt("kbs").url
    assert "Seq_Code" in kbs
    run = next(r for r in runs if r.case.startswith("2024-02-26") and r.name.startswith("01"))
    page = folder / next(p for p in (folder / "notebooks").rglob("*.html") if run.name in p.name).relative_to(folder)
    parsed = _parse(page)
    assert kbs in parsed.hrefs  # the address round-trips: no escape inside it
    html = page.read_text(encoding="utf-8")
    code_cells = sum(1 for c in run.nb["cells"] if c["cell_type"] == "code")
    assert html.count('<details class="ec-code">') == code_cells and "Show the code" in html
    assert "VBox(" not in html and "FloatSlider(" not in html
    assert "Interactive controls" in html  # the what-if cell says what it is


def test_a_widget_output_is_a_sentence_on_the_page():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("controls()", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/plain": "VBox(children=(FloatSlider(value=1.0),))",
                              "application/vnd.jupyter.widget-view+json": {"model_id": "", "version_major": 2,
                                                                           "version_minor": 0}})])])
    html = report._exporter().from_notebook_node(nb)[0]
    assert "VBox(" not in html and "Interactive controls" in html


def test_md_escape_keeps_an_address_whole_and_still_neutralises_markup():
    from estimates.publish import md_escape
    out = md_escape("see *this* https://a.example/x_y?a=1&b=[2] and <b>")
    assert "<https://a.example/x_y?a=1&b=[2]>" in out and "\\*this\\*" in out and "&lt;b&gt;" in out
    assert md_escape("javascript:alert(1)") == "javascript:alert\\(1\\)"  # not an address: not a link
    assert json.dumps(md_escape("no address here")) == '"no address here"'


def test_sources_a_reader_can_open_come_first_and_one_article_is_listed_once():
    def ref(sid, title, url):
        return SourceRef(id=sid, title=title, producer="P", originator="P", published="2023", url=url, read_at="")
    sources = {"a": ref("a", "T", ""), "b": ref("b", "U", "https://example.org/u"), "c": ref("c", "U", "https://example.org/u")}
    assert [s.title for s in pages.source_links(["a", "b", "c", "missing"], sources)] == ["U", "T"]


def test_the_why_sentence_is_in_words():
    assert pages.plain_why("cannot tell", "").startswith("Every independent way")
    assert pages.plain_why("correct", "Correct: decided by 'the date'; more.") == (
        "Decided by the date, and the same under every fair reading examined.")
    assert pages.plain_why("strained", "It turns on pace_factor.") == "It turns on pace factor."
