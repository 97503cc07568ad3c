"""Figures for trial statistics: means with their letter groups."""
from __future__ import annotations

import numpy as np

from genelab.i18n import label

__all__ = ["means_with_letters"]


def means_with_letters(result, ax=None, lang: str = "vi", *, color: str = "#4C72B0"):
    """Bar chart of compared means with ±SE error bars and the letter groups above the bars.

    Parameters
    ----------
    result : MeanComparison
        From :func:`genelab.trials.compare_means`; bars follow its table order (highest
        mean first).
    ax : matplotlib Axes, optional
        Drawn on a new figure when omitted.
    lang : str
        ``vi`` or ``en`` axis labels.
    color : str
        Bar colour.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from genelab.trials import anova, compare_means
    >>> d = pd.DataFrame({"trt": list("AAABBBCCC"), "y": [10.1, 10.8, 9.7, 12.0, 12.9, 12.2, 9.5, 9.9, 9.0]})
    >>> ax = means_with_letters(compare_means(anova(d, "y", design="crd", treatment="trt"), "duncan"))
    >>> [t.get_text() for t in ax.texts]
    ['a', 'b', 'b']
    """
    import matplotlib.pyplot as plt

    t = result.table
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 0.6 * len(t) + 1.5), 3.5))
    x = np.arange(len(t))
    means = t["mean"].to_numpy(dtype=float)
    se = t["se"].to_numpy(dtype=float) if "se" in t.columns else np.full(len(t), np.nan)
    ax.bar(x, means, yerr=None if np.isnan(se).all() else se, color=color, capsize=3, edgecolor="black", linewidth=0.5)
    top = np.nanmax(means + np.nan_to_num(se)) if len(t) else 1.0
    pad = 0.03 * (abs(top) if top else 1.0)
    for xi, m, s, g in zip(x, means, se, t["group"]):
        ax.text(xi, m + (0 if np.isnan(s) else s) + pad, str(g), ha="center", va="bottom")
    ax.set_xticks(x)
    ax.set_xticklabels([str(i) for i in t.index], rotation=45 if len(t) > 6 else 0,
                       ha="right" if len(t) > 6 else "center")
    ax.set_ylim(top=top + 8 * pad)
    ax.set_xlabel(label("treatment", lang))
    ax.set_ylabel(getattr(result, "response", "") or label("mean", lang))
    return ax
