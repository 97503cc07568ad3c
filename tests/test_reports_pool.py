"""Choosing the report pool: jobs=1 inside Jupyter (a running event loop) uses a worker process."""
from __future__ import annotations

import asyncio

from genelab.reports import runner


def test_single_job_runs_inline_outside_jupyter():
    pool = runner._make_pool(1, None)
    assert isinstance(pool, runner._InlinePool)


def test_single_job_inside_a_running_event_loop_uses_a_worker_process():
    async def choose():
        return runner._make_pool(1, None)

    pool = asyncio.run(choose())
    try:
        assert isinstance(pool, runner._LocalPool) and pool.jobs == 1
    finally:
        pool.close()
