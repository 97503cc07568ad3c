"""The figures the reports use (matplotlib/seaborn), one function per figure.

Each statistical family keeps its figures in its own submodule; they are re-exported here.
"""
from __future__ import annotations

from genelab.plots.trials import means_with_letters

__all__: list[str] = ["means_with_letters"]
