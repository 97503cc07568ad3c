"""``genelab db …`` commands: import, export, import-mcpd."""
from __future__ import annotations

import sys

__all__ = ["add_commands"]


def _import(args) -> int:
    from genelab.db.imports import import_workspace
    from genelab.db.store import open_database
    from genelab.workspace import open_workspace

    ws = open_workspace(args.workspace)
    with open_database(args.db, workspace=args.workspace) as db:
        result = import_workspace(ws, db, who=args.who)
    _report(result)
    return 0


def _import_mcpd(args) -> int:
    from genelab.db.imports import import_mcpd
    from genelab.db.store import open_database

    with open_database(_db(args)) as db:
        result = import_mcpd(args.file, db, who=args.who)
    _report(result)
    if result.ignored_columns:
        print("ignored (not MCPD v2.1) columns: " + ", ".join(result.ignored_columns))
    return 0


def _export(args) -> int:
    from genelab.db.export import export
    from genelab.db.store import open_database

    with open_database(_db(args), create=False) as db:
        text = export(db, args.format, args.out)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _db(args):
    """--db, else genelab.db in --workspace, else ./genelab.db."""
    from pathlib import Path

    from genelab.db.store import DEFAULT_FILENAME

    if args.db:
        return args.db
    return str(Path(args.workspace or ".") / DEFAULT_FILENAME)


def _report(result) -> None:
    for row in result.table.itertuples(index=False):
        print(f"{row.table:18s} inserted {row.inserted:7d}  updated {row.updated:7d}  "
              f"unchanged {row.unchanged:7d}")
    print(f"audit rows written: {result.audit_rows}")


def add_commands(sub) -> None:
    """Add the ``db`` command group."""
    p = sub.add_parser("db", help="gene-source database: import, export (MCPD, Darwin Core)")
    dsub = p.add_subparsers(dest="db_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    imp = dsub.add_parser("import", help="import a validated workspace (all or nothing, audited)")
    imp.add_argument("workspace", help="workspace folder")
    imp.add_argument("--db", help="database URL or SQLite file (default: WORKSPACE/genelab.db)")
    imp.add_argument("--who", help="name recorded in the audit table (default: your user name)")
    imp.set_defaults(func=_import)

    exp = dsub.add_parser("export", help="export passport data")
    exp.add_argument("--format", choices=("mcpd", "dwc", "csv"), default="mcpd",
                     help="mcpd: MCPD v2.1 CSV; dwc: Darwin Core occurrences for GBIF; "
                          "csv: the passport table with PDCI")
    exp.add_argument("--out", help="output file (written atomically; default: standard output)")
    exp.add_argument("--db", help="database URL or SQLite file (default: genelab.db in --workspace or here)")
    exp.add_argument("--workspace", help="workspace folder whose genelab.db is used")
    exp.set_defaults(func=_export)

    imc = dsub.add_parser("import-mcpd", help="import an MCPD v2.1 CSV from another genebank")
    imc.add_argument("file", help="MCPD CSV file (UTF-8)")
    imc.add_argument("--db", help="database URL or SQLite file (default: genelab.db in --workspace or here)")
    imc.add_argument("--workspace", help="workspace folder whose genelab.db is used")
    imc.add_argument("--who", help="name recorded in the audit table")
    imc.set_defaults(func=_import_mcpd)
