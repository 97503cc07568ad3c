"""The figures the reports use (matplotlib/seaborn), one function per figure.

Each statistical family keeps its figures in its own submodule; they are re-exported here.
"""
from __future__ import annotations

__all__: list[str] = []

from genelab.plots.scoring import rank_stability, score_bars, score_radar  # noqa: E402

__all__ += ["score_bars", "score_radar", "rank_stability"]
