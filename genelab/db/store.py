"""Opening the database, and transactional, idempotent, audited upserts.

SQLite (a file, by default ``genelab.db`` in the workspace) and PostgreSQL (a URL such as
``postgresql+psycopg://user:pw@127.0.0.1:5432/genelab``) run the same code.

Safety
------
* Every write runs in one transaction: any bad row rolls the whole import back, so the
  database is left exactly as it was.  Rows are checked before anything is written, and
  the error names the file, row and column.
* Writers are serialised: SQLite writes start with ``BEGIN IMMEDIATE`` in WAL mode with a
  60 s busy timeout (readers never block); PostgreSQL writes take a transaction-level
  advisory lock.  Two imports at once therefore run one after the other; the second finds
  nothing left to change.
* All SQL is built by SQLAlchemy Core with bound parameters — no text is ever spliced
  into SQL.
* The schema version is stored in the ``meta`` table and checked on every open.
"""
from __future__ import annotations

import datetime as _dt
import getpass
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event

from genelab._result import Result
from genelab.errors import DatabaseError, Problem, ValidationError
from genelab.db import schema as S

__all__ = ["Database", "open_database", "ImportResult", "Rows", "write_batches", "DEFAULT_FILENAME"]

#: File name of the embedded SQLite database inside a workspace.
DEFAULT_FILENAME = "genelab.db"

_PG_LOCK_KEY = 7_014_2021  # advisory-lock key of genelab writers


def _resolve_url(db, workspace) -> str:
    if db is None:
        if workspace is None:
            raise DatabaseError(
                "no database given: pass a URL or file name (--db), or a workspace folder "
                f"whose {DEFAULT_FILENAME} is used"
            )
        root = Path(getattr(workspace, "path", None) or getattr(workspace, "root", None) or workspace)
        return f"sqlite:///{root / DEFAULT_FILENAME}"
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text)}"


