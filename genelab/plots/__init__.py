"""The figures the reports use (matplotlib/seaborn), one function per figure.

Each statistical family keeps its figures in its own submodule; they are re-exported here.
"""
from __future__ import annotations

__all__: list[str] = []

from genelab.plots.viability import viability_decline  # noqa: E402

__all__ += ["viability_decline"]
