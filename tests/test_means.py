"""compare_means against agricolae (R) on every reference case of an ANOVA design.

The driver discovers the case folders (tests/conftest.py ``case_params``) and, for every
comparison in each spec (and each secondary response), runs every test whose name is in
``TESTS``.  ``TESTS`` maps a spec test name to a callable ``f(ctx) -> result`` with ``.table``,
``.statistics`` and ``.pairwise``; other helpers add their rank tests to it (and their statistic
names to ``STAT_KEYS``).  Test names not in ``TESTS`` belong to another module's driver.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from conftest import case_params, json_pointer, load_case
from genelab.errors import DesignError
from genelab.trials import anova, compare_means
from genelab.trials._ptukey import ptukey, qtukey, range_cdf

ANOVA_DESIGNS = ("crd", "rcbd", "latin", "factorial_crd", "factorial_rcbd", "split_plot")


@dataclass(frozen=True)
class Ctx:
    """What a test callable may need."""

    data: pd.DataFrame
    spec: dict
    response: str
    columns: tuple      # the compared columns (one, or several for combinations)
    term: str           # "a" or "a:b"
    fit: object
    alpha: float


def _cm(method, **kw):
    return lambda ctx: compare_means(ctx.fit, method, alpha=ctx.alpha, term=ctx.term, **kw)


#: spec test name -> callable(ctx) returning a result with table / statistics / pairwise.
TESTS = {
    "LSD_none": _cm("lsd"),
    "LSD_bonferroni": _cm("bonferroni"),
    "HSD": _cm("tukey"),
    "HSD_unbalanced_harmonic": _cm("tukey", unbalanced="harmonic"),
    "duncan": _cm("duncan"),
    "SNK": _cm("snk"),
    "scheffe": _cm("scheffe"),
}
#: tests whose numbers go through the studentized range (1e-6 relative, README tolerances)
STUDENTIZED = {"HSD", "HSD_unbalanced_harmonic", "duncan", "SNK"}

#: agricolae statistics column -> genelab statistics key
STAT_KEYS = {"MSerror": "mse", "Df": "df", "Mean": "mean", "CV": "cv", "t.value": "t_value",
             "LSD": "lsd", "MSD": "msd", "F": "f_critical", "Scheffe": "scheffe",
             "CriticalDifference": "critical_difference"}
CRITICAL_KEYS = {"t_value", "lsd", "msd", "hsd", "f_critical", "scheffe", "critical_difference",
                 "critical_ranges"}


def _close(got, want, rtol, what):
    if want is None:
        assert got is None or (isinstance(got, float) and math.isnan(got)), what
        return 1
    assert got == pytest.approx(want, rel=rtol, abs=rtol * 1e-3), f"{what}: {got!r} != {want!r}"
    return 1


def _read(folder, spec):
    return pd.read_csv(folder / spec["input"], na_values=[spec["missing_value"]], keep_default_na=False)


def _fit(data, spec, response):
    kw = {k: spec[k] for k in ("treatment", "block", "row", "column", "factors", "main", "sub") if k in spec}
    return anova(data, response, design=spec["design"], **kw)


def _jobs(spec, expected):
    """(response, columns, test, R result, error pointer) for every test this driver owns."""
    for comp in spec.get("comparisons", []):
        base = json_pointer(expected, comp["results_at"])
        for test in comp["tests"]:
            yield spec["response"], tuple(comp["treatment"]), test, base.get(comp["key_prefix"] + test), comp
    for sec in spec.get("secondary_responses", []):
        base = json_pointer(expected, sec["results_at"])
        cols = sec.get("treatment", spec.get("treatment"))
        cols = tuple(cols) if isinstance(cols, list) else (cols,)
        for test in sec["tests"]:
            yield sec["response"], cols, test, base.get(sec.get("key_prefix", "") + test), sec


def check_against_r(got, want, test, comp, expected) -> int:
    """Compare one result with one agricolae block; returns the number of values checked."""
    rtol = 1e-6 if test in STUDENTIZED else 1e-9
    n = 0
    st = got.statistics
    # statistics: every key R has is present and equal; no critical value R dropped
    for key, val in want["statistics"].items():
        assert key in STAT_KEYS, f"unmapped agricolae statistic {key!r}"
        n += _close(st[STAT_KEYS[key]], val, rtol if key in ("MSD",) else 1e-9, f"{test} {key}")
    mine = {k for k in CRITICAL_KEYS if k in st} - {"hsd", "critical_ranges"}
    theirs = {STAT_KEYS[k] for k in want["statistics"]} & CRITICAL_KEYS
    assert mine == theirs, f"{test}: critical values {sorted(mine)} but R has {sorted(theirs)}"
    if isinstance(comp.get("error"), dict):
        n += _close(st["mse"], json_pointer(expected, comp["error"]["ms_at"]), 1e-9, "error ms")
        n += _close(st["df"], json_pointer(expected, comp["error"]["df_at"]), 1e-12, "error df")
    if "StudentizedRange" in want["parameters"]:
        n += _close(st["studentized_range"], want["parameters"]["StudentizedRange"], 1e-6, "q")
    # critical ranges (Duncan / SNK, equal n only)
    cr = want.get("critical_ranges")
    if cr is not None:
        mine_cr = st["critical_ranges"]
        assert [str(s) for s in mine_cr["span"]] == [r["p"] for r in cr]
        for (_, row), rec in zip(mine_cr.iterrows(), cr):
            n += _close(row["table"], rec["Table"], 1e-6, f"{test} Table")
            n += _close(row["critical_range"], rec["CriticalRange"], 1e-6, f"{test} CriticalRange")
    else:
        assert "critical_ranges" not in st
    # means
    table = got.table
    for rec in want["means"]:
        row = table.loc[rec["trt"]]
        n += _close(row["mean"], rec["mean"], 1e-9, f"{test} mean {rec['trt']}")
        n += _close(row["std"], rec["std"], 1e-9, f"{test} std {rec['trt']}")
        assert int(row["n"]) == rec["r"]
        n += 1
        if "se" in rec:
            n += _close(row["se"], rec["se"], 1e-9, f"{test} se {rec['trt']}")
        for a, b in (("LCL", "lcl"), ("UCL", "ucl")):
            if a in rec:
                n += _close(row[b], rec[a], 1e-9, f"{test} {a} {rec['trt']}")
    # groups: order and letters exact
    assert list(table.index) == [g["trt"] for g in want["groups"]], f"{test} group order"
    assert list(table["group"]) == [g["groups"] for g in want["groups"]], f"{test} letters"
    n += 2 * len(want["groups"])
    # pairwise
    pw = got.pairwise.set_index("pair")
    assert list(pw.index) == [r["pair"] for r in want["pairwise"]], f"{test} pairs"
    for rec in want["pairwise"]:
        row = pw.loc[rec["pair"]]
        dif = rec.get("difference", rec.get("Difference"))
        n += _close(row["difference"], dif, 1e-9, f"{test} diff {rec['pair']}")
        assert row["p_value"] == pytest.approx(rec["pvalue"], abs=1e-12), f"{test} p {rec['pair']}"
        code = rec.get("signif.", rec.get("sig", rec.get("Signif.")))
        assert row["signif"] == code, f"{test} signif {rec['pair']}"
        n += 2
        # an interval end is difference ∓ half-width: judge it relative to the larger of the
        # two (R's own qtukey is exact only to ~1e-8, which cancellation would magnify)
        scale = max(abs(rec["LCL"]), abs(rec["UCL"]))
        for a, b in (("LCL", "lcl"), ("UCL", "ucl")):
            assert abs(row[b] - rec[a]) <= rtol * scale, f"{test} {a} {rec['pair']}: {row[b]} != {rec[a]}"
            n += 1
    return n


@pytest.mark.parametrize("folder", case_params(*ANOVA_DESIGNS))
def test_compare_means_against_r(folder):
    spec, expected = load_case(folder)
    data = _read(folder, spec)
    fits = {}
    checked = tests_run = 0
    for response, columns, test, want, comp in _jobs(spec, expected):
        if test not in TESTS:
            continue                      # another helper's test (kruskal, friedman …)
        assert want is not None, f"no R result for {test}"
        if response not in fits:
            fits[response] = _fit(data, spec, response)
        ctx = Ctx(data, spec, response, columns, ":".join(columns), fits[response], spec["alpha"])
        got = TESTS[test](ctx)
        checked += check_against_r(got, want, test, comp, expected)
        tests_run += 1
    assert tests_run > 0
    _COUNTS[folder.name] = (tests_run, checked)


_COUNTS: dict = {}


@pytest.mark.parametrize("folder", case_params("germination"))
def test_compare_means_on_germination_indices_against_r(folder):
    """The germination cases' CRD ANOVAs of per-dish indices, fed with R's per-dish values.

    (Computing the indices themselves is the germination module's job; here R's values are
    the response, so this checks only the ANOVA and the mean separation.)"""
    spec, expected = load_case(folder)
    analyses = spec.get("analyses") or []
    if not analyses:
        assert spec.get("treatment") is None       # the edge-dish file has no ANOVA
        return
    per_dish = pd.DataFrame(json_pointer(expected, spec["per_dish"]["all_indices_at"]))
    checked = 0
    for an in analyses:
        assert an["design"] == "crd" and an["response_from"] == "per_dish_metrics"
        data = per_dish[[an["treatment"], an["response"]]].copy()
        data[an["response"]] = pd.to_numeric(data[an["response"]])
        fit = anova(data, an["response"], design="crd", treatment=an["treatment"])
        model = json_pointer(expected, an["model_at"])
        for rec in model["anova"]:
            row = fit.table.loc["residuals" if rec["source"] == "Residuals" else rec["source"]]
            assert row["ss"] == pytest.approx(rec["ss"], rel=1e-9)
            if rec["F"] is not None:
                assert row["p"] == pytest.approx(rec["p"], rel=1e-9, abs=1e-12)
        assert fit.cv == pytest.approx(model["cv_model"], rel=1e-9)
        base = json_pointer(expected, an["results_at"])
        comp = {"error": "model_residual"}
        for test in an["tests"]:
            if test not in TESTS:
                continue
            ctx = Ctx(data, spec, an["response"], (an["treatment"],), an["treatment"], fit, spec["alpha"])
            checked += check_against_r(TESTS[test](ctx), base[an.get("key_prefix", "") + test], test, comp, expected)
    assert checked > 0
    _COUNTS[folder.name] = (sum(len(a["tests"]) for a in analyses), checked)


def test_tukey_pvalues_against_base_r_tukeyhsd():
    """Unrounded Tukey–Kramer p-values against base R's TukeyHSD (p_adj), 1e-9 rel / 1e-12 abs."""
    checked = 0
    for param in case_params(*ANOVA_DESIGNS):
        folder = param.values[0]
        spec, expected = load_case(folder)
        blocks = spec.get("base_r", {}).get("TukeyHSD")
        if not blocks:
            continue
        blocks = blocks if isinstance(blocks, list) else [blocks]
        fit = _fit(_read(folder, spec), spec, spec["response"])
        for b in blocks:
            res = compare_means(fit, "tukey", term=b["treatment"])
            pw = res.pairwise
            lookup = {(a, c): r for a, c, r in zip(pw["level_a"], pw["level_b"], pw.itertuples())}
            for rec in json_pointer(expected, b["results_at"]):
                later, earlier = next((x, y) for (y, x) in lookup if f"{x}-{y}" == rec["pair"])
                row = lookup[(earlier, later)]
                assert row.p_exact == pytest.approx(rec["p_adj"], rel=1e-9, abs=1e-12)
                assert -row.difference == pytest.approx(rec["diff"], rel=1e-9)
                assert -row.ucl == pytest.approx(rec["lwr"], rel=1e-6)
                checked += 1
    assert checked >= 50


