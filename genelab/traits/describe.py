"""Descriptive statistics of traits, state frequencies, comparison with a check, outlier flags."""
from __future__ import annotations

import numpy as np
import pandas as pd

from genelab.errors import DesignError
from genelab.traits._common import _as_tuple, _is_qualitative, _require, _select_traits, _trait_table

__all__ = ["describe", "frequencies", "compare_to_check", "flag_outliers"]

_DICT_COLUMNS = ("name_vi", "name_en", "unit")


def _group_codes(frame: pd.DataFrame, keys: tuple[str, ...]):
    """Integer group id per row (−1 when a key is missing) and the key table of the groups."""
    codes, uniques = [], []
    for k in keys:
        col = frame[k]
        if isinstance(col.dtype, pd.CategoricalDtype):
            c = col.cat.codes.to_numpy(dtype=np.int64)
            u = col.cat.categories
        else:
            c, u = pd.factorize(col, sort=True)
            c = c.astype(np.int64)
        codes.append(c)
        uniques.append(u)
    if not keys:
        return np.zeros(len(frame), np.int64), [], [1]
    sizes = [max(len(u), 1) for u in uniques]
    bad = np.zeros(len(frame), bool)
    gid = np.zeros(len(frame), np.int64)
    for c, size in zip(codes, sizes):
        bad |= c < 0
        gid = gid * size + np.where(c < 0, 0, c)
    gid[bad] = -1
    return gid, uniques, sizes


def _keys_frame(ids: np.ndarray, keys, uniques, sizes, categorical) -> pd.DataFrame:
    out = {}
    rem = ids.copy()
    for k, u, size, cat in reversed(list(zip(keys, uniques, sizes, categorical))):
        codes = rem % size
        rem //= size
        if cat:
            out[k] = pd.Categorical.from_codes(codes, categories=u)
        else:
            out[k] = pd.Index(u).take(codes)
    return pd.DataFrame({k: out[k] for k in keys})


def _compact(codes: np.ndarray, space: float):
    """Distinct codes (sorted) and each row's index among them, in O(n) when the space is small."""
    if len(codes) == 0:
        return np.array([], np.int64), np.array([], np.int64)
    if space <= 4 * len(codes) + 1_000_000:
        present = np.bincount(codes, minlength=int(space)) > 0
        ids = np.flatnonzero(present)
        remap = np.cumsum(present) - 1
        return ids, remap[codes]
    return np.unique(codes, return_inverse=True)


def _sort_within_groups(v: np.ndarray, g: np.ndarray):
    """Values sorted by (group, value), with their groups.

    One float argsort gives each value its global rank; the int64 key group·N + rank then
    sorts in place (faster than ``np.lexsort`` on two keys, ≈ 2× on 9 M rows).
    """
    n = len(v)
    if n == 0:
        return v, g
    order = np.argsort(v)
    v_sorted = v[order]
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    del order
    key = g.astype(np.int64) * n + rank
    del rank
    key.sort()
    return v_sorted[key % n], key // n


