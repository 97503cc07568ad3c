"""Growth curves for local breeds and seedlings: Gompertz, logistic, von Bertalanffy, Richards.

Each model is fitted by nonlinear least squares (:func:`scipy.optimize.least_squares` with the
analytic Jacobian, several data-driven starting points) and written in its *inflection-point*
form, so that the age at the inflection point is itself a parameter with a standard error
(Tjørve & Tjørve 2017, "The use of Gompertz models in growth analyses, and new
Gompertz-model approach", PLoS ONE 12: e0178691):

============== ============================================ ============== =============
model          size y(t), with E = exp(−k·(t − T))           size at T      maximum rate
============== ============================================ ============== =============
gompertz       A·exp(−E)                                     A/e            A·k/e
logistic       A / (1 + E)                                   A/2            A·k/4
von_bertalanffy A·(1 − E/3)³                                 8A/27          4A·k/9
richards       A·(1 + ν·E)^(−1/ν), ν > −1                    A(1+ν)^(−1/ν)  A·k·(1+ν)^(−1/ν−1)
============== ============================================ ============== =============

A is the asymptotic (mature) size, k the rate constant and T the age at the inflection
point (the age of fastest growth). Richards with ν = 1 is the logistic, ν → 0 the Gompertz
and ν = −1/3 the von Bertalanffy curve. The familiar forms convert as: Gompertz
A·exp(−b·e^(−kt)) has b = e^(kT); von Bertalanffy A(1 − b·e^(−kt))³ has b = e^(kT)/3.

Standard errors are R's ``nls`` ones: σ̂²(JᵀJ)⁻¹ with σ̂² = RSS/(n − p); derived quantities
(inflection size, maximum rate) get delta-method SEs. AIC is R's ``AIC()`` of an ``nls`` fit,
n·log(RSS/n) + n·log(2π) + n + 2(p + 1), and BIC replaces 2 by log(n).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from genelab._result import Result
from genelab.errors import DesignError, FitError
from genelab.trials.nonparametric import _levels

__all__ = ["MODELS", "GrowthFit", "ModelComparison", "fit", "compare_models", "predict_curve"]

MODELS = ("gompertz", "logistic", "von_bertalanffy", "richards")
_PARAMS = {
    "gompertz": ("asym", "k", "t_inflection"),
    "logistic": ("asym", "k", "t_inflection"),
    "von_bertalanffy": ("asym", "k", "t_inflection"),
    "richards": ("asym", "k", "t_inflection", "nu"),
}
#: fraction of A at the inflection point and the factor c of the maximum rate c·A·k
_SHAPE = {"gompertz": (1 / math.e, 1 / math.e), "logistic": (0.5, 0.25), "von_bertalanffy": (8 / 27, 4 / 9)}


def _richards_g(nu: float, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(1 + νE)^(−1/ν) and (1 + νE)^(−1/ν − 1), accurate for small ν (log1p), Gompertz at ν = 0.

    Where 1 + νE ≤ 0 (ν < 0, ages long before the curve starts) the size is 0.
    """
    if nu == 0:
        g = np.exp(-e)
        return g, g
    x = nu * e
    ok = x > -1
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        g = np.where(ok, np.exp(-np.log1p(np.where(ok, x, 0.0)) / nu), 0.0)
        g1 = np.where(ok, g / np.where(ok, 1 + x, 1.0), 0.0)
    return g, g1


def _richards_dnu(nu: float, e: np.ndarray) -> np.ndarray:
    """d/dν of −log(1 + νE)/ν = log1p(x)/ν² − E/(ν(1 + x)), x = νE; a series for small |x|."""
    x = nu * e
    out = np.zeros_like(e)
    small = np.abs(x) < 1e-3
    # E²·Σ (−1)^j (j+1)/(j+2) x^j
    xs = x[small]
    series = np.zeros_like(xs)
    for j in range(7, -1, -1):
        series = series * xs + (-1) ** j * (j + 1) / (j + 2)
    out[small] = e[small] ** 2 * series
    big = ~small & (x > -1)
    if nu != 0 and big.any():
        xb = x[big]
        out[big] = np.log1p(xb) / nu**2 - e[big] / (nu * (1 + xb))
    return out


