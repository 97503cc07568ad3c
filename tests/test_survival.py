"""time_to_event() against a hand-worked Kaplan–Meier example and a hand log-rank test."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from genelab.errors import DesignError
from genelab.trials.survival import time_to_event

# group A: 3, 4+, 5, 5, 7, 8+, 9 ; group B: 2, 2, 3, 4, 6+   (+ = censored, not rooted)
DATA = pd.DataFrame({
    "day": [3, 4, 5, 5, 7, 8, 9, 2, 2, 3, 4, 6],
    "rooted": [1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0],
    "treatment": ["A"] * 7 + ["B"] * 5,
})


def test_kaplan_meier_by_hand():
    res = time_to_event(DATA, "day", "rooted", "treatment")
    a = res.table[res.table["group"] == "A"]
    assert a["time"].tolist() == [0, 3, 5, 7, 9]
    assert a["n_risk"].tolist() == [7, 7, 5, 3, 1]
    assert a["events"].tolist() == [0, 1, 2, 1, 1]
    assert_allclose(a["survival"], [1, 6 / 7, 18 / 35, 12 / 35, 0], rtol=1e-12)
    # Greenwood: Var S(5) = S(5)^2 (1/(7*6) + 2/(5*3))
    s5 = 18 / 35
    se5 = s5 * math.sqrt(1 / 42 + 2 / 15)
    assert_allclose(a["se"].iloc[2], se5, rtol=1e-10)
    z = stats.norm.ppf(0.975)
    assert_allclose(a["ci_low"].iloc[2], s5 * math.exp(-z * se5 / s5), rtol=1e-10)   # R's "log" interval
    assert_allclose(a["cumulative"].iloc[2], 1 - s5, rtol=1e-12)
    b = res.table[res.table["group"] == "B"]
    assert_allclose(b["survival"], [1, 3 / 5, 2 / 5, 1 / 5], rtol=1e-12)
    assert res.medians.loc["A", "median"] == 7 and res.medians.loc["B", "median"] == 3
    assert res.medians.loc["A", "n"] == 7 and res.medians.loc["A", "events"] == 5
    # median CI: first times at which the lower / upper "log" band reaches 0.5
    lo_band = [s * math.exp(-z * g / s) if g > 0 else s for s, g in zip(a["survival"], a["se"])]
    hi_band = [min(1.0, s * math.exp(z * g / s)) if g > 0 else s for s, g in zip(a["survival"], a["se"])]
    first = [t for t, v in zip(a["time"], lo_band) if v <= 0.5][0]
    assert res.medians.loc["A", "ci_low"] == first == 5
    assert not any(v <= 0.5 for v in hi_band[:-1]) and np.isnan(res.medians.loc["A", "ci_high"])
    assert res.medians.loc["B", "ci_low"] <= res.medians.loc["B", "median"]
    cens = res.censored
    assert cens["time"].tolist() == [4, 8, 6]
    assert_allclose(cens["survival"], [6 / 7, 12 / 35, 1 / 5])


def test_log_rank_by_hand():
    res = time_to_event(DATA, "day", "rooted", "treatment")
    t, e, g = DATA["day"].to_numpy(), DATA["rooted"].to_numpy(), DATA["treatment"].to_numpy()
    o_minus_e, var = 0.0, 0.0
    for time in np.unique(t[e == 1]):
        at_risk = t >= time
        n, n1 = at_risk.sum(), (at_risk & (g == "A")).sum()
        d = ((t == time) & (e == 1)).sum()
        d1 = ((t == time) & (e == 1) & (g == "A")).sum()
        o_minus_e += d1 - d * n1 / n
        if n > 1:
            var += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
    chisq = o_minus_e**2 / var
    assert_allclose(res.test["chisq"], chisq, rtol=1e-10)
    assert_allclose(res.test["p_value"], stats.chi2.sf(chisq, 1), rtol=1e-10)
    assert res.test["df"] == 1
    assert_allclose(res.pairwise["p_value"], [res.test["p_value"]])  # one pair: Holm = raw


def test_three_groups_pairwise_holm_and_midpoint_median():
    df = pd.concat([DATA, pd.DataFrame({"day": [1, 2, 2, 3], "rooted": [1, 1, 0, 0], "treatment": "C"})])
    res = time_to_event(df, "day", "rooted", "treatment", conf_type="log-log")
    assert res.test["df"] == 2 and len(res.pairwise) == 3
    from statsmodels.stats.multitest import multipletests

    assert_allclose(res.pairwise["p_value"], multipletests(res.pairwise["p_unadjusted"], method="holm")[1])
    # C: S = 3/4 at day 1, 1/2 at day 2 and no later event: the median is day 2
    assert res.medians.loc["C", "median"] == 2
    c = res.table[res.table["group"] == "C"]
    s, se = 0.5, c["se"].iloc[2]
    z = stats.norm.ppf(0.975)
    lo = s ** math.exp(z * se / (s * math.log(s)))
    assert_allclose(c["ci_low"].iloc[2], min(lo, s ** math.exp(-z * se / (s * math.log(s)))), rtol=1e-10)


def test_errors_and_to_dict():
    with pytest.raises(DesignError, match="1 \\(event\\) or 0"):
        time_to_event(DATA.assign(rooted=2), "day", "rooted", "treatment")
    with pytest.raises(DesignError, match="no column"):
        time_to_event(DATA, "days", "rooted", "treatment")
    with pytest.raises(DesignError, match="0 or more"):
        time_to_event(DATA.assign(day=-1), "day", "rooted", "treatment")
    d = time_to_event(DATA, "day", "rooted", "treatment").to_dict()
    assert d["test"]["method"] == "log-rank" and isinstance(d["medians"], list)


def test_plot_draws_one_step_curve_per_group():
    import matplotlib

    matplotlib.use("Agg")
    from genelab.plots.survival import survival_curves

    res = time_to_event(DATA, "day", "rooted", "treatment")
    ax = survival_curves(res, cumulative=True, lang="en")
    assert len(ax.get_lines()) >= 2 and ax.get_ylabel()
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
