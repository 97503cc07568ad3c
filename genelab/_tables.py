"""Reading one workspace table (CSV or XLSX) into typed columns, collecting problems.

Private helpers of :mod:`genelab.workspace`.  A table is read as text, then each declared
column is converted by its ``kind`` (genelab.schema) with vectorised pandas operations; values
that do not convert, and required cells left empty, become :class:`~genelab.errors.Problem`
records naming the file, the spreadsheet row, the column, the cell as typed and what was
expected.  The column checks declared in genelab.schema (pandera built-in checks: codes, ranges,
patterns) then run vectorised on the typed columns, every failure collected the same way.
Frames keep the file's row places in their index (spreadsheet row = index + 2, blank rows
dropped); genelab.workspace resets the index once everything is checked.
"""
from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from genelab.errors import Problem
from genelab.schema import TABLE_SPECS, TEXT_DTYPE

__all__: list[str] = []

_BOOL = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False,
         "có": True, "không": False, "TRUE": True, "FALSE": False}

# Bytes typical of Vietnamese text in legacy encodings (Windows-1258 combining tones, TCVN3).
_CP1258_HINT = re.compile(rb"[\xcc\xd2\xde\xec\xf2\xc3\xe3\xd0\xf0\xd5\xf5\xdd\xfd]")


class TableText:
    """A table as read: ``frame`` (text columns as str with NaN for empty cells; columns the CSV
    reader parsed as numbers) and ``label``, the file as problems name it."""

    def __init__(self, frame: pd.DataFrame, label: str):
        self.frame = frame
        self.label = label


def rel(path: Path, root: Path) -> str:
    """``path`` relative to the workspace root, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def find_table(folder: Path, name: str) -> tuple[Path | None, list[Path]]:
    """The file holding table ``name`` in ``folder`` (``name.csv`` or ``name.xlsx``), and all found."""
    found = [folder / f"{name}{ext}" for ext in (".csv", ".xlsx") if (folder / f"{name}{ext}").is_file()]
    return (found[0] if found else None), found


def _decode(raw: bytes, label: str, problems: list[Problem]) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(label, None, None, None,
                                "the file is UTF-16 text (Excel 'Unicode Text'); save it as "
                                "'CSV UTF-8 (Comma delimited)' instead"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        vietnamese = _CP1258_HINT.search(raw) is not None
        guess = "Windows-1258 (Vietnamese)" if vietnamese else "Windows-1252/Latin-1"
        start = max(raw.rfind(b"\n", 0, exc.start) + 1, exc.start - 12)
        end = raw.find(b"\n", exc.start)
        end = min(end if end >= 0 else len(raw), exc.start + 12)
        shown = raw[start:end].decode("cp1258" if vietnamese else "cp1252", errors="replace")
        problems.append(Problem(
            label, line, None, shown,
            f"the file is not UTF-8 text (it looks like {guess}); open it in Excel or LibreOffice "
            "and save it as 'CSV UTF-8 (Comma delimited)' (encoding UTF-8)"))
        return None


def _xlsx_cell_text(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, (pd.Timestamp,)) or hasattr(value, "strftime"):
        if getattr(value, "hour", 0) or getattr(value, "minute", 0):
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# A blank next to a separator, a quote or a line end: some cell may need stripping.
_BLANK_EDGES = (b" ,", b", ", b" ;", b"; ", b" \n", b"\n ", b" \r", b'" ', b' "', b"\t")


def _strip(values: np.ndarray) -> np.ndarray:
    """Cells without surrounding blanks; empty cells become NaN (one pass, object array)."""
    out = np.empty(len(values), dtype=object)
    nan = np.nan
    for i, v in enumerate(values):
        if v.__class__ is str:
            v = v.strip()
            out[i] = v if v else nan
        else:
            out[i] = nan if v is None or v != v else v
    return out


_FLOAT = np.dtype("float64")
_DUPLICATE_HEADER = re.compile(r"^(.*)\.(\d+)$")


def _letters(n: int) -> str:
    """Spreadsheet column letters of the 1-based column ``n`` (1 -> A, 27 -> AA)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _check_header(frame: pd.DataFrame, label: str, problems: list[Problem]) -> pd.DataFrame:
    """Drop nameless empty columns (spreadsheet leftovers); report repeated and nameless headers."""
    keep = []
    for col in frame.columns:
        if col.startswith("Unnamed: ") or col == "":
            if frame[col].isna().all():
                continue
            pos = list(frame.columns).index(col) + 1
            problems.append(Problem(label, 1, None, None,
                                    f"a name for column {pos} (spreadsheet column {_letters(pos)}): it "
                                    "holds data but has no header; name it or delete it"))
        m = _DUPLICATE_HEADER.match(col)
        if m and m.group(1) in frame.columns:
            problems.append(Problem(label, 1, m.group(1), None,
                                    "each column name once: this header appears more than once"))
        keep.append(col)
    return frame[keep] if len(keep) != frame.shape[1] else frame


