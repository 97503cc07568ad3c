"""Stability of gene sources over environments: Eberhart–Russell, Shukla, Wricke and AMMI."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import DesignError
from genelab.traits._common import _require, _require_keys

__all__ = ["Stability", "stability"]


@dataclass(frozen=True)
class Stability(Result):
    """Stability statistics of each genotype across environments.

    ``table`` (one row per genotype): ``genotype``, ``mean``, ``b`` (Eberhart–Russell
    regression coefficient), ``se_b``, ``t_b`` and ``p_b`` (test of b = 1, e − 2 df),
    ``ms_dev`` (mean square of deviations from regression), ``s2d`` (S²di = ms_dev − MSE/r),
    ``f_s2d`` and ``p_s2d`` (F test of S²di = 0 on (e − 2, df_error)), ``r2`` (of the
    regression on the environmental index), ``ecovalence`` (Wricke's Wᵢ) and ``ecovalence_pct``
    (% of Σ Wᵢ), ``shukla`` (Shukla's σ²ᵢ), ``f_shukla`` and ``p_shukla`` (σ²ᵢ/(MSE/r) on
    (e − 1, df_error)), ``robust_z``/``outlier`` (robust z of ms_dev, |z| > 3.5 flagged) and
    ``ipca1``, ``ipca2`` … (AMMI genotype scores).
    ``environments``: ``env``, ``mean``, ``index`` (Iⱼ = env mean − grand mean) and IPCA scores.
    ``ammi``: the AMMI decomposition of the G×E sum of squares (``component``, ``singular_value``,
    ``ss``, ``percent``, ``cumulative``, ``df`` by Gollob, ``ms``, ``f``, ``p_value``).
    ``anova``: the combined ANOVA (env, block within env, genotype, genotype:env, residual).
    """

    table: pd.DataFrame
    environments: pd.DataFrame
    ammi: pd.DataFrame
    anova: pd.DataFrame | None
    cell_means: pd.DataFrame
    mse: float
    df_error: float
    r: float
    notes: tuple[str, ...]


def _combined_anova(d: pd.DataFrame) -> pd.DataFrame:
    from genelab.traits.genetics import sequential_anova

    tab, _ = sequential_anova(d, [("e",), ("e", "b"), ("g",), ("e", "g")],
                              ["env", "block(env)", "genotype", "genotype:env"])
    return tab


def stability(
    data: pd.DataFrame,
    response: str,
    *,
    genotype: str,
    env: str,
    block: str | None = None,
    n_axes: int = 2,
) -> Stability:
    """Eberhart–Russell regression, Shukla's variance, Wricke's ecovalence and AMMI.

    Parameters
    ----------
    data : DataFrame
        One row per plot (or one row per genotype × environment mean when ``block`` is None).
    response, genotype, env : str
        Columns of the response, the genotypes (sources) and the environments (site-years).
    block : str, optional
        Replicate/block column, nested within environments.  It gives the pooled error mean
        square MSE of the combined ANOVA (``y ~ env + block(env) + genotype + genotype:env``)
        on which S²di, Shukla's σ² and the AMMI axes are tested; without it those tests are NaN.
    n_axes : int
        IPCA scores kept in ``table``/``environments``.

    Returns
    -------
    Stability
        See the class.  On the two-way table of cell means ȳᵢⱼ with genotype means ȳᵢ.,
        environment means ȳ.ⱼ, grand mean ȳ.. and r replicates (harmonic mean):

        * Eberhart & Russell (1966): Iⱼ = ȳ.ⱼ − ȳ..; bᵢ = Σⱼ ȳᵢⱼIⱼ/Σⱼ Iⱼ²;
          δᵢⱼ = ȳᵢⱼ − ȳᵢ. − bᵢIⱼ; ms_devᵢ = Σⱼ δᵢⱼ²/(e − 2); S²dᵢ = ms_devᵢ − MSE/r;
          se(bᵢ) = √(ms_devᵢ/Σ Iⱼ²).
        * Wricke (1962): Wᵢ = Σⱼ (ȳᵢⱼ − ȳᵢ. − ȳ.ⱼ + ȳ..)² — on the cell-mean scale, so
          r·Σ Wᵢ is the G×E sum of squares of the combined ANOVA.
        * Shukla (1972): σ²ᵢ = [g·Wᵢ − Σ W/(g − 1)] / [(g − 2)(e − 1)], on the same scale (it can
          be negative, read as zero).
        * AMMI (Gauch 1988): SVD of the interaction matrix GEᵢⱼ = Σₖ λₖuᵢₖvⱼₖ; IPCA scores
          uᵢₖ√λₖ and vⱼₖ√λₖ; SSₖ = r·λₖ²; df by Gollob (1968) g + e − 1 − 2k.  Each axis
          has its larger |genotype score| positive.

    Examples
    --------
    >>> rows = [(g, f"E{j}", b, m + s * i + 0.1 * b)
    ...         for g, m, s in (("A", 10, 1.0), ("B", 12, 1.5), ("C", 9, 0.5))
    ...         for j, i in enumerate([-2.0, -0.5, 0.5, 2.0]) for b in (1, 2)]
    >>> d = pd.DataFrame(rows, columns=["g", "e", "b", "y"])
    >>> st = stability(d, "y", genotype="g", env="e", block="b")
    >>> st.table[["genotype", "mean", "b"]].round(3)
      genotype   mean    b
    0        A  10.15  1.0
    1        B  12.15  1.5
    2        C   9.15  0.5
    """
    from scipy import stats

    cols = [response, genotype, env] + ([block] if block is not None else [])
    _require(data, cols, "data")
    _require_keys(data, cols[1:], "data")
    d = pd.DataFrame({"y": pd.to_numeric(data[response], errors="coerce"), "g": data[genotype].astype(str),
                      "e": data[env].astype(str)})
    if block is not None:
        d["b"] = data[block].astype(str)
    notes = []
    bad = d["y"].isna() & data[response].notna()
    if bad.any():
        raise DesignError(f"{int(bad.sum())} value(s) of {response!r} are not numbers")
    if d["y"].isna().any():
        notes.append(f"{int(d['y'].isna().sum())} plot(s) with a missing {response} were left out")
        d = d[d["y"].notna()]
    cell = d.pivot_table(index="g", columns="e", values="y", aggfunc="mean")
    count = d.pivot_table(index="g", columns="e", values="y", aggfunc="size")
    g, e = cell.shape
    if g < 3 or e < 3:
        raise DesignError(f"stability analysis needs at least 3 genotypes and 3 environments; got {g} and {e}")
    if cell.isna().any().any():
        missing = [f"{i}@{j}" for i, j in zip(*np.where(cell.isna().to_numpy()))]
        names = [f"{cell.index[int(a)]} in {cell.columns[int(b_)]}" for a, b_ in
                 (m.split("@") for m in missing)]
        raise DesignError("every genotype must be observed in every environment; missing: " + ", ".join(names[:10]))
    counts = count.to_numpy(dtype=float)
    r = float(counts.size / (1.0 / counts).sum())
    M = cell.to_numpy(dtype=float)
    gmean, emean, grand = M.mean(axis=1), M.mean(axis=0), M.mean()

    anova, mse, df_e = None, np.nan, np.nan
    if block is not None and (counts > 1).any():
        anova = _combined_anova(d)
        mse = float(anova["ms"].iloc[-1])
        df_e = float(anova["df"].iloc[-1])
        if not (counts == counts.flat[0]).all():
            notes.append("unequal replication: the type-I ANOVA and r (harmonic mean) are approximate")
    else:
        notes.append("no replicates: S²di, Shukla and AMMI F tests need a block column with replicates")
    var_mean = mse / r

    # Eberhart & Russell
    index = emean - grand
    sxx = float((index**2).sum())
    if sxx <= 0:
        raise DesignError("the environments have identical means, so no environmental index exists")
    b = (M * index).sum(axis=1) / sxx
    dev = M - gmean[:, None] - b[:, None] * index[None, :]
    ms_dev = (dev**2).sum(axis=1) / (e - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_b = np.sqrt(ms_dev / sxx)
        t_b = (b - 1) / se_b
        p_b = 2 * stats.t.sf(np.abs(t_b), e - 2)
        s2d = ms_dev - var_mean
        f_s2d = ms_dev / var_mean
        p_s2d = stats.f.sf(f_s2d, e - 2, df_e) if np.isfinite(df_e) else np.full(g, np.nan)
        ss_tot_i = ((M - gmean[:, None]) ** 2).sum(axis=1)
        r2 = 1 - (dev**2).sum(axis=1) / ss_tot_i

    # Wricke and Shukla on the interaction matrix
    ge = M - gmean[:, None] - emean[None, :] + grand
    w = (ge**2).sum(axis=1)
    shukla = (g * w - w.sum() / (g - 1)) / ((g - 2) * (e - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        f_sh = shukla / var_mean
        p_sh = stats.f.sf(f_sh, e - 1, df_e) if np.isfinite(df_e) else np.full(g, np.nan)

    # AMMI
    u, sv, vt = np.linalg.svd(ge, full_matrices=False)
    k_max = min(g - 1, e - 1)
    u, sv, v = u[:, :k_max], sv[:k_max], vt[:k_max].T
    flip = np.sign(u[np.argmax(np.abs(u), axis=0), np.arange(k_max)])
    flip[flip == 0] = 1
    u, v = u * flip, v * flip
    gscore = u * np.sqrt(sv)
    escore = v * np.sqrt(sv)
    ss_k = r * sv**2
    df_k = np.array([g + e - 1 - 2 * (k + 1) for k in range(k_max)], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ms_k = np.where(df_k > 0, ss_k / df_k, np.nan)
        f_k = ms_k / mse
        p_k = stats.f.sf(f_k, df_k, df_e) if np.isfinite(df_e) else np.full(k_max, np.nan)
    total_ge = (ge**2).sum() * r
    ammi = pd.DataFrame({
        "component": [f"ipca{k + 1}" for k in range(k_max)], "singular_value": sv, "ss": ss_k,
        "percent": 100 * ss_k / total_ge if total_ge > 0 else np.nan,
    })
    ammi["cumulative"] = ammi["percent"].cumsum()
    ammi["df"], ammi["ms"], ammi["f"], ammi["p_value"] = df_k, ms_k, f_k, p_k

    from genelab.traits.genetics import robust_z

    z = robust_z(ms_dev)
    table = pd.DataFrame({
        "genotype": cell.index.to_numpy(), "mean": gmean, "b": b, "se_b": se_b, "t_b": t_b, "p_b": p_b,
        "ms_dev": ms_dev, "s2d": s2d, "f_s2d": f_s2d, "p_s2d": p_s2d, "r2": r2,
        "ecovalence": w, "ecovalence_pct": 100 * w / w.sum() if w.sum() > 0 else np.nan,
        "shukla": shukla, "f_shukla": f_sh, "p_shukla": p_sh, "robust_z": z, "outlier": np.abs(z) > 3.5,
    })
    envs = pd.DataFrame({"env": cell.columns.to_numpy(), "mean": emean, "index": index})
    n_keep = min(n_axes, k_max)
    for k in range(n_keep):
        table[f"ipca{k + 1}"] = gscore[:, k]
        envs[f"ipca{k + 1}"] = escore[:, k]
    if table["outlier"].any():
        notes.append("genotype(s) with an outlying deviation mean square (|robust z| > 3.5): "
                     + ", ".join(table.loc[table["outlier"], "genotype"].astype(str)))
    return Stability(
        table=table, environments=envs, ammi=ammi, anova=anova, cell_means=cell, mse=mse, df_error=df_e,
        r=r, notes=tuple(notes),
    )
