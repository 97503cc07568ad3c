"""The figures the reports use (matplotlib/seaborn), one function per figure.

Each statistical family keeps its figures in its own submodule; they are re-exported here.
"""
from __future__ import annotations

from genelab.plots.trials import means_with_letters

__all__: list[str] = ["means_with_letters"]

# --- time to event and growth curves (branch trials-more) ------------------------------
from genelab.plots.survival import survival_curves  # noqa: E402
from genelab.plots.growth import growth_curves  # noqa: E402

__all__ += ["survival_curves", "growth_curves"]

from genelab.plots.germination import germination_curves  # noqa: E402
from genelab.plots.doseresponse import dose_response_curve  # noqa: E402

__all__ += ["germination_curves", "dose_response_curve"]

from genelab.plots.scoring import rank_stability, score_bars, score_radar  # noqa: E402

__all__ += ["score_bars", "score_radar", "rank_stability"]

from genelab.plots.viability import viability_decline  # noqa: E402

__all__ += ["viability_decline"]
from genelab.plots.maps import site_map  # noqa: E402

__all__ += ["site_map"]

from genelab.plots.traits import (
    ammi_biplot,
    cluster_dendrogram,
    correlation_heatmap,
    pca_biplot,
    scree_plot,
)

__all__ += ["scree_plot", "pca_biplot", "cluster_dendrogram", "correlation_heatmap", "ammi_biplot"]
