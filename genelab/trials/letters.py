"""Letter groups from pairwise p-values, formed exactly as agricolae forms them.

agricolae's grouping routine (``orderPvalue``) is not the "maximal sets of mutually
non-different treatments" of textbooks: it walks down the treatments sorted by decreasing
statistic from an *anchor*, gives the anchor's letter to each treatment until the first one
that differs from the anchor (the *breaker*), gives the breaker a new letter, and moves the
anchor down past the treatments that differ from the breaker.  After the first split, a pass
that finds no breaker ends the procedure.  Letters can therefore contradict individual
p-values; genelab reproduces R letter for letter and reports the pairwise table beside them.
See ``shared/reference/README.md`` §6 for the worked rules.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from genelab.errors import DesignError

__all__ = ["LETTERS", "letters_from_pvalues", "letters_sorted", "sort_order"]

#: The letter sequence agricolae uses: a–z, A–Z, 1–9, then punctuation.
LETTERS: tuple[str, ...] = tuple(
    list("abcdefghijklmnopqrstuvwxyz")
    + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    + list("123456789")
    + [".", "+", "-", "*", "/", "#", "$", "%", "&", "^", "[", "]", ":", "@", ";", "_", "?", "!", "=", "#"]
)


def sort_order(statistic: pd.Series) -> list:
    """Levels by decreasing statistic; ties keep sorted (code-point) label order.

    Examples
    --------
    >>> sort_order(pd.Series({"b": 2.0, "a": 2.0, "c": 5.0}))
    ['c', 'a', 'b']
    """
    labels = sorted(statistic.index, key=str)
    values = statistic.reindex(labels).to_numpy(dtype=float)
    idx = np.argsort(-values, kind="stable")
    return [labels[i] for i in idx]


def letters_from_pvalues(statistic: pd.Series, pvalues: pd.DataFrame, alpha: float = 0.05) -> pd.Series:
    """Letter groups from a statistic per level and a symmetric matrix of p-values.

    Parameters
    ----------
    statistic : Series
        The value levels are sorted on (mean, mean rank, rank sum), indexed by level.
    pvalues : DataFrame
        Symmetric pairwise p-values indexed and labelled by level, **already rounded**
        as the test reports them (agricolae rounds to 4 decimals); the diagonal is ignored.
    alpha : float
        A pair is "not different" when its p-value is strictly greater than ``alpha``.

    Returns
    -------
    Series
        Letter strings indexed by level, in decreasing order of the statistic (ties in label
        order): agricolae's ``groups`` order.

    Examples
    --------
    >>> means = pd.Series({"A": 10.0, "B": 9.0, "C": 3.0})
    >>> p = pd.DataFrame([[1, 0.4, 0.01], [0.4, 1, 0.03], [0.01, 0.03, 1]],
    ...                  index=list("ABC"), columns=list("ABC"))
    >>> letters_from_pvalues(means, p).to_dict()
    {'A': 'a', 'B': 'a', 'C': 'b'}
    """
    if not 0 < alpha < 1:
        raise DesignError(f"alpha must be between 0 and 1, got {alpha!r}")
    order = sort_order(statistic)
    n = len(order)
    missing = [lv for lv in order if lv not in pvalues.index or lv not in pvalues.columns]
    if missing:
        raise DesignError(f"the p-value matrix has no row/column for level(s) {missing}")
    p = pvalues.loc[order, order].to_numpy(dtype=float).copy()
    np.fill_diagonal(p, 1.0)
    marks = letters_sorted(p > alpha)
    return pd.Series(marks, index=pd.Index(order, name=statistic.index.name), name="group")


def letters_sorted(same: np.ndarray) -> list[str]:
    """The letter strings for treatments already in display order (the core of the routine).

    ``same[i, j]`` is True when treatments i and j (positions in decreasing order of the
    statistic) are not different, i.e. their rounded p-value exceeds alpha; the diagonal must
    be True.  :func:`letters_from_pvalues` sorts and calls this; fast paths that have already
    sorted (``compare_means``) call it directly.

    Examples
    --------
    >>> letters_sorted(np.array([[True, True, False], [True, True, False], [False, False, True]]))
    ['a', 'a', 'b']
    """
    n = same.shape[0]
    marks = [""] * n
    if n == 0:
        return marks
    c = 0
    marks[0] = LETTERS[c]
    anchor = 0
    split_seen = False
    passes = 0
    while anchor < n - 1:
        passes += 1
        if passes > n:
            break
        start = anchor
        breaker = None
        for i in range(anchor, n):
            if same[i, anchor]:
                if marks[i].rstrip()[-1:] != LETTERS[c]:
                    marks[i] += LETTERS[c]
            else:
                breaker = i
                break
        if breaker is None:
            if split_seen:
                break
            anchor += 1
        else:
            c += 1
            if c >= len(LETTERS):
                raise DesignError("too many letter groups (more than agricolae's letter set)")
            marks[breaker] += LETTERS[c]
            split_seen = True
            for v in range(start, breaker + 1):
                if not same[v, breaker]:
                    anchor += 1
                else:
                    break
    return marks