# ------------------------------------------------------------------------------------------
# the fast studentized range


def _range_cdf_exact(w, k):
    """W_k(w) = k ∫ φ(z)[Φ(z + w) − Φ(z)]^(k−1) dz by fine composite Gauss–Legendre."""
    from scipy.special import ndtr
    x, a = np.polynomial.legendre.leggauss(40)
    edges = np.linspace(-10, 10, 81)
    mid, rad = (edges[1:] + edges[:-1]) / 2, (edges[1:] - edges[:-1]) / 2
    z = (mid[:, None] + rad[:, None] * x).ravel()
    wt = (rad[:, None] * a).ravel() * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    band = ndtr(z[None, :] + np.asarray(w, float)[:, None]) - ndtr(z[None, :])
    return k * (band ** (k - 1)) @ wt


def test_range_cdf_matches_closed_form_and_exact_integral():
    from scipy.special import erf
    w = np.linspace(0.01, 12, 200)
    np.testing.assert_allclose(range_cdf(w, 2), erf(w / 2), rtol=0, atol=1e-12)
    for k in (3, 6, 9):      # R's 12-point inner rule is within ~3e-9 of the exact W for k <= 9
        np.testing.assert_allclose(range_cdf(w, k), _range_cdf_exact(w, k), rtol=0, atol=5e-9)


