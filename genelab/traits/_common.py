"""Shared helpers of ``genelab.traits``: input checks, the trait dictionary, source means."""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from genelab.errors import DesignError, ValidationError, Problem

__all__: list[str] = []

OBS_FILE = "observations"


def _as_tuple(by) -> tuple[str, ...]:
    if by is None:
        return ()
    if isinstance(by, str):
        return (by,)
    return tuple(by)


def _require(data, columns: Iterable[str], what: str = OBS_FILE) -> None:
    """Raise a ValidationError naming every missing column."""
    if not isinstance(data, pd.DataFrame):
        raise DesignError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c is not None and c not in data.columns]
    if missing:
        raise ValidationError(
            [Problem(what, None, c, None, f"column is missing (the table has: {', '.join(map(str, data.columns))})")
             for c in missing]
        )


def _require_keys(data: pd.DataFrame, keys, what: str = OBS_FILE) -> None:
    """Raise a ValidationError naming rows whose grouping keys are empty (never drop them)."""
    from genelab.errors import MAX_PROBLEMS

    problems, total = [], 0
    for k in keys:
        missing = data[k].isna().to_numpy()
        if missing.any():
            total += int(missing.sum())
            for i in np.flatnonzero(missing)[: MAX_PROBLEMS - len(problems)]:
                problems.append(Problem(what, None, k, None,
                                        f"row {data.index[i]!r} has no {k}; every row needs its grouping keys"))
    if total:
        raise ValidationError(problems, total=total)


def _trait_table(traits) -> pd.DataFrame | None:
    """The trait dictionary indexed by trait code (or None)."""
    if traits is None:
        return None
    if not isinstance(traits, pd.DataFrame):
        raise DesignError(f"traits must be the trait dictionary DataFrame, got {type(traits).__name__}")
    if "trait" in traits.columns:
        table = traits.set_index("trait")
    elif traits.index.name == "trait":
        table = traits
    else:
        raise ValidationError([Problem("traits", None, "trait", None, "column is missing")])
    return table


def _is_qualitative(observations: pd.DataFrame, traits: pd.DataFrame | None) -> pd.Series:
    """Per trait: True when qualitative (from the dictionary's ``kind``, else from the data).

    Without a dictionary a trait is qualitative when it has state codes and no numeric value.
    """
    present = pd.Index(pd.unique(observations["trait"].dropna()))
    out = pd.Series(False, index=present, dtype=bool)
    if traits is not None and "kind" in traits.columns:
        kind = traits["kind"].astype("string").str.lower()
        known = present.intersection(kind.index)
        out.loc[known] = (kind.loc[known] == "qualitative").to_numpy(dtype=bool)
        unknown = present.difference(kind.index)
    else:
        unknown = present
    if len(unknown) and "state" in observations.columns:
        sub = observations[observations["trait"].isin(unknown)]
        has_state = sub["state"].notna().groupby(sub["trait"], observed=True).any()
        has_value = sub["value"].notna().groupby(sub["trait"], observed=True).any()
        q = has_state & ~has_value
        out.loc[q.index] = q.to_numpy(dtype=bool)
    return out


def _select_traits(observations: pd.DataFrame, traits_wanted) -> pd.DataFrame:
    if traits_wanted is None:
        return observations
    wanted = [traits_wanted] if isinstance(traits_wanted, str) else list(traits_wanted)
    present = set(pd.unique(observations["trait"].dropna()))
    unknown = [t for t in wanted if t not in present]
    if unknown:
        raise DesignError(
            f"trait(s) {', '.join(map(repr, unknown))} have no observations; "
            f"observed traits are: {', '.join(sorted(map(str, present)))}"
        )
    return observations[observations["trait"].isin(wanted)]


def _means_wide(observations: pd.DataFrame, traits_wanted=None, *, by="source_id") -> pd.DataFrame:
    """Units × quantitative traits table of means (``by`` = a column, or ``"plot"`` for one
    row per observation unit source_id/accession/site/year/rep)."""
    _require(observations, ["trait", "value"])
    obs = _select_traits(observations, traits_wanted)
    obs = obs[obs["value"].notna()]
    if by == "plot":
        keys = [c for c in ("source_id", "accession", "site", "year", "rep") if c in obs.columns]
        if not keys:
            raise DesignError("by='plot' needs the observation key columns source_id, accession, site, year, rep")
    else:
        keys = list(_as_tuple(by))
        _require(obs, keys)
    _require_keys(obs, keys + ["trait"])
    wide = obs.pivot_table(index=keys, columns="trait", values="value", aggfunc="mean", observed=True)
    wide.columns = pd.Index([str(c) for c in wide.columns], name="trait")
    if traits_wanted is not None:
        wanted = [traits_wanted] if isinstance(traits_wanted, str) else list(traits_wanted)
        wide = wide[[t for t in wanted if t in wide.columns]]
    return wide


def _mark(p) -> np.ndarray:
    """Significance marks: ``**`` p < 0.01, ``*`` p < 0.05, ``ns`` otherwise (NaN → '')."""
    p = np.asarray(p, dtype=float)
    out = np.where(p < 0.01, "**", np.where(p < 0.05, "*", "ns"))
    return np.where(np.isnan(p), "", out)


def _level(value_pct: float, low: float, high: float) -> str:
    """'low' below ``low``, 'high' above ``high``, 'medium' between (boundaries are medium)."""
    if value_pct is None or not np.isfinite(value_pct):
        return ""
    if value_pct < low:
        return "low"
    if value_pct > high:
        return "high"
    return "medium"
