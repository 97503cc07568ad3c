"""Loading the demo workspace: genelab.open_workspace against the obvious alternatives.

Prints, measured in this run (median of several repeats):
- open_workspace(data/demo) in a warm process (every table and trial plot file read, typed and
  checked, cross-table checks);
- plain ``pandas.read_csv`` of the same files with no validation at all (the floor);
- pandas.read_csv + pandera's own ``DataFrameSchema.validate(coerce=True, lazy=True)`` of the
  same declared schemas (the straightforward way to validate with pandera);
- the same in fresh processes, including the imports (what `genelab validate` costs).
Target: open_workspace under 1 s on this machine.
"""
from __future__ import annotations

import copy
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import genelab  # noqa: E402
from genelab import schema  # noqa: E402
from genelab.workspace import open_workspace  # noqa: E402

DEMO = genelab.demo_path()
FILES = sorted(DEMO.glob("*.csv")) + sorted((DEMO / "trials").glob("*.csv"))


def _median(fn, repeats, clock=time.perf_counter):
    times = []
    for _ in range(repeats):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times)


def plain_read():
    return [pd.read_csv(f) for f in FILES]


_PANDERA = {}
for _name, _s in schema.SCHEMAS.items():
    _s = copy.deepcopy(_s)
    if _name == "observations":
        _s = _s.remove_columns(["value", "state"])
    _s.coerce = True
    _PANDERA[_name] = _s


def pandera_default():
    out = {}
    for name, s in _PANDERA.items():
        frame = pd.read_csv(DEMO / f"{name}.csv")
        out[name] = s.validate(frame, lazy=True)
    for f in sorted((DEMO / "trials").glob("*.csv")):
        pd.read_csv(f)
    return out


def _cold(code, repeats=3):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                       env={"PYTHONPATH": str(ROOT), "PATH": ""})
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ws = open_workspace(DEMO)
    rows = sum(len(f) for f in ws.tables.values()) + sum(len(v) for v in ws.plot_data.values())
    print(f"demo workspace: {len(FILES)} CSV files, {rows} rows")
    pandera_default()
    t_ws = _median(lambda: open_workspace(DEMO), 9)
    t_plain = _median(plain_read, 9)
    t_pa = _median(pandera_default, 5)
    print(f"open_workspace (warm process, median of 9):         {t_ws * 1000:8.1f} ms")
    print(f"plain pandas.read_csv, no validation:                {t_plain * 1000:8.1f} ms"
          f"   open_workspace / plain = {t_ws / t_plain:5.1f}x")
    print(f"read_csv + pandera validate(coerce, lazy):           {t_pa * 1000:8.1f} ms"
          f"   pandera default / open_workspace = {t_pa / t_ws:5.1f}x")
    c_ws = _cold("import genelab; genelab.open_workspace(genelab.demo_path())")
    c_pd = _cold("import glob, pandas as pd; [pd.read_csv(f) for f in glob.glob('data/demo/**/*.csv', "
                 "recursive=True)]")
    c_imp = _cold("import genelab.workspace")
    print(f"fresh process: import genelab + open_workspace:      {c_ws * 1000:8.1f} ms "
          f"(imports alone {c_imp * 1000:.0f} ms)")
    print(f"fresh process: import pandas + read_csv every file:  {c_pd * 1000:8.1f} ms"
          f"   ratio = {c_ws / c_pd:5.2f}x")
    cpu_ws = _median(lambda: open_workspace(DEMO), 9, time.process_time)
    cpu_plain = _median(plain_read, 9, time.process_time)
    cpu_pa = _median(pandera_default, 5, time.process_time)
    print(f"CPU time (steadier when the machine is shared): open_workspace {cpu_ws * 1000:.1f} ms, "
          f"plain read_csv {cpu_plain * 1000:.1f} ms ({cpu_ws / cpu_plain:.1f}x), "
          f"pandera default {cpu_pa * 1000:.1f} ms ({cpu_pa / cpu_ws:.1f}x open_workspace)")
    print(f"target: open_workspace < 1000 ms -> {'met' if t_ws < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
