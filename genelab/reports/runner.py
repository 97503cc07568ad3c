"""The report batch: plan, check, skip what is up to date, build the rest, write the index.

:func:`build` is what ``genelab reports`` runs.  The plan (which reports exist, each one's
parameters and content hash) is made from the raw bytes of the workspace when they did not
change since the last build, so a no-op rerun imports neither pandas nor nbformat; only when
the workspace changed is it opened and each report's slice hashed again.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from genelab.errors import ReportError
from genelab.reports import cache
from genelab.reports.ids import OVERVIEW_ID, check_report_id, check_source_id, check_trial_id

__all__ = ["build", "plan", "BuildResult", "Failure", "NOTEBOOKS", "notebooks_dir", "check_parameters"]

NOTEBOOKS = {"source": "source_report.ipynb", "trial": "trial_report.ipynb",
             "overview": "programme_overview.ipynb"}

# The parameters the runner passes to each kind of notebook (``out`` is optional).
_PASSED = {
    "source": ("workspace", "source_id", "lang", "alpha", "seed"),
    "trial": ("workspace", "trial_id", "lang", "alpha", "seed"),
    "overview": ("workspace", "lang", "alpha", "seed", "reports"),
}
_OPTIONAL = ("out",)
_MANIFEST_FORMAT = 2


def notebooks_dir() -> Path:
    """The report notebooks shipped with genelab (``notebooks/`` of the repository)."""
    return Path(__file__).resolve().parent.parent.parent / "notebooks"


@dataclass(frozen=True)
class Failure:
    """One report that failed: the cell that raised and the kept notebook."""

    id: str
    cell: int | None
    ename: str
    evalue: str
    notebook: str | None

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "kernel"
        return f"{self.id}: {self.ename} in {where}: {self.evalue} (see {self.notebook})"


@dataclass(frozen=True)
class BuildResult:
    """What a batch did.

    ``built`` and ``failed`` are the reports run in this batch, ``skipped`` those already up
    to date, ``stale`` those out of date but not selected (``only``).
    """

    out: Path
    built: tuple[str, ...]
    skipped: tuple[str, ...]
    failed: tuple[Failure, ...]
    stale: tuple[str, ...]
    seconds: float
    index: Path
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no report failed."""
        return not self.failed

    @property
    def exit_status(self) -> int:
        """0 when every report built, 1 otherwise."""
        return 0 if self.ok else 1

    def summary_text(self) -> str:
        """A few lines for the terminal: counts, then every failure with its failing cell."""
        lines = [f"{len(self.built)} built, {len(self.skipped)} up to date, "
                 f"{len(self.failed)} failed, {len(self.stale)} stale "
                 f"in {self.seconds:.1f} s -> {self.index}"]
        lines += [f"  FAILED {f}" for f in self.failed]
        return "\n".join(lines)


# ------------------------------------------------------------------------------ config
def _read_config(ws: Path) -> dict:
    import tomllib

    path = ws / "genelab.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path}: cannot read genelab.toml ({exc})") from None


# ------------------------------------------------------------------------------ plan
def _workspace_plan(ws_path: Path) -> dict:
    """Open the workspace and hash every report's slice (slow path: the data changed)."""
    from genelab.reports._slices import plan_slices

    return plan_slices(ws_path)


def check_parameters(kind: str, notebook: Path, declared: dict, passed: Iterable[str]) -> None:
    """Raise :class:`ReportError` when the notebook and the runner disagree on parameters.

    ``declared`` is papermill's inspection (name -> {default, ...}).  A parameter the runner
    passes that the notebook does not declare is unknown; a notebook parameter without a
    default (``None``) that the runner does not pass is missing.
    """
    passed = set(passed)
    if not declared:
        raise ReportError(f"{notebook}: no cell tagged 'parameters' (papermill finds no parameters)")
    unknown = sorted(passed - set(declared))
    missing = sorted(name for name, p in declared.items()
                     if name not in passed and name not in _OPTIONAL
                     and str(p.get("default")).strip() == "None")
    problems = []
    if unknown:
        problems.append(f"unknown parameter(s) {', '.join(unknown)} (the notebook declares "
                        f"{', '.join(sorted(declared))})")
    if missing:
        problems.append(f"missing parameter(s) {', '.join(missing)} (declared without a default "
                        f"and not supplied for a {kind} report)")
    if problems:
        raise ReportError(f"{notebook}: " + "; ".join(problems))


