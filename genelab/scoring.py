"""Value and priority scoring of gene sources: AHP weights, WSM/TOPSIS/VIKOR, sensitivity.

The programme must rank its gene sources on several criteria (threat of genetic erosion,
rarity, economic and cultural value, market potential, propagation feasibility, cost of
conservation), choose at least ten to restore first, and show that the choice survives
reasonable changes of the weights.  The workflow is

1. :func:`criteria_from_config` — the ``[scoring]`` section of ``genelab.toml`` as a criteria
   table (weights given directly or derived by :func:`ahp` from a pairwise matrix);
2. :func:`score` — the weighted score and rank of every source, with each criterion's
   contribution so a manager can see *why* a source ranks where it does;
3. :func:`sensitivity` — the same ranking under weights drawn from a Dirichlet distribution
   around the chosen weights (vectorised over the draws);
4. :func:`priority_classes` — A/B/C classes from the score and the IUCN threat category and
   the list proposed for restoration.

Examples
--------
>>> import pandas as pd
>>> criteria = pd.DataFrame({"criterion": ["threat", "value", "cost"],
...                          "direction": ["benefit", "benefit", "cost"],
...                          "weight": [0.5, 0.3, 0.2]})
>>> assessments = pd.DataFrame({
...     "source_id": ["HOI-001"] * 3 + ["QUY-002"] * 3 + ["GA-003"] * 3,
...     "criterion": ["threat", "value", "cost"] * 3,
...     "value": [5, 3, 2, 3, 5, 4, 1, 2, 1]})
>>> res = score(assessments, criteria)
>>> res.table[["score", "rank"]].round(3).reset_index()
  source_id  score  rank
0   HOI-001  0.733     1
1   QUY-002  0.550     2
2    GA-003  0.200     3

On the demo workspace (criteria and AHP matrix from its genelab.toml):

>>> import genelab
>>> ws = genelab.open_workspace(genelab.demo_path())
>>> crit = criteria_from_config(ws)
>>> res = score(ws.assessments, crit, sources=ws.sources)
>>> len(res.table), res.table.index[0], round(float(res.table["score"].iloc[0]), 3)
(65, 'KTL-001', 0.761)
>>> pc = priority_classes(res, ws.sources, target=ws.config["targets"]["restored"])
>>> len(pc.proposed) >= 10
True
>>> stab = sensitivity(ws.assessments, crit, n=1000, seed=ws.config["seed"])
>>> stab.table.loc["KTL-001", ["median_rank", "rank_low", "rank_high"]].tolist()
[1, 1, 3]
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from genelab._ahp import RANDOM_INDEX, AhpResult, ahp
from genelab._result import Result
from genelab.errors import ConfigError, Problem, ValidationError

__all__ = [
    "RANDOM_INDEX",
    "METHODS",
    "IUCN_LEVELS",
    "AhpResult",
    "ScoreResult",
    "SensitivityResult",
    "PriorityResult",
    "ahp",
    "criteria_from_config",
    "score",
    "sensitivity",
    "priority_classes",
]

METHODS = ("wsm", "topsis", "vikor")

#: IUCN Red List categories (lower-case codes) → threat level used by :func:`priority_classes`.
IUCN_LEVELS = {"ex": "extinct", "ew": "high", "cr": "high", "en": "high", "vu": "medium",
               "nt": "medium", "dd": "medium", "ne": "medium", "lc": "low"}

_RESERVED = {"source_id", "score", "rank", "vikor_s", "vikor_r", "vikor_q"}
_TIE = 1e-10  # scores (all in [0, 1]) closer than this are ties


# --------------------------------------------------------------------------------------
# criteria
# --------------------------------------------------------------------------------------
def _scoring_section(config) -> Mapping:
    if hasattr(config, "config") and not isinstance(config, Mapping):
        config = config.config
    if isinstance(config, (str, Path)):
        path = Path(config)
        if path.is_dir():
            path = path / "genelab.toml"
        try:
            config = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"no genelab.toml at {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    if not isinstance(config, Mapping):
        raise ConfigError("criteria_from_config needs the genelab.toml contents (a mapping), its path "
                          f"or a workspace; got {type(config).__name__}")
    if "scoring" in config:
        return config["scoring"]
    if "criteria" in config:
        return config
    raise ConfigError("genelab.toml has no [scoring] section (criteria, and weights or an ahp matrix)")


def criteria_from_config(config) -> pd.DataFrame:
    """The scoring criteria declared in ``genelab.toml`` as a table.

    Parameters
    ----------
    config : mapping, path or workspace
        The parsed ``genelab.toml`` (or its ``[scoring]`` section), the path of the file or of
        the workspace folder, or an object with a ``config`` mapping (a ``Workspace``).

    Returns
    -------
    DataFrame
        One row per criterion in the declared order, columns ``criterion, label_vi,
        label_en, direction`` (``benefit``/``cost``), ``scale_min, scale_max`` (NaN when no
        scale is declared) and ``weight`` (summing to 1: the AHP eigenvector when an ``ahp``
        matrix is given, else each criterion's ``weight`` rescaled to sum 1).
        ``attrs`` holds ``method`` (``[scoring] method``, default ``"wsm"``) and, for AHP,
        ``ahp_cr``, ``ahp_lambda_max``.

    Raises
    ------
    ConfigError
        Missing or duplicated criteria, an unknown direction, a bad scale, weights missing or
        given twice (both ``ahp`` and per-criterion ``weight``), an inconsistent AHP matrix.

    Examples
    --------
    >>> cfg = {"scoring": {"criteria": ["threat", "cost"], "ahp": [[1, 3], ["1/3", 1]],
    ...        "criterion": {"threat": {"direction": "benefit", "scale": [1, 5]},
    ...                      "cost": {"direction": "cost", "scale": [1, 5]}}}}
    >>> criteria_from_config(cfg)[["criterion", "direction", "weight"]]
      criterion direction  weight
    0    threat   benefit    0.75
    1      cost      cost    0.25
    """
    sec = _scoring_section(config)
    names = sec.get("criteria")
    if not isinstance(names, (list, tuple)) or not names or not all(isinstance(x, str) and x for x in names):
        raise ConfigError("[scoring] criteria must be a non-empty list of criterion codes")
    dup = sorted({x for x in names if list(names).count(x) > 1})
    if dup:
        raise ConfigError(f"[scoring] criteria lists {', '.join(dup)} more than once")
    clash = sorted(set(names) & _RESERVED)
    if clash:
        raise ConfigError(f"criterion codes {clash} are reserved column names; rename them")
    method = sec.get("method", "wsm")
    if method not in METHODS:
        raise ConfigError(f"[scoring] method = {method!r}: use one of {', '.join(METHODS)}")
    specs = sec.get("criterion", {}) or {}
    rows = []
    for name in names:
        spec = specs.get(name)
        if not isinstance(spec, Mapping):
            raise ConfigError(f"criterion {name!r} has no [scoring.criterion.{name}] section "
                              "(direction, scale, labels)")
        direction = spec.get("direction", "benefit")
        if direction not in ("benefit", "cost"):
            raise ConfigError(f"[scoring.criterion.{name}] direction = {direction!r}: use 'benefit' or 'cost'")
        scale = spec.get("scale")
        lo = hi = math.nan
        if scale is not None:
            if (not isinstance(scale, (list, tuple)) or len(scale) != 2
                    or not all(isinstance(x, (int, float)) for x in scale) or not scale[0] < scale[1]):
                raise ConfigError(f"[scoring.criterion.{name}] scale = {scale!r}: give [min, max] with min < max")
            lo, hi = float(scale[0]), float(scale[1])
        rows.append({"criterion": name, "label_vi": str(spec.get("label_vi", name)),
                     "label_en": str(spec.get("label_en", name)), "direction": direction,
                     "scale_min": lo, "scale_max": hi, "weight": spec.get("weight")})
    table = pd.DataFrame(rows)
    given = [r["criterion"] for r in rows if r["weight"] is not None]
    attrs: dict[str, Any] = {"method": method}
    if sec.get("ahp") is not None:
        if given:
            raise ConfigError(f"[scoring] has an ahp matrix and also weights for {', '.join(given)}: "
                              "give one or the other")
        res = ahp(sec["ahp"], labels=list(names))
        table["weight"] = res.weights.to_numpy()
        attrs.update(ahp_cr=res.cr, ahp_lambda_max=res.lambda_max)
    else:
        missing = [r["criterion"] for r in rows if r["weight"] is None]
        if missing:
            raise ConfigError(f"no weight for criteria {', '.join(missing)}: give [scoring.criterion.<name>] "
                              "weight for each, or an ahp matrix in [scoring]")
        table["weight"] = _check_weights(table["weight"], table["criterion"])
    table.attrs.update(attrs)
    return table


def _check_weights(weights, names) -> np.ndarray:
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise ConfigError(f"criterion weights must be numbers; got {list(weights)}") from None
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ConfigError("criterion weights must be finite, ≥ 0 and not all 0; got "
                          + ", ".join(f"{n}={x}" for n, x in zip(names, w)))
    return w / w.sum()


def _criteria_table(criteria) -> pd.DataFrame:
    if not isinstance(criteria, pd.DataFrame):
        return criteria_from_config(criteria)
    need = {"criterion", "direction", "weight"} - set(criteria.columns)
    if need:
        raise ConfigError(f"the criteria table lacks columns {sorted(need)} "
                          "(criterion, direction, weight; optional scale_min, scale_max)")
    t = criteria.reset_index(drop=True).copy()
    t["criterion"] = t["criterion"].astype(str)
    dup = t["criterion"][t["criterion"].duplicated()].tolist()
    if dup:
        raise ConfigError(f"criteria listed more than once: {dup}")
    clash = sorted(set(t["criterion"]) & _RESERVED)
    if clash:
        raise ConfigError(f"criterion codes {clash} are reserved column names; rename them")
    bad = sorted(set(t["direction"]) - {"benefit", "cost"})
    if bad:
        raise ConfigError(f"criterion direction must be 'benefit' or 'cost'; got {bad}")
    for col in ("scale_min", "scale_max"):
        if col not in t:
            t[col] = np.nan
    for col in ("label_vi", "label_en"):
        if col not in t:
            t[col] = t["criterion"]
    t["weight"] = _check_weights(t["weight"], t["criterion"])
    t.attrs.update(criteria.attrs)
    return t


# --------------------------------------------------------------------------------------
# decision matrix
# --------------------------------------------------------------------------------------
def _decision_matrix(assessments: pd.DataFrame, crit: pd.DataFrame, sources=None) -> pd.DataFrame:
    """Sources × criteria matrix from long assessments; every problem named."""
    if not isinstance(assessments, pd.DataFrame):
        raise ConfigError("assessments must be a DataFrame with columns source_id, criterion, value")
    need = {"source_id", "criterion", "value"} - set(assessments.columns)
    if need:
        raise ConfigError(f"assessments lack columns {sorted(need)} (source_id, criterion, value)")
    f = "assessments"
    problems: list[Problem] = []
    data = assessments.reset_index(drop=True)
    value = pd.to_numeric(data["value"], errors="coerce")
    for i in np.flatnonzero(value.isna() & data["value"].notna()):
        problems.append(Problem(f, int(i) + 2, "value", data["value"].iat[i], "not a number"))
    names = list(crit["criterion"])
    unknown = ~data["criterion"].isin(names)
    for i in np.flatnonzero(unknown):
        problems.append(Problem(f, int(i) + 2, "criterion", data["criterion"].iat[i],
                                f"not a scoring criterion (expected one of {', '.join(names)})"))
    dup = data.duplicated(["source_id", "criterion"], keep="first")
    for i in np.flatnonzero(dup):
        problems.append(Problem(f, int(i) + 2, "criterion", data["criterion"].iat[i],
                                f"source {data['source_id'].iat[i]} is assessed twice on this criterion"))
    for c in crit.itertuples():
        lo, hi = c.scale_min, c.scale_max
        if np.isfinite(lo):
            rows = np.flatnonzero((data["criterion"] == c.criterion) & ((value < lo) | (value > hi)))
            for i in rows:
                problems.append(Problem(f, int(i) + 2, "value", value.iat[i],
                                        f"outside the scale [{lo:g}, {hi:g}] of criterion {c.criterion}"))
    ok = ~unknown & ~dup
    wide = (data.loc[ok].assign(value=value[ok])
            .pivot(index="source_id", columns="criterion", values="value"))
    ids = sorted(set(wide.index) | (set(_source_ids(sources)) if sources is not None else set()))
    wide = wide.reindex(index=pd.Index(ids, name="source_id"), columns=names)
    missing = np.argwhere(wide.isna().to_numpy())
    for r, c in missing:
        problems.append(Problem(f, None, "value", None,
                                f"no assessment of source {ids[r]} on criterion {names[c]}"))
    if problems:
        raise ValidationError(problems[:200], total=len(problems))
    if len(ids) < 2:
        raise ConfigError("scoring needs at least two assessed sources")
    return wide.astype(float)


def _source_ids(sources) -> list:
    if isinstance(sources, pd.DataFrame):
        return list(sources["source_id"]) if "source_id" in sources else list(sources.index)
    return list(sources)


def _prepare(x: np.ndarray, crit: pd.DataFrame, method: str, normalization: str | None):
    """Method-specific normalised matrix (m × k), benefit-oriented."""
    cost = (crit["direction"] == "cost").to_numpy()
    if method == "wsm":
        lo, hi = crit["scale_min"].to_numpy(float), crit["scale_max"].to_numpy(float)
        if normalization is None:
            normalization = "scale" if np.all(np.isfinite(lo)) else "minmax"
        if normalization == "scale":
            if not np.all(np.isfinite(lo)):
                raise ConfigError("normalization='scale' needs a scale for every criterion")
        elif normalization == "minmax":
            lo, hi = x.min(axis=0), x.max(axis=0)
        else:
            raise ConfigError(f"normalization={normalization!r}: use 'scale' or 'minmax' (WSM only)")
        span = hi - lo
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(cost, hi - x, x - lo) / span
        return np.where(span > 0, r, 1.0), normalization
    if normalization is not None:
        raise ConfigError(f"normalization applies to WSM only; {method} uses its own (see score)")
    if method == "topsis":
        norm = np.sqrt((x ** 2).sum(axis=0))
        r = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
        return np.where(cost, -r, r), "vector"
    best = np.where(cost, x.min(axis=0), x.max(axis=0))
    worst = np.where(cost, x.max(axis=0), x.min(axis=0))
    span = best - worst
    regret = np.divide(best - x, span, out=np.zeros_like(x), where=span != 0)
    return regret, "linear"


def _scores(method: str, r: np.ndarray, w: np.ndarray, v: float = 0.5) -> np.ndarray:
    """Scores (d × m, higher is better) for d weight vectors (d × k) at once."""
    if method == "wsm":
        return w @ r.T
    if method == "topsis":
        w2 = w * w
        dp = np.sqrt(w2 @ ((r.max(axis=0) - r) ** 2).T)
        dm = np.sqrt(w2 @ ((r - r.min(axis=0)) ** 2).T)
        tot = dp + dm
        return np.divide(dm, tot, out=np.full_like(tot, 0.5), where=tot > 0)
    s = w @ r.T
    rr = (w[:, None, :] * r[None, :, :]).max(axis=2)
    q = v * _unit(s) + (1 - v) * _unit(rr)
    return 1.0 - q


def _vikor_parts(r: np.ndarray, w: np.ndarray, v: float):
    s = r @ w
    rr = (r * w).max(axis=1)
    q = v * _unit(s[None])[0] + (1 - v) * _unit(rr[None])[0]
    return s, rr, q


def _unit(a: np.ndarray) -> np.ndarray:
    """(a - row min) / (row max - row min), 0 where a row is constant."""
    lo = a.min(axis=1, keepdims=True)
    span = a.max(axis=1, keepdims=True) - lo
    return np.divide(a - lo, span, out=np.zeros_like(a), where=span > 0)


def _ranks(s: np.ndarray, scatter: bool = True):
    """Competition ranks (1, 2, 2, 4) of each row of scores s (d × m), highest first.

    Returns (ranks, order, first): ``order[d, p]`` is the source at position p and
    ``first[d, p]`` the rank of that position.
    """
    order = np.argsort(-s, axis=1, kind="stable")
    sorted_s = np.take_along_axis(s, order, axis=1)
    m = s.shape[1]
    new = np.ones_like(sorted_s, dtype=bool)
    new[:, 1:] = (sorted_s[:, :-1] - sorted_s[:, 1:]) > _TIE
    pos = np.where(new, np.arange(1, m + 1), 0)
    first = np.maximum.accumulate(pos, axis=1)
    if not scatter:
        return order, first
    ranks = np.empty_like(first)
    np.put_along_axis(ranks, order, first, axis=1)
    return ranks, order, first


# --------------------------------------------------------------------------------------
# score
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreResult(Result):
    """Scores and ranks of the sources; see :func:`score`."""

    table: pd.DataFrame
    method: str
    normalization: str
    weights: pd.Series
    normalized: pd.DataFrame = field(repr=False)
    criteria: pd.DataFrame = field(repr=False)
    compromise: list = field(default_factory=list)


def _vikor_compromise(table: pd.DataFrame) -> list:
    """Opricovic & Tzeng (2004) compromise solution from the Q, S and R columns."""
    q = table["vikor_q"]
    order = list(q.sort_values(kind="stable").index)
    dq = 1.0 / (len(order) - 1)
    first = order[0]
    c1 = q[order[1]] - q[first] >= dq - 1e-12
    c2 = (table["vikor_s"][first] <= table["vikor_s"].min() + _TIE
          or table["vikor_r"][first] <= table["vikor_r"].min() + _TIE)
    if c1 and c2:
        return [first]
    if c1:
        return order[:2]
    return [a for a in order if q[a] - q[first] < dq - 1e-12]


def score(assessments: pd.DataFrame, criteria, *, method: str | None = None, v: float = 0.5,
          normalization: str | None = None, sources=None) -> ScoreResult:
    """Weighted multi-criteria score and rank of every assessed source.

    Every method first turns the raw values into a benefit-oriented matrix (cost criteria
    inverted) and scores each source in [0, 1], higher is better:

    * ``"wsm"`` — weighted sum model, ``score_i = sum_j w_j r_ij``.  Normalisation
      ``"scale"`` (default when every criterion declares a scale): ``r = (x - min)/(max -
      min)`` over the declared scale, ``(max - x)/(max - min)`` for cost criteria, so
      scores do not move when sources are added; ``"minmax"``: the same over the observed
      values (a criterion on which all sources are equal gives r = 1 to all, as pymcdm).
      Contributions ``w_j r_ij`` add up to the score.
    * ``"topsis"`` — Hwang & Yoon (1981): vector normalisation ``r = x / ||x||`` per
      criterion, weighted ``w_j r_ij``, ideal (best: max for benefit, min for cost) and
      anti-ideal points, Euclidean distances D+ and D-, ``score = D- / (D+ + D-)``
      (0.5 to all when every source is identical).
    * ``"vikor"`` — Opricovic (1998): linear normalisation ``d_ij = (f*_j - x_ij) / (f*_j -
      f-_j)`` (f* best, f- worst; d = 0 on a criterion where all are equal), group utility
      ``S = sum w_j d_ij``, individual regret ``R = max w_j d_ij``, ``Q = v (S - S*)/(S- - S*)
      + (1 - v)(R - R*)/(R- - R*)`` (a term is 0 when its range is 0); ``score = 1 - Q``;
      columns ``vikor_s, vikor_r, vikor_q`` keep Opricovic's values (lower is better), and
      ``compromise`` lists the compromise solution (Opricovic & Tzeng 2004): the best source
      by Q alone when it has an acceptable advantage (``Q2 - Q1 ≥ 1/(m - 1)``) and is also
      best by S or R; the best two when only the second condition fails; else every source
      whose Q is within ``1/(m - 1)`` of the best.

    For TOPSIS and VIKOR, whose scores are not sums, a criterion's contribution is the
    score shared out in proportion to ``w_j`` times the source's achievement on it,
    ``(x - worst)/(best - worst)``, so the bars of a chart stack to the score.

    Ties: scores equal to within 1e-10 share the best rank of their group and the next
    rank is skipped (competition ranking 1, 2, 2, 4); tied sources are listed by source_id.

    Parameters
    ----------
    assessments : DataFrame
        Long table ``source_id, criterion, value`` (one row per source and criterion).
    criteria : DataFrame or config
        Columns ``criterion, direction, weight`` (``scale_min, scale_max, label_vi,
        label_en`` optional), or whatever :func:`criteria_from_config` accepts.
        Weights are rescaled to sum to 1.
    method : {"wsm", "topsis", "vikor"}, optional
        Default: the config's ``[scoring] method`` (``criteria.attrs["method"]``), else wsm.
    v : float
        VIKOR weight of the group-utility strategy (0.5 = consensus).
    normalization : {"scale", "minmax"}, optional
        WSM only (see above).
    sources : iterable or DataFrame, optional
        Source ids that must all be scored (an unassessed one is an error, not a drop).

    Returns
    -------
    ScoreResult
        ``table`` indexed by source_id in rank order: ``score``, ``rank``, one column per
        criterion with its contribution (and ``vikor_s, vikor_r, vikor_q`` for VIKOR);
        ``normalized`` (sources × criteria, benefit-oriented achievement in [0, 1]),
        ``weights``, ``criteria``, ``method``, ``normalization``, ``compromise`` (VIKOR only).

    Raises
    ------
    ValidationError
        Non-numeric or out-of-scale values, duplicates, unknown criteria, and every missing
        (source, criterion) assessment, each named.

    Examples
    --------
    >>> import pandas as pd
    >>> crit = pd.DataFrame({"criterion": ["a", "b"], "direction": ["benefit", "cost"],
    ...                      "weight": [0.6, 0.4]})
    >>> data = pd.DataFrame({"source_id": ["S1", "S1", "S2", "S2", "S3", "S3"],
    ...                      "criterion": ["a", "b"] * 3, "value": [3, 1, 5, 5, 1, 2]})
    >>> score(data, crit, method="topsis").table["rank"].to_dict()
    {'S1': 1, 'S2': 2, 'S3': 3}
    """
    return _score(*_setup(assessments, criteria, method, v, normalization, sources), v)


def _setup(assessments, criteria, method, v, normalization, sources):
    crit = _criteria_table(criteria)
    method = method or crit.attrs.get("method", "wsm")
    if method not in METHODS:
        raise ConfigError(f"method={method!r}: use one of {', '.join(METHODS)}")
    if not 0 <= v <= 1:
        raise ConfigError(f"v={v}: the VIKOR strategy weight must lie in [0, 1]")
    wide = _decision_matrix(assessments, crit, sources)
    r, norm = _prepare(wide.to_numpy(), crit, method, normalization)
    return crit, method, wide, r, norm


def _score(crit, method, wide, r, norm, v) -> ScoreResult:
    x = wide.to_numpy()
    w = crit["weight"].to_numpy(float)
    s = _scores(method, r, w[None, :], v)[0]
    names = list(crit["criterion"])
    cost = (crit["direction"] == "cost").to_numpy()
    best = np.where(cost, x.min(axis=0), x.max(axis=0))
    worst = np.where(cost, x.max(axis=0), x.min(axis=0))
    span = best - worst
    achieve = np.divide(x - worst, span, out=np.ones_like(x), where=span != 0)
    if method == "wsm":
        achieve = r
        contrib = r * w
    else:
        g = achieve * w
        tot = g.sum(axis=1, keepdims=True)
        share = np.divide(g, tot, out=np.broadcast_to(w, g.shape).copy(), where=tot > 0)
        contrib = s[:, None] * share
    ranks = _ranks(s[None])[0][0]
    table = pd.DataFrame(contrib, index=wide.index, columns=names)
    table.insert(0, "rank", ranks)
    table.insert(0, "score", s)
    if method == "vikor":
        vs, vr, vq = _vikor_parts(r, w, v)
        table["vikor_s"], table["vikor_r"], table["vikor_q"] = vs, vr, vq
    table = table.sort_values("rank", kind="stable")  # rows were in source_id order
    table.index.name = "source_id"
    normalized = pd.DataFrame(achieve, index=wide.index, columns=names).loc[table.index]
    weights = pd.Series(w, index=pd.Index(names, name="criterion"), name="weight")
    return ScoreResult(table=table, method=method, normalization=norm, weights=weights,
                       normalized=normalized, criteria=crit,
                       compromise=_vikor_compromise(table) if method == "vikor" else [])


# --------------------------------------------------------------------------------------
# sensitivity
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SensitivityResult(Result):
    """Rank stability under perturbed weights; see :func:`sensitivity`."""

    table: pd.DataFrame
    rank_distribution: pd.DataFrame = field(repr=False)
    weight_summary: pd.DataFrame = field(repr=False)
    method: str = "wsm"
    n: int = 0
    concentration: float = 0.0
    seed: int | None = None
    top: int = 10


def _dirichlet_weights(w: np.ndarray, n: int, concentration: float, seed) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pos = w > 0
    out = np.zeros((n, w.size))
    if pos.sum() == 1:
        out[:, pos] = 1.0
    else:
        out[:, pos] = rng.dirichlet(concentration * w[pos], size=n)
    return out


def _rank_summary(order, first, m, top):
    d = order.shape[0]
    counts = np.bincount((order * m + (first - 1)).ravel(), minlength=m * m).reshape(m, m)
    prob = counts / d
    cdf = np.cumsum(prob, axis=1)

    def q(p):
        return np.argmax(cdf >= p - 1e-12, axis=1) + 1

    p_top = prob[:, :top].sum(axis=1)
    mean_rank = prob @ np.arange(1, m + 1)
    return prob, q(0.5), q(0.05), q(0.95), p_top, mean_rank


def sensitivity(assessments: pd.DataFrame, criteria, *, method: str | None = None, n: int = 1000,
                concentration: float = 100.0, seed, top: int = 10, v: float = 0.5,
                normalization: str | None = None, sources=None) -> SensitivityResult:
    """How stable each source's rank is when the weights change.

    ``n`` weight vectors are drawn from a Dirichlet distribution centred on the chosen
    weights ``w``: ``Dirichlet(concentration * w)`` has mean ``w`` and standard deviation
    ``sqrt(w_j (1 - w_j) / (concentration + 1))`` (with the default 100 a weight of 0.15
    varies by about ±0.036, a coefficient of variation near 24 %).  A zero weight stays
    zero.  Every draw is scored and ranked as :func:`score` does (same normalisation and
    tie rule), all draws at once as matrix operations.

    Parameters
    ----------
    assessments, criteria, method, v, normalization, sources
        As for :func:`score`.
    n : int
        Number of weight draws.
    concentration : float
        Dirichlet concentration; larger means weights closer to the chosen ones.
    seed : int
        Seed of the random generator (required: the same seed gives the same result).
    top : int
        ``p_top`` is the probability of a rank ≤ ``top`` (the programme's restoration target).

    Returns
    -------
    SensitivityResult
        ``table`` indexed by source_id in the order of the base ranking: ``score``,
        ``rank`` (at the chosen weights), ``median_rank``, ``rank_low`` and ``rank_high``
        (5 % and 95 % quantiles: a 90 % rank interval; quantiles are ranks actually
        reached, the inverse of the empirical distribution), ``mean_rank``, ``p_top``;
        ``rank_distribution`` (sources × ranks 1…m, the share of draws giving each rank);
        ``weight_summary`` (per criterion: ``weight, mean, sd, q05, q95`` of the draws).

    Examples
    --------
    >>> import pandas as pd
    >>> crit = pd.DataFrame({"criterion": ["a", "b"], "direction": ["benefit", "benefit"],
    ...                      "weight": [0.6, 0.4]})
    >>> data = pd.DataFrame({"source_id": ["S1", "S1", "S2", "S2", "S3", "S3"],
    ...                      "criterion": ["a", "b"] * 3, "value": [5, 1, 1, 3, 3, 3]})
    >>> res = sensitivity(data, crit, n=200, seed=1, top=1)
    >>> res.table[["rank", "median_rank", "rank_high", "p_top"]].reset_index()
      source_id  rank  median_rank  rank_high  p_top
    0        S3     1            1          2  0.915
    1        S1     2            2          2  0.085
    2        S2     3            3          3  0.000
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ConfigError(f"n={n!r}: the number of weight draws must be a positive integer")
    if not concentration > 0:
        raise ConfigError(f"concentration={concentration!r} must be > 0")
    setup = _setup(assessments, criteria, method, v, normalization, sources)
    base = _score(*setup, v)
    wide, r = setup[2], setup[3]
    w = base.weights.to_numpy()
    m = r.shape[0]
    top = int(min(max(top, 1), m))
    draws = _dirichlet_weights(w, int(n), float(concentration), seed)
    s = _scores(base.method, r, draws, v)
    order, first = _ranks(s, scatter=False)
    prob, med, lo, hi, p_top, mean_rank = _rank_summary(order, first, m, top)
    ids = wide.index
    table = pd.DataFrame({"median_rank": med, "rank_low": lo, "rank_high": hi,
                          "mean_rank": mean_rank, "p_top": p_top}, index=ids)
    table = base.table[["score", "rank"]].join(table)
    dist = pd.DataFrame(prob, index=ids, columns=pd.RangeIndex(1, m + 1, name="rank")).loc[table.index]
    ws = pd.DataFrame({"weight": w, "mean": draws.mean(axis=0), "sd": draws.std(axis=0, ddof=1),
                       "q05": np.quantile(draws, 0.05, axis=0), "q95": np.quantile(draws, 0.95, axis=0)},
                      index=base.weights.index)
    return SensitivityResult(table=table, rank_distribution=dist, weight_summary=ws, method=base.method,
                             n=int(n), concentration=float(concentration),
                             seed=None if seed is None else int(seed), top=top)


# --------------------------------------------------------------------------------------
# priority classes
# --------------------------------------------------------------------------------------
_CLASS_MATRIX = {("high", "high"): "A", ("high", "medium"): "A", ("high", "low"): "B",
                 ("medium", "high"): "A", ("medium", "medium"): "B", ("medium", "low"): "C",
                 ("low", "high"): "B", ("low", "medium"): "C", ("low", "low"): "C"}


@dataclass(frozen=True)
class PriorityResult(Result):
    """Priority classes and the restoration proposal; see :func:`priority_classes`."""

    table: pd.DataFrame
    proposed: list
    target: int
    target_met: bool
    rule: str


_RULE = ("score tier: top third of ranks = high, middle third = medium, bottom third = low; "
         "threat level from IUCN: EW, CR, EN = high; VU, NT, DD, NE = medium; LC = low; "
         "class A = high score with high or medium threat, or medium score with high threat; "
         "class C = low score with medium or low threat, or medium score with low threat; "
         "class B = the rest; EX sources are class C and never proposed. "
         "Proposed for restoration: every class-A source in rank order, then class-B sources "
         "in rank order until the target is reached.")


def priority_classes(score_result: ScoreResult, sources: pd.DataFrame, *, target: int = 10,
                     threat: str = "threat", stability: SensitivityResult | None = None) -> PriorityResult:
    """A/B/C priority classes from the score and the IUCN threat, and the restoration list.

    The rule (also in ``result.rule``): each source gets a *score tier* from its rank among
    the m scored sources (rank ≤ ⌈m/3⌉ high, ≤ ⌈2m/3⌉ medium, else low) and a *threat level*
    from its IUCN Red List category (EW, CR, EN high; VU, NT, DD, NE medium — data-deficient
    and not-evaluated sources are treated as possibly threatened, the precautionary
    reading; LC low).  Then

    ==============  ======  =======  =====
    score \\ threat  high    medium   low
    ==============  ======  =======  =====
    high            A       A        B
    medium          A       B        C
    low             B       C        C
    ==============  ======  =======  =====

    Extinct (EX) sources are class C and never proposed.  The list proposed for restoration
    is every class-A source in rank order, topped up with class-B sources in rank order
    until it holds ``target`` sources (so it holds at least the target when enough A and B
    sources exist; ``target_met`` says whether it does).

    Parameters
    ----------
    score_result : ScoreResult
        From :func:`score`.
    sources : DataFrame
        The sources table (``source_id`` column or index, and the IUCN code column).
    target : int
        Programme target of sources to restore (``[targets] restored``).
    threat : str
        Column of ``sources`` with the IUCN code (case-insensitive).
    stability : SensitivityResult, optional
        From :func:`sensitivity` on the same data: its ``median_rank``, ``rank_low``,
        ``rank_high`` and ``p_top`` are added to the table (they do not change the classes).

    Returns
    -------
    PriorityResult
        ``table`` indexed by source_id in rank order: ``score, rank, threat, threat_level,
        score_tier, priority_class, proposed, proposal_order`` (and ``name_vi`` when the
        sources table has it; ``median_rank, rank_low, rank_high, p_top`` with ``stability``);
        ``proposed`` (list of source ids), ``target``,
        ``target_met``, ``rule``.

    Examples
    --------
    >>> import pandas as pd
    >>> crit = pd.DataFrame({"criterion": ["a"], "direction": ["benefit"], "weight": [1.0]})
    >>> data = pd.DataFrame({"source_id": ["S1", "S2", "S3"], "criterion": "a", "value": [3, 2, 1]})
    >>> src = pd.DataFrame({"source_id": ["S1", "S2", "S3"], "threat": ["lc", "en", "vu"]})
    >>> pc = priority_classes(score(data, crit), src, target=2)
    >>> pc.table["priority_class"].tolist(), pc.proposed
    (['B', 'A', 'C'], ['S2', 'S1'])
    """
    if not isinstance(score_result, ScoreResult):
        raise ConfigError("priority_classes needs the result of genelab.scoring.score")
    if not isinstance(sources, pd.DataFrame):
        raise ConfigError("sources must be the sources table (a DataFrame)")
    src = sources.set_index("source_id") if "source_id" in sources.columns else sources
    if threat not in src.columns:
        raise ConfigError(f"the sources table has no column {threat!r} with IUCN threat codes")
    if not isinstance(target, (int, np.integer)) or target < 1:
        raise ConfigError(f"target={target!r} must be a positive integer")
    t = score_result.table[["score", "rank"]].copy()
    missing = [s for s in t.index if s not in src.index]
    problems = [Problem("sources", None, "source_id", s, "scored source missing from the sources table")
                for s in missing]
    codes = src[threat].reindex(t.index).astype("string").str.strip().str.lower()
    for sid, code in codes.items():
        if sid not in missing and (pd.isna(code) or code not in IUCN_LEVELS):
            problems.append(Problem("sources", None, threat, None if pd.isna(code) else code,
                                    f"source {sid}: IUCN code expected ({', '.join(IUCN_LEVELS)})"))
    if problems:
        raise ValidationError(problems)
    m = len(t)
    tier = np.where(t["rank"] <= math.ceil(m / 3), "high",
                    np.where(t["rank"] <= math.ceil(2 * m / 3), "medium", "low"))
    level = codes.map(IUCN_LEVELS)
    cls = [("C" if lv == "extinct" else _CLASS_MATRIX[(ti, lv)]) for ti, lv in zip(tier, level)]
    t["threat"] = codes.to_numpy()
    t["threat_level"] = level.to_numpy()
    t["score_tier"] = tier
    t["priority_class"] = cls
    a = [s for s, c in zip(t.index, cls) if c == "A"]
    b = [s for s, c in zip(t.index, cls) if c == "B"]
    proposed = a + b[: max(0, target - len(a))]
    t["proposed"] = t.index.isin(proposed)
    t["proposal_order"] = pd.array([proposed.index(s) + 1 if s in proposed else pd.NA for s in t.index],
                                   dtype="Int64")
    if "name_vi" in src.columns:
        t.insert(0, "name_vi", src["name_vi"].reindex(t.index).to_numpy())
    if stability is not None:
        if not isinstance(stability, SensitivityResult) or set(stability.table.index) != set(t.index):
            raise ConfigError("stability must be the sensitivity() result for the same scored sources")
        t = t.join(stability.table[["median_rank", "rank_low", "rank_high", "p_top"]])
    return PriorityResult(table=t, proposed=proposed, target=int(target),
                          target_met=len(proposed) >= target, rule=_RULE)
