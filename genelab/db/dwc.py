"""Darwin Core occurrence CSV for GBIF.

One occurrence per accession.  ``basisOfRecord``: ``LivingSpecimen`` for material kept
alive ex situ (seed, field, in-vitro and cryo collections, live herds: MCPD STORAGE
10–40, 99), ``MaterialSample`` for DNA only (STORAGE 50), ``HumanObservation`` for a
gene source surveyed in situ with nothing stored.  Terms follow the Darwin Core quick
reference (https://dwc.tdwg.org/terms/): occurrenceID is ``INSTCODE:ACCENUMB``, eventDate
is ISO 8601 (``2022-05-14``, ``2022-05`` or ``2022`` for partly known dates).
"""
from __future__ import annotations

import csv
import io

import pandas as pd
import sqlalchemy as sa

from genelab.db import schema as S
from genelab.db._values import atomic_write_text
from genelab.db.mcpd import format_value

__all__ = ["DWC_TERMS", "dwc_frame", "export_dwc", "iso_date"]

DWC_TERMS = (
    "occurrenceID", "basisOfRecord", "institutionCode", "collectionCode", "catalogNumber",
    "recordNumber", "recordedBy", "eventDate", "scientificName", "scientificNameAuthorship",
    "kingdom", "genus", "specificEpithet", "infraspecificEpithet", "taxonRank",
    "vernacularName", "country", "countryCode", "stateProvince", "county", "municipality",
    "locality", "decimalLatitude", "decimalLongitude", "coordinateUncertaintyInMeters",
    "geodeticDatum", "georeferenceProtocol", "minimumElevationInMeters",
    "maximumElevationInMeters", "preparations", "occurrenceRemarks",
)

# ISO 3166-1 alpha-3 -> (alpha-2, English short name) for the countries a Lạng Sơn
# programme exchanges with; other codes leave countryCode empty rather than guess.
_COUNTRIES = {
    "VNM": ("VN", "Viet Nam"), "CHN": ("CN", "China"), "LAO": ("LA", "Lao People's Democratic Republic"),
    "KHM": ("KH", "Cambodia"), "THA": ("TH", "Thailand"), "MMR": ("MM", "Myanmar"),
    "MYS": ("MY", "Malaysia"), "IDN": ("ID", "Indonesia"), "PHL": ("PH", "Philippines"),
    "IND": ("IN", "India"), "JPN": ("JP", "Japan"), "KOR": ("KR", "Korea, Republic of"),
    "TWN": ("TW", "Taiwan"), "USA": ("US", "United States of America"), "FRA": ("FR", "France"),
    "DEU": ("DE", "Germany"), "NLD": ("NL", "Netherlands"), "GBR": ("GB", "United Kingdom"),
    "AUS": ("AU", "Australia"), "BRA": ("BR", "Brazil"), "MEX": ("MX", "Mexico"),
    "PER": ("PE", "Peru"), "COL": ("CO", "Colombia"), "NGA": ("NG", "Nigeria"),
    "KEN": ("KE", "Kenya"), "ETH": ("ET", "Ethiopia"), "SYR": ("SY", "Syrian Arab Republic"),
    "LBN": ("LB", "Lebanon"), "RUS": ("RU", "Russian Federation"), "BEL": ("BE", "Belgium"),
}
_STORAGE_PREP = {"10": "seeds", "11": "seeds", "12": "seeds", "13": "seeds",
                 "20": "living plants", "30": "in vitro culture", "40": "cryopreserved tissue",
                 "50": "DNA", "99": "living organisms"}


def iso_date(mcpd) -> str:
    """MCPD ``YYYYMMDD`` (with ``--``) as ISO 8601 text.

    Examples
    --------
    >>> iso_date("20220514"), iso_date("202205--"), iso_date("2022----"), iso_date("")
    ('2022-05-14', '2022-05', '2022', '')
    """
    if not mcpd:
        return ""
    y, m, d = mcpd[:4], mcpd[4:6], mcpd[6:8]
    if m == "--":
        return y
    if d == "--":
        return f"{y}-{m}"
    return f"{y}-{m}-{d}"


