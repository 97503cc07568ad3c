"""A real headless Chromium drives JupyterLab: open tutorial 03, run all cells, find the letter table.

Debian's chromium (``/usr/bin/chromium``, installed by .ci/services.d/chromium.sh) is driven by
Playwright's Python package by path — Playwright's own browser download is never used.  The
notebook opened is a copy of tutorial 03 with its exercises answered, under outputs/ (never
committed), so the committed notebook is not touched by JupyterLab's autosave.  A screenshot is
saved to outputs/screenshots/jupyterlab_tutorial03.png for a person to look at.

In CI (``CI=true``) a missing browser is a failure, not a skip.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from lab_server import ROOT, running_lab

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOT = ROOT / "outputs" / "screenshots" / "jupyterlab_tutorial03.png"


def _need_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"playwright is not installed: {err}")
        pytest.skip("playwright is not installed")
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian chromium is missing: .ci/services.d/chromium.sh installs it")
        pytest.skip("no chromium (apt-get install chromium chromium-driver)")


def _answered_copy() -> Path:
    """Tutorial 03 (en) with every exercise answered, under outputs/browser/ (git-ignored)."""
    src = ROOT / "notebooks" / "tutorials" / "03_trial_anova.en.ipynb"
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if "exercise" in cell.metadata.get("tags", []):
            cell.source = cell.metadata["genelab"]["solution"]
    dest = ROOT / "outputs" / "browser" / src.name
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return dest


def _wait_kernel_idle(lab, rel: str, timeout: float = 90) -> None:
    """Wait (REST API) until the notebook's session has a started, idle kernel."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for session in lab.api("/api/sessions"):
            if session.get("path", "").endswith(rel) and session["kernel"].get("execution_state") == "idle":
                return
        time.sleep(0.5)
    raise AssertionError(f"the kernel of {rel} did not become idle within {timeout} s")


def test_jupyterlab_runs_tutorial_03_and_shows_the_letter_table(tmp_path, monkeypatch):
    _need_browser()
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.delenv("GENELAB_STATIC", raising=False)
    notebook = _answered_copy()
    rel = notebook.relative_to(ROOT).as_posix()
    with running_lab(tmp_path) as lab, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{lab.base}/lab/tree/{rel}?token={lab.token}")
            # the notebook panel is open and its genelab kernel is idle
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="visible")
            kernel_name = page.locator(".jp-NotebookPanel-toolbar .jp-Toolbar-kernelName").first
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-Toolbar-kernelName')].some(e => e.textContent.includes('genelab'))")
            assert "genelab" in kernel_name.inner_text()
            _wait_kernel_idle(lab, rel)

            page.locator(".jp-NotebookPanel .jp-Cell").first.click()
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            page.wait_for_function(  # the run started: some cell has an execution count or is queued
                "() => [...document.querySelectorAll('.jp-InputArea-prompt')].some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))")

            # the letter table of the CRD (Tukey) appears in an output: "HSD0.05" is its footer row
            table = page.locator(".jp-OutputArea-output table").filter(has_text="HSD0.05").first
            table.wait_for(state="visible", timeout=90_000)
            assert "5.97 ± 0.25 a" in table.inner_text()
            # every exercise check ran and said "correct" (the last cell is the explorer)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-OutputArea-output')]"
                ".filter(e => e.textContent.includes('✔ correct')).length >= 3", timeout=90_000)
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
            assert errors.count() == 0, errors.first.inner_text()
            news = page.get_by_role("button", name="No", exact=True)
            if news.count():
                news.first.click()  # the "notified about Jupyter news?" toast hides part of the page
            table.scroll_into_view_if_needed()
            SHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOT))
            # the explorer at the end is a live widget (not the static fallback) with its own letter table
            widget_letters = page.locator(".jp-OutputArea-output .widget-html-content table.genelab-letters")
            widget_letters.wait_for(state="visible", timeout=60_000)
            widget_letters.scroll_into_view_if_needed()
            assert "IBA3000" in widget_letters.text_content()
            assert page.locator(".jp-OutputArea-output .widget-dropdown").count() >= 4
            widget_letters.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOT.with_name("jupyterlab_explorer.png")))
        except Exception:
            SHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOT.with_name("jupyterlab_failure.png")))
            raise
        finally:
            browser.close()
    assert SHOT.stat().st_size > 10_000
