"""ANOVA + Duncan letters for 65 gene sources × 30 traits (RCBD, 6 treatments × 4 blocks).

genelab: ``anova(..., design="rcbd")`` + ``compare_means(fit, "duncan")`` for each of the
1,950 trials (exact studentized-range p-values, letters as agricolae).
Alternative: a loop of statsmodels ``ols`` + ``anova_lm`` + ``pairwise_tukeyhsd`` on the same
data.  That loop costs ~0.2 s per trial here (pairwise_tukeyhsd's exact p-values), so it is
timed on a random subset of trials (``--sm-trials``, default 20; ``--sm-trials 0`` = all) and
scaled to 1,950 — the per-trial cost is flat, the trials are alike.
Also: exact studentized-range p-values, genelab's vectorised ptukey vs scipy's ``sf``.

    python benchmarks/bench_trials.py [--sm-trials N]
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

SEED = 2021
N_SOURCES, N_TRAITS, N_TRT, N_BLOCKS = 65, 30, 6, 4


def make_data(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_trials = N_SOURCES * N_TRAITS
    trial = np.repeat(np.arange(n_trials), N_TRT * N_BLOCKS)
    block = np.tile(np.repeat(np.arange(1, N_BLOCKS + 1), N_TRT), n_trials)
    trt = np.tile(np.arange(N_TRT), N_BLOCKS * n_trials)
    effects = rng.normal(0, 1.5, (n_trials, N_TRT))
    blocks = rng.normal(0, 0.8, (n_trials, N_BLOCKS))
    value = 20 + effects[trial, trt] + blocks[trial, block - 1] + rng.normal(0, 1, trial.size)
    return pd.DataFrame({
        "source_id": [f"LS-{s:03d}" for s in (trial // N_TRAITS + 1)],
        "trait": [f"t{t:02d}" for t in (trial % N_TRAITS + 1)],
        "block": block, "treatment": [f"T{t + 1}" for t in trt], "value": value,
    })


def run_genelab(trials):
    from genelab.trials import anova, compare_means
    out = []
    for d in trials:
        fit = anova(d, "value", design="rcbd", treatment="treatment", block="block")
        res = compare_means(fit, "duncan")
        out.append(res.table["group"])
    return out


def run_statsmodels(trials):
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm
    from statsmodels.stats.multicomp import pairwise_tukeyhsd
    out = []
    for d in trials:
        model = smf.ols("value ~ C(block) + C(treatment)", data=d).fit()
        table = anova_lm(model)
        tk = pairwise_tukeyhsd(d["value"], d["treatment"])
        out.append((table, tk.reject))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sm-trials", type=int, default=20)
    ap.add_argument("--p-values", type=int, default=60, help="scipy sf calls timed (scaled)")
    args, _ = ap.parse_known_args(argv)      # run_all.py leaves its own arguments in sys.argv
    warnings.simplefilter("ignore")

    data = make_data()
    trials = [g for _, g in data.groupby(["source_id", "trait"], sort=False)]
    n = len(trials)
    print(f"{N_SOURCES} sources × {N_TRAITS} traits = {n} RCBD trials "
          f"({N_TRT} treatments × {N_BLOCKS} blocks), seed {SEED}")

    run_genelab(trials[:5])                      # warm up (imports, quantile cache)
    t0 = time.perf_counter()
    run_genelab(trials)
    t_gl = time.perf_counter() - t0
    print(f"genelab anova + Duncan letters, all {n} trials: {t_gl:8.2f} s  ({1e3 * t_gl / n:.2f} ms/trial)")

    rng = np.random.default_rng(SEED)
    m = n if args.sm_trials <= 0 else min(args.sm_trials, n)
    subset = [trials[i] for i in sorted(rng.choice(n, m, replace=False))]
    run_statsmodels(subset[:1])
    t0 = time.perf_counter()
    run_statsmodels(subset)
    t_sm_sub = time.perf_counter() - t0
    t_sm = t_sm_sub * n / m
    print(f"statsmodels ols + anova_lm + pairwise_tukeyhsd: {m} trials {t_sm_sub:.2f} s "
          f"({1e3 * t_sm_sub / m:.1f} ms/trial) -> {n} trials {t_sm:8.1f} s"
          + ("" if m == n else " (scaled)"))
    print(f"ratio statsmodels / genelab: {t_sm / t_gl:.1f}x")

    # exact studentized-range p-values: the 15 pairs × 1950 trials of the Duncan runs
    from scipy.stats import studentized_range
    from genelab.trials._ptukey import ptukey
    n_p = n * N_TRT * (N_TRT - 1) // 2
    q = rng.uniform(0.2, 6.0, n_p)
    k = rng.integers(2, N_TRT + 1, n_p)
    df = (N_TRT - 1) * (N_BLOCKS - 1)
    ptukey(q[:10], k[:10], df)
    t0 = time.perf_counter()
    fast = ptukey(q, k, df, upper=True)
    t_fast = time.perf_counter() - t0
    m_p = min(args.p_values, n_p)
    t0 = time.perf_counter()
    slow = np.array([studentized_range.sf(q[i], k[i], df) for i in range(m_p)])
    t_slow = (time.perf_counter() - t0) * n_p / m_p
    err = float(np.max(np.abs(fast[:m_p] - slow)))
    print(f"exact p-values, {n_p} studentized ranges (df {df}): genelab ptukey {t_fast:.3f} s; "
          f"scipy sf {t_slow:.1f} s (scaled from {m_p}); ratio {t_slow / t_fast:.0f}x; "
          f"max |difference| {err:.1e}")


if __name__ == "__main__":
    main()
