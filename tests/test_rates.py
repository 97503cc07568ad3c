"""rates(): binomial GLM checked against statsmodels directly and against hand calculations."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from scipy import stats

from genelab.errors import DesignError
from genelab.trials.rates import OverdispersionWarning, SeparationWarning, rates


def _rcbd(seed=7, overdispersed=False):
    rng = np.random.default_rng(seed)
    trts = {"CK": 0.35, "IBA1000": 0.6, "IBA2000": 0.75, "NAA1000": 0.55}
    rows = []
    for blk in range(1, 5):
        shift = [-0.3, 0.0, 0.2, 0.1][blk - 1]
        for t, p in trts.items():
            eta = math.log(p / (1 - p)) + shift
            if overdispersed:
                eta += rng.normal(0, 0.9)
            prob = 1 / (1 + math.exp(-eta))
            rows.append({"block": f"B{blk}", "trt": t, "cuttings": 40, "rooted": int(rng.binomial(40, prob))})
    return pd.DataFrame(rows)


def test_against_statsmodels_formula_glm():
    df = _rcbd()
    res = rates(df, "rooted", "cuttings", "trt", block="block", p_adjust="holm")
    df = df.assign(failed=df["cuttings"] - df["rooted"])
    full = smf.glm("rooted + failed ~ C(block) + C(trt)", df, family=sm.families.Binomial()).fit()
    blk = smf.glm("rooted + failed ~ C(block)", df, family=sm.families.Binomial()).fit()
    null = smf.glm("rooted + failed ~ 1", df, family=sm.families.Binomial()).fit()
    dev = res.deviance
    assert_allclose(dev.loc["block", "deviance"], null.deviance - blk.deviance, rtol=1e-8)
    assert_allclose(dev.loc["treatment", "deviance"], blk.deviance - full.deviance, rtol=1e-8)
    assert_allclose(dev.loc["treatment", "p_value"], stats.chi2.sf(blk.deviance - full.deviance, 3), rtol=1e-8)
    assert dev.loc["residual", "df"] == full.df_resid == 9
    # marginal rates: predicted logits averaged over the four blocks
    grid = pd.DataFrame([(b, t) for t in sorted(df.trt.unique()) for b in sorted(df.block.unique())],
                        columns=["block", "trt"])
    eta = full.predict(grid, which="linear")
    want = pd.Series(np.asarray(eta)).groupby(grid["trt"].to_numpy()).mean()
    assert_allclose(res.table.loc[want.index, "logit"], want.to_numpy(), rtol=1e-8)
    # pairwise: CK - IBA1000 is minus the C(trt)[T.IBA1000] coefficient; Holm over the 6 raw p
    pw = res.pairwise.set_index("pair")
    b = full.params["C(trt)[T.IBA1000]"]
    assert_allclose(pw.loc["CK - IBA1000", "log_odds_ratio"], -b, rtol=1e-8)
    assert_allclose(pw.loc["CK - IBA1000", "se"], full.bse["C(trt)[T.IBA1000]"], rtol=1e-6)
    from statsmodels.stats.multitest import multipletests

    raw = 2 * stats.norm.sf(np.abs(res.pairwise["z"]))
    assert_allclose(res.pairwise["p_exact"], multipletests(raw, method="holm")[1], rtol=1e-10)
    assert res.statistics["family"] == "binomial" and res.statistics["estimation"] == "ml"


def test_two_groups_by_hand():
    # 2 x 2 table: grafting method A 18/40 taken, B 31/40
    df = pd.DataFrame({"method": ["A", "A", "B", "B"], "taken": [8, 10, 15, 16], "grafts": [20] * 4})
    res = rates(df, "taken", "grafts", "method")
    a, b, c, d = 18, 22, 31, 9
    lor = math.log((a / b) / (c / d))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    pw = res.pairwise.iloc[0]
    assert pw["pair"] == "A - B"
    assert_allclose(pw["log_odds_ratio"], lor, rtol=1e-8)
    assert_allclose(pw["se"], se, rtol=1e-7)
    p_wald = 2 * stats.norm.sf(abs(lor) / se)
    assert_allclose(pw["p_exact"], p_wald, rtol=1e-6)  # Tukey with k = 2 is the Wald test
    assert_allclose(pw["lcl"], lor - stats.norm.ppf(0.975) * se, rtol=1e-6)
    # likelihood-ratio G² of the 2 x 2 table
    obs = np.array([[a, b], [c, d]], dtype=float)
    exp = obs.sum(1, keepdims=True) * obs.sum(0, keepdims=True) / obs.sum()
    g2 = 2 * np.sum(obs * np.log(obs / exp))
    assert_allclose(res.deviance.loc["treatment", "deviance"], g2, rtol=1e-8)
    # rates are the observed proportions; CI is the logit-scale Wald interval back-transformed
    t = res.table
    assert_allclose(t.loc["B", "rate"], 31 / 40, rtol=1e-8)
    half = stats.norm.ppf(0.975) * math.sqrt(1 / c + 1 / d)
    logit = math.log(c / d)
    assert_allclose([t.loc["B", "ci_low"], t.loc["B", "ci_high"]],
                    [1 / (1 + math.exp(-(logit - half))), 1 / (1 + math.exp(-(logit + half)))], rtol=1e-6)
    assert list(t.index) == ["B", "A"] and list(t["group"]) == ["a", "b"]


def test_tukey_matches_studentized_range():
    res = rates(_rcbd(), "rooted", "cuttings", "trt", block="block")
    z = res.pairwise["z"].abs().to_numpy()
    assert_allclose(res.pairwise["p_exact"], stats.studentized_range.sf(np.sqrt(2) * z, 4, np.inf), rtol=1e-8)
    assert_allclose(res.statistics["critical_value"], stats.studentized_range.ppf(0.95, 4, np.inf) / np.sqrt(2))
    # letters come from the rounded p-values: a pair sharing no letter must differ
    p = res.pairwise.set_index("pair")["p_value"]
    g = res.table["group"]
    for pair, pv in p.items():
        x, y = pair.split(" - ")
        if not set(g[x]) & set(g[y]):
            assert pv <= 0.05


def test_overdispersion_is_detected_and_handled():
    df = _rcbd(seed=3, overdispersed=True)
    with pytest.warns(OverdispersionWarning, match="quasi-binomial"):
        res = rates(df, "rooted", "cuttings", "trt", block="block")
    df = df.assign(failed=df["cuttings"] - df["rooted"])
    full = smf.glm("rooted + failed ~ C(block) + C(trt)", df, family=sm.families.Binomial()).fit()
    blk = smf.glm("rooted + failed ~ C(block)", df, family=sm.families.Binomial()).fit()
    phi = full.pearson_chi2 / full.df_resid
    st = res.statistics
    assert st["family"] == "quasibinomial" and st["overdispersed"]
    assert_allclose(st["dispersion"], phi, rtol=1e-8)
    assert phi > 1.5 and st["pearson_p"] < 0.05
    f = ((blk.deviance - full.deviance) / 3) / phi
    assert_allclose(res.deviance.loc["treatment", "f"], f, rtol=1e-8)
    assert_allclose(res.deviance.loc["treatment", "p_value"], stats.f.sf(f, 3, 9), rtol=1e-8)
    # statsmodels' quasi-binomial: proportions with the trials as variance weights, scale = X2
    quasi = smf.glm("I(rooted / cuttings) ~ C(block) + C(trt)", df, family=sm.families.Binomial(),
                    var_weights=df["cuttings"]).fit(scale="X2")
    assert_allclose(quasi.scale, phi, rtol=1e-8)
    pw = res.pairwise.set_index("pair")
    assert_allclose(pw.loc["CK - IBA2000", "se"], quasi.bse["C(trt)[T.IBA2000]"], rtol=1e-8)
    # forcing the binomial keeps dispersion 1 and warns nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = rates(df, "rooted", "cuttings", "trt", block="block", dispersion="binomial")
    assert plain.statistics["dispersion"] == 1.0
    assert_allclose(pw["se"], plain.pairwise.set_index("pair")["se"] * math.sqrt(phi), rtol=1e-8)


def test_complete_separation_gives_bounded_firth_answer():
    df = pd.DataFrame({"iba": ["IBA0"] * 3 + ["IBA2000"] * 3,
                       "rooted": [9, 12, 10, 30, 30, 30], "cuttings": [30] * 6})
    with pytest.warns(SeparationWarning, match="IBA2000 \\(100 %\\)"):
        res = rates(df, "rooted", "cuttings", "iba")
    t = res.table
    # one-way saturated model: Firth = adding 1/2 success and 1/2 failure to each treatment
    assert_allclose(t.loc["IBA2000", "rate"], 90.5 / 91, rtol=1e-8)
    assert_allclose(t.loc["IBA0", "rate"], 31.5 / 91, rtol=1e-8)
    assert t.loc["IBA2000", "ci_high"] < 1 and np.isfinite(res.pairwise["log_odds_ratio"]).all()
    assert res.statistics["estimation"] == "firth"
    assert np.isfinite(res.deviance.loc["treatment", "deviance"])
    assert res.pairwise.loc[0, "p_value"] < 0.001 and list(t["group"]) == ["a", "b"]


def test_clear_errors():
    df = pd.DataFrame({"t": ["A", "B"], "s": [5, 12], "n": [10, 10]})
    with pytest.raises(DesignError, match="must not exceed"):
        rates(df, "s", "n", "t")
    with pytest.raises(DesignError, match="no column"):
        rates(df, "s", "cuttings", "t")
    with pytest.raises(DesignError, match="at least two treatments"):
        rates(df.assign(t="A", s=[5, 6]), "s", "n", "t")
    with pytest.raises(DesignError, match="p_adjust"):
        rates(df.assign(s=[5, 6]), "s", "n", "t", p_adjust="scheffe")
    with pytest.raises(DesignError, match="whole numbers"):
        rates(df.assign(s=[5.5, 6]), "s", "n", "t")


def test_missing_counts_are_counted_and_result_is_json_safe():
    df = _rcbd()
    df.loc[0, "rooted"] = np.nan
    res = rates(df, "rooted", "cuttings", "trt", block="block")
    assert res.statistics["n_missing"] == 1
    d = res.to_dict()
    assert d["statistics"]["family"] == "binomial" and len(d["pairwise"]) == 6


def test_firth_with_blocks_maximises_the_penalised_likelihood():
    df = _rcbd(seed=5)
    df.loc[df["trt"] == "IBA2000", "rooted"] = 40  # 100 % rooting in every block
    with pytest.warns(SeparationWarning):
        res = rates(df, "rooted", "cuttings", "trt", block="block")
    assert res.statistics["estimation"] == "firth"
    assert res.table.index[0] == "IBA2000" and res.table["ci_high"].max() < 1
    # independent check: maximise l(b) + 1/2 log|X'WX| with scipy and compare the logits
    from scipy import optimize

    levels, blocks = sorted(df.trt.unique()), sorted(df.block.unique())
    X = np.column_stack([np.ones(len(df))] + [(df.block == b).to_numpy(float) for b in blocks[1:]]
                        + [(df.trt == t).to_numpy(float) for t in levels[1:]])
    s, n = df["rooted"].to_numpy(float), df["cuttings"].to_numpy(float)

    def neg(b):
        eta = X @ b
        pi = 1 / (1 + np.exp(-eta))
        info = X.T @ (X * (n * pi * (1 - pi))[:, None])
        return -(np.sum(s * eta - n * np.logaddexp(0, eta)) + 0.5 * np.linalg.slogdet(info)[1])

    b = optimize.minimize(neg, np.zeros(X.shape[1]), method="BFGS", options={"gtol": 1e-9}).x
    L = np.zeros((4, X.shape[1]))
    L[:, 0] = 1
    L[:, 1:4] = 0.25
    for c in range(1, 4):
        L[c, 3 + c] = 1
    assert_allclose(res.table.loc[levels, "logit"], L @ b, rtol=1e-5, atol=1e-6)


def test_separation_by_a_combination_of_levels_is_caught():
    # logits mu, mu+b, mu+a, mu+a+b fit 0 %, 50 %, 50 %, 100 % exactly only as mu -> -inf, a = b = -mu
    df = pd.DataFrame({"trt": ["A", "A", "B", "B"], "block": ["1", "2", "1", "2"],
                       "rooted": [0, 5, 5, 10], "cuttings": [10] * 4})
    with pytest.warns(SeparationWarning, match="combination of levels"):
        res = rates(df, "rooted", "cuttings", "trt", block="block")
    assert res.statistics["estimation"] == "firth" and np.isfinite(res.table["logit"]).all()
