"""Time to event: Kaplan–Meier curves and log-rank tests for rooting or graft take over time.

A cutting that has rooted by day t is an *event* at t; one still without roots when the trial
ends (or lost) is *censored* at its last check. Per group (treatment), the Kaplan–Meier
estimate comes from :class:`statsmodels.duration.survfunc.SurvfuncRight` (Greenwood standard
errors); groups are compared with the log-rank test (:func:`statsmodels.duration.survfunc.survdiff`),
overall and pair by pair (Holm-adjusted). The median time to event and its confidence
interval follow R's ``survfit`` conventions (see :func:`time_to_event`).

References: Kaplan, E. L. & Meier, P. (1958) *J. Am. Stat. Assoc.* 53: 457–481; Greenwood, M.
(1926) for the variance; Brookmeyer, R. & Crowley, J. (1982) *Biometrics* 38: 29–41 for the
median's interval; Mantel, N. (1966) for the log-rank test.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from genelab._result import Result
from genelab.errors import DesignError
from genelab._multitest import adjust as _adjust
from genelab.trials.nonparametric import _levels

__all__ = ["TimeToEventResult", "time_to_event"]


@dataclass(frozen=True)
class TimeToEventResult(Result):
    """Result of :func:`time_to_event`.

    Attributes
    ----------
    table : DataFrame
        The Kaplan–Meier curves: one row per group and event time, starting with time 0.
        Columns ``group``, ``time``, ``n_risk``, ``events``, ``survival`` (fraction without
        the event, e.g. not yet rooted), ``se`` (Greenwood), ``ci_low``, ``ci_high``
        (pointwise, ``conf_type``) and ``cumulative`` = 1 − survival (fraction rooted).
    medians : DataFrame
        Index ``group``: ``n``, ``events``, ``median`` (median time to event), ``ci_low``,
        ``ci_high`` (NaN where the curve or a confidence limit never reaches 0.5).
    test : dict
        Log-rank test over all groups: ``chisq``, ``df``, ``p_value``, ``method``.
    pairwise : DataFrame
        Log-rank test of each pair of groups: ``pair``, ``chisq``, ``p_value`` (Holm-adjusted),
        ``p_unadjusted``.
    censored : DataFrame
        ``group``, ``time``, ``survival``: the censored observations on their curve (for
        plotting tick marks).
    """

    table: pd.DataFrame
    medians: pd.DataFrame = field(default_factory=pd.DataFrame)
    test: dict = field(default_factory=dict)
    pairwise: pd.DataFrame = field(default_factory=pd.DataFrame)
    censored: pd.DataFrame = field(default_factory=pd.DataFrame)


def _band(s: np.ndarray, se: np.ndarray, z: float, conf_type: str) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "log":
            half = z * se / s
            lo, hi = s * np.exp(-half), np.minimum(s * np.exp(half), 1.0)
        elif conf_type == "log-log":
            half = z * se / (s * np.log(s))
            lo, hi = s ** np.exp(-half), s ** np.exp(half)
            lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
        else:  # plain
            lo, hi = np.clip(s - z * se, 0, 1), np.clip(s + z * se, 0, 1)
    zero_se = se == 0
    lo = np.where(zero_se & (s > 0), s, lo)
    hi = np.where(zero_se & (s > 0), s, hi)
    return lo, hi


def _quantile_time(times: np.ndarray, curve: np.ndarray, p: float = 0.5) -> float:
    """First time the step curve reaches ``p`` or below; R's midpoint rule on an exact plateau."""
    ok = np.flatnonzero(curve <= p + 1e-12)
    if len(ok) == 0 or not np.isfinite(curve[ok[0]]):
        return math.nan
    i = ok[0]
    if abs(curve[i] - p) <= 1e-12 and i + 1 < len(times):
        return (times[i] + times[i + 1]) / 2
    return float(times[i])


