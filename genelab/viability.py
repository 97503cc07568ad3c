"""Seed-lot viability monitoring and regeneration alerts.

For every seed lot of the ``viability`` table (columns lot_id, tested_on, source_id,
sown, germinated, stock, stored_on …):

* **initial viability** — germinated/sown of the first test within 12 months of the date
  the lot entered storage (FAO 2014 Genebank Standards, standard 4.3.1: the initial test
  is made after cleaning and drying, at the latest within 12 months of receipt).  A lot
  whose first test is later has no initial viability.
* **regeneration threshold** — 85 % of the initial viability (FAO 2014 Genebank
  Standards: regenerate when viability falls below 85 % of the initial value).
* **viability decline** — the Ellis & Roberts (1980) viability equation
  ``probit(v) = Ki − p/σ``: the probit of viability falls linearly with storage period
  ``p`` (years since ``stored_on``); ``Ki`` is the initial seed quality and ``σ`` the
  standard deviation of seed death times (years).  Fitted as a binomial GLM with probit
  link of germinated/sown on storage years (statsmodels), so ``Ki`` is the intercept and
  ``−1/σ`` the slope.  Needs tests at two or more storage times and a falling slope.
* **predicted crossing** — the storage time at which the fitted viability reaches the
  threshold, ``p* = σ (Ki − Φ⁻¹(threshold))``, as a date, with a Fieller confidence
  interval (the set of p with |Ki − p/σ − z| not significant at ``alpha``, from the
  GLM covariance of Ki and 1/σ; exact for a ratio of normal estimates where the delta
  method is symmetric and too narrow when the slope is imprecise).  The threshold is
  treated as known.  When the slope is not significantly negative the interval is
  unbounded and ``ci_low``/``ci_high`` are missing.

Alerts (:func:`alerts`): ``below_threshold`` (the latest test is below the threshold),
``crosses_within_year`` (not yet below, but predicted to cross within 365 days of
``as_of``) and ``low_stock`` (viable seeds — stock × latest viability — below the minimum
accession size: 1,500 viable seeds for self-pollinating and 3,000 for cross-pollinating
species, FAO 2014 Genebank Standards for orthodox seeds; an unknown breeding system gets
the cross-pollinating minimum, clonal and animal sources have none).

References
----------
Ellis R.H., Roberts E.H. (1980) Improved equations for the prediction of seed longevity.
Annals of Botany 45: 13–30.
FAO (2014) Genebank Standards for Plant Genetic Resources for Food and Agriculture. Rome.

Examples
--------
>>> import pandas as pd
>>> data = pd.DataFrame({"lot_id": ["L1"] * 2, "source_id": ["HOI-001"] * 2,
...     "stored_on": ["2015-01-01"] * 2, "tested_on": ["2015-01-01", "2019-01-01"],
...     "sown": [100, 100], "germinated": [95, 80], "stock": [3000, 2500]})
>>> res = lots(data, as_of="2019-06-01")
>>> round(float(res.table.loc[0, "threshold"]), 4)
0.8075
>>> round(float(res.table.loc[0, "sigma"]), 3)
4.98
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from genelab._result import Result
from genelab.errors import ConfigError, ValidationError, Problem

__all__ = ["lots", "alerts", "LotsResult", "fit_decline", "MIN_VIABLE_SEEDS", "REGENERATION_FRACTION"]

#: Regenerate when viability falls below this fraction of the initial viability (FAO 2014).
REGENERATION_FRACTION = 0.85

#: Minimum viable seeds per accession by breeding system (FAO 2014 Genebank Standards).
MIN_VIABLE_SEEDS = {"selfing": 1500, "outcrossing": 3000, "clonal": None, "animal": None}

_YEAR = 365.25


@dataclass(frozen=True)
class LotsResult(Result):
    """Viability summary per seed lot.

    ``table`` columns: ``lot_id, source_id, stored_on, n_tests, initial, threshold,
    latest_on, latest, stock, viable_stock, min_viable, ki, sigma, ki_se, slope_se,
    years_to_threshold, predicted_on, ci_low, ci_high, below_threshold,
    crosses_within_year, low_stock``.  ``ci_low``/``ci_high`` are dates of the Fieller
    interval of ``predicted_on``.
    """

    table: pd.DataFrame
    as_of: pd.Timestamp
    alpha: float


def fit_decline(years, sown, germinated) -> dict:
    """Fit ``probit(v) = Ki − p/σ`` by a binomial GLM with probit link.

    Returns a dict with ``ki``, ``slope`` (= −1/σ), ``sigma``, their covariance ``cov``
    (2×2, order ki, slope), or ``None`` values when there are fewer than two distinct
    storage times.
    """
    import statsmodels.api as sm

    years = np.asarray(years, dtype=float)
    sown = np.asarray(sown, dtype=float)
    germ = np.asarray(germinated, dtype=float)
    out = {"ki": np.nan, "slope": np.nan, "sigma": np.nan, "cov": np.full((2, 2), np.nan)}
    if len(np.unique(years)) < 2:
        return out
    endog = np.column_stack([germ, sown - germ])
    exog = sm.add_constant(years, has_constant="add")
    model = sm.GLM(endog, exog, family=sm.families.Binomial(link=sm.families.links.Probit()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(tol=1e-12, maxiter=200)
    ki, slope = (float(v) for v in fit.params)
    out.update(ki=ki, slope=slope, sigma=-1.0 / slope if slope < 0 else np.nan,
               cov=np.asarray(fit.cov_params()))
    return out


def _fieller(ki, slope, cov, z_thr, alpha):
    """Fieller interval for p solving ki + slope*p = z_thr."""
    q2 = stats.norm.ppf(1 - alpha / 2) ** 2
    a = z_thr - ki
    v00, v01, v11 = cov[0, 0], cov[0, 1], cov[1, 1]
    A = slope ** 2 - q2 * v11
    B = -2 * (a * slope + q2 * v01)
    C = a ** 2 - q2 * v00
    if not (A > 0):
        return np.nan, np.nan
    disc = B * B - 4 * A * C
    if disc < 0:
        return np.nan, np.nan
    r = np.sqrt(disc)
    lo, hi = sorted(((-B - r) / (2 * A), (-B + r) / (2 * A)))
    return lo, hi


def _check(data: pd.DataFrame) -> pd.DataFrame:
    need = ["lot_id", "tested_on", "sown", "germinated", "stored_on"]
    missing = [c for c in need if c not in data.columns]
    if missing:
        raise ConfigError(f"the viability data need columns {', '.join(missing)}")
    d = data.copy()
    problems = []
    for c in ("tested_on", "stored_on"):
        conv = pd.to_datetime(d[c], errors="coerce")
        for i in np.flatnonzero(conv.isna().to_numpy() & d[c].notna().to_numpy()):
            problems.append(Problem("viability", int(i) + 2, c, d[c].iloc[i], "not a date"))
        d[c] = conv
    for c in ("sown", "germinated"):
        d[c] = pd.to_numeric(d[c], errors="coerce")
    bad = (d["sown"] <= 0) | (d["germinated"] < 0) | (d["germinated"] > d["sown"]) | d["sown"].isna()
    for i in np.flatnonzero(bad.to_numpy()):
        problems.append(Problem("viability", int(i) + 2, "germinated", data["germinated"].iloc[i],
                                "expected 0 ≤ germinated ≤ sown and sown > 0"))
    if problems:
        raise ValidationError(problems)
    return d


def lots(data: pd.DataFrame, *, sources: pd.DataFrame | None = None, as_of=None,
         alpha: float = 0.05) -> LotsResult:
    """Viability status, fitted decline and predicted regeneration date of every seed lot.

    Parameters
    ----------
    data : DataFrame
        Viability tests: lot_id, tested_on, sown, germinated, stored_on, and optionally
        source_id, stock.
    sources : DataFrame, optional
        Gene sources with source_id and breeding_system (selfing/outcrossing/clonal/animal)
        for the stock minimum; without it every lot gets the cross-pollinating minimum.
    as_of : date-like, optional
        The date alerts refer to (default: the latest test date in ``data``, so results
        never depend on the day they are computed).
    alpha : float
        1 − confidence level of the interval of the predicted date.

    Returns
    -------
    LotsResult
    """
    if not 0 < alpha < 1:
        raise ConfigError("alpha must lie between 0 and 1")
    d = _check(data)
    as_of = pd.Timestamp(as_of) if as_of is not None else d["tested_on"].max()
    systems = {}
    if sources is not None and "breeding_system" in sources.columns:
        systems = dict(zip(sources["source_id"], sources["breeding_system"]))
    rows = []
    for lot, g in d.sort_values(["lot_id", "tested_on"]).groupby("lot_id", sort=True):
        stored = g["stored_on"].min()
        years = (g["tested_on"] - stored).dt.days.to_numpy() / _YEAR
        v = (g["germinated"] / g["sown"]).to_numpy()
        within = np.flatnonzero((g["tested_on"] <= stored + pd.DateOffset(months=12)).to_numpy())
        initial = float(v[within[0]]) if len(within) else np.nan
        threshold = REGENERATION_FRACTION * initial
        fit = fit_decline(years, g["sown"], g["germinated"])
        ki, slope, cov = fit["ki"], fit["slope"], fit["cov"]
        p_star = lo = hi = np.nan
        if np.isfinite(threshold) and np.isfinite(slope) and slope < 0:
            z_thr = stats.norm.ppf(threshold)
            p_star = (z_thr - ki) / slope
            lo, hi = _fieller(ki, slope, cov, z_thr, alpha)

        def to_date(p):
            if not np.isfinite(p):
                return pd.NaT
            return (stored + pd.Timedelta(days=float(p) * _YEAR)).round("D")

        latest = float(v[-1])
        stock = float(g["stock"].iloc[-1]) if "stock" in g.columns and pd.notna(g["stock"].iloc[-1]) else np.nan
        sid = g["source_id"].iloc[0] if "source_id" in g.columns else None
        system = systems.get(sid)
        system = system if isinstance(system, str) and system else None
        minimum = MIN_VIABLE_SEEDS.get(system, 3000) if system is not None else 3000
        viable = stock * latest if np.isfinite(stock) else np.nan
        predicted = to_date(p_star)
        below = bool(np.isfinite(threshold) and latest < threshold)
        rows.append({
            "lot_id": lot, "source_id": sid, "stored_on": stored, "n_tests": len(g),
            "initial": initial, "threshold": threshold,
            "latest_on": g["tested_on"].iloc[-1], "latest": latest,
            "stock": stock, "viable_stock": viable,
            "min_viable": np.nan if minimum is None else float(minimum),
            "ki": ki, "sigma": fit["sigma"],
            "ki_se": float(np.sqrt(cov[0, 0])), "slope_se": float(np.sqrt(cov[1, 1])),
            "years_to_threshold": p_star, "predicted_on": predicted,
            "ci_low": to_date(lo), "ci_high": to_date(hi),
            "below_threshold": below,
            "crosses_within_year": bool(not below and pd.notna(predicted)
                                        and predicted <= as_of + pd.Timedelta(days=365)),
            "low_stock": bool(minimum is not None and np.isfinite(viable) and viable < minimum),
        })
    table = pd.DataFrame(rows, columns=[
        "lot_id", "source_id", "stored_on", "n_tests", "initial", "threshold", "latest_on",
        "latest", "stock", "viable_stock", "min_viable", "ki", "sigma", "ki_se", "slope_se",
        "years_to_threshold", "predicted_on", "ci_low", "ci_high", "below_threshold",
        "crosses_within_year", "low_stock"])
    return LotsResult(table=table, as_of=as_of, alpha=alpha)


def alerts(data: pd.DataFrame, *, sources: pd.DataFrame | None = None, as_of=None,
           alpha: float = 0.05, source_id: str | None = None) -> pd.DataFrame:
    """The regeneration alerts as a tidy table, one row per (lot, alert).

    Columns: ``lot_id, source_id, alert, latest, threshold, predicted_on, ci_low,
    ci_high, viable_stock, min_viable, message``; ``alert`` is ``below_threshold``,
    ``crosses_within_year`` or ``low_stock``.  Pass ``source_id`` for one source's report.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"lot_id": ["L1"] * 2, "source_id": ["HOI-001"] * 2,
    ...     "stored_on": ["2015-01-01"] * 2, "tested_on": ["2015-01-01", "2019-01-01"],
    ...     "sown": [100, 100], "germinated": [95, 80], "stock": [3000, 1000]})
    >>> alerts(data)["alert"].tolist()
    ['below_threshold', 'low_stock']
    """
    res = lots(data, sources=sources, as_of=as_of, alpha=alpha).table
    if source_id is not None:
        res = res[res["source_id"] == source_id]
    out = []
    for r in res.itertuples(index=False):
        if r.below_threshold:
            out.append((r, "below_threshold",
                        f"viability {r.latest:.1%} is below the regeneration threshold {r.threshold:.1%}"))
        if r.crosses_within_year:
            out.append((r, "crosses_within_year",
                        f"predicted to fall below {r.threshold:.1%} on {r.predicted_on:%Y-%m-%d}"))
        if r.low_stock:
            out.append((r, "low_stock",
                        f"{r.viable_stock:.0f} viable seeds left, fewer than the minimum {r.min_viable:.0f}"))
    cols = ["lot_id", "source_id", "alert", "latest", "threshold", "predicted_on", "ci_low",
            "ci_high", "viable_stock", "min_viable", "message"]
    return pd.DataFrame(
        [[r.lot_id, r.source_id, a, r.latest, r.threshold, r.predicted_on, r.ci_low, r.ci_high,
          r.viable_stock, r.min_viable, m] for r, a, m in out],
        columns=cols,
    )
