"""Figures of germination tests: cumulative curves with their Hill fits
(see :mod:`genelab.germination`)."""
from __future__ import annotations

import numpy as np

from genelab.i18n import label

__all__ = ["germination_curves"]


def germination_curves(result, *, treatment: str | None = None, lang: str = "vi", ax=None):
    """Observed cumulative germination (points) and four-parameter Hill fits (lines).

    Parameters
    ----------
    result : genelab.germination.CurveResult
        The output of :func:`genelab.germination.curve`.
    treatment : str, optional
        Grouping column (one colour per level, one legend entry each); by default each unit
        has its own colour.
    lang : {"vi", "en"}
        Language of the axis labels.
    ax : matplotlib Axes, optional
        Draw into this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from genelab.germination import curve, hill
    >>> days = np.arange(1.0, 15.0)
    >>> d = pd.DataFrame({"dish": 1, "treatment": "CK", "day": days, "sown": 50,
    ...                   "germinated": np.diff(np.r_[0.0, hill(days, 70, 6, 7)]) / 2})
    >>> fig = germination_curves(curve(d), treatment="treatment", lang="en")
    >>> fig.axes[0].get_ylabel()
    'Cumulative germination (%)'
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 4.2))
    else:
        fig = ax.figure
    pts, tab, time = result.points, result.table, result.time
    unit = list(result.unit)
    key = [treatment] if treatment else unit
    levels = list(dict.fromkeys(map(tuple, tab[key].itertuples(index=False, name=None))))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    tmax = float(pts[time].max())
    grid = np.linspace(0.0, tmax, 200)
    seen = set()
    for i, lev in enumerate(levels):
        colour = colours[i % len(colours)]
        sel = (tab[key].apply(tuple, axis=1) == lev).to_numpy()
        for _, r in tab[sel].iterrows():
            mask = np.ones(len(pts), dtype=bool)
            for u in unit:
                mask &= (pts[u] == r[u]).to_numpy()
            name = ", ".join(map(str, lev))
            lab = name if name not in seen else None
            seen.add(name)
            ax.plot(pts.loc[mask, time], pts.loc[mask, "cumulative_percent"], "o", ms=3.5,
                    color=colour, alpha=0.8, label=lab)
            if r["converged"]:
                from genelab.germination import hill

                ax.plot(grid, hill(grid, r["a"], r["b"], r["c"], r["y0"]), "-", lw=1.2,
                        color=colour, alpha=0.9)
    ax.set_xlabel(label("germ_day", lang))
    ax.set_ylabel(label("germ_cumulative_pct", lang))
    ax.set_ylim(bottom=0)
    ax.set_xlim(left=0)
    ax.set_title(label("germ_curves_title", lang))
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig
