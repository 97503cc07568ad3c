"""The ``genelab`` command.

Each command group lives beside the code it drives; a module listed in ``_COMMAND_MODULES``
provides ``add_commands(subparsers)`` that adds its sub-commands, each with a ``func``
default taking the parsed arguments and returning the exit status.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from genelab import __version__
from genelab.errors import GenelabError

__all__ = ["main", "build_parser"]

_COMMAND_MODULES = (
    "genelab.workspace",  # validate
    "genelab.db.cli",  # db import / export / import-mcpd
    "genelab.reports.cli",  # reports, report
)


# Command -> the module that adds it: running one command imports only its module (a no-op
# `genelab reports` must not pay for pandera or SQLAlchemy).  Unlisted commands load all.
_COMMAND_OWNERS = {
    "validate": "genelab.workspace",
    "db": "genelab.db.cli",
    "reports": "genelab.reports.cli",
    "report": "genelab.reports.cli",
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genelab",
        description="Workbench of the Lạng Sơn gene-source programme.",
    )
    parser.add_argument("--version", action="version", version=f"genelab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    first = next((a for a in (argv or []) if not a.startswith("-")), None)
    modules = (_COMMAND_OWNERS[first],) if first in _COMMAND_OWNERS else _COMMAND_MODULES
    for name in modules:
        importlib.import_module(name).add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except GenelabError as exc:
        print(f"genelab: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("genelab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
