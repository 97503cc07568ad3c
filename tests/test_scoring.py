"""genelab.scoring: AHP against published examples, WSM/TOPSIS/VIKOR against pymcdm."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.stats import rankdata

from genelab.errors import ConfigError, ValidationError
from genelab.scoring import (ahp, criteria_from_config, priority_classes, score, sensitivity,
                             _dirichlet_weights)

pymcdm = pytest.importorskip("pymcdm")
from pymcdm import methods as mcdm, normalizations as nz  # noqa: E402

# --------------------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------------------
# Saaty, T. L. (1990). How to make a decision: the analytic hierarchy process.
# European Journal of Operational Research 48, 9–26: the family buying a house, 8 criteria.
# Published: priorities .173 .054 .188 .018 .031 .036 .167 .333, lambda_max = 9.669,
# C.I. = 0.238, C.R. = 0.169 (inconsistent, and published as an example of it).
HOUSE_LABELS = ["size", "transport", "neighbourhood", "age", "yard", "facilities", "condition", "financing"]
HOUSE = [[1, 5, 3, 7, 6, 6, "1/3", "1/4"],
         ["1/5", 1, "1/3", 5, 3, 3, "1/5", "1/7"],
         ["1/3", 3, 1, 6, 3, 4, 6, "1/5"],
         ["1/7", "1/5", "1/6", 1, "1/3", "1/4", "1/7", "1/8"],
         ["1/6", "1/3", "1/3", 3, 1, "1/2", "1/5", "1/6"],
         ["1/6", "1/3", "1/4", 4, 2, 1, "1/5", "1/6"],
         [3, 5, "1/6", 7, 5, 5, 1, "1/2"],
         [4, 7, 5, 8, 6, 6, 2, 1]]
HOUSE_W = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]

# Saaty, T. L. (2008). Decision making with the analytic hierarchy process.
# Int. J. Services Sciences 1(1), 83–98, table 3: which drink is consumed more in the U.S.?
# Published derived scale: .177 .019 .042 .116 .190 .129 .327.
DRINKS = [[1, 9, 5, 2, 1, 1, "1/2"],
          ["1/9", 1, "1/3", "1/9", "1/9", "1/9", "1/9"],
          ["1/5", 3, 1, "1/3", "1/4", "1/3", "1/9"],
          ["1/2", 9, 3, 1, "1/2", 1, "1/3"],
          [1, 9, 4, 2, 1, 2, "1/2"],
          [1, 9, 3, 1, "1/2", 1, "1/3"],
          [2, 9, 9, 3, 2, 3, 1]]
DRINKS_W = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]


def _as_float(m):
    from fractions import Fraction
    return np.array([[float(Fraction(str(x))) for x in r] for r in m])


def _power_method(a, iters=2000):
    """Independent computation: normalised power iteration and lambda = mean((A w)_i / w_i)."""
    w = np.ones(len(a)) / len(a)
    for _ in range(iters):
        w = a @ w
        w /= w.sum()
    return w, float(np.mean((a @ w) / w))


def test_ahp_saaty_1990_house_example():
    r = ahp(HOUSE, HOUSE_LABELS, max_cr=None)
    # published to three decimals
    assert_allclose(r.weights.to_numpy(), HOUSE_W, atol=5e-4)
    assert r.weights.round(3).tolist() == HOUSE_W
    assert round(r.lambda_max, 3) == 9.669
    assert round(r.ci, 3) == 0.238
    assert round(r.cr, 3) == 0.169
    # and to 1e-6 against an independent power iteration
    w, lam = _power_method(_as_float(HOUSE))
    assert_allclose(r.weights.to_numpy(), w, rtol=1e-9)
    assert_allclose(r.lambda_max, lam, rtol=1e-9)
    assert_allclose(r.ci, (lam - 8) / 7, rtol=1e-9)
    assert_allclose(r.cr, (lam - 8) / 7 / 1.41, rtol=1e-9)
    assert list(r.table.index) == HOUSE_LABELS


def test_ahp_refuses_the_inconsistent_house_matrix_naming_judgements():
    r = ahp(HOUSE, HOUSE_LABELS, max_cr=None)
    worst = r.judgements.iloc[0]
    assert worst.error == r.judgements["error"].max()
    with pytest.raises(ConfigError) as exc:
        ahp(HOUSE, HOUSE_LABELS)
    msg = str(exc.value)
    assert "CR = 0.169 > 0.10" in msg
    assert f"{worst.i} vs {worst.j}" in msg
    # the judgement 'neighbourhood is 6x as important as condition' contradicts the rest
    assert {worst.i, worst.j} == {"neighbourhood", "condition"}


def test_ahp_saaty_2008_drinks_example():
    r = ahp(DRINKS, ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"])
    assert r.weights.round(3).tolist() == DRINKS_W
    w, lam = _power_method(_as_float(DRINKS))
    assert_allclose(r.weights.to_numpy(), w, rtol=1e-9)
    assert_allclose(r.lambda_max, lam, rtol=1e-9)
    assert_allclose(r.cr, (lam - 7) / 6 / 1.32, rtol=1e-9)
    assert r.cr < 0.1


@pytest.mark.parametrize("seed", range(8))
def test_ahp_random_consistent_matrices(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 16))
    w = rng.uniform(0.05, 1, n)
    a = w[:, None] / w[None, :]
    r = ahp(a)
    assert_allclose(r.weights.to_numpy(), w / w.sum(), rtol=1e-9)
    values, vectors = np.linalg.eig(a)
    k = np.argmax(values.real)
    v = np.abs(vectors[:, k].real)
    assert_allclose(r.weights.to_numpy(), v / v.sum(), rtol=1e-9)
    assert_allclose(r.lambda_max, n, rtol=1e-9)
    assert abs(r.ci) < 1e-9 and abs(r.cr) < 1e-9


@pytest.mark.parametrize("seed", range(5))
def test_ahp_random_reciprocal_matrices_against_numpy(seed):
    rng = np.random.default_rng(100 + seed)
    n = 6
    scale = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9])
    a = np.ones((n, n))
    iu = np.triu_indices(n, 1)
    a[iu] = rng.choice(scale, size=len(iu[0]))
    a[(iu[1], iu[0])] = 1 / a[iu]
    r = ahp(a, max_cr=None)
    w, lam = _power_method(a, 5000)
    assert_allclose(r.weights.to_numpy(), w, rtol=1e-7)
    assert_allclose(r.lambda_max, lam, rtol=1e-9)
    assert_allclose(r.cr, (lam - n) / (n - 1) / 1.24, rtol=1e-9)


def test_ahp_small_and_bad_matrices():
    r = ahp([[1, 3], ["1/3", 1]])
    assert_allclose(r.weights.to_numpy(), [0.75, 0.25])
    assert r.cr == 0 and r.ci == 0
    assert ahp([[1]]).weights.tolist() == [1.0]
    # hand-typed 0.333 is accepted as 1/3 (lower triangle taken as exact reciprocals)
    assert_allclose(ahp([[1, 3], [0.333, 1]]).weights.to_numpy(), [0.75, 0.25])
    with pytest.raises(ConfigError, match="not reciprocal"):
        ahp([[1, 3], [3, 1]], ["a", "b"])
    with pytest.raises(ConfigError, match="square"):
        ahp([[1, 2, 3], [0.5, 1]])
    with pytest.raises(ConfigError, match="positive"):
        ahp([[1, -2], [-0.5, 1]])
    with pytest.raises(ConfigError, match="fraction"):
        ahp([[1, "three"], ["1/3", 1]])
    with pytest.raises(ConfigError, match="n ≤ 15"):
        ahp(np.ones((16, 16)))
    assert set(ahp(HOUSE, HOUSE_LABELS, max_cr=None).to_dict()) >= {"weights", "lambda_max", "ci", "cr"}


# --------------------------------------------------------------------------------------
# criteria from genelab.toml
# --------------------------------------------------------------------------------------
def _config(**extra):
    crit = {
        "threat": {"label_vi": "Mức độ bị đe doạ", "label_en": "Threat", "direction": "benefit",
                   "scale": [1, 5]},
        "value": {"direction": "benefit", "scale": [1, 5]},
        "cost": {"label_en": "Cost of conservation", "direction": "cost", "scale": [1, 5]},
    }
    sec = {"method": "topsis", "criteria": ["threat", "value", "cost"], "criterion": crit}
    sec.update(extra)
    return {"name": "x", "scoring": sec}


def test_criteria_from_config_ahp_and_weights(tmp_path):
    cfg = _config(ahp=[[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]])
    t = criteria_from_config(cfg)
    assert list(t.columns) == ["criterion", "label_vi", "label_en", "direction", "scale_min",
                               "scale_max", "weight"]
    assert t["criterion"].tolist() == ["threat", "value", "cost"]
    assert_allclose(t["weight"], ahp(cfg["scoring"]["ahp"]).weights.to_numpy())
    assert t.attrs["method"] == "topsis" and t.attrs["ahp_cr"] < 0.1
    assert t.loc[0, "label_vi"] == "Mức độ bị đe doạ" and t.loc[1, "label_en"] == "value"
    assert t.loc[2, "scale_min"] == 1 and t.loc[2, "scale_max"] == 5
    cfg = _config()
    for c, w in zip(["threat", "value", "cost"], [2, 1, 1]):
        cfg["scoring"]["criterion"][c]["weight"] = w
    assert_allclose(criteria_from_config(cfg)["weight"], [0.5, 0.25, 0.25])
    # from a file and from its folder
    (tmp_path / "genelab.toml").write_text(
        'name = "x"\n[scoring]\ncriteria = ["a", "b"]\nahp = [[1, 4], ["1/4", 1]]\n'
        '[scoring.criterion.a]\ndirection = "benefit"\n[scoring.criterion.b]\ndirection = "cost"\n',
        "utf-8")
    assert_allclose(criteria_from_config(tmp_path)["weight"], [0.8, 0.2])
    assert_allclose(criteria_from_config(tmp_path / "genelab.toml")["weight"], [0.8, 0.2])


def test_criteria_from_config_errors():
    with pytest.raises(ConfigError, match="no weight for criteria threat, value, cost"):
        criteria_from_config(_config())
    cfg = _config(ahp=[[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]])
    cfg["scoring"]["criterion"]["threat"]["weight"] = 0.5
    with pytest.raises(ConfigError, match="one or the other"):
        criteria_from_config(cfg)
    cfg = _config(ahp=[[1, 3], ["1/3", 1]])
    with pytest.raises(ConfigError, match="3 distinct labels"):
        criteria_from_config(cfg)
    cfg = _config(ahp=[[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]])
    with pytest.raises(ConfigError, match="too inconsistent"):
        criteria_from_config(cfg)
    cfg = _config(method="ahp-sum")
    with pytest.raises(ConfigError, match="method"):
        criteria_from_config(cfg)
    cfg = _config()
    del cfg["scoring"]["criterion"]["value"]
    with pytest.raises(ConfigError, match=r"\[scoring.criterion.value\]"):
        criteria_from_config(cfg)
    with pytest.raises(ConfigError, match="no \\[scoring\\] section"):
        criteria_from_config({"name": "x"})


# --------------------------------------------------------------------------------------
# score against pymcdm
# --------------------------------------------------------------------------------------
def _long(x, names):
    m, k = x.shape
    return pd.DataFrame({"source_id": np.repeat([f"S{i:02d}" for i in range(m)], k),
                         "criterion": np.tile(names, m), "value": x.ravel()})


def _matrix(seed, m=12, k=5):
    """Integer scores 1–5 with deliberate ties (duplicated rows) and two cost criteria."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(m, k)).astype(float)
    x[3] = x[7]           # identical sources tie under every method
    x[10] = x[1]
    w = rng.dirichlet(np.ones(k))
    types = np.ones(k, dtype=int)
    types[[1, k - 1]] = -1
    names = [f"c{j}" for j in range(k)]
    crit = pd.DataFrame({"criterion": names, "direction": np.where(types > 0, "benefit", "cost"),
                         "weight": w})
    return x, w, types, names, crit


