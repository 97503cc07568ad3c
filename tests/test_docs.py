"""The user guide in docs/ stays accurate to the code: tables, columns, options, R functions, messages."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import genelab
from genelab import schema
from genelab.errors import ValidationError

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_page_is_linked_from_the_index_and_links_resolve():
    index = _read("README.md")
    pages = sorted(p.name for p in DOCS.glob("*.md") if p.name != "README.md")
    assert pages and all(f"]({p})" in index for p in pages)
    for page in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+)\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_workspace_page_names_every_table_and_column():
    text = _read("workspace.md")
    for table in schema.TABLES:
        row = next((line for line in text.splitlines() if line.startswith(f"| {table} |")), None)
        assert row is not None, f"table {table} missing from docs/workspace.md"
        for column in schema.table_columns(table):
            assert f"`{column}`" in row, f"{table}.{column} missing from docs/workspace.md"


def test_reports_page_lists_every_cli_option():
    import argparse

    from genelab import cli

    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    text = _read("reports.md")
    for action in sub.choices["reports"]._actions:
        for flag in action.option_strings:
            if flag in ("-h", "--help"):
                continue
            assert flag in text, f"genelab reports {flag} missing from docs/reports.md"
    db_text = _read("database.md")
    db = next(a for a in sub.choices["db"]._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in db.choices.items():
        assert f"genelab db {name}" in db_text
        for action in command._actions:
            for flag in action.option_strings:
                assert flag in ("-h", "--help") or flag in db_text, f"genelab db {name} {flag} missing"


@pytest.mark.parametrize("fn", ["LSD.test", "HSD.test", "duncan.test", "SNK.test", "scheffe.test", "kruskal()",
                                "friedman()", "sp.plot", "germination.indices()", "FourPHFfit()", "drm(", "ED()",
                                "modelFit()", "mselect()", "lmer("])
def test_analyses_page_names_the_r_function(fn):
    assert fn in _read("analyses.md")


def _broken_copy(tmp_path, table, row, column, value):
    ws = tmp_path / "ws"
    shutil.copytree(genelab.demo_path(), ws)
    path = ws / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)
    return ws


@pytest.mark.parametrize("table,row,column,value", [
    ("sources", 4, "threat", "vu"),
    ("sources", 2, "elevation_m", "470m"),
    ("sources", 3, "collected_on", "24/07/2021"),
    ("observations", 5, "source_id", "HONG-010"),
    ("observations", 7, "trait", "fruit_weight"),
])
def test_troubleshooting_messages_are_the_real_ones(tmp_path, table, row, column, value):
    with pytest.raises(ValidationError) as info:
        genelab.open_workspace(_broken_copy(tmp_path, table, row, column, value))
    lines = [line.strip().removeprefix("- ").strip() for line in str(info.value).splitlines()[1:]]
    assert lines
    text = _read("troubleshooting.md")
    for line in lines:
        assert line in text, f"message not in docs/troubleshooting.md: {line}"
