"""Rates from counts: a binomial GLM for rooting, survival and graft-take trials.

Percentages of cuttings rooted or grafts taken are analysed as the counts they are
(DESIGN §4): a logistic regression of ``successes`` out of ``trials`` per plot on the
treatment (and block), with

* a sequential analysis-of-deviance table (block first, then treatment), with χ² tests, or
  F tests when the quasi-binomial dispersion is used (R's ``anova(glm, test="F")``);
* each treatment's rate with a 95 % confidence interval computed on the logit scale and
  back-transformed (so it stays inside 0–1);
* pairwise comparisons of treatments as log odds ratios with Tukey (default), Holm,
  Bonferroni or any statsmodels ``multipletests`` adjustment, and agricolae-style letters
  (p rounded to 4 decimals, :func:`genelab.trials.letters.letters_from_pvalues`);
* over-dispersion detected from Pearson's χ²/df and handled by a quasi-binomial fit, with an
  :class:`OverdispersionWarning` that says so;
* complete separation (a treatment with 0 % or 100 % success) handled by Firth's
  bias-reduced logistic regression for the rates and comparisons, with a
  :class:`SeparationWarning`; the deviance table stays the maximum-likelihood one (its
  likelihood-ratio tests remain finite and valid).

References: McCullagh, P. & Nelder, J. A. (1989) *Generalized Linear Models*, 2nd ed.,
Chapman & Hall (analysis of deviance, quasi-likelihood, §4.5, §9); Firth, D. (1993) Bias
reduction of maximum likelihood estimates, *Biometrika* 80: 27–38; Lenth, R. (emmeans) for
the marginal rates and the Tukey adjustment of GLM comparisons.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from genelab._result import Result
from genelab.errors import DesignError, FitError
from genelab._multitest import adjust as _adjust
from genelab._multitest import method_name
from genelab.trials.nonparametric import _letters, _levels, _signif

__all__ = ["RatesResult", "OverdispersionWarning", "SeparationWarning", "rates"]


class OverdispersionWarning(UserWarning):
    """The binomial model was replaced by a quasi-binomial one because of over-dispersion."""


class SeparationWarning(UserWarning):
    """A treatment or block had 0 % or 100 % success; Firth's estimates are reported."""


@dataclass(frozen=True)
class RatesResult(Result):
    """Result of :func:`rates`.

    Attributes
    ----------
    table : DataFrame
        One row per treatment level (index ``level``), in decreasing order of the rate (ties
        in label order): ``plots``, ``successes``, ``trials``, ``observed`` (pooled
        successes/trials), ``rate`` (model rate; with blocks, the inverse logit of the
        linear predictor averaged over blocks), ``logit``, ``se`` (SE of the logit),
        ``ci_low``, ``ci_high`` (the back-transformed logit-scale interval) and ``group``.
    deviance : DataFrame
        Sequential analysis of deviance, index ``source`` (``block``, ``treatment``,
        ``residual``): ``df``, ``deviance``, ``resid_df``, ``resid_deviance``, ``f``
        (quasi-binomial only, else NaN) and ``p_value``.
    pairwise : DataFrame
        ``pair`` "A - B" (sorted label order), ``log_odds_ratio`` (logit A − logit B),
        ``se``, ``z`` (or t under quasi-binomial), ``odds_ratio``, ``p_value`` (adjusted,
        rounded to 4 decimals), ``p_exact``, ``signif``, ``lcl``, ``ucl`` (interval of the log
        odds ratio with the method's critical value).
    statistics : dict
        ``family`` (``binomial`` or ``quasibinomial``), ``dispersion`` (1 or Pearson χ²/df),
        ``pearson_chi2``, ``df_resid``, ``pearson_p`` (upper χ² tail of Pearson's statistic),
        ``overdispersed``, ``estimation`` (``ml`` or ``firth``), ``separated`` (levels with
        0 % or 100 % success), ``p_adjust``, ``critical_value``, ``alpha``, ``null_deviance``,
        ``null_df``, ``n_missing``.
    """

    table: pd.DataFrame
    deviance: pd.DataFrame = field(default_factory=pd.DataFrame)
    pairwise: pd.DataFrame = field(default_factory=pd.DataFrame)
    statistics: dict = field(default_factory=dict)


# ------------------------------------------------------------------------ input checks


