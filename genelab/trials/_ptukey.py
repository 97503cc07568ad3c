"""Fast, vectorised studentized-range distribution (R's ``ptukey``/``qtukey`` to ~1e-12).

The studentized range Q = R/S of k normal means with an independent error estimate on ``df``
degrees of freedom has the distribution function

    P(Q <= q) = ∫ g_df(u) W_k(q·√(u/2)) du,

where W_k(w) is the distribution function of the range of k standard normals (Hartley's form:
W_k(w) = (2Φ(w/2) − 1)^k + 2k ∫_{w/2}^∞ φ(z) [Φ(z) − Φ(z − w)]^{k−1} dz) and g_df is the
density of u = 2χ²_df/df.  R's ``ptukey`` (Copenhaver & Holland 1988, *J. Statist. Comput.
Simul.* 30, 1–15) integrates over u with 16-point Gauss–Legendre rules on unit-length (or
shorter, for large df) sub-intervals, dropping nodes whose weight is below e^{-30}, and over z
with 12-point rules.  genelab uses the same rules, node for node,
but evaluates the inner integral W_k from a piecewise Chebyshev interpolant of R's 12-point
rule (64 panels of degree 15 on [0, 16], built once per k and cached), so thousands of q —
for any mix of k — are evaluated at once in numpy.  The result agrees with R's ``ptukey`` to
about 1e-14 (checked on every base-R ``TukeyHSD`` p-value of the reference cases), ~500× faster
than scipy's ``studentized_range.sf``.

Where R's rule is itself inexact, genelab follows R, not the exact distribution: for small
df (e.g. 4e-5 absolute at k = 2, df = 2; 2e-6 at k = 3, df = 3) and large k (the 12-point inner
rule is off by ~1e-6 at k = 65), and for df > 25 000, which R treats as infinite.  For
df ≥ 11 and k ≤ 7 it agrees with scipy's adaptive integration to better than 1e-9.

Quantiles (``qtukey``) are found by Brent's method on this distribution function to 1e-12
relative (R's secant search stops at a step of 1e-4, which leaves R's values within about
1e-7 of the exact quantile).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import optimize, special

__all__ = ["ptukey", "qtukey", "range_cdf"]

_W_MAX = 16.0          # W_k(w) = 1 for w >= 16 (as in R)
_PANELS = 64
_DEGREE = 15
_DF_LARGE = 25000.0


def _range_cdf_r(w: np.ndarray, k: float) -> np.ndarray:
    """W_k(w) by R's ``wprob`` rule (Hartley's form; 12-point Gauss–Legendre on 3 equal
    sub-intervals of [w/2, 8], or 2 when w > 3; nodes beyond z² > 60 and terms below e^{-30}
    dropped).  Using R's rule, not the exact W_k, keeps genelab within ~1e-13 of R's ptukey."""
    w = np.asarray(w, dtype=float).ravel()
    k = float(k)
    half = w / 2.0
    out = np.ones_like(w)
    x, a = np.polynomial.legendre.leggauss(12)
    for n_int, sel in ((3, (w <= 3.0) & (half < 8.0)), (2, (w > 3.0) & (half < 8.0))):
        if not sel.any():
            continue
        ww, hh = w[sel], half[sel]
        lead = special.ndtr(hh) * 2.0 - 1.0
        lead = np.where(lead >= np.exp(-50.0 / k), lead ** k, 0.0)
        width = (8.0 - hh) / n_int
        total = np.zeros_like(ww)
        for i in range(n_int):
            lo = hh + i * width
            mid = lo + width / 2.0
            z = mid[:, None] + (width / 2.0)[:, None] * x[None, :]
            inside = z * z <= 60.0          # R breaks at the first node beyond; nodes ascend
            band = special.ndtr(z) - special.ndtr(z - ww[:, None])
            use = inside & (band >= np.exp(-30.0 / (k - 1.0)))
            term = np.where(use, a[None, :] * np.exp(-0.5 * z * z) * np.where(use, band, 0.0) ** (k - 1.0), 0.0)
            total += term.sum(axis=1) * (width * k / np.sqrt(2.0 * np.pi))
        value = lead + total
        out[sel] = np.where(value <= np.exp(-30.0), 0.0, np.minimum(value, 1.0))
    return out


@lru_cache(maxsize=256)
def _range_table(k: float) -> np.ndarray:
    """Chebyshev coefficients of W_k on each of the panels of [0, 16] (cached per k)."""
    nodes = np.cos(np.pi * (np.arange(_DEGREE + 1) + 0.5) / (_DEGREE + 1))   # Chebyshev points
    width = _W_MAX / _PANELS
    centres = (np.arange(_PANELS) + 0.5) * width
    w = centres[:, None] + 0.5 * width * nodes[None, :]
    values = _range_cdf_r(w.ravel(), k).reshape(w.shape)
    # discrete Chebyshev transform on each panel
    j = np.arange(_DEGREE + 1)
    basis = np.cos(np.outer(j, np.pi * (np.arange(_DEGREE + 1) + 0.5) / (_DEGREE + 1)))
    coef = values @ basis.T * (2.0 / (_DEGREE + 1))
    coef[:, 0] *= 0.5
    coef = np.ascontiguousarray(coef.T)       # (degree + 1, panels): one row per order
    coef.setflags(write=False)
    return coef


def _clenshaw(flat_coef: np.ndarray, offset: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Evaluate stacked piecewise Chebyshev tables at ``w`` (1-D); ``offset`` selects the table
    of each point (k index × (degree + 1) × panels)."""
    width = _W_MAX / _PANELS
    wc = np.clip(w, 0.0, _W_MAX * (1 - 1e-15))
    panel = np.minimum((wc * (1.0 / width)).astype(np.intp), _PANELS - 1)
    t2 = (wc - (panel + 0.5) * width) * (4.0 / width)
    base = offset + panel
    b1 = flat_coef[base + _DEGREE * _PANELS]
    b2 = np.zeros_like(t2)
    for j in range(_DEGREE - 1, 0, -1):
        b1, b2 = flat_coef[base + j * _PANELS] + t2 * b1 - b2, b1
    value = np.clip(flat_coef[base] + 0.5 * t2 * b1 - b2, 0.0, 1.0)
    return np.where(w >= _W_MAX, 1.0, np.where(w <= 0, 0.0, value))