def _make_engine(url: str) -> sa.Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url!r} ({exc})") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(parsed, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # pragma: no cover - trivial
            dbapi_connection.isolation_level = None  # transactions are begun below
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MB page cache: big imports build indexes faster
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover - trivial
            write = conn.get_execution_options().get("genelab_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    elif backend == "postgresql":
        engine = sa.create_engine(parsed, pool_pre_ping=True)
    else:
        raise DatabaseError(f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://")
    return engine


class Database:
    """An open gene-source database (use :func:`open_database`).

    Attributes
    ----------
    url : str
        The database URL (password hidden in ``repr``).
    engine : sqlalchemy.Engine
    """

    def __init__(self, url: str, *, create: bool = True):
        self.url = url
        parsed = sa.engine.make_url(url) if "://" in url else None
        if (not create and parsed is not None and parsed.get_backend_name() == "sqlite"
                and parsed.database not in (None, "", ":memory:")
                and not Path(parsed.database).exists()):
            raise DatabaseError(f"{parsed.database} is not a genelab database (no such file)")
        self.engine = _make_engine(url)
        self.backend = self.engine.dialect.name
        try:
            self._check_schema(create)
        except sa.exc.OperationalError as exc:
            self.engine.dispose()
            raise DatabaseError(f"cannot open the database {self._safe_url()}: {exc.orig}") from None
        except BaseException:
            self.engine.dispose()
            raise

    def _safe_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Database({self._safe_url()!r})"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    # -- transactions --------------------------------------------------------------------
    def write(self):
        """A context manager giving a connection inside one serialised write transaction."""
        return _WriteTransaction(self)

    def _check_schema(self, create: bool) -> None:
        with self.write() as conn:
            insp = sa.inspect(conn)
            if not insp.has_table("meta"):
                others = [t for t in insp.get_table_names() if t in S.TABLES]
                if others:
                    raise DatabaseError(
                        f"{self._safe_url()} has genelab tables ({', '.join(others)}) but no "
                        "schema version: it was not made by genelab or is damaged"
                    )
                if not create:
                    raise DatabaseError(f"{self._safe_url()} is not a genelab database")
                S.metadata.create_all(conn)
                conn.execute(S.meta.insert(), [{"key": "schema_version", "value": str(S.SCHEMA_VERSION)}])
                return
            row = conn.execute(
                sa.select(S.meta.c.value).where(S.meta.c.key == "schema_version")
            ).first()
            version = None if row is None else row[0]
            if version != str(S.SCHEMA_VERSION):
                raise DatabaseError(
                    f"{self._safe_url()} has schema version {version}, this genelab expects "
                    f"{S.SCHEMA_VERSION}: export it with the genelab that made it and import "
                    "into a new database"
                )

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(
                sa.select(S.meta.c.value).where(S.meta.c.key == "schema_version")
            ).scalar_one())

    # -- reading -------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """One table as a DataFrame (sorted by its key)."""
        if name not in S.TABLES:
            raise DatabaseError(f"no table named {name!r}; tables: {', '.join(sorted(S.TABLES))}")
        t = S.TABLES[name]
        order = list(t.primary_key.columns)
        with self.engine.connect() as conn:
            result = conn.execute(sa.select(t).order_by(*order))
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    def counts(self) -> dict[str, int]:
        """Number of rows in each table."""
        with self.engine.connect() as conn:
            return {
                name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for name, t in S.TABLES.items()
            }


class _WriteTransaction:
    def __init__(self, db: Database):
        self.db = db

    def __enter__(self) -> sa.Connection:
        self.conn = self.db.engine.connect().execution_options(genelab_write=True)
        self.tx = self.conn.begin()
        if self.db.backend == "postgresql":
            self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            self.conn.close()
        return False


def open_database(db=None, *, workspace=None, create: bool = True) -> Database:
    """Open (and on first use create) a gene-source database.

    Parameters
    ----------
    db : str or path, optional
        A SQLAlchemy URL (``sqlite:///file.db``, ``postgresql+psycopg://…``) or a file name
        (SQLite).  Default: ``genelab.db`` inside ``workspace``.
    workspace : Workspace or path, optional
        Used for the default file location.
    create : bool
        Create the tables in an empty database (default); otherwise refuse it.

    Raises
    ------
    DatabaseError
        The database cannot be reached, or has another schema version.

    Examples
    --------
    >>> db = open_database("sqlite://")   # in memory
    >>> db.schema_version
    1
    >>> db.counts()["accession"]
    0
    """
    return Database(_resolve_url(db, workspace), create=create)


@dataclass(frozen=True)
class ImportResult(Result):
    """What an import changed: per table, records inserted, updated and unchanged.

    ``table`` columns: ``table, inserted, updated, unchanged``.
    """

    table: pd.DataFrame
    audit_rows: int = 0
    who: str = ""
    ignored_columns: tuple = field(default_factory=tuple)

    @property
    def changed(self) -> bool:
        return bool((self.table["inserted"] + self.table["updated"]).sum())


# ---------------------------------------------------------------------------------------
# upsert machinery


def _who(who: str | None) -> str:
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in the environment
        return os.environ.get("USER", "unknown")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        try:
            return float(a) == float(b) or (math.isnan(float(a)) and math.isnan(float(b)))
        except (TypeError, ValueError):
            return False
    return a == b


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return str(v)


@dataclass
class Rows:
    """Records destined for one table, held by column (``data``: column -> list of values),
    with the spreadsheet row of each record (header = 1) for error messages.

    Only the columns in ``data`` are written (an MCPD import leaves the programme's own
    columns alone); on insert the others are NULL.
    """

    table: str
    data: dict
    file: str
    line: list

    @classmethod
    def from_records(cls, table: str, records: list[dict], file: str, line: list,
                     columns: tuple | None = None) -> "Rows":
        t = S.TABLES[table]
        if columns is None:
            present = set().union(*records) if records else set()
            columns = tuple(c.name for c in t.columns if c.name in present)
        return cls(table, {c: [r.get(c) for r in records] for c in columns}, file, list(line))

    def __len__(self) -> int:
        return len(self.line)

    @property
    def rows(self) -> list[dict]:
        names = list(self.data)
        return [dict(zip(names, vals)) for vals in zip(*self.data.values())]

    def column(self, name: str) -> list:
        return self.data.get(name, [None] * len(self))


def _check_keys(batch: Rows) -> list[Problem]:
    t = S.TABLES[batch.table]
    pk = [c.name for c in t.primary_key.columns]
    problems, seen = [], {}
    keys = list(zip(*[batch.column(k) for k in pk]))
    for key, line in zip(keys, batch.line):
        if key in seen:
            problems.append(Problem(
                batch.file, line, ",".join(pk), "|".join(map(str, key)),
                f"duplicate key (also on row {seen[key]})",
            ))
            continue
        seen[key] = line
        if None in key:
            missing = pk[key.index(None)]
            problems.append(Problem(batch.file, line, missing, None, "a key value is missing"))
    return problems


def _check_sources(conn, batches: list[Rows]) -> list[Problem]:
    """Every source_id a child table refers to must exist (in the batch or the database)."""
    known = set()
    for b in batches:
        if b.table == "accession":
            known |= {v for v in b.column("source_id") if v}
    known |= {r[0] for r in conn.execute(
        sa.select(S.accession.c.source_id).where(S.accession.c.source_id.is_not(None)))}
    problems = []
    for b in batches:
        if b.table == "accession" or "source_id" not in S.TABLES[b.table].c:
            continue
        ids = b.column("source_id")
        unknown = set(ids) - known
        if not unknown:
            continue
        for sid, line in zip(ids, b.line):
            if sid is None:
                problems.append(Problem(b.file, line, "source_id", None, "a gene source is required"))
            elif sid in unknown:
                problems.append(Problem(b.file, line, "source_id", sid,
                                        "no gene source with this source_id in sources"))
    return problems


def _placeholder(conn) -> str:
    style = conn.dialect.paramstyle
    if style == "qmark":
        return "?"
    if style in ("format", "pyformat"):
        return "%s"
    raise DatabaseError(f"unsupported DB-API parameter style {style!r}")  # pragma: no cover


def _executemany_insert(conn, table: sa.Table, cols: list[str], tuples: list[tuple]) -> None:
    """Parameterised INSERT through the driver's executemany (skips per-row SQLAlchemy work).

    Column and table names come from the schema, never from data; values are bound.
    """
    if not tuples:
        return
    q = conn.dialect.identifier_preparer.quote
    mark = _placeholder(conn)
    sql = (f"INSERT INTO {q(table.name)} ({', '.join(q(c) for c in cols)}) "
           f"VALUES ({', '.join([mark] * len(cols))})")
    if conn.dialect.name == "sqlite":  # store dates as SQLAlchemy's SQLite Date type does
        dated = [i for i, c in enumerate(cols) if isinstance(table.c[c].type, sa.Date)]
        if dated:
            tuples = [tuple(v.isoformat() if i in dated and v is not None else v
                            for i, v in enumerate(row)) for row in tuples]
    for start in range(0, len(tuples), 50_000):
        conn.exec_driver_sql(sql, tuples[start:start + 50_000])


def _fetch(conn, stmt) -> list[tuple]:
    """Rows of a SELECT as plain tuples of Python values.

    Where the driver already returns the Python types (PostgreSQL; SQLite tables without
    dates or booleans) the rows are fetched through the driver cursor, skipping
    SQLAlchemy's per-row processing — the re-import of a large table is mostly this.
    """
    needs_processing = conn.dialect.name == "sqlite" and any(
        isinstance(c.type, (sa.Date, sa.DateTime, sa.Boolean)) for c in stmt.selected_columns)
    if needs_processing:
        return [tuple(r) for r in conn.execute(stmt)]
    compiled = stmt.compile(dialect=conn.dialect)
    cursor = conn.connection.cursor()  # the DB-API cursor, inside this transaction
    try:
        cursor.execute(str(compiled), ())  # no parameters: the statement has no values
        return cursor.fetchall()
    finally:
        cursor.close()


_AUDIT_COLS = ["at", "who", "table_name", "record_key", "action", "column_name", "old_value", "new_value"]


def _upsert(conn, batch: Rows, who: str, at: str) -> tuple[int, int, int, int]:
    """Insert new records, update changed ones; return (inserted, updated, unchanged, audits)."""
    t = S.TABLES[batch.table]
    pk = [c.name for c in t.primary_key.columns]
    cols = [c.name for c in t.columns if c.name in batch.data]
    data_cols = [c for c in cols if c not in pk]
    existing = {}
    npk = len(pk)
    for row in _fetch(conn, sa.select(*[t.c[c] for c in pk + data_cols])):
        existing[row[:npk]] = row[npk:]
    keys = list(zip(*[batch.column(k) for k in pk]))
    values = list(zip(*[batch.column(c) for c in data_cols])) if data_cols else [()] * len(keys)
    inserts, updates, audits = [], [], []
    unchanged = 0
    tname = str(t.name)  # a plain str: the driver adapts it without attribute look-ups
    for key, vals in zip(keys, values):
        old = existing.get(key)
        if old is None:
            inserts.append(key + vals)
            audits.append((at, who, tname, "|".join(map(str, key)), "insert", None, None, None))
            continue
        if old == vals:
            unchanged += 1
            continue
        changed = False
        skey = "|".join(map(str, key))
        for c, ov, nv in zip(data_cols, old, vals):
            if not _same(ov, nv):
                changed = True
                audits.append((at, who, tname, skey, "update", c, _text(ov), _text(nv)))
        if changed:
            params = {f"k_{k}": v for k, v in zip(pk, key)}
            params.update({f"v_{c}": v for c, v in zip(data_cols, vals)})
            updates.append(params)
        else:
            unchanged += 1
    _executemany_insert(conn, t, pk + data_cols, inserts)
    if updates and data_cols:
        stmt = (
            t.update()
            .where(sa.and_(*[t.c[k] == sa.bindparam(f"k_{k}") for k in pk]))
            .values({c: sa.bindparam(f"v_{c}") for c in data_cols})
        )
        conn.execute(stmt, updates)
    _executemany_insert(conn, S.audit, _AUDIT_COLS, audits)
    return len(inserts), len(updates), unchanged, len(audits)


def write_batches(db: Database, batches: Iterable[Rows], *, who: str | None = None,
                  ignored_columns: tuple = ()) -> ImportResult:
    """Validate then upsert several tables in one transaction (all or nothing)."""
    batches = sorted(batches, key=lambda b: S.DATA_TABLES.index(b.table))
    problems: list[Problem] = []
    for b in batches:
        problems += _check_keys(b)
    who_ = _who(who)
    at = _now()
    out = []
    audit_rows = 0
    try:
        with db.write() as conn:
            problems += _check_sources(conn, batches)
            if problems:
                raise ValidationError(problems[:200], total=len(problems))
            for b in batches:
                ins, upd, same, aud = _upsert(conn, b, who_, at)
                audit_rows += aud
                out.append({"table": b.table, "inserted": ins, "updated": upd, "unchanged": same})
    except sa.exc.IntegrityError as exc:
        raise DatabaseError(
            f"the database refused the import (nothing was written): {exc.orig}"
        ) from None
    except sa.exc.DBAPIError as exc:
        raise DatabaseError(f"database error (nothing was written): {exc.orig}") from None
    table = pd.DataFrame(out, columns=["table", "inserted", "updated", "unchanged"])
    return ImportResult(table=table, audit_rows=audit_rows, who=who_,
                        ignored_columns=tuple(ignored_columns))
