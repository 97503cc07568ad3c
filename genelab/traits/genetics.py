"""Variance components, heritability and genetic advance of a genotype trial.

Method of moments from the ANOVA of a (factorial) RCBD, and REML/ML mixed models fitted with
statsmodels ``MixedLM`` (``shared/reference/README.md`` §9; agrees with lme4 1.1-31).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import DesignError, FitError
from genelab.traits._common import _level, _require

__all__ = ["GeneticParameters", "genetic_parameters", "robust_z", "SELECTION_K"]

#: Standardised selection differential at 5 % selection intensity (Lush; Johnson et al. 1955).
SELECTION_K = 2.063


def robust_z(residuals) -> np.ndarray:
    """Modified z-score 0.6745·(x − median)/MAD of Iglewicz & Hoaglin (1993).

    Values with |z| > 3.5 are the usual outlier flag.  A MAD of zero gives z = 0 for values at
    the median and ±inf otherwise.

    Examples
    --------
    >>> robust_z([1.0, 2.0, 3.0, 4.0, 100.0]).round(3).tolist()
    [-1.349, -0.674, 0.0, 0.674, 65.427]
    """
    x = np.asarray(residuals, dtype=float)
    med = np.nanmedian(x) if np.isfinite(x).any() else np.nan
    mad = np.nanmedian(np.abs(x - med)) if np.isfinite(x).any() else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        z = 0.6745 * (x - med) / mad
    z = np.where((mad == 0) & (x == med), 0.0, z)
    return z


@dataclass(frozen=True)
class GeneticParameters(Result):
    """Variance components and genetic parameters of one response.

    ``table`` has one row per parameter: ``parameter``, ``estimate``, ``level`` (low / medium /
    high or empty).  Heritabilities are fractions (0–1); gcv, pcv and gam are percentages.
    """

    table: pd.DataFrame
    response: str
    method: str
    mean: float
    sigma2_g: float
    sigma2_ge: float
    sigma2_e: float
    sigma2_block: float
    sigma2_p: float
    h2_plot: float
    h2_mean: float
    gcv: float
    pcv: float
    ga: float
    gam: float
    r: float
    s: int
    g: int
    basis: str
    components: pd.DataFrame
    anova: pd.DataFrame | None
    log_likelihood: float | None
    fixed_effects: pd.Series | None
    residuals: pd.DataFrame
    notes: tuple[str, ...]


_ANOVA_NAMES = {"b": "block", "e": "env", "g": "genotype", "e:g": "genotype:env", "e:b": "block(env)"}


def _prepare(data, response, genotype, block, env):
    _require(data, [response, genotype, block, env], "data")
    cols = {"y": response, "g": genotype, "b": block}
    if env is not None:
        cols["e"] = env
    d = pd.DataFrame({k: data[v] for k, v in cols.items()})
    try:
        d["y"] = pd.to_numeric(d["y"]).astype(float)
    except (TypeError, ValueError):
        raise DesignError(f"response column {response!r} must be numeric") from None
    notes = []
    keys_missing = d.drop(columns="y").isna().any(axis=1)
    if keys_missing.any():
        raise DesignError(
            f"{int(keys_missing.sum())} row(s) have an empty {genotype}/{block}"
            + (f"/{env}" if env else "") + " label; fill them in or remove those rows"
        )
    n_missing = int(d["y"].isna().sum())
    if n_missing:
        notes.append(f"{n_missing} plot(s) with a missing {response} were left out of the fit")
        d = d[d["y"].notna()]
    for k in d.columns.drop("y"):
        d[k] = d[k].astype(str)
    if d["g"].nunique() < 2:
        raise DesignError(f"genotype column {genotype!r} needs at least 2 genotypes")
    if d["b"].nunique() < 2:
        raise DesignError(f"block column {block!r} needs at least 2 blocks")
    if env is not None and d["e"].nunique() < 2:
        raise DesignError(f"env column {env!r} has a single level; call without env")
    return d, notes


def _dummies(codes: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((len(codes), k))
    out[np.arange(len(codes)), codes] = 1.0
    return out


def sequential_anova(d: pd.DataFrame, terms: list[tuple[str, ...]], names: list[str], y: str = "y"):
    """Type-I (sequential) ANOVA of ``y`` on factor terms, by least squares on dummy columns.

    Each term is a tuple of columns (one column: a main effect; several: their interaction
    cells).  The SS of a term is the drop in residual SS when its columns join the model; its
    df is the rank it adds.  Returns the table (``source, df, ss, ms, f, p_value`` with a final
    ``residual`` row) and the fitted values.
    """
    from scipy import stats

    yv = d[y].to_numpy(dtype=float)
    n = len(yv)
    X = np.ones((n, 1))
    rank_prev, rss_prev = 1, float(((yv - yv.mean()) ** 2).sum())
    rows = []
    fitted = np.full(n, yv.mean())
    for term, name in zip(terms, names):
        codes = np.zeros(n, np.int64)
        for col in term:  # cells of an interaction: combined codes of its factors
            c, u = pd.factorize(d[col])
            codes = codes * len(u) + c
        codes, uniq = pd.factorize(codes)
        X = np.hstack([X, _dummies(codes, len(uniq))])
        coef, _, rank, _ = np.linalg.lstsq(X, yv, rcond=None)
        fitted = X @ coef
        rss = float(((yv - fitted) ** 2).sum())
        rows.append([name, float(rank - rank_prev), max(rss_prev - rss, 0.0)])
        rank_prev, rss_prev = rank, rss
    df_e = float(n - rank_prev)
    tab = pd.DataFrame(rows, columns=["source", "df", "ss"])
    tab["ms"] = tab["ss"] / tab["df"]
    mse = rss_prev / df_e if df_e > 0 else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        tab["f"] = tab["ms"] / mse
        tab["p_value"] = stats.f.sf(tab["f"], tab["df"], df_e)
    tab.loc[len(tab)] = ["residual", df_e, rss_prev, mse, np.nan, np.nan]
    return tab, fitted


def _anova_table(d: pd.DataFrame, env: bool, block_in_env: bool):
    if env:
        terms = [("e",), ("e", "b")] if block_in_env else [("b",), ("e",)]
        terms += [("g",), ("e", "g")]
    else:
        terms = [("b",), ("g",)]
    names = [_ANOVA_NAMES[":".join(t)] for t in terms]
    tab, fitted = sequential_anova(d, terms, names)
    return tab, pd.Series(d["y"].to_numpy() - fitted, index=d.index)


def _moment_start(d: pd.DataFrame, env: bool, block_in_env: bool, r: float, s: int) -> dict:
    """Method-of-moments variance components (floored away from zero) as optimizer start."""
    tab, _ = _anova_table(d, env, block_in_env)
    ms = tab.set_index("source")["ms"]
    mse = float(ms["residual"]) if np.isfinite(ms["residual"]) and ms["residual"] > 0 else float(d["y"].var())
    n_blocks = d[["e", "b"]].drop_duplicates().shape[0] if (env and block_in_env) else d["b"].nunique()
    block_ms = ms["block(env)" if (env and block_in_env) else "block"]
    if env:
        start = {"g": (ms["genotype"] - ms["genotype:env"]) / (r * s), "ge": (ms["genotype:env"] - mse) / r}
    else:
        start = {"g": (ms["genotype"] - mse) / r}
    start["b"] = (block_ms - mse) / (len(d) / n_blocks)
    if env:  # E[MS_env] = σ²e + r·σ²ge (+ g·σ²b when blocks sit in environments) + g·r·σ²env
        g = d["g"].nunique()
        nested = g * max(start["b"], 0.0) if block_in_env else 0.0
        start["e_env"] = (ms["env"] - ms["genotype:env"] - nested) / (g * r)
    floor = 0.05 * mse
    exact = all(np.isfinite(v) and v > floor for v in start.values())
    out = {k: max(float(v), floor) if np.isfinite(v) else floor for k, v in start.items()}
    return out | {"e": mse, "exact": exact}


def _fit_mixed(d: pd.DataFrame, env: bool, block_in_env: bool, reml: bool, r: float, s: int,
               env_random: bool = False):
    import statsmodels.api as sm
    from statsmodels.regression.mixed_linear_model import MixedLMParams

    first = _moment_start(d, env, block_in_env, r, s)
    d = d.assign(_one=1)
    vc = {"g": "0 + C(g)", "b": "0 + C(b)"}
    if env:
        d["ge"] = d["g"] + "\x1f" + d["e"]
        vc["ge"] = "0 + C(ge)"
        if block_in_env:
            d["b"] = d["e"] + "\x1f" + d["b"]
    if env and env_random:
        vc["e"] = "0 + C(e)"
    formula = "y ~ C(e)" if (env and not env_random) else "y ~ 1"
    model = sm.MixedLM.from_formula(formula, data=d, groups="_one", vc_formula=vc, re_formula="0")
    fe, *_ = np.linalg.lstsq(model.exog, model.endog, rcond=None)
    ratios = np.array([first["e_env" if k == "e" else k] / first["e"] for k in model.exog_vc.names])
    start = MixedLMParams.from_components(fe_params=fe, cov_re=np.zeros((0, 0)), vcomp=ratios)
    # L-BFGS from the method-of-moments estimates (which are the REML optimum itself for
    # balanced data with positive components); otherwise (or without convergence) a BFGS
    # polish with a tight gradient tolerance follows.  The larger likelihood wins.
    fits, errors = [], []
    # REML on balanced data whose moment estimates are all positive starts at the optimum
    balanced = d.groupby(["g", "e"] if env else ["g"]).size().nunique() == 1
    skip_polish = reml and balanced and first["exact"]
    for method, kw in (("lbfgs", {}), ("bfgs", {"gtol": 1e-10})):
        if fits and fits[-1][0].converged and skip_polish:
            break
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                fit = model.fit(reml=reml, method=[method], maxiter=5000, start_params=start, **kw)
            except (np.linalg.LinAlgError, ValueError) as exc:  # pragma: no cover - rare
                errors.append(str(exc))
                continue
        if np.isfinite(fit.llf):
            fits.append((fit, [str(x.message) for x in w]))
            start = fit.params_object
    if not fits:
        raise FitError("the mixed model could not be fitted: " + "; ".join(errors[:3]))
    best, best_warnings = max(fits, key=lambda fw: fw[0].llf)
    if np.min(np.asarray(best.vcomp, dtype=float) / best.scale, initial=np.inf) < 1e-2:
        # a component heads for the boundary, where the gradient-based optimizers crawl
        # (statsmodels works on a square-root scale); a derivative-free Powell search from there
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                fit = model.fit(reml=reml, method=["powell"], maxiter=5000, start_params=best.params_object)
                if np.isfinite(fit.llf):
                    fits.append((fit, [str(x.message) for x in w]))
            except (np.linalg.LinAlgError, ValueError) as exc:  # pragma: no cover - rare
                errors.append(str(exc))
        best, best_warnings = max(fits, key=lambda fw: fw[0].llf)
    converged = any(f.converged and best.llf >= f.llf - 1e-8 for f, _ in fits)
    caught = [] if converged else sorted(set(m for _, ws in fits for m in ws))
    if not converged:
        caught.append("the mixed-model optimizer did not report convergence; treat the estimates with care")
    comps = {("env" if k == "e" else k): float(v) for k, v in zip(model.exog_vc.names, np.asarray(best.vcomp))}
    comps["e"] = float(best.scale)
    return best, comps, caught


def genetic_parameters(
    data: pd.DataFrame,
    response: str,
    *,
    genotype: str,
    block: str,
    env: str | None = None,
    method: str = "anova",
    block_in_env: bool = False,
    basis: str = "mean",
    k: float = SELECTION_K,
    env_effect: str = "fixed",
) -> GeneticParameters:
    """Variance components, heritability, GCV, PCV and genetic advance of ``response``.

    Parameters
    ----------
    data : DataFrame
        One row per plot.
    response, genotype, block : str
        Response column, genetic entries (accessions, families, sources) and blocks.
    env : str, optional
        Environment factor (site, year, substrate …).  Without it, σ²ge is 0 and G×E stays in
        the residual (the "genotype + block" model of README §9).
    method : {"anova", "reml", "ml"}
        ``"anova"``: method of moments from the type-I ANOVA (exact for balanced data; with
        unequal replication r is the harmonic mean and a note says the estimates are approximate;
        every genotype×env cell must be present);
        ``"reml"``/``"ml"``: statsmodels MixedLM with genotype, genotype×env and block as random
        intercepts (variance components) and env fixed — the lme4 model
        ``y ~ env + (1|genotype) + (1|genotype:env) + (1|block)``.
    block_in_env : bool
        Blocks are nested in environments (multi-site trials, block labels reused per site).
        Default False: blocks cross the environment levels as in a factorial RCBD.
    basis : {"mean", "plot"}
        Basis of the phenotypic variance used for PCV and GA: the variance of entry means
        σ²p = σ²g + σ²ge/s + σ²e/(r·s) (Johnson, Robinson & Comstock 1955; default) or of single
        plots σ²p = σ²g + σ²ge + σ²e.
    k : float
        Selection differential in σ units (2.063 at 5 % selection).
    env_effect : {"fixed", "random"}
        REML/ML only: the environment as a fixed effect (default, README §9) or as one more
        random intercept (lme4 ``y ~ 1 + (1|genotype) + (1|env) + (1|genotype:env) +
        (1|block)``); its variance is in ``components`` as ``env``.

    Returns
    -------
    GeneticParameters
        ``sigma2_g, sigma2_ge, sigma2_e, sigma2_block`` (0 for the ANOVA, where blocks are
        fixed), ``sigma2_p``, ``h2_plot = σ²g/(σ²g+σ²ge+σ²e)``,
        ``h2_mean = σ²g/(σ²g+σ²ge/s+σ²e/(r·s))``, ``gcv = 100·σg/mean``, ``pcv = 100·σp/mean``,
        ``ga = k·h²·σp`` and ``gam = 100·ga/mean`` (h² and σp on ``basis``), ``r`` (blocks per
        genotype×env cell; plots per genotype without env; harmonic mean when unbalanced),
        ``s``, ``g``, the ``anova`` table (method "anova"), the ``components`` table,
        ``log_likelihood`` (the REML criterion's log-likelihood for REML, as lme4 reports it),
        ``residuals`` (the data with ``fitted``, ``residual``, ``robust_z`` and ``outlier``
        = |robust z| > 3.5 — flagged, never dropped) and ``notes``.  ``table`` lists every
        parameter with its verbal level: h² low < 30 %, medium 30–60 %, high > 60 % (Robinson
        et al. 1949; Johnson et al. 1955); GCV and PCV low < 10 %, medium 10–20 %, high > 20 %
        (Sivasubramanian & Menon 1973); GAM low < 10 %, medium 10–20 %, high > 20 % (Johnson
        et al. 1955).

    Notes
    -----
    Method of moments (README §9): σ²g = (MS_G − MS_GE)/(r·s), σ²ge = (MS_GE − MS_e)/r,
    σ²e = MS_e; without env σ²g = (MS_G − MS_e)/r.  A negative estimate is set to zero and a
    note says so.  REML estimates are ≥ 0 by construction; a component at zero is noted.

    Examples
    --------
    >>> d = pd.DataFrame({"g": list("AABBCCDD") * 2, "b": [1, 2] * 8,
    ...                   "e": ["x"] * 8 + ["y"] * 8,
    ...                   "y": [10, 11, 14, 13, 9, 9, 12, 14, 12, 12, 15, 16, 10, 11, 13, 14]})
    >>> gp = genetic_parameters(d, "y", genotype="g", block="b", env="e")
    >>> round(gp.sigma2_g, 4), round(gp.h2_mean, 4), gp.table.set_index("parameter").loc["h2_mean", "level"]
    (4.3333, 0.9764, 'high')
    """
    if method not in ("anova", "reml", "ml"):
        raise DesignError(f"method must be 'anova', 'reml' or 'ml', not {method!r}")
    if basis not in ("mean", "plot"):
        raise DesignError(f"basis must be 'mean' or 'plot', not {basis!r}")
    d, notes = _prepare(data, response, genotype, block, env)
    has_env = env is not None
    g = d["g"].nunique()
    s = d["e"].nunique() if has_env else 1
    cell_keys = ["g", "e"] if has_env else ["g"]
    cell_n = d.groupby(cell_keys).size()
    if has_env and len(cell_n) < g * s:
        notes.append(f"{g * s - len(cell_n)} genotype×env cell(s) have no plot")
    balanced = len(cell_n) == g * s and cell_n.nunique() == 1
    r = float(len(cell_n) / (1.0 / cell_n).sum())  # harmonic mean replication
    mean = float(d["y"].mean())
    anova = None
    loglik = None
    fixef = None
    sigma2_block = 0.0

    if method == "anova":
        if len(cell_n) < g * s:
            raise DesignError(
                "the ANOVA method of moments needs every genotype in every environment; "
                "use method='reml' for incomplete data"
            )
        if not balanced:
            notes.append(
                f"unequal replication: the method-of-moments coefficients use the harmonic mean "
                f"r = {r:.3g} and are approximate; method='reml' is preferable"
            )
        anova, resid = _anova_table(d, has_env, block_in_env)
        ms = anova.set_index("source")["ms"]
        if has_env:
            raw = {
                "g": (ms["genotype"] - ms["genotype:env"]) / (r * s),
                "ge": (ms["genotype:env"] - ms["residual"]) / r,
                "e": ms["residual"],
            }
        else:
            raw = {"g": (ms["genotype"] - ms["residual"]) / r, "ge": 0.0, "e": ms["residual"]}
        comp = {}
        for key, v in raw.items():
            if v < 0:
                name = {"g": "σ²g", "ge": "σ²ge", "e": "σ²e"}[key]
                notes.append(f"the ANOVA estimate of {name} was negative ({v:.6g}) and is reported as 0")
                v = 0.0
            comp[key] = float(v)
        fitted = d["y"] - resid
        components = pd.DataFrame(
            {"component": ["genotype", "genotype:env", "residual"],
             "variance": [comp["g"], comp["ge"], comp["e"]], "raw_estimate": [raw["g"], raw["ge"], raw["e"]]}
        )
        if not has_env:
            components = components[components["component"] != "genotype:env"].reset_index(drop=True)
    else:
        if env_effect not in ("fixed", "random"):
            raise DesignError(f"env_effect must be 'fixed' or 'random', not {env_effect!r}")
        fit, est, caught = _fit_mixed(d, has_env, block_in_env, method == "reml", r, s,
                                      env_random=env_effect == "random")
        notes += [f"optimizer: {c}" for c in caught if "converge" in c.lower() or "boundary" in c.lower()]
        comp = {"g": est.get("g", 0.0), "ge": est.get("ge", 0.0), "e": est["e"]}
        sigma2_block = float(est.get("b", 0.0))
        for key, name in (("g", "σ²g"), ("ge", "σ²ge"), ("b", "σ²block")):
            if key in est and est[key] <= 1e-4 * max(est["e"], 1e-300):
                notes.append(f"the {method.upper()} estimate of {name} is about 0 ({est[key]:.2g}, on the "
                             "boundary: a singular fit)")
        loglik = float(fit.llf)
        fixef = pd.Series(np.asarray(fit.fe_params), index=list(fit.fe_params.index))
        fitted = pd.Series(np.asarray(fit.fittedvalues), index=d.index)
        names = [("genotype", "g"), ("genotype:env", "ge"), ("env", "env"), ("block", "b"), ("residual", "e")]
        components = pd.DataFrame(
            [{"component": n, "variance": float(est[k_])} for n, k_ in names if k_ in est]
        )
    components["sd"] = np.sqrt(components["variance"])

    sg, sge, se = comp["g"], comp["ge"], comp["e"]
    with np.errstate(divide="ignore", invalid="ignore"):
        h2_plot = sg / (sg + sge + se)
        p_mean = sg + sge / s + se / (r * s)
        h2_mean = sg / p_mean
        sigma2_p = p_mean if basis == "mean" else sg + sge + se
        h2 = h2_mean if basis == "mean" else h2_plot
        gcv = 100 * np.sqrt(sg) / mean
        pcv = 100 * np.sqrt(sigma2_p) / mean
        ga = k * h2 * np.sqrt(sigma2_p)
        gam = 100 * ga / mean
    if mean <= 0:
        notes.append("the mean is not positive, so GCV, PCV and GAM are not meaningful")

    residual = d["y"] - fitted
    z = robust_z(residual.to_numpy())
    res_tab = data.loc[d.index].copy()
    res_tab["fitted"] = fitted.to_numpy()
    res_tab["residual"] = residual.to_numpy()
    res_tab["robust_z"] = z
    res_tab["outlier"] = np.abs(z) > 3.5
    n_out = int(res_tab["outlier"].sum())
    if n_out:
        notes.append(f"{n_out} plot(s) have |robust z| > 3.5 on the model residuals (flagged in residuals, kept)")

    rows = [
        ("mean", mean, ""),
        ("sigma2_g", sg, ""),
        ("sigma2_ge", sge, ""),
        ("sigma2_e", se, ""),
        ("sigma2_p", sigma2_p, ""),
        ("h2_plot", h2_plot, _level(100 * h2_plot, 30, 60)),
        ("h2_mean", h2_mean, _level(100 * h2_mean, 30, 60)),
        ("gcv", gcv, _level(gcv, 10, 20)),
        ("pcv", pcv, _level(pcv, 10, 20)),
        ("ga", ga, ""),
        ("gam", gam, _level(gam, 10, 20)),
    ]
    table = pd.DataFrame(rows, columns=["parameter", "estimate", "level"])
    return GeneticParameters(
        table=table, response=response, method=method, mean=mean,
        sigma2_g=float(sg), sigma2_ge=float(sge), sigma2_e=float(se), sigma2_block=sigma2_block,
        sigma2_p=float(sigma2_p), h2_plot=float(h2_plot), h2_mean=float(h2_mean), gcv=float(gcv),
        pcv=float(pcv), ga=float(ga), gam=float(gam), r=r, s=int(s), g=int(g), basis=basis,
        components=components, anova=anova, log_likelihood=loglik, fixed_effects=fixef,
        residuals=res_tab, notes=tuple(notes),
    )
