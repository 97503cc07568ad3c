"""Shared registries stay consistent as modules are added: figures and report labels."""
from __future__ import annotations

import ast
import inspect

import genelab.i18n as i18n
import genelab.plots as plots


def test_every_registered_figure_resolves_to_a_function():
    for name in plots.__all__:
        fn = getattr(plots, name)
        assert callable(fn) and fn.__name__ == name
        assert fn.__doc__, f"figure {name} has no docstring"


def test_report_labels_have_no_duplicate_keys_and_both_languages():
    tree = ast.parse(inspect.getsource(i18n))
    keys = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "LABELS":
            keys = [k.value for k in node.value.keys]
    assert keys, "LABELS literal not found"
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    assert not dupes, f"label keys defined twice (the later silently wins): {dupes}"
    for key, pair in i18n.LABELS.items():
        assert len(pair) == 2 and all(isinstance(s, str) and s for s in pair), key
