"""What a batch worker does with one report: execute, render, write atomically.

The same :func:`run_job` runs in the local process pool and on dask workers.  Each worker
process (each thread, on a multi-threaded dask worker) keeps one :class:`WarmKernel` and one
:class:`PageExporter` in a worker-local cache, so the kernel start, the imports and the
exporter set-up are paid once per worker, not once per report.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from genelab.reports.cache import atomic_write_json, atomic_write_text, read_json

__all__ = ["run_job", "shutdown_local", "init_pool_worker", "local_state"]

_LOCAL = threading.local()
_ALL: list = []  # every WarmKernel of this process, for shutdown
_ALL_LOCK = threading.Lock()


def local_state(recycle_every: int = 150, timeout: float = 600):
    """This worker's (kernel, exporter), created on first use."""
    state = getattr(_LOCAL, "state", None)
    if state is None:
        from genelab.reports.html import PageExporter
        from genelab.reports.kernel import WarmKernel

        kernel = WarmKernel(recycle_every=recycle_every, timeout=timeout)
        with _ALL_LOCK:
            _ALL.append(kernel)
        state = _LOCAL.state = (kernel, {})
    kernel, exporters = state
    kernel.recycle_every = recycle_every
    kernel.timeout = timeout
    return kernel, exporters


def shutdown_local() -> int:
    """Stop every kernel this process started; returns how many."""
    with _ALL_LOCK:
        kernels = list(_ALL)
        _ALL.clear()
    for k in kernels:
        k.kill()
    with contextlib.suppress(AttributeError):
        del _LOCAL.state
    return len(kernels)


def _on_term(signum, frame):  # pragma: no cover - exercised by Ctrl-C only
    shutdown_local()
    os._exit(128 + signum)


def init_pool_worker() -> None:
    """Initializer of local pool processes: Ctrl-C is the driver's business; SIGTERM stops
    the kernel and exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    from multiprocessing import util

    util.Finalize(None, shutdown_local, exitpriority=100)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _write_notebook(path: Path, nb) -> None:
    atomic_write_text(path, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Build one report; never raises for a failing notebook (the outcome says so).

    ``job`` holds ``id``, ``kind``, ``title``, ``notebook``, ``parameters``, ``hash``,
    ``out`` (the output root), ``lang`` and optionally ``recycle_every`` and ``timeout``.
    Returns a dict with ``id``, ``status`` ('ok' or 'failed'), ``seconds`` and, for a
    failure, ``cell``, ``ename``, ``evalue`` and ``notebook`` (the kept failed notebook).
    """
    from genelab.reports.html import PageExporter
    from genelab.reports.kernel import ExecutionFailure

    t0 = time.perf_counter()
    rid = job["id"]
    out = Path(job["out"])
    reports, failed = out / "reports", out / "failed"
    staging = out / ".genelab" / "staging" / f"{rid}-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    kernel, exporters = local_state(job.get("recycle_every", 150), job.get("timeout", 600))
    params = dict(job["parameters"])
    if "out" in job.get("accepts", ("out",)):
        params["out"] = str(staging)
    outcome: dict[str, Any] = {"id": rid, "kind": job["kind"], "worker": os.getpid()}
    try:
        try:
            nb = kernel.execute(job["notebook"], params)
        except ExecutionFailure as fail:
            _write_notebook(failed / f"{rid}.ipynb", fail.nb)
            record = {"id": rid, "kind": job["kind"], "cell": fail.cell_index,
                      "ename": fail.ename, "evalue": fail.evalue, "hash": job["hash"],
                      "failed_at": _now(), "notebook": str(failed / f"{rid}.ipynb")}
            atomic_write_json(failed / f"{rid}.json", record)
            outcome.update(status="failed", cell=fail.cell_index, ename=fail.ename,
                           evalue=fail.evalue, notebook=record["notebook"])
            return outcome
        lang = job.get("lang", "vi")
        exporter = exporters.get(lang)
        if exporter is None:
            from genelab.i18n import label

            exporter = exporters[lang] = PageExporter(back_label="← " + label("rp_index", lang))
        page = exporter.export(nb, job.get("title", rid), language=lang)
        summary = read_json(staging / f"{rid}.json", default={}) or {}
        summary.setdefault("id", rid)
        summary.setdefault("kind", job["kind"])
        summary.setdefault("title", job.get("title", rid))
        seconds = round(time.perf_counter() - t0, 3)
        summary["build"] = {"hash": job["hash"], "built_at": _now(), "seconds": seconds,
                            "genelab_version": job.get("version"), "status": "ok"}
        _write_notebook(reports / f"{rid}.ipynb", nb)
        atomic_write_text(reports / f"{rid}.html", page)
        atomic_write_json(reports / f"{rid}.json", summary)  # last: marks the build complete
        for stale in (failed / f"{rid}.ipynb", failed / f"{rid}.json"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        outcome.update(status="ok", seconds=seconds)
        return outcome
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        outcome.setdefault("seconds", round(time.perf_counter() - t0, 3))
