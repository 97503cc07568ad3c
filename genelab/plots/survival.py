"""Kaplan–Meier figure for :func:`genelab.trials.time_to_event`."""
from __future__ import annotations

__all__ = ["survival_curves"]


def survival_curves(result, *, ax=None, cumulative: bool = False, ci: bool = True, lang: str = "vi"):
    """Step curves of a :class:`~genelab.trials.survival.TimeToEventResult`, one per group.

    Parameters
    ----------
    result : TimeToEventResult
        From :func:`genelab.trials.time_to_event`.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when None.
    cumulative : bool
        Draw 1 − S(t), the cumulative proportion with the event (e.g. rooted), instead of S(t).
    ci : bool
        Shade the pointwise confidence interval.
    lang : {"vi", "en"}
        Language of the axis labels.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from genelab.trials import time_to_event
    >>> df = pd.DataFrame({"day": [3, 5, 6, 8, 4, 9, 10, 12], "rooted": [1, 1, 1, 0, 1, 1, 0, 0],
    ...                    "iba": ["IBA"] * 4 + ["CK"] * 4})
    >>> ax = survival_curves(time_to_event(df, "day", "rooted", "iba"), cumulative=True, lang="en")
    >>> ax.get_ylabel()
    'Cumulative proportion (rooted, taken)'
    """
    import matplotlib.pyplot as plt

    from genelab.i18n import label

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    table, cens = result.table, result.censored
    for i, (grp, curve) in enumerate(table.groupby("group", sort=False)):
        colour = f"C{i}"
        y = curve["cumulative"] if cumulative else curve["survival"]
        ax.step(curve["time"], y, where="post", color=colour, label=str(grp))
        if ci:
            lo, hi = curve["ci_low"], curve["ci_high"]
            if cumulative:
                lo, hi = 1 - hi, 1 - lo
            ax.fill_between(curve["time"], lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)
        c = cens[cens["group"] == grp]
        if len(c):
            yc = 1 - c["survival"] if cumulative else c["survival"]
            ax.plot(c["time"], yc, "|", color=colour, markersize=8)
    ax.set_xlabel(label("time_days", lang))
    ax.set_ylabel(label("cumulative_proportion" if cumulative else "proportion_without_event", lang))
    ax.set_ylim(-0.02, 1.02)
    ax.legend(frameon=False)
    return ax