def _counts(data: pd.DataFrame, successes: str, trials: str, keys: list[str]) -> tuple[pd.DataFrame, int]:
    if not isinstance(data, pd.DataFrame):
        raise DesignError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in [successes, trials, *keys] if c not in data.columns]
    if missing:
        raise DesignError(f"data has no column(s) {missing}; available: {list(map(str, data.columns))}")
    out = data[keys].copy()
    for key in keys:
        if out[key].isna().any():
            row = out.index[out[key].isna()][0]
            raise DesignError(f"column '{key}' has a missing value (row {row!r}); fill it in or drop the row")
    for col in (successes, trials):
        v = pd.to_numeric(data[col], errors="coerce")
        bad = data[col][v.isna() & data[col].notna()]
        if len(bad):
            raise DesignError(f"'{col}' must hold counts; row {bad.index[0]!r} has {bad.iloc[0]!r}")
        out["_" + ("s" if col == successes else "n")] = v.astype(float)
    keep = out["_s"].notna() & out["_n"].notna()
    out = out[keep]
    s, n = out["_s"].to_numpy(), out["_n"].to_numpy()
    problems = []
    for label, mask in [
        (f"'{successes}' and '{trials}' must be whole numbers", (s != np.round(s)) | (n != np.round(n))),
        (f"'{successes}' must be 0 or more", s < 0),
        (f"'{trials}' must be 1 or more", n < 1),
        (f"'{successes}' must not exceed '{trials}'", s > n),
    ]:
        if mask.any():
            rows = list(out.index[mask][:5])
            problems.append(f"{label} (rows {rows})")
    if problems:
        raise DesignError("; ".join(problems))
    return out, int((~keep).sum())


# ------------------------------------------------------------------------ model pieces


def _design(frame: pd.DataFrame, treatment: str, block: str | None):
    levels = _levels(frame[treatment])
    t_codes = _codes(frame[treatment], levels)
    k = len(levels)
    n = len(frame)
    X_trt = np.zeros((n, k - 1))
    for c in range(1, k):
        X_trt[:, c - 1] = t_codes == c
    if block is None:
        blocks, X_blk = [], np.zeros((n, 0))
    else:
        blocks = _levels(frame[block])
        b_codes = _codes(frame[block], blocks)
        X_blk = np.column_stack([b_codes == c for c in range(1, len(blocks))]).astype(float) \
            if len(blocks) > 1 else np.zeros((n, 0))
    return levels, blocks, X_trt, X_blk


def _codes(values: pd.Series, levels: list) -> np.ndarray:
    lookup = {lv: i for i, lv in enumerate(levels)}
    return np.fromiter((lookup[v] for v in values), dtype=np.int64, count=len(values))


def _glm(endog, exog):
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return sm.GLM(endog, exog, family=sm.families.Binomial()).fit(maxiter=200, tol=1e-13)
        except Exception as exc:  # statsmodels raises several types on singular fits
            raise FitError(f"the binomial GLM could not be fitted: {exc}") from exc


def _firth(s, n, X, maxiter=200, tol=1e-10):
    """Firth's bias-reduced logistic regression for grouped counts: (beta, covariance).

    Solves the modified score U*(β) = Xᵀ(s − nπ + h(½ − π)) = 0, where h are the
    diagonal elements of the weighted hat matrix (Firth 1993), by Fisher scoring with step
    halving on the penalised log-likelihood l(β) + ½·log|XᵀWX|.
    """
    beta = np.zeros(X.shape[1])

    def parts(b):
        eta = X @ b
        pi = 1.0 / (1.0 + np.exp(-eta))
        w = n * pi * (1 - pi)
        info = X.T @ (X * w[:, None])
        sign, logdet = np.linalg.slogdet(info)
        ll = np.sum(s * eta - n * np.logaddexp(0, eta)) + 0.5 * logdet
        return pi, w, info, ll

    pi, w, info, ll = parts(beta)
    for _ in range(maxiter):
        cov = np.linalg.inv(info)
        h = w * np.einsum("ij,jk,ik->i", X, cov, X)
        score = X.T @ (s - n * pi + h * (0.5 - pi))
        step = cov @ score
        t = 1.0
        while True:
            new = beta + t * step
            pi_n, w_n, info_n, ll_n = parts(new)
            if ll_n >= ll - 1e-12 or t < 1e-6:
                break
            t /= 2
        beta, pi, w, info, ll = new, pi_n, w_n, info_n, ll_n
        if np.max(np.abs(t * step)) < tol:
            break
    else:
        raise FitError("Firth's bias-reduced logistic regression did not converge")
    return beta, np.linalg.inv(info)


