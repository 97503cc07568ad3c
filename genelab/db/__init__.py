"""Gene-source database (SQLAlchemy Core; SQLite by default, PostgreSQL by URL).

Passport data (every MCPD v2.1 field that applies, local names, ethnic group), collecting
events, indigenous knowledge, inventory (seed lots, field-genebank plants, in-vitro
cultures, live herds), viability tests, protocols, demonstration models and an audit
trail, with MCPD v2.1 and Darwin Core exchange and the Passport Data Completeness Index.

Examples
--------
>>> import pandas as pd
>>> from genelab import db
>>> ws = {"sources": pd.DataFrame({"source_id": ["HOI-001"], "name_vi": ["Hồi"],
...       "scientific_name": ["Illicium verum Hook.f."], "sampstat": [300]})}
>>> database = db.open_database("sqlite://")
>>> db.import_workspace(ws, database, who="doctest").changed
True
>>> db.export_mcpd(database).splitlines()[1][:40]
',VNM049,HOI-001,,,,,,Illicium,verum,Hook'
"""
from __future__ import annotations

from genelab.db.dwc import dwc_frame, export_dwc
from genelab.db.imports import import_mcpd, import_workspace
from genelab.db.mcpd import DEFAULT_INSTCODE, export_mcpd, mcpd_frame, read_mcpd
from genelab.db.passport import parse_taxon, passport_frame
from genelab.db.pdci import PdciResult, pdci
from genelab.db.schema import SCHEMA_VERSION
from genelab.db.store import Database, ImportResult, open_database
from genelab.db.export import export, export_csv

__all__ = [
    "SCHEMA_VERSION",
    "DEFAULT_INSTCODE",
    "Database",
    "ImportResult",
    "PdciResult",
    "open_database",
    "import_workspace",
    "import_mcpd",
    "read_mcpd",
    "mcpd_frame",
    "export_mcpd",
    "dwc_frame",
    "export_dwc",
    "export_csv",
    "export",
    "pdci",
    "parse_taxon",
    "passport_frame",
]
