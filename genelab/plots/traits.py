"""Figures of trait evaluation: scree plot, PCA biplot, dendrogram, correlation heat map, AMMI biplot.

Each function takes a result of :mod:`genelab.traits`, draws on ``ax`` (a new figure when None)
and returns the matplotlib ``Figure``.
"""
from __future__ import annotations

import numpy as np

from genelab.i18n import label

__all__ = ["scree_plot", "pca_biplot", "cluster_dendrogram", "correlation_heatmap", "ammi_biplot"]


def _axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    return ax.figure, ax


def scree_plot(ordination, *, ax=None, lang: str = "vi"):
    """Eigenvalues of the principal components (bars) with cumulative % explained (line).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd, numpy as np
    >>> from genelab.traits import ordination
    >>> rng = np.random.default_rng(0)
    >>> obs = pd.DataFrame({"source_id": np.repeat([f"S{i}" for i in range(6)], 3),
    ...                     "trait": np.tile(["a", "b", "c"], 6), "value": rng.normal(size=18)})
    >>> fig = scree_plot(ordination(obs, n_clusters=2))
    >>> len(fig.axes)
    2
    """
    fig, ax = _axes(ax, (5, 3.5))
    eig = ordination.eigen
    x = np.arange(1, len(eig) + 1)
    ax.bar(x, eig["eigenvalue"], color="#4c72b0")
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel(label("component", lang))
    ax.set_ylabel(label("eigenvalue", lang))
    ax.set_xticks(x)
    ax2 = ax.twinx()
    ax2.plot(x, eig["cumulative"], color="#dd8452", marker="o")
    ax2.set_ylim(0, 105)
    ax2.set_ylabel(label("cumulative_explained", lang))
    fig.tight_layout()
    return fig


def pca_biplot(ordination, *, components=("pc1", "pc2"), ax=None, lang: str = "vi", annotate: bool = True):
    """Scores of the sources (coloured by cluster) and trait loadings as arrows."""
    fig, ax = _axes(ax, (6, 5))
    a, b = components
    scores = ordination.scores
    if a not in scores.columns or b not in scores.columns:
        from genelab.errors import DesignError

        raise DesignError(f"the ordination has no components {a} and {b}")
    members = ordination.table.set_index(ordination.table.columns[0])["cluster"]
    clusters = members.reindex(scores.index)
    cmap = _cluster_colours(int(ordination.n_clusters))
    for c in sorted(clusters.dropna().unique()):
        sel = clusters == c
        ax.scatter(scores.loc[sel, a], scores.loc[sel, b], s=30, color=cmap[int(c) - 1],
                   label=f"{label('cluster', lang)} {int(c)}")
    if annotate:
        for name, (x, y) in scores[[a, b]].iterrows():
            ax.annotate(str(name), (x, y), fontsize=7, xytext=(2, 2), textcoords="offset points")
    load = ordination.correlations[[a, b]]
    scale = 0.9 * np.abs(scores[[a, b]].to_numpy()).max() if len(scores) else 1.0
    for trait, (x, y) in load.iterrows():
        ax.arrow(0, 0, x * scale, y * scale, color="firebrick", width=0.003 * scale, head_width=0.04 * scale,
                 length_includes_head=True)
        ax.annotate(str(trait), (x * scale, y * scale), color="firebrick", fontsize=7)
    eig = ordination.eigen.set_index("component")["explained"]
    ax.set_xlabel(f"{a.upper()} ({eig[a]:.1f} %)")
    ax.set_ylabel(f"{b.upper()} ({eig[b]:.1f} %)")
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(0, color="grey", lw=0.5)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _cluster_colours(k: int):
    import matplotlib

    cmap = matplotlib.colormaps["tab10"]
    return [matplotlib.colors.to_hex(cmap(i % 10)) for i in range(max(k, 1))]


