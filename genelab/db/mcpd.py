"""FAO/Bioversity Multi-Crop Passport Descriptors v2.1 (Alercia et al. 2015): export and import.

An export is a UTF-8 CSV with the standard's field names as header (in the standard's
order), one accession per row sorted by INSTCODE and ACCENUMB, ``;`` between the values
of multi-value fields (ACCENAME, STORAGE, OTHERNUMB …), dates as ``YYYYMMDD`` with
``--`` for an unknown month or day, decimal coordinates in DECLATITUDE/DECLONGITUDE
(degrees, up to 6 decimals) and degrees-minutes-seconds in LATITUDE (``DDMMSSH``) and
LONGITUDE (``DDDMMSSH``).

INSTCODE: the programme's FAO WIEWS institute code is set in genelab.toml
(``instcode = "VNM…"``).  Until it is, :data:`DEFAULT_INSTCODE` (``VNM049``) is used — a
placeholder with the form of a Vietnamese WIEWS code, not a verified assignment; set the
real code before sending files to the genebank network.

Import (:func:`read_mcpd`) validates codes (SAMPSTAT, COLLSRC, STORAGE, MLSSTAT,
ORIGCTY, institute codes), dates and coordinates and raises one ValidationError naming
file, row, column and value of every problem.  Exporting, importing the file into an empty
database and exporting again gives a byte-identical file.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from genelab import schema as _schema
from genelab.errors import Problem, ValidationError
from genelab.db import schema as S
from genelab.db._values import atomic_write_text, is_missing

__all__ = [
    "DEFAULT_INSTCODE",
    "SAMPSTAT_CODES",
    "COLLSRC_CODES",
    "STORAGE_CODES",
    "mcpd_date",
    "dms",
    "format_value",
    "mcpd_frame",
    "mcpd_text",
    "read_mcpd",
]

#: Placeholder institute code (see the module docstring); set ``instcode`` in genelab.toml.
DEFAULT_INSTCODE = "VNM049"

#: MCPD v2.1 biological status of accession (the workspace schema's code list).
SAMPSTAT_CODES = _schema.SAMPSTAT

#: MCPD v2.1 collecting/acquisition source.
COLLSRC_CODES = {
    10: "Wild habitat", 11: "Forest or woodland", 12: "Shrubland", 13: "Grassland",
    14: "Desert or tundra", 15: "Aquatic habitat", 20: "Farm or cultivated habitat",
    21: "Field", 22: "Orchard", 23: "Backyard, kitchen or home garden", 24: "Fallow land",
    25: "Pasture", 26: "Farm store", 27: "Threshing floor", 28: "Park",
    30: "Market or shop", 40: "Institute, experimental station, research organization, genebank",
    50: "Seed company", 60: "Weedy, disturbed or ruderal habitat", 61: "Roadside",
    62: "Field margin", 99: "Other",
}

#: MCPD v2.1 type of germplasm storage (the workspace schema's code list).
STORAGE_CODES = _schema.STORAGE

_INSTCODE = re.compile(r"^[A-Z]{3}\d{3,4}$")
_ORIGCTY = re.compile(r"^[A-Z]{3}$")
_MCPD_DATE = re.compile(r"^(\d{4})(\d{2}|--)(\d{2}|--)$")
_DMS_LAT = re.compile(r"^(\d{2}|--)(\d{2}|--)(\d{2}|--)([NS])$")
_DMS_LON = re.compile(r"^(\d{3}|---)(\d{2}|--)(\d{2}|--)([EW])$")
_INST_FIELDS = ("COLLCODE", "BREDCODE", "DONORCODE", "DUPLSITE")


def mcpd_date(value) -> str | None:
    """A (possibly partial) date as MCPD ``YYYYMMDD`` with ``--`` for unknown parts.

    Examples
    --------
    >>> mcpd_date("2022-05-14"), mcpd_date("2022-05"), mcpd_date("2022"), mcpd_date(None)
    ('20220514', '202205--', '2022----', None)
    """
    if is_missing(value):
        return None
    if isinstance(value, (pd.Timestamp, _dt.date)):
        return value.strftime("%Y%m%d")
    s = str(value).strip()
    if _MCPD_DATE.match(s):
        return s
    parts = s.split("T")[0].split(" ")[0].split("-")
    y = parts[0]
    m = parts[1] if len(parts) > 1 else "--"
    d = parts[2] if len(parts) > 2 else "--"
    return f"{y}{m}{d}"


def dms(value, *, latitude: bool) -> str | None:
    """Decimal degrees as MCPD degrees-minutes-seconds (``DDMMSSH`` / ``DDDMMSSH``).

    Examples
    --------
    >>> dms(21.8537, latitude=True), dms(106.7612, latitude=False)
    ('215113N', '1064540E')
    """
    if is_missing(value):
        return None
    x = float(value)
    total = round(abs(x) * 3600)
    d, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if latitude:
        return f"{d:02d}{m:02d}{s:02d}{'N' if x >= 0 else 'S'}"
    return f"{d:03d}{m:02d}{s:02d}{'E' if x >= 0 else 'W'}"


def _dms_to_decimal(text: str, pattern: re.Pattern) -> float | None:
    m = pattern.match(text)
    if not m:
        return None
    d, mi, s, h = m.groups()
    if "-" in d:
        return None
    val = int(d) + (0 if "-" in mi else int(mi)) / 60 + (0 if "-" in s else int(s)) / 3600
    return -val if h in "SW" else val


def format_value(field: str, value) -> str:
    """One stored MCPD value as export text ('' when missing)."""
    if value is None:
        return ""
    kind = S.MCPD_NUMERIC.get(field)
    if kind == "float":
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if kind == "int":
        return str(int(value))
    return str(value)


def mcpd_frame(db) -> pd.DataFrame:
    """The passport data of a database as an MCPD v2.1 table (text, '' for missing).

    Rows are sorted by INSTCODE then ACCENUMB; columns are :data:`schema.MCPD_FIELDS`.
    """
    t = S.accession
    cols = [t.c[f.lower()] for f in S.MCPD_FIELDS]
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(*cols).order_by(t.c.instcode, t.c.accenumb)).fetchall()
    columns = list(zip(*rows)) if rows else [()] * len(S.MCPD_FIELDS)
    data = {}
    for f, values in zip(S.MCPD_FIELDS, columns):
        if f in S.MCPD_NUMERIC:
            data[f] = [format_value(f, v) for v in values]
        else:
            data[f] = ["" if v is None else v for v in values]
    return pd.DataFrame(data, columns=list(S.MCPD_FIELDS), dtype=object)


def mcpd_text(frame: pd.DataFrame) -> str:
    """CSV text of an MCPD table (UTF-8, ``\\n`` line ends, minimal quoting)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(list(frame.columns))
    w.writerows(frame.itertuples(index=False, name=None))
    return buf.getvalue()


