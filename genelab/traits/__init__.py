"""Trait evaluation: characterising gene sources from their botanical and agro-biological traits.

Modules by statistical family (names re-exported here, so ``genelab.traits.describe`` etc. work):

- :mod:`genelab.traits.describe` — descriptive statistics, state frequencies, comparison with a
  check, outlier flags
- :mod:`genelab.traits.diversity` — Shannon–Weaver and Simpson diversity indices
- :mod:`genelab.traits.multivariate` — correlations, path analysis, PCA and clustering
- :mod:`genelab.traits.genetics` — variance components, heritability, GCV/PCV, genetic advance
- :mod:`genelab.traits.stability` — Eberhart–Russell, Shukla, Wricke, AMMI
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
