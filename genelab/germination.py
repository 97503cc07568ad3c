"""Germination indices and cumulative germination curves.

:func:`indices` computes, for every germination unit (a dish, a tray, a replicate), every
index that the R package *germinationmetrics* (0.1.10) reports in ``germination.indices()``,
from long data (one row per unit and count time).  The numbers agree with the package to
rounding error, including its NA/NaN/Inf results and its t50 interpolation rules; the one
deliberate difference is PeakGermPercent with count days other than 1, 2, 3 … (see
:func:`indices`).  All units are computed together on a units × counts matrix, so 10,000 dishes
take a fraction of a second.

:func:`curve` gives the cumulative germination curve of every unit and the four-parameter
Hill function fit of germinationmetrics' ``FourPHFfit()`` (El-Kassaby et al. 2008).

References
----------
Al-Mudaris, M. A. (1998) Notes on various parameters recording the speed of seed germination.
Der Tropenlandwirt 99, 147–154.
Ranal, M. A. & de Santana, D. G. (2006) How and why to measure the germination process?
Revista Brasileira de Botânica 29, 1–11.
El-Kassaby, Y. A. et al. (2008) Seed germination: mathematical representation and parameters
extraction. Forest Science 54, 220–227.
Aravind, J. et al. (2023) germinationmetrics: Seed Germination Indices and Curve Fitting,
R package 0.1.10.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import DesignError, FitError

__all__ = ["INDEX_NAMES", "R_NAMES", "indices", "curve", "CurveResult", "hill"]

#: snake_case column name -> the name germinationmetrics' germination.indices() gives it,
#: in the package's column order.
R_NAMES: dict[str, str] = {
    "germ_percent": "GermPercent",
    "peak_germ_percent": "PeakGermPercent",
    "first_germ_time": "FirstGermTime",
    "last_germ_time": "LastGermTime",
    "peak_germ_time": "PeakGermTime",
    "time_spread_germ": "TimeSpreadGerm",
    "t50_coolbear": "t50_Coolbear",
    "t50_farooq": "t50_Farooq",
    "mean_germ_time": "MeanGermTime",
    "var_germ_time": "VarGermTime",
    "se_germ_time": "SEGermTime",
    "cv_germ_time": "CVGermTime",
    "mean_germ_rate": "MeanGermRate",
    "var_germ_rate": "VarGermRate",
    "se_germ_rate": "SEGermRate",
    "cvg": "CVG",
    "germ_rate_recip_coolbear": "GermRateRecip_Coolbear",
    "germ_rate_recip_farooq": "GermRateRecip_Farooq",
    "germ_speed_count": "GermSpeed_Count",
    "germ_speed_percent": "GermSpeed_Percent",
    "germ_speed_accumulated_count": "GermSpeedAccumulated_Count",
    "germ_speed_accumulated_percent": "GermSpeedAccumulated_Percent",
    "germ_speed_corrected_normal": "GermSpeedCorrected_Normal",
    "germ_speed_corrected_accumulated": "GermSpeedCorrected_Accumulated",
    "weight_germ_percent": "WeightGermPercent",
    "mean_germ_percent": "MeanGermPercent",
    "mean_germ_number": "MeanGermNumber",
    "timsons_index": "TimsonsIndex",
    "timsons_index_labouriau": "TimsonsIndex_Labouriau",
    "timsons_index_khan_ungar": "TimsonsIndex_KhanUngar",
    "germ_rate_george": "GermRateGeorge",
    "germ_index": "GermIndex",
    "germ_index_mod": "GermIndex_mod",
    "emergence_rate_index_sg": "EmergenceRateIndex_SG",
    "emergence_rate_index_sg_mod": "EmergenceRateIndex_SG_mod",
    "emergence_rate_index_bilbro_wanjura": "EmergenceRateIndex_BilbroWanjura",
    "emergence_rate_index_fakorede": "EmergenceRateIndex_Fakorede",
    "peak_value": "PeakValue",
    "germ_value_czabator": "GermValue_Czabator",
    "germ_value_dp": "GermValue_DP",
    "germ_value_czabator_mod": "GermValue_Czabator_mod",
    "germ_value_dp_mod": "GermValue_DP_mod",
    "cu_germ": "CUGerm",
    "germ_synchrony": "GermSynchrony",
    "germ_uncertainty": "GermUncertainty",
}

#: The index columns of :func:`indices`, in germinationmetrics' order.
INDEX_NAMES: tuple[str, ...] = tuple(R_NAMES)

# Indices that germinationmetrics reports as NA (not computable) rather than NaN (0/0).
_NA_WHEN_NONE = ("first_germ_time", "last_germ_time", "time_spread_germ", "germ_value_czabator",
                 "germ_value_czabator_mod", "emergence_rate_index_sg", "emergence_rate_index_sg_mod")


# --------------------------------------------------------------------------------------------
# input -> units x counts matrix
# --------------------------------------------------------------------------------------------

def _as_list(cols) -> list[str]:
    return [cols] if isinstance(cols, str) else list(cols)


def _unit_label(keys: pd.DataFrame, i: int) -> str:
    row = keys.iloc[i]
    return ", ".join(f"{c}={row[c]!r}" for c in keys.columns)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.15g}"


def _prepare(data, unit, time, count, sown, partial):
    """Validate long data and return (keys, extra, S, blocks) with blocks of equal count days."""
    if not isinstance(data, pd.DataFrame):
        raise DesignError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    units = _as_list(unit)
    needed = units + [time, count, sown]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise DesignError(f"germination data lack the column(s) {', '.join(map(repr, missing))}; "
                          f"columns present: {', '.join(map(str, data.columns))}")
    if len(data) == 0:
        raise DesignError("germination data have no rows")
    for c in needed:
        bad = data[c].isna().to_numpy()
        if bad.any():
            rows = np.flatnonzero(bad)[:5] + 2
            raise DesignError(f"column {c!r} has missing values (spreadsheet rows "
                              f"{', '.join(map(str, rows))}); every count needs its unit, time, "
                              f"count and seeds sown")
    num = {}
    for c in (time, count, sown):
        v = pd.to_numeric(data[c], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(v)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DesignError(f"column {c!r} must hold finite numbers; row {i + 2} has "
                              f"{data[c].iloc[i]!r}")
        num[c] = v
    if (num[count] < 0).any():
        i = int(np.flatnonzero(num[count] < 0)[0])
        raise DesignError(f"negative germination count {num[count][i]:g} in row {i + 2}")
    if (num[time] <= 0).any():
        i = int(np.flatnonzero(num[time] <= 0)[0])
        raise DesignError(f"count times must be positive (days since sowing); row {i + 2} has "
                          f"{time}={num[time][i]:g}")
    if (num[sown] <= 0).any():
        i = int(np.flatnonzero(num[sown] <= 0)[0])
        raise DesignError(f"seeds sown must be positive; row {i + 2} has {sown}={num[sown][i]:g}")

    if len(units) == 1:
        codes = pd.factorize(data[units[0]], sort=False)[0]
    else:
        codes = data.groupby(units, sort=False, dropna=False).ngroup().to_numpy()
    dc, dt = np.diff(codes), np.diff(num[time])
    if np.all((dc > 0) | ((dc == 0) & (dt > 0))):   # already sorted by unit and time
        order = np.arange(len(codes))
    else:
        order = np.lexsort((num[time], codes))
    codes_s = codes[order]
    t_s = num[time][order]
    x_s = num[count][order]
    s_s = num[sown][order]
    n_units = int(codes.max()) + 1
    first_row = np.zeros(n_units, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, codes_s[1:] != codes_s[:-1]])
    first_row[codes_s[starts]] = order[starts]
    keys = data[units].iloc[first_row].reset_index(drop=True)

    dup = np.r_[False, (codes_s[1:] == codes_s[:-1]) & (t_s[1:] == t_s[:-1])]
    if dup.any():
        j = int(np.flatnonzero(dup)[0])
        raise DesignError(f"unit {_unit_label(keys, codes_s[j])} has more than one count at "
                          f"{time}={t_s[j]:g}; if units are only unique within a test, pass "
                          f"unit=[test column, {units[-1]!r}]")
    sdiff = np.r_[False, (codes_s[1:] == codes_s[:-1]) & (s_s[1:] != s_s[:-1])]
    if sdiff.any():
        j = int(np.flatnonzero(sdiff)[0])
        raise DesignError(f"unit {_unit_label(keys, codes_s[j])} has different numbers of seeds "
                          f"sown on different rows ({sown} must be constant within a unit)")

    sizes = np.bincount(codes_s, minlength=n_units)
    kmax = int(sizes.max())
    pos = np.arange(len(codes_s)) - np.repeat(starts, sizes[codes_s[starts]])
    T = np.full((n_units, kmax), np.nan)
    X = np.zeros((n_units, kmax))
    T[codes_s, pos] = t_s
    X[codes_s, pos] = x_s
    S = np.empty(n_units)
    S[codes_s] = s_s

    if not partial:
        prev = np.concatenate([np.zeros((n_units, 1)), X[:, :-1]], axis=1)
        inc = X - prev
        inc[np.isnan(T)] = 0.0
        bad = inc < 0
        if bad.any():
            u, k = np.argwhere(bad)[0]
            raise DesignError(f"unit {_unit_label(keys, u)}: cumulative count falls from "
                              f"{prev[u, k]:g} to {X[u, k]:g} at {time}={T[u, k]:g} "
                              f"(with partial=False counts must be running totals)")
        X = inc
    C = np.cumsum(X, axis=1)
    over = C > S[:, None]
    if over.any():
        u = int(np.flatnonzero(over.any(axis=1))[0])
        k = int(np.flatnonzero(over[u])[0])
        before = C[u, k - 1] if k > 0 else 0.0
        if before >= S[u]:
            why = (f"{X[u, k]:g} new germinant(s) counted at {time}={T[u, k]:g} after all "
                   f"{S[u]:g} seeds sown had already germinated")
        else:
            why = (f"{C[u, k]:g} seeds germinated by {time}={T[u, k]:g}, more than the "
                   f"{S[u]:g} seeds sown")
        raise DesignError(f"unit {_unit_label(keys, u)}: {why}")

    # columns that are constant within every unit (treatment, source_id, test_id …)
    others = [c for c in data.columns if c not in needed]
    extra = pd.DataFrame(index=range(n_units))
    const = []
    for c in others:
        vcodes = pd.factorize(data[c].to_numpy()[order], use_na_sentinel=False)[0]
        if np.all(np.minimum.reduceat(vcodes, starts) == np.maximum.reduceat(vcodes, starts)):
            const.append(c)
    if const:
        extra = data[const].iloc[first_row].reset_index(drop=True)

    # group units by their count days (usually all alike)
    key = np.ascontiguousarray(np.where(np.isnan(T), -1.0, T))
    if (key == key[0]).all():
        return keys, extra, S, X, [(np.arange(n_units), key[0, :int(sizes[0])].copy())]
    rowid = key.view(np.dtype((np.void, key.dtype.itemsize * kmax))).ravel()
    inverse, _ = pd.factorize(pd.Series(rowid).map(bytes))
    blocks = []
    for p in range(int(inverse.max()) + 1):
        idx = np.flatnonzero(inverse == p)
        k = int(sizes[idx[0]])
        blocks.append((idx, key[idx[0], :k].copy()))
    return keys, extra, S, X, blocks


# --------------------------------------------------------------------------------------------
# the indices on one block of units sharing their count days
# --------------------------------------------------------------------------------------------

def _t50(n, C, N, t, target):
    """germinationmetrics 0.1.10 t50 on rows of C (cumulative counts) for targets ``target``."""
    k = len(t)
    out = np.full(len(N), np.nan)
    na = n[:, 0] >= target  # first count already reaches the target: NA
    above = (C > target[:, None]).any(axis=1)
    n_lt = (C < target[:, None]).sum(axis=1)
    n_le = (C <= target[:, None]).sum(axis=1)
    # usual case: lo = last count strictly below, hi = first count strictly above
    lo = np.where(above, n_lt - 1, n_le - 1)
    hi = np.where(above, n_le, n_lt)
    ok = ~na & (lo >= 0) & (hi < k)
    na |= ~ok
    r = np.flatnonzero(ok)
    lo_r, hi_r = lo[r], hi[r]
    c_lo, c_hi = C[r, lo_r], C[r, hi_r]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[r] = t[lo_r] + (target[r] - c_lo) * (t[hi_r] - t[lo_r]) / (c_hi - c_lo)
    return out, na


def _block(n: np.ndarray, t: np.ndarray, S: np.ndarray) -> tuple[dict, dict, np.ndarray]:
    m, k = n.shape
    pos = np.arange(1, k + 1, dtype=float)
    C = np.cumsum(n, axis=1)
    N = C[:, -1]
    tk = t[-1]
    none = N == 0
    r: dict[str, np.ndarray] = {}
    na: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        gp = 100.0 * N / S
        r["germ_percent"] = gp
        nz = n > 0
        first = np.argmax(nz, axis=1)
        last = k - 1 - np.argmax(nz[:, ::-1], axis=1)
        r["first_germ_time"] = np.where(none, np.nan, t[first])
        r["last_germ_time"] = np.where(none, np.nan, t[last])
        r["time_spread_germ"] = r["last_germ_time"] - r["first_germ_time"]
        nmax = n.max(axis=1)
        peak = n == nmax[:, None]
        r["peak_germ_time"] = t[np.argmax(peak, axis=1)]
        r["peak_germ_percent"] = 100.0 * nmax / S
        sum_nt = (n * t).sum(axis=1)
        mgt = sum_nt / N
        r["mean_germ_time"] = mgt
        var = (n * (t[None, :] - mgt[:, None]) ** 2).sum(axis=1) / (N - 1)
        r["var_germ_time"] = var
        r["se_germ_time"] = np.sqrt(var / N)
        r["cv_germ_time"] = np.sqrt(var) / mgt
        rate = N / sum_nt
        r["mean_germ_rate"] = rate
        r["var_germ_rate"] = rate ** 4 * var
        r["se_germ_rate"] = np.sqrt(r["var_germ_rate"] / N)
        r["cvg"] = 100.0 * rate
        t50c, na_c = _t50(n, C, N, t, (N + 1) / 2.0)
        t50f, na_f = _t50(n, C, N, t, N / 2.0)
        r["t50_coolbear"], r["t50_farooq"] = t50c, t50f
        r["germ_rate_recip_coolbear"] = 1.0 / t50c
        r["germ_rate_recip_farooq"] = 1.0 / t50f
        na["t50_coolbear"] = na["germ_rate_recip_coolbear"] = na_c
        na["t50_farooq"] = na["germ_rate_recip_farooq"] = na_f
        r["germ_speed_count"] = (n / t).sum(axis=1)
        r["germ_speed_percent"] = ((100.0 * n / S[:, None]) / t).sum(axis=1)
        r["germ_speed_accumulated_count"] = (C / t).sum(axis=1)
        r["germ_speed_accumulated_percent"] = ((100.0 * C / S[:, None]) / t).sum(axis=1)
        r["germ_speed_corrected_normal"] = r["germ_speed_percent"] / gp
        r["germ_speed_corrected_accumulated"] = r["germ_speed_accumulated_percent"] / gp
        r["weight_germ_percent"] = 100.0 * (n * (k - pos + 1)).sum(axis=1) / (k * S)
        r["mean_germ_percent"] = gp / tk
        r["mean_germ_number"] = N / tk
        tims = (100.0 * C / S[:, None]).sum(axis=1)
        r["timsons_index"] = tims
        r["timsons_index_labouriau"] = tims / gp
        r["timsons_index_khan_ungar"] = tims / tk
        r["germ_rate_george"] = C.sum(axis=1)
        gi = ((tk - t) * n).sum(axis=1)
        r["germ_index"] = gi / S
        r["germ_index_mod"] = gi / N
        eri = (n * (k - pos)).sum(axis=1)
        r["emergence_rate_index_sg"] = np.where(none, np.nan, eri)
        r["emergence_rate_index_sg_mod"] = np.where(none, np.nan, eri / N)
        r["emergence_rate_index_bilbro_wanjura"] = N / mgt
        r["emergence_rate_index_fakorede"] = mgt / (gp / 100.0)
        P = 100.0 * C / S[:, None]
        dgs = P / t
        pv = dgs.max(axis=1)
        r["peak_value"] = pv
        czab = r["mean_germ_percent"] * pv
        r["germ_value_czabator"] = np.where(none, np.nan, czab)
        r["germ_value_czabator_mod"] = r["germ_value_czabator"].copy()
        # Djavanshir & Pourbeik: running mean of DGS from the onset (or from the first count)
        idx = np.arange(k)
        started = idx[None, :] >= first[:, None]
        dgs_on = np.where(started, dgs, 0.0)
        cnt = np.cumsum(started, axis=1)
        gv = np.where(started, np.cumsum(dgs_on, axis=1) / np.maximum(cnt, 1) * P / 100.0 * 10.0,
                      -np.inf)
        r["germ_value_dp"] = np.where(none, -np.inf, gv.max(axis=1))
        gv_mod = np.cumsum(dgs, axis=1) / (idx + 1.0) * P / 100.0 * 10.0
        r["germ_value_dp_mod"] = np.where(none, -np.inf, gv_mod.max(axis=1))
        r["cu_germ"] = N / (n * (mgt[:, None] - t[None, :]) ** 2).sum(axis=1)
        r["germ_synchrony"] = (n * (n - 1) / 2.0).sum(axis=1) / (N * (N - 1) / 2.0)
        f = n / N[:, None]
        lg = np.where(nz, f * np.log2(np.where(nz, f, 1.0)), 0.0)
        r["germ_uncertainty"] = np.where(none, 0.0, -lg.sum(axis=1))
    for name in _NA_WHEN_NONE:
        na[name] = none
    for name in ("t50_coolbear", "t50_farooq", "germ_rate_recip_coolbear",
                 "germ_rate_recip_farooq"):
        r[name] = np.where(na[name], np.nan, r[name])
    return r, na, peak


def indices(data: pd.DataFrame, *, unit="dish", time: str = "day", count: str = "germinated",
            sown: str = "sown", partial: bool = True) -> pd.DataFrame:
    """Every germination index of germinationmetrics' ``germination.indices()``, per unit.

    Parameters
    ----------
    data : DataFrame
        Long data: one row per unit and count time (the workspace ``germination`` table).
    unit : str or list of str
        Column(s) identifying a germination unit (dish).  Use ``["test_id", "dish"]`` when dish
        numbers restart in every test.
    time : str
        Count time (days since sowing, > 0).  Count days may be irregular and may differ between
        units.
    count : str
        Germinants at that count: new ones since the previous count (``partial=True``) or the
        running total (``partial=False``).
    sown : str
        Seeds sown in the unit (constant within a unit).

    Returns
    -------
    DataFrame
        One row per unit, in order of first appearance: the unit column(s); every other column
        of ``data`` that is constant within each unit (treatment, source_id, test_id …); ``sown``;
        then one column per index in :data:`INDEX_NAMES` (snake_case of the package's names,
        see :data:`R_NAMES`): ``germ_percent``, ``peak_germ_percent``, ``first_germ_time``,
        ``last_germ_time``, ``peak_germ_time`` (the first peak day), ``time_spread_germ``,
        ``t50_coolbear``, ``t50_farooq``, ``mean_germ_time``, ``var_germ_time``,
        ``se_germ_time``, ``cv_germ_time`` (a fraction), ``mean_germ_rate``, ``var_germ_rate``,
        ``se_germ_rate``, ``cvg``, ``germ_rate_recip_coolbear``, ``germ_rate_recip_farooq``,
        ``germ_speed_count``, ``germ_speed_percent``, ``germ_speed_accumulated_count``,
        ``germ_speed_accumulated_percent``, ``germ_speed_corrected_normal``,
        ``germ_speed_corrected_accumulated``, ``weight_germ_percent``, ``mean_germ_percent``,
        ``mean_germ_number``, ``timsons_index``, ``timsons_index_labouriau``,
        ``timsons_index_khan_ungar``, ``germ_rate_george``, ``germ_index``, ``germ_index_mod``,
        ``emergence_rate_index_sg``, ``emergence_rate_index_sg_mod``,
        ``emergence_rate_index_bilbro_wanjura``, ``emergence_rate_index_fakorede``,
        ``peak_value``, ``germ_value_czabator``, ``germ_value_dp``, ``germ_value_czabator_mod``,
        ``germ_value_dp_mod``, ``cu_germ``, ``germ_synchrony``, ``germ_uncertainty``.
        Then ``peak_germ_times``: every peak day joined as ``"11, 13"`` (as the package's
        all-in-one table prints them), and ``not_computable``: the ``;``-separated names of the
        indices that germinationmetrics returns as **NA** for this unit (empty when none).

    Notes
    -----
    Definitions follow germinationmetrics 0.1.10 (Ranal & de Santana 2006; Al-Mudaris 1998);
    with nᵢ new germinants at count i of k, tᵢ its day, Cᵢ = n₁+…+nᵢ, N = C_k and S seeds sown:
    MGT = Σnᵢtᵢ/N; VarGermTime = Σnᵢ(tᵢ−MGT)²/(N−1); CVGermTime = √Var/MGT (a fraction);
    GermSynchrony = Σnᵢ(nᵢ−1) / N(N−1); GermUncertainty = −Σfᵢlog₂fᵢ; CUGerm = N/Σnᵢ(MGT−tᵢ)²;
    WeightGermPercent, TimsonsIndex, GermRateGeorge and EmergenceRateIndex_SG use positions,
    not days; GermValue_DP uses k = 10.

    *t50*: target T = (N+1)/2 (Coolbear) or N/2 (Farooq).  NA when n₁ ≥ T.  Otherwise lo = the
    last count whose Cᵢ is the largest value below T and hi = the first count whose Cᵢ is the
    smallest value above T (falling back to ≤ T / ≥ T when nothing lies above T), and
    t50 = t_lo + (T − C_lo)(t_hi − t_lo)/(C_hi − C_lo).  An exact hit Cᵢ = T is therefore
    interpolated across, a plateau is left from its last day, and one germinant gives 0/0 = NaN
    (Coolbear).  germinationmetrics ≤ 0.1.8 used a different rule.

    *Missing values*: R distinguishes NA (not computable) from NaN (0/0); both are NaN here, and
    ``not_computable`` names the NA ones (FirstGermTime, LastGermTime, TimeSpreadGerm,
    GermValue_Czabator(_mod), EmergenceRateIndex_SG(_mod) when nothing germinated; t50 and
    GermRateRecip when n₁ ≥ T or nothing germinated).  ±Inf stay ±inf: CUGerm is inf when all
    germinants came on one day; GermValue_DP is −inf when nothing germinated.

    *PeakGermPercent* — deliberate difference: germinationmetrics computes
    ``100·n[PeakGermTime]/S``, indexing the count vector by the peak *day* as if it were a
    position.  That is right only for count days 1, 2, 3 …; with counts every 2 days it reads
    the wrong count, with counts every 3 days it reads past the end (NA).  genelab returns the
    intended value, 100·max(nᵢ)/S (the percentage germinating at the peak count), which equals
    the package's value whenever the count days are 1, 2, …, k.

    Examples
    --------
    >>> d = pd.DataFrame({"dish": [1] * 4 + [2] * 4, "treatment": ["CK"] * 4 + ["GA3"] * 4,
    ...                   "day": [1, 2, 3, 4] * 2, "sown": 20,
    ...                   "germinated": [0, 2, 5, 1, 3, 6, 2, 0]})
    >>> out = indices(d)
    >>> out[["dish", "treatment", "germ_percent", "mean_germ_time", "t50_coolbear"]].round(3)
       dish treatment  germ_percent  mean_germ_time  t50_coolbear
    0     1        CK          40.0           2.875           2.5
    1     2       GA3          55.0           1.909           1.5
    """
    units = _as_list(unit)
    keys, extra, S, X, blocks = _prepare(data, units, time, count, sown, partial)
    n_units = len(S)
    res = {name: np.empty(n_units) for name in INDEX_NAMES}
    na_masks = {name: np.zeros(n_units, dtype=bool) for name in INDEX_NAMES}
    peak_text = np.empty(n_units, dtype=object)
    for idx, t in blocks:
        k = len(t)
        r, na, peak = _block(X[idx, :k], t, S[idx])
        for name, v in r.items():
            res[name][idx] = v
        for name, v in na.items():
            na_masks[name][idx] = v
        labels = np.array([_fmt(v) for v in t], dtype=object)
        single = peak.sum(axis=1) == 1
        peak_text[idx[single]] = labels[np.argmax(peak[single], axis=1)]
        for j in np.flatnonzero(~single):
            peak_text[idx[j]] = ", ".join(labels[peak[j]])
    out = pd.concat([keys, extra.drop(columns=[c for c in extra.columns if c in keys], errors="ignore")],
                    axis=1)
    out[sown] = S
    body = pd.DataFrame(res, columns=list(INDEX_NAMES))
    out = pd.concat([out, body], axis=1)
    out["peak_germ_times"] = peak_text
    text = pd.Series([""] * n_units, dtype=object)
    for name in INDEX_NAMES:
        m = na_masks[name]
        if m.any():
            text = text.where(~m, text + name + ";")
    out["not_computable"] = text.str.rstrip(";")
    return out


# --------------------------------------------------------------------------------------------
# cumulative curves and the four-parameter Hill function (FourPHFfit)
# --------------------------------------------------------------------------------------------

def hill(x, a: float, b: float, c: float, y0: float = 0.0):
    """The four-parameter Hill function y = y0 + a·xᵇ/(cᵇ + xᵇ) (El-Kassaby et al. 2008).

    Examples
    --------
    >>> float(hill(5.0, a=80.0, b=4.0, c=5.0))
    40.0
    """
    x = np.asarray(x, dtype=float)
    xb = np.power(x, b)
    return y0 + a * xb / (c ** b + xb)


def _hill_time(p, a, b, c, y0):
    """Time at which the curve reaches ``p`` (same scale as y): inverse of :func:`hill`."""
    q = (p - y0) / a
    with np.errstate(invalid="ignore", divide="ignore"):
        return (q * c ** b / (1.0 - q)) ** (1.0 / b)


@dataclass(frozen=True)
class CurveResult(Result):
    """Cumulative germination curves and their four-parameter Hill fits.

    ``table``: one row per unit (see :func:`curve`); ``points``: the observed cumulative
    curve, one row per unit and count; ``unit``, ``time``, ``groups`` name the columns.
    """

    table: pd.DataFrame
    points: pd.DataFrame
    unit: tuple
    time: str
    groups: tuple

    def predict(self, times) -> pd.DataFrame:
        """Fitted cumulative germination (%) of every unit at ``times`` (long table)."""
        times = np.asarray(times, dtype=float)
        rows = []
        for _, r in self.table.iterrows():
            y = hill(times, r["a"], r["b"], r["c"], r["y0"]) if r["converged"] else \
                np.full(len(times), np.nan)
            part = pd.DataFrame({self.time: times, "fitted_percent": y})
            for col in self.unit + self.groups:
                part.insert(0, col, r[col])
            rows.append(part)
        return pd.concat(rows, ignore_index=True)


def _fit_one(t, y, fix_a, fix_y0, startb, startc):
    from scipy.optimize import least_squares

    amax = float(y.max())
    names = (["a"] if not fix_a else []) + ["bta", "c"] + (["y0"] if not fix_y0 else [])

    def unpack(p):
        d = dict(zip(names, p))
        return (d.get("a", amax), np.exp(d["bta"]), d["c"], d.get("y0", 0.0))

    def resid(p):
        a, b, c, y0 = unpack(p)
        with np.errstate(all="ignore"):
            r = hill(t, a, b, c, y0) - y
        return np.where(np.isfinite(r), r, 1e6)

    best = None
    starts_b = [startb] + [s for s in (1e-7, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100)
                           if s != startb]
    for sb in starts_b:
        p0 = {"a": amax, "bta": np.log(sb), "c": startc, "y0": 0.0}
        try:
            fit = least_squares(resid, [p0[n] for n in names], method="lm", xtol=1e-12,
                                ftol=1e-12, gtol=1e-12, max_nfev=4000)
        except (ValueError, FloatingPointError):
            continue
        if not np.all(np.isfinite(fit.x)) or fit.x[names.index("c")] <= 0:
            continue
        rss = float(np.sum(fit.fun ** 2))
        if best is None or rss < best[1] - 1e-12 * max(1.0, rss):
            best = (fit, rss)
        if fit.success and sb == startb:
            break
    if best is None:
        return None
    fit, rss = best
    return unpack(fit.x), rss, bool(fit.success)


def curve(data: pd.DataFrame, *, unit="dish", time: str = "day", count: str = "germinated",
          sown: str = "sown", partial: bool = True, fix_y0: bool = True, fix_a: bool = True,
          tmax: float | None = None, xp=(10, 60), umin: float = 10, umax: float = 90
          ) -> CurveResult:
    """Cumulative germination curve and four-parameter Hill fit of every unit (``FourPHFfit``).

    The cumulative germination percentage y of each unit is fitted by least squares to
    y = y0 + a·xᵇ/(cᵇ + xᵇ) with b = exp(β) > 0, as germinationmetrics' ``FourPHFfit()`` does
    (defaults ``fix_y0=True``: y0 = 0; ``fix_a=True``: a = the final germination percentage).

    Parameters
    ----------
    data, unit, time, count, sown, partial
        As in :func:`indices`.
    fix_y0, fix_a : bool
        Fix y0 = 0 and a = final germination %, or estimate them.
    tmax : float, optional
        Upper limit of the area under the curve (default: the last count day).
    xp : sequence of float
        Germination percentages for which times are reported (``t10_total`` …).
    umin, umax : float
        Percentages of germinated seeds bounding the uniformity interval (t90 − t10).

    Returns
    -------
    CurveResult
        ``table``, one row per unit: unit and grouping columns; ``a``, ``b``, ``c``, ``y0``;
        ``lag`` = (−y0·cᵇ/(a + y0))^(1/b) (time at onset); ``dlag50`` = c − lag; ``t50_total``
        (time to 50 % of the seeds sown, NaN when never reached); ``t50_germinated`` (50 % of
        the germinated seeds: solves the curve with a = 100); ``t<x>_total`` and
        ``t<x>_germinated`` for every ``xp``; ``t<umax>``, ``t<umin>`` and ``uniformity`` (their
        difference); ``tmgr`` (time of maximum germination rate, ((cᵇ(b−1)/(b+1))^(1/b));
        ``auc`` (∫₀^tmax of the curve); ``mgt`` (∫₁^{t_k} (y(x) − y(x−1))·x dx / a) and
        ``skewness`` = mgt / t50_germinated, as FourPHFfit defines them; ``rss`` and
        ``converged``.  Units with no germination get NaN (the package refuses to fit them).
        ``points``: one row per unit and count with ``cumulative`` and ``cumulative_percent``.

    Examples
    --------
    >>> days = np.arange(1, 15)
    >>> cum = hill(days, a=80.0, b=6.0, c=6.0)
    >>> new = np.diff(np.r_[0.0, cum]) * 50 / 100
    >>> d = pd.DataFrame({"dish": 1, "day": days, "sown": 50, "germinated": new})
    >>> res = curve(d, fix_a=False)
    >>> res.table[["a", "b", "c"]].round(4).iloc[0].tolist()
    [80.0, 6.0, 6.0]
    """
    from scipy.integrate import quad

    units = _as_list(unit)
    keys, extra, S, X, blocks = _prepare(data, units, time, count, sown, partial)
    groups = [c for c in extra.columns if c not in units]
    n_units = len(S)
    xp = [float(v) for v in np.atleast_1d(xp)]
    cols = ["a", "b", "c", "y0", "lag", "dlag50", "t50_total", "t50_germinated"]
    cols += [f"t{_fmt(v)}_total" for v in xp] + [f"t{_fmt(v)}_germinated" for v in xp]
    cols += [f"t{_fmt(umax)}", f"t{_fmt(umin)}", "uniformity", "tmgr", "auc", "mgt",
             "skewness", "rss"]
    res = {c: np.full(n_units, np.nan) for c in cols}
    conv = np.zeros(n_units, dtype=bool)
    point_parts = []
    for idx, t in blocks:
        k = len(t)
        n = X[idx, :k]
        C = np.cumsum(n, axis=1)
        P = 100.0 * C / S[idx, None]
        r, _, peak = _block(n, t, S[idx])
        part = pd.DataFrame({"_u": np.repeat(idx, k), time: np.tile(t, len(idx)),
                             "cumulative": C.ravel(), "cumulative_percent": P.ravel()})
        point_parts.append(part)
        for j, u in enumerate(idx):
            y = P[j]
            if y[-1] <= 0:
                continue
            # starting values as FourPHFfit chooses them
            startb = 100.0 * y.sum() / (y * t).sum()
            pk = t[peak[j]]
            if len(pk) == 1 and pk[0] == 1 and np.any(t == 1) and y[t == 1][0] >= 90:
                startb = 20.0
            if pk.mean() <= 3:
                startb = 20.0
            if y[0] >= 10 or (k > 2 and y[1] >= 10 and y[2] >= 60):
                startb = 10.0
            startc = r["t50_coolbear"][j]
            if not np.isfinite(startc) or startc <= 0:
                startc = r["mean_germ_time"][j]
            fit = _fit_one(t, y, fix_a, fix_y0, startb, startc)
            if fit is None:
                continue
            (a, b, c, y0), rss, ok = fit
            conv[u] = ok
            with np.errstate(all="ignore"):
                lag = (-y0 * c ** b / (a + y0)) ** (1.0 / b)
                vals = {"a": a, "b": b, "c": c, "y0": y0, "lag": lag, "dlag50": c - lag,
                        "t50_total": _hill_time(50.0, a, b, c, y0),
                        "t50_germinated": _hill_time(50.0, 100.0, b, c, y0), "rss": rss}
                for v in xp:
                    vals[f"t{_fmt(v)}_total"] = _hill_time(v, a, b, c, y0)
                    vals[f"t{_fmt(v)}_germinated"] = _hill_time(v, 100.0, b, c, y0)
                hi_ = _hill_time(umax, 100.0, b, c, y0)
                lo_ = _hill_time(umin, 100.0, b, c, y0)
                vals[f"t{_fmt(umax)}"], vals[f"t{_fmt(umin)}"] = hi_, lo_
                vals["uniformity"] = hi_ - lo_
                vals["tmgr"] = (c ** b * (b - 1) / (b + 1)) ** (1.0 / b)
                upper = float(t[-1]) if tmax is None else float(tmax)
                vals["auc"] = quad(lambda x: hill(x, a, b, c, y0), 0.0, upper, limit=200)[0]
                mgt = quad(lambda x: (hill(x, a, b, c, y0) - hill(max(x - 1.0, 0.0), a, b, c, y0)) * x,
                           1.0, float(t.max()), limit=200)[0] / a
                vals["mgt"] = mgt
                vals["skewness"] = mgt / vals["t50_germinated"]
            for kk, v in vals.items():
                res[kk][u] = v
    table = pd.concat([keys, extra[groups]], axis=1)
    table[sown] = S
    for c in cols:
        table[c] = res[c]
    table["converged"] = conv
    pts = pd.concat(point_parts, ignore_index=True).sort_values(["_u", time], kind="stable")
    lead = pd.concat([keys, extra[groups]], axis=1).iloc[pts["_u"].to_numpy()].reset_index(drop=True)
    points = pd.concat([lead, pts.drop(columns="_u").reset_index(drop=True)], axis=1)
    return CurveResult(table=table, points=points, unit=tuple(units), time=time,
                       groups=tuple(groups))
