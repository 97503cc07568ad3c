"""Economic efficiency of the demonstration models.

Each demonstration model compares the programme's technology with the farmers' usual
practice (the control) on the same site.  :func:`model_efficiency` gives, per model and
per gene source, the yield gain, returns, costs, profit, benefit–cost ratios, the
marginal rate of return of adopting the technology, the technology gap, and a paired test
of model against control yields across sites; :func:`format_vnd` writes money the way a
Vietnamese (or English) report table shows it.

Units (the workspace ``models`` table): yields in kg/ha, ``price`` in VND/kg, costs in
VND/ha, ``area_ha`` in ha.  Per-hectare results are in VND/ha; ``*_total`` columns are the
per-hectare values times the model's area (VND for the whole model).

Examples
--------
>>> import pandas as pd
>>> models = pd.DataFrame({"model_id": ["M1"], "source_id": ["QUYT-001"], "area_ha": [2.0],
...     "yield_model": [14000.0], "yield_control": [11000.0], "price": [28000.0],
...     "cost_model": [175e6], "cost_control": [158e6], "yield_potential": [18000.0]})
>>> eff = model_efficiency(models)
>>> row = eff.table.loc["M1"]
>>> float(round(row.yield_increase_pct, 2)), format_vnd(row.profit_model), float(round(row.mrr_pct, 1))
(27.27, '217.000.000 đ', 394.1)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import ConfigError, Problem, ValidationError

__all__ = ["EfficiencyResult", "model_efficiency", "format_vnd", "SMALL_N"]

#: Below this many paired sites the Wilcoxon signed-rank test is reported beside the t test
#: and used for the verdict (the t test leans on normality that so few pairs cannot show).
SMALL_N = 10

_NEEDED = ("model_id", "source_id", "area_ha", "yield_model", "yield_control", "price",
           "cost_model", "cost_control")
_NUMERIC = ("area_ha", "yield_model", "yield_control", "price", "cost_model", "cost_control",
            "yield_potential", "households")


@dataclass(frozen=True)
class EfficiencyResult(Result):
    """Per-model economics (``table``), the summary by source (``by_source``) and the paired
    tests (``tests``: one row per source with ≥ 2 models, and ``all`` for every model)."""

    table: pd.DataFrame
    by_source: pd.DataFrame
    tests: pd.DataFrame
    alpha: float
    units: dict = field(default_factory=dict)


def _check(models: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(models, pd.DataFrame):
        raise ConfigError("models must be a DataFrame (the workspace's models table)")
    miss = [c for c in _NEEDED if c not in models.columns]
    if miss:
        raise ConfigError(f"the models table lacks columns {miss}; needed: {', '.join(_NEEDED)}")
    if models.empty:
        raise ConfigError("the models table is empty")
    data = models.reset_index(drop=True).copy()
    problems = []
    for col in _NUMERIC:
        if col not in data:
            continue
        raw = data[col]
        num = pd.to_numeric(raw, errors="coerce")
        for i in np.flatnonzero(num.isna() & raw.notna()):
            problems.append(Problem("models", int(i) + 2, col, raw.iat[i], "not a number"))
        for i in np.flatnonzero(num < 0):
            problems.append(Problem("models", int(i) + 2, col, num.iat[i], "must be ≥ 0"))
        if col in _NEEDED:
            for i in np.flatnonzero(raw.isna()):
                problems.append(Problem("models", int(i) + 2, col, None, "missing"))
        data[col] = num.astype(float)
    for i in np.flatnonzero(data["model_id"].duplicated()):
        problems.append(Problem("models", int(i) + 2, "model_id", data["model_id"].iat[i], "duplicate model_id"))
    for col in ("yield_control", "cost_model", "cost_control", "area_ha"):
        for i in np.flatnonzero(data[col] == 0):
            problems.append(Problem("models", int(i) + 2, col, 0, "must be > 0 (ratios divide by it)"))
    if problems:
        raise ValidationError(problems)
    return data


def _ratio(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.divide(a, b, out=np.full(np.broadcast(a, b).shape, np.nan), where=b != 0)


def _paired(model: np.ndarray, control: np.ndarray, alpha: float) -> dict:
    """Paired t test and Wilcoxon signed-rank test of model against control."""
    from scipy import stats

    d = model - control
    n = len(d)
    out = {"n": n, "mean_difference": float(d.mean()) if n else math.nan, "se": math.nan,
           "ci_low": math.nan, "ci_high": math.nan, "t": math.nan, "df": n - 1,
           "p_value_t": math.nan, "w": math.nan, "p_value_wilcoxon": math.nan,
           "test": "none", "p_value": math.nan, "significant": False}
    if n < 2:
        return out
    se = d.std(ddof=1) / math.sqrt(n)
    out["se"] = float(se)
    q = stats.t.ppf(1 - alpha / 2, n - 1)
    out["ci_low"], out["ci_high"] = float(d.mean() - q * se), float(d.mean() + q * se)
    if se > 0:
        t = stats.ttest_rel(model, control)
        out["t"], out["p_value_t"] = float(t.statistic), float(t.pvalue)
    if np.any(d != 0):
        w = stats.wilcoxon(model, control)
        out["w"], out["p_value_wilcoxon"] = float(w.statistic), float(w.pvalue)
    out["test"] = "wilcoxon" if n < SMALL_N else "t"
    out["p_value"] = out["p_value_wilcoxon"] if n < SMALL_N else out["p_value_t"]
    out["significant"] = bool(out["p_value"] < alpha) if np.isfinite(out["p_value"]) else False
    return out


def model_efficiency(models: pd.DataFrame, *, alpha: float = 0.05) -> EfficiencyResult:
    """Economic efficiency of each demonstration model against the farmers' practice.

    Per model (``m`` = model technology, ``c`` = control, all per hectare):

    * ``yield_increase_pct = (Y_m - Y_c) / Y_c × 100``; ``extension_gap = Y_m - Y_c`` (kg/ha);
    * ``gross_model = Y_m × price``, ``gross_control = Y_c × price`` (gross return, VND/ha);
    * ``cost_model``, ``cost_control`` (total cost of production, VND/ha, as recorded);
    * ``profit_model = gross_model - cost_model`` (net profit), ``profit_control`` likewise,
      ``profit_gain = profit_model - profit_control``;
    * ``bcr_model = gross_model / cost_model``, ``bcr_control`` (benefit–cost ratios);
    * ``mbcr = Δgross / Δcost`` (incremental benefit–cost ratio) and the marginal rate of
      return ``mrr_pct = Δprofit / Δcost × 100`` (CIMMYT 1988, *From agronomic data to
      farmer recommendations*); both are NaN when the model costs no more than the control
      (``dominant`` is then True if its profit is at least as high: no marginal analysis is
      needed);
    * ``technology_gap = Y_p - Y_m`` and ``technology_index = (Y_p - Y_m) / Y_p × 100``
      where the potential yield ``yield_potential`` is known (Samui et al. 2000, front-line
      demonstrations), NaN otherwise;
    * ``gross_total, profit_model_total, profit_gain_total``: per-hectare values × ``area_ha``.

    By source (``by_source``): number of models, total area and households, means over the
    models of the per-hectare columns, and the pooled ``mbcr``/``mrr_pct`` from summed
    differences.

    Paired tests (``tests``): for each source with at least two models, model against control
    yields across its sites — the paired t test (mean difference with its ``1 - alpha`` CI)
    and the Wilcoxon signed-rank test (scipy's exact distribution for small n without ties);
    with fewer than :data:`SMALL_N` pairs the verdict (``test``, ``p_value``,
    ``significant``) uses Wilcoxon, else the t test.  The row ``all`` pools every model on the
    log scale (log Y_m against log Y_c), because yields of different crops and breeds are not
    commensurable but their ratios are; its mean difference is the mean log ratio.

    Parameters
    ----------
    models : DataFrame
        The workspace ``models`` table (``model_id, source_id, area_ha, yield_model,
        yield_control, price, cost_model, cost_control``; optional ``yield_potential``,
        ``households``, ``district``, ``year``).
    alpha : float
        Significance level of the tests and CIs.

    Returns
    -------
    EfficiencyResult
        ``table`` (index model_id), ``by_source`` (index source_id), ``tests`` (index
        source_id or ``all``: ``n, mean_difference, se, ci_low, ci_high, t, df, p_value_t, w,
        p_value_wilcoxon, test, p_value, significant``), ``alpha``, ``units``.

    Raises
    ------
    ValidationError
        Non-numeric, negative or missing values, duplicate model ids, a zero control yield,
        cost or area — each named by row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"model_id": ["A", "B", "C"], "source_id": "NA-001", "area_ha": 1.0,
    ...     "yield_model": [12.0, 13.0, 11.0], "yield_control": [10.0, 10.5, 10.0],
    ...     "price": 1.0, "cost_model": 5.0, "cost_control": 4.0})
    >>> res = model_efficiency(m)
    >>> r = res.tests.loc["NA-001"]
    >>> int(r.n), round(float(r.mean_difference), 3), r.test, round(float(r.p_value_wilcoxon), 2)
    (3, 1.833, 'wilcoxon', 0.25)

    The demo workspace's models:

    >>> import genelab
    >>> ws = genelab.open_workspace(genelab.demo_path())
    >>> eff = model_efficiency(ws.models)
    >>> q = eff.by_source.loc["QUYT-001"]
    >>> round(float(q.yield_increase_pct), 1), format_vnd(q.profit_gain), round(float(q.mrr_pct))
    (28.7, '71.840.000 đ', 418)
    >>> bool(eff.tests.loc["all", "significant"])
    True
    """
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha={alpha} must lie between 0 and 1")
    d = _check(models)
    ym, yc, price = d["yield_model"].to_numpy(), d["yield_control"].to_numpy(), d["price"].to_numpy()
    cm, cc, area = d["cost_model"].to_numpy(), d["cost_control"].to_numpy(), d["area_ha"].to_numpy()
    yp = d["yield_potential"].to_numpy() if "yield_potential" in d else np.full(len(d), np.nan)
    gm, gc = ym * price, yc * price
    pm, pc = gm - cm, gc - cc
    dcost, dgross, dprofit = cm - cc, gm - gc, pm - pc
    pos = dcost > 0
    t = pd.DataFrame({
        "source_id": d["source_id"].to_numpy(),
        "area_ha": area,
        "yield_model": ym, "yield_control": yc,
        "yield_increase_pct": (ym - yc) / yc * 100, "extension_gap": ym - yc,
        "price": price,
        "gross_model": gm, "gross_control": gc,
        "cost_model": cm, "cost_control": cc,
        "profit_model": pm, "profit_control": pc, "profit_gain": dprofit,
        "bcr_model": _ratio(gm, cm), "bcr_control": _ratio(gc, cc),
        "mbcr": np.where(pos, _ratio(dgross, dcost), np.nan),
        "mrr_pct": np.where(pos, _ratio(dprofit, dcost) * 100, np.nan),
        "dominant": ~pos & (dprofit >= 0),
        "yield_potential": yp,
        "technology_gap": yp - ym,
        "technology_index": _ratio(yp - ym, yp) * 100,
        "gross_total": gm * area, "profit_model_total": pm * area, "profit_gain_total": dprofit * area,
    }, index=pd.Index(d["model_id"].astype(str).to_numpy(), name="model_id"))
    for col in ("households", "year", "district"):
        if col in d:
            values = d[col].to_numpy()
            if col == "households" and np.all(np.isnan(values) | (values == np.round(values))):
                values = pd.array(values, dtype="Int64")
            t.insert(1, col, values)

    g = t.groupby("source_id", sort=True)
    means = g[["yield_model", "yield_control", "yield_increase_pct", "gross_model", "gross_control",
               "cost_model", "cost_control", "profit_model", "profit_control", "profit_gain",
               "bcr_model", "bcr_control", "technology_gap", "technology_index"]].mean()
    sums = g[["area_ha", "profit_gain_total"]].sum()
    diff = pd.DataFrame({"dc": dcost, "dg": dgross, "dp": dprofit, "s": t["source_id"].to_numpy()}
                        ).groupby("s", sort=True).sum()
    by = means.join(sums)
    by.insert(0, "n_models", g.size())
    if "households" in t:
        by["households"] = g["households"].sum()
    pos_s = diff["dc"].to_numpy() > 0
    by["mbcr"] = np.where(pos_s, _ratio(diff["dg"], diff["dc"]), np.nan)
    by["mrr_pct"] = np.where(pos_s, _ratio(diff["dp"], diff["dc"]) * 100, np.nan)
    by.index.name = "source_id"

    rows = {}
    for sid, grp in t.groupby("source_id", sort=True):
        if len(grp) >= 2:
            rows[sid] = _paired(grp["yield_model"].to_numpy(), grp["yield_control"].to_numpy(), alpha)
    ok = (ym > 0) & (yc > 0)
    rows["all"] = _paired(np.log(ym[ok]), np.log(yc[ok]), alpha)
    tests = pd.DataFrame.from_dict(rows, orient="index")
    tests.index.name = "source_id"
    units = {"yield": "kg/ha", "price": "VND/kg", "gross, cost, profit": "VND/ha",
             "*_total": "VND (whole model area)", "yield_increase_pct, mrr_pct, technology_index": "%",
             "tests.all": "log yield"}
    return EfficiencyResult(table=t, by_source=by, tests=tests, alpha=float(alpha), units=units)


def format_vnd(x, lang: str = "vi", *, digits: int = 0, unit: bool = True):
    """Money with thousands separators as a report table shows it.

    Vietnamese: ``12.345.000 đ`` (dot thousands, comma decimals); English: ``12,345,000 VND``.
    Missing values give an empty string.  A Series (or list) gives a Series of strings.

    Examples
    --------
    >>> format_vnd(12345000), format_vnd(12345000, "en"), format_vnd(-1500.5, digits=1)
    ('12.345.000 đ', '12,345,000 VND', '-1.500,5 đ')
    >>> format_vnd(pd.Series([1e6, None]), "en", unit=False).tolist()
    ['1,000,000', '']
    """
    if lang not in ("vi", "en"):
        raise ConfigError(f"unknown language {lang!r}: use vi or en")
    if isinstance(x, (pd.Series, list, tuple, np.ndarray)):
        s = pd.Series(x) if not isinstance(x, pd.Series) else x
        return s.map(lambda v: format_vnd(v, lang, digits=digits, unit=unit))
    try:
        if x is None or pd.isna(x):
            return ""
        v = float(x)
    except (TypeError, ValueError):
        raise ConfigError(f"format_vnd needs a number; got {x!r}") from None
    if not math.isfinite(v):
        return ""
    text = f"{v:,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return f"{text} đ" if unit else text
    return f"{text} VND" if unit else text