def read_text(path: Path, table: str, root: Path, problems: list[Problem],
              numeric: dict | None = None, text_columns: tuple = (), infer_others: bool = False
              ) -> TableText | None:
    """Read ``path`` as text columns; on failure add a problem and return None.

    Columns named in ``numeric`` are first parsed as float64 by the CSV reader itself (the
    fast path for valid files), those in ``text_columns`` as text, and the others as text too or, with
    ``infer_others``, as whatever the reader infers; if a numeric cell does not parse, the
    whole file is read again as text, so that every bad cell can be reported.
    """
    label = rel(path, root)
    needs_strip = True
    if path.suffix.lower() == ".xlsx":
        try:
            with pd.ExcelFile(path, engine="openpyxl") as book:
                sheets = book.sheet_names
                sheet = table if table in sheets else sheets[0]
                frame = pd.read_excel(book, sheet_name=sheet, dtype=object, header=0)
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            problems.append(Problem(label, None, None, None,
                                    f"cannot read the workbook ({type(exc).__name__}: {exc}); "
                                    "save it again as an Excel .xlsx workbook"))
            return None
        if sheet != table:
            label = f"{label} [sheet {sheet}]"
        frame = frame.map(_xlsx_cell_text) if len(frame) else frame
        frame.columns = [str(c).strip() for c in frame.columns]
        frame = frame.astype(object)
    else:
        raw = path.read_bytes()
        decoded = _decode(raw, label, problems)
        if decoded is None:
            return None
        needs_strip = (b" " in raw or b"\t" in raw) and (
            raw.startswith((b" ", b"\t")) or any(t in raw for t in _BLANK_EDGES))
        del decoded  # decoded only to prove it is UTF-8; the parser reads the bytes
        body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
        first = body.split(b"\n", 1)[0]
        sep = ";" if first.count(b";") > first.count(b",") else ","
        try:
            frame = None
            if numeric:
                # dtype objects, not names: pandas resolves a name through its whole registry
                known = {c: _FLOAT for c in numeric}
                known.update({c: TEXT_DTYPE for c in text_columns})
                dtypes = known if infer_others else defaultdict(lambda: TEXT_DTYPE, known)
                try:
                    frame = pd.read_csv(io.BytesIO(body), sep=sep, dtype=dtypes, keep_default_na=False,
                                        na_values=[""], skip_blank_lines=False)
                except pd.errors.ParserError:
                    raise
                except (ValueError, TypeError):
                    frame = None
            if frame is None:
                frame = pd.read_csv(io.BytesIO(body), sep=sep, dtype=TEXT_DTYPE, keep_default_na=False,
                                    na_values=[""], skip_blank_lines=False)
        except pd.errors.EmptyDataError:
            problems.append(Problem(label, None, None, None,
                                    "the file is empty; it needs a header row and at least one data row"))
            return None
        except pd.errors.ParserError as exc:
            m = re.search(r"line (\d+)", str(exc))
            problems.append(Problem(label, int(m.group(1)) if m else None, None, None,
                                    f"cannot parse the CSV ({str(exc).strip()}); check for a missing "
                                    "or extra separator or an unclosed quote"))
            return None
        frame.columns = [str(c).strip() for c in frame.columns]
    if needs_strip:
        cols = {col: (_strip(frame[col].to_numpy(dtype=object)) if frame[col].dtype.kind not in "fiu"
                      else frame[col]) for col in frame.columns}
        frame = pd.DataFrame(cols, columns=list(frame.columns))
    frame = _check_header(frame, label, problems)
    blank = frame.isna().to_numpy().all(axis=1) if frame.shape[1] else np.zeros(len(frame), bool)
    if blank.any():  # blank lines, e.g. at the end of a sheet
        frame = frame[~blank]  # the index keeps each row's place: spreadsheet row = index + 2
    return TableText(frame, label)


# ------------------------------------------------------------------------ conversion

