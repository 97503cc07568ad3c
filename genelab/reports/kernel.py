"""Warm kernels: execute many report notebooks in one long-lived Jupyter kernel.

A :class:`WarmKernel` starts one IPython kernel and keeps it across reports.  Before every
report (the first included) it resets the kernel to the same state: user namespace cleared
(``%reset -f``), figures closed, matplotlib's rc settings back to the file defaults with the
inline backend, random seeds fixed, execution counter back to 1.  So a report comes out the
same whether it is the first one the kernel runs or the hundredth.  The kernel is recycled
every ``recycle_every`` reports (its memory grows slowly with each report) and after a
kernel death or a timeout.

Parameters are injected exactly as papermill does (:func:`papermill.parameterize_notebook`),
cells are run by nbclient, and the page is rendered by one reused :class:`PageExporter`.
"""
from __future__ import annotations

import asyncio
import atexit
import copy
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["WarmKernel", "ExecutionFailure", "kernel_env", "RESET_CODE", "WARMUP_CODE",
           "FULL_RESET_EVERY"]

#: Imports done once per kernel so that reports do not pay for them.
WARMUP_CODE = """\
import matplotlib
get_ipython().run_line_magic('matplotlib', 'inline')
import matplotlib.pyplot
import numpy, pandas
import genelab, genelab.reports.sections
try:
    import seaborn
except ImportError:
    pass
"""

#: Run before every report: the kernel state a fresh kernel would have after the warm-up.
#: The user namespace is emptied as ``%reset -f`` does (every name the user defined, the
#: output cache ``Out``/``_``), without ``%reset``'s full garbage collection, which costs
#: 0.2–0.4 s per report; :data:`FULL_RESET_EVERY` reports also run ``%reset -f`` itself.
RESET_CODE = """\
def _genelab_reset():
    import random, sys
    ip = get_ipython()
    ns = ip.user_ns
    for k in [k for k in ns if not k.startswith('__') and k not in ip.user_ns_hidden]:
        del ns[k]
    ip.history_manager.output_hist.clear()
    ns.update({'_': '', '__': '', '___': ''})
    if 'matplotlib.pyplot' in sys.modules:
        import matplotlib, matplotlib.pyplot
        matplotlib.pyplot.close('all')
        matplotlib.rc_file_defaults()
        ip.run_line_magic('matplotlib', 'inline')
    random.seed(0)
    if 'numpy' in sys.modules:
        import numpy
        numpy.random.seed(0)
    ip.execution_count = 1
_genelab_reset()
"""

#: How often (in reports) the reset also runs ``%reset -f`` with its garbage collection.
FULL_RESET_EVERY = 25


class ExecutionFailure(Exception):
    """A cell of a report raised; ``nb`` is the executed notebook with the traceback."""

    def __init__(self, nb, cell_index: int | None, ename: str, evalue: str):
        self.nb = nb
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        where = f"cell {cell_index}" if cell_index is not None else "the kernel"
        super().__init__(f"{ename} in {where}: {evalue}")


def kernel_env() -> dict[str, str]:
    """The environment for kernels: this process's, without ``MPLBACKEND``.

    A batch driver that sets ``MPLBACKEND=Agg`` would pass it on and inline figures would
    vanish from the reports.
    """
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env["PYTHONHASHSEED"] = "0"
    # the kernel must import the same genelab as the driver
    import genelab

    root = str(Path(genelab.__file__).resolve().parent.parent)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        env["PYTHONPATH"] = os.pathsep.join([root, *paths])
    return env


def _first_error(nb) -> tuple[int | None, str, str]:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, out.get("ename", "Error"), out.get("evalue", "")
    return None, "Error", ""