def cluster_dendrogram(ordination, *, ax=None, lang: str = "vi"):
    """Dendrogram of the hierarchical clustering, branches coloured by cluster."""
    from scipy.cluster.hierarchy import dendrogram

    fig, ax = _axes(ax, (7, 4))
    Z = ordination.linkage
    k = int(ordination.n_clusters)
    # colour threshold between the merges that leave k clusters
    heights = Z[:, 2]
    n = len(heights) + 1
    if 1 < k < n:
        threshold = (heights[n - k - 1] + heights[n - k]) / 2
    else:
        threshold = 0 if k >= n else heights[-1] + 1
    colours = _cluster_colours(k)
    from scipy.cluster import hierarchy

    hierarchy.set_link_color_palette(colours)
    try:
        dendrogram(Z, labels=ordination.labels, color_threshold=threshold, above_threshold_color="grey",
                   ax=ax, leaf_font_size=7)
    finally:
        hierarchy.set_link_color_palette(None)
    method = "Ward" if ordination.method == "ward" else "UPGMA"
    ax.set_ylabel(f"{label('distance', lang)} ({ordination.distance}, {method})")
    ax.set_title(f"{label('cophenetic', lang)} r = {ordination.cophenetic:.3f}", fontsize=9)
    fig.tight_layout()
    return fig


def correlation_heatmap(correlations, *, ax=None, lang: str = "vi"):
    """Heat map of the correlation matrix, each cell annotated with r and its mark."""
    fig, ax = _axes(ax, (1.0 + 0.6 * len(correlations.r), 0.8 + 0.5 * len(correlations.r)))
    r = correlations.r.to_numpy(dtype=float)
    im = ax.imshow(r, vmin=-1, vmax=1, cmap="RdBu_r")
    names = list(correlations.r.columns)
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    marks = correlations.marks.to_numpy()
    for i in range(len(names)):
        for j in range(len(names)):
            if i != j and np.isfinite(r[i, j]):
                m = marks[i, j] if marks[i, j] != "ns" else ""
                ax.text(j, i, f"{r[i, j]:.2f}{m}", ha="center", va="center", fontsize=6,
                        color="white" if abs(r[i, j]) > 0.6 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8, label=label("correlation", lang))
    fig.tight_layout()
    return fig


def ammi_biplot(stability, *, ax=None, lang: str = "vi", kind: str = "ammi1"):
    """AMMI biplot: ``"ammi1"`` mean × IPCA1 or ``"ammi2"`` IPCA1 × IPCA2, genotypes and environments.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from genelab.traits import stability
    >>> rows = [(g, e, b, m + s * i + 0.2 * (b - 1.5) + (0.3 if (g, e) == ("B", "E2") else 0))
    ...         for g, m, s in (("A", 10, 1.0), ("B", 12, 1.5), ("C", 9, 0.5))
    ...         for e, i in zip(["E1", "E2", "E3"], [-1.0, 0.2, 0.8]) for b in (1, 2)]
    >>> st = stability(pd.DataFrame(rows, columns=["g", "e", "b", "y"]), "y", genotype="g", env="e", block="b")
    >>> ammi_biplot(st).axes[0].get_xlabel() != ""
    True
    """
    fig, ax = _axes(ax, (6, 5))
    t, e = stability.table, stability.environments
    if kind == "ammi1":
        gx, gy, ex, ey = t["mean"], t["ipca1"], e["mean"], e["ipca1"]
        ax.set_xlabel(label("mean", lang))
        ax.axvline(float(stability.cell_means.to_numpy().mean()), color="grey", lw=0.5)
    elif kind == "ammi2":
        if "ipca2" not in t.columns:
            from genelab.errors import DesignError

            raise DesignError("an AMMI2 biplot needs two interaction axes (at least 3 genotypes and 3 environments)")
        gx, gy, ex, ey = t["ipca1"], t["ipca2"], e["ipca1"], e["ipca2"]
        ax.set_xlabel("IPCA1")
        ax.axvline(0, color="grey", lw=0.5)
        for x, y in zip(ex, ey):
            ax.plot([0, x], [0, y], color="seagreen", lw=0.8)
    else:
        from genelab.errors import DesignError

        raise DesignError(f"kind must be 'ammi1' or 'ammi2', not {kind!r}")
    pct = stability.ammi.set_index("component")["percent"]
    ax.set_ylabel(f"IPCA{2 if kind == 'ammi2' else 1} ({pct.iloc[1 if kind == 'ammi2' else 0]:.1f} %)")
    ax.axhline(0, color="grey", lw=0.5)
    ax.scatter(gx, gy, color="#4c72b0", label=label("genotype", lang))
    ax.scatter(ex, ey, color="seagreen", marker="s", label=label("environment", lang))
    for name, x, y in zip(t["genotype"], gx, gy):
        ax.annotate(str(name), (x, y), fontsize=7, xytext=(2, 2), textcoords="offset points")
    for name, x, y in zip(e["env"], ex, ey):
        ax.annotate(str(name), (x, y), fontsize=7, color="seagreen", xytext=(2, 2), textcoords="offset points")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
