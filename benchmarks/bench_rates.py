"""Benchmark: binomial GLM analysis of many rooting trials.

genelab.trials.rates() (sequential deviance table, rates with CIs, Holm-adjusted pairwise
log odds ratios and letters) for N_TRIALS RCBD trials (6 treatments x 4 blocks x 30
cuttings), against the obvious statsmodels loop doing the same statistical work with the
formula API: three smf.glm fits for the sequential deviance table and
``t_test_pairwise(..., method="holm")`` for the comparisons (no rates table, no letters).
Both are measured in this run; the ratio is printed. statsmodels' ``multipletests`` (used by
``t_test_pairwise``) calls ``gc.collect()`` for Holm on every call, which is a large part of
its time; genelab computes the common adjustments in closed form. The loop without the
pairwise step is timed too, for a like-for-like view of the model fitting.
"""
from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

N_TRIALS = 60


def make_trials(n_trials: int, seed: int = 2021) -> list[pd.DataFrame]:
    rng = np.random.default_rng(seed)
    trts = ["CK", "IBA500", "IBA1000", "IBA2000", "NAA500", "NAA1000"]
    out = []
    for _ in range(n_trials):
        base = rng.normal(0, 0.8, len(trts))
        rows = []
        for b in range(1, 5):
            shift = rng.normal(0, 0.3)
            for t, eff in zip(trts, base):
                p = 1 / (1 + np.exp(-(eff + shift)))
                rows.append((f"B{b}", t, int(rng.binomial(30, p)), 30))
        out.append(pd.DataFrame(rows, columns=["block", "trt", "rooted", "cuttings"]))
    return out


def run_genelab(trials):
    from genelab.trials.rates import rates

    res = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for df in trials:
            res = rates(df, "rooted", "cuttings", "trt", block="block", p_adjust="holm", dispersion="binomial")
    return res


def run_statsmodels(trials, pairwise=True):
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    out = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for df in trials:
            df = df.assign(failed=df["cuttings"] - df["rooted"])
            fam = sm.families.Binomial()
            null = smf.glm("rooted + failed ~ 1", df, family=fam).fit()
            blk = smf.glm("rooted + failed ~ C(block)", df, family=fam).fit()
            full = smf.glm("rooted + failed ~ C(block) + C(trt)", df, family=fam).fit()
            dev = (null.deviance - blk.deviance, blk.deviance - full.deviance)
            out = (dev, full.t_test_pairwise("C(trt)", method="holm").result_frame if pairwise else None)
    return out


def main() -> None:
    trials = make_trials(N_TRIALS)
    run_genelab(trials[:2])
    run_statsmodels(trials[:2])  # warm imports
    t0 = time.perf_counter()
    ours = run_genelab(trials)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = run_statsmodels(trials)
    t_sm = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_statsmodels(trials, pairwise=False)
    t_fit = time.perf_counter() - t0
    # same deviance for the last trial
    assert abs(ours.deviance.loc["treatment", "deviance"] - theirs[0][1]) < 1e-6 * max(1.0, theirs[0][1])
    print(f"trials analysed           : {N_TRIALS} (6 treatments x 4 blocks, binomial GLM)")
    print(f"genelab rates()           : {t_ours:7.2f} s  ({1000 * t_ours / N_TRIALS:.1f} ms per trial, "
          "incl. rates, CIs and letters)")
    print(f"statsmodels formula loop  : {t_sm:7.2f} s  ({1000 * t_sm / N_TRIALS:.1f} ms per trial)")
    print(f"ratio statsmodels/genelab : {t_sm / t_ours:7.2f}x")
    print(f"statsmodels, 3 fits only  : {t_fit:7.2f} s  (ratio {t_fit / t_ours:.2f}x; no comparisons, "
          "rates or letters)")


if __name__ == "__main__":
    main()
