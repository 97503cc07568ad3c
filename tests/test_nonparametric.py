"""Kruskal–Wallis and Friedman against agricolae, base R and scipy."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from conftest import case_params, json_pointer, load_case
from genelab.errors import DesignError
from genelab.trials.nonparametric import friedman, kruskal

RTOL = 1e-6


def _runs(folder, test_prefix):
    """One dict per test named test_prefix* in a case folder: the comparisons of the main
    response and of any secondary response (response, treatment columns, label separator,
    where the result is)."""
    spec, _ = load_case(folder)
    out = []
    for comp in spec.get("comparisons", []):
        for test in comp["tests"]:
            if test.startswith(test_prefix):
                trt = comp["treatment"]
                out.append({"response": spec["response"], "treatment": trt if isinstance(trt, list) else [trt],
                            "sep": comp.get("label_separator", ":"), "test": test,
                            "at": comp["results_at"] + "/" + comp.get("key_prefix", "") + test})
    for sec in spec.get("secondary_responses") or []:
        trt = sec.get("treatment") or spec.get("treatment")
        for test in sec["tests"]:
            if test.startswith(test_prefix):
                out.append({"response": sec["response"], "treatment": trt if isinstance(trt, list) else [trt],
                            "sep": sec.get("label_separator", ":"),
                            "test": test, "at": sec["results_at"] + "/" + sec.get("key_prefix", "") + test})
    return out


def _cases_with(test_prefix):
    """pytest parameters (one per case folder, id = case name) of the cases carrying the test."""
    return [p for p in case_params() if _runs(p.values[0], test_prefix)]


def _data(folder, spec, run=None):
    data = pd.read_csv(folder / spec["input"], na_values=[spec["missing_value"]], keep_default_na=False)
    if run is not None and len(run["treatment"]) > 1:  # combinations labelled "a:b"
        cols = run["treatment"]
        label = data[cols[0]].astype(str)
        for c in cols[1:]:
            label = label + run["sep"] + data[c].astype(str)
        data = data.assign(_trt=label)
    return data


def _trt(run):
    return "_trt" if len(run["treatment"]) > 1 else run["treatment"][0]


def _r_label(v) -> str:
    """A level as R prints it (as.character): 2.0 -> "2", 0.5 -> "0.5"."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _check_common(res, want, stat_col):
    # means table (agricolae: sorted label order)
    means = {str(m["trt"]): m for m in want["means"]}
    tab = res.table.rename(index=_r_label)      # numeric levels: R's labels are text
    assert sorted(tab.index, key=str) == sorted(means)
    for lv, row in tab.iterrows():
        m = means[lv]
        assert row["n"] == m["r"]
        assert_allclose(row["mean"], m["mean"], rtol=RTOL)
        assert_allclose(row[stat_col], m[stat_col], rtol=RTOL)
        if m["std"] is None:
            assert np.isnan(row["std"])
        else:
            assert_allclose(row["std"], m["std"], rtol=RTOL)
        for ours, theirs in [("min", "Min"), ("max", "Max"), ("q25", "Q25"), ("q50", "Q50"), ("q75", "Q75")]:
            assert_allclose(row[ours], m[theirs], rtol=RTOL)
    # groups: order and letters exactly
    assert list(tab.index) == [str(g["trt"]) for g in want["groups"]]
    assert list(tab["group"]) == [g["groups"] for g in want["groups"]]
    assert_allclose(tab[stat_col].to_numpy(), [g[stat_col] for g in want["groups"]], rtol=RTOL)
    # pairwise
    pw = res.pairwise.set_index("pair")
    assert list(pw.index) == [p["pair"] for p in want["pairwise"]]
    diff_key = "Difference" if "Difference" in want["pairwise"][0] else "difference"
    sig_key = "Signif." if "Signif." in want["pairwise"][0] else "signif."
    for p in want["pairwise"]:
        row = pw.loc[p["pair"]]
        assert_allclose(row["difference"], p[diff_key], rtol=RTOL, atol=1e-12)
        assert row["p_value"] == pytest.approx(p["pvalue"], abs=1e-12)
        assert row["signif"] == p[sig_key]
        assert_allclose([row["lcl"], row["ucl"]], [p["LCL"], p["UCL"]], rtol=RTOL, atol=1e-12)
    return len(want["groups"])


@pytest.mark.parametrize("folder", _cases_with("kruskal"))
def test_kruskal_against_r(folder):
    for run in _runs(folder, "kruskal"):
        _check_kruskal(folder, run)


