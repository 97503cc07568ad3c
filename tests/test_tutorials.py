"""The training notebooks never rot: each runs top to bottom with its exercises answered.

For every notebook in notebooks/tutorials (found by glob), each ``exercise`` cell's stub is
replaced by the solution kept in its metadata; papermill runs it on the real "genelab" kernel
(cwd the notebook's folder, parameter ``lang``) and every ``hidden-answer`` cell must print the
"correct" text.  The committed notebooks must equal what scripts/tutorials.py renders, and an
unanswered exercise must give the hint.
"""
from __future__ import annotations

import importlib.util
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill as pm
import pytest

import genelab
from genelab.teaching import ExerciseError, check

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "notebooks" / "tutorials"
NOTEBOOKS = sorted(TUTORIALS.glob("*.ipynb"))
CORRECT = {"vi": "✔ chính xác", "en": "✔ correct"}


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _lang(path: Path) -> str:
    return path.name.split(".")[-2]


def test_every_tutorial_is_there_in_both_languages():
    stems = {p.name.rsplit(".", 2)[0] for p in NOTEBOOKS}
    assert len(stems) == 7, sorted(stems)
    for stem in stems:
        assert (TUTORIALS / f"{stem}.vi.ipynb").exists() and (TUTORIALS / f"{stem}.en.ipynb").exists()


def _kernel_pythonpath() -> str:
    return os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def _answer_and_run(path: Path, workdir: Path):
    """Fill every exercise with its solution and execute the notebook on the genelab kernel."""
    nb = nbformat.read(path, as_version=4)
    n_exercises = 0
    for cell in nb.cells:
        if "exercise" in _tags(cell):
            cell.source = cell.metadata["genelab"]["solution"]
            n_exercises += 1
    answered = workdir / path.name
    nbformat.write(nb, answered)
    done = pm.execute_notebook(
        str(answered), str(workdir / f"out_{path.name}"), parameters={"lang": _lang(path)},
        cwd=str(path.parent), kernel_name="genelab", progress_bar=False, request_save_on_cell_execute=False,
    )
    return n_exercises, done


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run every tutorial, two at a time (one kernel per notebook), while the tests wait on theirs.

    Much of a notebook's time is kernel start-up and imports, so two notebooks in flight keep both
    cores busy and halve the wall time of the 14 runs.
    """
    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "GENELAB_STATIC")}
    os.environ["PYTHONPATH"] = _kernel_pythonpath()
    os.environ.pop("GENELAB_STATIC", None)  # exercise the explorer's automatic fallback under papermill
    pool = ThreadPoolExecutor(max_workers=2)
    base = tmp_path_factory.mktemp("tutorials")
    futures = {}
    for path in sorted(NOTEBOOKS, key=lambda p: p.name.startswith("07"), reverse=True):  # longest first
        work = base / path.stem
        work.mkdir()
        futures[path.name] = pool.submit(_answer_and_run, path, work)
    try:
        yield futures
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_tutorial_runs_clean_with_every_check_correct(path, executed):
    lang = _lang(path)
    n_exercises, done = executed[path.name].result(timeout=600)
    assert 2 <= n_exercises <= 3, f"{path.name}: {n_exercises} exercises"
    checks = [c for c in done.cells if "hidden-answer" in _tags(c)]
    assert len(checks) == n_exercises
    for cell in checks:
        text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
        assert CORRECT[lang] in text, f"{path.name}: hidden check printed {text!r}\n{cell.source}"
    errors = [o for c in done.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_both_languages_share_the_same_code():
    for vi in TUTORIALS.glob("*.vi.ipynb"):
        en = vi.with_name(vi.name.replace(".vi.", ".en."))
        code = [[c["source"] for c in json.loads(p.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
                for p in (vi, en)]
        assert code[0][1:] == code[1][1:], vi.name  # all but the parameters cell (lang)


def _render_module():
    spec = importlib.util.spec_from_file_location("genelab_tutorials_builder", ROOT / "scripts" / "tutorials.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_committed_notebooks_equal_what_the_builder_renders(tmp_path):
    builder = _render_module()
    written = builder.write_all(tmp_path)
    assert sorted(p.name for p in written) == [p.name for p in NOTEBOOKS]
    for path in written:
        assert path.read_text(encoding="utf-8") == (TUTORIALS / path.name).read_text(encoding="utf-8"), path.name


def test_committed_notebooks_are_clean_and_thin():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "genelab"
        code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert "parameters" in code_cells[0]["metadata"].get("tags", [])
        for cell in code_cells:
            assert cell["outputs"] == [] and cell["execution_count"] is None, path.name
            assert "def " not in cell["source"] and "class " not in cell["source"], path.name
        hidden = [c for c in code_cells if "hidden-answer" in c["metadata"].get("tags", [])]
        assert hidden and all(c["metadata"]["jupyter"]["source_hidden"] for c in hidden)
        assert all("genelab.teaching.check(" in c["source"] for c in hidden)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_unanswered_exercise_gives_the_hint(lang):
    with pytest.raises(ExerciseError) as info:
        check(None, 3.5, hint="dòng 'treatment', cột 'ms'", lang=lang)
    msg = str(info.value)
    assert "dòng 'treatment', cột 'ms'" in msg
    assert msg.startswith({"vi": "✘ chưa có câu trả lời", "en": "✘ not answered yet"}[lang])
    with pytest.raises(ExerciseError, match="2.0"):
        check(2.0, 3.5, hint="h", lang=lang)
    assert check(3.5004, 3.5, hint="h", lang=lang) == CORRECT[lang]


def test_a_stub_left_in_a_tutorial_gives_the_hint(tmp_path, monkeypatch):
    """Tutorial 03's first exercise with the stub left as is: its hidden check raises the hint."""
    monkeypatch.setenv("PYTHONPATH", _kernel_pythonpath())
    path = TUTORIALS / "03_trial_anova.vi.ipynb"
    nb = nbformat.read(path, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "hidden-answer" in _tags(c))
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "open_workspace" in c.source)
    assert "exercise" in _tags(nb.cells[first - 1])
    nb.cells = [nb.cells[1], nb.cells[setup], nb.cells[first - 1], nb.cells[first]]
    src = tmp_path / "partial.ipynb"
    nbformat.write(nb, src)
    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(src), str(tmp_path / "out.ipynb"), parameters={"lang": "vi"},
                            cwd=str(path.parent), kernel_name="genelab", progress_bar=False)
    assert info.value.ename == "ExerciseError"
    assert "chưa có câu trả lời" in info.value.evalue and "gợi ý" in info.value.evalue
