"""Propagation- and field-trial statistics.

Public names are re-exported here from the modules by statistical family.
"""
from __future__ import annotations

__all__: list[str] = []
