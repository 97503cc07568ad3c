"""``genelab reports`` (the batch) and ``genelab report SOURCE_ID`` (one report)."""
from __future__ import annotations

import sys

__all__ = ["add_commands"]


def _common(p) -> None:
    p.add_argument("--workspace", default="data/demo", metavar="DIR",
                   help="workspace folder (default: data/demo)")
    p.add_argument("--out", default="outputs", metavar="DIR",
                   help="output folder (default: outputs)")
    p.add_argument("--jobs", type=int, default=2, metavar="N",
                   help="worker processes, each with a warm kernel (default: 2)")
    p.add_argument("--force", action="store_true", help="rebuild reports that are up to date")
    p.add_argument("--lang", choices=("vi", "en"), default=None,
                   help="report language (default: the workspace's)")
    p.add_argument("--scheduler", default=None, metavar="ADDR",
                   help="run on dask.distributed: 'local' or tcp://HOST:PORT")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _run(args, only) -> int:
    from genelab.reports.runner import build

    result = build(args.workspace, args.out, only=only, jobs=args.jobs, force=args.force,
                   lang=args.lang, scheduler=args.scheduler,
                   progress=not args.no_progress and sys.stderr.isatty())
    stream = sys.stderr if result.failed else sys.stdout
    print(result.summary_text(), file=stream)
    return result.exit_status


def add_commands(sub) -> None:
    """Add ``reports`` and ``report`` to the ``genelab`` command."""
    p = sub.add_parser("reports", help="build the evaluation reports (incremental, parallel)",
                       description="Build every source report, trial report and the programme "
                       "overview; only what changed is rebuilt. Exit status 1 if any failed.")
    _common(p)
    p.add_argument("--only", nargs="+", metavar="ID", default=None,
                   help="build only these reports (source ids, trial ids, 'overview')")
    p.set_defaults(func=lambda a: _run(a, a.only))

    q = sub.add_parser("report", help="build one report",
                       description="Build the report of one gene source (or trial, or 'overview').")
    q.add_argument("report_id", metavar="SOURCE_ID")
    _common(q)
    q.set_defaults(func=lambda a: _run(a, [a.report_id]), jobs=1)
