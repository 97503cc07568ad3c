"""The report batch: parameter checks, incremental builds, failures, determinism, dask.

These tests run real kernels on a few cheap reports of a copy of the demo workspace.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest

import genelab
from genelab.errors import ReportError
from genelab.reports import cache
from genelab.reports.runner import build, check_parameters, notebooks_dir, plan

S1, S2 = "GA-003", "CA-003"  # sources with few data: cheap reports
TRIAL = "T14-DONG-FERT"  # an RCBD trial without counts or doses
_BUILT: dict = {}  # outputs shared between tests to save kernel starts


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    dst = tmp_path_factory.mktemp("ws") / "demo"
    shutil.copytree(genelab.demo_path(), dst)
    return dst


def _edit_observation(ws: Path, source_id: str, factor: float = 1.01) -> None:
    path = ws / "observations.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    head = rows[0]
    i, v = head.index("source_id"), head.index("value")
    for r in rows[1:]:
        if r[i] == source_id:
            try:
                r[v] = f"{float(r[v]) * factor:.4g}"
                break
            except ValueError:
                continue
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _break_trial(ws: Path, trial_id: str) -> None:
    """Valid data the analysis refuses: every plot gets the same treatment."""
    trial = next(r for r in csv.DictReader((ws / "trials.csv").open(encoding="utf-8"))
                 if r["trial_id"] == trial_id)
    path = ws / "trials" / f"{trial_id}.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    i = rows[0].index(trial["treatment"])
    for r in rows[1:]:
        r[i] = rows[1][i]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _content(out: Path, rid: str) -> tuple[dict, str]:
    doc = json.loads((out / "reports" / f"{rid}.json").read_text("utf-8"))
    doc.pop("build")
    page = (out / "reports" / f"{rid}.html").read_text("utf-8")
    page = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"<]*", "<time>", page)
    return doc, page


# ------------------------------------------------------------------------------ checks, no kernel
def test_check_parameters_unknown_and_missing(tmp_path):
    declared = {"workspace": {"default": "'x'"}, "source_id": {"default": "'A'"},
                "threshold": {"default": "None"}, "out": {"default": "None"}}
    with pytest.raises(ReportError, match="unknown parameter.*colour"):
        check_parameters("source", Path("nb.ipynb"), declared, ["workspace", "source_id", "colour"])
    with pytest.raises(ReportError, match="missing parameter.*threshold"):
        check_parameters("source", Path("nb.ipynb"), declared, ["workspace", "source_id"])
    with pytest.raises(ReportError, match="no cell tagged 'parameters'"):
        check_parameters("source", Path("nb.ipynb"), {}, ["workspace"])
    check_parameters("source", Path("nb.ipynb"), declared, ["workspace", "source_id", "threshold"])


def test_unknown_parameter_refused_before_any_run(ws, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ReportError, match="unknown parameter.*bogus"):
        build(ws, out, only=[S1], parameters={"bogus": 1}, progress=False)
    assert not (out / "reports").exists() or not list((out / "reports").glob("*.html"))


def test_notebook_missing_a_parameter_is_refused(ws, tmp_path):
    nbs = tmp_path / "notebooks"
    shutil.copytree(notebooks_dir(), nbs)
    path = nbs / "source_report.ipynb"
    nb = json.loads(path.read_text("utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    source = "".join(cell["source"])
    cell["source"] = source.replace('source_id = "HOI-001"\n', "") + "\nthreshold = None"
    path.write_text(json.dumps(nb), "utf-8")
    with pytest.raises(ReportError) as err:
        build(ws, tmp_path / "out", only=[S1], notebooks=nbs, progress=False)
    assert "unknown parameter(s) source_id" in str(err.value)
    assert "missing parameter(s) threshold" in str(err.value)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ZZ-999", "hoi-001", "a/b"])
def test_report_ids_are_checked_before_they_become_paths(ws, tmp_path, bad):
    with pytest.raises(ReportError):
        build(ws, tmp_path / "out", only=[bad], progress=False)
    assert not (tmp_path / "etc").exists()


def test_plan_rebuilds_only_the_changed_source_and_the_overview(tmp_path):
    ws = tmp_path / "demo"
    shutil.copytree(genelab.demo_path(), ws)
    before = {r["id"]: r["hash"] for r in plan(ws, tmp_path / "out")}
    assert len(before) == 65 + 14 + 1
    _edit_observation(ws, S1)
    after = {r["id"]: r["hash"] for r in plan(ws, tmp_path / "out")}
    assert sorted(k for k in before if before[k] != after[k]) == sorted([S1, "overview"])
    # the scoring settings change every source's rank: every report is out of date
    toml = ws / "genelab.toml"
    toml.write_text(toml.read_text("utf-8").replace("alpha = 0.05", "alpha = 0.01"), "utf-8")
    changed = {r["id"] for r in plan(ws, tmp_path / "out") if r["hash"] != after[r["id"]]}
    assert len(changed) == len(after)
    # another language is another report
    en = {r["id"]: r["hash"] for r in plan(ws, tmp_path / "out", lang="en")}
    assert en[S2] != after[S2]


def test_atomic_write_keeps_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "a.html"
    cache.atomic_write_text(target, "old")

    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        cache.atomic_write_text(target, "new " * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]


# ------------------------------------------------------------------------------ real kernels
def test_build_incremental_failures_and_determinism(ws, tmp_path):
    out = tmp_path / "out"
    first = build(ws, out, only=[S1, S2, TRIAL, "overview"], jobs=1, progress=False)
    assert first.ok, first.summary_text()
    assert first.built == (S1, S2, TRIAL, "overview")
    reports = out / "reports"
    for rid in first.built:
        for ext in ("ipynb", "html", "json"):
            assert (reports / f"{rid}.{ext}").is_file()
    page = (reports / f"{S1}.html").read_text("utf-8")
    assert '<meta charset="utf-8"' in page and 'href="genelab.css"' in page
    assert "S.passport" not in page and "jp-InputArea" not in page  # no code cells
    assert "<style" not in page[: page.find("</head>")]  # the stylesheet is shared, not embedded
    assert "Lý lịch nguồn gen" in page  # Vietnamese labels with their diacritics
    assert (reports / "genelab.css").stat().st_size > 100_000
    summary = json.loads((reports / f"{S1}.json").read_text("utf-8"))
    assert summary["id"] == S1 and isinstance(summary["rank"], int) and 0 <= summary["score"] <= 1
    assert summary["build"]["hash"]
    index = (out / "index.html").read_text("utf-8")
    assert f'href="reports/{S1}.html"' in index and f"{summary['score']:.3f}" in index
    executed = json.loads((reports / f"{S1}.ipynb").read_text("utf-8"))
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in executed["cells"])

    # nothing changed: nothing is rebuilt, files untouched
    stamp = (reports / f"{S1}.html").stat().st_mtime_ns
    again = build(ws, out, only=[S1, S2, TRIAL, "overview"], jobs=1, progress=False)
    assert again.built == () and again.skipped == (S1, S2, TRIAL, "overview")
    assert (reports / f"{S1}.html").stat().st_mtime_ns == stamp

    # one source's observations change and one trial's data break: the source and the
    # overview are rebuilt, the trial fails, keeps its previous page, and the batch goes on
    good_trial_page = (reports / f"{TRIAL}.html").read_bytes()
    _edit_observation(ws, S1)
    _break_trial(ws, TRIAL)
    third = build(ws, out, only=[TRIAL, S1, S2, "overview"], jobs=1, progress=False)
    assert third.built == (S1, "overview")
    assert third.skipped == (S2,)
    assert [f.id for f in third.failed] == [TRIAL] and third.exit_status == 1
    failure = third.failed[0]
    assert failure.ename == "DesignError" and failure.cell is not None
    assert TRIAL in third.summary_text() and f"cell {failure.cell}" in third.summary_text()
    assert (reports / f"{TRIAL}.html").read_bytes() == good_trial_page
    kept = json.loads((out / "failed" / f"{TRIAL}.ipynb").read_text("utf-8"))
    errors = [o for c in kept["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "DesignError" and errors[0]["traceback"]
    assert TRIAL in (out / "index.html").read_text("utf-8")
    overview = (reports / "overview.html").read_text("utf-8")
    assert TRIAL in overview  # the overview names the failed report
    assert not list(out.rglob(f"*{cache.TMP_MARK}*"))

    # determinism: S2 built alone in a fresh kernel equals S2 built after S1 in a warm one
    alone = tmp_path / "alone"
    solo = build(ws, alone, only=[S2], jobs=1, progress=False)
    assert solo.built == (S2,)
    assert _content(alone, S2) == _content(out, S2)
    _BUILT[S2] = alone


def test_interrupted_batch_leaves_no_partial_file(ws, tmp_path, monkeypatch):
    from genelab.reports import worker

    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / f"{S1}.html").write_text("previous good page")

    def interrupted(job):
        fd = os.open(out / "reports" / f".{S1}.html{cache.TMP_MARK}x", os.O_CREAT | os.O_WRONLY)
        os.write(fd, b"<html>half")
        os.close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(worker, "run_job", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(ws, out, only=[S1], jobs=1, progress=False)
    assert (out / "reports" / f"{S1}.html").read_text() == "previous good page"
    assert not list(out.rglob(f"*{cache.TMP_MARK}*"))


def test_dask_local_cluster_builds_the_same_reports(ws, tmp_path):
    pytest.importorskip("dask.distributed")
    out_dask, out_local = tmp_path / "dask", tmp_path / "local"
    res = build(ws, out_dask, only=[S2, TRIAL], scheduler="local", jobs=2, progress=False)
    assert set(res.built) | {f.id for f in res.failed} == {S2, TRIAL}
    assert S2 in res.built
    if S2 not in _BUILT:
        assert build(ws, out_local, only=[S2], jobs=1, progress=False).built == (S2,)
        _BUILT[S2] = out_local
    assert _content(out_dask, S2) == _content(_BUILT[S2], S2)


def test_cli_reports_and_report(ws, tmp_path, capsys):
    from genelab.cli import main

    out = tmp_path / "out"
    assert main(["reports", "--workspace", str(ws), "--out", str(out), "--only", "ZZ-999"]) == 1
    assert "no report 'ZZ-999'" in capsys.readouterr().err
    assert main(["report", "../x", "--workspace", str(ws), "--out", str(out)]) == 1
    assert "invalid" in capsys.readouterr().err
