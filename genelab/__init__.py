"""genelab — research workbench for the Lạng Sơn gene-source conservation programme.

Importing ``genelab`` is cheap: submodules (``genelab.trials``, ``genelab.germination`` …)
load on first use.

Examples
--------
>>> import genelab
>>> ws = genelab.open_workspace(genelab.demo_path())
>>> len(ws.sources)
65
"""
from __future__ import annotations

import importlib
from pathlib import Path

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "open_workspace",
    "demo_path",
    "errors",
    "schema",
    "workspace",
    "traits",
    "trials",
    "germination",
    "doseresponse",
    "growth",
    "scoring",
    "economics",
    "protocols",
    "viability",
    "db",
    "plots",
    "i18n",
    "reports",
    "teaching",
    "explorer",
]

_SUBMODULES = set(__all__) - {"__version__", "open_workspace", "demo_path"}


def demo_path() -> Path:
    """The embedded demo workspace (``data/demo`` of the repository).

    Examples
    --------
    >>> demo_path().name
    'demo'
    """
    return Path(__file__).resolve().parent.parent / "data" / "demo"


def open_workspace(path, **kwargs):
    """Read and validate a workspace folder; see :func:`genelab.workspace.open_workspace`."""
    from genelab.workspace import open_workspace as _open

    return _open(path, **kwargs)


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"genelab.{name}")
    raise AttributeError(f"module 'genelab' has no attribute {name!r}")