@pytest.mark.parametrize("k", [2, 3, 5, 7])
def test_ptukey_matches_scipy(k):
    """Against scipy's adaptive integration where R's quadrature is accurate (df >= 11, k <= 7).

    For small df and large k R's own rule is less accurate (e.g. 2e-6 at k = 3, df = 3;
    1e-6 in W for k = 65); genelab follows R there (see test_tukey_pvalues_against_base_r).
    """
    from scipy.stats import studentized_range
    q = np.array([0.5, 1.0, 2.0, 3.0, 4.0, 5.5, 7.0])
    for df in (11, 12, 13, 18, 24, 36, 60, 99, 150, 1000):
        got = ptukey(q, k, df)
        want = studentized_range.cdf(q, k, df)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=f"k={k} df={df}")


def test_ptukey_follows_r_quadrature_for_small_even_df():
    """R's ptukey is off by ~4e-5 at df = 2 (k = 2, where the exact value is a t probability);
    genelab reproduces R's rule rather than the exact value."""
    from scipy.stats import t
    exact = 2 * t.cdf(3 / math.sqrt(2), 2) - 1
    assert abs(float(ptukey(3.0, 2, 2)) - exact) > 1e-5


def test_qtukey_inverts_ptukey_and_matches_r():
    q = float(qtukey(0.95, 6, 18))
    assert q == pytest.approx(4.49442007645147, rel=1e-7)           # R: qtukey(0.95, 6, 18)
    assert float(ptukey(q, 6, 18)) == pytest.approx(0.95, abs=1e-13)
    assert float(qtukey(0.95 ** 5, 6, 18)) == pytest.approx(3.32032702640744, rel=1e-7)


