"""Analysis of variance for the field- and propagation-trial designs the programme uses.

One function, :func:`anova`, fits the linear model of a design — completely randomised
(``crd``, balanced or not), randomised complete blocks (``rcbd``), Latin square (``latin``),
factorials with two or three factors in a CRD or in complete blocks (``factorial_crd``,
``factorial_rcbd``) and the split plot with main plots in complete blocks (``split_plot``) —
and returns a frozen :class:`AnovaFit` that :func:`genelab.trials.compare_means` uses.

Sums of squares are sequential (type I), term by term in the order R's ``aov`` uses
(block, row, column first; then main effects; then interactions), computed by projecting the
response on an orthonormal basis grown one term at a time, so unbalanced CRDs and factorials
agree with R exactly.  Rows with a missing response are dropped first, as R does.

The split plot follows agricolae's ``sp.plot`` (R package agricolae 1.3-7): the main-plot
error Ea is the block × main interaction, the subplot error Eb pools block × sub and
block × main × sub, the main factor is tested against Ea and everything else — **including
blocks** — against Eb.  Textbooks (Gomez & Gomez 1984, ch. 3) test blocks against Ea; genelab
matches R and says so here.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from genelab._result import Result, json_safe
from genelab.errors import DesignError

__all__ = ["DESIGNS", "AnovaFit", "anova"]

#: The designs :func:`anova` fits.
DESIGNS = ("crd", "rcbd", "latin", "factorial_crd", "factorial_rcbd", "split_plot")

_ERROR_A = "error(a)"
_ERROR_B = "error(b)"
_RESIDUALS = "residuals"


@dataclass(frozen=True)
class AnovaFit(Result):
    """A fitted trial ANOVA.

    Attributes
    ----------
    table : DataFrame
        Indexed by source of variation (model terms in sequential order, then ``residuals``;
        the split plot has ``error(a)`` after the main factor and ``error(b)`` last), with
        columns ``df``, ``ss``, ``ms``, ``f``, ``p`` (``f`` and ``p`` empty on error rows).
    design, response : str
        The design and the response column.
    terms : tuple of str
        Model terms in order; interactions are written ``"a:b"``.
    roles : dict
        Design role → column (``treatment``, ``block``, ``row``, ``column``, ``main``,
        ``sub``) and ``factors`` → tuple of columns.
    data : DataFrame
        The rows used (missing responses dropped) with the response and design columns; the
        design columns hold text labels.
    levels : dict
        Column → tuple of its level labels in genelab's order (sorted labels; numeric columns
        in numeric order; the categories of a pandas Categorical in their order).
    mse, df_error : float
        Residual mean square and df of the whole model (for the split plot: Eb).
    mean : float
        Grand mean of the non-missing responses.
    cv : float
        100·√mse / mean (for the split plot: cv(b)).
    residuals, fitted : Series
        Residuals and fitted values of the full model, indexed like ``data``.
    error_a, error_b : tuple or None
        Split plot only: ``(df, ms)`` of the main-plot and subplot errors.
    cv_a, cv_b : float or None
        Split plot only: 100·√Ea/mean and 100·√Eb/mean.
    codes : dict
        Column → integer code of each used row into ``levels[column]``.
    """

    table: pd.DataFrame
    design: str
    response: str
    terms: tuple
    roles: dict
    data: pd.DataFrame = field(repr=False)
    levels: dict = field(repr=False)
    mse: float
    df_error: float
    mean: float
    cv: float
    residuals: pd.Series = field(repr=False)
    fitted: pd.Series = field(repr=False)
    error_a: tuple | None = None
    error_b: tuple | None = None
    cv_a: float | None = None
    cv_b: float | None = None
    codes: dict = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        """JSON-safe summary: the ANOVA table and scalars (not the data, residuals or codes)."""
        skip = {"data", "residuals", "fitted", "codes"}
        return {f.name: json_safe(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name not in skip}

    @property
    def treatment_terms(self) -> tuple:
        """The terms whose means can be compared (treatment, factors and their interactions)."""
        if self.design in ("crd", "rcbd", "latin"):
            return (self.roles["treatment"],)
        if self.design == "split_plot":
            m, s = self.roles["main"], self.roles["sub"]
            return (m, s, f"{m}:{s}")
        return tuple(t for t in self.terms if t != self.roles.get("block"))

    @property
    def default_term(self) -> str:
        """The term :func:`compare_means` uses when none is given."""
        if self.design in ("crd", "rcbd", "latin"):
            return self.roles["treatment"]
        if self.design == "split_plot":
            return self.roles["main"]
        return ":".join(self.roles["factors"])

    def error_for(self, term: str) -> tuple[float, float, str]:
        """``(ms, df, name)`` of the error term that ``term``'s means are compared against."""
        if term not in self.treatment_terms:
            raise DesignError(
                f"no term {term!r} in this {self.design} fit; use one of {list(self.treatment_terms)}")
        if self.design == "split_plot":
            if term == self.roles["main"]:
                return self.error_a[1], self.error_a[0], _ERROR_A
            if term == self.roles["sub"]:
                return self.error_b[1], self.error_b[0], _ERROR_B
            raise DesignError(
                f"the split-plot combinations {term!r} mix two error terms: compare them with "
                f"method='lsd' or 'bonferroni' (pair-specific SEs), or see the .sed table")
        return self.mse, self.df_error, _RESIDUALS

    def assumptions(self) -> pd.DataFrame:
        """Checks of the model's assumptions.

        Returns
        -------
        DataFrame
            Indexed by test (``shapiro``: Shapiro–Wilk normality of the residuals;
            ``levene``: Levene's test, median-centred (Brown–Forsythe, as ``car::leveneTest``),
            of equal residual variance across treatments; ``bartlett``: Bartlett's test of the
            same), with columns ``statistic``, ``p_value`` and ``groups`` (the term whose
            levels were the groups).  Treatments are the combinations for factorials and
            split plots.  A test that cannot be computed (fewer than 3 residuals, a group with
            one observation …) gives NaN.
        """
        res = self.residuals.to_numpy(dtype=float)
        if self.design in ("crd", "rcbd", "latin"):
            cols = [self.roles["treatment"]]
        elif self.design == "split_plot":
            cols = [self.roles["main"], self.roles["sub"]]
        else:
            cols = list(self.roles["factors"])
        key = _combine(self.data, cols).to_numpy()
        groups = [res[key == lv] for lv in pd.unique(key)]
        rows = {}
        with np.errstate(all="ignore"):
            try:
                w = stats.shapiro(res) if res.size >= 3 else (np.nan, np.nan)
                rows["shapiro"] = (float(w[0]), float(w[1]))
            except ValueError:
                rows["shapiro"] = (np.nan, np.nan)
            ok = all(g.size >= 2 for g in groups)
            try:
                lv = stats.levene(*groups, center="median") if ok else (np.nan, np.nan)
                rows["levene"] = (float(lv[0]), float(lv[1]))
            except ValueError:
                rows["levene"] = (np.nan, np.nan)
            try:
                bt = stats.bartlett(*groups) if ok else (np.nan, np.nan)
                rows["bartlett"] = (float(bt[0]), float(bt[1]))
            except ValueError:
                rows["bartlett"] = (np.nan, np.nan)
        out = pd.DataFrame.from_dict(rows, orient="index", columns=["statistic", "p_value"])
        out["groups"] = ":".join(cols)
        out.index.name = "test"
        return out


