"""Dose-response figure: data, fitted curve on a log-dose axis (dose 0 shown), ED50 with CI."""
from __future__ import annotations

import numpy as np

from genelab.i18n import label

__all__ = ["dose_response_curve"]


def dose_response_curve(fit, *, lang: str = "vi", ax=None, xlabel: str | None = None,
                        ylabel: str | None = None):
    """Observed responses, the fitted curve and ED50 with its delta-method 95 % interval.

    The dose axis is logarithmic; dose 0 (the control) is drawn at a break one decade below the
    smallest positive dose, as drc's ``plot()`` does, with the curve's dose-0 level.

    Parameters
    ----------
    fit : genelab.doseresponse.DoseResponseFit
    lang : {"vi", "en"}
    ax : matplotlib Axes, optional
    xlabel, ylabel : str, optional
        Axis titles (default: the dose and response column names).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from genelab.doseresponse import fit
    >>> d = pd.DataFrame({"ppm": [0, 0, 100, 100, 400, 400, 1600, 1600, 6400, 6400],
    ...                   "rooting": [10, 12, 20, 22, 42, 45, 66, 70, 78, 80]})
    >>> fig = dose_response_curve(fit(d, "ppm", "rooting"), lang="en")
    >>> fig.axes[0].get_xscale()
    'log'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 4.2))
    else:
        fig = ax.figure
    x = fit.data["dose"].to_numpy()
    y = fit.data["response"].to_numpy()
    pos = x[x > 0]
    if len(pos) == 0:
        lo, hi = 0.1, 1.0
    else:
        lo, hi = float(pos.min()), float(pos.max())
    zero_at = lo / 10.0
    xs = np.where(x > 0, x, zero_at)
    ax.plot(xs, y, "o", ms=4, alpha=0.75, label=label("dr_observed", lang))
    grid = np.exp(np.linspace(np.log(lo / 3.0), np.log(hi * 1.5), 300))
    ax.plot(grid, fit.predict(grid), "-", lw=1.6, label=label("dr_fitted", lang))
    ax.plot([zero_at], fit.predict([0.0]), "s", ms=5, mfc="none", color="C1")
    ed = fit.ed(50)
    est, low, high = (float(ed[c].iloc[0]) for c in ("estimate", "ci_low", "ci_high"))
    if np.isfinite(est) and est > 0:
        level = float(fit.predict([est])[0])
        ax.errorbar([est], [level], xerr=[[est - max(low, zero_at)], [max(high - est, 0.0)]],
                    fmt="D", color="C3", capsize=4, label=f"{label('dr_ed50', lang)} = {est:.4g}")
    ax.set_xscale("log")
    ax.axvline(np.sqrt(zero_at * lo / 3.0), color="0.7", lw=0.8, ls=":")
    ticks = list(ax.get_xticks())
    ax.set_xlim(zero_at / 2.0, hi * 2.0)
    ax.set_xticks([zero_at] + [t for t in ticks if lo / 3.0 <= t <= hi * 2.0])
    ax.set_xticklabels(["0"] + [f"{t:g}" for t in ax.get_xticks()[1:]])
    ax.set_xlabel(xlabel or f"{label('dr_dose', lang)} ({fit.dose})")
    ax.set_ylabel(ylabel or f"{label('dr_response', lang)} ({fit.response})")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig
