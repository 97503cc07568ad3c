"""Publication tables of compared means (agronomic reporting style).

:func:`mean_table` turns a :class:`~genelab.trials.means.MeanComparison` into the table a
trial report prints: one row per level in letter-group order with ``mean ± SE`` and the
letters, then footer rows with the method's critical value (LSD0.05, HSD0.05 …), CV % and
the F-test mark of the term (``ns``, ``*``, ``**``).  It returns a plain
:class:`pandas.DataFrame` of text cells — so ``.to_excel(path)``, ``.to_html()`` and
``.to_latex()`` work as for any DataFrame — and keeps the numbers it was built from in
``DataFrame.attrs["numbers"]``.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from genelab.errors import DesignError
from genelab.i18n import label

__all__ = ["mean_table", "f_mark"]


def f_mark(p: float) -> str:
    """F-test mark: ``**`` for p ≤ 0.01, ``*`` for p ≤ 0.05, ``ns`` otherwise (blank if unknown).

    Examples
    --------
    >>> [f_mark(p) for p in (0.001, 0.03, 0.2)]
    ['**', '*', 'ns']
    """
    if p is None or not np.isfinite(p):
        return ""
    return "**" if p <= 0.01 else "*" if p <= 0.05 else "ns"


def _fmt(x: float, digits: int) -> str:
    return "" if x is None or not np.isfinite(x) else f"{x:.{digits}f}"


def _critical(result, digits: int) -> tuple[str, str]:
    st, a = result.statistics, f"{result.alpha:g}"
    m = result.method
    if m == "lsd":
        return f"LSD{a}", _fmt(st.get("lsd", np.nan), digits) or "—"
    if m == "bonferroni":
        return f"MSD{a} (Bonferroni)", _fmt(st.get("msd", np.nan), digits) or "—"
    if m == "tukey":
        return f"HSD{a}", _fmt(st.get("hsd", np.nan), digits) or "—"
    if m == "scheffe":
        return f"CD{a} (Scheffé)", _fmt(st.get("critical_difference", np.nan), digits) or "—"
    if m in ("duncan", "snk"):
        name = "Duncan" if m == "duncan" else "SNK"
        cr = st.get("critical_ranges")
        if cr is None:
            return f"LSR{a} ({name})", "—"
        lo, hi = float(cr["critical_range"].min()), float(cr["critical_range"].max())
        return f"LSR{a} ({name})", f"{_fmt(lo, digits)}–{_fmt(hi, digits)}"
    if m == "dunnett":
        n = result.table["n"]
        if n.nunique() == 1:
            value = st["d_critical"] * math.sqrt(2 * st["mse"] / float(n.iloc[0]))
            return f"DLSD{a} (Dunnett)", _fmt(value, digits)
        return f"DLSD{a} (Dunnett)", "—"
    # other mean comparisons (e.g. rank tests): their LSD or MSD when they report one
    for key, name in (("lsd", "LSD"), ("msd", "MSD")):
        if key in st and st[key] is not None and np.isfinite(st[key]):
            return f"{name}{a} ({m})", _fmt(st[key], digits)
    return None, None


def mean_table(result, *, digits: int = 2, lang: str = "vi") -> pd.DataFrame:
    """The publication table of a mean comparison.

    Parameters
    ----------
    result : MeanComparison
        From :func:`genelab.trials.compare_means`.
    digits : int
        Decimals for means, SEs and critical values (CV % always has one).
    lang : str
        ``vi`` or ``en`` labels.

    Returns
    -------
    DataFrame
        Text cells.  Index: the levels in letter-group order (highest mean first), then the
        footer rows (critical value, CV %, F test).  Columns: ``n`` and ``mean ± SE`` (the
        response name is the column header when known), each cell like ``"12.37 ± 0.12 a"``.
        The critical value is the method's: LSD, Bonferroni MSD, Tukey HSD, Scheffé's critical
        difference, the range of Duncan/SNK least significant ranges, or Dunnett's; "—" when
        group sizes differ and no single value applies.  Results of other tests (rank tests)
        show their ``lsd``/``msd`` if their statistics have one; rows whose statistic is
        missing (no ``cv``, no ``f_p_value``, no ``se`` column) are left out.  ``attrs["numbers"]`` holds the
        numeric table.  Write it with ``mean_table(...).to_excel(path)``.

    Examples
    --------
    >>> from genelab.trials import anova, compare_means
    >>> d = pd.DataFrame({"trt": ["A"] * 3 + ["B"] * 3 + ["C"] * 3,
    ...                   "y": [10.1, 10.8, 9.7, 12.0, 12.9, 12.2, 9.5, 9.9, 9.0]})
    >>> res = compare_means(anova(d, "y", design="crd", treatment="trt"), "lsd")
    >>> mean_table(res, lang="en")  # doctest: +NORMALIZE_WHITESPACE
               n               y
    Treatment
    B          3  12.37 ± 0.29 a
    A          3  10.20 ± 0.29 b
    C          3   9.47 ± 0.29 b
    LSD0.05                 0.99
    CV (%)                   4.6
    F-test                    **
    """
    for attr in ("table", "statistics", "method", "alpha"):
        if not hasattr(result, attr):
            raise DesignError("mean_table needs the result of genelab.trials.compare_means")
    t = result.table
    se = t["se"] if "se" in t.columns else pd.Series(np.nan, index=t.index)
    body = [(f"{_fmt(m, digits)} ± {_fmt(s, digits)} {g}" if np.isfinite(s) else f"{_fmt(m, digits)} {g}").rstrip()
            for m, s, g in zip(t["mean"], se, t["group"])]
    col = result.response or label("mean_se", lang)
    out = pd.DataFrame({label("n", lang): t["n"].astype(int).astype(str).to_list(), col: body},
                       index=[str(i) for i in t.index])
    crit_name, crit_value = _critical(result, digits)
    st = result.statistics
    names, values = [], []
    if crit_name is not None:
        names.append(crit_name)
        values.append(crit_value)
    if st.get("cv") is not None:
        names.append(label("cv", lang))
        values.append(_fmt(st["cv"], 1))
    if st.get("f_p_value") is not None:
        names.append(label("f_test", lang))
        values.append(f_mark(st["f_p_value"]))
    footer = pd.DataFrame({label("n", lang): [""] * len(names), col: values}, index=names)
    table = pd.concat([out, footer])
    table.index.name = label("treatment", lang)
    table.attrs["numbers"] = {"means": t.copy(), "critical": crit_value, "cv": st.get("cv"),
                              "f_p_value": st.get("f_p_value")}
    return table
