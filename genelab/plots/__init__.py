"""The figures the reports use (matplotlib/seaborn), one function per figure.

Each statistical family keeps its figures in its own submodule; they are re-exported here.
"""
from __future__ import annotations

from genelab.plots.traits import (
    ammi_biplot,
    cluster_dendrogram,
    correlation_heatmap,
    pca_biplot,
    scree_plot,
)

__all__: list[str] = []
__all__ += ["scree_plot", "pca_biplot", "cluster_dendrogram", "correlation_heatmap", "ammi_biplot"]