def plain(value):
    """A cell value as the user typed it: Python scalars, whole floats as ints, NaN as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
    return value


def _add(problems, label, mask, raw, column, message):
    """One problem per True in ``mask`` (a numpy bool array aligned with ``raw``)."""
    if not mask.any():
        return
    idx = np.flatnonzero(mask)
    vals = raw.to_numpy()[idx]
    rows = raw.index.to_numpy()[idx] + 2
    problems.extend(Problem(label, int(r), column, plain(v), message) for r, v in zip(rows, vals))


def _missing(raw: pd.Series) -> np.ndarray:
    return pd.isna(raw.to_numpy())


def to_number(raw: pd.Series) -> pd.Series:
    """Text to float64; a decimal comma and a Unicode minus are accepted, other text gives NaN."""
    if raw.dtype.kind in "fiu":
        return raw.astype("float64")
    values = raw.to_numpy(dtype=object)
    num = pd.to_numeric(values, errors="coerce").astype("float64")
    retry = np.isnan(num) & ~pd.isna(values)
    if retry.any():
        fixed = [str(v).replace(",", ".").replace("\u2212", "-") for v in values[retry]]
        num[retry] = pd.to_numeric(np.array(fixed, dtype=object), errors="coerce")
    return pd.Series(num, index=raw.index)


def convert_column(raw: pd.Series, kind: str, label: str, column: str, nullable: bool,
                   problems: list[Problem], *, expected: str | None = None) -> pd.Series:
    """Convert one column to its declared kind; add a problem per bad or missing cell.

    Text comes back as pandas' "str" dtype; whole numbers as int64 when the column has no
    missing or bad cell, else Int64.  Columns the CSV reader already parsed pass through.
    """
    if kind in ("text", "code"):
        out = raw if raw.dtype == TEXT_DTYPE else raw.astype(TEXT_DTYPE)
        missing = out.isna().to_numpy()
    elif kind == "int" and raw.dtype == np.int64:
        return raw
    elif kind in ("int", "float"):
        if raw.dtype == np.float64:
            num = raw.to_numpy(copy=True)
            missing = np.isnan(num)
            bad = np.zeros(len(num), dtype=bool)
        else:
            missing = _missing(raw)
            num = np.array(to_number(raw).to_numpy(), dtype="float64")
            bad = np.isnan(num) & ~missing
        if kind == "int":
            with np.errstate(invalid="ignore"):
                frac = ~np.isnan(num) & (num != np.floor(num))
                huge = ~np.isnan(num) & ~frac & (np.abs(num) > 2.0 ** 53)
            _add(problems, label, bad, raw, column,
                 expected or "a whole number (digits only, no units or text)")
            _add(problems, label, frac, raw, column, expected or "a whole number, not a fraction")
            _add(problems, label, huge, raw, column, "a whole number below 9 007 199 254 740 992")
            frac = frac | huge
            if not (bad.any() or frac.any() or missing.any()):
                out = pd.Series(num.astype("int64"), index=raw.index)
            else:
                num[bad | frac] = np.nan
                out = pd.Series(num, index=raw.index).astype("Int64")
        else:
            _add(problems, label, bad, raw, column,
                 expected or "a number (use '.' or ',' as decimal mark, no units)")
            out = raw if raw.dtype == np.float64 else pd.Series(num, index=raw.index)
    elif kind == "date":
        missing = _missing(raw)
        out = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
        bad = out.isna().to_numpy() & ~missing
        _add(problems, label, bad, raw, column, "a date written YYYY-MM-DD (e.g. 2023-03-15)")
    elif kind == "bool":
        missing = _missing(raw)
        mapped = raw.map(lambda v: _BOOL.get(v.lower()) if isinstance(v, str) else None)
        bad = mapped.isna().to_numpy() & ~missing
        _add(problems, label, bad, raw, column, "true or false (or empty)")
        out = mapped.astype("boolean")
    else:  # pragma: no cover - schema kinds are fixed
        raise ValueError(kind)
    if not nullable:
        _add(problems, label, missing, raw, column, "a value; this cell must not be empty")
    return out


def finalize_dtype(series: pd.Series, kind: str, nullable: bool) -> pd.Series:
    """int64 for a whole-number column without missing values (Int64 otherwise)."""
    if kind == "int" and series.dtype != "int64" and not nullable and series.notna().all():
        return series.astype("int64")
    return series


def _check_mask(check, values: np.ndarray) -> np.ndarray:
    """Boolean pass/fail of one declared pandera check on ``values`` (a numpy array)."""
    st = check.statistics
    name = check.name
    if name == "isin":
        allowed = set(st["allowed_values"])
        return np.fromiter((v in allowed for v in values), bool, len(values))
    if name == "str_matches":
        pat = re.compile(st["pattern"])
        return np.fromiter((bool(pat.match(str(v))) for v in values), bool, len(values))
    with np.errstate(invalid="ignore"):
        if name == "greater_than_or_equal_to":
            return values >= st["min_value"]
        if name == "greater_than":
            return values > st["min_value"]
        if name == "less_than_or_equal_to":
            return values <= st["max_value"]
        if name == "in_range":
            lo = values >= st["min_value"] if st["include_min"] else values > st["min_value"]
            hi = values <= st["max_value"] if st["include_max"] else values < st["max_value"]
            return lo & hi
    raise ValueError(f"no vectorised form of check {name!r}")  # pragma: no cover


def run_checks(table: str, typed: dict, raw: pd.DataFrame, label: str,
               problems: list[Problem], skip: set) -> None:
    """Evaluate every declared column check of ``table`` and report each failing cell (lazily:
    all checks run, every failure is collected).

    The checks are the pandera built-in checks declared in genelab.schema, evaluated here on
    numpy arrays: numeric checks on the whole column, code and pattern checks once per
    distinct value (codes repeat a lot), failures mapped back to their rows.
    """
    index = raw.index.to_numpy()
    for name, col in TABLE_SPECS[table].columns.items():
        if name not in typed or not col.checks:
            continue
        series = typed[name]
        if series.dtype.kind in "fiu":  # numbers: check the column itself
            values = series.to_numpy(dtype="float64", na_value=np.nan)
            present = ~np.isnan(values)
            failing = [(check, np.flatnonzero(~_check_mask(check, values) & present))
                       for check in col.checks]
        else:
            codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
            if len(uniques) == 0:
                continue
            failing = []
            for check in col.checks:
                ok = _check_mask(check, uniques)
                if not ok.all():
                    failing.append((check, np.flatnonzero(~ok[codes] & (codes >= 0))))
        for check, rows in failing:
            if not len(rows):
                continue
            cells = raw[name].to_numpy()
            for i in rows:
                row = int(index[i]) + 2
                if (row, name) not in skip:
                    problems.append(Problem(label, row, name, plain(cells[i]), check.error or check.name))


def duplicates(frame: pd.DataFrame, key: list[str], label: str, problems: list[Problem]) -> None:
    """One problem per row whose key repeats an earlier row's key."""
    if not all(k in frame.columns for k in key) or frame.empty:
        return
    dup = frame.duplicated(subset=key, keep="first").to_numpy()
    if not dup.any():
        return
    first = frame.reset_index().groupby(key, dropna=False, sort=False)["index"].transform("min")
    for i in np.flatnonzero(dup):
        vals = tuple(plain(frame[k].iat[i]) for k in key)
        row = int(frame.index[i]) + 2
        shown = vals[0] if len(vals) == 1 else vals
        problems.append(Problem(
            label, row, ", ".join(key), shown,
            f"duplicate key: row {int(first.iat[i]) + 2} has the same {', '.join(key)}; "
            "each key must appear once"))


