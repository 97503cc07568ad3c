"""The figures the reports use (matplotlib/seaborn), one function per figure.

Each statistical family keeps its figures in its own submodule (``genelab.plots.trials``,
``genelab.plots.germination`` …); every figure is also reachable here as
``genelab.plots.<name>``, loaded on first use so that ``import genelab.plots`` stays cheap.
"""
from __future__ import annotations

import importlib

# figure name -> submodule that defines it
_FIGURES: dict[str, str] = {
    "means_with_letters": "trials",
    "survival_curves": "survival",
    "growth_curves": "growth",
    "viability_decline": "viability",
    "site_map": "maps",
    "site_map_png": "maps",
    "scree_plot": "traits",
    "pca_biplot": "traits",
    "cluster_dendrogram": "traits",
    "correlation_heatmap": "traits",
    "ammi_biplot": "traits",
    "germination_curves": "germination",
    "dose_response_curve": "doseresponse",
    "score_bars": "scoring",
    "score_radar": "scoring",
    "score_radar_png": "scoring",
    "rank_stability": "scoring",
}

__all__ = sorted(_FIGURES)


def __getattr__(name: str):
    module = _FIGURES.get(name)
    if module is None:
        raise AttributeError(f"module 'genelab.plots' has no figure {name!r}")
    return getattr(importlib.import_module(f"genelab.plots.{module}"), name)


def __dir__():
    return sorted(set(globals()) | set(_FIGURES))
