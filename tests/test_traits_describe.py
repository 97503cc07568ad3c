"""describe, frequencies, compare_to_check and flag_outliers against pandas/scipy/hand values."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from genelab.errors import DesignError, ValidationError
from genelab.traits import compare_to_check, describe, flag_outliers, frequencies


def _obs(seed=1, n_src=7, n_tr=4, reps=5):
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_src):
        for t in range(n_tr):
            for r in range(1 + (s + t) % reps):
                rows.append((f"HO-{s:03d}", f"t{t}", r + 1, rng.normal(10 + s + 3 * t, 1 + t)))
    obs = pd.DataFrame(rows, columns=["source_id", "trait", "rep", "value"])
    obs.loc[obs.sample(5, random_state=3).index, "value"] = np.nan
    return obs


def test_describe_agrees_with_pandas_and_scipy():
    obs = _obs()
    got = describe(obs).set_index(["source_id", "trait"])
    g = obs.groupby(["source_id", "trait"])["value"]
    ref = g.agg(["count", "mean", "std", "min", "median", "max"])
    assert_allclose(got["n"], ref["count"])
    assert_allclose(got["missing"], g.apply(lambda x: x.isna().sum()))
    assert_allclose(got[["mean", "sd", "min", "median", "max"]].to_numpy(),
                    ref[["mean", "std", "min", "median", "max"]].to_numpy(), rtol=1e-12, equal_nan=True)
    assert_allclose(got["q1"], g.quantile(0.25), rtol=1e-12)
    assert_allclose(got["q3"], g.quantile(0.75), rtol=1e-12)
    assert_allclose(got["cv"], 100 * ref["std"] / ref["mean"], rtol=1e-12, equal_nan=True)
    for key, x in g:
        x = x.dropna()
        if len(x) > 1:
            lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
            assert_allclose(got.loc[key, ["ci_low", "ci_high"]].to_numpy(dtype=float), [lo, hi], rtol=1e-12)
        else:
            assert np.isnan(got.loc[key, "sd"])


def test_describe_hand_example_and_dictionary_join():
    obs = pd.DataFrame({"source_id": ["A"] * 4, "trait": "h", "value": [1.0, 2.0, 3.0, 10.0]})
    dic = pd.DataFrame({"trait": ["h"], "name_vi": ["Chiều cao"], "name_en": ["Height"], "unit": ["cm"],
                        "kind": ["quantitative"]})
    row = describe(obs, traits=dic).iloc[0]
    # type-7 quantiles of 1,2,3,10: q1 = 1.75, median 2.5, q3 = 4.75
    assert (row["q1"], row["median"], row["q3"]) == (1.75, 2.5, 4.75)
    assert row["mean"] == 4.0 and row["unit"] == "cm" and row["name_en"] == "Height"


def test_describe_categorical_keys_and_other_grouping():
    obs = _obs()
    a = describe(obs)
    cat = obs.assign(source_id=obs["source_id"].astype("category"), trait=obs["trait"].astype("category"))
    b = describe(cat)
    assert_allclose(a["mean"], b["mean"])
    assert list(a["source_id"]) == list(b["source_id"].astype(str))
    per_trait = describe(obs, by="trait")
    assert_allclose(per_trait["mean"], obs.groupby("trait")["value"].mean())


def test_describe_leaves_qualitative_traits_to_frequencies():
    obs = pd.DataFrame({
        "source_id": ["A", "A", "A", "B", "B", "B"],
        "trait": ["colour", "colour", "h", "colour", "colour", "h"],
        "value": [np.nan, np.nan, 5.0, np.nan, np.nan, 6.0],
        "state": pd.array(["red", "red", None, "green", "red", None], dtype="string"),
    })
    d = describe(obs)
    assert list(d["trait"]) == ["h", "h"]
    dic = pd.DataFrame({"trait": ["colour", "h"], "kind": ["qualitative", "quantitative"],
                        "states": ["green;yellow;red", ""], "name_en": ["Colour", "Height"]})
    f = frequencies(obs, traits=dic)
    a = f[f["source_id"] == "A"]
    assert list(a["state"]) == ["green", "yellow", "red"]
    assert list(a["count"]) == [0, 0, 2] and list(a["percent"]) == [0, 0, 100]
    assert list(f[f["source_id"] == "B"]["count"]) == [1, 0, 1]
    with pytest.raises(DesignError):
        frequencies(obs, by="source_id")


def test_missing_column_is_named():
    with pytest.raises(ValidationError, match="value"):
        describe(pd.DataFrame({"source_id": ["A"], "trait": ["h"]}))


def test_compare_to_check_welch_holm_and_direction():
    rng = np.random.default_rng(5)
    rows = []
    for src, mu in (("CK", 10), ("A", 14), ("B", 10.2), ("C", 6)):
        for t, hib in (("yield", True), ("days", False)):
            for v in rng.normal(mu, 1, 6):
                rows.append((src, t, v))
    obs = pd.DataFrame(rows, columns=["source_id", "trait", "value"])
    dic = pd.DataFrame({"trait": ["yield", "days"], "higher_is_better": ["true", "false"]})
    res = compare_to_check(obs, "CK", dictionary=dic).set_index(["trait", "source_id"])
    for t in ("yield", "days"):
        ck = obs[(obs.source_id == "CK") & (obs.trait == t)]["value"]
        ps = []
        for s in ("A", "B", "C"):
            x = obs[(obs.source_id == s) & (obs.trait == t)]["value"]
            tt = stats.ttest_ind(x, ck, equal_var=False)
            assert_allclose(res.loc[(t, s), ["t", "p_value"]].to_numpy(dtype=float), [tt.statistic, tt.pvalue],
                            rtol=1e-10)
            ps.append(tt.pvalue)
        # Holm by hand
        order = np.argsort(ps)
        adj = np.maximum.accumulate([min(1, (3 - i) * ps[j]) for i, j in enumerate(order)])
        want = np.empty(3)
        want[order] = adj
        assert_allclose(res.loc[t]["p_adjusted"].reindex(["A", "B", "C"]), want, rtol=1e-12)
    assert res.loc[("yield", "A"), "verdict"] == "better" and res.loc[("yield", "C"), "verdict"] == "worse"
    assert res.loc[("days", "A"), "verdict"] == "worse" and res.loc[("days", "C"), "verdict"] == "better"
    assert res.loc[("yield", "B"), "verdict"] == "ns"
    nodir = compare_to_check(obs, "CK").set_index(["trait", "source_id"])
    assert nodir.loc[("yield", "A"), "verdict"] == "higher"
    with pytest.raises(DesignError, match="check"):
        compare_to_check(obs, "ZZ")


@pytest.mark.parametrize("method", ["holm", "bonferroni", "fdr_bh"])
def test_p_adjust_matches_statsmodels(method):
    from statsmodels.stats.multitest import multipletests

    from genelab._multitest import adjust, method_name

    p = np.array([0.01, 0.04, 0.03, 0.2, 0.001, 0.04, 0.9])
    assert_allclose(adjust(p, method_name(method)), multipletests(p, method=method)[1], rtol=1e-14)
    with pytest.raises(DesignError):
        method_name("nonsense")


def test_flag_outliers_hand_example():
    obs = pd.DataFrame({"source_id": ["A"] * 4 + ["B"] * 4, "trait": "h",
                        "value": [10.0, 10.5, 9.5, 30.0, 20.0, 20.5, 19.5, np.nan]})
    out = flag_outliers(obs)
    assert len(out) == len(obs)
    # residuals from group medians (10.25 and 20): -0.25, .25, -.75, 19.75, 0, .5, -.5; median 0, MAD 0.5
    assert_allclose(out["residual"].iloc[3], 19.75)
    assert_allclose(out["robust_z"].iloc[3], 0.6745 * 19.75 / 0.5)
    assert out["outlier"].tolist() == [False, False, False, True, False, False, False, False]


@pytest.mark.parametrize("shuffle", [False, True])
def test_describe_quantiles_with_skewed_group_sizes_and_row_order(shuffle):
    # one large group forces the composite-key path; shuffled rows force the radix gather
    rng = np.random.default_rng(9)
    small = pd.DataFrame({"source_id": np.repeat([f"S{i:05d}" for i in range(300)], 3), "trait": "h",
                          "value": rng.normal(size=900)})
    big = pd.DataFrame({"source_id": "BIG", "trait": "h", "value": rng.normal(size=5000)})
    for obs in (small, pd.concat([small, big], ignore_index=True)):
        obs = obs.sample(frac=1, random_state=1) if shuffle else obs
        got = describe(obs).set_index("source_id")
        g = obs.groupby("source_id")["value"]
        for col, q in (("q1", 0.25), ("median", 0.5), ("q3", 0.75), ("min", 0.0), ("max", 1.0)):
            assert_allclose(got[col], g.quantile(q), rtol=1e-12)


def test_group_order_radix_for_many_groups():
    from genelab.traits.describe import _group_order

    g = np.random.default_rng(0).integers(0, 200_000, 50_000)
    order = _group_order(g, 200_000)
    assert (np.diff(g[order]) >= 0).all()
    assert_allclose(order, np.argsort(g, kind="stable"))


def test_compare_to_check_with_nullable_boolean_direction():
    obs = pd.DataFrame({"source_id": ["CK"] * 4 + ["A"] * 4, "trait": ["y"] * 8,
                        "value": [10.0, 10.5, 9.5, 10.2, 20.0, 20.5, 19.5, 20.1]})
    obs = pd.concat([obs, obs.assign(trait="z")], ignore_index=True)
    dic = pd.DataFrame({"trait": ["y", "z"], "higher_is_better": pd.array([True, pd.NA], dtype="boolean")})
    res = compare_to_check(obs, "CK", dictionary=dic).set_index("trait")["verdict"]
    assert res["y"] == "better" and res["z"] == "higher"


def test_rows_without_keys_are_refused_not_dropped():
    obs = pd.DataFrame({"source_id": ["A", "A", None], "trait": ["h", "h", "h"], "value": [1.0, 2.0, 3.0]})
    with pytest.raises(ValidationError, match="source_id"):
        describe(obs)


def test_every_function_refuses_rows_without_keys():
    from genelab.traits import correlations, diversity, ordination

    obs = pd.DataFrame({"source_id": ["A", "B", "C", None] * 2, "trait": ["h"] * 4 + ["w"] * 4,
                        "value": [1.0, 2.0, 3.0, 4.0, 2.0, 1.0, 5.0, 3.0]})
    for call in (lambda: frequencies(obs.assign(state="x")), lambda: compare_to_check(obs, "A"),
                 lambda: flag_outliers(obs), lambda: diversity(obs, "h"), lambda: correlations(obs),
                 lambda: ordination(obs)):
        with pytest.raises(ValidationError, match="source_id"):
            call()
