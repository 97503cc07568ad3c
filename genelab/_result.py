"""The common behaviour of genelab's result objects.

A result is a small frozen dataclass with a main tidy ``table``.  :class:`Result` gives it
``to_frame()``, a JSON-safe ``to_dict()`` (for report summaries) and an HTML view for
Jupyter.  Subclasses list extra fields; ``to_dict`` converts them with :func:`json_safe`.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Result", "json_safe"]


def json_safe(value: Any) -> Any:
    """Convert numpy/pandas values to plain JSON types (NaN and ±Inf become ``None``).

    Examples
    --------
    >>> json_safe({"a": np.float64(1.5), "b": float("nan"), "c": [np.int64(2)]})
    {'a': 1.5, 'b': None, 'c': [2]}
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if not isinstance(value.index, pd.RangeIndex) else value
        return [json_safe(r) for r in frame.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_safe(v) for v in value]
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class Result:
    """Mixin for frozen dataclass results that have a ``table`` field."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The main table as a new DataFrame."""
        return self.table.copy()

    def to_dict(self) -> dict:
        """Every field as JSON-safe values (tables become lists of records)."""
        return {f.name: json_safe(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def _repr_html_(self) -> str:
        title = type(self).__name__
        return f"<div><strong>{title}</strong>{self.table._repr_html_()}</div>"