def _competition_ranks(pref, higher_is_better=True):
    p = np.round(np.asarray(pref, float), 9)
    return rankdata(-p if higher_is_better else p, method="min").astype(int)


@pytest.mark.parametrize("seed", range(6))
def test_wsm_against_pymcdm(seed):
    x, w, types, names, crit = _matrix(seed)
    ours = score(_long(x, names), crit, method="wsm", normalization="minmax").table
    pref = mcdm.WSM(nz.minmax_normalization)(x, w, types)
    ids = [f"S{i:02d}" for i in range(len(x))]
    assert_allclose(ours.loc[ids, "score"], pref, rtol=1e-12)
    assert ours.loc[ids, "rank"].tolist() == _competition_ranks(pref).tolist()
    assert ours.loc["S03", "rank"] == ours.loc["S07", "rank"]
    assert_allclose(ours[names].sum(axis=1), ours["score"], rtol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_topsis_against_pymcdm(seed):
    x, w, types, names, crit = _matrix(seed)
    ours = score(_long(x, names), crit, method="topsis").table
    # classic TOPSIS (vector normalisation; cost ideal = the minimum) == pymcdm's TOPSIS with
    # vector_normalization, whose cost column 1 - x/||x|| gives the same distances
    pref = mcdm.TOPSIS(nz.vector_normalization)(x, w, types)
    ids = [f"S{i:02d}" for i in range(len(x))]
    assert_allclose(ours.loc[ids, "score"], pref, rtol=1e-10)
    assert ours.loc[ids, "rank"].tolist() == _competition_ranks(pref).tolist()
    assert ours.loc["S01", "rank"] == ours.loc["S10", "rank"]
    assert_allclose(ours[names].sum(axis=1), ours["score"], rtol=1e-12)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("v", [0.5, 0.3, 1.0])
def test_vikor_against_pymcdm(seed, v):
    x, w, types, names, crit = _matrix(seed)
    ours = score(_long(x, names), crit, method="vikor", v=v).table
    q = mcdm.VIKOR(v=v)(x, w, types)
    ids = [f"S{i:02d}" for i in range(len(x))]
    assert_allclose(ours.loc[ids, "vikor_q"], q, atol=1e-12)
    assert_allclose(ours.loc[ids, "score"], 1 - q, atol=1e-12)
    assert ours.loc[ids, "rank"].tolist() == _competition_ranks(q, higher_is_better=False).tolist()
    assert ours["score"].between(0, 1).all()
    # compromise solution, written out from Opricovic & Tzeng (2004)
    res = score(_long(x, names), crit, method="vikor", v=v)
    qs = pd.Series(q, index=ids).sort_values(kind="stable")
    s_, r_ = ours["vikor_s"], ours["vikor_r"]
    dq = 1 / (len(ids) - 1)
    a1, a2 = qs.index[0], qs.index[1]
    adv = qs[a2] - qs[a1] >= dq
    stable = np.isclose(s_[a1], s_.min()) or np.isclose(r_[a1], r_.min())
    expected = [a1] if adv and stable else [a1, a2] if adv else list(qs.index[qs - qs[a1] < dq])
    assert res.compromise == expected
    assert_allclose(ours[names].sum(axis=1), ours["score"], rtol=1e-12)


def test_wsm_scale_normalisation_and_cost_inversion():
    crit = pd.DataFrame({"criterion": ["threat", "cost"], "direction": ["benefit", "cost"],
                         "weight": [3, 1], "scale_min": [1, 1], "scale_max": [5, 5]})
    data = _long(np.array([[5, 5], [1, 1], [3, 2]], float), ["threat", "cost"])
    res = score(data, crit)
    assert res.normalization == "scale"
    t = res.table
    # S00: 0.75*1 + 0.25*0 ; S01: 0 + 0.25*1 ; S02: 0.75*0.5 + 0.25*0.75
    assert_allclose(t.loc[["S00", "S01", "S02"], "score"], [0.75, 0.25, 0.5625])
    assert t.index.tolist() == ["S00", "S02", "S01"]
    assert_allclose(t.loc["S02", ["threat", "cost"]].to_numpy(float), [0.375, 0.1875])
    assert_allclose(res.normalized.loc["S02"], [0.5, 0.75])


def test_ties_share_the_best_rank_and_skip_the_next():
    crit = pd.DataFrame({"criterion": ["a", "b"], "direction": ["benefit", "benefit"], "weight": [0.5, 0.5]})
    # columns are permutations of each other, so mirror-image sources tie in every method
    x = np.array([[5, 1], [1, 5], [3, 3], [1, 1], [2, 4], [4, 2]], float)
    for method in ("wsm", "topsis", "vikor"):
        t = score(_long(x, ["a", "b"]), crit, method=method).table
        if method == "wsm":   # min-max: 0.5 0.5 0.5 0 0.5 0.5
            assert t["rank"].tolist() == [1, 1, 1, 1, 1, 6]
            assert t.index.tolist() == ["S00", "S01", "S02", "S04", "S05", "S03"]
        assert t.loc["S00", "rank"] == t.loc["S01", "rank"]
        assert t.loc["S04", "rank"] == t.loc["S05", "rank"]
        assert t.loc["S03", "rank"] == 6
        assert sorted(t["rank"]) == sorted(rankdata(-t["score"].round(9), method="min"))


def test_score_errors_name_source_and_criterion():
    crit = pd.DataFrame({"criterion": ["a", "b"], "direction": ["benefit", "cost"], "weight": [1, 1],
                         "scale_min": [1, 1], "scale_max": [5, 5]})
    data = _long(np.array([[5, 1], [1, 5], [3, 3]], float), ["a", "b"])
    with pytest.raises(ValidationError, match="no assessment of source S01 on criterion b"):
        score(data.drop(index=3), crit)
    bad = data.copy()
    bad.loc[3, "value"] = np.nan
    with pytest.raises(ValidationError, match="S01 on criterion b"):
        score(bad, crit)
    bad = data.astype({"value": object})
    bad.loc[0, "value"] = "high"
    with pytest.raises(ValidationError, match="row 2, column 'value': value 'high' — not a number"):
        score(bad, crit)
    bad = data.copy()
    bad.loc[1, "value"] = 7
    with pytest.raises(ValidationError, match=r"outside the scale \[1, 5\] of criterion b"):
        score(bad, crit)
    with pytest.raises(ValidationError, match="assessed twice"):
        score(pd.concat([data, data.head(1)]), crit)
    with pytest.raises(ValidationError, match="not a scoring criterion"):
        score(pd.concat([data, pd.DataFrame({"source_id": ["S00"], "criterion": ["z"], "value": [1]})]), crit)
    with pytest.raises(ValidationError, match="no assessment of source S09 on criterion a"):
        score(data, crit, sources=["S00", "S01", "S02", "S09"])
    with pytest.raises(ConfigError, match="method"):
        score(data, crit, method="electre")
    with pytest.raises(ConfigError, match="WSM only"):
        score(data, crit, method="topsis", normalization="minmax")
    with pytest.raises(ConfigError, match="lack columns"):
        score(data.rename(columns={"value": "score"}), crit)
    with pytest.raises(ConfigError, match="weights"):
        score(data, crit.assign(weight=[-1, 2]))


def test_score_uses_config_method_and_to_dict():
    cfg = _config(ahp=[[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]])
    data = _long(np.array([[5, 1, 2], [1, 5, 5], [3, 3, 3]], float), ["threat", "value", "cost"])
    res = score(data, cfg)
    assert res.method == "topsis"
    d = res.to_dict()
    assert d["method"] == "topsis" and len(d["table"]) == 3 and d["table"][0]["source_id"] == res.table.index[0]


# --------------------------------------------------------------------------------------
# sensitivity
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["wsm", "topsis", "vikor"])
def test_sensitivity_reproducible_and_equal_to_scoring_each_draw(method):
    x, w, types, names, crit = _matrix(3, m=15, k=5)
    data = _long(x, names)
    a = sensitivity(data, crit, method=method, n=120, seed=7)
    b = sensitivity(data, crit, method=method, n=120, seed=7)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.rank_distribution, b.rank_distribution)
    c = sensitivity(data, crit, method=method, n=120, seed=8)
    assert not a.rank_distribution.equals(c.rank_distribution)
    # the vectorised ranks equal scoring each draw with score() one at a time
    draws = _dirichlet_weights(crit["weight"].to_numpy() / crit["weight"].sum(), 120, 100.0, 7)
    counts = np.zeros((15, 15))
    ids = a.rank_distribution.index
    for d in draws:
        t = score(data, crit.assign(weight=d), method=method).table
        counts[np.arange(15), t.loc[ids, "rank"].to_numpy() - 1] += 1
    assert_allclose(a.rank_distribution.to_numpy(), counts / 120, atol=1e-12)
    assert_allclose(a.rank_distribution.sum(axis=1), 1)
    t = a.table
    assert (t["rank_low"] <= t["median_rank"]).all() and (t["median_rank"] <= t["rank_high"]).all()
    assert_allclose(t["p_top"], a.rank_distribution.loc[:, 1:10].sum(axis=1))
    assert_allclose(a.weight_summary["mean"], crit["weight"] / crit["weight"].sum(), atol=0.01)


