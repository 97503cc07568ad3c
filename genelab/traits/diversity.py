"""Shannon–Weaver and Simpson diversity of trait states and of classed quantitative traits."""
from __future__ import annotations

import numpy as np
import pandas as pd

from genelab.errors import DesignError
from genelab.traits._common import _as_tuple, _is_qualitative, _require, _require_keys, _trait_table

__all__ = ["diversity", "jain_classes"]


def jain_classes(values, mean: float, sd: float) -> np.ndarray:
    """Class number 1–10 of each value: < mean − 2sd, then 0.5·sd steps, ≥ mean + 2sd.

    The classes of Jain, Qualset, Bhatt & Wu (1975, *Crop Science* 15: 491–494), used for the
    Shannon–Weaver index of quantitative traits in germplasm characterisation.

    Examples
    --------
    >>> jain_classes([0.0, 4.0, 5.0, 5.49, 10.0, 99.0], mean=5.0, sd=1.0).tolist()
    [1, 4, 6, 6, 10, 10]
    """
    x = np.asarray(values, dtype=float)
    edges = mean + sd * np.arange(-2.0, 2.01, 0.5)  # 9 inner edges -> 10 classes
    return np.searchsorted(edges, x, side="right") + 1


def _indices(counts: np.ndarray, k: int) -> tuple[float, float, float]:
    total = counts.sum()
    if total == 0:
        return np.nan, np.nan, np.nan
    p = counts[counts > 0] / total
    h = float(-(p * np.log(p)).sum()) + 0.0  # no negative zero
    h_norm = h / np.log(k) if k > 1 else np.nan
    simpson = float(1.0 - (p * p).sum())
    return h, h_norm, simpson


def diversity(
    observations: pd.DataFrame,
    trait: str,
    *,
    by="source_id",
    bins="jain",
    traits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Shannon–Weaver H′ (raw and normalised) and Simpson's index of one trait per group.

    Parameters
    ----------
    observations : DataFrame
        Long table with ``trait``, ``value`` and (for qualitative traits) ``state``.
    trait : str
        The trait.
    by : str, sequence of str or None
        Groups (default per source); ``None`` gives one row for the whole collection.
    bins : "jain" or int
        Classes of a quantitative trait.  ``"jain"`` (default): 10 classes from the mean and
        sd of the trait over **all** observations (so every group is classed alike): below
        mean − 2sd, then 0.5·sd wide classes, and at or above mean + 2sd (Jain et al. 1975).
        An int k: k equal-width classes between the overall minimum and maximum.
    traits : DataFrame, optional
        Trait dictionary; ``kind`` says whether the trait is qualitative and ``states`` gives
        the number of possible states k (otherwise the states seen over all groups).

    Returns
    -------
    DataFrame
        The ``by`` columns, ``trait``, ``kind`` (qualitative/quantitative), ``n`` (observations),
        ``k`` (possible states or classes), ``observed`` (states/classes present),
        ``h`` = −Σ pᵢ ln pᵢ (natural log), ``h_norm`` = H′/ln k (0–1) and
        ``simpson`` = 1 − Σ pᵢ² (Gini–Simpson).

    Examples
    --------
    >>> obs = pd.DataFrame({"source_id": ["A"] * 4 + ["B"] * 4, "trait": "colour",
    ...                     "value": np.nan,
    ...                     "state": pd.array(list("rrgg") + list("rrrr"), dtype="string")})
    >>> diversity(obs, "colour")[["source_id", "k", "h", "h_norm", "simpson"]].round(4)
      source_id  k       h  h_norm  simpson
    0         A  2  0.6931     1.0      0.5
    1         B  2  0.0000     0.0      0.0
    """
    keys = list(_as_tuple(by))
    _require(observations, keys + ["trait", "value"])
    _require_keys(observations, keys + ["trait"])
    table = _trait_table(traits)
    obs = observations[observations["trait"] == trait]
    if obs.empty:
        raise DesignError(f"trait {trait!r} has no observations")
    qualitative = bool(_is_qualitative(obs, table).get(trait, False))
    if qualitative:
        _require(obs, ["state"])
        obs = obs[obs["state"].notna()]
        labels = obs["state"].astype(str)
        declared = []
        if table is not None and "states" in table.columns and isinstance(table["states"].get(trait), str):
            declared = [s.strip() for s in table["states"][trait].split(";") if s.strip()]
        k = len(set(declared) | set(labels.unique()))
    else:
        obs = obs[obs["value"].notna()]
        x = obs["value"].to_numpy(dtype=float)
        if len(x) == 0:
            raise DesignError(f"trait {trait!r} has no numeric values")
        if isinstance(bins, str):
            if bins != "jain":
                raise DesignError(f"bins must be 'jain' or a number of classes, not {bins!r}")
            sd = float(np.std(x, ddof=1)) if len(x) > 1 else 0.0
            labels = pd.Series(jain_classes(x, float(np.mean(x)), sd), index=obs.index)
            k = 10
        else:
            k = int(bins)
            if k < 2:
                raise DesignError("bins must be at least 2")
            lo, hi = float(x.min()), float(x.max())
            width = (hi - lo) / k if hi > lo else 1.0
            labels = pd.Series(np.clip(np.floor((x - lo) / width).astype(int), 0, k - 1) + 1, index=obs.index)
    rows = []
    groups = obs.groupby(keys, observed=True, sort=True) if keys else [((), obs)]
    for key, part in groups:
        counts = labels.loc[part.index].value_counts().to_numpy()
        h, h_norm, simpson = _indices(counts, k)
        key = key if isinstance(key, tuple) else (key,)
        rows.append((*key, trait, "qualitative" if qualitative else "quantitative", int(counts.sum()), k,
                     int((counts > 0).sum()), h, h_norm, simpson))
    return pd.DataFrame(rows, columns=keys + ["trait", "kind", "n", "k", "observed", "h", "h_norm", "simpson"])
