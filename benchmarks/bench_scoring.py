"""Sensitivity of the priority ranking: 10,000 Dirichlet weight draws, 65 sources × 8 criteria.

Compares genelab.scoring.sensitivity (all draws scored and ranked as matrix operations)
with the obvious alternatives measured in the same run:

* loop A — a Python loop over the draws calling the public ``score()`` once per weight
  vector (what a notebook user would write); timed on a subset of draws and scaled;
* loop B — a tight Python loop over the draws with the same numpy kernels one draw at a
  time (no pandas), timed on all draws.

Target: vectorised under 2 s and at least 50× faster than the loop over draws.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

from genelab.scoring import (_dirichlet_weights, _prepare, _rank_summary, _ranks, _scores,
                             score, sensitivity)

N_DRAWS, N_SOURCES, N_CRIT, SUBSET, SEED = 10_000, 65, 8, 100, 2021


def _data():
    rng = np.random.default_rng(SEED)
    names = [f"c{j}" for j in range(N_CRIT)]
    x = rng.integers(1, 6, size=(N_SOURCES, N_CRIT)).astype(float)
    ids = [f"LS-{i:03d}" for i in range(N_SOURCES)]
    data = pd.DataFrame({"source_id": np.repeat(ids, N_CRIT), "criterion": np.tile(names, N_SOURCES),
                         "value": x.ravel()})
    crit = pd.DataFrame({"criterion": names, "direction": ["benefit"] * 6 + ["cost"] * 2,
                         "weight": rng.dirichlet(np.full(N_CRIT, 5.0)),
                         "scale_min": 1.0, "scale_max": 5.0})
    return data, crit


def _best_of(fn, repeat=3):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    data, crit = _data()
    print(f"sensitivity: {N_DRAWS:,} Dirichlet weight draws, {N_SOURCES} sources × {N_CRIT} criteria")
    for method in ("wsm", "topsis", "vikor"):
        t_vec, res = _best_of(lambda: sensitivity(data, crit, method=method, n=N_DRAWS, seed=SEED))

        base = score(data, crit, method=method)
        w = base.weights.to_numpy()
        draws = _dirichlet_weights(w, N_DRAWS, 100.0, SEED)

        def loop_public(k=SUBSET):
            counts = np.zeros((N_SOURCES, N_SOURCES))
            ids = base.table.index
            for d in draws[:k]:
                t = score(data, crit.assign(weight=d), method=method).table
                counts[np.arange(N_SOURCES), t.loc[ids, "rank"].to_numpy() - 1] += 1
            return counts

        t_a, _ = _best_of(loop_public, repeat=1)
        t_a *= N_DRAWS / SUBSET

        wide = data.pivot(index="source_id", columns="criterion", values="value")[crit["criterion"]]
        r, _ = _prepare(wide.to_numpy(), base.criteria, method, None if method != "wsm" else "scale")

        def loop_numpy():
            orders, firsts = [], []
            for d in draws:
                order, first = _ranks(_scores(method, r, d[None, :]), scatter=False)
                orders.append(order)
                firsts.append(first)
            return _rank_summary(np.vstack(orders), np.vstack(firsts), N_SOURCES, 10)

        t_b, out_b = _best_of(loop_numpy, repeat=1)
        same = np.allclose(out_b[0], res.rank_distribution.loc[wide.index].to_numpy())
        print(f"  {method:6s} vectorised {t_vec:6.3f} s | loop over draws calling score(): "
              f"{t_a:7.1f} s (timed {SUBSET} draws, scaled) -> {t_a / t_vec:6.0f}x | "
              f"numpy loop over draws: {t_b:5.2f} s -> {t_b / t_vec:5.1f}x | same ranks: {same}")
        met = t_vec < 2 and t_a / t_vec >= 50
        print(f"         target (vectorised < 2 s, >= 50x the loop calling score()): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
