"""Randomised field books for the designs genelab analyses.

:func:`layout` plans the next trial with the same design vocabulary that
:func:`genelab.trials.anova` uses to analyse it. Plot numbers follow agricolae's
``design.*`` functions: with ``serie=2`` a CRD is numbered 101, 102, …; blocks (and Latin
square rows) are numbered ``block·100 + position`` (101…, 201…), or continuously with
``continuous=True``; ``serpentine=True`` renumbers every second block or row backwards, as
agricolae's ``zigzag()`` does, so plot numbers follow a walk up and down the field.
Randomisation uses :class:`numpy.random.Generator` seeded by ``seed`` (not R's generator, so
the layouts differ from agricolae's for the same seed, while the structure is the same).
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from genelab.errors import DesignError

__all__ = ["DESIGNS", "layout"]

DESIGNS = ("crd", "rcbd", "latin", "factorial_crd", "factorial_rcbd", "split_plot")


def _labels(treatments, what="treatments") -> list:
    if isinstance(treatments, (int, np.integer)):
        if treatments < 2:
            raise DesignError(f"{what}: need at least 2 levels, got {treatments}")
        return [f"T{i}" for i in range(1, int(treatments) + 1)]
    if isinstance(treatments, (str, bytes)) or not isinstance(treatments, Sequence | np.ndarray | pd.Index):
        raise DesignError(f"{what} must be a list of level labels or a number of levels, got {treatments!r}")
    labels = list(treatments)
    if len(labels) < 2:
        raise DesignError(f"{what}: need at least 2 levels, got {labels}")
    dup = sorted({str(x) for x in labels if labels.count(x) > 1})
    if dup:
        raise DesignError(f"{what}: level(s) {dup} appear more than once")
    return labels


def _factors(treatments, n_min=2, n_max=3) -> dict:
    if not isinstance(treatments, Mapping):
        raise DesignError("factorial and split-plot layouts take treatments as a dict "
                          "{factor name: levels}, e.g. {'bap': ['BAP1', 'BAP2'], 'naa': ['N0', 'N1']}")
    if not n_min <= len(treatments) <= n_max:
        want = f"{n_min}" if n_min == n_max else f"{n_min} to {n_max}"
        raise DesignError(f"this design needs {want} factors, got {len(treatments)}: {list(treatments)}")
    return {str(k): _labels(v, f"factor '{k}'") for k, v in treatments.items()}


def _count(value, name) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 2:
        raise DesignError(f"{name} must be a whole number of at least 2, got {value!r}")
    return int(value)


def _numbers(n_groups: int, per_group: int, number: int, continuous: bool, serpentine: bool) -> np.ndarray:
    """Plot numbers in field order, one row of ``per_group`` positions per block/row."""
    out = np.empty((n_groups, per_group), dtype=np.int64)
    for g in range(n_groups):
        if continuous:
            base = number + g * per_group
            pos = np.arange(1, per_group + 1)
        else:
            base = (g + 1) * number
            pos = np.arange(1, per_group + 1)
        if serpentine and g % 2 == 1:
            pos = pos[::-1]
        out[g] = base + pos
    return out.ravel()


def _blocked(units: list, n_blocks: int, rng, first: bool):
    """Independent random order of ``units`` in each block (block 1 kept in order if not first)."""
    orders = []
    for b in range(n_blocks):
        idx = np.arange(len(units)) if (b == 0 and not first) else rng.permutation(len(units))
        orders.append([units[i] for i in idx])
    return orders


def layout(design: str, treatments, *, blocks: int | None = None, reps: int | Mapping | None = None,
           seed: int | None, serie: int = 2, serpentine: bool = False, continuous: bool = False,
           first: bool = True, treatment: str = "treatment", block: str = "block") -> pd.DataFrame:
    """A randomised field book for a new trial.

    Parameters
    ----------
    design : {"crd", "rcbd", "latin", "factorial_crd", "factorial_rcbd", "split_plot"}
        The design, with the names :func:`genelab.trials.anova` uses.
    treatments : list, int or dict
        Treatment labels (or their number, giving T1…Tk) for crd, rcbd and latin; for the
        factorial designs a dict ``{factor: levels}`` with 2 or 3 factors; for split_plot a
        dict of two factors, the **first is the main-plot factor**, the second the subplot.
    blocks : int
        Number of blocks (rcbd, factorial_rcbd, split_plot).
    reps : int or dict
        Replicates per treatment (crd, factorial_crd); a dict gives each crd treatment its own.
    seed : int or None
        Seed of the :class:`numpy.random.Generator`; the same seed gives the same book.
        Pass ``None`` explicitly for an unseeded layout.
    serie : int
        agricolae's plot-number series: 1 → 11, 12 …; 2 → 101, 102 …; 3 → 1001 ….
    serpentine : bool
        Number every second block (rcbd, factorial_rcbd, split-plot main plots) or Latin row
        backwards (agricolae's ``zigzag``).
    continuous : bool
        Number plots 101, 102, … straight through the blocks instead of 101…, 201….
    first : bool
        Randomise block 1 too (agricolae's ``first``); ``False`` keeps it in the given order.
    treatment, block : str
        Names of the treatment and block columns of the book.

    Returns
    -------
    DataFrame
        One row per plot in field order. Columns: ``plot``; ``block`` (blocked designs),
        ``row`` and ``column`` (Latin square; for blocked designs ``row`` is the block and
        ``column`` the position in it); ``rep`` (crd designs: the replicate of that
        treatment); the treatment column or one column per factor; split_plot adds
        ``subplot`` (position of the subplot in its main plot, agricolae's ``splots``).

    Examples
    --------
    >>> book = layout("rcbd", ["CK", "IBA500", "IBA1000"], blocks=2, seed=2021)
    >>> list(book.columns)
    ['plot', 'block', 'row', 'column', 'treatment']
    >>> book["plot"].tolist()
    [101, 102, 103, 201, 202, 203]
    >>> sorted(book.loc[book["block"] == 2, "treatment"])
    ['CK', 'IBA1000', 'IBA500']
    >>> layout("rcbd", 3, blocks=2, seed=1, serpentine=True)["plot"].tolist()
    [101, 102, 103, 203, 202, 201]
    """
    if design not in DESIGNS:
        raise DesignError(f"design must be one of {list(DESIGNS)}, got {design!r}")
    if not isinstance(serie, (int, np.integer)) or not 1 <= serie <= 6:
        raise DesignError(f"serie must be 1 to 6, got {serie!r}")
    if design in ("crd", "factorial_crd", "latin") and blocks is not None:
        hint = "the square's size is the number of treatments" if design == "latin" else "give reps= instead"
        raise DesignError(f"a {design} layout has no blocks ({hint})")
    if design not in ("crd", "factorial_crd") and reps is not None:
        raise DesignError(f"reps= is for crd designs; a {design} layout is replicated by "
                          + ("its size" if design == "latin" else "blocks="))
    number = 10**int(serie)
    rng = np.random.default_rng(seed)

    if design in ("crd", "factorial_crd"):
        if design == "crd":
            labels = _labels(treatments)
            cols = [treatment]
            units = [(lv,) for lv in labels]
        else:
            facs = _factors(treatments)
            cols = list(facs)
            units = list(itertools.product(*facs.values()))
        if isinstance(reps, Mapping):
            if design != "crd":
                raise DesignError("per-treatment reps (a dict) are for crd only")
            unknown = sorted(set(map(str, reps)) - set(map(str, labels)))
            missing = [lv for lv in labels if lv not in reps]
            if unknown or missing:
                raise DesignError(f"reps must give every treatment a count: missing {missing}, unknown {unknown}")
            counts = [int(reps[lv]) for lv in labels]
            if min(counts) < 1:
                raise DesignError(f"every treatment needs at least one replicate, got {dict(reps)}")
        else:
            if reps is None:
                raise DesignError(f"{design} needs reps= (replicates per treatment)")
            counts = [_count(reps, "reps")] * len(units)
        plan = [u for u, c in zip(units, counts) for _ in range(c)]
        order = rng.permutation(len(plan))
        seen: dict = {}
        rows = []
        for p, i in enumerate(order):
            seen[plan[i]] = seen.get(plan[i], 0) + 1  # replicate number in plot order
            rows.append((number + p + 1, seen[plan[i]], *plan[i]))
        return pd.DataFrame(rows, columns=["plot", "rep", *cols])

    if design == "latin":
        labels = _labels(treatments)
        r = len(labels)
        square = (np.arange(r)[:, None] + np.arange(r)[None, :]) % r
        square = square[rng.permutation(r)][:, rng.permutation(r)]
        symbols = rng.permutation(r)
        plots = _numbers(r, r, number, continuous, serpentine)
        book = pd.DataFrame({
            "plot": plots,
            "row": np.repeat(np.arange(1, r + 1), r),
            "column": np.tile(np.arange(1, r + 1), r),
            treatment: [labels[symbols[v]] for v in square.ravel()],
        })
        return book

    if blocks is None:
        raise DesignError(f"{design} needs blocks= (the number of blocks)")
    n_blocks = _count(blocks, "blocks")

    if design in ("rcbd", "factorial_rcbd"):
        if design == "rcbd":
            cols = [treatment]
            units = [(lv,) for lv in _labels(treatments)]
        else:
            facs = _factors(treatments)
            cols = list(facs)
            units = list(itertools.product(*facs.values()))
        k = len(units)
        orders = _blocked(units, n_blocks, rng, first)
        plots = _numbers(n_blocks, k, number, continuous, serpentine)
        rows = [(b + 1, b + 1, pos + 1, *u) for b, order in enumerate(orders) for pos, u in enumerate(order)]
        book = pd.DataFrame(rows, columns=[block, "row", "column", *cols])
        book.insert(0, "plot", plots)
        return book

    # split_plot: main plots randomised in blocks, subplots randomised within main plots
    facs = _factors(treatments, 2, 2)
    (main_name, main_levels), (sub_name, sub_levels) = facs.items()
    orders = _blocked(main_levels, n_blocks, rng, first)
    plots = _numbers(n_blocks, len(main_levels), number, continuous, serpentine)
    rows = []
    p = 0
    for b, order in enumerate(orders):
        for pos, m in enumerate(order):
            for s_pos, s in enumerate(rng.permutation(len(sub_levels))):
                rows.append((plots[p], s_pos + 1, b + 1, b + 1, pos + 1, m, sub_levels[s]))
            p += 1
    return pd.DataFrame(rows, columns=["plot", "subplot", block, "row", "column", main_name, sub_name])