def convert_table(table: str, text: TableText, problems: list[Problem], *,
                  special: dict | None = None) -> pd.DataFrame:
    """Typed, checked frame of a declared table; unknown columns are kept as text."""
    schema = TABLE_SPECS[table]
    raw = text.frame
    label = text.label
    special = special or {}
    out = {}
    n_before = len(problems)
    for name, col in schema.columns.items():
        meta = col.metadata
        if not meta["in_file"] or name not in raw.columns:
            continue
        if name in special:
            out[name] = raw[name]
            continue
        out[name] = convert_column(raw[name], meta["kind"], label, name, col.nullable, problems)
    skip = {(p.row, p.column) for p in problems[n_before:] if p.row is not None}
    run_checks(table, out, raw, label, problems, skip)
    for c in raw.columns:
        if c not in out:
            out[c] = raw[c] if raw[c].dtype == TEXT_DTYPE else raw[c].astype(TEXT_DTYPE)
    typed = pd.DataFrame(out, index=raw.index, copy=False)
    duplicates(typed, list(schema.metadata["key"]), label, problems)
    return typed


def numeric_columns(table: str) -> dict:
    """File columns of ``table`` declared as numbers -> the dtype the CSV reader should parse.

    Whole numbers are parsed as float64 too (exact below 2**53) and cast once checked, so a
    value such as ``1e99`` is reported instead of wrapping around.
    """
    out = {}
    for name, col in TABLE_SPECS[table].columns.items():
        kind = col.metadata["kind"]
        if not col.metadata["in_file"] or kind not in ("int", "float"):
            continue
        if table == "observations" and name == "value":
            continue
        out[name] = "float64"  # whole numbers are checked and cast after parsing
    return out


def missing_columns(table: str, text: TableText, problems: list[Problem]) -> list[str]:
    """Required columns absent from the file (one problem each)."""
    schema = TABLE_SPECS[table]
    missing = [name for name, col in schema.columns.items()
               if col.metadata["in_file"] and col.required and name not in text.frame.columns]
    for name in missing:
        problems.append(Problem(text.label, None, name, None,
                                f"missing column '{name}' ({schema.columns[name].description}); "
                                "add it to the header row"))
    return missing


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the declared columns and dtypes of ``table``."""
    cols = {}
    for name, col in TABLE_SPECS[table].columns.items():
        cols[name] = pd.Series([], dtype=col.dtype)
    return pd.DataFrame(cols)
