"""Every docstring example of the genelab package runs as a doctest in ``make test`` (issue 9).

Modules are discovered with pkgutil, so a new module's examples are picked up with no change here.
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import genelab

MODULES = sorted(m.name for m in pkgutil.walk_packages(genelab.__path__, "genelab.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test, out=lambda text: None)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}; " \
                               f"run python -m pytest --doctest-modules {module.__file__}"


def test_public_functions_have_examples():
    """The user-facing entry points named in the guide carry an example."""
    from genelab import explorer, teaching, trials

    for fn in (trials.anova, trials.compare_means, trials.mean_table, explorer.trial_explorer, explorer.explore,
               teaching.check, genelab.open_workspace.__wrapped__ if hasattr(genelab.open_workspace, "__wrapped__")
               else genelab.workspace.open_workspace):
        assert ">>>" in (fn.__doc__ or ""), fn.__qualname__
