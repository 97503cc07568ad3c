"""Propagation- and field-trial statistics.

Public names are re-exported here from the modules by statistical family.
"""
from __future__ import annotations

__all__: list[str] = []

# --- rank tests, rates, layout, time to event (branch trials-more) ---------------------
from genelab.trials.nonparametric import friedman, kruskal  # noqa: E402
from genelab.trials.rates import rates  # noqa: E402
from genelab.trials.layout import layout  # noqa: E402
from genelab.trials.survival import time_to_event  # noqa: E402

__all__ += ["kruskal", "friedman", "rates", "layout", "time_to_event"]