def _basis(storage: str) -> str:
    codes = {c.strip() for c in storage.split(";") if c.strip()}
    if not codes:
        return "HumanObservation"
    if codes == {"50"}:
        return "MaterialSample"
    return "LivingSpecimen"


def dwc_frame(db) -> pd.DataFrame:
    """Darwin Core occurrence records of every accession (text, '' for missing)."""
    t = S.accession
    with db.engine.connect() as conn:
        result = conn.execute(sa.select(t).order_by(t.c.instcode, t.c.accenumb))
        rows = [dict(r._mapping) for r in result]
    out = []
    for r in rows:
        f = {k.upper(): format_value(k.upper(), r[k]) if k.upper() in S.MCPD_FIELDS else r[k]
             for k in r}
        rank = ""
        infra = ""
        if f["SUBTAXA"]:
            parts = f["SUBTAXA"].split()
            rank = {"subsp.": "subspecies", "ssp.": "subspecies", "var.": "variety",
                    "convar.": "convariety", "f.": "form"}.get(parts[0], "")
            infra = parts[-1]
        elif f["SPECIES"] and f["SPECIES"] not in ("sp.", "spp."):
            rank = "species"
        elif f["GENUS"]:
            rank = "genus"
        name = " ".join(p for p in (f["GENUS"], f["SPECIES"], f["SPAUTHOR"], f["SUBTAXA"],
                                    f["SUBTAUTHOR"]) if p)
        country_code, country = _COUNTRIES.get(f["ORIGCTY"], ("", ""))
        kingdom = {"plant": "Plantae", "animal": "Animalia"}.get(r.get("kind") or "", "")
        elevation = f["ELEVATION"]
        out.append({
            "occurrenceID": f"{f['INSTCODE']}:{f['ACCENUMB']}",
            "basisOfRecord": _basis(f["STORAGE"]),
            "institutionCode": f["INSTCODE"],
            "collectionCode": "genelab",
            "catalogNumber": f["ACCENUMB"],
            "recordNumber": f["COLLNUMB"],
            "recordedBy": f["COLLNAME"].replace(";", " | ") if f["COLLNAME"] else "",
            "eventDate": iso_date(f["COLLDATE"]),
            "scientificName": name,
            "scientificNameAuthorship": f["SUBTAUTHOR"] or f["SPAUTHOR"],
            "kingdom": kingdom,
            "genus": f["GENUS"],
            "specificEpithet": f["SPECIES"] if f["SPECIES"] not in ("sp.", "spp.") else "",
            "infraspecificEpithet": infra,
            "taxonRank": rank,
            "vernacularName": (f["ACCENAME"] or "").split(";")[0] or (f["CROPNAME"] or ""),
            "country": country,
            "countryCode": country_code,
            "stateProvince": r.get("province") or "",
            "county": r.get("district") or "",
            "municipality": r.get("commune") or "",
            "locality": f["COLLSITE"],
            "decimalLatitude": f["DECLATITUDE"],
            "decimalLongitude": f["DECLONGITUDE"],
            "coordinateUncertaintyInMeters": f["COORDUNCERT"],
            "geodeticDatum": f["COORDDATUM"],
            "georeferenceProtocol": f["GEOREFMETH"],
            "minimumElevationInMeters": elevation,
            "maximumElevationInMeters": elevation,
            "preparations": " | ".join(dict.fromkeys(
                _STORAGE_PREP[c] for c in f["STORAGE"].split(";") if c in _STORAGE_PREP)),
            "occurrenceRemarks": f["REMARKS"],
        })
    frame = pd.DataFrame(out, columns=list(DWC_TERMS), dtype=object)
    return frame.fillna("")


def export_dwc(db, out=None) -> str:
    """Darwin Core occurrence CSV text; also written atomically to ``out`` when given."""
    frame = dwc_frame(db)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(frame.columns))
    w.writerows(frame.itertuples(index=False, name=None))
    text = buf.getvalue()
    if out is not None:
        atomic_write_text(out, text)
    return text
