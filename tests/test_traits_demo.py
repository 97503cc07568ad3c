"""Every trait function runs on every demo source without warnings a user cannot act on."""
from __future__ import annotations

import warnings

import pytest

import genelab
from genelab.errors import DesignError
from genelab.traits import (
    compare_to_check,
    correlations,
    describe,
    diversity,
    flag_outliers,
    frequencies,
    genetic_parameters,
    ordination,
    path_analysis,
    stability,
)


def _load_demo():
    ws = genelab.open_workspace(genelab.demo_path())
    return ws.observations, ws.traits, ws.sources


@pytest.fixture(scope="module")
def demo():
    return _load_demo()


def _quantitative(obs, traits):
    tt = traits if "trait" in traits.columns else traits.reset_index()
    q = set(tt.loc[tt["kind"] == "quantitative", "trait"])
    return sorted(set(obs["trait"]) & q)


def test_every_function_on_every_demo_source(demo):
    obs, traits, sources = demo
    refused: list[str] = []
    ran = {"anova": 0, "reml": 0, "stability": 0, "path": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for src, o in obs.groupby("source_id", sort=True):
            d = describe(o, traits=traits)
            assert len(d) and d["n"].min() >= 1 and d["unit"].notna().all()
            assert flag_outliers(o)["outlier"].dtype == bool
            freq = frequencies(o, traits=traits)
            quant = _quantitative(o, traits)
            qual = sorted(set(o["trait"]) - set(quant))
            for t in qual[:1] + quant[:1]:  # one trait of each kind keeps the test fast
                div = diversity(o, t, by="accession", traits=traits)
                assert div["h"].ge(0).all() and div["h_norm"].le(1 + 1e-12).all()
            by_acc = correlations(o, quant, by="plot")
            assert by_acc.r.shape == (len(quant), len(quant))
            if len(quant) >= 3:
                try:
                    path_analysis(o, quant[0], quant[1:3], by="plot")
                    ran["path"] += 1
                except DesignError as exc:
                    refused.append(f"{src} path: {exc}")
            plots = o[o["trait"].isin(quant)].copy()
            plots["env"] = plots["site"].astype(str) + ":" + plots["year"].astype(str)
            for i, t in enumerate(quant):
                part = plots[plots["trait"] == t]
                kw = dict(genotype="accession", block="rep", env="env", block_in_env=True)
                if i >= 3:  # the method of moments on three traits per source
                    break
                gp = genetic_parameters(part, "value", method="anova", **kw)
                assert {"h2_mean", "gcv", "gam"} <= set(gp.table["parameter"])
                if part["value"].isna().any():  # a missing plot: said, not hidden
                    assert any("approximate" in n for n in gp.notes)
                ran["anova"] += 1
                if i == 0:  # one REML fit per source keeps the test fast (≈ 0.3 s a fit)
                    gp = genetic_parameters(part, "value", method="reml", **kw)
                    assert 0 <= gp.h2_mean <= 1
                    ran["reml"] += 1
            t = quant[0]
            try:
                st = stability(plots[plots["trait"] == t], "value", genotype="accession", env="env", block="rep")
                assert len(st.table) == o["accession"].nunique()
                if ran["stability"] == 0:
                    import matplotlib

                    matplotlib.use("Agg")
                    import matplotlib.pyplot as plt

                    from genelab.plots import ammi_biplot

                    plt.close(ammi_biplot(st))
                ran["stability"] += 1
            except DesignError as exc:
                assert "at least 3" in str(exc)
                refused.append(f"{src} stability: {exc}")
            assert len(freq) or not (o["state"].notna().any())
    assert ran["reml"] == obs["source_id"].nunique() and ran["anova"] > 100 and ran["path"] > 40
    assert ran["stability"] >= 1


def test_across_sources_of_a_group(demo):
    obs, traits, sources = demo
    src = sources if "source_id" in sources.columns else sources.reset_index()
    drawn = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for group, members in src.groupby("group"):
            o = obs[obs["source_id"].isin(members["source_id"])]
            if o["source_id"].nunique() < 3:
                continue
            quant = _quantitative(o, traits)
            shared = [t for t in quant if o.loc[o["trait"] == t, "source_id"].nunique() == o["source_id"].nunique()]
            if len(shared) >= 2:
                c = correlations(o, shared)
                assert c.r.shape == (len(shared), len(shared))
            all_traits = [t for t in sorted(set(o["trait"]))
                          if o.loc[o["trait"] == t, "source_id"].nunique() == o["source_id"].nunique()]
            ordn = ordination(o, all_traits, dictionary=traits)
            assert ordn.table["cluster"].between(1, ordn.n_clusters).all()
            if not drawn:  # the figures once, on a real group (Gower distances, many sources)
                import matplotlib

                matplotlib.use("Agg")
                import matplotlib.pyplot as plt

                from genelab import plots

                for fig in (plots.scree_plot(ordn), plots.pca_biplot(ordn), plots.cluster_dendrogram(ordn)):
                    plt.close(fig)
                if len(shared) >= 2:
                    plt.close(plots.correlation_heatmap(c))
                drawn = True
            check = sorted(o["source_id"].unique())[0]
            cmp = compare_to_check(o, check, dictionary=traits)
            assert set(cmp["verdict"]) <= {"better", "worse", "higher", "lower", "ns", ""}
