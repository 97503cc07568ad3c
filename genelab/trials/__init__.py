"""Propagation- and field-trial statistics.

Public names are re-exported here from the modules by statistical family.
"""
from __future__ import annotations

from genelab.trials.anova import AnovaFit, anova
from genelab.trials.letters import letters_from_pvalues
from genelab.trials.means import MeanComparison, compare_means
from genelab.trials.tables import mean_table

__all__: list[str] = ["AnovaFit", "MeanComparison", "anova", "compare_means", "letters_from_pvalues",
                     "mean_table"]
