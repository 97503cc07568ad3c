"""Correlations, path analysis, PCA and hierarchical clustering of gene sources."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import DesignError
from genelab.traits._common import (
    _is_qualitative,
    _mark,
    _means_wide,
    _require,
    _require_keys,
    _select_traits,
    _trait_table,
)

__all__ = [
    "Correlations",
    "correlations",
    "PathAnalysis",
    "path_analysis",
    "Ordination",
    "ordination",
    "gower_distance",
]


@dataclass(frozen=True)
class Correlations(Result):
    """Correlation matrix with p-values.

    ``table``: one row per pair of traits (``trait_x``, ``trait_y``, ``r``, ``n``, ``p_value``,
    ``mark``); ``r``, ``p_values``, ``n`` and ``marks``: square trait × trait frames.
    """

    table: pd.DataFrame
    r: pd.DataFrame
    p_values: pd.DataFrame
    n: pd.DataFrame
    marks: pd.DataFrame
    method: str
    by: str


def _corr_matrix(wide: pd.DataFrame, method: str):
    from scipy import stats

    x = wide.to_numpy(dtype=float)
    ok = ~np.isnan(x)
    n = ok.T.astype(float) @ ok.astype(float)
    r = wide.corr(method=method).to_numpy()  # pairwise complete; Spearman ranks each pair
    with np.errstate(divide="ignore", invalid="ignore"):
        df = n - 2
        t = r * np.sqrt(df / (1 - r * r))
        p = 2 * stats.t.sf(np.abs(t), df)
    p = np.where(df > 0, p, np.nan)
    p = np.where(np.abs(r) >= 1 - 1e-15, np.where(df > 0, 0.0, np.nan), p)
    np.fill_diagonal(p, 0.0)
    return r, p, n


def correlations(
    observations: pd.DataFrame,
    traits=None,
    *,
    method: str = "pearson",
    by: str = "source_id",
) -> Correlations:
    """Correlation coefficients between quantitative traits, with p-values and marks.

    Parameters
    ----------
    observations : DataFrame
        Long table (``trait``, ``value`` and the unit columns).
    traits : list of str, optional
        Traits (default every trait with numeric values).
    method : {"pearson", "spearman"}
    by : str
        ``"source_id"`` (default): correlate the source means (phenotypic correlation among
        gene sources); ``"plot"``: correlate single observation units
        (source_id, accession, site, year, rep); or any other unit column.

    Returns
    -------
    Correlations
        Pairwise-complete coefficients; p-values from t = r·√((n−2)/(1−r²)) on n − 2 df (for
        Spearman this is the same t approximation scipy uses); marks ``**`` p < 0.01, ``*``
        p < 0.05, ``ns``.

    Examples
    --------
    >>> obs = pd.DataFrame({"source_id": list("ABCDE") * 2,
    ...                     "trait": ["h"] * 5 + ["w"] * 5,
    ...                     "value": [1.0, 2, 3, 4, 5, 2.1, 3.9, 6.2, 8.1, 9.8]})
    >>> c = correlations(obs)
    >>> float(round(c.r.loc["h", "w"], 4)), c.marks.loc["h", "w"]
    (0.9988, '**')
    """
    if method not in ("pearson", "spearman"):
        raise DesignError(f"method must be 'pearson' or 'spearman', not {method!r}")
    wide = _means_wide(observations, traits, by=by)
    if wide.shape[1] < 2:
        raise DesignError("correlations need at least two quantitative traits with values")
    r, p, n = _corr_matrix(wide, method)
    names = list(wide.columns)
    rf = pd.DataFrame(r, index=names, columns=names)
    pf = pd.DataFrame(p, index=names, columns=names)
    nf = pd.DataFrame(n.astype(np.int64), index=names, columns=names)
    mf = pd.DataFrame(_mark(p), index=names, columns=names)
    iu = np.triu_indices(len(names), 1)
    table = pd.DataFrame({
        "trait_x": [names[i] for i in iu[0]],
        "trait_y": [names[j] for j in iu[1]],
        "r": r[iu], "n": n[iu].astype(np.int64), "p_value": p[iu], "mark": _mark(p[iu]),
    })
    return Correlations(table=table, r=rf, p_values=pf, n=nf, marks=mf, method=method, by=str(by))


@dataclass(frozen=True)
class PathAnalysis(Result):
    """Direct and indirect effects of component traits on a target trait.

    ``table``: one row per component with ``component``, ``direct``, ``via_<trait>`` (the
    indirect effect through each other component, r_ij·P_j), ``indirect`` (their sum) and ``r``
    (= direct + indirect, the correlation with the target).
    """

    table: pd.DataFrame
    target: str
    direct: pd.Series
    residual: float
    r2: float
    n: int
    correlations: pd.DataFrame
    notes: tuple[str, ...]


def _path_from_matrix(R: pd.DataFrame, target: str, components: list[str]):
    rxx = R.loc[components, components].to_numpy(dtype=float)
    rxy = R.loc[components, target].to_numpy(dtype=float)
    try:
        direct = np.linalg.solve(rxx, rxy)
    except np.linalg.LinAlgError:
        raise DesignError(
            "the components are perfectly collinear (singular correlation matrix); drop one of "
            + ", ".join(components)
        ) from None
    effects = rxx * direct[np.newaxis, :]  # row i, column j: r_ij * P_j (diagonal = P_i)
    r2 = float(direct @ rxy)
    return direct, effects, rxy, r2


def path_analysis(
    observations: pd.DataFrame,
    target: str,
    components,
    *,
    by: str = "source_id",
    method: str = "pearson",
) -> PathAnalysis:
    """Path-coefficient analysis (Wright 1921; Dewey & Lu 1959) of components on a target trait.

    The direct effects P solve R_xx·P = r_xy (the standardised partial regression
    coefficients); the indirect effect of component i through j is r_ij·P_j, and
    r_iy = P_i + Σ_j≠i r_ij·P_j.  The residual effect is √(1 − Σ P_i·r_iy).

    Parameters
    ----------
    observations : DataFrame
        Long table of observations.
    target : str
        The dependent trait (e.g. yield).
    components : list of str
        The causal traits.
    by, method
        As :func:`correlations`; units missing any of the traits are left out (a note counts
        them) so that all correlations come from the same units.

    Returns
    -------
    PathAnalysis
        ``table``, ``direct`` (Series), ``residual``, ``r2`` (= Σ P_i·r_iy), ``n`` (units)
        and the ``correlations`` used.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x1, x2 = rng.normal(size=30), rng.normal(size=30)
    >>> y = 0.6 * x1 + 0.3 * x2 + rng.normal(scale=0.5, size=30)
    >>> obs = pd.DataFrame({"source_id": np.tile([f"S{i:02d}" for i in range(30)], 3),
    ...                     "trait": np.repeat(["y", "x1", "x2"], 30),
    ...                     "value": np.concatenate([y, x1, x2])})
    >>> pa = path_analysis(obs, "y", ["x1", "x2"])
    >>> pa.table[["component", "direct", "indirect", "r"]].round(3)
      component  direct  indirect      r
    0        x1   0.738    -0.162  0.576
    1        x2   0.487    -0.245  0.243
    """
    components = [components] if isinstance(components, str) else list(components)
    if target in components:
        raise DesignError(f"the target {target!r} cannot also be a component")
    if not components:
        raise DesignError("path analysis needs at least one component trait")
    wide = _means_wide(observations, [target] + components, by=by)
    complete = wide.dropna()
    notes = []
    if len(complete) < len(wide):
        notes.append(f"{len(wide) - len(complete)} unit(s) lacking one of the traits were left out")
    if len(complete) < len(components) + 2:
        raise DesignError(
            f"path analysis of {len(components)} components needs at least {len(components) + 2} "
            f"complete units; {len(complete)} have every trait"
        )
    if method == "spearman":
        complete = complete.rank()
    elif method != "pearson":
        raise DesignError(f"method must be 'pearson' or 'spearman', not {method!r}")
    R = complete.corr()
    direct, effects, rxy, r2 = _path_from_matrix(R, target, components)
    table = pd.DataFrame({"component": components, "direct": direct})
    for j, c in enumerate(components):
        col = effects[:, j].copy()
        col[j] = np.nan
        table[f"via_{c}"] = col
    table["indirect"] = effects.sum(axis=1) - direct
    table["r"] = rxy
    if r2 > 1:
        notes.append(f"Σ P·r = {r2:.4f} exceeds 1 (collinear components); the residual effect is set to 0")
    residual = float(np.sqrt(max(0.0, 1.0 - r2)))
    return PathAnalysis(
        table=table, target=target, direct=pd.Series(direct, index=components), residual=residual,
        r2=r2, n=int(len(complete)), correlations=R, notes=tuple(notes),
    )


def gower_distance(frame: pd.DataFrame, qualitative) -> np.ndarray:
    """Gower (1971) dissimilarity matrix of the rows of ``frame``.

    Quantitative columns contribute |x_i − x_j| / range, qualitative columns 0 (same state) or
    1 (different); the dissimilarity is the mean over the columns present in both rows (as
    ``cluster::daisy(metric = "gower")``).  A column with zero range contributes 0.

    Examples
    --------
    >>> f = pd.DataFrame({"h": [1.0, 3.0, 2.0], "c": ["r", "r", "g"]})
    >>> gower_distance(f, ["c"]).round(3).tolist()
    [[0.0, 0.5, 0.75], [0.5, 0.0, 0.75], [0.75, 0.75, 0.0]]
    """
    qualitative = set(qualitative)
    n = len(frame)
    total = np.zeros((n, n))
    weight = np.zeros((n, n))
    for col in frame.columns:
        s = frame[col]
        present = s.notna().to_numpy()
        both = present[:, None] & present[None, :]
        if col in qualitative:
            v = s.astype(object).to_numpy()
            d = (v[:, None] != v[None, :]).astype(float)
        else:
            v = s.to_numpy(dtype=float)
            rng = np.nanmax(v) - np.nanmin(v) if present.any() else 0.0
            d = np.abs(v[:, None] - v[None, :]) / rng if rng > 0 else np.zeros((n, n))
        total += np.where(both, np.nan_to_num(d), 0.0)
        weight += both
    with np.errstate(invalid="ignore", divide="ignore"):
        out = total / weight
    np.fill_diagonal(out, 0.0)
    return out


@dataclass(frozen=True)
class Ordination(Result):
    """PCA on standardised source means and hierarchical clustering.

    ``table``: membership, one row per source (``source_id``, ``cluster``, ``pc1``, ``pc2`` …).
    ``eigen``: ``component``, ``eigenvalue``, ``explained`` (%), ``cumulative`` (%).
    ``loadings``: trait × component eigenvectors (unit length; largest |entry| positive).
    ``correlations``: trait–component correlations (loading·√eigenvalue).
    ``scores``: source × component.  ``linkage``: the scipy linkage matrix, ``labels``: its
    leaf labels, ``cophenetic``: cophenetic correlation, ``cluster_means``: trait means per
    cluster, ``means``: the source × trait table analysed.
    """

    table: pd.DataFrame
    eigen: pd.DataFrame
    loadings: pd.DataFrame
    correlations: pd.DataFrame
    scores: pd.DataFrame
    linkage: np.ndarray
    labels: list
    cophenetic: float
    distance: str
    method: str
    n_clusters: int
    cluster_means: pd.DataFrame
    means: pd.DataFrame
    notes: tuple[str, ...]


def _mode_states(obs: pd.DataFrame, qual: list[str], by: str) -> pd.DataFrame:
    sub = obs[obs["trait"].isin(qual) & obs["state"].notna()]
    if sub.empty:
        return pd.DataFrame()
    counts = sub.groupby([by, "trait", "state"], observed=True).size().rename("count").reset_index()
    counts["state"] = counts["state"].astype(str)
    counts = counts.sort_values([by, "trait", "count", "state"], ascending=[True, True, False, True])
    mode = counts.drop_duplicates([by, "trait"]).pivot(index=by, columns="trait", values="state")
    mode.columns = [str(c) for c in mode.columns]
    return mode


def _choose_k(heights: np.ndarray, n: int) -> int:
    if n <= 2:
        return max(n, 1)
    best_k, best_gap = 2, -np.inf
    for k in range(2, min(10, n - 1) + 1):
        gap = heights[n - k] - heights[n - k - 1]
        if gap > best_gap + 1e-12:
            best_k, best_gap = k, gap
    return best_k


def ordination(
    observations: pd.DataFrame,
    traits=None,
    *,
    n_clusters: int | None = None,
    method: str = "ward",
    by: str = "source_id",
    dictionary: pd.DataFrame | None = None,
) -> Ordination:
    """PCA of standardised source means and hierarchical clustering of the sources.

    Parameters
    ----------
    observations : DataFrame
        Long table (``by``, ``trait``, ``value``, and ``state`` for qualitative traits).
    traits : list of str, optional
        Traits to use (default every trait observed).  Qualitative traits (by the dictionary's
        ``kind`` or by having only states) enter the clustering through the source's most
        frequent state, with Gower's distance; the PCA always uses the quantitative ones.
    n_clusters : int, optional
        Clusters to cut the tree into.  Default: the k in 2–10 with the largest gap between
        successive merge heights (the longest branches of the dendrogram).
    method : {"ward", "average"}
        Ward's minimum variance (scipy ``ward`` = R ``hclust(method = "ward.D2")``) or UPGMA.
        Distances: Euclidean on standardised means, or Gower when qualitative traits are used.
    by : str
        The unit column (sources).
    dictionary : DataFrame, optional
        The trait dictionary (for ``kind``).

    Returns
    -------
    Ordination
        PCA by the SVD of Z (means centred and scaled by their sd, n − 1): eigenvalues = s²/(n−1)
        (those of the correlation matrix), scores = Z·V.  Sources lacking a quantitative trait
        and traits without variation are left out, with a note.  ``cophenetic`` is Pearson's r
        between the distances and the tree's cophenetic distances.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> obs = pd.DataFrame({"source_id": np.repeat([f"S{i}" for i in range(8)], 3),
    ...                     "trait": np.tile(["h", "w", "d"], 8),
    ...                     "value": rng.normal(10, 2, 24) + np.repeat([0, 0, 0, 0, 5, 5, 5, 5], 3)})
    >>> o = ordination(obs, n_clusters=2)
    >>> o.eigen["eigenvalue"].sum().round(6), sorted(o.table["cluster"].value_counts().tolist())
    (np.float64(3.0), [4, 4])
    """
    from scipy.cluster.hierarchy import cophenet, fcluster, linkage
    from scipy.spatial.distance import pdist, squareform

    if method not in ("ward", "average"):
        raise DesignError(f"method must be 'ward' or 'average' (UPGMA), not {method!r}")
    _require(observations, [by, "trait", "value"])
    _require_keys(observations, [by, "trait"])
    obs = _select_traits(observations, traits)
    table = _trait_table(dictionary)
    qual_flags = _is_qualitative(obs, table)
    qual = [str(t) for t in qual_flags.index[qual_flags]]
    quant_obs = obs[~obs["trait"].isin(qual)]
    notes: list[str] = []
    means = _means_wide(quant_obs, None, by=by) if len(quant_obs) else pd.DataFrame()
    if qual:
        _require(obs, ["state"])
        modes = _mode_states(obs, qual, by)
        means = means.join(modes, how="outer") if len(means.columns) else modes
    quant = [c for c in means.columns if c not in qual]
    flat = [c for c in quant if means[c].nunique(dropna=True) < 2]
    if flat:
        notes.append(f"trait(s) without variation among sources left out: {', '.join(flat)}")
        means = means.drop(columns=flat)
        quant = [c for c in quant if c not in flat]
    incomplete = means[quant].isna().any(axis=1) if quant else pd.Series(False, index=means.index)
    if not qual and incomplete.any():
        notes.append(f"{int(incomplete.sum())} source(s) lacking a trait mean left out: "
                     + ", ".join(map(str, means.index[incomplete][:10])))
        means = means[~incomplete]
    if len(means) < 3:
        raise DesignError(f"ordination needs at least 3 sources with the traits; {len(means)} have them")
    if len(means.columns) < 2:
        raise DesignError("ordination needs at least two traits that vary among sources")

    # PCA on the quantitative traits of the complete sources
    pca_frame = means[quant].dropna()
    if len(pca_frame) < len(means):
        notes.append(f"{len(means) - len(pca_frame)} source(s) lacking a quantitative trait are left out of the PCA")
    if len(quant) >= 2 and len(pca_frame) >= 3:
        x = pca_frame.to_numpy(dtype=float)
        z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
        u, s, vt = np.linalg.svd(z, full_matrices=False)
        v = vt.T
        flip = np.sign(v[np.argmax(np.abs(v), axis=0), np.arange(v.shape[1])])
        v = v * flip
        eig = s**2 / (len(z) - 1)
        pcs = [f"pc{i + 1}" for i in range(len(eig))]
        scores = pd.DataFrame(z @ v, index=pca_frame.index, columns=pcs)
        loadings = pd.DataFrame(v, index=quant, columns=pcs)
        corr = loadings * np.sqrt(eig)
        eigen = pd.DataFrame({"component": pcs, "eigenvalue": eig, "explained": 100 * eig / eig.sum()})
        eigen["cumulative"] = eigen["explained"].cumsum()
    else:
        notes.append("fewer than 2 quantitative traits: no PCA")
        scores = pd.DataFrame(index=means.index)
        loadings = corr = pd.DataFrame()
        eigen = pd.DataFrame(columns=["component", "eigenvalue", "explained", "cumulative"])

    # clustering
    if qual:
        dist = gower_distance(means, qual)
        if np.isnan(dist).any():
            raise DesignError("some pairs of sources share no trait, so their Gower distance is undefined")
        condensed = squareform(dist, checks=False)
        distance = "gower"
        if method == "ward":
            notes.append("Ward's method assumes Euclidean distances and Gower's are not; "
                         "method='average' (UPGMA) is the usual choice with qualitative traits")
    else:
        x = means[quant].to_numpy(dtype=float)
        z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
        condensed = pdist(z)
        distance = "euclidean"
    Z = linkage(condensed, method=method)
    coph = float(cophenet(Z, condensed)[0])
    k = _choose_k(Z[:, 2], len(means)) if n_clusters is None else int(n_clusters)
    if not 1 <= k <= len(means):
        raise DesignError(f"n_clusters must be between 1 and {len(means)}")
    raw = fcluster(Z, k, criterion="maxclust")
    from scipy.cluster.hierarchy import leaves_list

    order = leaves_list(Z)
    relabel = {}
    for leaf in order:
        relabel.setdefault(raw[leaf], len(relabel) + 1)
    cluster = np.array([relabel[c] for c in raw])
    labels = [str(i) for i in means.index]
    membership = pd.DataFrame({by: means.index.to_numpy(), "cluster": cluster})
    membership = membership.merge(scores.iloc[:, :3].reset_index(), on=by, how="left")
    cmeans = means[quant].groupby(cluster).mean() if quant else pd.DataFrame(index=np.unique(cluster))
    cmeans.index.name = "cluster"
    cmeans.insert(0, "n", pd.Series(cluster).value_counts().sort_index().to_numpy())
    return Ordination(
        table=membership, eigen=eigen, loadings=loadings, correlations=corr, scores=scores, linkage=Z,
        labels=labels, cophenetic=coph, distance=distance, method=method, n_clusters=k,
        cluster_means=cmeans.reset_index(), means=means, notes=tuple(notes),
    )