def _range_cdf_many(w: np.ndarray, kidx: np.ndarray, ks) -> np.ndarray:
    """W_k(w) for points with table index ``kidx`` into the list of k values ``ks``."""
    flat_coef = np.concatenate([_range_table(float(k)).ravel() for k in ks])
    offset = kidx.astype(np.intp) * ((_DEGREE + 1) * _PANELS)
    w = np.asarray(w, dtype=float)
    out = np.empty(w.size, dtype=float)
    wf, of = w.ravel(), np.broadcast_to(offset, w.shape).ravel()
    step = 1 << 16
    for lo in range(0, wf.size, step):
        out[lo:lo + step] = _clenshaw(flat_coef, of[lo:lo + step], wf[lo:lo + step])
    return out.reshape(w.shape)


def range_cdf(w, k: float) -> np.ndarray:
    """Distribution function W_k(w) of the range of ``k`` standard normals (vectorised).

    Examples
    --------
    >>> float(np.round(range_cdf(3.0, 2), 10))   # = 2Φ(3/√2) − 1
    0.9661051465
    """
    w = np.asarray(w, dtype=float)
    return _range_cdf_many(w, np.zeros(w.shape, dtype=np.intp), [float(k)])


@lru_cache(maxsize=256)
def _outer_rule(df: float) -> tuple[np.ndarray, np.ndarray]:
    """Nodes s = √(u/2) and weights of R's outer Gauss–Legendre rule for ``df``."""
    x, a = np.polynomial.legendre.leggauss(16)
    if df <= 100:
        ulen = 1.0
    elif df <= 800:
        ulen = 0.5
    elif df <= 5000:
        ulen = 0.25
    else:
        ulen = 0.125
    f2 = df / 2.0
    log_const = f2 * np.log(df) - df * np.log(2.0) - special.gammaln(f2) + np.log(ulen)
    centres = (2 * np.arange(1, 51) - 1) * ulen
    u = (centres[:, None] + ulen * x[None, :]).ravel()
    wt = np.tile(a, 50)
    t1 = log_const + (f2 - 1.0) * np.log(u) - u * df / 4.0
    keep = t1 >= -30.0
    s = np.sqrt(u[keep] / 2.0)
    weights = wt[keep] * np.exp(t1[keep])
    s.setflags(write=False)
    weights.setflags(write=False)
    return s, weights