def _check_kruskal(folder, run):
    spec, expected = load_case(folder)
    want = json_pointer(expected, run["at"])
    data = _data(folder, spec, run)
    test = run["test"]
    p_adjust = None if test == "kruskal_none" else test.split("_", 1)[1]
    res = kruskal(data, run["response"], _trt(run), alpha=spec["alpha"], p_adjust=p_adjust)
    st = want["statistics"]
    assert_allclose(res.statistics["chisq"], st["Chisq"], rtol=RTOL)
    assert res.statistics["df"] == st["Df"]
    assert_allclose(res.statistics["p_value"], st["p.chisq"], rtol=RTOL, atol=1e-12)
    if "t.value" in st:  # equal n only in agricolae
        assert_allclose(res.statistics["t_value"], st["t.value"], rtol=RTOL)
        assert_allclose(res.statistics["msd"], st["MSD"], rtol=RTOL)
    else:
        assert "msd" not in res.statistics
    assert want["parameters"]["ntr"] == len(res.table)
    assert _check_common(res, want, "rank_mean") >= 2
    # agrees with scipy's H
    y = data[run["response"]]
    groups = [g.dropna().to_numpy() for _, g in y.groupby(data[_trt(run)])]
    assert_allclose(res.statistics["chisq"], stats.kruskal(*groups).statistic, rtol=1e-9)


@pytest.mark.parametrize("folder", _cases_with("friedman"))
def test_friedman_against_r(folder):
    for run in _runs(folder, "friedman"):
        _check_friedman(folder, run)


def _check_friedman(folder, run):
    spec, expected = load_case(folder)
    want = json_pointer(expected, run["at"])
    data = _data(folder, spec, run)
    res = friedman(data, run["response"], _trt(run), spec["block"], alpha=spec["alpha"])
    st = want["statistics"]
    for ours, theirs in [("chisq", "Chisq"), ("f", "F"), ("t_value", "t.value"), ("lsd", "LSD")]:
        if theirs in st or theirs in ("Chisq", "F"):     # agricolae drops t/LSD with unequal r
            assert_allclose(res.statistics[ours], st[theirs], rtol=RTOL)
    for ours, theirs in [("p_value", "p.chisq"), ("p_value_f", "p.F")]:
        assert_allclose(res.statistics[ours], st[theirs], rtol=RTOL, atol=1e-12)
    assert res.statistics["df"] == st["Df"] and res.statistics["df_error"] == st["DFerror"]
    assert _check_common(res, want, "rank_sum") >= 2
    # agrees with scipy on the block x treatment matrix
    wide = data.pivot_table(index=spec["block"], columns=_trt(run), values=run["response"])
    sp = stats.friedmanchisquare(*[wide[c].to_numpy() for c in wide.columns])
    assert_allclose(res.statistics["chisq"], sp.statistic, rtol=1e-9)
    assert_allclose(res.statistics["p_value"], sp.pvalue, rtol=1e-9)


def _base_r_cases(name):
    out = []
    for param in case_params():
        folder = param.values[0]
        spec, _ = load_case(folder)
        if name in spec.get("base_r", {}):
            out.append(pytest.param(folder, id=folder.name))
    return out


@pytest.mark.parametrize("folder", _base_r_cases("kruskal.test"))
def test_kruskal_test_against_base_r(folder):
    spec, expected = load_case(folder)
    want = json_pointer(expected, spec["base_r"]["kruskal.test"]["results_at"])
    trt = spec["base_r"]["kruskal.test"].get("treatment") or spec["treatment"]
    res = kruskal(_data(folder, spec), spec["response"], trt)
    assert_allclose(res.statistics["chisq"], want["statistic"], rtol=RTOL)
    assert res.statistics["df"] == want["parameter"]
    assert_allclose(res.statistics["p_value"], want["p.value"], rtol=RTOL)


@pytest.mark.parametrize("folder", _base_r_cases("friedman.test"))
def test_friedman_test_against_base_r(folder):
    spec, expected = load_case(folder)
    want = json_pointer(expected, spec["base_r"]["friedman.test"]["results_at"])
    trt = spec["base_r"]["friedman.test"].get("treatment") or spec["treatment"]
    res = friedman(_data(folder, spec), spec["response"], trt, spec["block"])
    assert_allclose(res.statistics["chisq"], want["statistic"], rtol=RTOL)
    assert res.statistics["df"] == want["parameter"]
    assert_allclose(res.statistics["p_value"], want["p.value"], rtol=RTOL)


