"""Growth curves: recovery of known parameters, SEs, AIC by hand, Jacobians, model choice."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import optimize

from genelab.errors import DesignError
from genelab.growth import MODELS, _jacobian, compare_models, fit, predict_curve

TRUE = {
    "gompertz": [1800.0, 0.025, 70.0],
    "logistic": [1500.0, 0.05, 80.0],
    "von_bertalanffy": [2200.0, 0.02, 60.0],
    "richards": [2000.0, 0.035, 75.0, 0.4],
}
AGE = np.repeat(np.arange(7.0, 240.0, 14.0), 3)


def _frame(model, noise=0.0, seed=0):
    y = predict_curve(model, TRUE[model], AGE)
    if noise:
        y = y + np.random.default_rng(seed).normal(0, noise, y.size)
    return pd.DataFrame({"age_days": AGE, "weight_g": y})


@pytest.mark.parametrize("model", MODELS)
def test_noise_free_data_recover_the_parameters(model):
    res = fit(_frame(model), "age_days", "weight_g", model=model)
    assert_allclose(res.table["estimate"], TRUE[model], rtol=1e-6)
    a, k, ti = TRUE[model][:3]
    d = res.derived.iloc[0]
    assert_allclose(d["t_inflection"], ti, rtol=1e-6)
    # the curve's slope is largest at the inflection age and equals max_rate there
    h = 1e-4
    slope = (predict_curve(model, TRUE[model], ti + h) - predict_curve(model, TRUE[model], ti - h)) / (2 * h)
    assert_allclose(d["max_rate"], slope, rtol=1e-6)
    assert_allclose(d["y_inflection"], predict_curve(model, TRUE[model], ti), rtol=1e-6)
    grid = np.linspace(0, 300, 601)
    rates = np.gradient(predict_curve(model, TRUE[model], grid), grid)
    assert abs(grid[np.argmax(rates)] - ti) <= 0.5


@pytest.mark.parametrize("model", MODELS)
def test_noisy_data_within_standard_errors_and_ses_match_curve_fit(model):
    res = fit(_frame(model, noise=15.0, seed=42), "age_days", "weight_g", model=model)
    est, se = res.table["estimate"].to_numpy(), res.table["se"].to_numpy()
    assert np.all(np.abs(est - TRUE[model]) < 3 * se), (est, se)
    assert res.fit_stats["converged"].all()
    # SEs as R's nls: sigma^2 (J'J)^-1; scipy's curve_fit computes the same from its own Jacobian
    df = _frame(model, noise=15.0, seed=42)
    popt, pcov = optimize.curve_fit(lambda t, *p: predict_curve(model, p, t), df["age_days"], df["weight_g"],
                                    p0=est, maxfev=20000)
    assert_allclose(popt, est, rtol=1e-5)
    assert_allclose(np.sqrt(np.diag(pcov)), se, rtol=1e-3)


def test_aic_by_hand():
    df = _frame("logistic", noise=20.0, seed=3)
    res = fit(df, "age_days", "weight_g", model="logistic")
    rss = float(np.sum((df["weight_g"] - res.predict(df["age_days"])) ** 2))
    n, p = len(df), 3
    st = res.fit_stats.iloc[0]
    assert_allclose(st["rss"], rss, rtol=1e-9)
    # R: AIC(nls) = -2 logLik + 2 (p + 1), logLik = -n/2 (log(2 pi) + log(RSS/n) + 1)
    loglik = -n / 2 * (math.log(2 * math.pi) + math.log(rss / n) + 1)
    assert_allclose(st["aic"], -2 * loglik + 2 * (p + 1), rtol=1e-12)
    assert_allclose(st["bic"], -2 * loglik + math.log(n) * (p + 1), rtol=1e-12)
    assert_allclose(st["sigma"], math.sqrt(rss / (n - p)), rtol=1e-9)


@pytest.mark.parametrize("model, params", [(m, TRUE[m]) for m in MODELS] + [("richards", [2000.0, 0.03, 75.0, 1e-4]),
                                                                           ("richards", [2000.0, 0.03, 75.0, -0.3])])
def test_analytic_jacobian_matches_finite_differences(model, params):
    t = np.linspace(20, 200, 10)
    p = np.array(params)
    num = np.column_stack([
        (predict_curve(model, p + np.eye(len(p))[j] * h, t) - predict_curve(model, p - np.eye(len(p))[j] * h, t)) / (2 * h)
        for j, h in enumerate(np.maximum(np.abs(p) * 1e-6, 1e-7))
    ])
    assert_allclose(_jacobian(model, p, t), num, rtol=1e-5, atol=1e-6)


def test_richards_jacobian_at_the_gompertz_limit_is_continuous():
    t = np.linspace(20, 200, 10)
    at = _jacobian("richards", np.array([2000.0, 0.03, 75.0, 0.0]), t)
    for nu in (1e-6, 1e-9, -1e-9):
        near = _jacobian("richards", np.array([2000.0, 0.03, 75.0, nu]), t)
        assert_allclose(at, near, rtol=1e-4, atol=1e-6)


def test_richards_special_cases():
    t = np.linspace(60, 200, 15)  # von Bertalanffy's base 1 - E/3 is positive after T - ln(3)/k
    assert_allclose(predict_curve("richards", [1500, 0.05, 80, 1.0], t), predict_curve("logistic", [1500, 0.05, 80], t))
    assert_allclose(predict_curve("richards", [1500, 0.05, 80, -1 / 3], t),
                    predict_curve("von_bertalanffy", [1500, 0.05, 80], t))
    assert_allclose(predict_curve("richards", [1500, 0.05, 80, 1e-12], t), predict_curve("gompertz", [1500, 0.05, 80], t))


def test_groups_and_model_choice():
    male = _frame("gompertz", noise=10, seed=1).assign(sex="male")
    female = _frame("logistic", noise=10, seed=2).assign(sex="female")
    data = pd.concat([male, female], ignore_index=True)
    res = fit(data, "age_days", "weight_g", model="gompertz", group="sex")
    assert list(res.fit_stats.index) == ["female", "male"]
    assert res.fit_stats["n_missing"].tolist() == [0, 0]
    gap = data.copy()
    gap.loc[0, "weight_g"] = np.nan  # a male row
    assert fit(gap, "age_days", "weight_g", group="sex").fit_stats["n_missing"].to_dict() == {"female": 0, "male": 1}
    male_est = res.table[res.table["group"] == "male"]["estimate"].to_numpy()
    assert_allclose(male_est, TRUE["gompertz"], rtol=0.05)
    assert_allclose(res.predict([70.0], group="male"), predict_curve("gompertz", male_est, [70.0]))
    with pytest.raises(DesignError, match="group="):
        res.predict([70.0])
    cmp = compare_models(data, "age_days", "weight_g", models=("gompertz", "logistic", "von_bertalanffy"), group="sex")
    assert cmp.best == {"female": "logistic", "male": "gompertz"}
    assert_allclose(cmp.table.groupby("group")["weight"].sum(), 1.0)
    assert isinstance(cmp.to_dict()["table"], list)


def test_clear_errors():
    df = _frame("logistic").head(3)
    with pytest.raises(DesignError, match="at least 4 observations"):
        fit(df, "age_days", "weight_g", model="logistic")
    with pytest.raises(DesignError, match="model must be one of"):
        fit(_frame("logistic"), "age_days", "weight_g", model="brody")
    with pytest.raises(DesignError, match="no column"):
        fit(_frame("logistic"), "age", "weight_g")


def test_plot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from genelab.plots.growth import growth_curves

    res = fit(_frame("gompertz", noise=10, seed=1), "age_days", "weight_g")
    ax = growth_curves(res, lang="en")
    assert len(ax.get_lines()) >= 2 and ax.get_xlabel() == "Age"
    plt.close(ax.figure)
