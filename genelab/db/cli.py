"""``genelab db …`` commands (filled in by the database issue)."""
from __future__ import annotations

__all__ = ["add_commands"]


def add_commands(sub) -> None:
    """Add the ``db`` command group (none yet)."""