def _p_adjust_name(p_adjust: str | None) -> str:
    return method_name(p_adjust, extra=("tukey",))


# ------------------------------------------------------------------------ main function


def rates(data: pd.DataFrame, successes: str, trials: str, treatment: str, *,
          block: str | None = None, alpha: float = 0.05, p_adjust: str | None = "tukey",
          dispersion: str = "auto", overdispersion_threshold: float = 1.5) -> RatesResult:
    """Binomial GLM (logit link) of success counts on treatment (and block).

    Parameters
    ----------
    data : DataFrame
        One row per plot: successes (rooted, survived, taken) out of trials (cuttings,
        plants, grafts). Rows with a missing count are dropped and counted
        (``statistics["n_missing"]``); impossible counts are an error naming the rows.
    successes, trials, treatment : str
        Column names.
    block : str, optional
        Block column of an RCBD; entered before the treatment in the deviance table, and
        averaged over (with equal weights, as ``emmeans`` does) for the treatment rates.
    alpha : float
        Level of the intervals (1 − alpha), of the comparisons and of the letters.
    p_adjust : str or None
        ``"tukey"`` (default), ``None``/``"none"``, ``"holm"``, ``"bonferroni"`` or another R
        ``p.adjust`` or statsmodels ``multipletests`` method.
    dispersion : {"auto", "binomial", "quasi"}
        ``"auto"`` switches to quasi-binomial when Pearson χ²/df exceeds
        ``overdispersion_threshold`` **and** Pearson's χ² goodness-of-fit test rejects at
        ``alpha``; ``"binomial"`` keeps dispersion 1; ``"quasi"`` always estimates it.
    overdispersion_threshold : float
        Ratio Pearson χ²/df above which over-dispersion is considered (default 1.5).

    Returns
    -------
    RatesResult
        ``table``, ``deviance``, ``pairwise`` and ``statistics`` (see the class).

    Notes
    -----
    * Tukey adjustment: p = P(Q_{k,df} > √2·|z|) and critical value q_{1−α; k, df}/√2, with
      df = ∞ for the binomial fit and the residual df under quasi-binomial (as R's
      ``emmeans`` does for GLMs). With unequal standard errors this single-step
      studentized-range calculation is the Tukey–Kramer approximation to the exact
      multivariate-normal adjustment (it is slightly conservative); with two treatments it
      equals the unadjusted Wald test.
    * Holm and other step-wise methods adjust the p-values only; their intervals use the
      unadjusted critical value (Bonferroni's use z_{1−α/(2m)}).
    * Quasi-binomial: dispersion φ = Pearson χ²/df_resid; SEs are multiplied by √φ, deviance
      terms are tested by F = (ΔD/Δdf)/φ on (Δdf, df_resid), and intervals and comparisons
      use t(df_resid) (R: ``glm(family=quasibinomial)`` with ``anova(test="F")``).
    * Separation: if any treatment or block has 0 % or 100 % success, the maximum-likelihood
      logit is infinite. The rates, SEs, intervals and comparisons then come from Firth's
      penalised likelihood (Firth 1993; R's ``logistf``/``brglm2``), which gives finite,
      slightly shrunken estimates, and a :class:`SeparationWarning` names the levels.

    Examples
    --------
    >>> df = pd.DataFrame({"iba": ["IBA0", "IBA0", "IBA1000", "IBA1000", "IBA2000", "IBA2000"],
    ...                    "rooted": [8, 10, 20, 22, 27, 25], "cuttings": [30] * 6})
    >>> res = rates(df, "rooted", "cuttings", "iba")
    >>> res.table["rate"].round(3).to_dict()
    {'IBA2000': 0.867, 'IBA1000': 0.7, 'IBA0': 0.3}
    >>> res.table["group"].tolist()
    ['a', 'a', 'b']
    >>> int(res.deviance.loc["treatment", "df"]), bool(res.deviance.loc["treatment", "p_value"] < 0.001)
    (2, True)

    Rooting of *ba kích* cuttings in the demo workspace (RCBD, 6 IBA doses × 4 blocks):

    >>> import genelab
    >>> ws = genelab.open_workspace(genelab.demo_path())
    >>> res = rates(ws.trial_data("T02-BKI-IBA"), "rooted", "cuttings", "treatment", block="block")
    >>> res.table["group"].to_dict()
    {'IBA2000': 'a', 'IBA1000': 'a', 'IBA4000': 'ab', 'IBA500': 'ab', 'IBA250': 'bc', 'IBA0': 'c'}
    >>> res.statistics["family"], list(res.deviance.index)
    ('binomial', ['block', 'treatment', 'residual'])
    """
    if not (isinstance(alpha, (int, float)) and 0 < alpha < 1):
        raise DesignError(f"alpha must be a number between 0 and 1, got {alpha!r}")
    if dispersion not in ("auto", "binomial", "quasi"):
        raise DesignError(f"dispersion must be 'auto', 'binomial' or 'quasi', got {dispersion!r}")
    method = _p_adjust_name(p_adjust)
    keys = [treatment] + ([block] if block is not None else [])
    frame, n_missing = _counts(data, successes, trials, keys)
    levels, blocks, X_trt, X_blk = _design(frame, treatment, block)
    k = len(levels)
    if k < 2:
        raise DesignError(f"rates() needs at least two treatments in '{treatment}', found {k}")
    if block is not None and len(blocks) < 2:
        raise DesignError(f"block column '{block}' has a single level; leave block=None")
    s, n = frame["_s"].to_numpy(), frame["_n"].to_numpy()
    endog = np.column_stack([s, n - s])
    ones = np.ones((len(frame), 1))
    X_full = np.hstack([ones, X_blk, X_trt])
    if np.linalg.matrix_rank(X_full) < X_full.shape[1]:
        raise DesignError(f"treatment '{treatment}' and block '{block}' are confounded; "
                          "every treatment needs plots in more than one block, or drop the block")

    # --- maximum-likelihood fits and the sequential deviance table
    fit_null = _glm(endog, ones)
    fit_blk = _glm(endog, np.hstack([ones, X_blk])) if block is not None else None
    fit = _glm(endog, X_full)
    df_resid = int(round(fit.df_resid))
    pearson = float(np.sum(fit.resid_pearson**2))
    pearson_p = float(stats.chi2.sf(pearson, df_resid)) if df_resid > 0 else math.nan
    ratio = pearson / df_resid if df_resid > 0 else math.nan
    overdispersed = bool(df_resid > 0 and ratio > overdispersion_threshold and pearson_p < alpha)
    quasi = dispersion == "quasi" or (dispersion == "auto" and overdispersed)
    if quasi and df_resid <= 0:
        raise DesignError("the quasi-binomial dispersion needs residual df > 0 (more plots than parameters)")
    phi = ratio if quasi else 1.0
    if quasi and dispersion == "auto":
        warnings.warn(
            f"over-dispersion: Pearson chi-square/df = {ratio:.2f} on {df_resid} df "
            f"(p = {pearson_p:.3g}); plots vary more than binomial sampling allows, so a "
            f"quasi-binomial model (dispersion {ratio:.2f}) was used: standard errors are "
            f"multiplied by {math.sqrt(ratio):.2f} and deviance terms are tested with F",
            OverdispersionWarning, stacklevel=2,
        )

    steps = [("null", fit_null)] + ([("block", fit_blk)] if block is not None else []) + [("treatment", fit)]
    rows = []
    for (_, prev), (name, cur) in zip(steps[:-1], steps[1:]):
        ddf = int(round(prev.df_resid - cur.df_resid))
        dev = max(float(prev.deviance - cur.deviance), 0.0)
        if quasi:
            f_val = (dev / ddf) / phi
            p = float(stats.f.sf(f_val, ddf, df_resid))
        else:
            f_val, p = math.nan, float(stats.chi2.sf(dev, ddf))
        rows.append((name, ddf, dev, int(round(cur.df_resid)), float(cur.deviance), f_val, p))
    rows.append(("residual", df_resid, float(fit.deviance), df_resid, float(fit.deviance), math.nan, math.nan))
    deviance = pd.DataFrame(rows, columns=["source", "df", "deviance", "resid_df", "resid_deviance",
                                           "f", "p_value"]).set_index("source")

    # --- separation: Firth estimates for the rates and comparisons
    t_codes = _codes(frame[treatment], levels)
    sep = []
    for c, lv in enumerate(levels):
        ss, nn = s[t_codes == c].sum(), n[t_codes == c].sum()
        if ss == 0 or ss == nn:
            sep.append(f"{treatment}={lv} ({100 * ss / nn:.0f} %)")
    if block is not None:
        b_codes = _codes(frame[block], blocks)
        for c, lv in enumerate(blocks):
            ss, nn = s[b_codes == c].sum(), n[b_codes == c].sum()
            if ss == 0 or ss == nn:
                sep.append(f"{block}={lv} ({100 * ss / nn:.0f} %)")
    if not sep and (not getattr(fit, "converged", True) or np.max(np.abs(fit.params)) > 25):
        sep.append("a combination of levels (the maximum-likelihood fit diverges)")
    if sep:
        beta, cov = _firth(s, n, X_full)
        estimation = "firth"
        warnings.warn(
            f"complete separation: {', '.join(sep)} — the maximum-likelihood log-odds is infinite, "
            "so rates, intervals and comparisons use Firth's bias-reduced estimates "
            "(the deviance table keeps the likelihood-ratio tests)",
            SeparationWarning, stacklevel=2,
        )
    else:
        beta, cov = np.asarray(fit.params, dtype=float), np.asarray(fit.cov_params(), dtype=float)
        estimation = "ml"
    cov = cov * phi

    # --- treatment rates: linear predictor averaged over blocks
    nb = X_blk.shape[1]
    L = np.zeros((k, X_full.shape[1]))
    L[:, 0] = 1.0
    if nb:
        L[:, 1:1 + nb] = 1.0 / (nb + 1)
    for c in range(1, k):
        L[c, 1 + nb + c - 1] = 1.0
    eta = L @ beta
    se_eta = np.sqrt(np.einsum("ij,jk,ik->i", L, cov, L))
    df_test = df_resid if quasi else math.inf
    z_crit = stats.t.ppf(1 - alpha / 2, df_resid) if quasi else stats.norm.ppf(1 - alpha / 2)

    def expit(x):
        return 1.0 / (1.0 + np.exp(-x))

    plots = np.bincount(t_codes, minlength=k)
    succ = np.bincount(t_codes, weights=s, minlength=k)
    tri = np.bincount(t_codes, weights=n, minlength=k)
    table = pd.DataFrame(
        {
            "plots": plots.astype(np.int64),
            "successes": np.round(succ).astype(np.int64),
            "trials": np.round(tri).astype(np.int64),
            "observed": succ / tri,
            "rate": expit(eta),
            "logit": eta,
            "se": se_eta,
            "ci_low": expit(eta - z_crit * se_eta),
            "ci_high": expit(eta + z_crit * se_eta),
        },
        index=pd.Index(levels, name="level"),
    )

    # --- pairwise log odds ratios
    pairs = list(combinations(range(k), 2))
    i = np.array([a for a, _ in pairs])
    j = np.array([b for _, b in pairs])
    D = L[i] - L[j]
    lor = D @ beta
    se = np.sqrt(np.einsum("ij,jk,ik->i", D, cov, D))
    z = lor / se
    m = len(pairs)
    if method == "tukey":
        p = stats.studentized_range.sf(math.sqrt(2) * np.abs(z), k, df_test)
        crit = float(stats.studentized_range.ppf(1 - alpha, k, df_test)) / math.sqrt(2)
    else:
        dist = stats.t(df_resid) if quasi else stats.norm()
        p = _adjust(2 * dist.sf(np.abs(z)), method)
        crit = float(dist.ppf(1 - alpha / (2 * m))) if method == "bonferroni" else float(dist.ppf(1 - alpha / 2))
    p = np.clip(p, 0.0, 1.0)
    p_round = np.round(p, 4)
    pairwise = pd.DataFrame(
        {
            "pair": [f"{levels[a]} - {levels[b]}" for a, b in pairs],
            "log_odds_ratio": lor,
            "se": se,
            "z": z,
            "odds_ratio": np.exp(lor),
            "p_value": p_round,
            "p_exact": p,
            "signif": _signif(p_round),
            "lcl": lor - crit * se,
            "ucl": lor + crit * se,
        }
    )
    groups = _letters(levels, table["rate"].to_numpy(), i, j, p_round, alpha)
    table = table.loc[list(groups.index)].assign(group=groups.to_numpy())
    table.index.name = "level"
    statistics = {
        "family": "quasibinomial" if quasi else "binomial",
        "dispersion": float(phi),
        "pearson_chi2": pearson,
        "df_resid": df_resid,
        "pearson_ratio": float(ratio),
        "pearson_p": pearson_p,
        "overdispersed": overdispersed,
        "estimation": estimation,
        "separated": sep,
        "p_adjust": method,
        "critical_value": crit,
        "alpha": alpha,
        "null_deviance": float(fit_null.deviance),
        "null_df": int(round(fit_null.df_resid)),
        "n_missing": n_missing,
    }
    return RatesResult(table=table, deviance=deviance, pairwise=pairwise, statistics=statistics)
