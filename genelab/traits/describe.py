"""Descriptive statistics of traits, state frequencies, comparison with a check, outlier flags."""
from __future__ import annotations

import numpy as np
import pandas as pd

from genelab._multitest import adjust, method_name
from genelab.errors import MAX_PROBLEMS, DesignError, Problem, ValidationError
from genelab.traits._common import (
    OBS_FILE,
    _as_tuple,
    _is_qualitative,
    _require,
    _require_keys,
    _select_traits,
    _trait_table,
)

__all__ = ["describe", "frequencies", "compare_to_check", "flag_outliers"]

_DICT_COLUMNS = ("name_vi", "name_en", "unit")


def _group_codes(frame: pd.DataFrame, keys: tuple[str, ...]):
    """Integer group id per row (−1 when a key is missing) and the key table of the groups."""
    codes, uniques = [], []
    for k in keys:
        col = frame[k]
        if isinstance(col.dtype, pd.CategoricalDtype):
            c = col.cat.codes.to_numpy()
            u = col.cat.categories
        else:
            c, u = pd.factorize(col, sort=True)
        codes.append(c)
        uniques.append(u)
    if not keys:
        return np.zeros(len(frame), np.int64), [], [1]
    sizes = [max(len(u), 1) for u in uniques]
    dtype = np.int32 if float(np.prod(sizes, dtype=np.float64)) < 2**31 else np.int64
    codes = [c.astype(dtype, copy=False) for c in codes]
    gid = None
    bad = None
    for c, size in zip(codes, sizes):
        if c.min(initial=0) < 0:
            neg = c < 0
            bad = neg if bad is None else bad | neg
            c = np.where(neg, 0, c)
        gid = c if gid is None else gid * size + c
    if bad is not None:
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
        if present.all():  # every combination occurs: the codes are already compact
            return np.arange(int(space), dtype=np.int64), codes
        ids = np.flatnonzero(present)
        remap = np.cumsum(present) - 1
        return ids, remap[codes]
    return np.unique(codes, return_inverse=True)


def _group_order(g: np.ndarray, ng: int):
    """A stable permutation sorting ``g`` (None when already sorted).

    Radix passes on 16-bit halves (numpy's stable sort of uint16 is a radix sort), so the cost
    is linear whatever the row order.
    """
    if len(g) < 2 or bool((g[1:] >= g[:-1]).all()):
        return None
    if ng <= 1 << 16:
        return np.argsort(g.astype(np.uint16), kind="stable")
    order = np.argsort((g & 0xFFFF).astype(np.uint16), kind="stable")
    high = (g >> 16)[order]
    if ng <= 1 << 32:
        return order[np.argsort(high.astype(np.uint16), kind="stable")]
    return order[np.argsort(high, kind="stable")]  # pragma: no cover - > 4e9 groups


def _sort_rows(m: np.ndarray) -> None:
    """Sort each row of ``m`` in place: an odd–even transposition network of column
    minimum/maximum for narrow rows (vectorised over all rows), ``ndarray.sort`` otherwise."""
    width = m.shape[1]
    if width > 12:
        m.sort(axis=1)
        return
    for step in range(width):
        for j in range(step % 2, width - 1, 2):
            a, b = m[:, j].copy(), m[:, j + 1]
            np.minimum(a, b, out=m[:, j])
            np.maximum(a, b, out=m[:, j + 1])


