"""anova against R (aov / agricolae sp.plot) on every reference case of an ANOVA design."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import case_params, json_pointer, load_case
from genelab.errors import DesignError, GenelabError
from genelab.trials import anova

ANOVA_DESIGNS = ("crd", "rcbd", "latin", "factorial_crd", "factorial_rcbd", "split_plot")
ROW_NAMES = {"Residuals": "residuals", "Ea": "error(a)", "Eb": "error(b)"}


def _read(folder, spec):
    return pd.read_csv(folder / spec["input"], na_values=[spec["missing_value"]], keep_default_na=False)


def _fit(data, spec, response):
    kw = {k: spec[k] for k in ("treatment", "block", "row", "column", "factors", "main", "sub") if k in spec}
    return anova(data, response, design=spec["design"], **kw)


def _check_table(fit, model, terms):
    rows = model["anova"]
    assert list(fit.table.index) == [ROW_NAMES.get(r["source"], r["source"]) for r in rows]
    n = 0
    for rec in rows:
        row = fit.table.loc[ROW_NAMES.get(rec["source"], rec["source"])]
        assert row["df"] == rec["df"]
        assert row["ss"] == pytest.approx(rec["ss"], rel=1e-9)
        assert row["ms"] == pytest.approx(rec["ms"], rel=1e-9)
        if rec["F"] is None:
            assert math.isnan(row["f"]) and math.isnan(row["p"])
        else:
            assert row["f"] == pytest.approx(rec["F"], rel=1e-9)
            assert row["p"] == pytest.approx(rec["p"], rel=1e-9, abs=1e-12)
        n += 5
    return n


@pytest.mark.parametrize("folder", case_params(*ANOVA_DESIGNS))
def test_anova_against_r(folder):
    spec, expected = load_case(folder)
    data = _read(folder, spec)
    fit = _fit(data, spec, spec["response"])
    model = json_pointer(expected, spec["model"]["results_at"])
    _check_table(fit, model, spec["model"]["terms"])
    if spec["design"] == "split_plot":
        assert fit.error_a == (model["gl.a"], pytest.approx(model["Ea"], rel=1e-9))
        assert fit.error_b == (model["gl.b"], pytest.approx(model["Eb"], rel=1e-9))
        assert fit.cv_a == pytest.approx(model["cv_a"], rel=1e-9)
        assert fit.cv_b == pytest.approx(model["cv_b"], rel=1e-9)
        assert round(fit.cv_a, 1) == model["cv_a_printed"] and round(fit.cv_b, 1) == model["cv_b_printed"]
        assert fit.mean == pytest.approx(model["grand_mean"], rel=1e-12)
        assert (fit.mse, fit.df_error) == (pytest.approx(model["Eb"], rel=1e-9), model["gl.b"])
        # base R's error strata agree on the stratum errors and the main/sub F tests
        strata = json_pointer(expected, spec["base_r"]["error_strata"]["results_at"])
        within = {r["source"]: r for r in strata["Error: Within"]}
        assert fit.table.loc["variety", "p"] == pytest.approx(within["variety"]["p"], rel=1e-9)
    else:
        assert fit.mse == pytest.approx(model["mse"], rel=1e-9)
        assert fit.df_error == model["df_error"]
        assert fit.cv == pytest.approx(model["cv_model"], rel=1e-9)
        assert fit.mean == pytest.approx(model["grand_mean"], rel=1e-12)
        assert len(fit.data) == model["n_used"]
    for sec in spec.get("secondary_responses", []):
        fit2 = _fit(data, spec, sec["response"])
        model2 = json_pointer(expected, sec["model_at"])
        _check_table(fit2, model2, spec["model"]["terms"])
        assert fit2.cv == pytest.approx(model2["cv_model"], rel=1e-9)


# ------------------------------------------------------------------------------------------


def _rcbd(n_trt=4, n_blk=3, seed=1):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame([(b, f"T{t}") for b in range(1, n_blk + 1) for t in range(1, n_trt + 1)],
                     columns=["block", "trt"])
    d["y"] = rng.normal(10, 1, len(d)) + d["trt"].str[1:].astype(int)
    return d


def test_unbalanced_crd_and_missing_values_are_dropped():
    d = _rcbd()
    d.loc[0, "y"] = np.nan
    fit = anova(d, "y", design="crd", treatment="trt")
    assert len(fit.data) == len(d) - 1 and fit.table.loc["residuals", "df"] == len(d) - 1 - 4
    assert fit.residuals.index.equals(fit.data.index)
    np.testing.assert_allclose(fit.fitted + fit.residuals, fit.data["y"])


def test_three_factor_factorial_terms_and_orthogonality():
    rng = np.random.default_rng(3)
    d = pd.DataFrame([(a, b, c, r) for a in "xy" for b in "pqr" for c in "uv" for r in range(3)],
                     columns=["a", "b", "c", "rep"])
    d["y"] = rng.normal(5, 1, len(d))
    fit = anova(d, "y", design="factorial_crd", factors=["a", "b", "c"])
    assert list(fit.table.index) == ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c", "residuals"]
    assert list(fit.table["df"]) == [1, 2, 1, 2, 1, 2, 2, 24]
    total = ((d["y"] - d["y"].mean()) ** 2).sum()
    assert fit.table["ss"].sum() == pytest.approx(total, rel=1e-12)


def test_assumptions_table():
    fit = anova(_rcbd(5, 4), "y", design="rcbd", treatment="trt", block="block")
    a = fit.assumptions()
    assert list(a.index) == ["shapiro", "levene", "bartlett"]
    assert ((a["p_value"] >= 0) & (a["p_value"] <= 1)).all()
    from scipy import stats
    assert a.loc["shapiro", "statistic"] == pytest.approx(stats.shapiro(fit.residuals)[0])


def test_block_f_in_split_plot_uses_subplot_error():
    folder = next(p.values[0] for p in case_params("split_plot"))
    spec, _ = load_case(folder)
    fit = _fit(_read(folder, spec), spec, spec["response"])
    t = fit.table
    assert t.loc["block", "f"] == pytest.approx(t.loc["block", "ms"] / t.loc["error(b)", "ms"])
    assert t.loc["nitrogen", "f"] == pytest.approx(t.loc["nitrogen", "ms"] / t.loc["error(a)", "ms"])


@pytest.mark.parametrize("mutate, kwargs, match", [
    (lambda d: d.assign(y=d["y"].astype(str) + "g"), {"design": "crd", "treatment": "trt"}, "not numeric"),
    (lambda d: d, {"design": "crd", "treatment": "variety"}, "not found"),
    (lambda d: d, {"design": "rcbd", "treatment": "trt"}, "needs block"),
    (lambda d: d, {"design": "rcb", "treatment": "trt"}, "unknown design"),
    (lambda d: d.drop(index=[5]), {"design": "rcbd", "treatment": "trt", "block": "block"},
     r"T2'?\]?.*crd.*mixed model|mixed model"),
    (lambda d: d.assign(y=np.where(d["trt"] == "T3", np.nan, d["y"])), {"design": "crd", "treatment": "trt"},
     "no observation"),
    (lambda d: d.assign(trt="T1"), {"design": "crd", "treatment": "trt"}, "at least two"),
    (lambda d: d.groupby("trt").head(1), {"design": "crd", "treatment": "trt"}, "residual degrees of freedom"),
    (lambda d: d.assign(trt=d["trt"].where(d.index != 2)), {"design": "crd", "treatment": "trt"}, "empty cell"),
    (lambda d: d, {"design": "latin", "treatment": "trt", "row": "block", "column": "rep"}, "not a Latin square"),
])
def test_clear_design_errors(mutate, kwargs, match):
    d = _rcbd()
    d["rep"] = d.groupby("trt").cumcount() + 1
    with pytest.raises(DesignError, match=match):
        anova(mutate(d), "y", **kwargs)


def test_rcbd_missing_cell_names_it():
    d = _rcbd().drop(index=[5])       # block 2, T2
    with pytest.raises(GenelabError) as err:
        anova(d, "y", design="rcbd", treatment="trt", block="block")
    assert "2:T2" in str(err.value) and "crd" in str(err.value)


def test_latin_square_validation():
    k = 4
    d = pd.DataFrame([(r, c, f"T{(r + c) % k}") for r in range(k) for c in range(k)], columns=["row", "col", "trt"])
    d["y"] = np.arange(len(d), dtype=float) % 7
    fit = anova(d, "y", design="latin", treatment="trt", row="row", column="col")
    assert list(fit.table["df"]) == [3, 3, 3, 6]
    bad = d.copy()
    bad.loc[0, "trt"], bad.loc[1, "trt"] = bad.loc[1, "trt"], bad.loc[0, "trt"]
    bad.loc[0, "trt"] = bad.loc[4, "trt"]
    with pytest.raises(DesignError, match="once"):
        anova(bad, "y", design="latin", treatment="trt", row="row", column="col")


def test_levels_order_numeric_and_categorical():
    d = _rcbd()
    d["dose"] = d["trt"].map({"T1": 0, "T2": 50, "T3": 100, "T4": 200})
    fit = anova(d, "y", design="crd", treatment="dose")
    assert fit.levels["dose"] == ("0", "50", "100", "200")
    d["cat"] = pd.Categorical(d["trt"], categories=["T4", "T3", "T2", "T1"])
    assert anova(d, "y", design="crd", treatment="cat").levels["cat"] == ("T4", "T3", "T2", "T1")


def test_fit_is_frozen_and_json_safe():
    fit = anova(_rcbd(), "y", design="rcbd", treatment="trt", block="block")
    with pytest.raises(Exception):
        fit.mse = 1.0
    d = fit.to_dict()
    assert d["table"][0]["source"] == "block" and d["design"] == "rcbd"


def test_rcbd_with_missing_response_matches_statsmodels_type1():
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm
    d = _rcbd(5, 4)
    d.loc[[3, 11], "y"] = np.nan              # two dead plots: unbalanced, sequential SS
    fit = anova(d, "y", design="rcbd", treatment="trt", block="block")
    ref = anova_lm(smf.ols("y ~ C(block) + C(trt)", data=d.dropna()).fit(), typ=1)
    np.testing.assert_allclose(fit.table["ss"].to_numpy(), ref["sum_sq"].to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(fit.table["p"].to_numpy()[:2], ref["PR(>F)"].to_numpy()[:2], rtol=1e-9)


def test_split_plot_with_missing_value_is_refused():
    folder = next(p.values[0] for p in case_params("split_plot"))
    spec, _ = load_case(folder)
    d = _read(folder, spec)
    d.loc[4, spec["response"]] = np.nan
    with pytest.raises(DesignError, match="complete data"):
        _fit(d, spec, spec["response"])