def predict_curve(model: str, params, age) -> np.ndarray:
    """Size at ``age`` for a model and its parameters (asym, k, t_inflection[, nu]).

    Examples
    --------
    >>> float(predict_curve("logistic", [2000.0, 0.05, 60.0], 60.0))
    1000.0
    """
    t = np.asarray(age, dtype=float)
    a, k, ti = params[0], params[1], params[2]
    with np.errstate(over="ignore"):
        e = np.exp(-k * (t - ti))
    if model == "gompertz":
        return a * np.exp(-e)
    if model == "logistic":
        return a / (1 + e)
    if model == "von_bertalanffy":
        return a * (1 - e / 3) ** 3
    if model == "richards":
        return a * _richards_g(params[3], e)[0]
    raise DesignError(f"model must be one of {list(MODELS)}, got {model!r}")


def _jacobian(model: str, p: np.ndarray, t: np.ndarray) -> np.ndarray:
    a, k, ti = p[0], p[1], p[2]
    d = t - ti
    with np.errstate(over="ignore"):
        e = np.exp(-k * d)
    if model == "gompertz":
        g = np.exp(-e)
        dy_de = -a * g
        cols = [g]
    elif model == "logistic":
        cols = [1 / (1 + e)]
        dy_de = -a / (1 + e) ** 2
    elif model == "von_bertalanffy":
        cols = [(1 - e / 3) ** 3]
        dy_de = -a * (1 - e / 3) ** 2
    else:
        nu = p[3]
        g, g1 = _richards_g(nu, e)
        cols = [g]
        dy_de = -a * g1
    # dE/dk = −d·E, dE/dT = k·E
    cols += [dy_de * (-d * e), dy_de * (k * e)]
    if model == "richards":
        cols.append(a * g * _richards_dnu(p[3], e))
    return np.column_stack(cols)


