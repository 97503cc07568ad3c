"""genelab.economics: hand-worked demonstration-model economics and paired tests."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from genelab.economics import format_vnd, model_efficiency
from genelab.errors import ConfigError, ValidationError


def _models():
    return pd.DataFrame({
        "model_id": ["M1", "M2", "M3", "M4"],
        "source_id": ["QUYT-001", "QUYT-001", "QUYT-001", "GA-002"],
        "district": ["Bắc Sơn", "Bắc Sơn", "Văn Quan", "Văn Quan"],
        "year": [2022, 2023, 2023, 2023],
        "area_ha": [2.0, 1.0, 1.5, 0.5],
        "yield_model": [14000.0, 12000.0, 13000.0, 2000.0],
        "yield_control": [11000.0, 10000.0, 12500.0, 2000.0],
        "price": [28000.0, 30000.0, 28000.0, 160000.0],
        "cost_model": [175e6, 150e6, 170e6, 250e6],
        "cost_control": [158e6, 150e6, 160e6, 260e6],
        "households": [8, 5, 6, 15],
        "yield_potential": [18000.0, np.nan, 16000.0, 3000.0],
    })


def test_per_model_values_worked_by_hand():
    t = model_efficiency(_models()).table
    m1 = t.loc["M1"]
    # yield +3000 kg/ha on 11000: 27.27 %
    assert_allclose(m1.yield_increase_pct, 3000 / 11000 * 100)
    assert m1.extension_gap == 3000
    # gross 14000 kg × 28000 VND = 392,000,000 VND/ha; control 308,000,000
    assert m1.gross_model == 392e6 and m1.gross_control == 308e6
    # profit 392 - 175 = 217 M; control 308 - 158 = 150 M; gain 67 M
    assert m1.profit_model == 217e6 and m1.profit_control == 150e6 and m1.profit_gain == 67e6
    assert_allclose(m1.bcr_model, 392 / 175)
    assert_allclose(m1.bcr_control, 308 / 158)
    # marginal: Δgross 84 M over Δcost 17 M; MRR = 67/17 × 100
    assert_allclose(m1.mbcr, 84 / 17)
    assert_allclose(m1.mrr_pct, 67 / 17 * 100)
    assert not m1.dominant
    # technology gap 18000 - 14000 and index 4000/18000 × 100
    assert m1.technology_gap == 4000
    assert_allclose(m1.technology_index, 4000 / 18000 * 100)
    # totals on 2 ha
    assert m1.gross_total == 784e6 and m1.profit_model_total == 434e6 and m1.profit_gain_total == 134e6
    # M2: no extra cost and more profit -> marginal analysis undefined, model dominates
    assert math.isnan(t.loc["M2", "mbcr"]) and math.isnan(t.loc["M2", "mrr_pct"]) and t.loc["M2", "dominant"]
    assert math.isnan(t.loc["M2", "technology_gap"])
    # M4: cheaper, same yield: dominant
    assert t.loc["M4", "dominant"] and t.loc["M4", "profit_gain"] == 10e6
    assert list(t.columns[:4]) == ["source_id", "district", "year", "households"]


def test_by_source_summary():
    by = model_efficiency(_models()).by_source
    q = by.loc["QUYT-001"]
    assert q.n_models == 3 and q.area_ha == 4.5 and q.households == 19
    assert_allclose(q.yield_model, 13000)
    assert_allclose(q.yield_increase_pct, np.mean([3000 / 11000, 2000 / 10000, 500 / 12500]) * 100)
    # pooled marginal ratios: Δgross = 84 + 60 + 14 M, Δcost = 17 + 0 + 10 M, Δprofit = 67 + 60 + 4 M
    assert_allclose(q.mbcr, 158 / 27)
    assert_allclose(q.mrr_pct, 131 / 27 * 100)
    # technology gap averaged over the models where the potential is known
    assert_allclose(q.technology_gap, (4000 + 3000) / 2)
    assert math.isnan(by.loc["GA-002", "mbcr"])


def test_paired_tests_against_hand_computation():
    from scipy import stats

    res = model_efficiency(_models(), alpha=0.05)
    q = res.tests.loc["QUYT-001"]
    d = np.array([3000.0, 2000.0, 500.0])
    se = d.std(ddof=1) / math.sqrt(3)
    assert q.n == 3 and q.df == 2
    assert_allclose(q.mean_difference, d.mean())
    assert_allclose(q.se, se)
    assert_allclose(q.t, d.mean() / se)
    assert_allclose(q.p_value_t, 2 * stats.t.sf(d.mean() / se, 2))
    half = stats.t.ppf(0.975, 2) * se
    assert_allclose([q.ci_low, q.ci_high], [d.mean() - half, d.mean() + half])
    # Wilcoxon exact: all 3 differences positive, W- = 0, two-sided p = 2 / 2^3
    assert q.w == 0
    assert_allclose(q.p_value_wilcoxon, 0.25)
    assert q.test == "wilcoxon" and q.p_value == q.p_value_wilcoxon and not q.significant
    assert "GA-002" not in res.tests.index            # one model: no test
    allrow = res.tests.loc["all"]
    logd = np.log(_models()["yield_model"]) - np.log(_models()["yield_control"])
    assert allrow.n == 4
    assert_allclose(allrow.mean_difference, logd.mean())
    assert_allclose(allrow.t, stats.ttest_1samp(logd, 0).statistic)


def test_paired_test_large_n_uses_t():
    rng = np.random.default_rng(1)
    n = 12
    yc = rng.uniform(3000, 4000, n)
    m = pd.DataFrame({"model_id": [f"M{i}" for i in range(n)], "source_id": "LUA-001", "area_ha": 1.0,
                      "yield_model": yc + rng.normal(300, 100, n), "yield_control": yc, "price": 1.0,
                      "cost_model": 2.0, "cost_control": 1.0})
    r = model_efficiency(m).tests.loc["LUA-001"]
    assert r.test == "t" and r.p_value == r.p_value_t and r.significant


def test_bad_models_are_named():
    m = _models().astype({"price": object})
    m.loc[1, "price"] = "cao"
    m.loc[2, "yield_control"] = 0
    m.loc[3, "cost_model"] = -5
    with pytest.raises(ValidationError) as exc:
        model_efficiency(m)
    msg = str(exc.value)
    assert "row 3, column 'price': value 'cao' — not a number" in msg
    assert "row 4, column 'yield_control'" in msg and "row 5, column 'cost_model'" in msg
    with pytest.raises(ConfigError, match="lacks columns"):
        model_efficiency(_models().drop(columns="price"))
    with pytest.raises(ValidationError, match="duplicate model_id"):
        model_efficiency(pd.concat([_models(), _models().head(1)]))


def test_format_vnd():
    assert format_vnd(12345000) == "12.345.000 đ"
    assert format_vnd(12345000, "en") == "12,345,000 VND"
    assert format_vnd(-1234.56, "vi", digits=2) == "-1.234,56 đ"
    assert format_vnd(-0.2) == "0 đ"
    assert format_vnd(999) == "999 đ" and format_vnd(1000, unit=False) == "1.000"
    assert format_vnd(np.nan) == "" and format_vnd(None) == ""
    assert format_vnd([1e6, 2.5e9], "en").tolist() == ["1,000,000 VND", "2,500,000,000 VND"]
    with pytest.raises(ConfigError):
        format_vnd(1, "fr")


def test_demo_models():
    import genelab

    models = pd.read_csv(genelab.demo_path() / "models.csv")
    res = model_efficiency(models)
    assert len(res.table) == len(models) >= 10
    assert (res.table["bcr_model"] > 1).all()
    assert res.tests.loc["all", "significant"]
    assert res.to_dict()["table"][0]["model_id"] == res.table.index[0]
