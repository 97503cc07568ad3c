"""Errors genelab raises.

Every error a user can cause is a :class:`GenelabError` subclass whose message says what
to fix.  Table problems are collected into one :class:`ValidationError` that lists each
:class:`Problem` with the file, the row as a spreadsheet user counts it, the column, the
bad value and what was expected.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

__all__ = [
    "GenelabError",
    "ValidationError",
    "Problem",
    "DesignError",
    "FitError",
    "ConfigError",
    "DatabaseError",
    "ReportError",
    "MAX_PROBLEMS",
]

#: At most this many problems are listed in a ValidationError message; the rest are counted.
MAX_PROBLEMS = 50


class GenelabError(Exception):
    """Base class of every error genelab raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a table.

    ``row`` is the row number as a spreadsheet shows it (the header is row 1, so the first
    data row is row 2); ``None`` when the problem concerns the whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        shown = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{shown} — {self.message}"


class ValidationError(GenelabError, ValueError):
    """Bad input data: one error listing every problem found (capped at ``MAX_PROBLEMS``)."""

    def __init__(self, problems: Iterable[Problem], *, total: int | None = None):
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        super().__init__(self._message())

    def _message(self) -> str:
        shown = self.problems[:MAX_PROBLEMS]
        n = self.total
        lines = [f"{n} problem{'s' if n != 1 else ''} found in the input data:"]
        lines += [f"  - {p}" for p in shown]
        rest = n - len(shown)
        if rest > 0:
            lines.append(f"  … and {rest} more problem{'s' if rest != 1 else ''} not listed.")
        return "\n".join(lines)


class DesignError(GenelabError, ValueError):
    """An analysis cannot be run on these data (design columns, levels, replication …)."""


class FitError(GenelabError, RuntimeError):
    """A model fit failed or did not converge."""


class ConfigError(GenelabError, ValueError):
    """genelab.toml or a function argument is not usable."""


class DatabaseError(GenelabError, RuntimeError):
    """The gene-source database refused an operation or has the wrong schema version."""


class ReportError(GenelabError, RuntimeError):
    """A report could not be built."""
