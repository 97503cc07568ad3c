"""Adjusted p-values for multiple comparisons, shared by every module that adjusts.

Names follow R's ``p.adjust`` ("holm", "hochberg", "BH", "BY" …) or statsmodels'
``multipletests`` ("simes-hochberg", "fdr_bh" …).  The common methods are computed here in
closed form: statsmodels 0.15's ``multipletests`` forces a garbage collection on every call
for some methods (≈ 0.1–0.3 s), which would dominate a batch of small trials.  The results
equal R's ``p.adjust`` and statsmodels' (tested for every method).
"""
from __future__ import annotations

import numpy as np

from genelab.errors import DesignError

__all__ = ["R_ADJUST", "METHODS", "method_name", "adjust"]

#: R's p.adjust method names → statsmodels ``multipletests`` names.
R_ADJUST = {
    "none": "none",
    "bonferroni": "bonferroni",
    "holm": "holm",
    "hochberg": "simes-hochberg",
    "hommel": "hommel",
    "BH": "fdr_bh",
    "fdr": "fdr_bh",
    "BY": "fdr_by",
}

#: statsmodels ``multipletests`` method names accepted as they are.
METHODS = frozenset({"none", "bonferroni", "sidak", "holm-sidak", "holm", "simes-hochberg", "hommel",
                     "fdr_bh", "fdr_by", "fdr_tsbh", "fdr_tsbky"})


def method_name(p_adjust: str | None, *, extra: tuple[str, ...] = ()) -> str:
    """The statsmodels name of an adjustment given in R's or statsmodels' words.

    ``None`` means "none"; names in ``extra`` (e.g. "tukey" where a caller handles it) pass
    through.

    Examples
    --------
    >>> method_name("BH"), method_name(None), method_name("holm")
    ('fdr_bh', 'none', 'holm')
    """
    if p_adjust is None:
        return "none"
    if p_adjust in extra:
        return p_adjust
    if p_adjust in R_ADJUST:
        return R_ADJUST[p_adjust]
    if p_adjust in METHODS:
        return p_adjust
    choices = sorted(set(extra) | set(R_ADJUST) | METHODS)
    raise DesignError(f"p_adjust must be None or one of {choices}; got {p_adjust!r}")


def adjust(p, method: str) -> np.ndarray:
    """Adjusted p-values for ``method`` (a name returned by :func:`method_name`).

    Examples
    --------
    >>> adjust([0.01, 0.04, 0.03], "holm").round(4).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p, dtype=float)
    m = len(p)
    if method == "none" or m == 0:
        return p
    if method == "bonferroni":
        return np.minimum(1.0, m * p)
    if method == "sidak":
        return -np.expm1(m * np.log1p(-np.minimum(p, 1.0)))
    up = np.argsort(p, kind="stable")          # increasing
    down = up[::-1]                            # decreasing
    out = np.empty(m)
    if method == "holm":
        out[up] = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[up]))
    elif method == "holm-sidak":
        step = -np.expm1((m - np.arange(m)) * np.log1p(-np.minimum(p[up], 1.0)))
        out[up] = np.minimum(1.0, np.maximum.accumulate(step))
    elif method == "simes-hochberg":
        out[down] = np.minimum(1.0, np.minimum.accumulate(np.arange(1, m + 1) * p[down]))
    elif method in ("fdr_bh", "fdr_by"):
        q = np.sum(1.0 / np.arange(1, m + 1)) if method == "fdr_by" else 1.0
        i = np.arange(m, 0, -1)
        out[down] = np.minimum(1.0, np.minimum.accumulate(q * m / i * p[down]))
    elif method in METHODS:
        from statsmodels.stats.multitest import multipletests

        return multipletests(p, method=method)[1]
    else:
        raise DesignError(f"unknown p-value adjustment {method!r}")
    return out