def ptukey(q, k, df, *, upper: bool = False) -> np.ndarray:
    """Studentized-range distribution function P(Q ≤ q; k, df), vectorised over q, k and df.

    Parameters
    ----------
    q : array_like
        Quantiles.
    k : array_like
        Number of means (≥ 2).
    df : array_like
        Error degrees of freedom (≥ 2; larger than 25 000 is treated as infinite, as in R).
    upper : bool
        Return the upper tail 1 − P (computed as R does, as 1 − P).

    Returns
    -------
    ndarray
        Probabilities, shaped like the broadcast inputs.

    Examples
    --------
    >>> round(float(ptukey(3.5, 3, 12)), 8)
    0.93000451
    """
    q, k, df = np.broadcast_arrays(np.asarray(q, float), np.asarray(k, float), np.asarray(df, float))
    shape = q.shape
    q, k, df = q.ravel(), k.ravel(), df.ravel()
    res = np.full(q.shape, np.nan)
    valid = (k >= 2) & (df >= 2) & ~np.isnan(q)
    for dd in np.unique(df[valid]):
        sel = np.flatnonzero(valid & (df == dd))
        qq = q[sel]
        ks, kidx = np.unique(k[sel], return_inverse=True)
        kidx = kidx.ravel()
        if dd > _DF_LARGE:
            p = _range_cdf_many(qq, kidx, ks)
        else:
            s, weights = _outer_rule(float(dd))
            p = _range_cdf_many(qq[:, None] * s[None, :], kidx[:, None], ks) @ weights
        p = np.minimum(p, 1.0)
        res[sel] = np.where(qq <= 0, 0.0, np.where(np.isinf(qq), 1.0, p))
    out = res.reshape(shape)
    if upper:
        out = 1.0 - out
    return out


@lru_cache(maxsize=4096)
def _qtukey_scalar(p: float, k: float, df: float) -> float:
    def f(x):
        return float(ptukey(x, k, df)[()]) - p

    lo, hi = 1e-8, 4.0
    while f(hi) < 0:
        lo, hi = hi, hi * 2
        if hi > 1e6:
            return float("nan")
    return optimize.brentq(f, lo, hi, xtol=1e-14, rtol=1e-13, maxiter=200)


def qtukey(p, k, df) -> np.ndarray:
    """Quantile of the studentized range: the q with P(Q ≤ q; k, df) = p.

    Examples
    --------
    >>> round(float(qtukey(0.95, 6, 18)), 6)   # agricolae's StudentizedRange in the NAA case
    4.49442
    """
    p, k, df = np.broadcast_arrays(np.asarray(p, float), np.asarray(k, float), np.asarray(df, float))
    out = np.empty(p.shape, dtype=float)
    for idx in np.ndindex(p.shape):
        pp, kk, dd = float(p[idx]), float(k[idx]), float(df[idx])
        if not (0 < pp < 1) or kk < 2 or dd < 2:
            out[idx] = np.nan if not (pp == 0 or pp == 1) else (0.0 if pp == 0 else np.inf)
        else:
            out[idx] = _qtukey_scalar(pp, kk, dd)
    return out
