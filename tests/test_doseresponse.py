"""Dose-response fits against drc 3.0-1 (R reference cases) and against known curves."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from conftest import case_params, json_pointer, load_case
from genelab.doseresponse import MODELS, fit, select_model
from genelab.errors import DesignError

RTOL_FIT = 2e-3   # drc stops short of the optimum (README: suggested tolerances)
RTOL_LIK = 1e-6


def _fit_case(data, spec, f):
    resp = f["response"]
    if f["type"] == "binomial":
        return fit(data, spec["dose"], resp["successes"], weights=f.get("weights", resp["trials"]),
                   kind="binomial", model=f["model"], fixed=f.get("fixed"))
    return fit(data, spec["dose"], resp, model=f["model"], fixed=f.get("fixed"))


@pytest.mark.parametrize("folder", case_params("dose_response"))
def test_fit_against_r(folder):
    spec, expected = load_case(folder)
    data = pd.read_csv(folder / spec["input"], na_values=[spec.get("missing_value", "NA")])
    for f in spec["fits"]:
        exp = json_pointer(expected, f["results_at"])
        m = _fit_case(data, spec, f)
        where = f["results_at"]
        # parameters in drc's order, estimates, SEs, t and p
        assert m.params["parameter"].tolist() == f["parameters"], where
        coef = pd.DataFrame(exp["coefficients"])
        assert coef["parameter"].str.split(":").str[0].tolist() == f["parameters"]
        assert_allclose(m.params["estimate"], coef["estimate"], rtol=RTOL_FIT, err_msg=where)
        assert_allclose(m.params["se"], coef["std_error"], rtol=RTOL_FIT, err_msg=where)
        assert_allclose(m.params["t"], coef["statistic"], rtol=2 * RTOL_FIT, err_msg=where)
        # p-values: relative agreement where they are not astronomically small (there a 1e-3
        # difference in t moves p by a large factor)
        big = coef["p"].to_numpy() > 1e-12
        assert_allclose(m.params["p_value"][big], coef["p"][big], rtol=0.02, err_msg=where)
        assert (m.params["p_value"][~big] < 1e-12).all()
        assert_allclose(m.vcov.to_numpy(), np.asarray(exp["vcov"]), rtol=5e-3,
                        atol=1e-3 * np.abs(np.asarray(exp["vcov"])).max(), err_msg=where)
        assert m.df_residual == exp["df_residual"]
        # likelihood: ours is at the exact optimum, so never worse than R's
        assert_allclose(m.loglik, exp["logLik"], rtol=RTOL_LIK, err_msg=where)
        assert_allclose(m.aic, exp["AIC"], rtol=RTOL_LIK, err_msg=where)
        assert m.loglik >= exp["logLik"] - 1e-9 * abs(exp["logLik"])
        if "residual_sum_of_squares" in exp:
            assert_allclose(m.rss, exp["residual_sum_of_squares"], rtol=RTOL_LIK)
            assert m.rss <= exp["residual_sum_of_squares"] * (1 + 1e-12)
            assert_allclose(m.residual_se, exp["residual_standard_error"], rtol=RTOL_LIK)
        # effective doses, in spec order
        for req, got in zip(f["ed"], json_pointer(expected, f["ed_results_at"])):
            table = pd.DataFrame(got["table"])
            ed = m.ed(req["levels"], type=req["type"], interval=req["interval"],
                      level=req.get("level", 0.95))
            assert ed["label"].tolist() == table["label"].tolist()
            assert_allclose(ed["estimate"], table["Estimate"], rtol=RTOL_FIT, err_msg=where)
            assert_allclose(ed["se"], table["Std. Error"], rtol=RTOL_FIT, err_msg=where)
            if req["interval"] == "delta":
                # intervals can cross zero: compare on the scale of the estimate
                scale = np.abs(table["Estimate"].to_numpy())
                assert_allclose(ed["ci_low"], table["Lower"], rtol=0, atol=RTOL_FIT * scale.max(),
                                err_msg=where)
                assert_allclose(ed["ci_high"], table["Upper"], rtol=RTOL_FIT, err_msg=where)
            else:
                assert "ci_low" not in ed
        # predictions
        pred = exp["predicted"]
        fitted = np.asarray(pred["fitted"])
        assert_allclose(m.predict(pred["dose"]), fitted, rtol=RTOL_FIT,
                        atol=1e-9 * np.abs(fitted).max(), err_msg=where)
        # lack of fit
        if f.get("lack_of_fit_at"):
            lof = m.lack_of_fit()
            want = pd.DataFrame(json_pointer(expected, f["lack_of_fit_at"])["table"])
            assert lof["model"].tolist() == want["model"].tolist()
            assert lof["model_df"].tolist() == want["ModelDf"].tolist()
            assert_allclose(lof["rss"], want["RSS"], rtol=RTOL_LIK)
            assert_allclose(lof["f"].iloc[1], want["F value"].iloc[1], rtol=1e-3)
            assert_allclose(lof["p_value"].iloc[1], want["p value"].iloc[1], rtol=1e-3)


def _known(model, params, doses, reps=3, kind="continuous", trials=None):
    x = np.repeat(np.asarray(doses, float), reps)
    full = dict(MODELS[model][1])
    full.update(params)
    from genelab.doseresponse import _curve, _family

    y = _curve(_family(model), x, full)
    return pd.DataFrame({"dose": x, "y": y})


@pytest.mark.parametrize("model, params", [
    ("LL.4", {"b": -1.5, "c": 5.0, "d": 80.0, "e": 300.0}),
    ("LL.4", {"b": 2.0, "c": 10.0, "d": 95.0, "e": 1500.0}),
    ("LL.3", {"b": 1.2, "d": 50.0, "e": 40.0}),
    ("LL.2", {"b": -2.0, "e": 10.0}),
    ("LL.5", {"b": 1.5, "c": 2.0, "d": 40.0, "e": 100.0, "f": 0.5}),
    ("W1.4", {"b": 1.3, "c": 3.0, "d": 60.0, "e": 200.0}),
    ("W2.4", {"b": 1.1, "c": 4.0, "d": 70.0, "e": 150.0}),
    ("BC.5", {"b": 2.0, "c": 1.0, "d": 30.0, "e": 400.0, "f": 0.05}),
])
def test_recovers_known_curves(model, params):
    """Noise-free data from known parameters: the fit recovers them, and ED values solve the
    defining equations."""
    doses = [0, 5, 10, 25, 50, 100, 200, 400, 800, 1600, 3200, 6400]
    d = _known(model, params, doses, reps=2)
    rng = np.random.default_rng(7)
    d["y"] = d["y"] + rng.normal(0, 1e-6, len(d))     # a hint of noise keeps the Hessian regular
    m = fit(d, "dose", "y", model=model)
    est = dict(zip(m.params["parameter"], m.params["estimate"]))
    for k, v in params.items():
        assert_allclose(est[k], v, rtol=1e-4, err_msg=f"{model} {k}")
    full = dict(MODELS[model][1])
    full.update(params)
    c, dd = full["c"], full["d"]
    lo_level = dd if (model.startswith("W2") and params["b"] < 0) or \
        (not model.startswith("W2") and params["b"] > 0) else c
    other = c if lo_level == dd else dd
    ed = m.ed([10, 50, 90])
    for p, x in zip([10, 50, 90], ed["estimate"]):
        target = lo_level + p / 100 * (other - lo_level)
        assert_allclose(m.predict([x])[0], target, rtol=1e-6, atol=1e-8)
    # absolute ED: the dose giving a stated response
    mid = (c + dd) / 2 + 0.1 * (dd - c)
    xa = m.ed(mid, type="absolute")["estimate"].iloc[0]
    assert_allclose(m.predict([xa])[0], mid, rtol=1e-6)


def test_ll4_ed50_is_e_and_fixed_c_equals_ll3():
    d = _known("LL.4", {"b": -1.2, "c": 0.0, "d": 70.0, "e": 500.0},
               [0, 100, 200, 400, 800, 1600, 3200])
    d["y"] += np.tile([-1.0, 0.5, 0.5], len(d) // 3)
    a = fit(d, "dose", "y", model="LL.4", fixed={"c": 0})
    b = fit(d, "dose", "y", model="LL.3")
    pd.testing.assert_frame_equal(a.params, b.params, rtol=1e-7)
    assert_allclose(a.ed(50)["estimate"].iloc[0], a.params.set_index("parameter").loc["e",
                    "estimate"], rtol=1e-10)


def test_binomial_accepts_successes_over_trials_and_proportions():
    x = np.repeat([0, 50, 100, 200, 400, 800], 3)
    n = np.full(len(x), 20)
    rng = np.random.default_rng(3)
    p = 0.1 + 0.7 / (1 + np.exp(-1.5 * (np.log(np.maximum(x, 1e-9)) - np.log(150))))
    s = rng.binomial(n, p)
    d = pd.DataFrame({"dose": x, "rooted": s, "cuttings": n, "prop": s / n})
    a = fit(d, "dose", "rooted/cuttings", kind="binomial")
    b = fit(d, "dose", "prop", weights="cuttings", kind="binomial")
    c = fit(d, "dose", "rooted", weights="cuttings", kind="binomial")
    pd.testing.assert_frame_equal(a.params, b.params, rtol=1e-6)
    pd.testing.assert_frame_equal(a.params, c.params, rtol=1e-6)
    gof = a.lack_of_fit()
    assert gof["df"].iloc[0] == len(d) - 4 and 0 <= gof["p_value"].iloc[0] <= 1
    assert np.isnan(a.rss)


def test_select_model_orders_by_aic():
    d = _known("W1.4", {"b": 1.3, "c": 3.0, "d": 60.0, "e": 200.0},
               [0, 10, 25, 50, 100, 200, 400, 800, 1600])
    d["y"] += np.tile([-0.8, 0.3, 0.5], len(d) // 3)
    out = select_model(d, "dose", "y", models=("LL.4", "LL.3", "W1.4"))
    assert list(out.columns) == ["model", "loglik", "aic", "res_var", "lack_of_fit_p", "note"]
    assert out["aic"].is_monotonic_increasing
    assert out["model"].iloc[0] == "W1.4"
    w1 = fit(d, "dose", "y", model="W1.4")
    assert_allclose(out.loc[0, "res_var"], w1.rss / w1.df_residual)
    # W2.4 with c and d swapped is the same curve as W1.4: the same likelihood
    w2 = fit(d, "dose", "y", model="W2.4")
    assert_allclose(w2.loglik, w1.loglik, rtol=1e-9)


def test_errors_and_json():
    d = pd.DataFrame({"dose": [0, 1, 2, 4, 8, 16], "y": [1, 2, 4, 6, 7, 7.5]})
    with pytest.raises(DesignError, match="unknown model"):
        fit(d, "dose", "y", model="LL.9")
    with pytest.raises(DesignError, match="no parameter"):
        fit(d, "dose", "y", fixed={"g": 1})
    with pytest.raises(DesignError, match="lack the column"):
        fit(d, "ppm", "y")
    with pytest.raises(DesignError, match="number of trials"):
        fit(d, "dose", "y", kind="binomial")
    with pytest.raises(DesignError, match="missing"):
        fit(d.assign(y=[1, None, 4, 6, 7, 7.5]), "dose", "y")
    m = fit(d, "dose", "y", model="LL.3")
    with pytest.raises(DesignError, match="between 0 and 100"):
        m.ed(150)
    json.dumps(m.to_dict())


def test_plot_dose_response():
    import matplotlib

    matplotlib.use("Agg")
    from genelab.plots import dose_response_curve

    d = _known("LL.4", {"b": -1.2, "c": 8.0, "d": 80.0, "e": 450.0},
               [0, 100, 200, 400, 800, 1600, 3200, 6400])
    d["y"] += np.tile([-2.0, 1.0, 1.0], len(d) // 3)
    fig = dose_response_curve(fit(d, "dose", "y"), lang="en")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_xticklabels()[0].get_text() == "0"
    assert any("ED50" in t.get_text() for t in ax.get_legend().get_texts())
    fig_vi = dose_response_curve(fit(d, "dose", "y"), lang="vi")
    assert fig_vi.axes[0].get_xlabel().startswith("Liều lượng")
