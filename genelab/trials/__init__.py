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

# --- rank tests, rates, layout, time to event (branch trials-more) ---------------------
from genelab.trials.nonparametric import friedman, kruskal  # noqa: E402
from genelab.trials.rates import rates  # noqa: E402
from genelab.trials.layout import layout  # noqa: E402
from genelab.trials.survival import time_to_event  # noqa: E402

__all__ += ["kruskal", "friedman", "rates", "layout", "time_to_event"]
