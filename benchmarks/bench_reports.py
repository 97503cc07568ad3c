"""Report batch: warm-kernel pool against the serial papermill CLI + nbconvert CLI loop.

Measured in one run on a copy of the demo workspace:

1. the full batch of the 65 source reports, cold (empty output folder, workers and kernels
   started inside the timing), with ``--jobs 2``;
2. the 14 trial reports and the programme overview, reported separately;
3. the no-op rerun through the real ``genelab reports`` command (a new interpreter, as a
   data officer runs it) and through ``build()`` in-process;
4. the obvious alternative: for each report ``papermill source_report.ipynb … -p …`` then
   ``jupyter nbconvert --to html --no-input`` — run serially on a sample of
   ``GENELAB_BENCH_SAMPLE`` (default 3) sources and scaled to 65.

Prints the figures and the ratio (targets: batch ≥ 10× faster than the CLI loop; no-op < 2 s).
Set ``GENELAB_BENCH_PROFILE=1`` to also print where one warm report's time goes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import genelab  # noqa: E402
from genelab.reports.runner import build, notebooks_dir  # noqa: E402

BIN = Path(sys.executable).parent


def _cli(name: str) -> list[str]:
    exe = BIN / name
    return [str(exe)] if exe.exists() else [sys.executable, "-m", name]


def serial_cli_loop(ws: Path, sources: list[str], tmp: Path) -> float:
    """Seconds for papermill CLI + nbconvert CLI over ``sources``, one after another."""
    nb = notebooks_dir() / "source_report.ipynb"
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    t0 = time.perf_counter()
    for sid in sources:
        executed = tmp / f"{sid}.ipynb"
        subprocess.run([*_cli("papermill"), str(nb), str(executed), "--cwd", str(tmp),
                        "-p", "workspace", str(ws), "-p", "source_id", sid, "-p", "lang", "vi",
                        "-p", "alpha", "0.05", "-p", "seed", "2021", "--log-level", "ERROR",
                        "--no-progress-bar"], check=True, env=env, capture_output=True)
        subprocess.run([*_cli("jupyter"), "nbconvert", "--to", "html", "--no-input",
                        str(executed)], check=True, env=env, capture_output=True)
    return time.perf_counter() - t0


_SOURCE_SECTIONS = (("passport", {}), ("knowledge", {}), ("traits", {}), ("trials", {"alpha": 0.05}),
                    ("germination", {}), ("conservation", {"alpha": 0.05}), ("value", {"seed": 2021}),
                    ("economics", {"alpha": 0.05}), ("protocols", {"alpha": 0.05}))


def profile_sections(ws: Path, sources: list[str]) -> None:
    """Print where a warm report's time goes, in-process: each section of the source
    report (analysis and figures) and the HTML of its tables, per report, after one warm-up
    pass over the same sources (as in a warm kernel: workspace, scores, figure backgrounds
    and layouts already kept)."""
    import warnings

    import matplotlib

    matplotlib.use("module://matplotlib_inline.backend_inline")
    from genelab.reports import sections as S

    spent: dict[str, float] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rep in range(2):
            for sid in sources:
                w = S.load(ws)
                parts = []
                for name, kw in _SOURCE_SECTIONS:
                    t0 = time.perf_counter()
                    parts.append(getattr(S, name)(w, sid, lang="vi", **kw))
                    if rep:
                        spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0
                t0 = time.perf_counter()
                for sec in parts:
                    for kind, obj in sec.parts:
                        if kind == "table":
                            S._displayable(obj)._repr_html_()
                if rep:
                    spent["tables (HTML)"] = spent.get("tables (HTML)", 0.0) + time.perf_counter() - t0
    n = len(sources)
    print(f"in-process, per warm source report ({n} sources):")
    for name, sec in spent.items():
        print(f"  {name:14s} {sec / n * 1000:7.1f} ms")
    print(f"  {'total':14s} {sum(spent.values()) / n * 1000:7.1f} ms")


def main() -> None:
    sample = int(os.environ.get("GENELAB_BENCH_SAMPLE", "3"))
    jobs = int(os.environ.get("GENELAB_BENCH_JOBS", "2"))
    with tempfile.TemporaryDirectory(prefix="genelab-bench-") as tmpdir:
        tmp = Path(tmpdir)
        ws = tmp / "demo"
        shutil.copytree(genelab.demo_path(), ws)
        ws_obj = genelab.open_workspace(ws)
        sources = list(ws_obj.sources["source_id"])
        n_trials = len(ws_obj.trials)
        out = tmp / "out"

        t0 = time.perf_counter()
        res = build(ws, out, only=sources, jobs=jobs, progress=False)
        t_sources = time.perf_counter() - t0
        assert len(res.built) + len(res.failed) == len(sources), res.summary_text()

        t0 = time.perf_counter()
        rest = build(ws, out, jobs=jobs, progress=False)
        t_rest = time.perf_counter() - t0

        t0 = time.perf_counter()
        noop = subprocess.run([sys.executable, "-m", "genelab", "reports", "--workspace", str(ws),
                               "--out", str(out), "--jobs", str(jobs)],
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                              text=True)
        t_noop_cli = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = build(ws, out, jobs=jobs, progress=False)
        t_noop_api = time.perf_counter() - t0

        cli_dir = tmp / "cli"
        cli_dir.mkdir()
        picked = sources[:: max(1, len(sources) // sample)][:sample]
        t_cli = serial_cli_loop(ws, picked, cli_dir)
        per_cli = t_cli / len(picked)

        if os.environ.get("GENELAB_BENCH_PROFILE"):
            profile_sections(ws, sources[::5])

    per_batch = t_sources / len(sources)
    print(f"full batch, {len(sources)} source reports, cold, jobs={jobs}: {t_sources:7.1f} s "
          f"({per_batch:.2f} s/report; {len(res.failed)} failed)")
    print(f"trial reports ({n_trials}) + overview, same pool size:      {t_rest:7.1f} s "
          f"({len(rest.built)} built, {len(rest.failed)} failed)")
    print(f"no-op rerun, `genelab reports` CLI (new interpreter):  {t_noop_cli:7.2f} s "
          f"(exit {noop.returncode}: {noop.stdout.strip() or noop.stderr.strip()[-200:]})")
    print(f"no-op rerun, build() in-process:                      {t_noop_api:7.2f} s "
          f"({len(again.built)} rebuilt)")
    print(f"serial papermill CLI + nbconvert CLI, {len(picked)} sampled reports: {t_cli:.1f} s "
          f"({per_cli:.2f} s/report) -> scaled to {len(sources)}: {per_cli * len(sources):.1f} s")
    ratio = (per_cli * len(sources)) / t_sources
    print(f"ratio serial CLI loop / warm-kernel batch: {ratio:.1f}x  (target >= 10x)")
    print(f"no-op rerun target < 2 s: {'met' if t_noop_cli < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
