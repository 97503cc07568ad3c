"""The figures the reports use (matplotlib/seaborn), one function per figure.

Each statistical family keeps its figures in its own submodule; they are re-exported here.
"""
from __future__ import annotations

__all__: list[str] = []

from genelab.plots.germination import germination_curves  # noqa: E402
from genelab.plots.doseresponse import dose_response_curve  # noqa: E402

__all__ += ["germination_curves", "dose_response_curve"]
