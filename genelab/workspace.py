"""Reading and validating a workspace folder (filled in by the foundation issue)."""
from __future__ import annotations

__all__ = ["open_workspace", "add_commands"]


def open_workspace(path):  # pragma: no cover - replaced by the foundation work
    raise NotImplementedError


def add_commands(sub) -> None:
    """Add ``genelab validate``."""