def _starts(model: str, t: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Data-driven starting values: asymptote near the top, T where y crosses the inflection
    fraction of it, k from the steepest slope of the age means."""
    ages = np.unique(t)
    means = np.array([y[t == a].mean() for a in ages])
    top = float(np.max(means))
    slopes = np.diff(means) / np.diff(ages) if len(ages) > 1 else np.array([1.0])
    max_slope = float(np.max(slopes)) if np.max(slopes) > 0 else abs(top) / (np.ptp(ages) or 1.0)
    out = []
    shapes = [_SHAPE[model]] if model != "richards" else [_SHAPE["logistic"], _SHAPE["gompertz"], _SHAPE["von_bertalanffy"]]
    nus = {0: 1.0, 1: 0.05, 2: -1 / 3}
    for si, (frac, rate) in enumerate(shapes):
        for mult in (1.05, 1.3, 2.0):
            a0 = top * mult
            target = frac * a0
            above = np.flatnonzero(means >= target)
            t0 = float(ages[above[0]]) if len(above) else float(ages[-1])
            k0 = max(max_slope / (rate * a0), 1e-6)
            p0 = [a0, k0, t0] + ([nus[si]] if model == "richards" else [])
            out.append(np.array(p0, dtype=float))
    return out


def _fit_one(model: str, t: np.ndarray, y: np.ndarray) -> dict:
    npar = len(_PARAMS[model])
    n = len(y)
    if n < npar + 1:
        raise DesignError(f"the {model} curve has {npar} parameters and needs at least {npar + 1} "
                          f"observations; got {n}")
    if len(np.unique(t)) < npar:
        raise DesignError(f"the {model} curve needs at least {npar} distinct ages; got {len(np.unique(t))}")
    lower = [0.0, 0.0, -np.inf] + ([-0.999] if model == "richards" else [])
    upper = [np.inf] * npar

    def resid(p):
        return predict_curve(model, p, t) - y

    def jac(p):
        return _jacobian(model, p, t)

    best = None
    for p0 in _starts(model, t, y):
        p0 = np.clip(p0, np.array(lower) + 1e-9, None)
        try:
            sol = optimize.least_squares(resid, p0, jac=jac, bounds=(lower, upper), method="trf",
                                         x_scale="jac", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=5000)
        except (ValueError, FloatingPointError):
            continue
        if not np.all(np.isfinite(sol.fun)):
            continue
        rss = float(np.sum(sol.fun**2))
        if best is None or rss < best[1]:
            best = (sol, rss)
    if best is None:
        raise FitError(f"the {model} curve could not be fitted to these data (no starting value converged)")
    sol, rss = best
    p = sol.x
    df = n - npar
    sigma2 = rss / df if df > 0 else math.nan
    J = _jacobian(model, p, t)
    try:
        cov = sigma2 * np.linalg.inv(J.T @ J)
    except np.linalg.LinAlgError:
        cov = np.full((npar, npar), np.nan)
    ll_term = n * math.log(rss / n) if rss > 0 else -math.inf
    aic = ll_term + n * math.log(2 * math.pi) + n + 2 * (npar + 1)
    bic = ll_term + n * math.log(2 * math.pi) + n + math.log(n) * (npar + 1)
    return {"params": p, "cov": cov, "rss": rss, "df": df, "n": n, "aic": aic, "bic": bic,
            "converged": bool(sol.status > 0), "sigma": math.sqrt(sigma2) if df > 0 else math.nan}


def _derived(model: str, p: np.ndarray, cov: np.ndarray) -> list[tuple[str, float, float]]:
    def values(q):
        a, k, ti = q[0], q[1], q[2]
        if model == "richards":
            nu = q[3]
            frac = math.exp(-1) if nu == 0 else math.exp(-math.log1p(nu) / nu)
            rate = frac / (1 + nu)
        else:
            frac, rate = _SHAPE[model]
        return np.array([ti, frac * a, rate * a * k])

    v = values(p)
    grad = np.empty((3, len(p)))
    for j in range(len(p)):
        h = 1e-6 * max(abs(p[j]), 1e-3)
        up, dn = p.copy(), p.copy()
        up[j] += h
        dn[j] -= h
        grad[:, j] = (values(up) - values(dn)) / (2 * h)
    se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", grad, cov, grad), 0))
    return list(zip(["t_inflection", "y_inflection", "max_rate"], v, se))


@dataclass(frozen=True)
class GrowthFit(Result):
    """Result of :func:`fit`.

    Attributes
    ----------
    table : DataFrame
        One row per group and parameter: ``group``, ``parameter`` (``asym``, ``k``,
        ``t_inflection``, and ``nu`` for Richards), ``estimate``, ``se``, ``t``, ``p_value``
        (t on n − p df, as R's ``summary.nls``).
    derived : DataFrame
        Per group: ``t_inflection`` (age of fastest growth), ``y_inflection`` (size then),
        ``max_rate`` (size units per age unit), each with its delta-method ``*_se``.
    fit_stats : DataFrame
        Per group: ``n``, ``df``, ``rss``, ``sigma`` (residual SE), ``aic``, ``bic``, ``converged``,
        ``n_missing`` (rows dropped for a missing age or size).
    model : str
    observed : DataFrame
        ``group``, ``age``, ``size`` as fitted (for plots).
    """

    table: pd.DataFrame
    derived: pd.DataFrame = field(default_factory=pd.DataFrame)
    fit_stats: pd.DataFrame = field(default_factory=pd.DataFrame)
    model: str = ""
    observed: pd.DataFrame = field(default_factory=pd.DataFrame)

    def predict(self, age, group=None) -> np.ndarray:
        """Fitted size at ``age`` for ``group`` (the only group when None)."""
        groups = list(self.fit_stats.index)
        if group is None:
            if len(groups) != 1:
                raise DesignError(f"this fit has groups {groups}: say which one with group=")
            group = groups[0]
        rows = self.table[self.table["group"] == group]
        if rows.empty:
            raise DesignError(f"no group {group!r} in this fit; groups: {groups}")
        return predict_curve(self.model, rows["estimate"].to_numpy(), age)


def _prepare(data, age, size, group):
    if not isinstance(data, pd.DataFrame):
        raise DesignError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    cols = [age, size] + ([group] if group is not None else [])
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise DesignError(f"data has no column(s) {missing}; available: {list(map(str, data.columns))}")
    frame = pd.DataFrame({"group": data[group] if group is not None else "all"}, index=data.index)
    for col, name in ((age, "age"), (size, "size")):
        v = pd.to_numeric(data[col], errors="coerce")
        bad = data[col][v.isna() & data[col].notna()]
        if len(bad):
            raise DesignError(f"'{col}' must be numeric; row {bad.index[0]!r} has {bad.iloc[0]!r}")
        frame[name] = v.astype(float)
    if group is not None and frame["group"].isna().any():
        raise DesignError(f"column '{group}' has missing values")
    missing = frame[["age", "size"]].isna().any(axis=1)
    n_missing = missing.groupby(frame["group"]).sum().astype(int).to_dict()
    return frame[~missing], n_missing


def fit(data: pd.DataFrame, age: str, size: str, *, model: str = "gompertz", group: str | None = None) -> GrowthFit:
    """Fit a growth curve (per group) by nonlinear least squares.

    Parameters
    ----------
    data : DataFrame
        Long data, one row per weighing/measurement (e.g. the workspace ``growth`` table:
        individual, sex, age_days, weight_g). Rows with a missing age or size are dropped
        (counted in ``fit_stats["n_missing"]``).
    age, size : str
        Columns of age (e.g. days) and size (e.g. weight in g).
    model : {"gompertz", "logistic", "von_bertalanffy", "richards"}
        See the module docstring for the equations.
    group : str, optional
        Fit one curve per level of this column (e.g. sex or breed).

    Returns
    -------
    GrowthFit
        ``table`` (parameters with SEs), ``derived`` (inflection age and size, maximum growth
        rate), ``fit_stats`` (RSS, residual SE, AIC, BIC), ``predict(age, group)``.

    Examples
    --------
    >>> age = np.arange(0, 200, 10.0)
    >>> w = predict_curve("gompertz", [1800.0, 0.025, 70.0], age)
    >>> res = fit(pd.DataFrame({"age_days": age, "weight_g": w}), "age_days", "weight_g")
    >>> res.table.set_index("parameter")["estimate"].round(4).to_dict()
    {'asym': 1800.0, 'k': 0.025, 't_inflection': 70.0}
    >>> round(float(res.derived["max_rate"].iloc[0]), 3)  # g/day at 70 days: A·k/e
    16.555

    A local chicken breed in the demo workspace, one curve per sex:

    >>> import genelab
    >>> ws = genelab.open_workspace(genelab.demo_path())
    >>> chicken = ws.growth[ws.growth["source_id"] == "GA-001"]
    >>> res = fit(chicken, "age_days", "weight_g", model="gompertz", group="sex")
    >>> res.derived["t_inflection"].round(0).to_dict()
    {'female': 51.0, 'male': 49.0}
    """
    if model not in MODELS:
        raise DesignError(f"model must be one of {list(MODELS)}, got {model!r}")
    frame, n_missing = _prepare(data, age, size, group)
    names = _PARAMS[model]
    rows, drows, srows = [], [], []
    levels = _levels(frame["group"])
    for lv in levels:
        sub = frame[frame["group"] == lv]
        r = _fit_one(model, sub["age"].to_numpy(), sub["size"].to_numpy())
        se = np.sqrt(np.maximum(np.diag(r["cov"]), 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            tval = r["params"] / se
        pval = 2 * stats.t.sf(np.abs(tval), r["df"]) if r["df"] > 0 else np.full(len(se), np.nan)
        for name, est, s, tv, pv in zip(names, r["params"], se, tval, pval):
            rows.append((lv, name, float(est), float(s), float(tv), float(pv)))
        d = {"group": lv}
        for name, v, s in _derived(model, r["params"], r["cov"]):
            d[name], d[name + "_se"] = float(v), float(s)
        drows.append(d)
        srows.append({"group": lv, "n": r["n"], "df": r["df"], "rss": r["rss"], "sigma": r["sigma"],
                      "aic": r["aic"], "bic": r["bic"], "converged": r["converged"]})
    table = pd.DataFrame(rows, columns=["group", "parameter", "estimate", "se", "t", "p_value"])
    stats_frame = pd.DataFrame(srows).set_index("group")
    stats_frame["n_missing"] = [int(n_missing.get(g, 0)) for g in stats_frame.index]
    return GrowthFit(table=table, derived=pd.DataFrame(drows).set_index("group"), fit_stats=stats_frame,
                     model=model, observed=frame.reset_index(drop=True))


@dataclass(frozen=True)
class ModelComparison(Result):
    """Result of :func:`compare_models`.

    Attributes
    ----------
    table : DataFrame
        One row per group and model: ``group``, ``model``, ``n``, ``rss``, ``sigma``, ``aic``,
        ``bic``, ``delta_aic`` (from the group's best), ``weight`` (Akaike weight), ``best``.
    best : dict
        group → model with the smallest AIC.
    fits : dict
        model → :class:`GrowthFit`.
    """

    table: pd.DataFrame
    best: dict = field(default_factory=dict)
    fits: dict = field(default_factory=dict)


def compare_models(data: pd.DataFrame, age: str, size: str, *, models=MODELS, group: str | None = None) -> ModelComparison:
    """Fit several growth models and rank them by AIC (per group).

    A model that fails to converge for these data is left out of the table (it cannot be
    the best); if none converges, :class:`~genelab.errors.FitError` is raised.

    Examples
    --------
    >>> age = np.arange(0, 200, 10.0)
    >>> rng = np.random.default_rng(1)
    >>> w = predict_curve("logistic", [1500.0, 0.05, 80.0], age) + rng.normal(0, 10, age.size)
    >>> cmp = compare_models(pd.DataFrame({"age": age, "w": w}), "age", "w",
    ...                      models=("gompertz", "logistic", "von_bertalanffy"))
    >>> cmp.best
    {'all': 'logistic'}
    """
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise DesignError(f"unknown model(s) {unknown}; choose from {list(MODELS)}")
    fits, errors = {}, {}
    for m in models:
        try:
            fits[m] = fit(data, age, size, model=m, group=group)
        except FitError as exc:
            errors[m] = str(exc)
    if not fits:
        raise FitError("no growth model could be fitted: " + "; ".join(f"{m}: {e}" for m, e in errors.items()))
    rows = []
    for m, f in fits.items():
        for g, st in f.fit_stats.iterrows():
            rows.append({"group": g, "model": m, "n": st["n"], "rss": st["rss"], "sigma": st["sigma"],
                         "aic": st["aic"], "bic": st["bic"]})
    table = pd.DataFrame(rows)
    table["delta_aic"] = table["aic"] - table.groupby("group")["aic"].transform("min")
    w = np.exp(-0.5 * table["delta_aic"])
    table["weight"] = w / w.groupby(table["group"]).transform("sum")
    table["best"] = table["delta_aic"] == 0
    table = table.sort_values(["group", "aic"], kind="stable").reset_index(drop=True)
    best = {g: sub.iloc[0]["model"] for g, sub in table.groupby("group", sort=False)}
    return ModelComparison(table=table, best=best, fits=fits)