def test_sensitivity_quantiles_and_concentration():
    x, w, types, names, crit = _matrix(1, m=11, k=4)
    data = _long(x, names)
    tight = sensitivity(data, crit, n=500, seed=1, concentration=1e6)
    base = score(data, crit)
    # nearly fixed weights: every source keeps its rank
    assert (tight.table["median_rank"] == base.table.loc[tight.table.index, "rank"]).all()
    loose = sensitivity(data, crit, n=500, seed=1, concentration=5)
    assert (loose.table["rank_high"] - loose.table["rank_low"]).mean() > \
        (tight.table["rank_high"] - tight.table["rank_low"]).mean()
    # quantiles read from the distribution are the inverse empirical CDF
    dist = loose.rank_distribution.to_numpy()
    for i in range(11):
        cdf = np.cumsum(dist[i])
        assert loose.table["median_rank"].iat[i] == np.argmax(cdf >= 0.5 - 1e-12) + 1
    with pytest.raises(ConfigError):
        sensitivity(data, crit, n=0, seed=1)
    zero = crit.assign(weight=[0.0, 0.5, 0.5, 0.0])
    res = sensitivity(data, zero, n=50, seed=2)
    assert_allclose(res.weight_summary["q95"].iloc[[0, 3]], 0)


# --------------------------------------------------------------------------------------
# priority classes
# --------------------------------------------------------------------------------------
def test_priority_classes_rule():
    # 9 sources ranked S0 (best) … S8; tiers: ranks 1–3 high, 4–6 medium, 7–9 low
    crit = pd.DataFrame({"criterion": ["a"], "direction": ["benefit"], "weight": [1.0]})
    data = pd.DataFrame({"source_id": [f"S{i}" for i in range(9)], "criterion": "a",
                         "value": np.arange(9, 0, -1)})
    threat = ["EN", "vu", "lc", "cr", "nt", "lc", "ew", "dd", "ex"]
    src = pd.DataFrame({"source_id": [f"S{i}" for i in range(9)], "threat": threat,
                        "name_vi": [f"nguồn {i}" for i in range(9)]})
    pc = priority_classes(score(data, crit), src, target=5)
    assert pc.table["priority_class"].tolist() == ["A", "A", "B", "A", "B", "C", "B", "C", "C"]
    assert pc.table["score_tier"].tolist() == ["high"] * 3 + ["medium"] * 3 + ["low"] * 3
    assert pc.proposed == ["S0", "S1", "S3", "S2", "S4"]
    assert pc.target_met and pc.table["proposed"].sum() == 5
    assert pc.table.loc["S2", "proposal_order"] == 4 and pd.isna(pc.table.loc["S5", "proposal_order"])
    assert pc.table.loc["S0", "name_vi"] == "nguồn 0"
    assert "class A" in pc.rule
    big = priority_classes(score(data, crit), src, target=20)
    assert big.proposed == ["S0", "S1", "S3", "S2", "S4", "S6"] and not big.target_met
    with pytest.raises(ValidationError, match="IUCN code expected"):
        priority_classes(score(data, crit), src.assign(threat=["xx"] + threat[1:]))
    with pytest.raises(ValidationError, match="missing from the sources table"):
        priority_classes(score(data, crit), src.iloc[1:])


