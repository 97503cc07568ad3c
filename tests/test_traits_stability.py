"""stability: Eberhart–Russell, Wricke, Shukla and AMMI on small hand-checkable examples."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from genelab.errors import DesignError
from genelab.traits import stability

# cell means of 4 genotypes in 4 environments (2 blocks per environment added below)
CELLS = pd.DataFrame(
    [[8.0, 10.0, 12.0, 14.0], [6.0, 10.0, 13.0, 15.0], [10.0, 10.0, 11.0, 11.0], [7.0, 9.0, 13.0, 12.0]],
    index=["A", "B", "C", "D"], columns=["E1", "E2", "E3", "E4"],
)


def _plots():
    rows = []
    for g in CELLS.index:
        for e in CELLS.columns:
            for blk, off in ((1, -0.3), (2, 0.3)):
                rows.append((g, e, blk, CELLS.loc[g, e] + off * (1 if g in "AC" else -1)))
    return pd.DataFrame(rows, columns=["src", "site", "rep", "y"])


def test_eberhart_russell_against_linregress():
    st = stability(_plots(), "y", genotype="src", env="site", block="rep")
    t = st.table.set_index("genotype")
    index = CELLS.mean() - CELLS.to_numpy().mean()
    assert_allclose(st.environments["index"], index.to_numpy())
    for g in CELLS.index:
        lr = stats.linregress(index.to_numpy(), CELLS.loc[g].to_numpy())
        assert_allclose(t.loc[g, "b"], lr.slope, rtol=1e-12)
        assert_allclose(t.loc[g, "se_b"], lr.stderr, rtol=1e-10)
        assert_allclose(t.loc[g, "r2"], lr.rvalue**2, rtol=1e-10)
        fitted = lr.intercept + lr.slope * index.to_numpy()
        ms_dev = ((CELLS.loc[g].to_numpy() - fitted) ** 2).sum() / (4 - 2)
        assert_allclose(t.loc[g, "ms_dev"], ms_dev, rtol=1e-10)
        assert_allclose(t.loc[g, "s2d"], ms_dev - st.mse / 2, rtol=1e-10)
        assert_allclose(t.loc[g, "p_b"], 2 * stats.t.sf(abs((lr.slope - 1) / lr.stderr), 2), rtol=1e-10)
    assert_allclose(t["b"].mean(), 1.0)  # regression coefficients average to one


def test_pooled_error_wricke_shukla_and_ammi():
    d = _plots()
    st = stability(d, "y", genotype="src", env="site", block="rep")
    # blocks shift each cell by ±0.3 in opposite directions for A,C and B,D: the block(env)
    # effect cancels (2 genotypes each way), every plot is 0.3 from its cell mean.
    assert_allclose(st.mse * st.df_error, 32 * 0.09, rtol=1e-10)
    # df: 31 total - 3 env - 4 block(env) - 3 genotype - 9 genotype:env = 12
    assert st.df_error == 12
    ge = CELLS.to_numpy() - CELLS.mean(axis=1).to_numpy()[:, None] - CELLS.mean().to_numpy() + CELLS.to_numpy().mean()
    w = (ge**2).sum(axis=1)
    t = st.table.set_index("genotype")
    assert_allclose(t["ecovalence"], w, rtol=1e-12)
    ss_ge = st.anova.set_index("source").loc["genotype:env", "ss"]
    assert_allclose(2 * w.sum(), ss_ge, rtol=1e-10)
    g, e = 4, 4
    assert_allclose(t["shukla"], (g * w - w.sum() / (g - 1)) / ((g - 2) * (e - 1)), rtol=1e-12)
    # Shukla's variances average to the G×E mean square on the cell-mean scale
    assert_allclose(t["shukla"].mean(), w.sum() / ((g - 1) * (e - 1)), rtol=1e-12)
    # AMMI: the axes split SS(G×E) and their scores rebuild the interaction matrix
    assert_allclose(st.ammi["ss"].sum(), ss_ge, rtol=1e-10)
    assert_allclose(st.ammi["percent"].sum(), 100)
    assert st.ammi["df"].tolist() == [5.0, 3.0, 1.0]
    gs = st.table[["ipca1", "ipca2"]].to_numpy()
    es = st.environments[["ipca1", "ipca2"]].to_numpy()
    sv = st.ammi["singular_value"].to_numpy()
    u, s, vt = np.linalg.svd(ge)
    assert_allclose(sv, s[:3], rtol=1e-12)
    rebuilt2 = gs @ es.T
    assert_allclose(rebuilt2, (u[:, :2] * s[:2]) @ vt[:2], atol=1e-10)


def test_stability_refuses_incomplete_tables_and_small_trials():
    d = _plots()
    with pytest.raises(DesignError, match="B in E3"):
        stability(d[~((d.src == "B") & (d.site == "E3"))], "y", genotype="src", env="site", block="rep")
    with pytest.raises(DesignError, match="at least 3"):
        stability(d[d.site.isin(["E1", "E2"])], "y", genotype="src", env="site", block="rep")


def test_stability_without_replicates_has_no_error_tests():
    means = CELLS.stack().rename("y").reset_index().rename(columns={"level_0": "src", "level_1": "site"})
    st = stability(means, "y", genotype="src", env="site")
    assert np.isnan(st.table["p_s2d"]).all() and any("replicates" in n for n in st.notes)
    assert_allclose(st.table["b"], stability(_plots(), "y", genotype="src", env="site", block="rep").table["b"])


def test_ammi_biplots_draw():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from genelab.plots import ammi_biplot

    st = stability(_plots(), "y", genotype="src", env="site", block="rep")
    for kind in ("ammi1", "ammi2"):
        fig = ammi_biplot(st, kind=kind, lang="en")
        texts = {t.get_text() for t in fig.axes[0].texts}
        assert {"A", "B", "C", "D", "E1", "E4"} <= texts
        plt.close(fig)
    with pytest.raises(DesignError):
        ammi_biplot(st, kind="gge")


def test_rows_without_labels_are_refused():
    from genelab.errors import ValidationError

    d = _plots().astype({"src": object})
    d.loc[3, "src"] = None
    with pytest.raises(ValidationError, match="src"):
        stability(d, "y", genotype="src", env="site", block="rep")