def describe(
    observations: pd.DataFrame,
    *,
    by=("source_id", "trait"),
    traits: pd.DataFrame | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Descriptive statistics of the quantitative ``value`` of each group.

    Parameters
    ----------
    observations : DataFrame
        Long table with ``value`` (float) and the ``by`` columns (DATAMODEL: source_id,
        accession, site, year, rep, trait, value, state).
    by : sequence of str
        Grouping columns (default one row per source and trait).
    traits : DataFrame, optional
        The trait dictionary; its ``unit``, ``name_vi`` and ``name_en`` are joined on ``trait``
        and its ``kind`` keeps qualitative traits out (their states are summarised by
        :func:`frequencies`).  Without it, traits with states but no value are left out.
    alpha : float
        1 − confidence level of the interval of the mean.

    Returns
    -------
    DataFrame
        The ``by`` columns, then ``n`` (non-missing values), ``missing``, ``mean``, ``sd``
        (n − 1), ``se`` = sd/√n, ``cv`` = 100·sd/mean (%), ``min``, ``q1``, ``median``, ``q3``,
        ``max`` (quantiles by R's default type 7 interpolation), ``ci_low``, ``ci_high``
        = mean ∓ t(1 − α/2, n − 1)·se, and ``unit``, ``name_vi``, ``name_en`` when a dictionary
        is given.  Groups are sorted by their keys; a group with n = 1 has NaN sd/se/CI.

    Notes
    -----
    One vectorised pass: keys become integer codes, values are sorted once within groups
    (``np.lexsort``) and every statistic is read from the sorted array or summed with
    ``np.bincount`` — 9 M rows take a few seconds (benchmarks/bench_traits.py).

    Examples
    --------
    >>> obs = pd.DataFrame({"source_id": ["HO-001"] * 4 + ["HO-002"] * 3,
    ...                     "trait": "fruit_weight_g",
    ...                     "value": [10.0, 12.0, 14.0, np.nan, 20.0, 22.0, 27.0]})
    >>> describe(obs)[["source_id", "n", "missing", "mean", "sd", "median", "ci_low"]].round(3)
      source_id  n  missing  mean     sd  median  ci_low
    0    HO-001  3        1  12.0  2.000    12.0   7.032
    1    HO-002  3        0  23.0  3.606    22.0  14.043
    """
    from scipy import stats

    keys = _as_tuple(by)
    _require(observations, keys + ("value",))
    table = _trait_table(traits)
    obs = observations
    if "trait" in obs.columns and (table is not None or "state" in obs.columns):
        qual = _is_qualitative(obs, table)
        if qual.any():
            obs = obs[~obs["trait"].isin(qual.index[qual])]
    gid_full, uniques, sizes = _group_codes(obs, keys)
    values = obs["value"].to_numpy(dtype=float, na_value=np.nan)
    keep = gid_full >= 0
    ids, gid = _compact(gid_full[keep], int(np.prod(sizes, dtype=np.float64)))
    values = values[keep]
    ng = len(ids)
    isnan = np.isnan(values)
    missing = np.bincount(gid, weights=isnan, minlength=ng).astype(np.int64)
    ok = ~isnan
    v, g = _sort_within_groups(values[ok], gid[ok])
    n = np.bincount(g, minlength=ng).astype(np.int64)
    start = np.concatenate(([0], np.cumsum(n)[:-1]))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=v, minlength=ng) / n
        dev = v - mean[g]
        var = np.bincount(g, weights=dev * dev, minlength=ng) / (n - 1)
        var[n < 2] = np.nan
        sd = np.sqrt(var)
        se = sd / np.sqrt(n)

        has = n > 0
        safe_start = np.where(has, start, 0)
        last = np.where(has, start + n - 1, 0)

        def quantile(p):
            if len(v) == 0:
                return np.full(ng, np.nan)
            h = (n - 1) * p
            lo = np.floor(h)
            frac = h - lo
            idx = safe_start + lo.astype(np.int64)
            q = v[idx]
            step = has & (frac > 0)
            q[step] += frac[step] * (v[idx[step] + 1] - q[step])
            return np.where(has, q, np.nan)

        dfs, inverse = np.unique(np.where(n > 1, n - 1, 1), return_inverse=True)
        tcrit = stats.t.ppf(1 - alpha / 2, dfs)[inverse]
        half = tcrit * se
        out = _keys_frame(ids, keys, uniques, sizes,
                          [isinstance(obs[k].dtype, pd.CategoricalDtype) for k in keys])
        out["n"] = n
        out["missing"] = missing
        out["mean"] = mean
        out["sd"] = sd
        out["se"] = se
        out["cv"] = 100 * sd / mean
        out["min"] = np.where(has, v[safe_start], np.nan) if len(v) else np.full(ng, np.nan)
        out["q1"] = quantile(0.25)
        out["median"] = quantile(0.5)
        out["q3"] = quantile(0.75)
        out["max"] = np.where(has, v[last], np.nan) if len(v) else np.full(ng, np.nan)
        out["ci_low"] = mean - half
        out["ci_high"] = mean + half
    if table is not None and "trait" in keys:
        extra = [c for c in _DICT_COLUMNS if c in table.columns]
        if extra:
            joined = table[extra].reindex(out["trait"].astype(str).to_numpy())
            for c in extra:
                out[c] = joined[c].to_numpy()
    return out


def frequencies(
    observations: pd.DataFrame,
    *,
    by=("source_id", "trait"),
    traits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Frequency table of the states of qualitative traits.

    Parameters
    ----------
    observations : DataFrame
        Long table with ``state`` (the state code) and the ``by`` columns.
    by : sequence of str
        Grouping columns; ``trait`` must be among them.
    traits : DataFrame, optional
        Trait dictionary: its ``states`` (``;``-separated) list every state, so states never
        observed in a group appear with count 0, in the dictionary's order; ``name_vi`` and
        ``name_en`` are joined.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``state``, ``count``, ``n`` (observations with a state in the group)
        and ``percent`` = 100·count/n.

    Examples
    --------
    >>> obs = pd.DataFrame({"source_id": "CH-001", "trait": "shank_colour",
    ...                     "state": pd.array(["yellow", "yellow", "black", "yellow"], dtype="string")})
    >>> frequencies(obs)[["state", "count", "percent"]]
        state  count  percent
    0   black      1     25.0
    1  yellow      3     75.0
    """
    keys = list(_as_tuple(by))
    if "trait" not in keys:
        raise DesignError("frequencies needs 'trait' among the grouping columns")
    _require(observations, keys + ["state"])
    table = _trait_table(traits)
    obs = observations[observations["state"].notna()]
    counts = obs.groupby(keys + ["state"], observed=True, sort=True).size().rename("count").reset_index()
    counts["state"] = counts["state"].astype(str)
    if table is not None and "states" in table.columns and len(counts):
        frames = []
        for trait, part in counts.groupby("trait", sort=True, observed=True):
            declared = table["states"].get(trait)
            states = [s.strip() for s in str(declared).split(";") if s.strip()] if isinstance(declared, str) else []
            seen = [s for s in sorted(part["state"].unique()) if s not in states]
            levels = states + seen
            other = [k for k in keys if k != "trait"]
            groups = part[other].drop_duplicates() if other else pd.DataFrame(index=[0])
            grid = groups.merge(pd.DataFrame({"state": levels}), how="cross")
            grid["trait"] = trait
            grid = grid.merge(part, on=keys + ["state"], how="left")
            grid["count"] = grid["count"].fillna(0).astype(np.int64)
            grid["_order"] = grid["state"].map({s: i for i, s in enumerate(levels)})
            frames.append(grid.sort_values(other + ["_order"]).drop(columns="_order"))
        counts = pd.concat(frames, ignore_index=True)[keys + ["state", "count"]]
    counts["n"] = counts.groupby(keys, observed=True)["count"].transform("sum")
    counts["percent"] = 100 * counts["count"] / counts["n"]
    if table is not None:
        for c in ("name_vi", "name_en"):
            if c in table.columns:
                counts[c] = table[c].reindex(counts["trait"].astype(str).to_numpy()).to_numpy()
    return counts.reset_index(drop=True)


def compare_to_check(
    observations: pd.DataFrame,
    check: str,
    *,
    traits=None,
    dictionary: pd.DataFrame | None = None,
    source: str = "source_id",
    alpha: float = 0.05,
    p_adjust: str = "holm",
) -> pd.DataFrame:
    """Each source's mean of each quantitative trait against a check source.

    Parameters
    ----------
    observations : DataFrame
        Long table (``source``, ``trait``, ``value``).
    check : str
        The check (control) source, e.g. a standard variety or the commercial breed.
    traits : str or list of str, optional
        Traits to compare (default every quantitative trait the check has).
    dictionary : DataFrame, optional
        The trait dictionary; its ``higher_is_better`` gives the verdict's direction.
    source : str
        The source column.
    alpha : float
        Significance level of the verdict.
    p_adjust : str
        statsmodels ``multipletests`` method ("holm", "bonferroni", "fdr_bh", "none" …),
        applied within each trait over the sources compared with the check.

    Returns
    -------
    DataFrame
        One row per trait and source (the check excluded): ``trait``, ``source``, ``n``,
        ``mean``, ``sd``, ``check_n``, ``check_mean``, ``difference`` = mean − check_mean,
        ``percent`` = 100·difference/check_mean, ``t``, ``df`` (Welch–Satterthwaite),
        ``p_value`` (Welch two-sample t-test), ``p_adjusted`` and ``verdict``: "better" or
        "worse" when p_adjusted < alpha and ``higher_is_better`` is true/false, "higher"/"lower"
        when the direction is unknown, "ns" otherwise ("" when the test cannot be computed,
        e.g. n < 2 on a side).

    Examples
    --------
    >>> obs = pd.DataFrame({"source_id": ["CK"] * 3 + ["A"] * 3, "trait": "yield_kg",
    ...                     "value": [10.0, 11.0, 12.0, 15.0, 16.0, 17.0]})
    >>> dic = pd.DataFrame({"trait": ["yield_kg"], "higher_is_better": [True]})
    >>> compare_to_check(obs, "CK", dictionary=dic)[["source_id", "difference", "percent", "verdict"]]
      source_id  difference    percent verdict
    0         A         5.0  45.454545  better
    """
    from scipy import stats
    from statsmodels.stats.multitest import multipletests

    _require(observations, [source, "trait", "value"])
    obs = observations[observations["value"].notna()]
    if not (obs[source] == check).any():
        raise DesignError(f"the check {check!r} has no numeric observations in column {source!r}")
    if traits is not None:
        obs = _select_traits(obs, traits)
    s = obs.groupby(["trait", source], observed=True)["value"].agg(["count", "mean", "std"]).reset_index()
    s.columns = ["trait", source, "n", "mean", "sd"]
    ck = s[s[source] == check].set_index("trait")
    rows = s[(s[source] != check) & s["trait"].isin(ck.index)].copy()
    absent = sorted(set(s["trait"]) - set(ck.index))
    if traits is not None and absent:
        raise DesignError(f"the check {check!r} has no values of trait(s) {', '.join(absent)}")
    rows["check_n"] = ck["n"].reindex(rows["trait"]).to_numpy()
    rows["check_mean"] = ck["mean"].reindex(rows["trait"]).to_numpy()
    check_sd = ck["sd"].reindex(rows["trait"]).to_numpy()
    rows["difference"] = rows["mean"] - rows["check_mean"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rows["percent"] = 100 * rows["difference"] / rows["check_mean"]
        v1 = rows["sd"].to_numpy() ** 2 / rows["n"].to_numpy()
        v2 = check_sd**2 / rows["check_n"].to_numpy()
        se = np.sqrt(v1 + v2)
        t = rows["difference"].to_numpy() / se
        df = (v1 + v2) ** 2 / (v1**2 / (rows["n"].to_numpy() - 1) + v2**2 / (rows["check_n"].to_numpy() - 1))
        p = 2 * stats.t.sf(np.abs(t), df)
    rows["t"] = t
    rows["df"] = df
    rows["p_value"] = p
    rows["p_adjusted"] = np.nan
    for trait, idx in rows.groupby("trait", observed=True).groups.items():
        pv = rows.loc[idx, "p_value"].to_numpy()
        ok = np.isfinite(pv)
        if ok.any():
            adj = pv.copy()
            if p_adjust in (None, "none"):
                adj[ok] = pv[ok]
            else:
                try:
                    adj[ok] = multipletests(pv[ok], alpha=alpha, method=p_adjust)[1]
                except ValueError:
                    raise DesignError(f"unknown p_adjust method {p_adjust!r}") from None
            rows.loc[idx, "p_adjusted"] = adj
    hib = pd.Series(np.nan, index=rows.index, dtype=object)
    if dictionary is not None:
        dic = _trait_table(dictionary)
        if "higher_is_better" in dic.columns:
            hib = rows["trait"].map(dic["higher_is_better"].map(_as_bool))
    sig = rows["p_adjusted"] < alpha
    up = rows["difference"] > 0
    verdict = np.where(sig, np.where(up, "higher", "lower"), "ns")
    verdict = np.where(sig & (hib == True), np.where(up, "better", "worse"), verdict)  # noqa: E712
    verdict = np.where(sig & (hib == False), np.where(up, "worse", "better"), verdict)  # noqa: E712
    verdict = np.where(rows["p_adjusted"].isna(), "", verdict)
    rows["verdict"] = verdict
    cols = ["trait", source, "n", "mean", "sd", "check_n", "check_mean", "difference", "percent",
            "t", "df", "p_value", "p_adjusted", "verdict"]
    return rows[cols].sort_values(["trait", source]).reset_index(drop=True)


def _as_bool(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return np.nan
    text = str(v).strip().lower()
    if text in ("true", "1", "yes", "t"):
        return True
    if text in ("false", "0", "no", "f"):
        return False
    return np.nan


def flag_outliers(
    observations: pd.DataFrame,
    *,
    by=("source_id", "trait"),
    scale_by=("trait",),
    threshold: float = 3.5,
) -> pd.DataFrame:
    """Flag outlying values by a robust z on residuals from their group median; never drop them.

    The residual of a value is its distance from the median of its ``by`` group (e.g. the other
    replicates of the same source and trait).  Residuals are scaled per ``scale_by`` group by
    the modified z-score z = 0.6745·(e − median e)/MAD (Iglewicz & Hoaglin 1993), pooling the
    residuals of all sources of a trait so that a source with three replicates still gets a
    stable scale.  |z| > ``threshold`` (3.5) is flagged.

    Returns
    -------
    DataFrame
        A copy of ``observations`` with ``residual``, ``robust_z`` and ``outlier`` (bool; False
        for rows without a value).

    Examples
    --------
    >>> obs = pd.DataFrame({"source_id": ["A"] * 4 + ["B"] * 4, "trait": "h",
    ...                     "value": [10.0, 10.5, 9.5, 30.0, 20.0, 20.5, 19.5, 20.2]})
    >>> flag_outliers(obs)["outlier"].tolist()
    [False, False, False, True, False, False, False, False]
    """
    keys = list(_as_tuple(by))
    scale = list(_as_tuple(scale_by))
    _require(observations, keys + scale + ["value"])
    out = observations.copy()
    v = out["value"].astype(float)
    med = v.groupby([out[k] for k in keys], observed=True, dropna=False).transform("median") if keys else v.median()
    resid = v - med
    if scale:
        grouped = resid.groupby([out[k] for k in scale], observed=True, dropna=False)
        center = grouped.transform("median")
        mad = (resid - center).abs().groupby([out[k] for k in scale], observed=True, dropna=False).transform("median")
    else:
        center = resid.median()
        mad = (resid - center).abs().median()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = 0.6745 * (resid - center) / mad
    z = z.where(~((mad == 0) & (resid == center)), 0.0)
    out["residual"] = resid
    out["robust_z"] = z
    out["outlier"] = (z.abs() > threshold).fillna(False).astype(bool)
    return out