def time_to_event(data: pd.DataFrame, time: str, event: str, group: str, *, alpha: float = 0.05,
                  conf_type: str = "log") -> TimeToEventResult:
    """Kaplan–Meier curves per group, median time to event and log-rank tests.

    Parameters
    ----------
    data : DataFrame
        One row per cutting / graft / plant: the time of the event or of censoring, and the
        event indicator (1/True = the event happened at ``time``, 0/False = censored).
    time, event, group : str
        Column names (``group`` is usually the treatment).
    alpha : float
        1 − confidence level of the intervals.
    conf_type : {"log", "log-log", "plain"}
        Pointwise interval of the survival curve: ``log`` (R's ``survfit`` default,
        S·exp(±z·SE/S), upper limit capped at 1), ``log-log`` or ``plain``.

    Returns
    -------
    TimeToEventResult
        ``table`` (curves), ``medians``, ``test`` (log-rank), ``pairwise``, ``censored``.

    Notes
    -----
    The median is the first time at which the Kaplan–Meier curve is at or below 0.5; where
    the curve equals 0.5 exactly on a plateau, the midpoint between that event time and the
    next one (R ``survfit``). Its confidence limits are the first times at which the lower
    and the upper pointwise limits reach 0.5 (Brookmeyer–Crowley by interval inversion, as R
    ``survfit`` computes them). The log-rank statistic is Σ (O − E)ᵀ V⁻¹ (O − E) on k − 1 df
    (Mantel–Haenszel), as R's ``survdiff``.

    Examples
    --------
    >>> df = pd.DataFrame({"day": [5, 7, 7, 9, 12, 14, 6, 9, 11, 13, 14, 14],
    ...                    "rooted": [1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 0],
    ...                    "iba": ["IBA1000"] * 6 + ["CK"] * 6})
    >>> res = time_to_event(df, "day", "rooted", "iba")
    >>> res.medians["median"].to_dict()  # IBA1000: S = 0.5 from day 7 to 9, so R's midpoint 8
    {'CK': 13.0, 'IBA1000': 8.0}
    >>> res.test["df"], round(res.test["p_value"], 3)
    (1, 0.216)

    Time to rooting of star anise cuttings in the demo workspace:

    >>> import genelab
    >>> ws = genelab.open_workspace(genelab.demo_path())
    >>> res = time_to_event(ws.rooting, "day", "rooted", "treatment")
    >>> res.medians["median"].dropna().to_dict()
    {'IBA1000': 59.0, 'IBA2000': 44.0}
    >>> bool(res.test["p_value"] < 0.001)
    True
    """
    from statsmodels.duration.survfunc import SurvfuncRight, survdiff

    if not isinstance(data, pd.DataFrame):
        raise DesignError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in (time, event, group) if c not in data.columns]
    if missing:
        raise DesignError(f"data has no column(s) {missing}; available: {list(map(str, data.columns))}")
    if conf_type not in ("log", "log-log", "plain"):
        raise DesignError(f"conf_type must be 'log', 'log-log' or 'plain', got {conf_type!r}")
    if not (isinstance(alpha, (int, float)) and 0 < alpha < 1):
        raise DesignError(f"alpha must be a number between 0 and 1, got {alpha!r}")
    for col in (time, event, group):
        if data[col].isna().any():
            row = data.index[data[col].isna()][0]
            raise DesignError(f"column '{col}' has a missing value (row {row!r})")
    t = pd.to_numeric(data[time], errors="coerce")
    if t.isna().any() or (t < 0).any():
        row = data.index[t.isna() | (t < 0)][0]
        raise DesignError(f"'{time}' must be a time of 0 or more; row {row!r} has {data[time][row]!r}")
    ev = data[event]
    if ev.dtype == bool:
        ev = ev.astype(int)
    evn = pd.to_numeric(ev, errors="coerce")
    if not evn.isin([0, 1]).all():
        row = data.index[~evn.isin([0, 1])][0]
        raise DesignError(f"'{event}' must be 1 (event) or 0 (censored); row {row!r} has {data[event][row]!r}")
    levels = _levels(data[group])
    z = stats.norm.ppf(1 - alpha / 2)
    tt, ee, gg = t.to_numpy(float), evn.to_numpy(int), data[group].to_numpy()

    curves, medians, cens = [], [], []
    for lv in levels:
        mask = gg == lv
        ti, ei = tt[mask], ee[mask]
        n = int(mask.sum())
        if ei.sum() == 0:
            times = np.array([0.0])
            s = se = np.array([1.0])
            risk, evs = np.array([n]), np.array([0])
        else:
            sf = SurvfuncRight(ti, ei)
            times = np.concatenate([[0.0], sf.surv_times])
            s = np.concatenate([[1.0], sf.surv_prob])
            se = np.concatenate([[0.0], sf.surv_prob_se])
            risk = np.concatenate([[n], sf.n_risk]).astype(int)
            evs = np.concatenate([[0], sf.n_events]).astype(int)
        lo, hi = _band(s, se, z, conf_type)
        curves.append(pd.DataFrame({"group": lv, "time": times, "n_risk": risk, "events": evs, "survival": s,
                                    "se": se, "ci_low": lo, "ci_high": hi, "cumulative": 1 - s}))
        # the lower band reaches 0.5 first (lower time limit), the upper band last
        medians.append((lv, n, int(ei.sum()), _quantile_time(times, s), _quantile_time(times, lo),
                        _quantile_time(times, hi)))
        ct = ti[ei == 0]
        idx = np.searchsorted(times, ct, side="right") - 1
        cens.append(pd.DataFrame({"group": lv, "time": ct, "survival": s[idx]}))

    table = pd.concat(curves, ignore_index=True)
    med = pd.DataFrame(medians, columns=["group", "n", "events", "median", "ci_low", "ci_high"]).set_index("group")
    if len(levels) < 2:
        test = {"chisq": math.nan, "df": 0, "p_value": math.nan, "method": "log-rank"}
        pairwise = pd.DataFrame(columns=["pair", "chisq", "p_value", "p_unadjusted"])
    elif ee.sum() == 0:
        raise DesignError(f"no events in '{event}': nothing to compare (every observation is censored)")
    else:
        chisq, p = survdiff(tt, ee, gg)
        test = {"chisq": float(chisq), "df": len(levels) - 1, "p_value": float(p), "method": "log-rank"}
        rows = []
        for a, b in combinations(levels, 2):
            m = (gg == a) | (gg == b)
            if ee[m].sum() == 0:
                rows.append((f"{a} - {b}", 0.0, 1.0))
                continue
            c2, p2 = survdiff(tt[m], ee[m], gg[m])
            rows.append((f"{a} - {b}", float(c2), float(p2)))
        pairwise = pd.DataFrame(rows, columns=["pair", "chisq", "p_unadjusted"])
        pairwise["p_value"] = _adjust(pairwise["p_unadjusted"].to_numpy(), "holm")
        pairwise = pairwise[["pair", "chisq", "p_value", "p_unadjusted"]]
    return TimeToEventResult(table=table, medians=med, test=test, pairwise=pairwise,
                             censored=pd.concat(cens, ignore_index=True))