def test_ptukey_vectorised_shapes_and_edges():
    p = ptukey([[0.0, 1.0], [np.inf, 2.0]], [[3, 3], [4, 5]], 10)
    assert p.shape == (2, 2) and p[0, 0] == 0.0 and p[1, 0] == 1.0
    assert np.isnan(ptukey(1.0, 1, 10))
    assert ptukey(2.0, 3, 30000)[()] == pytest.approx(range_cdf(2.0, 3)[()], abs=0)


# ------------------------------------------------------------------------------------------
# behaviour beyond the references


def _crd():
    return pd.DataFrame({"trt": list("AAAABBBBCCCC"),
                         "y": [10.1, 10.8, 9.7, 10.4, 12.0, 12.9, 12.2, 12.5, 9.5, 9.9, 9.0, 9.6]})


def test_dunnett_against_published_table():
    res = compare_means(anova(_crd(), "y", design="crd", treatment="trt"), "dunnett", control="A")
    pw = res.pairwise.set_index("pair")
    assert list(pw.index) == ["B - A", "C - A"]
    # equal n: the two-sided 5 % critical value for 2 comparisons on 9 df is 2.61 (Dunnett 1964)
    assert res.statistics["d_critical"] == pytest.approx(2.61, abs=5e-3)
    assert pw.loc["B - A", "p_value"] < 0.001
    assert res.table.loc["A", "group"] == "control"


