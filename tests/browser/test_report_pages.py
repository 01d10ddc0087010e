"""The report an editor publishes from, in a real browser: the index and a case page open from the
file system (no server, no network), every claim of the register has its anchor, every finding's
card its verdict line and a source link where it cites sources, the byline, the review date and the
article's link are there, the pictures' text is legible on a phone, the phone page is no taller than
2.5 desktop pages, the page logs no console error, and screenshots are saved under reports/."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from estimates import paths, report
from estimates.case import case_ids, load_case
from estimates.publish import read_records
from estimates.runner import NotebookRun, find_notebooks

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    runs = []
    for path in find_notebooks(paths.NOTEBOOKS):
        nb = nbformat.read(path, as_version=4)
        verdicts, estimates = read_records(nb)
        runs.append(NotebookRun(path, True, 0.0, nb, None, "", verdicts, estimates))
    doc, problems = report.assemble(runs)
    assert problems == []
    report.write_report(doc, runs, folder)
    return folder


@pytest.mark.parametrize("width", [1300, 390], ids=["desktop", "phone"])
def test_an_editor_opens_the_index_and_every_case_page_offline(built, width):
    from playwright.sync_api import sync_playwright
    shots = paths.reports_dir()
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((built / "index.html").as_uri())
        for cid in case_ids():
            page.locator(f"a[href='{cid}/index.html']").first.click()
            page.wait_for_load_state()
            for claim in load_case(cid).claims:
                assert page.locator(f"#claim-{claim.id}").count() == 1, claim.id
            cards = page.locator("article.card")
            assert cards.count() > 0
            for i in range(cards.count()):
                card = cards.nth(i)
                assert card.locator(".verdict-line").inner_text().strip(), i
                if card.locator(".sources").count():
                    assert card.locator(".sources a[href^='http']").count() >= 1, card.inner_text()[:200]
            assert "Reviewed by" in page.locator(".byline").inner_text()
            assert page.locator(".byline time[datetime]").count() == 1
            assert page.locator(".checked a[href^='http'], .outlets a[href^='http']").count() >= 1
            sizes = page.eval_on_selector_all(".bar .ticks span, .verdict-line",
                                              "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
            assert sizes and min(sizes) >= 10, min(sizes)
            page.screenshot(path=str(shots / f"browser-report-{cid[:10]}-{width}.png"), full_page=False)
            page.go_back()
            page.wait_for_load_state()
        browser.close()
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests), [u for u in requests if not u.startswith("file:")]


def test_the_phone_page_is_no_taller_than_two_and_a_half_desktop_pages(built):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        heights = {}
        for width in (1300, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for cid in case_ids():
                page.goto((built / cid / "index.html").as_uri())
                heights[cid, width] = page.evaluate("document.documentElement.scrollHeight")
            page.close()
        browser.close()
    for cid in case_ids():
        assert heights[cid, 390] <= 2.5 * heights[cid, 1300], (cid, heights[cid, 390], heights[cid, 1300])