# --------------------------------------------------------------------------------------
# the demo workspace
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_ws():
    import genelab

    return genelab.open_workspace(genelab.demo_path())


def _demo(ws):
    return ws.config, ws.assessments, ws.sources


def test_demo_all_sources_ranked_and_restoration_proposed(demo_ws):
    config, assessments, sources = _demo(demo_ws)
    crit = criteria_from_config(demo_ws)             # a Workspace: its genelab.toml
    assert crit["criterion"].tolist() == config["scoring"]["criteria"]
    pd.testing.assert_frame_equal(crit, criteria_from_config(demo_ws.path))
    assert crit.attrs["ahp_cr"] < 0.1
    res = score(assessments, crit, sources=sources)
    assert len(res.table) == len(sources) == config["targets"]["sources"] == 65
    assert set(res.table.index) == set(sources["source_id"])
    assert res.table["rank"].min() == 1 and res.table["score"].is_monotonic_decreasing
    stab = sensitivity(assessments, crit, n=300, seed=1)
    pc = priority_classes(res, sources, target=config["targets"]["restored"], stability=stab)
    assert len(pc.proposed) >= 10 and pc.target_met
    assert_allclose(pc.table["p_top"], stab.table.loc[pc.table.index, "p_top"])
    with pytest.raises(ConfigError, match="same scored sources"):
        priority_classes(res, sources, stability=sensitivity(assessments.iloc[:70], crit, n=10, seed=1))
    assert set(pc.table["priority_class"]) <= {"A", "B", "C"}
    for method in ("topsis", "vikor"):
        assert len(score(assessments, crit, method=method, sources=sources).table) == 65