def _inspect(path: Path, digest: str, memo: dict) -> dict:
    if digest in memo:
        return memo[digest]
    import papermill

    try:
        found = papermill.inspect_notebook(str(path))
    except Exception as exc:
        raise ReportError(f"{path}: papermill cannot inspect the notebook ({exc})") from None
    memo[digest] = {name: {"default": p.get("default"), "type": p.get("inferred_type_name")}
                    for name, p in found.items()}
    return memo[digest]


# ------------------------------------------------------------------------------ pools
class _LocalPool:
    """Worker processes, each with a warm kernel (spawned: no fork of a threaded driver)."""

    def __init__(self, jobs: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from genelab.reports.worker import init_pool_worker

        self.jobs = jobs
        self.ex = ProcessPoolExecutor(max_workers=jobs, initializer=init_pool_worker,
                                      mp_context=multiprocessing.get_context("spawn"))

    def map_unordered(self, fn, items):
        from concurrent.futures import as_completed

        futures = [self.ex.submit(fn, item) for item in items]
        for fut in as_completed(futures):
            yield fut.result()

    def close(self) -> None:
        self.ex.shutdown(wait=True)

    def abort(self) -> None:
        procs = list((getattr(self.ex, "_processes", None) or {}).values())
        self.ex.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            with contextlib.suppress(Exception):
                p.terminate()
        for p in procs:
            with contextlib.suppress(Exception):
                p.join(10)


class _DaskPool:
    """The same jobs on dask.distributed; each dask worker keeps its warm kernel."""

    def __init__(self, scheduler: str, jobs: int):
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler == "local":
            self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
                raise ReportError(f"--scheduler {scheduler!r}: expected 'local' or an address "
                                  "such as tcp://HOST:PORT")
            try:
                self.client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise ReportError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None

    def map_unordered(self, fn, items):
        from dask.distributed import as_completed

        futures = [self.client.submit(fn, item, key=f"genelab-report-{item['id']}-{item['hash'][:12]}",
                                      pure=False) for item in items]
        for fut in as_completed(futures):
            yield fut.result()

    def close(self) -> None:
        from genelab.reports.worker import shutdown_local

        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.client.run(shutdown_local)
            self.client.close()
            self.cluster.close()
        else:
            self.client.close()

    abort = close


class _InlinePool:
    """jobs=1: the driver process itself keeps the warm kernel."""

    def map_unordered(self, fn, items):
        for item in items:
            yield fn(item)

    def close(self) -> None:
        from genelab.reports.worker import shutdown_local

        shutdown_local()

    abort = close


def _make_pool(jobs: int, scheduler: str | None):
    if scheduler:
        return _DaskPool(scheduler, jobs)
    if jobs <= 1 and not _event_loop_running():
        return _InlinePool()
    # Inside Jupyter (a running event loop) nbclient cannot drive a kernel from this thread,
    # so even a single job goes to a worker process.
    return _LocalPool(jobs)


def _event_loop_running() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


# ------------------------------------------------------------------------------ build
def _selected(only, plan: dict) -> list[str]:
    every = [*plan["sources"], *plan["trials"], OVERVIEW_ID]
    if only is None:
        return every
    if isinstance(only, str):
        only = [only]
    wanted = []
    for rid in only:
        check_report_id(rid)
        if rid not in every:
            raise ReportError(f"no report {rid!r} in this workspace (sources "
                              f"{plan['sources'][0] if plan['sources'] else '-'}…, trials and "
                              f"'{OVERVIEW_ID}')")
        if rid not in wanted:
            wanted.append(rid)
    return wanted


class _Batch:
    """Everything decided before any report runs: the plan, the jobs and their hashes."""

    def __init__(self, workspace, out, *, only, force, lang, parameters, notebooks,
                 recycle_every, timeout):
        from genelab import __version__

        self.version = __version__
        ws = Path(workspace).resolve()
        if not ws.is_dir():
            raise ReportError(f"workspace {workspace!s} is not a folder")
        self.ws = ws
        self.out = out = Path(out).resolve()
        self.reports_dir, self.failed_dir = out / "reports", out / "failed"
        self.state_dir = out / ".genelab"
        self.nb_dir = Path(notebooks).resolve() if notebooks else notebooks_dir()
        self.recycle_every, self.timeout, self.force = recycle_every, timeout, force

        config = _read_config(ws)
        self.config = config
        lang = lang or config.get("language") or "vi"
        if lang not in ("vi", "en"):
            raise ReportError(f"unknown language {lang!r}: use vi or en")
        self.lang = lang
        self.alpha = float(config.get("alpha", 0.05))
        self.seed = int(config.get("seed", 2021))

        # plan: reuse the slice hashes when the workspace bytes did not change
        self.timings = {}
        self.manifest_path = self.state_dir / "manifest.json"
        manifest = cache.read_json(self.manifest_path, default={}) or {}
        self.raw = raw = cache.raw_fingerprint(ws)
        plan = manifest.get("plan")
        if not (plan and manifest.get("format") == _MANIFEST_FORMAT and manifest.get("raw") == raw
                and manifest.get("workspace") == str(ws) and manifest.get("version") == __version__):
            t = time.perf_counter()
            plan = _workspace_plan(ws)
            self.timings["plan"] = time.perf_counter() - t
        for sid in plan["sources"]:
            check_source_id(sid)
        for tid in plan["trials"]:
            check_trial_id(tid)
        self.plan = plan
        self.selected = _selected(only, plan)

        # notebooks and their declared parameters (papermill's inspection, memoised by digest)
        self.memo = manifest.get("inspect", {}) if manifest.get("format") == _MANIFEST_FORMAT else {}
        self.extra = dict(parameters or {})
        self.nb_info = {}
        kinds = {"overview"} | ({"source"} if plan["sources"] else set()) | \
            ({"trial"} if plan["trials"] else set())
        for kind in sorted(kinds):
            path = self.nb_dir / NOTEBOOKS[kind]
            if not path.is_file():
                raise ReportError(f"report notebook {path} not found")
            digest = cache.digest_bytes(path.read_bytes())
            declared = _inspect(path, digest, self.memo)
            check_parameters(kind, path, declared, [*_PASSED[kind], *self.extra])
            self.nb_info[kind] = {"path": str(path), "digest": digest, "declared": declared}
        self.ordinary = [*plan["sources"], *plan["trials"]]

    def job(self, rid: str, status_doc=None) -> dict:
        plan = self.plan
        if rid == OVERVIEW_ID:
            kind, params, data = "overview", {"reports": str(self.out)}, plan["overall"]
            extra_hash = status_doc
        elif rid in plan["slices_source"]:
            kind, params, data = "source", {"source_id": rid}, plan["slices_source"][rid]
            extra_hash = None
        else:
            kind, params, data = "trial", {"trial_id": rid}, plan["slices_trial"][rid]
            extra_hash = None
        params = {"workspace": str(self.ws), **params, "lang": self.lang, "alpha": self.alpha,
                  "seed": self.seed, **self.extra}
        info = self.nb_info[kind]
        h = cache.report_hash(notebook_digest=info["digest"], parameters=params,
                              data_digest=data, version=self.version, extra=extra_hash)
        return {"id": rid, "kind": kind, "title": plan["titles"].get(rid, rid),
                "notebook": info["path"], "parameters": params, "hash": h, "out": str(self.out),
                "lang": self.lang, "version": self.version, "accepts": list(info["declared"]),
                "recycle_every": self.recycle_every, "timeout": self.timeout}

    def stored_hash(self, rid: str) -> str | None:
        if not ((self.reports_dir / f"{rid}.html").is_file()
                and (self.reports_dir / f"{rid}.ipynb").is_file()):
            return None
        doc = cache.read_json(self.reports_dir / f"{rid}.json", default={}) or {}
        return (doc.get("build") or {}).get("hash")

    def status_doc(self, failed_ids: Iterable[str], built: Iterable[str], stale: Iterable[str]) -> dict:
        on_disk = {p.stem for p in self.failed_dir.glob("*.json")} if self.failed_dir.is_dir() else set()
        failed = sorted(set(failed_ids) | (on_disk - set(built)))
        return {"failed": failed, "stale": sorted(set(stale) - {OVERVIEW_ID})}

    def save_manifest(self) -> None:
        manifest = {"format": _MANIFEST_FORMAT, "raw": self.raw, "workspace": str(self.ws),
                    "version": self.version, "plan": self.plan, "inspect": self.memo}
        if _differs(self.manifest_path, manifest):
            cache.atomic_write_json(self.manifest_path, manifest)


def plan(workspace, out="outputs", *, only=None, force: bool = False, lang: str | None = None,
         parameters: dict | None = None, notebooks=None) -> list[dict]:
    """What :func:`build` would do, without running anything.

    Returns one dict per report of the workspace: ``id``, ``kind``, ``hash`` (the content hash
    it would have), ``stored`` (the hash of the report on disk, or None), ``selected`` and
    ``rebuild`` (selected and out of date, or ``force``).  The overview's hash assumes no
    failures.
    """
    b = _Batch(workspace, out, only=only, force=force, lang=lang, parameters=parameters,
               notebooks=notebooks, recycle_every=150, timeout=600)
    rows = []
    stale = []
    for rid in b.ordinary:
        job = b.job(rid)
        stored = b.stored_hash(rid)
        rows.append({"id": rid, "kind": job["kind"], "hash": job["hash"], "stored": stored,
                     "selected": rid in b.selected,
                     "rebuild": rid in b.selected and (force or stored != job["hash"])})
        if rid not in b.selected and stored != job["hash"]:
            stale.append(rid)
    job = b.job(OVERVIEW_ID, b.status_doc([], [], stale))
    stored = b.stored_hash(OVERVIEW_ID)
    rows.append({"id": OVERVIEW_ID, "kind": "overview", "hash": job["hash"], "stored": stored,
                 "selected": OVERVIEW_ID in b.selected,
                 "rebuild": OVERVIEW_ID in b.selected and (force or stored != job["hash"])})
    return rows


def build(workspace, out="outputs", *, only=None, jobs: int = 2, force: bool = False,
          lang: str | None = None, scheduler: str | None = None, progress: bool = True,
          parameters: dict | None = None, notebooks=None, recycle_every: int = 150,
          timeout: float = 600) -> BuildResult:
    """Build the evaluation reports of a workspace (incremental, parallel, fault tolerant).

    Parameters
    ----------
    workspace : path
        The workspace folder.
    out : path
        Output root: ``reports/<id>.ipynb|.html|.json``, ``failed/``, ``index.html``.
    only : list of str, optional
        Report ids to build (source ids, trial ids, ``overview``); default all.
    jobs : int
        Worker processes (each keeps one warm kernel); 1 runs the kernel from this process.
    force : bool
        Rebuild even the reports that are up to date.
    lang : {'vi', 'en'}, optional
        Report language; default the workspace's ``language``.
    scheduler : str, optional
        ``local`` (a dask LocalCluster of ``jobs`` workers) or ``tcp://HOST:PORT``.
    progress : bool
        Show a progress bar on the terminal.
    parameters : dict, optional
        Extra notebook parameters for every report (each must be declared by the notebooks).
    notebooks : path, optional
        Folder of the report notebooks (default the shipped ones).
    recycle_every : int
        Restart a worker's kernel after this many reports.
    timeout : float
        Seconds a notebook cell may run.

    Returns
    -------
    BuildResult
        Built, skipped, failed and stale reports; ``exit_status`` is 1 when any failed.

    Raises
    ------
    ReportError
        Unknown report ids, unusable notebooks or parameters, before anything runs.
    """
    t0 = time.perf_counter()
    if jobs < 1:
        raise ReportError(f"jobs must be at least 1, got {jobs}")
    b = _Batch(workspace, out, only=only, force=force, lang=lang, parameters=parameters,
               notebooks=notebooks, recycle_every=recycle_every, timeout=timeout)
    out = b.out
    for d in (b.reports_dir, b.failed_dir, b.state_dir):
        d.mkdir(parents=True, exist_ok=True)
    cache.remove_stale_temps(out, b.reports_dir, b.failed_dir, b.state_dir)
    shutil.rmtree(b.state_dir / "staging", ignore_errors=True)

    todo, skipped, stale = [], [], []
    for rid in b.ordinary:
        job = b.job(rid)
        current = b.stored_hash(rid) == job["hash"]
        if rid in b.selected:
            if current and not force:
                skipped.append(rid)
            else:
                todo.append(job)
        elif not current:
            stale.append(rid)

    built, failures = [], []
    n_total = len(todo) + (1 if OVERVIEW_ID in b.selected else 0)
    bar = pool = None
    try:
        if progress and n_total:
            from tqdm import tqdm

            bar = tqdm(total=n_total, unit="report", desc="genelab reports", file=sys.stderr,
                       dynamic_ncols=True)

        def run(batch: list[dict]) -> None:
            nonlocal pool
            if pool is None:
                pool = _make_pool(jobs, scheduler)
            from genelab.reports.worker import run_job

            for outcome in pool.map_unordered(run_job, batch):
                if outcome["status"] == "ok":
                    built.append(outcome["id"])
                else:
                    failures.append(Failure(outcome["id"], outcome.get("cell"),
                                            outcome.get("ename", "Error"),
                                            outcome.get("evalue", ""), outcome.get("notebook")))
                if bar is not None:
                    bar.update(1)
                    if outcome["status"] != "ok":
                        bar.write(f"FAILED {outcome['id']}: {outcome.get('ename')}: "
                                  f"{outcome.get('evalue')}")

        if todo:
            run(todo)
        # the overview reports on everything else, failures and stale reports included
        status_doc = b.status_doc([f.id for f in failures], built, stale)
        if _differs(b.state_dir / "status.json", status_doc):
            cache.atomic_write_json(b.state_dir / "status.json", status_doc)
        overview = b.job(OVERVIEW_ID, status_doc)
        if OVERVIEW_ID in b.selected:
            if b.stored_hash(OVERVIEW_ID) == overview["hash"] and not force:
                skipped.append(OVERVIEW_ID)
                if bar is not None:
                    bar.update(1)
            else:
                run([overview])
        elif b.stored_hash(OVERVIEW_ID) != overview["hash"]:
            stale.append(OVERVIEW_ID)
    except BaseException:
        if pool is not None:
            pool.abort()
            pool = None
        cache.remove_stale_temps(out, b.reports_dir, b.failed_dir, b.state_dir)
        shutil.rmtree(b.state_dir / "staging", ignore_errors=True)
        raise
    finally:
        if pool is not None:
            pool.close()
        if bar is not None:
            bar.close()

    b.save_manifest()
    from genelab.reports.index import write_index

    index = write_index(out, plan=b.plan, lang=b.lang, stale=stale, title=b.config.get("name"))
    order = {rid: i for i, rid in enumerate([*b.ordinary, OVERVIEW_ID])}
    return BuildResult(out=out, built=tuple(sorted(built, key=order.get)),
                       skipped=tuple(sorted(skipped, key=order.get)),
                       failed=tuple(sorted(failures, key=lambda f: order.get(f.id, 0))),
                       stale=tuple(sorted(stale, key=order.get)),
                       seconds=time.perf_counter() - t0, index=index, timings=b.timings)


def _differs(path: Path, doc: Any) -> bool:
    import json

    return cache.read_json(path, default=None) != json.loads(cache.canonical_json(doc))
