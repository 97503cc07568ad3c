"""genetic_parameters against lme4 / the ANOVA method of moments (README §9)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from conftest import case_params, json_pointer, load_case
from genelab.errors import DesignError, ValidationError
from genelab.traits import genetic_parameters, robust_z

VC_CASES = [p for p in case_params("factorial_rcbd") if "variance_components" in load_case(p.values[0])[0]]


def _case(folder):
    spec, expected = load_case(folder)
    data = pd.read_csv(folder / spec["input"], na_values=[spec["missing_value"]], keep_default_na=False)
    vc = spec["variance_components"]
    want = json_pointer(expected, vc["results_at"])
    kw = dict(genotype=vc["genetic_factor"], block=vc["block"])
    return spec, vc, data, want, kw


def test_variance_component_cases_are_found():
    assert len(VC_CASES) >= 1


@pytest.mark.parametrize("folder", VC_CASES)
def test_genetic_parameters_anova_against_r(folder):
    spec, vc, data, want, kw = _case(folder)
    mom = want["anova_method_of_moments"]
    gp = genetic_parameters(data, spec["response"], env=vc["environment_factor"], method="anova", **kw)
    assert (gp.r, gp.s, gp.g) == (mom["r"], mom["s"], mom["g"])
    assert (gp.r, gp.s) == (vc["n_blocks"], vc["n_environments"])
    raw = gp.components.set_index("component")["raw_estimate"]
    ref = [mom["sigma2_G"], mom["sigma2_GS"], mom["sigma2_e"]]
    assert_allclose([raw["genotype"], raw["genotype:env"], raw["residual"]], ref, rtol=1e-6)
    if min(ref) >= 0:
        assert_allclose([gp.h2_mean, gp.h2_plot], [mom["H2_entry_mean"], mom["H2_plot"]], rtol=1e-6)
    else:  # R's formulas keep a negative estimate; genelab reports it as 0 with a note
        assert any("negative" in n for n in gp.notes)
        assert_allclose([gp.sigma2_g, gp.sigma2_ge], np.maximum(ref[:2], 0), rtol=1e-6)


@pytest.mark.parametrize("folder", VC_CASES)
def test_genetic_parameters_anova_table_against_r(folder):
    spec, vc, data, want, kw = _case(folder)
    _, expected = load_case(folder)
    model = json_pointer(expected, spec["model"]["results_at"])
    gp = genetic_parameters(data, spec["response"], env=vc["environment_factor"], method="anova", **kw)
    ref = {row["source"]: row for row in model["anova"]}
    interaction = next(t for t in spec["model"]["terms"] if ":" in t)
    names = {vc["block"]: "block", vc["environment_factor"]: "env", vc["genetic_factor"]: "genotype",
             interaction: "genotype:env", "Residuals": "residual"}
    got = gp.anova.set_index("source")
    for r_name, ours in names.items():
        assert_allclose(got.loc[ours, ["df", "ss", "ms"]].to_numpy(dtype=float),
                        [ref[r_name]["df"], ref[r_name]["ss"], ref[r_name]["ms"]], rtol=1e-9)
        if ref[r_name]["F"] is not None:
            assert_allclose(got.loc[ours, "f"], ref[r_name]["F"], rtol=1e-9)
            assert_allclose(got.loc[ours, "p_value"], ref[r_name]["p"], rtol=1e-9, atol=1e-12)


def _lmer(want, name):
    m = want[name]
    comps = {k: v["variance"] for k, v in m["variance_components"].items()}
    inter = [k for k in comps if ":" in k]
    if inter:
        comps["interaction"] = comps[inter[0]]
    return m, comps


def _close(got, ref, comps, rtol):
    # components on the boundary (lme4 singular fits) are compared on the residual's scale
    assert_allclose(got, ref, rtol=rtol, atol=rtol * comps["Residual"] * 1e-2)


@pytest.mark.parametrize("folder", VC_CASES)
def test_genetic_parameters_reml_against_r(folder):
    spec, vc, data, want, kw = _case(folder)
    g, e = vc["genetic_factor"], vc["environment_factor"]
    m, comps = _lmer(want, "lmer_genotype_gxs_block_random_REML")
    gp = genetic_parameters(data, spec["response"], env=e, method="reml", **kw)
    got = [gp.sigma2_g, gp.sigma2_ge, gp.sigma2_block, gp.sigma2_e, gp.h2_mean, gp.h2_plot]
    ref = [comps[g], comps["interaction"], comps[vc["block"]], comps["Residual"],
           m["heritability"]["H2_entry_mean"], m["heritability"]["H2_plot"]]
    _close(got, ref, comps, 1e-4)
    assert_allclose(gp.log_likelihood, m["logLik"], rtol=1e-8)
    assert_allclose(-2 * gp.log_likelihood, m["REMLcrit"], rtol=1e-8)
    assert_allclose(gp.fixed_effects.to_numpy(), list(m["fixef"].values()), rtol=1e-6)


@pytest.mark.parametrize("folder", VC_CASES)
def test_genetic_parameters_reml_genotype_block_model_against_r(folder):
    spec, vc, data, want, kw = _case(folder)
    g = vc["genetic_factor"]
    m, comps = _lmer(want, "lmer_genotype_block_random_REML")
    gp = genetic_parameters(data, spec["response"], method="reml", **kw)
    got = [gp.sigma2_g, gp.sigma2_e, gp.h2_mean, gp.h2_plot]
    ref = [comps[g], comps["Residual"], m["heritability"]["H2_entry_mean"], m["heritability"]["H2_plot"]]
    _close(got, ref, comps, 1e-4)
    # lme4 stops ~1e-4 short of the REML optimum on the (small) block variance of this model;
    # the exact optimum equals the method of moments (balanced data) and has the larger logLik.
    assert_allclose(gp.sigma2_block, comps[vc["block"]], rtol=2e-4)
    assert gp.log_likelihood >= m["logLik"] - 1e-9
    assert_allclose(gp.log_likelihood, m["logLik"], rtol=1e-8)
    assert gp.sigma2_ge == 0


@pytest.mark.parametrize("folder", VC_CASES)
def test_genetic_parameters_ml_against_r(folder):
    spec, vc, data, want, kw = _case(folder)
    g, e = vc["genetic_factor"], vc["environment_factor"]
    m, comps = _lmer(want, "lmer_genotype_gxs_block_random_ML")
    gp = genetic_parameters(data, spec["response"], env=e, method="ml", **kw)
    got = [gp.sigma2_g, gp.sigma2_ge, gp.sigma2_block, gp.sigma2_e, gp.h2_mean, gp.h2_plot]
    ref = [comps[g], comps["interaction"], comps[vc["block"]], comps["Residual"],
           m["heritability"]["H2_entry_mean"], m["heritability"]["H2_plot"]]
    _close(got, ref, comps, 1e-4)
    assert_allclose(gp.log_likelihood, m["logLik"], rtol=1e-8)


def _one_env():
    # 4 genotypes x 3 blocks, hand-worked: genotype means 11, 14, 9, 13; block means 11.5, 12, 11.75
    y = {"A": [10, 12, 11], "B": [14, 13, 15], "C": [9, 9, 9], "D": [13, 14, 12]}
    rows = [(g, b + 1, v) for g, vals in y.items() for b, v in enumerate(vals)]
    return pd.DataFrame(rows, columns=["acc", "blk", "y"])


def test_genetic_parameters_hand_worked_without_env():
    d = _one_env()
    gp = genetic_parameters(d, "y", genotype="acc", block="blk")
    # SS_G = 3*sum((m - 11.75)^2) = 3*(0.5625+5.0625+7.5625+1.5625) = 44.25, MS_G = 14.75
    # SS_total = 44.25 + SS_B + SS_e; SS_B = 4*((11.5-11.75)^2+(12-11.75)^2+0) = 0.5
    tot = ((d["y"] - d["y"].mean()) ** 2).sum()
    ms_e = (tot - 44.25 - 0.5) / 6
    assert_allclose(gp.sigma2_e, ms_e, rtol=1e-12)
    assert_allclose(gp.sigma2_g, (14.75 - ms_e) / 3, rtol=1e-12)
    assert_allclose(gp.h2_mean, gp.sigma2_g / (gp.sigma2_g + ms_e / 3), rtol=1e-12)
    assert_allclose(gp.gcv, 100 * np.sqrt(gp.sigma2_g) / 11.75, rtol=1e-12)
    assert_allclose(gp.ga, 2.063 * gp.h2_mean * np.sqrt(gp.sigma2_g + ms_e / 3), rtol=1e-12)
    assert_allclose(gp.gam, 100 * gp.ga / 11.75, rtol=1e-12)
    # REML on balanced data with positive components equals the method of moments
    d["y"] = d["y"] + d["blk"].map({1: 0.0, 2: 3.0, 3: 1.5})  # a real block effect
    gp = genetic_parameters(d, "y", genotype="acc", block="blk")
    reml = genetic_parameters(d, "y", genotype="acc", block="blk", method="reml")
    assert reml.sigma2_block > 0
    assert_allclose([reml.sigma2_g, reml.sigma2_e], [gp.sigma2_g, gp.sigma2_e], rtol=1e-5)
    levels = gp.table.set_index("parameter")["level"]
    assert levels["h2_mean"] == "high" and levels["gam"] == "high"


def test_negative_component_is_zero_with_a_note():
    d = _one_env()
    d["y"] = [10, 12, 11, 11, 10, 12, 12, 11, 10, 11, 12, 10]  # genotype means all 11
    gp = genetic_parameters(d, "y", genotype="acc", block="blk")
    assert gp.sigma2_g == 0 and gp.h2_mean == 0
    assert any("negative" in n for n in gp.notes)
    raw = gp.components.set_index("component").loc["genotype", "raw_estimate"]
    assert raw < 0
    # REML keeps the component on the boundary (≈ 0) and says so
    reml = genetic_parameters(d, "y", genotype="acc", block="blk", method="reml")
    assert reml.sigma2_g < 1e-4 * reml.sigma2_e
    assert any("boundary" in n for n in reml.notes)


def test_plot_basis_and_levels():
    d = _one_env()
    gp = genetic_parameters(d, "y", genotype="acc", block="blk", basis="plot")
    assert_allclose(gp.sigma2_p, gp.sigma2_g + gp.sigma2_e)
    assert_allclose(gp.ga, 2.063 * gp.h2_plot * np.sqrt(gp.sigma2_p))


def test_unbalanced_anova_is_noted_incomplete_refused_and_reml_runs():
    d = _one_env().iloc[1:]
    approx = genetic_parameters(d, "y", genotype="acc", block="blk")
    assert any("approximate" in n for n in approx.notes)
    two = pd.concat([_one_env().assign(site="x"), _one_env().assign(site="y")], ignore_index=True)
    two = two[~((two["acc"] == "A") & (two["site"] == "y"))]
    with pytest.raises(DesignError, match="every genotype in every environment"):
        genetic_parameters(two, "y", genotype="acc", block="blk", env="site")
    gp = genetic_parameters(d, "y", genotype="acc", block="blk", method="reml")
    assert gp.sigma2_g > 0 and 0 < gp.h2_mean < 1
    assert_allclose(gp.r, 4 / (1 / 2 + 3 / 3))


def test_missing_response_is_noted_and_bad_input_named():
    d = _one_env()
    d.loc[0, "y"] = np.nan
    gp = genetic_parameters(d, "y", genotype="acc", block="blk", method="reml")
    assert any("missing" in n for n in gp.notes)
    with pytest.raises(ValidationError, match="yield"):
        genetic_parameters(d, "yield", genotype="acc", block="blk")
    with pytest.raises(DesignError, match="method"):
        genetic_parameters(d, "y", genotype="acc", block="blk", method="bayes")


def test_outlier_is_flagged_not_dropped():
    d = _one_env()
    d.loc[4, "y"] = 40.0
    gp = genetic_parameters(d, "y", genotype="acc", block="blk", method="reml")
    assert len(gp.residuals) == len(d)
    assert gp.residuals["outlier"].tolist() == [i == 4 for i in range(len(d))]
    assert_allclose(robust_z([1.0, 2.0, 3.0, 4.0, 100.0])[0], 0.6745 * (1 - 3) / 1)


@pytest.mark.parametrize("folder", VC_CASES)
def test_genetic_parameters_reml_all_random_against_r(folder):
    spec, vc, data, want, kw = _case(folder)
    g, e = vc["genetic_factor"], vc["environment_factor"]
    m, comps = _lmer(want, "lmer_all_random_REML")
    gp = genetic_parameters(data, spec["response"], env=e, method="reml", env_effect="random", **kw)
    env_var = gp.components.set_index("component").loc["env", "variance"]
    got = [gp.sigma2_g, gp.sigma2_ge, env_var, gp.sigma2_block, gp.sigma2_e, gp.h2_mean, gp.h2_plot]
    ref = [comps[g], comps["interaction"], comps[e], comps[vc["block"]], comps["Residual"],
           m["heritability"]["H2_entry_mean"], m["heritability"]["H2_plot"]]
    _close(got, ref, comps, 1e-4)
    assert_allclose(gp.log_likelihood, m["logLik"], rtol=1e-8)
