"""Dose-response curves: log-logistic, Weibull and Brain–Cousens fits, effective doses.

:func:`fit` fits the models of the R package *drc* (3.0-1) with its parameterisation and sign
conventions — LL.2, LL.3, LL.4, LL.5, W1.4, W2.4 and BC.5 — to continuous responses by least
squares or to binomial counts by maximum likelihood.  The fit object reports the parameters with
standard errors from the full (observed) Hessian as drc does, effective doses with delta-method
intervals (:meth:`DoseResponseFit.ed`), drc's lack-of-fit test, AIC and predictions.
:func:`select_model` compares models as drc's ``mselect()``.

Model functions (x = dose; dose 0 is allowed, log 0 = −∞):

* LL.5: f(x) = c + (d − c) / (1 + exp(b·(ln x − ln e)))^f;  LL.4: f = 1;  LL.3: also c = 0;
  LL.2: also d = 1.
* W1.4: f(x) = c + (d − c)·exp(−exp(b·(ln x − ln e)))
* W2.4: f(x) = c + (d − c)·(1 − exp(−exp(b·(ln x − ln e))))
* BC.5 (hormesis): f(x) = c + (d − c + f·x) / (1 + exp(b·(ln x − ln e)))

For LL, W1 and BC, b < 0 gives a curve rising from c (at dose 0) to d and b > 0 a curve falling
from d to c; W2 is the other way round.

References
----------
Ritz, C., Baty, F., Streibig, J. C. & Gerhard, D. (2015) Dose-response analysis using R.
PLoS ONE 10, e0146021.
Brain, P. & Cousens, R. (1989) An equation to describe dose responses where there is
stimulation of growth at low doses. Weed Research 29, 93–96.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import DesignError, FitError

__all__ = ["MODELS", "fit", "select_model", "DoseResponseFit"]

#: model name -> (full parameter names, parameters fixed by the model)
MODELS: dict[str, tuple[tuple[str, ...], dict[str, float]]] = {
    "LL.2": (("b", "c", "d", "e", "f"), {"c": 0.0, "d": 1.0, "f": 1.0}),
    "LL.3": (("b", "c", "d", "e", "f"), {"c": 0.0, "f": 1.0}),
    "LL.4": (("b", "c", "d", "e", "f"), {"f": 1.0}),
    "LL.5": (("b", "c", "d", "e", "f"), {}),
    "W1.4": (("b", "c", "d", "e"), {}),
    "W2.4": (("b", "c", "d", "e"), {}),
    "BC.5": (("b", "c", "d", "e", "f"), {}),
}


# --------------------------------------------------------------------------------------------
# model functions
# --------------------------------------------------------------------------------------------

def _family(model: str) -> str:
    return model.split(".")[0]


def _curve(family: str, x: np.ndarray, p: dict) -> np.ndarray:
    b, c, d, e = p["b"], p["c"], p["d"], p["e"]
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        E = np.exp(b * (np.log(x) - np.log(e)))
        if family == "LL":
            return c + (d - c) / (1.0 + E) ** p["f"]
        if family == "W1":
            return c + (d - c) * np.exp(-E)
        if family == "W2":
            return c + (d - c) * (1.0 - np.exp(-E))
        if family == "BC":
            return c + (d - c + p["f"] * x) / (1.0 + E)
    raise DesignError(f"unknown model family {family!r}")


def _rises_from_c(family: str, b: float) -> bool:
    """True when the response at dose 0 is c (so relative ED p moves from c toward d)."""
    return (b > 0) if family == "W2" else (b < 0)


def _inverse(family: str, s: float, p: dict) -> float:
    """Dose at which (f(x) − c)/(d − c) = s."""
    b, e = p["b"], p["e"]
    if not 0.0 < s < 1.0:
        return np.nan
    with np.errstate(all="ignore"):
        if family == "LL":
            E = s ** (-1.0 / p["f"]) - 1.0
        elif family == "W1":
            E = -np.log(s)
        elif family == "W2":
            E = -np.log1p(-s)
        elif family == "BC":
            return _inverse_bc(s, p)
        else:  # pragma: no cover - guarded by MODELS
            raise DesignError(f"unknown model family {family!r}")
        return float(e * E ** (1.0 / b))


def _inverse_bc(s: float, p: dict) -> float:
    """Brain–Cousens: the dose beyond the hormetic peak where f(x) − c = s·(d − c)."""
    from scipy.optimize import brentq

    b, c, d, e, f = p["b"], p["c"], p["d"], p["e"], p["f"]

    def g(x):
        return (d - c + f * x) / (1.0 + np.exp(b * (np.log(x) - np.log(e)))) - s * (d - c)

    grid = e * np.exp(np.linspace(np.log(1e-6), np.log(1e6), 2001))
    with np.errstate(all="ignore"):
        vals = g(grid)
        resp = (d - c + f * grid) / (1.0 + np.exp(b * (np.log(grid) - np.log(e))))
    start = int(np.nanargmax(resp)) if b > 0 else int(np.nanargmin(resp))
    sign = np.sign(vals[start:])
    change = np.flatnonzero(sign[:-1] * sign[1:] <= 0)
    if len(change) == 0:
        return np.nan
    i = start + int(change[0])
    if vals[i] == 0:
        return float(grid[i])
    return float(brentq(g, grid[i], grid[i + 1], xtol=1e-14 * grid[i], rtol=1e-14, maxiter=200))


# --------------------------------------------------------------------------------------------
# numerical derivatives
# --------------------------------------------------------------------------------------------

def _steps(theta: np.ndarray, rel: float) -> np.ndarray:
    return rel * np.maximum(np.abs(theta), 1e-2)


def _hessian(fun, theta: np.ndarray, rel: float = 1e-4) -> np.ndarray:
    k = len(theta)
    h = _steps(theta, rel)
    H = np.empty((k, k))
    f0 = fun(theta)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        H[i, i] = (-fun(theta + 2 * ei) + 16 * fun(theta + ei) - 30 * f0 + 16 * fun(theta - ei)
                   - fun(theta - 2 * ei)) / (12 * h[i] ** 2)
        for j in range(i + 1, k):
            ej = np.zeros(k)
            ej[j] = h[j]
            H[i, j] = H[j, i] = (fun(theta + ei + ej) - fun(theta + ei - ej)
                                 - fun(theta - ei + ej) + fun(theta - ei - ej)) / (4 * h[i] * h[j])
    return H


def _gradient(fun, theta: np.ndarray, rel: float = 1e-6) -> np.ndarray:
    h = _steps(theta, rel)
    g = np.empty(len(theta))
    for i in range(len(theta)):
        ei = np.zeros(len(theta))
        ei[i] = h[i]
        g[i] = (fun(theta + ei) - fun(theta - ei)) / (2 * h[i])
    return g


# --------------------------------------------------------------------------------------------
# the fit object
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DoseResponseFit(Result):
    """A fitted dose-response curve (see :func:`fit`).

    ``table`` (also ``params``): one row per estimated parameter with ``parameter``,
    ``estimate``, ``se``, ``t`` (estimate/se) and ``p_value`` (t with the residual df for
    continuous fits, normal for binomial fits, as drc).  Other fields: ``model``, ``kind``,
    ``fixed`` (the fixed parameters), ``vcov`` (DataFrame), ``n``, ``df_residual``, ``loglik``,
    ``aic``, ``rss`` and ``residual_se`` (continuous only, NaN otherwise), ``dose`` and
    ``response`` (column names) and ``data`` (the dose, the response — a proportion for binomial
    fits — and the weights used).
    """

    table: pd.DataFrame
    model: str
    kind: str
    fixed: dict
    vcov: pd.DataFrame
    n: int
    df_residual: int
    loglik: float
    aic: float
    rss: float
    residual_se: float
    dose: str
    response: str
    data: pd.DataFrame = field(repr=False)

    @property
    def params(self) -> pd.DataFrame:
        """The parameter table (same as ``table``)."""
        return self.table

    def _full(self, theta=None) -> dict:
        names = list(self.table["parameter"])
        vals = self.table["estimate"].to_numpy() if theta is None else theta
        p = dict(self.fixed)
        p.update(dict(zip(names, vals)))
        return p

    def predict(self, doses) -> np.ndarray:
        """Fitted response at ``doses`` (a proportion for binomial fits)."""
        x = np.asarray(doses, dtype=float)
        return _curve(_family(self.model), x, self._full())

    def ed(self, p, *, type: str = "relative", interval: str = "delta",
           level: float = 0.95) -> pd.DataFrame:
        """Effective doses, as drc's ``ED()``.

        Parameters
        ----------
        p : float or sequence of float
            ``type="relative"``: percentages (0–100) of the way from the response at dose 0
            toward the other asymptote (drc swaps p → 100 − p internally for a curve rising from
            c; the result is the same statement).  ``type="absolute"``: response levels, the
            dose that gives exactly that response (a proportion for binomial fits).
        interval : {"delta", "none"}
            Delta-method interval estimate ± q·se, with q the t quantile on the residual df
            (continuous) or the normal quantile (binomial), as drc.  Intervals are symmetric and
            may go below zero.
        level : float
            Confidence level.

        Returns
        -------
        DataFrame
            ``label`` (drc's ``e:1:<p>``), ``p``, ``estimate``, ``se`` and, with
            ``interval="delta"``, ``ci_low`` and ``ci_high``.

        Notes
        -----
        The delta-method gradient is taken with the requested level held fixed on drc's
        relative scale; for absolute EDs drc (3.0-1) converts the response level to a relative
        one with the estimated c and d and does not differentiate that conversion, so the
        standard error reflects the uncertainty of b, e (and f) only.  genelab does the same.
        """
        from scipy import stats

        if type not in ("relative", "absolute"):
            raise DesignError(f"type must be 'relative' or 'absolute', not {type!r}")
        if interval not in ("delta", "none"):
            raise DesignError(f"interval must be 'delta' or 'none', not {interval!r}")
        if not 0 < level < 1:
            raise DesignError(f"level must lie between 0 and 1, not {level!r}")
        fam = _family(self.model)
        names = list(self.table["parameter"])
        theta = self.table["estimate"].to_numpy()
        full = self._full()
        V = self.vcov.to_numpy()
        rows = []
        for pv in np.atleast_1d(np.asarray(p, dtype=float)):
            if type == "relative":
                if not 0 < pv < 100:
                    raise DesignError(f"relative ED levels are percentages between 0 and 100, "
                                      f"not {pv:g}")
                s = pv / 100.0 if _rises_from_c(fam, full["b"]) else 1.0 - pv / 100.0
            else:
                s = (pv - full["c"]) / (full["d"] - full["c"])

            def ed_at(th, s=s):
                q = dict(self.fixed)
                q.update(dict(zip(names, th)))
                return _inverse(fam, s, q)

            est = ed_at(theta)
            if np.isfinite(est):
                g = _gradient(ed_at, theta)
                se = float(np.sqrt(g @ V @ g))
            else:
                se = np.nan
            row = {"label": f"e:1:{pv:g}", "p": pv, "estimate": est, "se": se}
            if interval == "delta":
                q = (stats.t.ppf(0.5 + level / 2, self.df_residual) if self.kind == "continuous"
                     else stats.norm.ppf(0.5 + level / 2))
                row["ci_low"] = est - q * se
                row["ci_high"] = est + q * se
            rows.append(row)
        return pd.DataFrame(rows)

    def lack_of_fit(self) -> pd.DataFrame:
        """drc's ``modelFit()``.

        Continuous fits: the lack-of-fit F test against a one-way ANOVA with dose as a factor,
        F = ((RSS_curve − RSS_anova)/(df_curve − df_anova)) / (RSS_anova/df_anova); two rows
        ``ANOVA`` and ``DRC model`` with ``model_df``, ``rss``, ``df``, ``f`` and ``p_value``.
        Binomial fits: Pearson's goodness-of-fit χ² = Σ (y − nπ)²/(nπ(1 − π)) on the residual
        df (observations with π of 0 or 1 left out, with their df); one row ``DRC model`` with
        ``df``, ``chisq`` and ``p_value``.
        """
        from scipy import stats

        x = self.data["dose"].to_numpy()
        y = self.data["response"].to_numpy()
        w = self.data["weight"].to_numpy()
        fitted = self.predict(x)
        if self.kind == "binomial":
            edge = (fitted < 1e-12) | (fitted > 1 - 1e-12)
            succ, expct = y * w, w * fitted
            with np.errstate(all="ignore"):
                chisq = float(np.sum(((succ - expct) ** 2 / (expct * (1 - fitted)))[~edge]))
            df = self.df_residual - int(edge.sum())
            pval = float(stats.chi2.sf(chisq, df)) if df > 0 else np.nan
            return pd.DataFrame({"model": ["DRC model"], "df": [df], "chisq": [chisq],
                                 "p_value": [pval]})
        groups = pd.Series(y * np.sqrt(w)).groupby(x)
        # weighted one-way ANOVA: residual SS around weighted dose means
        dfw = pd.DataFrame({"x": x, "y": y, "w": w})
        wm = dfw.assign(wy=dfw.w * dfw.y).groupby("x")[["wy", "w"]].sum()
        means = (wm["wy"] / wm["w"]).reindex(x).to_numpy()
        rss_a = float(np.sum(w * (y - means) ** 2))
        df_a = len(y) - groups.ngroups
        ddf = self.df_residual - df_a
        with np.errstate(all="ignore"):
            f = ((self.rss - rss_a) / ddf) / (rss_a / df_a) if ddf > 0 and df_a > 0 else np.nan
        pval = float(stats.f.sf(f, ddf, df_a)) if np.isfinite(f) else np.nan
        return pd.DataFrame({"model": ["ANOVA", "DRC model"], "model_df": [df_a, self.df_residual],
                             "rss": [rss_a, self.rss], "df": [np.nan, ddf],
                             "f": [np.nan, f], "p_value": [np.nan, pval]})


# --------------------------------------------------------------------------------------------
# fitting
# --------------------------------------------------------------------------------------------

def _start(fam: str, x, y, free: list[str], fixed: dict) -> list[dict]:
    """Starting values in the spirit of drc's self starters (plus the mirrored slope)."""
    rng = float(np.ptp(y)) or 1.0
    c = fixed.get("c", float(np.min(y)) - 0.001 * rng)
    d = fixed.get("d", float(np.max(y)) + 0.001 * rng)
    pos = x > 0
    b, e = -1.0, float(np.exp(np.mean(np.log(x[pos])))) if pos.any() else 1.0
    if pos.sum() >= 2 and d != c:
        frac = np.clip((y[pos] - c) / (d - c), 1e-6, 1 - 1e-6)
        if fam == "W1":
            z = np.log(-np.log(frac))
        elif fam == "W2":
            z = np.log(-np.log1p(-frac))
        else:
            z = np.log((1 - frac) / frac)
        lx = np.log(x[pos])
        if np.ptp(lx) > 0:
            slope, icpt = np.polyfit(lx, z, 1)
            if np.isfinite(slope) and slope != 0:
                b, e = float(slope), float(np.exp(-icpt / slope))
    base = {"b": b, "c": c, "d": d, "e": e, "f": 1.0 if fam == "LL" else 0.0}
    base.update(fixed)
    mirrored = dict(base, b=-b)
    if "c" not in fixed and "d" not in fixed:
        mirrored.update(c=d, d=c)
    return [base, mirrored]


def _prepare(data, dose, response, weights, kind):
    if not isinstance(data, pd.DataFrame):
        raise DesignError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    if kind not in ("continuous", "binomial"):
        raise DesignError(f"kind must be 'continuous' or 'binomial', not {kind!r}")
    succ_col = None
    if kind == "binomial" and isinstance(response, str) and "/" in response \
            and response not in data.columns:
        succ_col, weights = (s.strip() for s in response.split("/", 1))
    cols = [dose, succ_col or response] + ([weights] if isinstance(weights, str) else [])
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise DesignError(f"dose-response data lack the column(s) {', '.join(map(repr, missing))}")
    x = pd.to_numeric(data[dose], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(data[succ_col or response], errors="coerce").to_numpy(dtype=float)
    if weights is None:
        if kind == "binomial":
            raise DesignError("a binomial fit needs the number of trials: pass weights='<trials "
                              "column>' or response='<successes>/<trials>'")
        w = np.ones(len(x))
    elif isinstance(weights, str):
        w = pd.to_numeric(data[weights], errors="coerce").to_numpy(dtype=float)
    else:
        w = np.asarray(weights, dtype=float)
        if len(w) != len(x):
            raise DesignError(f"weights has {len(w)} values for {len(x)} rows")
    bad = ~(np.isfinite(x) & np.isfinite(y) & np.isfinite(w))
    if bad.any():
        rows = np.flatnonzero(bad)[:5] + 2
        raise DesignError(f"missing or non-numeric dose, response or weight in spreadsheet rows "
                          f"{', '.join(map(str, rows))}; remove or complete them first")
    if (x < 0).any():
        raise DesignError(f"doses must be ≥ 0; found {x[x < 0][0]:g}")
    if (w <= 0).any():
        raise DesignError("weights (trials) must be positive")
    if kind == "binomial":
        if succ_col is not None or (y > 1).any():
            if (y < 0).any() or (y > w).any():
                raise DesignError("successes must lie between 0 and the number of trials")
            y = y / w
        elif (y < 0).any():
            raise DesignError("proportions must lie between 0 and 1")
    return x, y, w, succ_col or response


def _objective(fam, kind, x, y, w, names, fixed):
    from scipy.special import xlogy

    def full(theta):
        p = dict(fixed)
        p.update(dict(zip(names, theta)))
        return p

    if kind == "continuous":
        def obj(theta):
            r = y - _curve(fam, x, full(theta))
            v = float(np.sum(w * r * r))
            return v if np.isfinite(v) else np.inf
    else:
        succ = y * w

        def obj(theta):
            pi = _curve(fam, x, full(theta))
            if np.any(~np.isfinite(pi)) or np.any(pi < 0) or np.any(pi > 1):
                return np.inf
            v = -float(np.sum(xlogy(succ, pi) + xlogy(w - succ, 1.0 - pi)))
            return v if np.isfinite(v) else np.inf
    return obj, full


def _optimise(fam, kind, x, y, w, names, fixed, starts):
    from scipy.optimize import least_squares, minimize

    obj, full = _objective(fam, kind, x, y, w, names, fixed)
    ie = names.index("e") if "e" in names else None

    def to_theta(u):
        th = np.array(u, dtype=float)
        if ie is not None:
            th[ie] = np.exp(u[ie])
        return th

    def from_theta(th):
        u = np.array(th, dtype=float)
        if ie is not None:
            u[ie] = np.log(th[ie])
        return u

    best = None
    for st in starts:
        u0 = from_theta([st[n] for n in names])
        if not np.all(np.isfinite(u0)):
            continue
        try:
            if kind == "continuous":
                sw = np.sqrt(w)

                def resid(u):
                    r = sw * (y - _curve(fam, x, full(to_theta(u))))
                    return np.where(np.isfinite(r), r, 1e10)

                sol = least_squares(resid, u0, method="lm", xtol=1e-12, ftol=1e-12, gtol=1e-12,
                                    max_nfev=20000)
                u = sol.x
            else:
                def f_u(u):
                    return obj(to_theta(u))

                if not np.isfinite(f_u(u0)):
                    # pull the asymptotes inside (0, 1)
                    st2 = dict(st)
                    for k in ("c", "d"):
                        if k in names:
                            st2[k] = float(np.clip(st2[k], 0.01, 0.99))
                    u0 = from_theta([st2[n] for n in names])
                    if not np.isfinite(f_u(u0)):
                        continue
                sol = minimize(f_u, u0, method="Nelder-Mead",
                               options={"maxiter": 20000, "xatol": 1e-10, "fatol": 1e-12})
                sol = minimize(f_u, sol.x, method="BFGS", options={"gtol": 1e-10, "maxiter": 2000})
                u = sol.x
        except (ValueError, FloatingPointError, np.linalg.LinAlgError):
            continue
        th = to_theta(u)
        val = obj(th)
        # the first start (c below, d above, as drc's self starter) wins unless another is
        # clearly better: it avoids the mirrored LL.4 solution (−b, d, c, e)
        if np.isfinite(val) and (best is None or val < best[1] - 1e-9 * abs(best[1])):
            best = (th, val)
    if best is None:
        raise FitError("the dose-response model could not be fitted from any starting value; "
                       "check that the response changes with dose")
    th, val = best
    # Newton polish on the natural scale (removes optimiser slack before the Hessian is taken)
    for _ in range(20):
        H = _hessian(obj, th)
        g = _gradient(obj, th)
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        new = th - step
        if ie is not None and new[ie] <= 0:
            break
        nv = obj(new)
        if not np.isfinite(nv) or nv > val:
            break
        done = np.all(np.abs(step) <= 1e-10 * np.maximum(np.abs(th), 1e-8))
        th, val = new, nv
        if done:
            break
    return th, val, obj


def fit(data: pd.DataFrame, dose: str, response: str, *, model: str = "LL.4", weights=None,
        kind: str = "continuous", fixed: dict | None = None) -> DoseResponseFit:
    """Fit a dose-response model as drc's ``drm()`` does.

    Parameters
    ----------
    data : DataFrame
        One row per experimental unit (tray, pot …).
    dose : str
        Dose column (≥ 0; dose 0 is the control).
    response : str
        Continuous fits: the response column.  Binomial fits: the successes column with
        ``weights`` = the trials column, or ``"successes/trials"``; a column whose values all lie
        in [0, 1] is read as proportions (drc's convention, ``weights`` = trials).
    model : {"LL.2", "LL.3", "LL.4", "LL.5", "W1.4", "W2.4", "BC.5"}
        See the module docstring; parameters keep drc's names and order (b, c, d, e, f).
    weights : str or array, optional
        Binomial: the number of trials.  Continuous: case weights w in Σ w·(y − f)².
    kind : {"continuous", "binomial"}
        Least squares, or maximum likelihood for successes out of trials.
    fixed : dict, optional
        Parameters held at given values, e.g. ``{"c": 0}`` (LL.4 with c fixed is LL.3).

    Returns
    -------
    DoseResponseFit
        See :class:`DoseResponseFit`.  Standard errors come from the observed Hessian at the
        optimum: vcov = 2·σ̂²·H⁻¹ with H the Hessian of the residual sum of squares and
        σ̂² = RSS/df (continuous), or the inverse Hessian of the negative log-likelihood
        (binomial) — not the Gauss–Newton JᵀJ, which differs by several per cent.  logLik and
        AIC as drc: continuous −n/2·(ln 2π + ln(RSS/n) + 1) with p + 1 parameters; binomial
        Σ[ln C(n, y) + y ln π + (n − y) ln(1 − π)] with p parameters.

    Notes
    -----
    genelab optimises to the exact optimum (least squares, then Newton steps); drc stops when
    the objective changes by less than 1e-7 relative, so its estimates can differ by a few 1e-4
    relative and its RSS can be marginally larger.

    Examples
    --------
    >>> d = pd.DataFrame({"ppm": [0, 0, 100, 100, 400, 400, 1600, 1600, 6400, 6400],
    ...                   "rooting": [10, 12, 20, 22, 42, 45, 66, 70, 78, 80]})
    >>> m = fit(d, "ppm", "rooting", model="LL.4")
    >>> m.params["parameter"].tolist()
    ['b', 'c', 'd', 'e']
    >>> bool(m.params.loc[0, "estimate"] < 0)   # rising curve: b < 0
    True
    >>> round(float(m.ed(50)["estimate"].iloc[0]) / float(m.params.loc[3, "estimate"]), 6)
    1.0
    """
    from scipy import stats
    from scipy.special import gammaln

    if model not in MODELS:
        raise DesignError(f"unknown model {model!r}: use one of {', '.join(MODELS)}")
    fam = _family(model)
    all_names, model_fixed = MODELS[model]
    fx = dict(model_fixed)
    for k, v in (fixed or {}).items():
        if k not in all_names:
            raise DesignError(f"model {model} has no parameter {k!r} to fix "
                              f"(parameters: {', '.join(all_names)})")
        fx[k] = float(v)
    names = [n for n in all_names if n not in fx]
    x, y, w, resp_name = _prepare(data, dose, response, weights, kind)
    n = len(x)
    if n <= len(names):
        raise DesignError(f"{n} observations cannot fit {len(names)} parameters")
    if len(np.unique(x)) < 3:
        raise DesignError("a dose-response curve needs at least 3 different doses")
    starts = _start(fam, x, y, names, fx)
    xo, yo, wo = x, y, w
    if kind == "binomial":
        # as drc: observations whose probability is 0 or 1 at the starting values (dose 0 when
        # c = 0 is fixed, say) do not enter the likelihood
        pi0 = _curve(fam, x, starts[0])
        iv = (pi0 > 1e-12) & (pi0 < 1 - 1e-12)
        xo, yo, wo = x[iv], y[iv], w[iv]
    th, val, obj = _optimise(fam, kind, xo, yo, wo, names, fx, starts)
    if fam == "LL" and fx.get("f", None) == 1.0 and "c" in names and "d" in names:
        ic, idd, ib = names.index("c"), names.index("d"), names.index("b")
        if th[ic] > th[idd]:  # the same curve written with c as the lower limit, as drc has it
            th = th.copy()
            th[ic], th[idd], th[ib] = th[idd], th[ic], -th[ib]
    df_res = n - len(names)
    H = _hessian(obj, th)
    try:
        Hinv = np.linalg.inv(H)
    except np.linalg.LinAlgError as exc:
        raise FitError(f"the {model} fit is degenerate (singular Hessian); try a model with "
                       f"fewer parameters") from exc
    if kind == "continuous":
        rss = val
        s2 = rss / df_res
        V = 2.0 * s2 * Hinv
        loglik = -n / 2.0 * (np.log(2 * np.pi) + np.log(rss / n) + 1.0)
        aic = -2 * loglik + 2 * (len(names) + 1)
        rse = float(np.sqrt(s2))
    else:
        V = Hinv
        succ = yo * wo
        loglik = float(np.sum(gammaln(wo + 1) - gammaln(succ + 1) - gammaln(wo - succ + 1))) - val
        aic = -2 * loglik + 2 * len(names)
        rss, rse = np.nan, np.nan
    se = np.sqrt(np.where(np.diag(V) >= 0, np.diag(V), np.nan))
    tval = th / se
    pval = (2 * stats.t.sf(np.abs(tval), df_res) if kind == "continuous"
            else 2 * stats.norm.sf(np.abs(tval)))
    table = pd.DataFrame({"parameter": names, "estimate": th, "se": se, "t": tval,
                          "p_value": pval})
    vcov = pd.DataFrame(V, index=names, columns=names)
    used = pd.DataFrame({"dose": x, "response": y, "weight": w})
    return DoseResponseFit(table=table, model=model, kind=kind,
                           fixed={k: fx[k] for k in all_names if k in fx}, vcov=vcov, n=n,
                           df_residual=df_res, loglik=float(loglik), aic=float(aic),
                           rss=float(rss), residual_se=rse, dose=dose, response=resp_name,
                           data=used)


def select_model(data: pd.DataFrame, dose: str, response: str, *,
                 models=("LL.4", "LL.3", "LL.5", "W1.4", "W2.4"), weights=None,
                 kind: str = "continuous") -> pd.DataFrame:
    """Compare dose-response models as drc's ``mselect()``.

    Returns
    -------
    DataFrame
        One row per model, sorted by AIC (smallest first): ``model``, ``loglik``, ``aic``,
        ``res_var`` (residual variance RSS/df; NaN for binomial fits), ``lack_of_fit_p`` (the
        p-value of :meth:`DoseResponseFit.lack_of_fit`) and ``note`` (why a model could not be
        fitted; such models get NaN and sort last).

    Examples
    --------
    >>> d = pd.DataFrame({"ppm": [0, 0, 100, 100, 400, 400, 1600, 1600, 6400, 6400],
    ...                   "rooting": [10, 12, 20, 22, 42, 45, 66, 70, 78, 80]})
    >>> select_model(d, "ppm", "rooting", models=("LL.4", "LL.3"))["model"].tolist()
    ['LL.4', 'LL.3']
    """
    rows = []
    for m in models:
        try:
            f = fit(data, dose, response, model=m, weights=weights, kind=kind)
        except FitError as exc:
            rows.append({"model": m, "loglik": np.nan, "aic": np.nan, "res_var": np.nan,
                         "lack_of_fit_p": np.nan, "note": str(exc)})
            continue
        lof = f.lack_of_fit()
        rows.append({"model": m, "loglik": f.loglik, "aic": f.aic,
                     "res_var": f.rss / f.df_residual if kind == "continuous" else np.nan,
                     "lack_of_fit_p": float(lof["p_value"].iloc[-1]), "note": ""})
    out = pd.DataFrame(rows)
    return out.sort_values("aic", na_position="last", kind="stable").reset_index(drop=True)