def test_dunnett_reduces_to_t_with_one_comparison():
    from scipy.stats import t
    d = _crd()[lambda x: x.trt != "C"]
    res = compare_means(anova(d, "y", design="crd", treatment="trt"), "dunnett", control="A")
    assert res.statistics["d_critical"] == pytest.approx(t.ppf(0.975, 6), rel=1e-8)
    p_t = 2 * t.sf(abs(res.pairwise["difference"].iloc[0]) / res.pairwise["se"].iloc[0], 6)
    assert res.pairwise["p_exact"].iloc[0] == pytest.approx(p_t, abs=1e-9)


def test_split_plot_sed_and_combinations():
    folder = next(p.values[0] for p in case_params("split_plot"))
    spec, _ = load_case(folder)
    fit = _fit(_read(folder, spec), spec, spec["response"])
    res = compare_means(fit, "lsd", term="nitrogen")
    sed = res.sed
    (dfa, ea), (dfb, eb) = fit.error_a, fit.error_b
    r, a, b = 3, 4, 3
    assert sed["sed"].iloc[0] == pytest.approx(math.sqrt(2 * ea / (r * b)))
    assert sed["sed"].iloc[2] == pytest.approx(math.sqrt(2 * eb / r))
    assert sed["sed"].iloc[3] == pytest.approx(math.sqrt(2 * ((b - 1) * eb + ea) / (r * b)))
    combo = compare_means(fit, "lsd", term="nitrogen:variety")
    pw = combo.pairwise
    same = pw["level_a"].str.split(":").str[0] == pw["level_b"].str.split(":").str[0]
    assert np.allclose(pw.loc[same, "se"], math.sqrt(2 * eb / r))
    assert np.allclose(pw.loc[same, "df"], dfb)
    assert (pw.loc[~same, "df"] > min(dfa, dfb)).all()
    with pytest.raises(DesignError, match="no single error term"):
        compare_means(fit, "tukey", term="nitrogen:variety")


def test_bad_arguments():
    fit = anova(_crd(), "y", design="crd", treatment="trt")
    with pytest.raises(DesignError, match="unknown method"):
        compare_means(fit, "games-howell")
    with pytest.raises(DesignError, match="no term"):
        compare_means(fit, term="nope")
    with pytest.raises(DesignError, match="control"):
        compare_means(fit, "dunnett")
    with pytest.raises(DesignError, match="alpha"):
        compare_means(fit, alpha=5)


def test_result_is_json_safe():
    res = compare_means(anova(_crd(), "y", design="crd", treatment="trt"), "duncan")
    d = res.to_dict()
    assert d["statistics"]["critical_ranges"][0]["span"] == 2
    assert d["table"][0]["level"] == "B"


# ------------------------------------------------------------------------------------------
# publication table and figure


@pytest.mark.parametrize("method", ["lsd", "bonferroni", "tukey", "duncan", "snk", "scheffe"])
def test_mean_table_footer(method, tmp_path):
    from genelab.trials import mean_table
    res = compare_means(anova(_crd(), "y", design="crd", treatment="trt"), method)
    tab = mean_table(res, lang="en", digits=3)
    assert list(tab.index[:3]) == list(res.table.index)
    assert tab.iloc[0, 1].endswith(" a") and "±" in tab.iloc[0, 1]
    assert tab.loc["CV (%)"].iloc[1] == f"{res.statistics['cv']:.1f}"
    assert tab.loc["F-test"].iloc[1] == "**"
    crit = tab.iloc[3, 1]
    assert crit not in ("", "—")
    if method == "lsd":
        assert tab.index[3] == "LSD0.05" and crit == f"{res.statistics['lsd']:.3f}"
    path = tmp_path / "means.xlsx"
    tab.to_excel(path)
    assert path.stat().st_size > 0
    vi = mean_table(res)               # Vietnamese labels by default
    assert vi.index.name == "Công thức"


