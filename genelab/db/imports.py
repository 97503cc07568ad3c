"""Importing a workspace or another genebank's MCPD file into the database."""
from __future__ import annotations

from pathlib import Path

from genelab.db import schema as S
from genelab.db.mcpd import read_mcpd
from genelab.db.passport import workspace_batches
from genelab.db.store import Database, ImportResult, Rows, open_database, write_batches

__all__ = ["import_workspace", "import_mcpd"]


def _database(db, workspace=None) -> tuple[Database, bool]:
    if isinstance(db, Database):
        return db, False
    return open_database(db, workspace=workspace), True


def _open_ws(workspace):
    if isinstance(workspace, (str, Path)):
        from genelab.workspace import open_workspace

        return open_workspace(workspace)
    return workspace


def import_workspace(workspace, db=None, *, who: str | None = None) -> ImportResult:
    """Import a validated workspace: all or nothing, idempotent, audited.

    Parameters
    ----------
    workspace : Workspace or path
        A workspace object (from :func:`genelab.open_workspace`) or its folder, which is
        opened and validated first.
    db : Database, URL or file name, optional
        Default: ``genelab.db`` inside the workspace folder.
    who : str, optional
        Recorded in the audit table (default: the user name of the process).

    Returns
    -------
    ImportResult
        ``table`` with, per database table, records ``inserted``, ``updated``, ``unchanged``.
        Importing the same workspace twice inserts and updates nothing and writes no audit row.

    Raises
    ------
    ValidationError
        A bad value or unknown gene source, with file, row and column; nothing is written.

    Examples
    --------
    >>> import pandas as pd
    >>> ws = {"config": {"province": "Lạng Sơn"}, "sources": pd.DataFrame({
    ...     "source_id": ["HOI-001"], "name_vi": ["Hồi"], "scientific_name": ["Illicium verum Hook.f."],
    ...     "sampstat": [300], "collected_on": ["2022-05-14"]})}
    >>> db = open_database("sqlite://")
    >>> import_workspace(ws, db, who="doctest").table.loc[0, "inserted"]
    np.int64(1)
    >>> import_workspace(ws, db, who="doctest").changed
    False
    """
    ws = _open_ws(workspace)
    batches = workspace_batches(ws)
    database, own = _database(db, workspace=ws if db is None else None)
    try:
        return write_batches(database, batches, who=who)
    finally:
        if own:
            database.close()


def import_mcpd(path, db, *, who: str | None = None) -> ImportResult:
    """Import passport data from an MCPD v2.1 CSV (e.g. from another genebank).

    Codes, dates and coordinates are validated first (ValidationError naming file, row,
    column and value); records are upserted by (INSTCODE, ACCENUMB), only MCPD columns
    are written, and every change is audited.  Columns that are not MCPD v2.1 fields are
    reported in ``ignored_columns``.
    """
    records, lines, ignored = read_mcpd(path)
    present = {k for r in records for k in r} or {"instcode", "accenumb"}
    columns = tuple(c.name for c in S.accession.columns if c.name in present)
    batch = Rows.from_records("accession", records, Path(path).name, lines, columns=columns)
    database, own = _database(db)
    try:
        return write_batches(database, [batch], who=who, ignored_columns=tuple(ignored))
    finally:
        if own:
            database.close()
