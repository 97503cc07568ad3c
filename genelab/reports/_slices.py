"""Which reports a workspace has and the digest of each report's slice of the data.

Only called when the workspace's bytes changed since the last build (it opens the workspace,
which imports pandas and validates every table).
"""
from __future__ import annotations

from pathlib import Path

from genelab.reports.cache import canonical_json, digest_bytes, raw_fingerprint, tables_digest

__all__ = ["TABLES", "plan_slices", "source_tables"]

#: Workspace tables (attributes of a Workspace) that can hold rows of one source.
TABLES = ("sources", "knowledge", "observations", "trials", "germination", "viability",
          "assessments", "models", "protocols", "growth", "rooting")


def _frames(ws) -> dict:
    out = {}
    for name in TABLES:
        frame = getattr(ws, name, None)
        if frame is not None and hasattr(frame, "columns"):
            out[name] = frame
    return out


def source_tables(ws, source_id: str) -> dict:
    """The tables of ``ws`` restricted to one source (``Workspace.source``), plus the plot
    data of its trials."""
    try:
        part = ws.source(source_id)
        tables = _frames(part)
    except AttributeError:
        tables = {}
    if not tables:
        tables = {name: f[f["source_id"] == source_id] for name, f in _frames(ws).items()
                  if "source_id" in f.columns}
    trials = tables.get("trials")
    if trials is not None:
        for tid in trials["trial_id"].astype(str):
            tables[f"trial:{tid}"] = _trial_data(ws, tid)
    return tables


def _trial_data(ws, tid: str):
    try:
        return ws.trial_data(tid)
    except Exception as exc:  # broken plot data: the report will fail and say why
        path = Path(getattr(ws, "path", ".")) / "trials"
        raw = b"".join(p.read_bytes() for p in sorted(path.glob(f"{tid}.*")) if p.is_file())
        return {"error": f"{type(exc).__name__}: {exc}", "raw": digest_bytes(raw)}


def _config(ws) -> dict:
    cfg = getattr(ws, "config", None)
    if cfg is None:
        return {}
    if hasattr(cfg, "to_dict"):
        cfg = cfg.to_dict()
    elif not isinstance(cfg, dict):
        cfg = getattr(cfg, "__dict__", {"repr": repr(cfg)})
    return cfg


def plan_slices(path) -> dict:
    """Open the workspace at ``path`` and return the plan the runner stores in its manifest.

    Keys: ``sources`` and ``trials`` (ids in workspace order), ``titles``, ``slices_source``
    and ``slices_trial`` (id -> digest), ``overall`` (digest of everything) and ``status``
    (source id -> programme status, for the index).
    """
    import genelab

    path = Path(path)
    ws = genelab.open_workspace(path)
    # what every source report also depends on: settings, trait dictionary, all assessments
    # (a rank depends on every source's scores)
    shared = {"config": _config(ws)}
    for name in ("traits", "assessments"):
        frame = getattr(ws, name, None)
        if frame is not None:
            shared[name] = frame
    shared_digest = tables_digest(shared)

    sources = [str(s) for s in ws.sources["source_id"]]
    names = dict(zip(ws.sources["source_id"].astype(str),
                     ws.sources.get("name_vi", ws.sources["source_id"]).astype(str)))
    status = dict(zip(ws.sources["source_id"].astype(str),
                      ws.sources.get("status", ws.sources["source_id"]).astype(str)))
    trials_frame = getattr(ws, "trials", None)
    trials = [] if trials_frame is None else [str(t) for t in trials_frame["trial_id"]]

    slices_source = {}
    for sid in sources:
        own = tables_digest(source_tables(ws, sid))
        slices_source[sid] = digest_bytes(canonical_json([own, shared_digest]).encode())
    slices_trial = {}
    titles = {sid: f"{sid} · {names.get(sid, '')}".strip(" ·") for sid in sources}
    for tid in trials:
        row = trials_frame[trials_frame["trial_id"].astype(str) == tid]
        sid = str(row["source_id"].iloc[0]) if "source_id" in row.columns and len(row) else ""
        parts = {"trial": row, "data": _trial_data(ws, tid), "config": _config(ws)}
        rooting = getattr(ws, "rooting", None)
        if rooting is not None and "trial_id" in rooting.columns:
            parts["rooting"] = rooting[rooting["trial_id"].astype(str) == tid]
        if sid:
            parts["source"] = ws.sources[ws.sources["source_id"].astype(str) == sid]
        slices_trial[tid] = tables_digest(parts)
        title = str(row["title"].iloc[0]) if "title" in row.columns and len(row) else ""
        titles[tid] = f"{tid} · {title}".strip(" ·")
    titles["overview"] = str(_config(ws).get("name") or "overview")
    return {"sources": sources, "trials": trials, "titles": titles,
            "slices_source": slices_source, "slices_trial": slices_trial,
            "overall": raw_fingerprint(path), "status": status,
            "source_of_trial": {tid: str(trials_frame.loc[trials_frame["trial_id"].astype(str) == tid,
                                                            "source_id"].iloc[0])
                                for tid in trials} if trials else {}}
