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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genelab",
        description="Workbench of the Lạng Sơn gene-source programme.",
    )
    parser.add_argument("--version", action="version", version=f"genelab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
