"""Content hashes, the build manifest and atomic file writes of the report batch.

Everything here is light (standard library only) so that a no-op rerun of ``genelab reports``
never imports pandas, nbformat or papermill: the workspace is fingerprinted from its raw
bytes first, and only when those changed is it opened to hash each report's slice.

Examples
--------
>>> digest_bytes(b"abc")[:12]
'ba7816bf8f01'
>>> canonical_json({"b": 1, "a": [1.0, None]})
'{"a":[1.0,null],"b":1}'
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping

__all__ = [
    "TMP_MARK",
    "digest_bytes",
    "canonical_json",
    "raw_fingerprint",
    "report_hash",
    "frame_digest",
    "tables_digest",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_write_json",
    "read_json",
    "remove_stale_temps",
]

#: Marker in the names of temporary files; a rename turns them into the final file.
TMP_MARK = ".genelab-tmp-"

# Files of a workspace folder that never change a report (editor and OS droppings).
_IGNORED = (".DS_Store", "Thumbs.db", "~$", ".~lock", ".ipynb_checkpoints", "genelab.db")


def digest_bytes(data: bytes) -> str:
    """SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: equal values give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _workspace_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if any(part in rel for part in _IGNORED) or TMP_MARK in rel:
            continue
        files.append(path)
    return files


def raw_fingerprint(root) -> str:
    """Digest of every file of a workspace folder (relative names and bytes).

    Equal fingerprints mean the workspace did not change at all, so the slice hashes computed
    the last time can be reused without opening it.
    """
    root = Path(root)
    h = hashlib.sha256()
    for path in _workspace_files(root):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def report_hash(*, notebook_digest: str, parameters: Mapping[str, Any], data_digest: str,
                version: str, extra: Any = None) -> str:
    """The content hash of one report: notebook, parameters, data slice and genelab version.

    Examples
    --------
    >>> a = report_hash(notebook_digest="n", parameters={"x": 1}, data_digest="d", version="1")
    >>> b = report_hash(notebook_digest="n", parameters={"x": 2}, data_digest="d", version="1")
    >>> a != b
    True
    """
    doc = {"notebook": notebook_digest, "parameters": dict(parameters), "data": data_digest,
           "version": version, "extra": extra}
    return digest_bytes(canonical_json(doc).encode())


def frame_digest(frame) -> str:
    """Digest of a DataFrame's canonical CSV bytes (columns sorted, index dropped)."""
    frame = frame.reindex(columns=sorted(map(str, frame.columns)))
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.17g", date_format="%Y-%m-%d")
    return digest_bytes(text.encode("utf-8"))


def tables_digest(tables: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> str:
    """Digest of several named tables (DataFrames, or any JSON-able value)."""
    items = tables.items() if isinstance(tables, Mapping) else tables
    parts = {}
    for name, value in items:
        if hasattr(value, "to_csv") and hasattr(value, "columns"):
            parts[str(name)] = frame_digest(value)
        elif hasattr(value, "to_frame") and hasattr(value, "index"):  # Series
            parts[str(name)] = frame_digest(value.to_frame())
        else:
            parts[str(name)] = digest_bytes(canonical_json(value).encode())
    return digest_bytes(canonical_json(parts).encode())


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A reader (or an interrupted batch) sees the old file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TMP_MARK}", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path, text: str) -> Path:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path, value: Any) -> Path:
    """:func:`atomic_write_bytes` for a JSON document (UTF-8, indented, keys sorted)."""
    text = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False, default=str)
    return atomic_write_text(path, text + "\n")


def read_json(path, default: Any = None) -> Any:
    """A JSON file's content, or ``default`` when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def remove_stale_temps(*folders) -> int:
    """Delete temporary files left by an interrupted batch; returns how many were removed."""
    n = 0
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in folder.glob(f".*{TMP_MARK}*"):
            with contextlib.suppress(OSError):
                path.unlink()
                n += 1
    return n
