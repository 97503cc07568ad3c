"""diversity, correlations, path analysis and ordination against hand-worked values and scipy/numpy."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from scipy.cluster.hierarchy import cophenet, linkage
from scipy.spatial.distance import pdist

from genelab.errors import DesignError
from genelab.traits import (
    correlations,
    diversity,
    gower_distance,
    jain_classes,
    ordination,
    path_analysis,
)


def _long(wide: pd.DataFrame) -> pd.DataFrame:
    out = wide.rename_axis("source_id").reset_index().melt("source_id", var_name="trait", value_name="value")
    return out


# --- diversity -------------------------------------------------------------------------------

def test_diversity_qualitative_hand_worked():
    obs = pd.DataFrame({"source_id": ["A"] * 4 + ["B"] * 2, "trait": "colour", "value": np.nan,
                        "state": pd.array(["red", "red", "red", "green", "yellow", "green"], dtype="string")})
    dic = pd.DataFrame({"trait": ["colour"], "kind": ["qualitative"], "states": ["green;yellow;red;white"]})
    d = diversity(obs, "colour", traits=dic).set_index("source_id")
    # A: p = (.75, .25): H' = -(.75 ln .75 + .25 ln .25) = 0.562335; k = 4 declared states
    assert_allclose(d.loc["A", "h"], 0.5623351446188083, rtol=1e-12)
    assert_allclose(d.loc["A", "h"], stats.entropy([3, 1]), rtol=1e-12)
    assert_allclose(d.loc["A", "h_norm"], 0.5623351446188083 / np.log(4), rtol=1e-12)
    assert_allclose(d.loc["A", "simpson"], 1 - 0.75**2 - 0.25**2)
    assert d.loc["A", "k"] == 4 and d.loc["A", "observed"] == 2
    assert_allclose(d.loc["B", "h_norm"], np.log(2) / np.log(4))
    whole = diversity(obs, "colour", by=None, traits=dic).iloc[0]
    assert_allclose(whole["h"], stats.entropy([3, 2, 1]), rtol=1e-12)
    # without a dictionary k is the number of states seen in the collection (3)
    assert diversity(obs, "colour")["k"].tolist() == [3, 3]


def test_jain_classes_and_quantitative_diversity():
    # mean 0, sd 1 exactly: values symmetric; the classes follow 0.5 sd steps
    x = np.array([-2.5, -1.2, -0.2, 0.2, 1.2, 2.5])
    assert jain_classes(x, 0.0, 1.0).tolist() == [1, 3, 5, 6, 8, 10]
    # in the data's own units: mean 0, sd 1.7723 -> z = ±1.41, ±0.68, ±0.11 -> classes 3 4 5 6 7 8
    assert jain_classes(x, 0.0, x.std(ddof=1)).tolist() == [3, 4, 5, 6, 7, 8]
    obs = pd.DataFrame({"source_id": "A", "trait": "h", "value": x})
    d = diversity(obs, "h", by=None).iloc[0]
    assert d["k"] == 10 and d["observed"] == 6
    assert_allclose(d["h"], np.log(6))
    assert_allclose(d["h_norm"], np.log(6) / np.log(10))
    eq = diversity(obs, "h", by=None, bins=3).iloc[0]  # equal-width classes over the range
    assert eq["k"] == 3 and eq["observed"] == 3
    assert_allclose(eq["h"], stats.entropy([2, 2, 2]))
    with pytest.raises(DesignError):
        diversity(obs, "nope")


# --- correlations and path analysis -----------------------------------------------------------

def _wide(seed=0, n=25):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = 0.7 * a + rng.normal(scale=0.6, size=n)
    c = -0.4 * a + 0.3 * b + rng.normal(scale=0.8, size=n)
    y = 0.5 * a + 0.4 * b + 0.3 * c + rng.normal(scale=0.5, size=n)
    return pd.DataFrame({"a": a, "b": b, "c": c, "yield": y}, index=[f"S{i:03d}" for i in range(n)])


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_correlations_against_scipy(method):
    wide = _wide()
    wide.iloc[3, 1] = np.nan  # pairwise-complete
    obs = _long(wide).dropna()
    res = correlations(obs, method=method)
    fn = stats.pearsonr if method == "pearson" else stats.spearmanr
    for _, row in res.table.iterrows():
        pair = wide[[row.trait_x, row.trait_y]].dropna()
        ref = fn(pair.iloc[:, 0], pair.iloc[:, 1])
        assert_allclose(row.r, ref.statistic, rtol=1e-12)
        assert_allclose(row.p_value, ref.pvalue, rtol=1e-9)
        assert row.n == len(pair)
        assert row.mark == ("**" if ref.pvalue < 0.01 else "*" if ref.pvalue < 0.05 else "ns")
    assert_allclose(res.r.to_numpy(), res.r.to_numpy().T)


def test_correlations_by_plot_uses_single_observations():
    obs = pd.DataFrame({"source_id": ["A"] * 4 + ["B"] * 4, "rep": [1, 2, 1, 2] * 2,
                        "trait": ["h", "h", "w", "w"] * 2, "value": [1.0, 2, 2, 4, 3, 5, 6, 9]})
    plot = correlations(obs, by="plot")
    assert plot.n.loc["h", "w"] == 4
    assert_allclose(plot.r.loc["h", "w"], np.corrcoef([1, 2, 3, 5], [2, 4, 6, 9])[0, 1])
    with pytest.raises(DesignError):
        correlations(obs, method="kendall")


def test_path_analysis_equals_standardised_regression():
    wide = _wide(3, 40)
    pa = path_analysis(_long(wide), "yield", ["a", "b", "c"])
    z = (wide - wide.mean()) / wide.std(ddof=1)
    beta, *_ = np.linalg.lstsq(z[["a", "b", "c"]].to_numpy(), z["yield"].to_numpy(), rcond=None)
    assert_allclose(pa.direct.to_numpy(), beta, rtol=1e-10)
    r = wide.corr()
    t = pa.table.set_index("component")
    assert_allclose(t.loc["a", "via_b"], r.loc["a", "b"] * beta[1], rtol=1e-10)
    assert_allclose(t["direct"] + t["indirect"], r.loc[["a", "b", "c"], "yield"], rtol=1e-10)
    # R² of the standardised regression; residual effect sqrt(1 - R²)
    fitted = z[["a", "b", "c"]].to_numpy() @ beta
    r2 = 1 - ((z["yield"] - fitted) ** 2).sum() / (z["yield"] ** 2).sum()
    assert_allclose(pa.r2, r2, rtol=1e-10)
    assert_allclose(pa.residual, np.sqrt(1 - r2), rtol=1e-10)


def test_path_analysis_two_components_closed_form():
    # Li (1975): P1 = (r1y - r12 r2y)/(1 - r12^2)
    wide = _wide(7, 30)[["a", "b", "yield"]]
    r = wide.corr()
    pa = path_analysis(_long(wide), "yield", ["a", "b"])
    p1 = (r.loc["a", "yield"] - r.loc["a", "b"] * r.loc["b", "yield"]) / (1 - r.loc["a", "b"] ** 2)
    assert_allclose(pa.direct["a"], p1, rtol=1e-12)
    wide["b"] = 2 * wide["a"]
    with pytest.raises(DesignError, match="collinear"):
        path_analysis(_long(wide), "yield", ["a", "b"])


# --- ordination --------------------------------------------------------------------------------

def test_pca_against_numpy_eigen():
    wide = _wide(11, 20)
    o = ordination(_long(wide), n_clusters=3)
    corr = np.corrcoef(wide.to_numpy().T)
    eig, vec = np.linalg.eigh(corr)
    eig, vec = eig[::-1], vec[:, ::-1]
    assert_allclose(o.eigen["eigenvalue"], eig, rtol=1e-10)
    assert_allclose(o.eigen["explained"].sum(), 100)
    load = o.loadings.loc[list(wide.columns)].to_numpy()
    assert_allclose(np.abs(load), np.abs(vec), atol=1e-10)
    z = ((wide - wide.mean()) / wide.std(ddof=1)).to_numpy()
    assert_allclose(o.scores.loc[wide.index].to_numpy(), z @ load, atol=1e-10)
    # scores are uncorrelated with variances equal to the eigenvalues
    assert_allclose(np.var(o.scores.to_numpy(), axis=0, ddof=1), eig, rtol=1e-10)
    assert_allclose(o.correlations.loc["a", "pc1"], np.corrcoef(wide["a"], o.scores.loc[wide.index, "pc1"])[0, 1])
    # clustering = scipy's ward on the same standardised matrix
    Z = linkage(pdist(z), method="ward")
    assert_allclose(o.linkage[:, 2], Z[:, 2], rtol=1e-12)
    assert_allclose(o.cophenetic, cophenet(Z, pdist(z))[0], rtol=1e-12)
    assert o.table["cluster"].nunique() == 3 and o.cluster_means["n"].sum() == 20


def test_upgma_hand_worked():
    # five sources on a line (two perfectly correlated traits): 0, 1, 5, 6, 20
    x = np.array([0.0, 1.0, 5.0, 6.0, 20.0])
    wide = pd.DataFrame({"h": x, "w": 3 * x + 7}, index=list("ABCDE"))
    o = ordination(_long(wide), method="average")
    heights = o.linkage[:, 2] / o.linkage[0, 2]
    # UPGMA: {A,B} and {C,D} at 1, the two at (5+6+4+5)/4 = 5, then E at (20+19+15+14)/4 = 17
    assert_allclose(heights, [1, 1, 5, 17], rtol=1e-12)
    # cophenetic correlation by hand
    d = pdist(x[:, None])
    coph = np.array([1, 5, 5, 17, 5, 5, 17, 1, 17, 17], float)
    assert_allclose(o.cophenetic, np.corrcoef(d, coph)[0, 1], rtol=1e-12)
    # the largest gap between merge heights (5 -> 17) cuts two clusters
    assert o.n_clusters == 2
    assert o.table.set_index("source_id")["cluster"].to_dict() == {"A": 2, "B": 2, "C": 2, "D": 2, "E": 1} or \
        o.table.set_index("source_id")["cluster"].to_dict() == {"A": 1, "B": 1, "C": 1, "D": 1, "E": 2}


def test_gower_with_qualitative_traits():
    f = pd.DataFrame({"h": [1.0, 3.0, 2.0, np.nan], "c": ["r", "r", "g", "g"]}, index=list("ABCD"))
    d = gower_distance(f, ["c"])
    # A-B: (2/2 + 0)/2; A-C: (1/2 + 1)/2; C-D only c present: 0
    assert_allclose(d[0, 1], 0.5)
    assert_allclose(d[0, 2], 0.75)
    assert_allclose(d[2, 3], 0.0)
    assert_allclose(d[0, 3], 1.0)
    rows = []
    for src, h, w, col in (("A", 1, 5, "r"), ("B", 3, 6, "r"), ("C", 2, 9, "g"), ("D", 8, 2, "g")):
        rows += [(src, "h", float(h), None), (src, "w", float(w), None), (src, "c", np.nan, col), (src, "c", np.nan, col)]
    obs = pd.DataFrame(rows, columns=["source_id", "trait", "value", "state"]).astype({"state": "string"})
    o = ordination(obs, n_clusters=2, method="average")
    assert o.distance == "gower"
    # UPGMA on the Gower matrix of the source means/modes, computed by scipy directly
    dist = gower_distance(o.means, ["c"])
    ref = linkage(dist[np.triu_indices(4, 1)], method="average")
    assert_allclose(o.linkage[:, 2], ref[:, 2], rtol=1e-12)
    assert o.means.loc["A", "c"] == "r" and o.means.loc["D", "c"] == "g"
    assert o.eigen["eigenvalue"].sum() == pytest.approx(2.0)


def test_ordination_notes_dropped_sources_and_bad_method():
    wide = _wide(2, 8)
    obs = _long(wide)
    obs = obs[~((obs.source_id == "S001") & (obs.trait == "a"))]
    o = ordination(obs, n_clusters=2)
    assert "S001" not in set(o.table["source_id"]) and any("S001" in n for n in o.notes)
    with pytest.raises(DesignError):
        ordination(obs, method="single")


def test_trait_figures_draw():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from genelab import plots

    wide = _wide(4, 12)
    obs = _long(wide)
    o = ordination(obs, n_clusters=3)
    for fig in (plots.scree_plot(o), plots.pca_biplot(o, lang="en"), plots.cluster_dendrogram(o),
                plots.correlation_heatmap(correlations(obs))):
        assert fig.axes
        plt.close(fig)
    den = plots.cluster_dendrogram(o)
    # every source appears once as a leaf
    labels = [t.get_text() for t in den.axes[0].get_xticklabels()]
    assert sorted(labels) == sorted(wide.index)
    plt.close(den)