def test_mean_table_unbalanced_has_no_single_critical_value():
    from genelab.trials import mean_table
    d = _crd().drop(index=[0])
    tab = mean_table(compare_means(anova(d, "y", design="crd", treatment="trt"), "lsd"), lang="en")
    assert tab.loc["LSD0.05"].iloc[1] == "—"


def test_means_with_letters_draws_letters():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from genelab.plots import means_with_letters
    res = compare_means(anova(_crd(), "y", design="crd", treatment="trt"), "duncan")
    ax = means_with_letters(res, lang="en")
    assert [t.get_text() for t in ax.texts] == list(res.table["group"])
    assert [t.get_text() for t in ax.get_xticklabels()] == list(res.table.index)
    plt.close(ax.figure)


def test_interaction_term_in_either_factor_order():
    folder = next(p.values[0] for p in case_params("factorial_crd"))
    spec, _ = load_case(folder)
    fit = _fit(_read(folder, spec), spec, spec["response"])
    a, b = spec["factors"]
    fwd = compare_means(fit, "lsd", term=f"{a}:{b}")
    rev = compare_means(fit, "lsd", term=f"{b}:{a}")
    assert rev.table["mean"].sort_values().to_numpy() == pytest.approx(fwd.table["mean"].sort_values().to_numpy())
    assert rev.table.index[0].split(":")[::-1] == fwd.table.index[0].split(":")
    assert rev.statistics["f_p_value"] == fwd.statistics["f_p_value"]


def test_exact_fit_is_refused():
    d = pd.DataFrame({"trt": list("AABBCC"), "y": [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]})
    with pytest.raises(DesignError, match="exactly"):
        compare_means(anova(d, "y", design="crd", treatment="trt"), "lsd")


def test_dunnett_unequal_n_agrees_with_scipy():
    """scipy.stats.dunnett (one-way data only; randomised QMC integration) as a cross-check."""
    from scipy.stats import dunnett
    rng = np.random.default_rng(7)
    sizes = {"ctl": 6, "t1": 4, "t2": 5, "t3": 7}
    shift = {"ctl": 0.0, "t1": 0.8, "t2": 1.6, "t3": 0.3}
    d = pd.DataFrame([(g, rng.normal(10 + shift[g], 1)) for g, n in sizes.items() for _ in range(n)],
                     columns=["trt", "y"])
    res = compare_means(anova(d, "y", design="crd", treatment="trt"), "dunnett", control="ctl")
    ref = dunnett(*[d.loc[d.trt == g, "y"].to_numpy() for g in ("t1", "t2", "t3")],
                  control=d.loc[d.trt == "ctl", "y"].to_numpy(), rng=np.random.default_rng(1))
    np.testing.assert_allclose(res.pairwise["p_exact"], ref.pvalue, atol=2e-3)
    ci = ref.confidence_interval(0.95)
    np.testing.assert_allclose(res.pairwise["lcl"], ci.low, atol=5e-3)


def test_mean_table_accepts_other_comparisons():
    """A rank-test result (no se, its own statistics) still gets a table."""
    from genelab.trials import mean_table
    from genelab.trials.means import MeanComparison
    table = pd.DataFrame({"mean": [3.5, 2.0], "n": [4, 4], "std": [1.0, 1.2], "group": ["a", "b"]},
                         index=pd.Index(["B", "A"], name="level"))
    res = MeanComparison(table=table, statistics={"msd": 1.23456}, pairwise=pd.DataFrame(),
                         method="kruskal", term="trt", alpha=0.05)
    tab = mean_table(res, lang="en")
    assert list(tab.index) == ["B", "A", "MSD0.05 (kruskal)"]
    assert tab.iloc[0, 1] == "3.50 a" and tab.iloc[2, 1] == "1.23"
