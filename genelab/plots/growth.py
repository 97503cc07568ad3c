"""Growth-curve figure for :func:`genelab.growth.fit`."""
from __future__ import annotations

__all__ = ["growth_curves"]


def growth_curves(result, *, ax=None, inflection: bool = True, lang: str = "vi"):
    """Observed sizes and the fitted curve of each group of a :class:`~genelab.growth.GrowthFit`.

    Parameters
    ----------
    result : GrowthFit
        From :func:`genelab.growth.fit`.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when None.
    inflection : bool
        Mark each curve's inflection point (age of fastest growth).
    lang : {"vi", "en"}
        Language of the labels.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from genelab.growth import fit, predict_curve
    >>> age = np.arange(0, 200, 10.0)
    >>> df = pd.DataFrame({"age": age, "w": predict_curve("logistic", [1500, 0.05, 80], age)})
    >>> ax = growth_curves(fit(df, "age", "w", model="logistic"), lang="en")
    >>> ax.get_ylabel()
    'Size / weight'
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from genelab.i18n import label

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    obs = result.observed
    for i, (grp, sub) in enumerate(obs.groupby("group", sort=True)):
        colour = f"C{i}"
        ax.plot(sub["age"], sub["size"], "o", color=colour, alpha=0.5, markersize=4,
                label=f"{grp} ({label('observed', lang).lower()})" if obs["group"].nunique() > 1 else label("observed", lang))
        grid = np.linspace(sub["age"].min(), sub["age"].max(), 200)
        ax.plot(grid, result.predict(grid, group=grp), "-", color=colour,
                label=f"{grp} ({result.model})" if obs["group"].nunique() > 1 else f"{label('fitted_curve', lang)} ({result.model})")
        if inflection:
            d = result.derived.loc[grp]
            ax.plot([d["t_inflection"]], [d["y_inflection"]], "D", color=colour, markersize=6)
    ax.set_xlabel(label("age", lang))
    ax.set_ylabel(label("size", lang))
    ax.legend(frameon=False, fontsize="small")
    return ax
