"""Build the training notebooks in notebooks/tutorials/ from one bilingual source.

Each tutorial is written once, here and in scripts/tutorial_content/, with its prose in Vietnamese and
English side by side and its code shared, so the two language versions can never drift apart.
``python scripts/tutorials.py`` writes ``NN_name.vi.ipynb`` and ``NN_name.en.ipynb``; a test checks
the committed notebooks equal what this script writes.

Why two notebooks and not one with a language parameter: markdown cells cannot be parameterised,
and trainees read the explanations, not only the outputs.

Cell kinds
----------
md(vi=..., en=...)           explanation
code("...")                  code shared by both languages (may use ``lang``)
exercise(q_vi, q_en, stub, solution, check)
                             a question, a cell for the trainee's answer (``stub``; the test
                             replaces it with ``solution``), and a hidden cell that runs
                             ``check`` (a genelab.teaching.check call) and prints "correct" or a hint.
"""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks" / "tutorials"
LANGS = ("vi", "en")

KERNELSPEC = {"name": "genelab", "display_name": "genelab (Python 3)", "language": "python"}


def md(vi: str, en: str) -> dict:
    return {"kind": "md", "vi": vi.strip(), "en": en.strip()}


def code(source: str, *, tags: tuple[str, ...] = ()) -> dict:
    return {"kind": "code", "source": source.strip(), "tags": list(tags)}


def exercise(n: int, q_vi: str, q_en: str, *, stub: str, solution: str, check: str) -> dict:
    return {"kind": "exercise", "n": n, "vi": q_vi.strip(), "en": q_en.strip(),
            "stub": stub.strip(), "solution": solution.strip(), "check": check.strip()}


def _cell(cell_type: str, source: str, metadata: dict | None = None) -> dict:
    out = {"cell_type": cell_type, "metadata": metadata or {}, "source": source}
    if cell_type == "code":
        out.update(execution_count=None, outputs=[])
    return out


def render(tutorial: dict, lang: str) -> dict:
    """One tutorial definition -> nbformat-4 notebook dict in ``lang``."""
    cells = [_cell("markdown", f"# {tutorial['title'][lang]}")]
    note = {"vi": "thư mục workspace; None = workspace mẫu data/demo",
            "en": "a workspace folder; None = the demo workspace data/demo"}[lang]
    params = f'lang = "{lang}"\n# {note}\nworkspace = None'
    cells.append(_cell("code", params, {"tags": ["parameters"]}))
    for c in tutorial["cells"]:
        if c["kind"] == "md":
            cells.append(_cell("markdown", c[lang]))
        elif c["kind"] == "code":
            meta = {"tags": c["tags"]} if c["tags"] else {}
            cells.append(_cell("code", c["source"], meta))
        else:
            label = {"vi": "Bài tập", "en": "Exercise"}[lang]
            cells.append(_cell("markdown", f"**{label} {c['n']}.** {c[lang]}"))
            cells.append(_cell("code", c["stub"], {"tags": ["exercise"], "genelab": {"solution": c["solution"]}}))
            cells.append(_cell("code", c["check"], {"tags": ["hidden-answer"],
                                                     "jupyter": {"source_hidden": True}}))
    for i, cell in enumerate(cells):  # stable ids (nbformat 4.5), so re-rendering gives identical files
        cell["id"] = f"{tutorial['slug'].replace('_', '-')}-{i:02d}"
    return {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def tutorials() -> list[dict]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    mod = importlib.import_module("tutorial_content")
    return mod.TUTORIALS


def write_all(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for t in tutorials():
        for lang in LANGS:
            path = out / f"{t['slug']}.{lang}.ipynb"
            text = json.dumps(render(t, lang), ensure_ascii=False, indent=1) + "\n"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
