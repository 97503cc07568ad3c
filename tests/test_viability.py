"""Seed-lot viability: a hand-worked probit example and the alert rules."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.stats import norm

from genelab.errors import ValidationError
from genelab.viability import alerts, fit_decline, lots


def two_tests(g2=80, stock=3000, tested2="2019-01-01"):
    return pd.DataFrame({
        "lot_id": ["L1", "L1"], "source_id": ["S-001", "S-001"],
        "stored_on": ["2015-01-01", "2015-01-01"], "tested_on": ["2015-01-01", tested2],
        "sown": [100, 100], "germinated": [95, g2], "stock": [4000, stock],
    })


def test_hand_worked_probit_example():
    """Two tests, 4 years apart (1461 days = 4.0 years of 365.25 days): 95/100 then 80/100.

    Two points and two parameters: the binomial probit fit passes through both, so
    Ki = Φ⁻¹(0.95) = 1.644854, slope = (Φ⁻¹(0.80) − Ki)/4 = −0.200808 per year,
    σ = 4.979878 years.  Threshold 0.85 × 0.95 = 0.8075, z = Φ⁻¹(0.8075) = 0.868721,
    p* = (Ki − z)/0.200808 = 3.865049 years after 2015-01-01 → 2018-11-12 17:01 → 2018-11-13.
    The information matrix is XᵀWX with w = n φ(η)²/(v(1−v)); inverted by hand:
    Var(Ki) = 1/w₁, Var(slope) = (1/w₁ + 1/w₂)/16, Cov = −1/(4w₁).
    """
    res = lots(two_tests(), as_of="2019-01-01").table.iloc[0]
    ki = 1.6448536269514722
    slope = (0.8416212335729143 - ki) / 4
    assert_allclose(res["ki"], ki, rtol=1e-6)
    assert_allclose(res["sigma"], -1 / slope, rtol=1e-6)
    assert_allclose(res["sigma"], 4.979878, rtol=1e-6)
    assert res["initial"] == 0.95 and res["threshold"] == pytest.approx(0.8075)
    z = norm.ppf(0.8075)
    assert_allclose(z, 0.868721, atol=1e-6)
    p_star = (z - ki) / slope
    assert_allclose(res["years_to_threshold"], p_star, rtol=1e-6)
    assert_allclose(p_star, 3.865049, rtol=1e-6)
    assert res["predicted_on"] == pd.Timestamp("2018-11-13")
    # standard errors from the hand-inverted information matrix
    w1 = 100 * norm.pdf(ki) ** 2 / (0.95 * 0.05)
    w2 = 100 * norm.pdf(ki + 4 * slope) ** 2 / (0.80 * 0.20)
    v00, v11, v01 = 1 / w1, (1 / w1 + 1 / w2) / 16, -1 / (4 * w1)
    assert_allclose(res["ki_se"], np.sqrt(v00), rtol=1e-5)
    assert_allclose(res["slope_se"], np.sqrt(v11), rtol=1e-5)
    # Fieller: {p : (z − Ki − slope·p)² ≤ 1.96² Var(Ki + slope·p)}
    q2 = norm.ppf(0.975) ** 2
    a = z - ki
    A, B, C = slope ** 2 - q2 * v11, -2 * (a * slope + q2 * v01), a ** 2 - q2 * v00
    lo = (-B - np.sqrt(B * B - 4 * A * C)) / (2 * A)
    hi = (-B + np.sqrt(B * B - 4 * A * C)) / (2 * A)
    stored = pd.Timestamp("2015-01-01")
    assert res["ci_low"] == (stored + pd.Timedelta(days=lo * 365.25)).round("D")
    assert res["ci_high"] == (stored + pd.Timedelta(days=hi * 365.25)).round("D")
    assert lo < p_star < hi
    # the latest test (80 %) is below 80.75 %: regenerate now
    assert bool(res["below_threshold"]) and not bool(res["crosses_within_year"])


def test_fit_matches_glm_on_many_tests():
    years = np.array([0, 1, 2, 3, 5, 8.0])
    sown = np.full(6, 200)
    germ = np.array([194, 191, 186, 180, 168, 140])
    fit = fit_decline(years, sown, germ)
    # the maximum-likelihood equations: score = Xᵀ (y − nv) φ/(v(1−v)) = 0
    eta = fit["ki"] + fit["slope"] * years
    v = norm.cdf(eta)
    w = norm.pdf(eta) / (v * (1 - v))
    score = np.array([np.sum((germ - sown * v) * w), np.sum((germ - sown * v) * w * years)])
    assert_allclose(score, 0, atol=1e-6)
    assert fit["slope"] < 0


def test_initial_viability_needs_a_test_within_12_months():
    data = two_tests()
    data["tested_on"] = ["2016-02-01", "2019-01-01"]
    res = lots(data).table.iloc[0]
    assert np.isnan(res["initial"]) and np.isnan(res["threshold"])
    assert not res["below_threshold"] and pd.isna(res["predicted_on"])


def test_crosses_within_a_year_and_stock_minimum_by_breeding_system():
    data = two_tests(g2=86, stock=1800)
    sources = pd.DataFrame({"source_id": ["S-001"], "breeding_system": ["selfing"]})
    # 0.86 ≥ 0.8075; the fitted decline reaches it 5.499 years after storage: 2020-07-02
    early = lots(data, sources=sources, as_of="2019-01-01").table.iloc[0]
    assert early["predicted_on"] == pd.Timestamp("2020-07-02") and not early["crosses_within_year"]
    res = lots(data, sources=sources, as_of="2019-08-01").table.iloc[0]
    assert not res["below_threshold"] and res["crosses_within_year"]
    assert res["viable_stock"] == pytest.approx(1548) and res["min_viable"] == 1500
    assert not res["low_stock"]
    a = alerts(data, sources=sources.assign(breeding_system="outcrossing"), as_of="2019-08-01")
    assert a["alert"].tolist() == ["crosses_within_year", "low_stock"]
    assert "1548 viable seeds" in a["message"].iloc[1]
    none = alerts(data, sources=sources.assign(breeding_system="clonal"), as_of="2019-08-01")
    assert none["alert"].tolist() == ["crosses_within_year"]
    assert alerts(data, source_id="OTHER-001").empty


def test_bad_counts_are_reported_with_their_row():
    data = two_tests()
    data.loc[1, "germinated"] = 120
    with pytest.raises(ValidationError, match="viability, row 3, column 'germinated'"):
        lots(data)


def test_result_is_json_safe():
    d = lots(two_tests()).to_dict()
    assert d["table"][0]["predicted_on"].startswith("2018-11-13")


def test_demo_lots_and_alert_table():
    import genelab

    data = pd.read_csv(genelab.demo_path() / "viability.csv")
    sources = pd.read_csv(genelab.demo_path() / "sources.csv")
    res = lots(data, sources=sources)
    t = res.table
    assert len(t) == data["lot_id"].nunique()
    assert (t["threshold"] == 0.85 * t["initial"]).all()
    fitted = t.dropna(subset=["predicted_on", "ci_low", "ci_high"])
    assert len(fitted) > 0
    assert ((fitted["ci_low"] <= fitted["predicted_on"]) & (fitted["predicted_on"] <= fitted["ci_high"])).all()
    a = alerts(data, sources=sources)
    assert list(a.columns) == ["lot_id", "source_id", "alert", "latest", "threshold", "predicted_on",
                               "ci_low", "ci_high", "viable_stock", "min_viable", "message"]
    assert set(a["alert"]) <= {"below_threshold", "crosses_within_year", "low_stock"}
    below = set(t.loc[t["below_threshold"], "lot_id"])
    assert below == set(a.loc[a["alert"] == "below_threshold", "lot_id"])


def test_viability_figure():
    import matplotlib

    matplotlib.use("Agg")
    from genelab.plots import viability_decline

    fig = viability_decline(two_tests(g2=86), "L1", lang="vi")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Sức sống hạt (%)"
    assert len(ax.lines) >= 3  # observed, fitted, threshold (+ predicted crossing)
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_single_test_or_rising_viability_gives_no_prediction():
    one = two_tests().iloc[:1]
    row = lots(one).table.iloc[0]
    assert row["initial"] == 0.95 and np.isnan(row["sigma"]) and pd.isna(row["predicted_on"])
    rising = two_tests(g2=97)
    row = lots(rising).table.iloc[0]
    assert np.isnan(row["sigma"]) and pd.isna(row["predicted_on"]) and not row["crosses_within_year"]
