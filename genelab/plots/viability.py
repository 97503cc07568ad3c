"""Viability figures: observed germination of a seed lot, the fitted Ellis–Roberts decline,
the regeneration threshold and the predicted crossing with its confidence interval."""
from __future__ import annotations

__all__ = ["viability_decline"]


def viability_decline(data, lot_id, *, alpha: float = 0.05, lang: str = "vi", ax=None):
    """Plot one seed lot's viability over storage time.

    Parameters
    ----------
    data : DataFrame
        Viability tests (see :func:`genelab.viability.lots`).
    lot_id : str
        The lot to draw.
    alpha : float
        For the interval of the predicted crossing.
    lang : {'vi', 'en'}
        Axis labels.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"lot_id": ["L1"] * 3, "stored_on": ["2015-01-01"] * 3,
    ...     "tested_on": ["2015-01-01", "2018-01-01", "2021-01-01"],
    ...     "sown": [100] * 3, "germinated": [96, 90, 78]})
    >>> fig = viability_decline(data, "L1", lang="en")
    >>> fig.axes[0].get_ylabel()
    'Viability (%)'
    """
    if ax is None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
    else:
        fig = ax.figure
    import numpy as np
    import pandas as pd
    from scipy import stats

    from genelab.errors import ConfigError
    from genelab.i18n import label
    from genelab.viability import lots

    sub = data[data["lot_id"] == lot_id]
    if sub.empty:
        raise ConfigError(f"no viability tests for lot {lot_id!r}")
    row = lots(sub, alpha=alpha).table.iloc[0]
    stored = pd.Timestamp(row["stored_on"])
    tested = pd.to_datetime(sub["tested_on"])
    years = (tested - stored).dt.days.to_numpy() / 365.25
    v = 100 * sub["germinated"].to_numpy() / sub["sown"].to_numpy()
    ax.plot(years, v, "o", color="black", label=label("viability_observed", lang))
    horizon = max(years.max(), row["years_to_threshold"] if np.isfinite(row["years_to_threshold"]) else 0) * 1.15 + 0.5
    if np.isfinite(row["ki"]):
        t = np.linspace(0, horizon, 200)
        ax.plot(t, 100 * stats.norm.cdf(row["ki"] + (-1 / row["sigma"] if np.isfinite(row["sigma"]) else 0) * t),
                color="tab:blue", label=label("viability_fitted", lang))
    if np.isfinite(row["threshold"]):
        ax.axhline(100 * row["threshold"], color="tab:red", linestyle="--",
                   label=label("viability_threshold", lang))
    if np.isfinite(row["years_to_threshold"]):
        ax.axvline(row["years_to_threshold"], color="tab:red", linewidth=0.8)
        if pd.notna(row["ci_low"]) and pd.notna(row["ci_high"]):
            lo = (row["ci_low"] - stored).days / 365.25
            hi = (row["ci_high"] - stored).days / 365.25
            ax.axvspan(lo, hi, color="tab:red", alpha=0.12)
    ax.set_xlabel(label("storage_years", lang))
    ax.set_ylabel(label("viability_pct", lang))
    ax.set_title(str(lot_id))
    ax.legend(loc="lower left", fontsize="small")
    return fig
