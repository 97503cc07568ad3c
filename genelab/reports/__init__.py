"""Evaluation reports: parameterised notebooks run in batch on warm kernels.

``genelab.reports.build(workspace, out)`` (the ``genelab reports`` command) executes one
notebook per gene source, one per trial and the programme overview, each saved as the
executed ``.ipynb``, an HTML page without code and a JSON summary, plus ``index.html``.
Reports are rebuilt only when their notebook, parameters, slice of the data or the genelab
version changed.  Importing this package is cheap; the runner loads on first use.

Examples
--------
>>> import genelab.reports as r
>>> callable(r.build)
True
"""
from __future__ import annotations

import importlib

__all__ = ["build", "plan", "BuildResult", "Failure", "write_summary", "available", "sections"]

_LAZY = {"build": "runner", "plan": "runner", "BuildResult": "runner", "Failure": "runner",
         "write_summary": "summary", "available": "sections"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"genelab.reports.{_LAZY[name]}"), name)
    if name == "sections":
        return importlib.import_module("genelab.reports.sections")
    raise AttributeError(f"module 'genelab.reports' has no attribute {name!r}")
