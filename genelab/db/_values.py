"""Small value conversions shared by the database modules (private)."""
from __future__ import annotations

import datetime as _dt
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from genelab.errors import Problem


def is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)) and math.isnan(v):
        return True
    if isinstance(v, str) and v.strip() == "":
        return True
    return False


def to_text(v: Any) -> str | None:
    if is_missing(v):
        return None
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def to_float(v: Any) -> float | None:
    if is_missing(v):
        return None
    return float(v)


def to_int(v: Any) -> int | None:
    if is_missing(v):
        return None
    f = float(v)
    if not f.is_integer():
        raise ValueError(f"{v!r} is not a whole number")
    return int(f)


def to_bool(v: Any) -> bool | None:
    if is_missing(v):
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    s = str(v).strip().lower()
    if s in ("true", "1", "yes", "t", "y"):
        return True
    if s in ("false", "0", "no", "f", "n"):
        return False
    raise ValueError(f"{v!r} is not true/false")


def to_date(v: Any) -> _dt.date | None:
    if is_missing(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    return _dt.date.fromisoformat(str(v).strip()[:10])


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def to_partial_iso(v: Any) -> str | None:
    """A date that may be known only to the year or month, as ISO text (YYYY, YYYY-MM, YYYY-MM-DD)."""
    if is_missing(v):
        return None
    if isinstance(v, (pd.Timestamp, _dt.date)):
        return to_date(v).isoformat()
    s = str(v).strip()
    if " " in s or "T" in s:
        s = s.split("T")[0].split(" ")[0]
    m = _PARTIAL.match(s)
    if not m:
        raise ValueError(f"{v!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = m.groups()
    if d:
        _dt.date(int(y), int(mo), int(d))
    elif mo and not 1 <= int(mo) <= 12:
        raise ValueError(f"{v!r}: month must be 01–12")
    return s


CONVERT = {
    "str": to_text,
    "float": to_float,
    "int": to_int,
    "bool": to_bool,
    "date": to_date,
    "partial": to_partial_iso,
}


def records(data: pd.DataFrame | None, spec: dict[str, tuple[str, str]], file: str,
            problems: list[Problem]) -> tuple[list[dict], list[int]]:
    """Convert a workspace table into DB records.

    ``spec`` maps DB column -> (workspace column, kind).  Missing workspace columns give
    ``None``.  Conversion failures become problems naming file, row and column.
    """
    if data is None or len(data) == 0:
        return [], []
    n = len(data)
    columns = {}
    for dbcol, (wscol, kind) in spec.items():
        conv = CONVERT[kind]
        if wscol not in data.columns:
            columns[dbcol] = [None] * n
            continue
        raw = data[wscol].tolist()
        out = []
        for i, v in enumerate(raw):
            try:
                out.append(conv(v))
            except (TypeError, ValueError) as exc:
                problems.append(Problem(file, i + 2, wscol, v, str(exc)))
                out.append(None)
        columns[dbcol] = out
    names = list(columns)
    rows = [dict(zip(names, vals)) for vals in zip(*columns.values())]
    return rows, list(range(2, n + 2))


def atomic_write_text(path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
