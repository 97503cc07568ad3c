"""Trait evaluation: characterising gene sources from their botanical and agro-biological traits.

Modules by statistical family (names re-exported here, so ``genelab.traits.describe`` etc. work):

- :mod:`genelab.traits.describe` — descriptive statistics, state frequencies, comparison with a
  check, outlier flags
- :mod:`genelab.traits.diversity` — Shannon–Weaver and Simpson diversity indices
- :mod:`genelab.traits.multivariate` — correlations, path analysis, PCA and clustering
- :mod:`genelab.traits.genetics` — variance components, heritability, GCV/PCV, genetic advance
- :mod:`genelab.traits.stability` — Eberhart–Russell, Shukla, Wricke, AMMI

Arguments: ``observations`` is the long table of the workspace (source_id, accession, site,
year, rep, trait, value, state).  In :func:`describe`, :func:`frequencies` and
:func:`diversity` ``traits`` is the trait dictionary (units, names, states, kind); in
:func:`correlations` and :func:`ordination` it selects traits, and the dictionary is passed as
``dictionary`` (:func:`compare_to_check` and :func:`ordination`).  Figures are in
:mod:`genelab.plots` (``scree_plot``, ``pca_biplot``, ``cluster_dendrogram``,
``correlation_heatmap``, ``ammi_biplot``).

Examples
--------
>>> import genelab
>>> ws = genelab.open_workspace(genelab.demo_path())
>>> obs = ws.observations[ws.observations["source_id"] == "HONG-001"]
>>> d = describe(obs, traits=ws.traits)
>>> d.loc[d["trait"] == "fruit_weight_g", ["n", "mean", "sd", "cv", "unit"]].round(2)
    n    mean     sd    cv unit
4  18  165.32  15.19  9.19    g
>>> plots = obs[obs["trait"] == "brix_pct"].assign(env=lambda x: x["site"] + ":" + x["year"].astype(str))
>>> gp = genetic_parameters(plots, "value", genotype="accession", block="rep", env="env",
...                         block_in_env=True, method="reml")
>>> round(gp.h2_mean, 2), gp.table.set_index("parameter").loc["h2_mean", "level"]
(0.67, 'high')
"""
from __future__ import annotations

from genelab.traits.describe import compare_to_check, describe, flag_outliers, frequencies
from genelab.traits.diversity import diversity, jain_classes
from genelab.traits.genetics import GeneticParameters, genetic_parameters, robust_z
from genelab.traits.multivariate import (
    Correlations,
    Ordination,
    PathAnalysis,
    correlations,
    gower_distance,
    ordination,
    path_analysis,
)
from genelab.traits.stability import Stability, stability

__all__ = [
    "describe",
    "frequencies",
    "compare_to_check",
    "flag_outliers",
    "diversity",
    "jain_classes",
    "Correlations",
    "correlations",
    "PathAnalysis",
    "path_analysis",
    "Ordination",
    "ordination",
    "gower_distance",
    "GeneticParameters",
    "genetic_parameters",
    "robust_z",
    "Stability",
    "stability",
]
