"""``genelab reports`` and ``genelab report`` (filled in by the reports issue)."""
from __future__ import annotations

__all__ = ["add_commands"]


def add_commands(sub) -> None:
    """Add the report commands (none yet)."""
