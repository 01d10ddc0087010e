"""The analyst's path in a real browser: JupyterLab on localhost (token on), a check notebook
opened in headless Chromium, every cell run, no error output, a what-if slider moved and the
printed verdict record changed, and a screenshot saved under reports/.

Run with `make browser-test` (it installs Debian's chromium and Playwright first). Not part of
`make test`: it needs a browser, and the analysis is already guarded there by strict nbval.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from estimates import paths

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NOTEBOOK = "2023-11-01-thehindu-afp-nk-russia-artillery/01-do-a-million-rounds-last-two-months.ipynb"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on 127.0.0.1 with a token, serving a copy of the notebooks (so that autosave
    never touches the repository), with its settings, workspaces and runtime files in tmp_path."""
    root = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, root)
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # render every cell (no windowing), so that all prompts and outputs are in the page
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    token, port = secrets.token_hex(16), _free_port()
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            log.close()
            pytest.fail(f"JupyterLab did not start: {(tmp_path / 'lab.log').read_text()[-2000:]}")
        time.sleep(0.5)
    try:
        with urllib.request.urlopen(f"{base}/api/status", timeout=2) as r:  # no token: refused
            pytest.fail(f"JupyterLab answered without the token ({r.status})")
    except urllib.error.HTTPError as exc:
        assert exc.code == 403
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_an_analyst_runs_a_check_notebook_and_moves_a_slider(lab):
    from playwright.sync_api import expect, sync_playwright
    base, token = lab
    shots = paths.reports_dir()
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
        code_cells = sum(c.cell_type == "code" for c in nbformat.read(paths.NOTEBOOKS / NOTEBOOK, 4).cells)
        assert code_cells > 10
        page.wait_for_function("n => document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell').length === n",
                               arg=code_cells)  # every cell rendered
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']")

        # clear the stored outputs first, so that what is checked below is what this run produced
        page.get_by_role("menuitem", name="Edit", exact=True).click()
        page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
        page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel .jp-OutputArea-output')")
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        page.wait_for_function(  # a fresh kernel numbers the cells 1..N as it runs them
            """n => {
                const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')];
                return prompts.length === n && prompts.every((p, i) => p.textContent.trim() === `[${i + 1}]:`);
            }""", arg=code_cells)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.first.inner_text()
        default_line = page.get_by_text(re.compile(r"^months covered by 1,000,000 rounds, daily figures: .*")).first.inner_text()

        what_if = page.locator(".estimate-checker-what-if").first
        what_if.scroll_into_view_if_needed()
        handle = what_if.locator(".noUi-handle").first  # the first slider: the spread read into a single figure
        handle.focus()
        readout = what_if.locator(".widget-readout").first
        before = readout.inner_text()
        for _ in range(20):
            page.keyboard.press("ArrowRight")
        expect(readout).not_to_have_text(before)
        page.wait_for_timeout(1000)  # the keys' last change reaches the kernel
        assert float(readout.inner_text()) > float(before)
        printed = what_if.locator(".jp-OutputArea-output").first
        expect(printed).to_contain_text("claim")  # the whole verdict record, as a full run prints it
        expect(printed).to_contain_text("daily figures, 2023:")
        moved_route = next(line for line in printed.inner_text().splitlines() if "daily figures, 2023:" in line)
        moved_interval = re.search(r"\(90%: [^)]*\)", moved_route).group(0)
        default_interval = re.search(r"\(90%: [^)]*\)", default_line).group(0)
        assert moved_interval != default_interval, (default_line, moved_route)
        page.wait_for_timeout(500)  # let the plot land before the picture
        path = shots / "browser-what-if.png"
        page.screenshot(path=str(path))
        browser.close()
    assert path.stat().st_size > 10_000