def export_mcpd(db, out=None) -> str:
    """MCPD CSV text of the database; also written atomically to ``out`` when given."""
    text = mcpd_text(mcpd_frame(db))
    if out is not None:
        atomic_write_text(out, text)
    return text


# ---------------------------------------------------------------------------------------
# reading MCPD from another genebank


def _check_date(text: str) -> str | None:
    m = _MCPD_DATE.match(text)
    if not m:
        return "expected YYYYMMDD with -- for an unknown month or day (e.g. 202205--)"
    y, mo, d = m.groups()
    if mo == "--":
        return None if d == "--" else "a day is given without a month"
    if not 1 <= int(mo) <= 12:
        return "month must be 01–12"
    if d != "--":
        try:
            _dt.date(int(y), int(mo), int(d))
        except ValueError:
            return "no such day"
    return None


def _parse_code_list(text: str, codes: dict) -> str | None:
    for part in text.split(";"):
        part = part.strip()
        if not part.isdigit() or int(part) not in codes:
            return f"{part!r} is not a code of the standard ({', '.join(map(str, codes))})"
    return None


def read_mcpd(path) -> tuple[list[dict], list[int], list[str]]:
    """Read and validate an MCPD v2.1 CSV: (records for the accession table, rows, ignored columns).

    Raises
    ------
    ValidationError
        Listing file, row, column and value of every bad code, date or coordinate.
    """
    path = Path(path)
    name = path.name
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError([Problem(name, None, None, str(path), "file not found")]) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ValidationError([Problem(name, None, None, None, f"not a UTF-8 CSV file: {exc}")]) from None
    header = {c.strip().upper(): c for c in raw.columns}
    problems: list[Problem] = []
    for required in ("INSTCODE", "ACCENUMB"):
        if required not in header:
            problems.append(Problem(name, 1, required, None, "required MCPD column is missing"))
    if problems:
        raise ValidationError(problems)
    known = [f for f in S.MCPD_FIELDS if f in header]
    ignored = [c for k, c in header.items() if k not in S.MCPD_FIELDS]
    records, lines = [], []
    seen: dict = {}
    for i, row in enumerate(raw.itertuples(index=False, name=None)):
        line = i + 2
        values = dict(zip(raw.columns, row))
        rec: dict = {}
        for f in known:
            text = values[header[f]]
            text = text if text != "" else None

            def bad(msg, f=f, text=text):
                problems.append(Problem(name, line, f, text, msg))

            if text is None:
                rec[f.lower()] = None
                if f in ("INSTCODE", "ACCENUMB"):
                    bad("a value is required")
                continue
            kind = S.MCPD_NUMERIC.get(f)
            value: object = text
            if kind == "float":
                try:
                    value = float(text)
                except ValueError:
                    bad("expected decimal degrees")
                    value = None
            elif kind == "int":
                try:
                    value = int(text)
                except ValueError:
                    try:  # "350.0" is a whole number too
                        f_ = float(text)
                        value = int(f_) if f_.is_integer() else None
                    except ValueError:
                        value = None
                    if value is None:
                        bad("expected a whole number")
            if f == "INSTCODE" and not _INSTCODE.match(text):
                bad("expected a FAO WIEWS institute code such as VNM049")
            elif f in _INST_FIELDS:
                for part in text.split(";"):
                    if not _INSTCODE.match(part.strip()):
                        bad(f"{part!r} is not a FAO WIEWS institute code (e.g. VNM049)")
                        break
            elif f == "ORIGCTY" and not _ORIGCTY.match(text):
                bad("expected an ISO 3166-1 alpha-3 country code such as VNM")
            elif f in ("ACQDATE", "COLLDATE"):
                msg = _check_date(text)
                if msg:
                    bad(msg)
            elif f == "SAMPSTAT" and value is not None and value not in SAMPSTAT_CODES:
                bad("not an MCPD biological-status code (100, 110, …, 300, 400, 500, 600, 999)")
            elif f == "COLLSRC" and value is not None and value not in COLLSRC_CODES:
                bad("not an MCPD collecting-source code (10, 11, …, 20, 30, 40, 50, 60, 99)")
            elif f == "MLSSTAT" and value is not None and value not in (0, 1):
                bad("MLSSTAT must be 0 or 1")
            elif f == "STORAGE":
                msg = _parse_code_list(text, STORAGE_CODES)
                if msg:
                    bad(msg)
            elif f == "DECLATITUDE" and value is not None and not -90 <= value <= 90:
                bad("latitude must lie between -90 and 90")
            elif f == "DECLONGITUDE" and value is not None and not -180 <= value <= 180:
                bad("longitude must lie between -180 and 180")
            elif f == "LATITUDE" and not _DMS_LAT.match(text):
                bad("expected DDMMSSH such as 215113N (-- for unknown minutes/seconds)")
            elif f == "LONGITUDE" and not _DMS_LON.match(text):
                bad("expected DDDMMSSH such as 1064540E (-- for unknown minutes/seconds)")
            elif f == "COORDUNCERT" and value is not None and value <= 0:
                bad("coordinate uncertainty must be a positive number of metres")
            rec[f.lower()] = value
        # coordinates come in pairs and the two notations must agree
        lat, lon = rec.get("declatitude"), rec.get("declongitude")
        if (lat is None) != (lon is None) and ("DECLATITUDE" in known or "DECLONGITUDE" in known):
            problems.append(Problem(name, line, "DECLONGITUDE" if lon is None else "DECLATITUDE",
                                    None, "a decimal latitude needs a longitude and vice versa"))
        for dec, txt, pat, col in ((lat, rec.get("latitude"), _DMS_LAT, "LATITUDE"),
                                   (lon, rec.get("longitude"), _DMS_LON, "LONGITUDE")):
            if dec is not None and txt and pat.match(txt):
                approx = _dms_to_decimal(txt, pat)
                if approx is not None and abs(approx - dec) > 1 / 60 + 1e-9:
                    problems.append(Problem(name, line, col, txt,
                                            f"disagrees with DEC{col} {dec} by more than 1'"))
        key = (rec.get("instcode"), rec.get("accenumb"))
        if None not in key:
            if key in seen:
                problems.append(Problem(name, line, "ACCENUMB", key[1],
                                        f"accession {key[0]} {key[1]} also on row {seen[key]}"))
            else:
                seen[key] = line
        records.append(rec)
        lines.append(line)
    if problems:
        raise ValidationError(problems[:200], total=len(problems))
    return records, lines, ignored
