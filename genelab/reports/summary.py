"""The JSON summary each report writes beside itself (read by the index, not the notebook).

A report notebook calls :func:`write_summary` in its last cell with the key figures it
computed (``result.to_dict()`` values: score, rank, status …).  The batch runner gives the
notebook a private staging folder as ``out``; the summary is moved next to the report only
when the whole notebook succeeded, with the build information (content hash, time) added.

Examples
--------
>>> import tempfile, json, pathlib
>>> d = tempfile.mkdtemp()
>>> doc = write_summary(d, "LS-001", {"score": 0.71, "rank": 3})
>>> json.loads((pathlib.Path(d) / "LS-001.json").read_text())["rank"]
3
>>> write_summary(None, "LS-001", {"rank": 3})["id"]
'LS-001'
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from genelab.reports.cache import atomic_write_json

__all__ = ["write_summary", "summary_path"]


def summary_path(out, report_id: str) -> Path:
    """Where the summary of ``report_id`` goes inside ``out``."""
    from genelab.reports.ids import check_report_id

    return Path(out) / f"{check_report_id(report_id)}.json"


def write_summary(out, report_id: str, summary: Mapping[str, Any]) -> dict:
    """Write a report's JSON summary into ``out`` (atomically) and return it.

    Parameters
    ----------
    out : path or None
        Folder given to the notebook by the runner; ``None`` (an interactive run) writes
        nothing and only returns the summary.
    report_id : str
        The report's id (a source id, a trial id or ``overview``).
    summary : mapping
        Key figures; numpy/pandas values and result objects are made JSON-safe.

    Returns
    -------
    dict
        The summary as written, with ``id`` set.
    """
    from genelab._result import json_safe

    doc = {k: (v.to_dict() if hasattr(v, "to_dict") and hasattr(v, "table") else v)
           for k, v in dict(summary).items()}
    doc = json_safe(doc)
    doc["id"] = report_id
    if out is not None:
        atomic_write_json(summary_path(out, report_id), doc)
    return doc