def _grouped_sorted(values: np.ndarray, gid: np.ndarray, ng: int):
    """Each group's non-missing values sorted, with per-group count, mean and squared deviations.

    Returns ``(flat, start, n, rows, mean, ss)``: group i's sorted values are
    ``flat[start[i]:start[i] + n[i]]``, ``rows`` counts rows with or without a value.

    Fast path: groups are gathered by a linear-time stable radix order (nothing to do when the
    rows are already grouped) into a NaN-padded groups × largest-group matrix; counts, means and
    squared deviations are summed column by column, then missing cells become +inf and each
    row is sorted by a vectorised sorting network — linear work instead of one O(n log n) sort.  When one group is much larger than the rest the padding would waste
    memory; then missing values are dropped and an int64 composite key (group·N + rank of the
    value) is sorted instead.
    """
    rows = np.bincount(gid, minlength=ng)
    width = int(rows.max()) if ng else 0
    if ng and ng * width <= 4 * len(values) + 1_000_000:
        order = _group_order(gid, ng)
        if order is None and rows.min() == width:
            padded = values.reshape(ng, width).copy()
        else:
            if order is not None:
                values, gid = values[order], gid[order]
                del order
            first = np.cumsum(rows) - rows
            slot = gid.astype(np.int64) * width + (np.arange(len(gid), dtype=np.int64) - first[gid])
            padded = np.full(ng * width, np.nan)
            padded[slot] = values
            del slot
            padded = padded.reshape(ng, width)
        n = np.zeros(ng, np.int64)
        total = np.zeros(ng)
        for j in range(width):  # column loops: vector ops over all groups at once
            col = padded[:, j]
            ok = ~np.isnan(col)
            n += ok
            total += np.where(ok, col, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / n
        ss = np.zeros(ng)
        for j in range(width):
            dev = padded[:, j] - mean
            ss += np.where(np.isnan(dev), 0.0, dev * dev)
        np.nan_to_num(padded, copy=False, nan=np.inf)  # the first n of a sorted row are its values
        _sort_rows(padded)
        start = np.arange(ng, dtype=np.int64) * width
        return padded.ravel(), start, n, rows, mean, ss
    ok = ~np.isnan(values)
    v, g = values[ok], gid[ok]
    n_all = len(v)
    order = np.argsort(v)
    v_sorted = v[order]
    rank = np.empty(n_all, np.int64)
    rank[order] = np.arange(n_all, dtype=np.int64)
    del order
    key = g.astype(np.int64) * max(n_all, 1) + rank
    del rank
    key.sort()
    flat = v_sorted[key % max(n_all, 1)]
    g = key // max(n_all, 1)
    n = np.bincount(g, minlength=ng)
    start = np.cumsum(n) - n
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=flat, minlength=ng) / n
    dev = flat - mean[g]
    ss = np.bincount(g, weights=dev * dev, minlength=ng)
    return flat, start, n, rows, mean, ss

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
    One vectorised pass: keys become integer codes, values are sorted within groups (a
    linear radix gather of the groups, then row-wise sorts of a padded groups × size matrix)
    and every statistic is read from the sorted array or summed with ``np.bincount`` — 9 M rows take a few seconds (benchmarks/bench_traits.py).

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
    if len(gid_full) and gid_full.min() < 0:
        bad = np.flatnonzero(gid_full < 0)
        problems = []
        for i in bad[:MAX_PROBLEMS]:
            col = next(k for k in keys if pd.isna(obs[k].iloc[i]))
            problems.append(Problem(OBS_FILE, None, col, None,
                                    f"row {obs.index[i]!r} has no {col}; every row needs its grouping keys"))
        raise ValidationError(problems, total=len(bad))
    ids, gid = _compact(gid_full, int(np.prod(sizes, dtype=np.float64)))
    del gid_full
    ng = len(ids)
    v, start, n, rows, mean, ss = _grouped_sorted(values, gid, ng)
    n = n.astype(np.int64)
    missing = (rows - n).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = ss / (n - 1)
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
            idx = safe_start + lo.astype(np.int64)
            below = v[idx]
            above = v[np.minimum(idx + 1, last)]
            q = below + (h - lo) * (above - below)
            return np.where(has, q, np.nan)

        df = np.where(n > 1, n - 1, 1)
        present = np.flatnonzero(np.bincount(df)) if len(df) else np.array([1])
        table_t = np.zeros(int(present.max()) + 1)
        table_t[present] = stats.t.ppf(1 - alpha / 2, present)
        tcrit = table_t[df]
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
    _require_keys(observations, keys)
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

    method = method_name(p_adjust)
    _require(observations, [source, "trait", "value"])
    _require_keys(observations, [source, "trait"])
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
            adj[ok] = adjust(pv[ok], method)
            rows.loc[idx, "p_adjusted"] = adj
    direction = {}
    if dictionary is not None:
        dic = _trait_table(dictionary)
        if "higher_is_better" in dic.columns:
            direction = {t: _as_bool(v) for t, v in dic["higher_is_better"].items()}
    hib = [direction.get(t, np.nan) for t in rows["trait"]]
    higher_good = np.array([h is True for h in hib], dtype=bool)
    lower_good = np.array([h is False for h in hib], dtype=bool)
    sig = (rows["p_adjusted"] < alpha).to_numpy(dtype=bool, na_value=False)
    up = (rows["difference"] > 0).to_numpy(dtype=bool, na_value=False)
    verdict = np.where(sig, np.where(up, "higher", "lower"), "ns")
    verdict = np.where(sig & higher_good, np.where(up, "better", "worse"), verdict)
    verdict = np.where(sig & lower_good, np.where(up, "worse", "better"), verdict)
    verdict = np.where(rows["p_adjusted"].isna().to_numpy(), "", verdict)
    rows["verdict"] = verdict
    cols = ["trait", source, "n", "mean", "sd", "check_n", "check_mean", "difference", "percent",
            "t", "df", "p_value", "p_adjusted", "verdict"]
    return rows[cols].sort_values(["trait", source]).reset_index(drop=True)


def _as_bool(v):
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return np.nan
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
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
    _require_keys(observations, keys + scale)
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