class WarmKernel:
    """One long-lived kernel that executes report notebooks one after another.

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel spec; ``python3`` is the driver's own interpreter.
    recycle_every : int
        Restart the kernel after this many reports.
    timeout : float
        Seconds one cell may run.
    cwd : path, optional
        Working folder of the kernel.
    """

    def __init__(self, kernel_name: str = "python3", recycle_every: int = 150,
                 timeout: float = 600, cwd=None):
        self.kernel_name = kernel_name
        self.recycle_every = int(recycle_every)
        self.timeout = timeout
        self.cwd = str(cwd) if cwd else None
        self.loop = asyncio.new_event_loop()
        self.km = None
        self.kc = None
        self.runs = 0
        self.starts = 0
        self._notebooks: dict[tuple[str, int, int], Any] = {}
        atexit.register(self.shutdown)

    # ---------------------------------------------------------------- kernel life
    def _run(self, coro):
        return self.loop.run_until_complete(coro)

    def start(self) -> None:
        """Start (or restart) the kernel and run the warm-up imports."""
        self.shutdown()
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        # local IPC sockets in a private folder: no TCP ports, no unencrypted-TCP warning
        self._ipc_dir = tempfile.mkdtemp(prefix="genelab-kernel-")
        km.transport = "ipc"
        km.ip = os.path.join(self._ipc_dir, "k")
        # no history database: report kernels reset their execution counter, run in
        # parallel, and must not contend for (or pollute) ~/.ipython's history.sqlite
        self._run(km.start_kernel(env=kernel_env(), cwd=self.cwd,
                                  extra_arguments=["--HistoryManager.enabled=False"]))
        kc = km.client()
        kc.start_channels()
        self._run(kc.wait_for_ready(timeout=120))
        self.km, self.kc = km, kc
        self.runs = 0
        self.starts += 1
        self._exec(WARMUP_CODE)

    def shutdown(self) -> None:
        """Stop the kernel (no error if there is none)."""
        km, kc = self.km, self.kc
        self.km = self.kc = None
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:  # pragma: no cover - best effort
                pass
        if km is not None:
            try:
                self._run(km.shutdown_kernel(now=True))
            except Exception:  # pragma: no cover - best effort
                pass
        self._remove_ipc()

    def _remove_ipc(self) -> None:
        folder, self._ipc_dir = getattr(self, "_ipc_dir", None), None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)

    def kill(self) -> None:
        """Stop the kernel at once, safe to call from a signal handler."""
        km, self.km, self.kc = self.km, None, None
        if km is None:
            return
        # pending nbclient tasks die with the kernel: no "exception never retrieved" noise
        self.loop.set_exception_handler(lambda loop, context: None)
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        try:
            if proc is not None:
                proc.kill()
                proc.wait(timeout=5)
        except Exception:  # pragma: no cover - best effort
            pass
        try:
            km.cleanup_connection_file()
        except Exception:  # pragma: no cover
            pass
        self._remove_ipc()

    def close(self) -> None:
        """Stop the kernel and the event loop."""
        self.shutdown()
        atexit.unregister(self.shutdown)
        if not self.loop.is_closed():
            self.loop.close()

    def _alive(self) -> bool:
        if self.km is None:
            return False
        try:
            return bool(self._run(self.km.is_alive()))
        except Exception:  # pragma: no cover
            return False

    def _exec(self, code: str) -> None:
        """Run code in the kernel through a one-cell notebook; raise on error."""
        import nbformat

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        self._execute_nb(nb)

    def _execute_nb(self, nb):
        from nbclient import NotebookClient

        client = NotebookClient(nb, km=self.km, kernel_name=self.kernel_name,
                                timeout=self.timeout, allow_errors=False,
                                record_timing=False, interrupt_on_timeout=True)
        client.kc = self.kc
        try:
            self._run(client.async_execute())
        finally:
            atexit.unregister(client._cleanup_kernel)
        return nb

    # ---------------------------------------------------------------- reports
    def _load(self, path: Path):
        import nbformat

        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in self._notebooks:
            self._notebooks.clear()
            from papermill.iorw import load_notebook_node

            nb = load_notebook_node(str(path))  # adds the metadata papermill expects
            self._notebooks[key] = nb
        return copy.deepcopy(self._notebooks[key])

    def execute(self, notebook, parameters: dict[str, Any]):
        """Execute ``notebook`` (a path) with ``parameters`` injected; return the executed node.

        Raises :class:`ExecutionFailure` (carrying the executed notebook) when a cell fails.
        """
        from papermill.parameterize import parameterize_notebook

        if not self._alive() or self.runs >= self.recycle_every:
            self.start()
        nb = self._load(Path(notebook))
        nb = parameterize_notebook(nb, dict(parameters))
        for cell in nb.cells:  # papermill gives the injected cell a random id
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell["id"] = "injected-parameters"
        if self.runs and self.runs % FULL_RESET_EVERY == 0:
            self._exec("get_ipython().run_line_magic('reset', '-f')")
        self._exec(RESET_CODE)
        self.runs += 1
        t0 = time.perf_counter()
        try:
            self._execute_nb(nb)
        except Exception as exc:  # CellExecutionError, timeouts, dead kernel
            cell, ename, evalue = _first_error(nb)
            if cell is None:
                ename, evalue = type(exc).__name__, str(exc).strip().splitlines()[-1:] or [""]
                evalue = evalue[0] if isinstance(evalue, list) else evalue
                self.shutdown()  # kernel state unknown: start afresh next time
            raise ExecutionFailure(nb, cell, ename, evalue) from exc
        nb.metadata["papermill"]["duration"] = round(time.perf_counter() - t0, 3)
        return nb