def test_reference_cases_were_found():
    """Every case whose spec names a rank test is run by the drivers above."""
    named = {pre: {p.values[0].name for p in case_params()
                   if any(t.startswith(pre) for t in load_case(p.values[0])[0].get("tests", []))}
             for pre in ("kruskal", "friedman")}
    for pre in ("kruskal", "friedman"):
        assert {p.values[0].name for p in _cases_with(pre)} >= named[pre]
    assert named["kruskal"] and named["friedman"]


# ---------------------------------------------------------------------------- behaviour


def _toy():
    return pd.DataFrame({"trt": list("AAAABBBBCCCC"),
                         "y": [5.1, 4.9, 5.6, 5.8, 6.9, 7.2, 6.4, 7.0, 4.0, 4.4, 3.9, 4.1]})


def test_kruskal_other_adjustments_use_statsmodels():
    from statsmodels.stats.multitest import multipletests

    none = kruskal(_toy(), "y", "trt")
    holm = kruskal(_toy(), "y", "trt", p_adjust="holm")
    want = multipletests(none.pairwise["p_exact"], method="holm")[1]
    assert_allclose(holm.pairwise["p_exact"], want, rtol=1e-12)
    # holm on three equal p-values maps alpha to alpha/3, like Bonferroni
    bonf = kruskal(_toy(), "y", "trt", p_adjust="bonferroni")
    assert_allclose(holm.statistics["t_value"], bonf.statistics["t_value"], rtol=1e-9)
    bh = kruskal(_toy(), "y", "trt", p_adjust="BH")
    assert_allclose(bh.statistics["t_value"], none.statistics["t_value"], rtol=1e-9)
    with pytest.raises(DesignError, match="p_adjust"):
        kruskal(_toy(), "y", "trt", p_adjust="tukey")


def test_missing_responses_are_counted_not_hidden():
    df = _toy()
    df.loc[0, "y"] = np.nan
    res = kruskal(df, "y", "trt")
    assert res.statistics["n_missing"] == 1 and res.table.loc["A", "n"] == 3


def test_clear_errors():
    df = _toy()
    with pytest.raises(DesignError, match="no response column 'yy'"):
        kruskal(df, "yy", "trt")
    with pytest.raises(DesignError, match="numeric"):
        kruskal(df.assign(y=["x"] * 12), "y", "trt")
    with pytest.raises(DesignError, match="at least two treatments"):
        kruskal(df.assign(trt="A"), "y", "trt")
    blocked = df.assign(block=[1, 2, 3, 4] * 3)
    with pytest.raises(DesignError, match="every treatment in every block"):
        friedman(blocked.drop(index=5), "y", "trt", "block")
    with pytest.raises(DesignError, match="alpha"):
        friedman(blocked, "y", "trt", "block", alpha=5)


def test_friedman_averages_duplicate_cells_and_result_is_json_safe():
    df = _toy().assign(block=[1, 2, 3, 4] * 3)
    dup = pd.concat([df, df.assign(y=df["y"] + 0.0)])
    a = friedman(df, "y", "trt", "block")
    b = friedman(dup, "y", "trt", "block")
    assert_allclose(a.statistics["chisq"], b.statistics["chisq"])
    d = a.to_dict()
    assert d["method"] == "friedman" and isinstance(d["table"], list)


def test_numeric_treatment_levels_sort_numerically_as_r_factors():
    df = pd.DataFrame({"dose": [100, 100, 250, 250, 1000, 1000], "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.5]})
    res = kruskal(df, "y", "dose")
    assert list(res.pairwise["pair"]) == ["100 - 250", "100 - 1000", "250 - 1000"]
    # tied mean ranks keep numeric level order (250 before 1000), as R's factor levels
    tied = pd.DataFrame({"dose": [1000, 1000, 250, 250, 100, 100], "y": [5.0, 6.0, 5.0, 6.0, 1.0, 2.0]})
    assert list(kruskal(tied, "y", "dose").table.index) == [250, 1000, 100]


@pytest.mark.parametrize("method", ["bonferroni", "sidak", "holm", "holm-sidak", "simes-hochberg", "fdr_bh",
                                    "fdr_by", "hommel"])
def test_p_adjust_agrees_with_statsmodels(method):
    from statsmodels.stats.multitest import multipletests

    from genelab._multitest import adjust as _adjust

    rng = np.random.default_rng(4)
    for p in [rng.uniform(0, 0.2, 15), np.array([0.01, 0.01, 0.04, 0.3, 0.3, 0.9]), rng.uniform(0, 1, 3)]:
        assert_allclose(_adjust(p, method), multipletests(p, method=method)[1], rtol=1e-12, atol=1e-15)
