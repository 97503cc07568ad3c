"""Mean separation after an ANOVA, with letter groups exactly as agricolae forms them.

:func:`compare_means` takes an :class:`~genelab.trials.anova.AnovaFit` and compares the
means of one term (a treatment, a factor, or a combination of factors ``"a:b"``) against the
right error term, with Fisher's LSD (unadjusted or Bonferroni), Tukey's HSD (Tukey–Kramer or
harmonic-mean SE), Duncan's multiple range test, Student–Newman–Keuls, Scheffé, or Dunnett's
many-to-one test.  It reproduces agricolae 1.3-7 (``LSD.test``, ``HSD.test``,
``duncan.test``, ``SNK.test``, ``scheffe.test``) number for number — conventions in
``shared/reference/README.md`` §2–8:

* means are exactly rounded sums (``math.fsum``) divided by n, so means that add up to the same
  decimal total tie bit for bit, as in R; ``se`` = √(MSerror/n) is the pooled SE;
* every p-value is rounded to 4 decimals before the letters (a rounded p equal to alpha counts
  as significant), and letters come from agricolae's ``orderPvalue`` routine
  (:mod:`genelab.trials.letters`), so they can contradict individual pairwise p-values, as in R;
* Duncan and SNK use the number of means a pair spans (ties broken by label) and no step-down
  protection; with unequal n they use one SE from the harmonic mean of all group sizes;
* critical values that need equal n (LSD, MSD, Scheffé's critical difference, Duncan/SNK
  critical ranges) are dropped from ``statistics`` when n differ, as agricolae drops them.

Studentized-range probabilities come from a vectorised implementation of R's ``ptukey``
quadrature (:mod:`genelab.trials._ptukey`), ~200× faster than scipy's adaptive ``sf`` and
within ~1e-11 of R.  Dunnett's test (not in agricolae) uses the exact product-correlation
form of the multivariate t (Dunnett 1955), evaluated by deterministic quadrature; R's multcomp
uses randomised Genz–Bretz integration (abseps 1e-3) for the same quantity.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from genelab._result import Result
from genelab.errors import DesignError
from genelab.trials._ptukey import ptukey, qtukey
from genelab.trials.anova import AnovaFit
from genelab.trials.letters import letters_sorted

__all__ = ["METHODS", "MeanComparison", "compare_means", "signif_code"]

#: Methods :func:`compare_means` knows.
METHODS = ("lsd", "bonferroni", "tukey", "duncan", "snk", "scheffe", "dunnett")


@dataclass(frozen=True)
class MeanComparison(Result):
    """Means of one term with letter groups, critical values and all pairwise comparisons.

    Attributes
    ----------
    table : DataFrame
        Index ``level``, in agricolae's ``groups`` order (decreasing mean, ties in level order),
        with columns ``mean``, ``n``, ``std`` (sample SD, NaN when n = 1), ``se`` (pooled,
        √(MSerror/n)), ``group`` (letters; for Dunnett the significance code against the
        control) and, for ``lsd``/``bonferroni``, ``lcl``/``ucl`` (mean ± t(1−α/2, df)·se,
        never adjusted, as agricolae).
    statistics : dict
        ``mse``, ``df``, ``mean`` (grand mean), ``cv``, ``error`` (error term used), ``n_levels``,
        and the method's critical values (see :func:`compare_means`).
    pairwise : DataFrame
        One row per pair, ``pair`` = ``"A - B"`` with A before B in level order: ``level_a``,
        ``level_b``, ``difference`` (mean A − mean B), ``se`` (of the pair's statistic),
        ``p_value`` (rounded to 4 decimals, as agricolae), ``p_exact`` (unrounded), ``signif``,
        ``lcl``, ``ucl``; Duncan/SNK add ``span``; split-plot combinations add ``df``.
    method, term, response : str
    alpha : float
    sed : DataFrame or None
        Split-plot fits: for each kind of comparison (Gomez & Gomez 1984, §3.4.2, table 3.7)
        the standard error of a difference ``sed``, its ``df``, ``t_value`` and ``lsd`` =
        t·sed.  Two main-plot means at the same or different subplot levels mix both errors:
        their t is Gomez & Gomez's weighted t = ((b−1)Eb·t_b + Ea·t_a)/((b−1)Eb + Ea) and
        ``df`` is Satterthwaite's approximation (used for the p-values of ``main:sub`` pairs).
    """

    table: pd.DataFrame
    statistics: dict
    pairwise: pd.DataFrame
    method: str
    term: str
    alpha: float
    response: str = ""
    sed: pd.DataFrame | None = field(default=None, repr=False)


def signif_code(p) -> np.ndarray:
    """agricolae's significance codes of (rounded) p-values: ``***``, ``**``, ``*``, ``.``, blank.

    Examples
    --------
    >>> list(signif_code([0.0004, 0.01, 0.05, 0.07, 0.2]))
    ['***', '**', '*', '.', ' ']
    """
    p = np.asarray(p, dtype=float)
    codes = np.select([p <= 0.001, p <= 0.01, p <= 0.05, p <= 0.1], ["***", "**", "*", "."], " ")
    return np.array(codes.tolist(), dtype=object)


def _round4(p: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(p, dtype=float), 4)


# --------------------------------------------------------------------------------------------
# group summaries


def _groups(fit: AnovaFit, term: str):
    cols = term.split(":")
    y = fit.data[fit.response].to_numpy(dtype=float)
    if len(cols) == 1:
        codes = fit.codes[cols[0]]
        order = list(fit.levels[cols[0]])
        parts = [(lv,) for lv in order]
    else:                                    # combinations, labelled "a:b", sorted as text
        sizes = [len(fit.levels[c]) for c in cols]
        flat = np.zeros_like(fit.codes[cols[0]])
        for c, size in zip(cols, sizes):
            flat = flat * size + fit.codes[c]
        present = np.unique(flat)
        tuples = [tuple(fit.levels[c][i] for c, i in zip(cols, np.unravel_index(j, sizes))) for j in present]
        names = [":".join(t) for t in tuples]
        rank = np.argsort(np.array(names, dtype=str), kind="stable")
        order = [names[i] for i in rank]
        parts = [tuples[i] for i in rank]
        lookup = np.empty(int(np.prod(sizes)), dtype=np.intp)
        lookup[present[rank]] = np.arange(len(order))
        codes = lookup[flat]
    k = len(order)
    sort = np.argsort(codes, kind="stable")
    ys = y[sort]
    bounds = np.searchsorted(codes[sort], np.arange(k + 1))
    means = np.empty(k)
    stds = np.empty(k)
    ns = np.diff(bounds).astype(float)
    for i in range(k):
        v = ys[bounds[i]:bounds[i + 1]]
        m = math.fsum(v) / v.size
        means[i] = m
        stds[i] = math.sqrt(math.fsum((v - m) ** 2) / (v.size - 1)) if v.size > 1 else np.nan
    return order, means, ns, stds, parts


def _spans(order, means) -> np.ndarray:
    """Number of means spanned by each pair (positions in decreasing order, ties by level order)."""
    rank_pos = np.empty(len(order), dtype=int)
    rank_pos[np.argsort(-means, kind="stable")] = np.arange(len(order))
    return rank_pos


# --------------------------------------------------------------------------------------------
# Dunnett (two-sided, product correlation), by Gauss–Legendre quadrature


def _dunnett_cdf(c: float, lam: np.ndarray, df: float) -> float:
    """P(max |T_i| ≤ c) for Dunnett's statistics with correlations λ_iλ_j on ``df`` df."""
    xz, wz = np.polynomial.legendre.leggauss(64)
    z = 8.0 * xz                                  # common normal factor on [-8, 8]
    wz = 8.0 * wz * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    sq = np.sqrt(1.0 - lam * lam)

    def inner(cs: np.ndarray) -> np.ndarray:     # P(all |Z_i| <= cs) for each cs
        upper = (cs[:, None, None] - lam[None, None, :] * z[None, :, None]) / sq
        lower = (-cs[:, None, None] - lam[None, None, :] * z[None, :, None]) / sq
        prod = np.prod(special.ndtr(upper) - special.ndtr(lower), axis=2)
        return prod @ wz

    if not np.isfinite(df) or df > 25000:
        return float(inner(np.array([c]))[0])
    # s² = χ²_df/df: integrate over its probability scale, P = ∫_0^1 inner(c·√F⁻¹(t)) dt,
    # Gauss–Legendre on panels that are finer towards both ends
    edges = np.concatenate([[0.0], np.geomspace(1e-12, 1e-2, 6), np.linspace(0.1, 0.9, 9),
                            1.0 - np.geomspace(1e-2, 1e-14, 7), [1.0]])
    edges = np.unique(edges)
    x, a = np.polynomial.legendre.leggauss(24)
    mid = (edges[1:] + edges[:-1]) / 2
    rad = (edges[1:] - edges[:-1]) / 2
    t = (mid[:, None] + rad[:, None] * x[None, :]).ravel()
    wt = (rad[:, None] * a[None, :]).ravel()
    u = stats.chi2.ppf(t, df) / df
    return float(np.dot(wt, inner(c * np.sqrt(u))))


# --------------------------------------------------------------------------------------------


def compare_means(fit: AnovaFit, method: str = "lsd", *, alpha: float = 0.05, term: str | None = None,
                  control: str | None = None, unbalanced: str = "kramer") -> MeanComparison:
    """Compare the means of a term of an ANOVA fit, with letter groups as agricolae forms them.

    Parameters
    ----------
    fit : AnovaFit
        From :func:`genelab.trials.anova`.
    method : str
        ``lsd`` (Fisher), ``bonferroni`` (LSD with Bonferroni-adjusted p and t), ``tukey``,
        ``duncan``, ``snk``, ``scheffe`` or ``dunnett`` (each level against ``control``).
    alpha : float
        Significance level (letters: a pair is "not different" when its rounded p > alpha).
    term : str
        The term whose means are compared: the treatment (default for crd/rcbd/latin), a factor
        of a factorial or split plot, or a combination ``"a:b"`` (levels ``"a1:b2"``; the
        default for factorials).  The split plot's default is the main factor; its main-plot
        means use error(a), subplot means error(b), and the ``main:sub`` combinations
        (``lsd``/``bonferroni`` only) use each pair's own SE — √(2Eb/r) within a main-plot
        level, √(2((b−1)Eb + Ea)/(rb)) across main-plot levels, with Satterthwaite df.
    control : str
        The control level (``dunnett`` only).
    unbalanced : str
        Tukey's SE with unequal n: ``kramer`` (a separate SE for each pair, agricolae's
        default) or ``harmonic`` (one SE from the harmonic mean of all n, agricolae's
        ``unbalanced=TRUE``).

    Returns
    -------
    MeanComparison
        ``.statistics`` holds ``mse, df, mean, cv, error, n_levels`` and, by method — lsd:
        ``t_value``, ``lsd``; bonferroni: ``t_value``, ``msd``; tukey: ``studentized_range``,
        ``hsd`` (= ``msd``); duncan/snk: ``critical_ranges`` (DataFrame ``span, table,
        critical_range``); scheffe: ``f_critical``, ``scheffe``, ``critical_difference``;
        dunnett: ``control``, ``d_critical``.  Values that need equal n are left out when n
        differ (as agricolae does); ``studentized_range`` and ``f_critical`` always stay.

    Examples
    --------
    >>> from genelab.trials import anova
    >>> d = pd.DataFrame({"trt": ["A"] * 3 + ["B"] * 3 + ["C"] * 3,
    ...                   "y": [10.1, 10.8, 9.7, 12.0, 12.9, 12.2, 9.5, 9.9, 9.0]})
    >>> res = compare_means(anova(d, "y", design="crd", treatment="trt"), "tukey")
    >>> res.table[["mean", "n", "group"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
             mean  n group
    level
    B      12.367  3     a
    A      10.200  3     b
    C       9.467  3     b
    >>> round(res.statistics["hsd"], 4)
    1.2414
    """
    if not isinstance(fit, AnovaFit):
        raise DesignError(f"compare_means needs the result of genelab.trials.anova, got {type(fit).__name__}")
    method = str(method).lower()
    if method not in METHODS:
        raise DesignError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if not 0 < alpha < 1:
        raise DesignError(f"alpha must be between 0 and 1, got {alpha!r}")
    if unbalanced not in ("kramer", "harmonic"):
        raise DesignError(f"unbalanced must be 'kramer' or 'harmonic', got {unbalanced!r}")
    term = fit.default_term if term is None else str(term)
    model_term = next((t for t in fit.treatment_terms
                       if t == term or (len(t.split(":")) == len(term.split(":")) > 1
                                        and sorted(t.split(":")) == sorted(term.split(":")))), None)
    if model_term is None:
        raise DesignError(f"no term {term!r} to compare in this {fit.design} fit; "
                          f"use one of {list(fit.treatment_terms)}")
    split_combo = fit.design == "split_plot" and model_term == f"{fit.roles['main']}:{fit.roles['sub']}"
    if split_combo:
        if method not in ("lsd", "bonferroni"):
            raise DesignError(
                f"split-plot combinations {term!r} have no single error term; use method='lsd' "
                f"or 'bonferroni' (pair-specific SEs and Satterthwaite df)")
        mse, df, err_name = fit.error_b[1], fit.error_b[0], "error(a)+error(b)"
    else:
        mse, df, err_name = fit.error_for(model_term)
    scale = float(np.std(fit.data[fit.response].to_numpy(dtype=float)))
    if not math.sqrt(max(mse, 0.0)) > 1e-10 * scale:
        raise DesignError(
            f"the error mean square of {term!r} is {mse:.3g}: the data fit the model exactly, so "
            f"means cannot be separated by a test (check for copied or constant values)")
    order, means, ns, stds, parts = _groups(fit, term)
    k = len(order)
    se = np.sqrt(mse / ns)
    balanced = bool(np.all(ns == ns[0]))
    statistics = {"mse": mse, "df": df, "mean": fit.mean, "cv": 100.0 * math.sqrt(mse) / fit.mean,
                  "error": err_name, "n_levels": k}
    if model_term in fit.table.index:     # the term's ANOVA F test, for publication tables
        statistics["f_value"] = float(fit.table.loc[model_term, "f"])
        statistics["f_p_value"] = float(fit.table.loc[model_term, "p"])
    extra_cols = {}

    if method == "dunnett":
        return _dunnett(fit, term, order, means, ns, stds, se, mse, df, alpha, control, statistics)

    ii, jj = (np.array(x, dtype=np.intp) for x in zip(*combinations(range(k), 2)))
    diff = means[ii] - means[jj]
    ad = np.abs(diff)
    m_pairs = k * (k - 1) // 2
    pair_df = None
    if method in ("lsd", "bonferroni"):
        t_df = df
        if split_combo:
            s_ij, pair_df, se_cell, t_df = _split_pair_se(fit, parts, ii, jj)
            se = np.full(k, se_cell)
        else:
            s_ij = np.sqrt(mse * (1.0 / ns[ii] + 1.0 / ns[jj]))
        dfs = pair_df if pair_df is not None else df
        p = 2.0 * special.stdtr(dfs, -ad / s_ij)
        if method == "bonferroni":
            p = np.minimum(1.0, p * m_pairs)
            tcrit = special.stdtrit(dfs, 1.0 - alpha / (2.0 * m_pairs))
        else:
            tcrit = special.stdtrit(dfs, 1.0 - alpha / 2.0)
        half = tcrit * s_ij
        t_means = special.stdtrit(t_df, 1.0 - alpha / 2.0)
        extra_cols = {"lcl": means - t_means * se, "ucl": means + t_means * se}
        if balanced and not split_combo:
            t0 = float(np.ravel(tcrit)[0])
            statistics["t_value"] = t0
            statistics["lsd" if method == "lsd" else "msd"] = t0 * math.sqrt(2.0 * mse / ns[0])
    elif method == "tukey":
        if unbalanced == "harmonic":
            s_ij = np.full(ii.size, math.sqrt(mse / (k / np.sum(1.0 / ns))))
        else:
            s_ij = np.sqrt(mse / 2.0 * (1.0 / ns[ii] + 1.0 / ns[jj]))
        p = ptukey(ad / s_ij, k, df, upper=True)
        q = float(qtukey(1.0 - alpha, k, df))
        half = q * s_ij
        statistics["studentized_range"] = q
        if balanced:
            statistics["hsd"] = statistics["msd"] = q * math.sqrt(mse / ns[0])
    elif method in ("duncan", "snk"):
        r_used = ns[0] if balanced else k / np.sum(1.0 / ns)
        s = math.sqrt(mse / r_used)
        s_ij = np.full(ii.size, s)
        pos = _spans(order, means)
        span = np.abs(pos[ii] - pos[jj]) + 1
        spans = np.arange(2, k + 1)
        if method == "duncan":
            table = np.array([float(qtukey((1.0 - alpha) ** (h - 1), h, df)) for h in spans])
            pl = ptukey(ad / s, span, df)
            p = 1.0 - pl ** (1.0 / (span - 1))
        else:
            table = np.array([float(qtukey(1.0 - alpha, h, df)) for h in spans])
            p = ptukey(ad / s, span, df, upper=True)
        half = table[span - 2] * s
        extra_cols = {}
        if balanced:
            statistics["critical_ranges"] = pd.DataFrame(
                {"span": spans, "table": table, "critical_range": table * s})
        pair_extra = {"span": span}
    elif method == "scheffe":
        s_ij = np.sqrt(mse * (1.0 / ns[ii] + 1.0 / ns[jj]))
        p = special.fdtrc(k - 1, df, diff ** 2 / ((k - 1) * s_ij ** 2))
        fcrit = float(special.fdtri(k - 1, df, 1.0 - alpha))
        sch = math.sqrt((k - 1) * fcrit)
        half = sch * s_ij
        statistics["f_critical"] = fcrit
        if balanced:
            statistics["scheffe"] = sch
            statistics["critical_difference"] = sch * math.sqrt(2.0 * mse / ns[0])
    p = np.clip(p, 0.0, 1.0)
    pr = _round4(p)
    labels = np.asarray(order, dtype=object)
    pw = {
        "pair": [f"{a} - {b}" for a, b in zip(labels[ii], labels[jj])],
        "level_a": labels[ii], "level_b": labels[jj],
        "difference": diff, "se": s_ij, "p_value": pr, "p_exact": p,
        "signif": signif_code(pr), "lcl": diff - half, "ucl": diff + half,
    }
    if method in ("duncan", "snk"):
        pw["span"] = pair_extra["span"]
    if pair_df is not None:
        pw["df"] = pair_df
    pairwise = pd.DataFrame(pw)
    # letters: agricolae's routine on the rounded p-values, levels in groups order
    pm = np.ones((k, k))
    pm[ii, jj] = pr
    pm[jj, ii] = pr
    idx = np.argsort(-means, kind="stable")          # decreasing mean, ties in level order
    marks = letters_sorted(pm[np.ix_(idx, idx)] > alpha)
    cols = {"mean": means[idx], "n": ns[idx].astype(int), "std": stds[idx], "se": se[idx],
            "group": np.array(marks, dtype=object)}
    for c, v in extra_cols.items():
        cols[c] = v[idx]
    table = pd.DataFrame(cols, index=pd.Index(labels[idx], name="level"))
    sed = _split_sed(fit, alpha) if fit.design == "split_plot" else None
    return MeanComparison(table=table, statistics=statistics, pairwise=pairwise, method=method, term=term,
                          alpha=alpha, response=fit.response, sed=sed)


def _dunnett(fit, term, order, means, ns, stds, se, mse, df, alpha, control, statistics):
    if control is None:
        raise DesignError(f"method='dunnett' needs control=<level>; levels are {order}")
    control = str(control)
    if control not in order:
        raise DesignError(f"control {control!r} is not a level of {term!r}; levels are {order}")
    c = order.index(control)
    others = [i for i in range(len(order)) if i != c]
    n0 = ns[c]
    lam = np.sqrt(ns[others] / (ns[others] + n0))
    s_i = np.sqrt(mse * (1.0 / ns[others] + 1.0 / n0))
    diff = means[others] - means[c]
    tstat = np.abs(diff) / s_i
    p = np.array([1.0 - _dunnett_cdf(t, lam, df) for t in tstat])
    p = np.clip(p, 0.0, 1.0)
    dcrit = optimize.brentq(lambda x: _dunnett_cdf(x, lam, df) - (1.0 - alpha), 1e-6, 50.0, xtol=1e-12)
    pr = _round4(p)
    labels = np.asarray(order, dtype=object)
    pairwise = pd.DataFrame({
        "pair": [f"{labels[i]} - {control}" for i in others], "level_a": labels[others],
        "level_b": control, "difference": diff, "se": s_i, "p_value": pr, "p_exact": p,
        "signif": signif_code(pr), "lcl": diff - dcrit * s_i, "ucl": diff + dcrit * s_i})
    statistics["control"] = control
    statistics["d_critical"] = dcrit
    idx = list(np.argsort(-means, kind="stable"))
    code = {o: s for o, s in zip(others, signif_code(pr))}
    table = pd.DataFrame({"mean": means[idx], "n": ns[idx].astype(int), "std": stds[idx], "se": se[idx],
                          "group": [("control" if i == c else code[i].strip() or "ns") for i in idx]},
                         index=pd.Index(labels[idx], name="level"))
    sed = _split_sed(fit, alpha) if fit.design == "split_plot" else None
    return MeanComparison(table=table, statistics=statistics, pairwise=pairwise, method="dunnett",
                          term=term, alpha=alpha, response=fit.response, sed=sed)


# --------------------------------------------------------------------------------------------
# split plot: standard errors of a difference (Gomez & Gomez 1984, §3.4.2, table 3.7)


def _split_sizes(fit):
    r = len(fit.levels[fit.roles["block"]])
    a = len(fit.levels[fit.roles["main"]])
    b = len(fit.levels[fit.roles["sub"]])
    return r, a, b


def _satterthwaite(parts):
    """df of a sum of mean squares Σ c_i·MS_i, each on df_i."""
    num = sum(c * ms for c, ms, _ in parts) ** 2
    den = sum((c * ms) ** 2 / d for c, ms, d in parts)
    return num / den


def _split_pair_se(fit, parts, ii, jj):
    """SE and df of each pair of main × sub combinations, the SE of a combination mean and
    its df: √(2Eb/r) on Eb's df within a main-plot level; √(2((b−1)Eb + Ea)/(rb)) with
    Satterthwaite's df across main-plot levels; a cell mean has √(((b−1)Eb + Ea)/(rb))."""
    r, a, b = _split_sizes(fit)
    (dfa, ea), (dfb, eb) = fit.error_a, fit.error_b
    mains = np.array([p[0] for p in parts], dtype=object)
    same_main = mains[ii] == mains[jj]
    se_same = math.sqrt(2.0 * eb / r)
    se_diff = math.sqrt(2.0 * ((b - 1) * eb + ea) / (r * b))
    df_diff = _satterthwaite([(b - 1, eb, dfb), (1.0, ea, dfa)])
    se_cell = math.sqrt(((b - 1) * eb + ea) / (r * b))
    return np.where(same_main, se_same, se_diff), np.where(same_main, dfb, df_diff), se_cell, df_diff


def _split_sed(fit, alpha):
    r, a, b = _split_sizes(fit)
    (dfa, ea), (dfb, eb) = fit.error_a, fit.error_b
    ta = stats.t.ppf(1 - alpha / 2, dfa)
    tb = stats.t.ppf(1 - alpha / 2, dfb)
    t_weighted = ((b - 1) * eb * tb + ea * ta) / ((b - 1) * eb + ea)
    df_satt = _satterthwaite([(b - 1, eb, dfb), (1.0, ea, dfa)])
    rows = [
        ("two main-plot means (averaged over subplots)", math.sqrt(2 * ea / (r * b)), dfa, ta),
        ("two subplot means (averaged over main plots)", math.sqrt(2 * eb / (r * a)), dfb, tb),
        ("two subplot means at the same main-plot level", math.sqrt(2 * eb / r), dfb, tb),
        ("two main-plot means at the same or different subplot levels",
         math.sqrt(2 * ((b - 1) * eb + ea) / (r * b)), df_satt, t_weighted),
    ]
    out = pd.DataFrame(rows, columns=["comparison", "sed", "df", "t_value"]).set_index("comparison")
    out["lsd"] = out["sed"] * out["t_value"]
    return out
