"""The analytic hierarchy process (AHP): criterion weights from pairwise judgements.

Part of the scoring family; the public names are re-exported by :mod:`genelab.scoring`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import ConfigError

__all__ = ["RANDOM_INDEX", "AhpResult", "ahp"]

#: Saaty's random consistency indices RI(n) (Saaty 1980, *The Analytic Hierarchy Process*;
#: n = 11–15 as extended by Saaty): the mean CI of random reciprocal matrices of order n.
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
                9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}


@dataclass(frozen=True)
class AhpResult(Result):
    """Weights from an AHP pairwise-comparison matrix.

    ``table`` is indexed by criterion with column ``weight``; ``judgements`` lists every
    pair (i, j) above the diagonal with the judgement ``a_ij`` given, the ratio
    ``implied = w_i / w_j`` of the final weights and ``error = |log(a_ij * w_j / w_i)|``,
    most inconsistent first.
    """

    table: pd.DataFrame
    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float
    ri: float
    n: int
    judgements: pd.DataFrame = field(repr=False)


def _parse_judgement(x: Any) -> float:
    if isinstance(x, str):
        try:
            return float(Fraction(x.strip()))
        except (ValueError, ZeroDivisionError):
            raise ConfigError(f"AHP judgement {x!r} is not a number or a fraction like '1/3'") from None
    try:
        return float(x)
    except (TypeError, ValueError):
        raise ConfigError(f"AHP judgement {x!r} is not a number or a fraction like '1/3'") from None


def ahp(matrix, labels=None, *, max_cr: float | None = 0.10) -> AhpResult:
    """Criterion weights from a pairwise-comparison matrix (Saaty's eigenvector method).

    ``matrix[i][j]`` says how many times criterion *i* is more important than *j* on
    Saaty's 1–9 scale; the matrix must be positive with ones on the diagonal and
    reciprocal (``a_ji = 1 / a_ij``).  Judgements may be written as fractions (``"1/3"``).
    Because a hand-typed ``0.33`` is not exactly ``1/3``, reciprocity is checked to 1 %
    and the lower triangle is then taken as the exact reciprocals of the upper one.

    The weights are the principal right eigenvector, normalised to sum to 1;
    ``lambda_max`` its eigenvalue; ``ci = (lambda_max - n) / (n - 1)``; ``cr = ci / RI(n)``
    with Saaty's random indices :data:`RANDOM_INDEX` (n ≤ 15).  For n ≤ 2 every reciprocal
    matrix is consistent and ``cr = 0``.

    Parameters
    ----------
    matrix : array-like or DataFrame, n × n
        Pairwise judgements; a DataFrame gives the labels from its index.
    labels : list of str, optional
        Criterion names (default: the DataFrame index, else ``c1 … cn``).
    max_cr : float or None
        A matrix with ``cr`` above this is refused (Saaty's rule: 0.10); ``None`` accepts any.

    Returns
    -------
    AhpResult
        ``weights`` (Series), ``lambda_max``, ``ci``, ``cr``, ``ri``, ``n``, ``table``
        (index criterion; column ``weight``) and ``judgements`` (columns ``i, j, given,
        implied, error``).

    Raises
    ------
    ConfigError
        Not square, not positive, not reciprocal, n > 15, or ``cr > max_cr`` — the message
        then names the most inconsistent judgements (largest ``|log(a_ij w_j / w_i)|``).

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    Saaty, T. L. (1990). How to make a decision: the analytic hierarchy process.
    *European Journal of Operational Research* 48, 9–26.

    Examples
    --------
    >>> r = ahp([[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]], ["threat", "value", "cost"])
    >>> r.weights.round(3).tolist(), round(r.cr, 4)
    ([0.648, 0.23, 0.122], 0.0032)
    """
    if isinstance(matrix, pd.DataFrame):
        if labels is None:
            labels = [str(x) for x in matrix.index]
        matrix = matrix.to_numpy().tolist()
    try:
        rows = [list(r) for r in matrix]
    except TypeError:
        raise ConfigError("the AHP matrix must be a list of rows (n × n)") from None
    n = len(rows)
    if n == 0 or any(len(r) != n for r in rows):
        raise ConfigError(f"the AHP matrix must be square (n × n); got row lengths {[len(r) for r in rows]}")
    a = np.array([[_parse_judgement(x) for x in r] for r in rows], dtype=float)
    labels = [f"c{i + 1}" for i in range(n)] if labels is None else [str(x) for x in labels]
    if len(labels) != n or len(set(labels)) != n:
        raise ConfigError(f"the AHP matrix is {n} × {n} but {len(labels)} distinct labels were given: {labels}")
    if n > max(RANDOM_INDEX):
        raise ConfigError(f"AHP with {n} criteria: Saaty's random index is tabulated for n ≤ {max(RANDOM_INDEX)}; "
                          "group the criteria into a hierarchy")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ConfigError("every AHP judgement must be a positive number (1–9 or its reciprocal)")
    bad = []
    for i in range(n):
        if abs(a[i, i] - 1) > 1e-9:
            bad.append(f"{labels[i]} vs itself is {a[i, i]:g} (must be 1)")
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1) > 0.01:
                bad.append(f"{labels[i]} vs {labels[j]} is {a[i, j]:g} but {labels[j]} vs {labels[i]} "
                           f"is {a[j, i]:g} (expected {1 / a[i, j]:.4g})")
    if bad:
        raise ConfigError("the AHP matrix is not reciprocal: " + "; ".join(bad))
    iu = np.triu_indices(n, 1)
    a[(iu[1], iu[0])] = 1.0 / a[iu]
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    ri = RANDOM_INDEX[n]
    if n <= 2:
        ci, cr = 0.0, 0.0
    else:
        ci = (lam - n) / (n - 1)
        cr = ci / ri
    given = a[iu]
    implied = w[iu[0]] / w[iu[1]]
    judgements = pd.DataFrame({
        "i": [labels[i] for i in iu[0]], "j": [labels[j] for j in iu[1]],
        "given": given, "implied": implied, "error": np.abs(np.log(given / implied)),
    }).sort_values("error", ascending=False, kind="stable").reset_index(drop=True)
    if max_cr is not None and cr > max_cr:
        worst = "; ".join(
            f"{r.i} vs {r.j}: judged {r.given:.3g}, the other judgements imply {r.implied:.3g}"
            for r in judgements.head(3).itertuples())
        raise ConfigError(
            f"the AHP matrix is too inconsistent: CR = {cr:.3f} > {max_cr:.2f} "
            f"(lambda_max = {lam:.3f}, n = {n}). Most inconsistent judgements: {worst}. "
            "Revise these comparisons in genelab.toml [scoring] ahp.")
    weights = pd.Series(w, index=pd.Index(labels, name="criterion"), name="weight")
    return AhpResult(table=weights.to_frame(), weights=weights, lambda_max=lam, ci=float(ci),
                     cr=float(cr), ri=ri, n=n, judgements=judgements)


