"""describe() over 9 M observations (100,000 accessions × 30 traits × 3 reps).

Prints the wall time and peak memory (ru_maxrss of a fresh subprocess, so nothing else in this
process counts) beside the obvious alternatives, measured in the same run on samples and
scaled up linearly: a naive per-group Python loop (numpy per group) on a 1 % sample, and
pandas ``groupby().describe()`` on a 0.1 % sample.  Targets: under 10 s and under 3 GB.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

N_ACC, N_TRAITS, N_REPS = 100_000, 30, 3
ROOT = Path(__file__).resolve().parent.parent


def _observations(n_acc: int, seed: int = 2021):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = n_acc * N_TRAITS * N_REPS
    src = pd.Categorical.from_codes(np.repeat(np.arange(n_acc, dtype=np.int32), N_TRAITS * N_REPS),
                                    [f"SRC-{i:06d}" for i in range(n_acc)])
    trait = pd.Categorical.from_codes(np.tile(np.repeat(np.arange(N_TRAITS, dtype=np.int8), N_REPS), n_acc),
                                      [f"trait_{j:02d}" for j in range(N_TRAITS)])
    value = rng.normal(50.0, 10.0, n)
    value[rng.random(n) < 0.02] = np.nan  # 2 % missing, as in the demo
    return pd.DataFrame({"source_id": src, "trait": trait, "value": value})


def _child(which: str) -> None:
    import resource

    import numpy as np

    from genelab.traits import describe

    obs = _observations(N_ACC)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    base, cpu0 = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    t0 = time.perf_counter()
    if which == "describe":
        out = describe(obs)
        rows = len(out)
    else:  # groupby().agg with pandas' own quantiles, for comparison
        g = obs.groupby(["source_id", "trait"], observed=True)["value"]
        out = g.agg(["count", "mean", "std", "min", "median", "max"])
        q = g.quantile([0.25, 0.75])
        rows = len(out)
        del q
    elapsed = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu0
    if rows != N_ACC * N_TRAITS or np.isfinite(out["mean"]).sum() < 0.99 * rows:
        raise SystemExit(f"unexpected result: {rows} groups")
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_kb": peak, "data_kb": base, "groups": rows}))


def _run_child(which: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run([sys.executable, __file__, "--child", which], capture_output=True, text=True, env=env,
                         check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _naive_loop(fraction: float) -> float:
    """Per-group Python loop with numpy statistics on a sample; seconds scaled to the full size."""
    import numpy as np
    from scipy import stats

    obs = _observations(int(N_ACC * fraction), seed=7)
    t0 = time.perf_counter()
    rows = []
    for (src, trait), grp in obs.groupby(["source_id", "trait"], observed=True):
        v = grp["value"].to_numpy()
        x = v[~np.isnan(v)]
        n = len(x)
        mean = x.mean()
        sd = x.std(ddof=1) if n > 1 else np.nan
        se = sd / np.sqrt(n)
        q = np.percentile(x, [0, 25, 50, 75, 100])
        half = stats.t.ppf(0.975, n - 1) * se if n > 1 else np.nan
        rows.append((src, trait, n, len(v) - n, mean, sd, se, 100 * sd / mean, *q, mean - half, mean + half))
    return (time.perf_counter() - t0) / fraction


def _pandas_describe(fraction: float) -> float:
    obs = _observations(int(N_ACC * fraction), seed=8)
    t0 = time.perf_counter()
    obs.groupby(["source_id", "trait"], observed=True)["value"].describe()
    return (time.perf_counter() - t0) / fraction


def main() -> None:
    n_rows = N_ACC * N_TRAITS * N_REPS
    print(f"describe: {N_ACC:,} accessions × {N_TRAITS} traits × {N_REPS} reps = {n_rows:,} rows "
          f"({N_ACC * N_TRAITS:,} groups)")
    ours = _run_child("describe")
    agg = _run_child("agg")
    naive = _naive_loop(0.01)
    pdesc = _pandas_describe(0.001)
    load = os.getloadavg()[0]
    gb = 1024 * 1024
    print(f"  genelab.traits.describe        {ours['seconds']:8.2f} s (CPU {ours['cpu']:.2f} s)   "
          f"peak {ours['peak_kb'] / gb:5.2f} GB "
          f"(data alone {ours['data_kb'] / gb:.2f} GB)   targets < 10 s, < 3 GB: "
          f"{'met' if ours['seconds'] < 10 and ours['peak_kb'] / gb < 3 else 'NOT met'}")
    print(f"  pandas groupby().agg+quantile  {agg['seconds']:8.2f} s (CPU {agg['cpu']:.2f} s)   "
          f"peak {agg['peak_kb'] / gb:5.2f} GB   "
          f"ratio {agg['seconds'] / ours['seconds']:.1f}×")
    print(f"  naive per-group loop (1 % ×100) {naive:8.1f} s   ratio {naive / ours['seconds']:.0f}×")
    print(f"  groupby().describe() (0.1 % ×1000) {pdesc:8.1f} s   ratio {pdesc / ours['seconds']:.0f}×")
    print(f"  (load average {load:.1f} on {os.cpu_count()} cores: wall times grow with other work; "
          "CPU time does much less)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        main()