def test_demo_sensitivity_reproducible(demo_ws):
    config, assessments, sources = _demo(demo_ws)
    crit = criteria_from_config(config)
    a = sensitivity(assessments, crit, n=1000, seed=config["seed"])
    b = sensitivity(assessments, crit, n=1000, seed=config["seed"])
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.to_dict() == b.to_dict()
    assert len(a.table) == 65 and a.rank_distribution.shape == (65, 65)
    assert_allclose(a.table["p_top"].sum(), 10, atol=1e-9)   # ten places in the top ten per draw


def test_demo_figures(demo_ws):
    config, assessments, sources = _demo(demo_ws)
    from genelab.plots import rank_stability, score_bars, score_radar

    crit = criteria_from_config(config)
    res = score(assessments, crit)
    fig = score_bars(res, lang="vi")
    assert len(fig.axes[0].patches) == 65 * 7
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == crit.loc[0, "label_vi"]
    fig = score_radar(res, res.table.index[0], lang="en")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == crit["label_en"].tolist()
    with pytest.raises(ConfigError, match="was not scored"):
        score_radar(res, "XX-999")
    fig = rank_stability(sensitivity(assessments, crit, n=200, seed=1), lang="en", top=20)
    assert len(fig.axes[0].get_yticklabels()) == 20
