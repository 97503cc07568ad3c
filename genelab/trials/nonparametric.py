"""Rank tests with letter groups: Kruskal–Wallis and Friedman, formed as agricolae forms them.

Both functions reproduce agricolae 1.3-7 (``kruskal()`` and ``friedman()``) number for number
and letter for letter; the conventions are spelled out in ``shared/reference/README.md``
(§4 Kruskal–Wallis, §5 Friedman, §6 letters):

* **Kruskal–Wallis** ranks all non-missing observations together (average ranks for ties),
  computes the tie-corrected H and its χ²(k−1) p-value, and compares **mean ranks** with a
  t-test whose error is ``S²·(N−1−H)/(N−k)`` on ``N−k`` df (Conover's post-hoc test, as in
  agricolae). Blocks, if any, are ignored.
* **Friedman** averages the observations of each block × treatment cell, ranks treatments
  within each block and compares **rank sums** with ``SE = √(2·(b·A − ΣRⱼ²)/((b−1)(k−1)))``.
  As agricolae does, the pairwise intervals use the LSD rounded to 2 decimals.
* Every pairwise p-value is rounded to 4 decimals before the letters are formed; letters come
  from :func:`genelab.trials.letters.letters_from_pvalues`; treatments with tied statistics keep
  sorted label order.

References: Conover, W. J. (1999) *Practical Nonparametric Statistics*, 3rd ed., Wiley,
§5.2 and §5.8; de Mendiburu, F. agricolae: Statistical Procedures for Agricultural Research.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from genelab._multitest import adjust as _adjust
from genelab._multitest import method_name as _adjust_method
from genelab._result import Result
from genelab.errors import DesignError
from genelab.trials.letters import letters_from_pvalues

__all__ = ["RankComparison", "kruskal", "friedman"]

@dataclass(frozen=True)
class RankComparison(Result):
    """Result of :func:`kruskal` or :func:`friedman`.

    Attributes
    ----------
    table : DataFrame
        One row per treatment level (index ``level``) in agricolae's group order (decreasing
        rank statistic, ties in sorted label order). Columns: ``n`` (non-missing observations),
        ``mean``, ``std`` (of the raw data; ``std`` is NaN when n = 1), ``rank_mean``
        (Kruskal) or ``rank_sum`` (Friedman), ``min``, ``q25``, ``q50``, ``q75``, ``max``
        (type-7 quartiles) and ``group`` (letters).
    statistics : dict
        ``chisq``, ``df``, ``p_value`` (χ² tail), ``ms_error``, ``df_error``, ``t_value``
        (critical t of the post-hoc test), ``alpha``, ``n_missing`` (rows without a response,
        dropped before ranking); Kruskal adds ``p_adjust`` and, with equal n, ``msd``;
        Friedman adds ``f``, ``p_value_f``, ``lsd`` and ``blocks``.
    pairwise : DataFrame
        One row per pair "A - B" (A before B in sorted label order): ``pair``, ``difference``
        (of mean ranks or rank sums), ``p_value`` (rounded to 4 decimals, as agricolae),
        ``p_exact`` (unrounded, after any adjustment), ``signif`` and ``lcl``, ``ucl``.
    method : str
        ``"kruskal"`` or ``"friedman"``.
    """

    table: pd.DataFrame
    statistics: dict = field(default_factory=dict)
    pairwise: pd.DataFrame = field(default_factory=pd.DataFrame)
    method: str = ""


# ----------------------------------------------------------------------------- helpers


def _check_columns(data: pd.DataFrame, columns: dict[str, str]) -> None:
    if not isinstance(data, pd.DataFrame):
        raise DesignError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    missing = [f"{role} column '{col}'" for role, col in columns.items() if col not in data.columns]
    if missing:
        raise DesignError(
            f"data has no {', '.join(missing)}; available columns: {list(map(str, data.columns))}"
        )


def _numeric_response(data: pd.DataFrame, response: str) -> pd.Series:
    y = data[response]
    if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
        converted = pd.to_numeric(y, errors="coerce")
        bad = y[converted.isna() & y.notna()]
        if len(bad):
            raise DesignError(
                f"response '{response}' must be numeric; row {bad.index[0]!r} has {bad.iloc[0]!r}"
            )
        y = converted
    return y.astype(float)


def _clean(data: pd.DataFrame, response: str, keys: list[str]) -> tuple[pd.DataFrame, int]:
    """Rows with a response (missing responses dropped and counted); keys must be complete."""
    y = _numeric_response(data, response)
    for key in keys:
        if data[key].isna().any():
            row = data.index[data[key].isna()][0]
            raise DesignError(f"column '{key}' has a missing value (row {row!r}); fill it in or drop the row")
    keep = y.notna()
    if np.isinf(y[keep]).any():
        raise DesignError(f"response '{response}' has infinite values")
    frame = data.loc[keep, keys].copy()
    frame["_y"] = y[keep].to_numpy()
    return frame, int((~keep).sum())


def _text(level) -> str:
    """A level as R prints it in pair labels (``as.character``): 2.0 -> "2", 0.5 -> "0.5"."""
    if isinstance(level, (float, np.floating)) and np.isfinite(level):
        return str(int(level)) if float(level).is_integer() else repr(float(level))
    return str(level)


def _levels(values) -> list:
    """Levels in R's factor order: numbers numerically, text labels in code-point order.

    (The reference README §1: labels sorted as code-point strings give R's order.)
    """
    uniq = list(pd.unique(pd.Series(values)))
    if uniq and all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in uniq):
        return sorted(uniq)
    return sorted(uniq, key=str)


def _describe(frame: pd.DataFrame, key: str, levels: list) -> pd.DataFrame:
    """n, mean, std, min, quartiles, max of the raw response per level (exact sums)."""
    rows = []
    groups = {k: g["_y"].to_numpy() for k, g in frame.groupby(key, sort=False)}
    for lv in levels:
        y = groups[lv]
        n = len(y)
        mean = math.fsum(y) / n
        std = math.sqrt(math.fsum((y - mean) ** 2) / (n - 1)) if n > 1 else math.nan
        q = np.quantile(y, [0.0, 0.25, 0.5, 0.75, 1.0])
        rows.append((lv, n, mean, std, q[0], q[1], q[2], q[3], q[4]))
    out = pd.DataFrame(rows, columns=["level", "n", "mean", "std", "min", "q25", "q50", "q75", "max"])
    return out.set_index("level")


def _signif(p: np.ndarray) -> list[str]:
    codes = []
    for v in p:
        codes.append("***" if v <= 0.001 else "**" if v <= 0.01 else "*" if v <= 0.05 else "." if v <= 0.1 else " ")
    return codes


def _adjusted_alpha(alpha: float, m: int, method: str) -> float:
    """The per-comparison level x with adjust(x, …, x)[0] = alpha (agricolae's bisection)."""
    if method == "none":
        return alpha
    if method == "bonferroni":
        return alpha / m

    def gap(x):
        return _adjust(np.full(m, x), method)[0] - alpha

    lo, hi = 1e-12, 1.0
    if gap(lo) * gap(hi) > 0:
        return alpha
    return optimize.brentq(gap, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps)


def _pairs_frame(labels, stat, se, df, crit, method, interval_halfwidth=None):
    """Pairwise table on a statistic (mean ranks or rank sums)."""
    rows = []
    for i, j in combinations(range(len(labels)), 2):
        rows.append((i, j))
    i = np.array([r[0] for r in rows], dtype=int)
    j = np.array([r[1] for r in rows], dtype=int)
    diff = stat[i] - stat[j]
    s = se(i, j)
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = np.abs(diff) / s
        p = np.where(s > 0, 2.0 * stats.t.sf(tstat, df), np.where(diff == 0, 1.0, 0.0))
    p = np.minimum(_adjust(p, method), 1.0)
    half = crit * s if interval_halfwidth is None else np.full(len(diff), interval_halfwidth)
    p_round = np.round(p, 4)
    return pd.DataFrame(
        {
            "pair": [f"{_text(labels[a])} - {_text(labels[b])}" for a, b in zip(i, j)],
            "difference": diff,
            "p_value": p_round,
            "p_exact": p,
            "signif": _signif(p_round),
            "lcl": diff - half,
            "ucl": diff + half,
        }
    ), i, j, p_round


def _letters(labels, stat, i, j, p_round, alpha) -> pd.Series:
    """Letters for ``labels`` (in level order) from the rounded pair p-values (pairs i < j).

    Levels are passed to :func:`letters_from_pvalues` under zero-padded position keys, so
    tied statistics keep *level* order (R's factor order, numeric for numeric levels) rather
    than the text order of the labels; for text labels the two are the same.
    """
    k = len(labels)
    mat = np.ones((k, k))
    mat[i, j] = p_round
    mat[j, i] = p_round
    keys = [f"{n:08d}" for n in range(k)]
    pm = pd.DataFrame(mat, index=keys, columns=keys)
    groups = letters_from_pvalues(pd.Series(np.asarray(stat, dtype=float), index=keys), pm, alpha)
    return pd.Series(groups.to_numpy(), index=[labels[int(key)] for key in groups.index], name="group")


def _check_alpha(alpha: float) -> None:
    if not (isinstance(alpha, (int, float)) and 0 < alpha < 1):
        raise DesignError(f"alpha must be a number between 0 and 1, got {alpha!r}")


# ----------------------------------------------------------------------------- kruskal


def kruskal(data: pd.DataFrame, response: str, treatment: str, *, alpha: float = 0.05,
            p_adjust: str | None = None) -> RankComparison:
    """Kruskal–Wallis test with agricolae's post-hoc comparison of mean ranks and letters.

    Parameters
    ----------
    data : DataFrame
        Tidy data, one row per plot/observation. Rows whose response is missing are dropped
        (and counted in ``statistics["n_missing"]``); blocks are ignored.
    response, treatment : str
        Column names.
    alpha : float
        Significance level of the post-hoc test and of the letters.
    p_adjust : str, optional
        None (unadjusted t-tests on mean ranks, agricolae's ``p.adj="none"``),
        ``"bonferroni"`` or another R ``p.adjust`` name (``holm``, ``hochberg``, ``hommel``,
        ``BH``, ``BY``, ``fdr``) or statsmodels ``multipletests`` method. The critical t then
        uses the per-comparison level x that the method maps to alpha for k(k−1)/2 equal
        p-values (alpha/m for Bonferroni), as agricolae does.

    Returns
    -------
    RankComparison
        ``table`` (n, mean, std, rank_mean, quartiles, group), ``statistics``
        (chisq = tie-corrected H, df, p_value, ms_error = S²(N−1−H)/(N−k), df_error = N−k,
        t_value, msd with equal n), ``pairwise``.

    Notes
    -----
    H = (Σ Rᵢ²/nᵢ − N(N+1)²/4)/S² with S² = (Σ rank² − N(N+1)²/4)/(N−1), equal to
    ``scipy.stats.kruskal`` and R's ``kruskal.test``. Letters are formed on mean ranks, from
    p-values rounded to 4 decimals (agricolae 1.3-7).

    Examples
    --------
    >>> df = pd.DataFrame({"trt": list("AAAABBBBCCCC"),
    ...                    "y": [5.1, 4.9, 5.6, 5.8, 6.9, 7.2, 6.4, 7.0, 4.0, 4.4, 3.9, 4.1]})
    >>> res = kruskal(df, "y", "trt")
    >>> round(res.statistics["chisq"], 4), round(res.statistics["p_value"], 5)
    (9.8462, 0.00728)
    >>> res.table["group"].to_dict()
    {'B': 'a', 'A': 'b', 'C': 'c'}
    >>> res.table["rank_mean"].tolist()
    [10.5, 6.5, 2.5]
    """
    _check_alpha(alpha)
    _check_columns(data, {"response": response, "treatment": treatment})
    method = _adjust_method(p_adjust)
    frame, n_missing = _clean(data, response, [treatment])
    levels = _levels(frame[treatment])
    k = len(levels)
    if k < 2:
        raise DesignError(f"Kruskal–Wallis needs at least two treatments in '{treatment}', found {k}")
    n_total = len(frame)
    if n_total <= k:
        raise DesignError(f"Kruskal–Wallis needs more observations ({n_total}) than treatments ({k})")
    desc = _describe(frame, treatment, levels)
    ranks = stats.rankdata(frame["_y"].to_numpy())
    codes = pd.Categorical(frame[treatment], categories=levels).codes
    n_i = np.bincount(codes, minlength=k).astype(float)
    rank_sum = np.array([math.fsum(ranks[codes == c]) for c in range(k)])
    rank_mean = rank_sum / n_i
    N = float(n_total)
    c0 = N * (N + 1) ** 2 / 4.0
    s2 = (math.fsum(ranks**2) - c0) / (N - 1)
    if s2 <= 0:
        raise DesignError(f"all values of '{response}' are equal: nothing to rank")
    h = (math.fsum(rank_sum**2 / n_i) - c0) / s2
    df_error = n_total - k
    ms_error = s2 * (N - 1 - h) / (N - k)
    m = k * (k - 1) // 2
    t_value = stats.t.ppf(1 - _adjusted_alpha(alpha, m, method) / 2, df_error)

    def se(a, b):
        return np.sqrt(ms_error * (1 / n_i[a] + 1 / n_i[b]))

    pairwise, i, j, p_round = _pairs_frame(levels, rank_mean, se, df_error, t_value, method)
    groups = _letters(levels, rank_mean, i, j, p_round, alpha)
    table = desc.assign(rank_mean=rank_mean)
    table = table[["n", "mean", "std", "rank_mean", "min", "q25", "q50", "q75", "max"]]
    table = table.loc[list(groups.index)].assign(group=groups.to_numpy())
    table.index.name = "level"
    statistics = {
        "chisq": float(h),
        "df": k - 1,
        "p_value": float(stats.chi2.sf(h, k - 1)),
        "ms_error": float(ms_error),
        "df_error": int(df_error),
        "t_value": float(t_value),
        "alpha": alpha,
        "p_adjust": "none" if p_adjust is None else p_adjust,
        "n_missing": n_missing,
    }
    if np.all(n_i == n_i[0]):
        statistics["msd"] = float(t_value * math.sqrt(2 * ms_error / n_i[0]))
    return RankComparison(table=table, statistics=statistics, pairwise=pairwise, method="kruskal")


# ----------------------------------------------------------------------------- friedman


def friedman(data: pd.DataFrame, response: str, treatment: str, block: str, *,
             alpha: float = 0.05) -> RankComparison:
    """Friedman test with agricolae's post-hoc comparison of rank sums and letters.

    Parameters
    ----------
    data : DataFrame
        Tidy data. Observations of the same block × treatment cell are averaged first; every
        treatment must have an observation in every block.
    response, treatment, block : str
        Column names.
    alpha : float
        Significance level of the post-hoc test and of the letters.

    Returns
    -------
    RankComparison
        ``table`` (n, mean, std of the raw data, rank_sum, quartiles, group),
        ``statistics`` (chisq, df, p_value, f, df_error = (b−1)(k−1), p_value_f, t_value,
        lsd, ms_error (see Notes), blocks), ``pairwise``.

    Notes
    -----
    With b blocks, k treatments, rank sums Rⱼ, A = Σ rank² and C = b·k(k+1)²/4:
    χ² = (k−1)(ΣRⱼ² − b·C)/(A − C) (tie-corrected, equal to R's ``friedman.test`` and
    ``scipy.stats.friedmanchisquare``); F = (b−1)χ²/(b(k−1) − χ²). Rank sums are compared with
    t(df_error) and SE = √(2(b·A − ΣRⱼ²)/df_error); ``lsd`` = t·SE. ``ms_error`` is reported
    as (b·A − ΣRⱼ²)/df_error so that SE = √(2·ms_error). As in agricolae, the pairwise
    ``lcl``/``ucl`` use the LSD rounded to 2 decimals, and ``p_value_f`` takes its second df
    as (k−1)(r−1) with r the number of observations per treatment (agricolae 1.3-7's
    ``friedman``): (b−1)(k−1) when each cell holds one plot, more when cells are replicated
    (the cell means are ranked either way; ``df_error`` stays (b−1)(k−1)).

    Examples
    --------
    >>> df = pd.DataFrame({"block": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
    ...                    "trt": list("ABC") * 4,
    ...                    "y": [5, 7, 3, 6, 8, 4, 5, 9, 6, 8, 7, 3]})
    >>> res = friedman(df, "y", "trt", "block")
    >>> res.statistics["chisq"], round(res.statistics["lsd"], 4)
    (4.5, 5.2859)
    >>> res.table["rank_sum"].to_dict()
    {'B': 11.0, 'A': 8.0, 'C': 5.0}
    >>> res.table["group"].tolist()
    ['a', 'ab', 'b']
    """
    _check_alpha(alpha)
    _check_columns(data, {"response": response, "treatment": treatment, "block": block})
    frame, n_missing = _clean(data, response, [treatment, block])
    levels = _levels(frame[treatment])
    blocks = _levels(frame[block])
    k, b = len(levels), len(blocks)
    if k < 2:
        raise DesignError(f"Friedman's test needs at least two treatments in '{treatment}', found {k}")
    if b < 2:
        raise DesignError(f"Friedman's test needs at least two blocks in '{block}', found {b}")
    cells = frame.groupby([block, treatment], sort=False)["_y"].agg(lambda v: math.fsum(v) / len(v))
    matrix = cells.unstack(treatment).reindex(index=blocks, columns=levels)
    if matrix.isna().any().any():
        empty = [(bl, tr) for bl in blocks for tr in levels if pd.isna(matrix.at[bl, tr])]
        shown = ", ".join(f"{treatment}={tr!r} in {block}={bl!r}" for bl, tr in empty[:5])
        raise DesignError(
            f"Friedman's test needs every treatment in every block; no observation for {shown}"
            + (f" and {len(empty) - 5} more" if len(empty) > 5 else "")
            + " (use kruskal() for unblocked data)"
        )
    desc = _describe(frame, treatment, levels)
    # agricolae tests F on (k−1, (k−1)(r−1)) df with r the observations per treatment: the
    # same as (k−1)(b−1) with one plot per cell, larger when cells hold several plots
    r_trt = np.unique(desc["n"].to_numpy())
    df_f = (k - 1) * (int(r_trt[0]) - 1) if r_trt.size == 1 else (b - 1) * (k - 1)
    ranks = np.apply_along_axis(stats.rankdata, 1, matrix.to_numpy(dtype=float))
    rank_sum = np.array([math.fsum(ranks[:, c]) for c in range(k)])
    a_sum = math.fsum(ranks.ravel() ** 2)
    c0 = b * k * (k + 1) ** 2 / 4.0
    sum_r2 = math.fsum(rank_sum**2)
    df_error = (b - 1) * (k - 1)
    if a_sum - c0 <= 0:
        raise DesignError(f"every block ties all treatments on '{response}': nothing to rank")
    chisq = (k - 1) * (sum_r2 - b * c0) / (a_sum - c0)
    with np.errstate(divide="ignore"):
        f_stat = (b - 1) * chisq / (b * (k - 1) - chisq) if b * (k - 1) != chisq else math.inf
    t_value = stats.t.ppf(1 - alpha / 2, df_error)
    ms_error = (b * a_sum - sum_r2) / df_error
    se_pair = math.sqrt(2 * ms_error)
    lsd = t_value * se_pair

    def se(a, _b):
        return np.full(len(a), se_pair)

    pairwise, i, j, p_round = _pairs_frame(levels, rank_sum, se, df_error, t_value, "none",
                                           interval_halfwidth=round(lsd, 2))
    groups = _letters(levels, rank_sum, i, j, p_round, alpha)
    table = desc.assign(rank_sum=rank_sum)
    table = table[["n", "mean", "std", "rank_sum", "min", "q25", "q50", "q75", "max"]]
    table = table.loc[list(groups.index)].assign(group=groups.to_numpy())
    table.index.name = "level"
    statistics = {
        "chisq": float(chisq),
        "df": k - 1,
        "p_value": float(stats.chi2.sf(chisq, k - 1)),
        "f": float(f_stat),
        "df_error": int(df_error),
        "p_value_f": float(stats.f.sf(f_stat, k - 1, df_f)),
        "ms_error": float(ms_error),
        "t_value": float(t_value),
        "lsd": float(lsd),
        "alpha": alpha,
        "blocks": b,
        "n_missing": n_missing,
    }
    return RankComparison(table=table, statistics=statistics, pairwise=pairwise, method="friedman")