# --------------------------------------------------------------------------------------------
# input checking


def _labels(col: pd.Series) -> tuple[np.ndarray, tuple, np.ndarray]:
    """(text label per row, level order, integer code per row into that order)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        order = tuple(str(c) for c in col.cat.categories)
        codes = col.cat.codes.to_numpy().astype(np.intp)
        return np.asarray(order, dtype=object)[codes], order, codes
    values = col.to_numpy()
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        uniq, codes = np.unique(values, return_inverse=True)
        order = tuple(str(int(v)) if float(v).is_integer() else repr(float(v)) for v in uniq)
    else:
        uniq, codes = np.unique(values.astype(str), return_inverse=True)     # code-point order
        order = tuple(uniq.tolist())
    codes = codes.ravel().astype(np.intp)
    return np.asarray(order, dtype=object)[codes], order, codes


def _combine(data: pd.DataFrame, cols) -> pd.Series:
    cols = list(cols)
    if len(cols) == 1:
        return data[cols[0]]
    out = data[cols[0]].astype(str)
    for c in cols[1:]:
        out = out + ":" + data[c].astype(str)
    return out


def _prepare(data, response, columns: dict) -> tuple[pd.DataFrame, dict, dict, dict]:
    if not isinstance(data, pd.DataFrame):
        raise DesignError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    needed = [response] + [c for c in columns.values()]
    missing = [c for c in dict.fromkeys(needed) if c not in data.columns]
    if missing:
        raise DesignError(
            f"column(s) {missing} not found in the data; it has {list(map(str, data.columns))}")
    if len(set(columns.values())) != len(columns):
        raise DesignError(f"each design role needs its own column, got {columns}")
    y = data[response]
    if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
        bad = pd.to_numeric(y, errors="coerce").isna() & y.notna()
        example = list(y[bad].astype(str).unique()[:3])
        raise DesignError(
            f"response {response!r} is not numeric (e.g. {example}); convert it to numbers, "
            f"with empty cells or NA for missing values")
    yv = y.to_numpy(dtype=float)
    if np.isinf(yv).any():
        raise DesignError(f"response {response!r} has infinite values")
    keep = ~np.isnan(yv)
    all_kept = bool(keep.all())
    out = {response: yv if all_kept else yv[keep]}
    levels, codes, layout = {}, {}, {}
    for role, col in columns.items():
        if col in levels:
            continue
        series = data[col]
        n_na = int(series.isna().sum())
        if n_na:
            raise DesignError(
                f"{role} column {col!r} has {n_na} empty cell(s); every plot needs its {role} level")
        lab, order, code = _labels(series)
        layout[col] = code
        if not all_kept:
            lab, code = lab[keep], code[keep]
        counts = np.bincount(code, minlength=len(order))
        if (counts == 0).any():
            empty = [lv for lv, c in zip(order, counts) if c == 0]
            raise DesignError(
                f"level(s) {empty} of {col!r} have no observation of {response!r} "
                f"(all missing, or an unused category); drop those levels or fill in the data")
        if len(order) < 2:
            raise DesignError(f"{col!r} has {len(order)} level; at least two are needed")
        out[col] = lab
        levels[col] = order
        codes[col] = code
    frame = pd.DataFrame(out, index=data.index if all_kept else data.index[keep])
    return frame, levels, codes, layout


# --------------------------------------------------------------------------------------------
# sequential sums of squares


def _dummies(codes: np.ndarray, n_levels: int) -> np.ndarray:
    return np.eye(n_levels)[codes][:, 1:]


def _sequential(y: np.ndarray, blocks: list[tuple[str, np.ndarray]]):
    """Type-I SS and df per term, fitted values, residuals (R's aov, up to rounding)."""
    n = y.size
    basis = np.full((n, 1), 1.0 / math.sqrt(n))
    mean = math.fsum(y) / n
    yc = y - mean
    out = []
    for name, x in blocks:
        r = x - basis @ (basis.T @ x)
        r = r - basis @ (basis.T @ r)            # re-orthogonalise (classical GS, twice)
        if r.shape[1] == 0:
            out.append((name, 0, 0.0))
            continue
        u, s, _ = np.linalg.svd(r, full_matrices=False)
        scale = max(1.0, float(np.sqrt((x * x).sum(axis=0)).max()))
        rank = int((s > 1e-9 * scale).sum())
        u = u[:, :rank]
        coef = u.T @ yc
        out.append((name, rank, float(coef @ coef)))
        basis = np.hstack([basis, u])
    fitted_c = basis[:, 1:] @ (basis[:, 1:].T @ yc) if basis.shape[1] > 1 else np.zeros(n)
    resid = yc - fitted_c
    return out, mean + fitted_c, resid, n - basis.shape[1]


def _term_matrix(cols, levels, codes) -> np.ndarray:
    mats = [_dummies(codes[c], len(levels[c])) for c in cols]
    x = mats[0]
    for m in mats[1:]:
        x = (x[:, :, None] * m[:, None, :]).reshape(x.shape[0], -1)
    return x


# --------------------------------------------------------------------------------------------
# design checks


def _check_cells(cols, levels, codes, what, hint, exactly_one=False):
    sizes = [len(levels[c]) for c in cols]
    flat = np.zeros_like(codes[cols[0]])
    for c, size in zip(cols, sizes):
        flat = flat * size + codes[c]
    counts = np.bincount(flat, minlength=int(np.prod(sizes)))
    bad = np.flatnonzero(counts == 0) if not exactly_one else np.flatnonzero(counts != 1)
    if bad.size:
        cells = [":".join(levels[c][i] for c, i in zip(cols, np.unravel_index(j, sizes))) for j in bad[:5]]
        more = " …" if bad.size > 5 else ""
        if exactly_one:
            raise DesignError(f"{what}: {cells}{more} should have exactly one plot each "
                              f"(found {[int(counts[j]) for j in bad[:5]]}). {hint}")
        raise DesignError(f"{what}: no observation for {cells}{more}. {hint}")


def anova(data: pd.DataFrame, response: str, *, design: str, treatment: str | None = None,
          block: str | None = None, row: str | None = None, column: str | None = None,
          factors=None, main: str | None = None, sub: str | None = None) -> AnovaFit:
    """ANOVA of a trial: sequential (type-I) sums of squares as R's ``aov``.

    Parameters
    ----------
    data : DataFrame
        One row per plot (or per plant).  A missing response drops its row.
    response : str
        Numeric response column.
    design : str
        ``crd``, ``rcbd``, ``latin``, ``factorial_crd``, ``factorial_rcbd`` or ``split_plot``.
    treatment : str
        Treatment column (crd, rcbd, latin).
    block : str
        Block column (rcbd, factorial_rcbd, split_plot).  Every treatment must occur in every
        block (else use ``crd`` or a mixed model).  A plot whose response is missing (a dead
        plant) is dropped and the trial analysed as unbalanced with sequential SS, as R does.
    row, column : str
        Row and column factors of a Latin square.
    factors : sequence of str
        Two or three factor columns (factorial designs), in the order they enter the model.
    main, sub : str
        Main-plot and subplot factors of a split plot (main plots in complete blocks; the data
        must be complete, one plot per block × main × sub).

    Returns
    -------
    AnovaFit
        ``.table`` with columns ``df, ss, ms, f, p`` indexed by source; ``.mse``,
        ``.df_error``, ``.mean``, ``.cv``; split plot ``.error_a``, ``.error_b``, ``.cv_a``,
        ``.cv_b``; ``.residuals``; ``.assumptions()``.  Model terms in order: crd
        ``treatment``; rcbd ``block + treatment``; latin ``row + column + treatment``;
        factorials ``[block +] a + b [+ c] + a:b [+ a:c + b:c + a:b:c]``; split plot
        ``block, main, error(a), sub, main:sub, error(b)``.

    Raises
    ------
    DesignError
        Missing columns, a non-numeric response, empty design cells, a level without
        observations, fewer than two levels, an incomplete block, a Latin square that is not
        square, or no residual degrees of freedom.

    Notes
    -----
    CV % is 100·√MSerror / grand mean (agricolae's ``cv.model``).  References: R Core Team,
    ``stats::aov``; de Mendiburu, agricolae 1.3-7 (``sp.plot``); Gomez & Gomez (1984),
    *Statistical Procedures for Agricultural Research*, ch. 2–3.

    Examples
    --------
    >>> d = pd.DataFrame({"block": [1, 1, 1, 2, 2, 2, 3, 3, 3],
    ...                   "trt": ["A", "B", "C"] * 3,
    ...                   "y": [10.1, 12.0, 9.5, 10.8, 12.9, 9.9, 9.7, 12.2, 9.0]})
    >>> fit = anova(d, "y", design="rcbd", treatment="trt", block="block")
    >>> fit.table.round(3)  # doctest: +NORMALIZE_WHITESPACE
               df      ss     ms        f      p
    source
    block       2   1.309  0.654   15.919  0.012
    trt         2  13.642  6.821  165.919  0.000
    residuals   4   0.164  0.041      NaN    NaN
    >>> round(fit.cv, 3)
    1.899
    """
    if design not in DESIGNS:
        raise DesignError(f"unknown design {design!r}; use one of {', '.join(DESIGNS)}")
    roles: dict = {}
    need = {
        "crd": ["treatment"], "rcbd": ["treatment", "block"], "latin": ["treatment", "row", "column"],
        "factorial_crd": ["factors"], "factorial_rcbd": ["factors", "block"],
        "split_plot": ["block", "main", "sub"],
    }[design]
    given = {"treatment": treatment, "block": block, "row": row, "column": column,
             "factors": factors, "main": main, "sub": sub}
    absent = [r for r in need if given[r] is None]
    if absent:
        raise DesignError(f"design {design!r} needs {', '.join(absent)}=<column name>")
    extra = [r for r, v in given.items() if v is not None and r not in need]
    if extra:
        raise DesignError(f"design {design!r} does not use {', '.join(extra)}")
    columns: dict = {}
    if "factors" in need:
        fl = [factors] if isinstance(factors, str) else list(factors)
        if not 2 <= len(fl) <= 3:
            raise DesignError(f"a factorial needs two or three factors, got {fl}")
        roles["factors"] = tuple(fl)
        for i, f in enumerate(fl):
            columns[f"factor {i + 1}"] = f
    for r in need:
        if r != "factors":
            roles[r] = given[r]
            columns[r] = given[r]
    frame, levels, codes, layout = _prepare(data, response, columns)
    y = frame[response].to_numpy(dtype=float)

    # model terms in R's order
    if design == "crd":
        terms = [(treatment,)]
    elif design == "rcbd":
        _check_cells([block, treatment], levels, layout, f"RCBD: treatment missing from a block of {block!r}",
                     "An RCBD needs every treatment in every block; analyse it as design='crd' "
                     "or with a mixed model (blocks random).")
        terms = [(block,), (treatment,)]
    elif design == "latin":
        k = len(levels[treatment])
        sizes = {c: len(levels[c]) for c in (row, column, treatment)}
        n_plots = len(layout[treatment])
        if len(set(sizes.values())) != 1 or n_plots != k * k:
            raise DesignError(
                f"not a Latin square: {sizes} levels and {n_plots} plots; a k×k square needs "
                f"k rows, k columns, k treatments and k² plots")
        _check_cells([row, column], levels, layout, "Latin square", "Each row × column cell holds one plot.", True)
        _check_cells([row, treatment], levels, layout, "Latin square", "Each treatment occurs once in each row.", True)
        _check_cells([column, treatment], levels, layout, "Latin square", "Each treatment occurs once in each column.", True)
        terms = [(row,), (column,), (treatment,)]
    elif design in ("factorial_crd", "factorial_rcbd"):
        fl = list(roles["factors"])
        _check_cells(fl, levels, codes, "factorial: empty treatment combination",
                     "Every combination of the factors needs at least one observation.")
        terms = [] if design == "factorial_crd" else [(block,)]
        if design == "factorial_rcbd":
            _check_cells([block] + fl, levels, layout, f"factorial RCBD: combination missing from a block of {block!r}",
                         "Every combination must occur in every block; use design='factorial_crd' "
                         "or a mixed model.")
        terms += [(f,) for f in fl]
        if len(fl) == 2:
            terms += [tuple(fl)]
        else:
            terms += [(fl[0], fl[1]), (fl[0], fl[2]), (fl[1], fl[2]), tuple(fl)]
    else:  # split_plot
        _check_cells([block, main, sub], levels, layout, "split plot: incomplete or unbalanced layout",
                     "sp.plot's analysis needs one plot per block × main × sub.", True)
        if len(frame) != len(layout[block]):
            raise DesignError(
                f"split plot: {len(layout[block]) - len(frame)} plot(s) have no value of {response!r}; "
                f"agricolae's sp.plot analysis needs complete data (estimate the missing plots or "
                f"use a mixed model)")
        terms = [(block,), (main,), (block, main), (sub,), (main, sub)]

    blocks = [(":".join(t), _term_matrix(t, levels, codes)) for t in terms]
    seq, fitted, resid, df_res = _sequential(y, blocks)
    if df_res <= 0:
        raise DesignError(
            f"no residual degrees of freedom ({len(frame)} observations for {len(frame) - df_res} "
            f"parameters): the trial needs replication")
    ss_res = math.fsum(resid * resid)
    mse = ss_res / df_res
    mean = math.fsum(y) / len(y)
    names = [name for name, _, _ in seq] + [_RESIDUALS]
    dfs = np.array([d for _, d, _ in seq] + [df_res], dtype=float)
    sss = np.array([ss for _, _, ss in seq] + [ss_res])
    with np.errstate(divide="ignore", invalid="ignore"):
        mss = np.where(dfs > 0, sss / dfs, np.nan)
    error_a = error_b = cv_a = cv_b = None
    if design == "split_plot":
        ia = names.index(f"{block}:{main}")
        error_a = (float(dfs[ia]), float(mss[ia]))
        error_b = (float(df_res), mse)
        names[ia], names[-1] = _ERROR_A, _ERROR_B
        denom = {block: error_b, main: error_a, sub: error_b, f"{main}:{sub}": error_b}
        cv_a = 100.0 * math.sqrt(error_a[1]) / mean
        cv_b = 100.0 * math.sqrt(error_b[1]) / mean
    else:
        denom = {name: (float(df_res), mse) for name, _, _ in seq}
    f = np.full(len(names), np.nan)
    d2 = np.full(len(names), np.nan)
    for i, name in enumerate(names):
        if name in denom and dfs[i] > 0:
            d2[i], d_ms = denom[name]
            f[i] = mss[i] / d_ms if d_ms > 0 else np.inf
    with np.errstate(invalid="ignore"):
        p = np.where(np.isnan(f), np.nan, special.fdtrc(dfs, np.nan_to_num(d2, nan=1.0), f))
    table = pd.DataFrame({"df": dfs.astype(int), "ss": sss, "ms": mss, "f": f, "p": p},
                         index=pd.Index(names, name="source"))
    return AnovaFit(
        table=table, design=design, response=response,
        terms=tuple(":".join(t) for t in terms), roles=roles, data=frame, levels=levels,
        mse=mse, df_error=float(df_res), mean=mean,
        cv=100.0 * math.sqrt(mse) / mean,
        residuals=pd.Series(resid, index=frame.index, name="residual"),
        fitted=pd.Series(fitted, index=frame.index, name="fitted"),
        error_a=error_a, error_b=error_b, cv_a=cv_a, cv_b=cv_b, codes=codes)
