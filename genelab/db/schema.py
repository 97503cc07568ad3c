"""Tables of the gene-source database (SQLAlchemy Core).

One :class:`sqlalchemy.MetaData` holds every table; the same definitions serve SQLite
(the embedded default) and PostgreSQL.  Passport columns are the FAO/Bioversity
Multi-Crop Passport Descriptors v2.1 field names in lower case (``instcode``,
``accenumb`` …), so an MCPD export is a plain projection of the ``accession`` table.

Tables
------
meta              key/value facts about the database (``schema_version``)
accession         passport data: every MCPD v2.1 field that applies, plus the programme's
                  own fields (Vietnamese and local names, ethnic group, district, commune …)
collecting_event  where, when and by whom a gene source was collected
trait             the characterisation traits (descriptor list)
observation       trait observations (numbers for quantitative, state codes for qualitative)
knowledge         indigenous-knowledge records
inventory         holdings: seed lots, field-genebank plants, in-vitro cultures, live herds
viability_test    germination tests of seed lots
protocol          propagation / cultivation protocols
demo_model        demonstration models (money in VND)
audit             one row per inserted record or changed value: who, when, table, key,
                  column, old value, new value

Examples
--------
>>> sorted(TABLES)[:3]
['accession', 'audit', 'collecting_event']
>>> SCHEMA_VERSION
1
"""
from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "SCHEMA_VERSION",
    "metadata",
    "TABLES",
    "DATA_TABLES",
    "MCPD_FIELDS",
    "MCPD_NUMERIC",
    "meta",
    "accession",
    "collecting_event",
    "trait",
    "observation",
    "knowledge",
    "inventory",
    "viability_test",
    "protocol",
    "demo_model",
    "audit",
]

#: Bumped whenever a table changes; a database with another version is refused on open.
SCHEMA_VERSION = 1

#: MCPD v2.1 fields kept in the ``accession`` table, in the order of the standard.
MCPD_FIELDS = (
    "PUID", "INSTCODE", "ACCENUMB", "COLLNUMB", "COLLCODE", "COLLNAME", "COLLINSTADDRESS",
    "COLLMISSID", "GENUS", "SPECIES", "SPAUTHOR", "SUBTAXA", "SUBTAUTHOR", "CROPNAME",
    "ACCENAME", "ACQDATE", "ORIGCTY", "COLLSITE", "DECLATITUDE", "LATITUDE", "DECLONGITUDE",
    "LONGITUDE", "COORDUNCERT", "COORDDATUM", "GEOREFMETH", "ELEVATION", "COLLDATE",
    "BREDCODE", "BREDNAME", "SAMPSTAT", "ANCEST", "COLLSRC", "DONORCODE", "DONORNAME",
    "DONORNUMB", "OTHERNUMB", "DUPLSITE", "DUPLINSTNAME", "STORAGE", "MLSSTAT", "ACCEURL",
    "REMARKS",
)

#: MCPD fields stored as numbers: name -> "float" or "int".
MCPD_NUMERIC = {
    "DECLATITUDE": "float",
    "DECLONGITUDE": "float",
    "COORDUNCERT": "int",
    "ELEVATION": "int",
    "SAMPSTAT": "int",
    "COLLSRC": "int",
    "MLSSTAT": "int",
}

metadata = sa.MetaData()

Text = sa.Text
Float = sa.Float(precision=53)


def _mcpd_column(field: str) -> sa.Column:
    kind = MCPD_NUMERIC.get(field)
    typ = Float if kind == "float" else sa.Integer if kind == "int" else Text
    pk = field in ("INSTCODE", "ACCENUMB")
    return sa.Column(field.lower(), typ, primary_key=pk, nullable=not pk)


meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", Text, primary_key=True),
    sa.Column("value", Text, nullable=False),
)

accession = sa.Table(
    "accession",
    metadata,
    *[_mcpd_column(f) for f in MCPD_FIELDS],
    # the programme's own fields
    sa.Column("source_id", Text, unique=True),  # NULL for other genebanks' records
    sa.Column("name_vi", Text),
    sa.Column("name_local", Text),
    sa.Column("ethnic_group", Text),
    sa.Column("scientific_name", Text),
    sa.Column("kind", Text),
    sa.Column("source_group", Text),
    sa.Column("province", Text),
    sa.Column("district", Text),
    sa.Column("commune", Text),
    sa.Column("conservation", Text),
    sa.Column("threat", Text),
    sa.Column("population_estimate", Float),
    sa.Column("status", Text),
    sa.Column("breeding_system", Text),
    sa.CheckConstraint("declatitude IS NULL OR (declatitude >= -90 AND declatitude <= 90)",
                       name="ck_accession_declatitude"),
    sa.CheckConstraint("declongitude IS NULL OR (declongitude >= -180 AND declongitude <= 180)",
                       name="ck_accession_declongitude"),
)

collecting_event = sa.Table(
    "collecting_event",
    metadata,
    sa.Column("event_id", Text, primary_key=True),
    sa.Column("source_id", Text, sa.ForeignKey("accession.source_id"), nullable=False),
    sa.Column("collected_on", Text),  # ISO date, possibly partial (YYYY or YYYY-MM)
    sa.Column("province", Text),
    sa.Column("district", Text),
    sa.Column("commune", Text),
    sa.Column("latitude", Float),
    sa.Column("longitude", Float),
    sa.Column("elevation_m", Float),
    sa.Column("collsrc", sa.Integer),
    sa.Column("collectors", Text),
)

trait = sa.Table(
    "trait",
    metadata,
    sa.Column("trait", Text, primary_key=True),
    sa.Column("name_vi", Text),
    sa.Column("name_en", Text),
    sa.Column("kind", Text),
    sa.Column("unit", Text),
    sa.Column("states", Text),
    sa.Column("higher_is_better", sa.Boolean),
    sa.Column("applies_to", Text),
)

observation = sa.Table(
    "observation",
    metadata,
    sa.Column("source_id", Text, sa.ForeignKey("accession.source_id"), primary_key=True),
    sa.Column("accession", Text, primary_key=True),
    sa.Column("site", Text, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("rep", sa.Integer, primary_key=True),
    sa.Column("trait", Text, primary_key=True),
    sa.Column("value", Float),
    sa.Column("state", Text),
    sqlite_with_rowid=False,  # the big table: rows live in the key's b-tree only
)

knowledge = sa.Table(
    "knowledge",
    metadata,
    sa.Column("knowledge_id", Text, primary_key=True),
    sa.Column("source_id", Text, sa.ForeignKey("accession.source_id"), nullable=False),
    sa.Column("topic", Text),
    sa.Column("ethnic_group", Text),
    sa.Column("informant", Text),
    sa.Column("text", Text),
    sa.Column("recorded_on", sa.Date),
)

inventory = sa.Table(
    "inventory",
    metadata,
    sa.Column("holding_id", Text, primary_key=True),
    sa.Column("source_id", Text, sa.ForeignKey("accession.source_id"), nullable=False),
    # seed_lot / field_genebank / in_vitro / live_herd
    sa.Column("holding", Text, nullable=False),
    sa.Column("storage", sa.Integer),  # MCPD STORAGE code
    sa.Column("stored_on", sa.Date),
    sa.Column("quantity", Float),
    sa.Column("unit", Text),
    sa.Column("as_of", sa.Date),
    sa.CheckConstraint("quantity IS NULL OR quantity >= 0", name="ck_inventory_quantity"),
)

viability_test = sa.Table(
    "viability_test",
    metadata,
    sa.Column("lot_id", Text, primary_key=True),
    sa.Column("tested_on", sa.Date, primary_key=True),
    sa.Column("source_id", Text, sa.ForeignKey("accession.source_id"), nullable=False),
    sa.Column("sown", sa.Integer, nullable=False),
    sa.Column("germinated", sa.Integer, nullable=False),
    sa.Column("moisture_pct", Float),
    sa.Column("stock", Float),
    sa.Column("stored_on", sa.Date),
    sa.Column("storage", sa.Integer),
    sa.CheckConstraint("germinated >= 0 AND germinated <= sown", name="ck_viability_counts"),
)

protocol = sa.Table(
    "protocol",
    metadata,
    sa.Column("protocol_id", Text, primary_key=True),
    sa.Column("source_id", Text, sa.ForeignKey("accession.source_id"), nullable=False),
    sa.Column("kind", Text),
    sa.Column("title", Text),
    sa.Column("trial_id", Text),
    sa.Column("status", Text),
    sa.Column("steps", Text),
    sa.Column("treatment", Text),
)

demo_model = sa.Table(
    "demo_model",
    metadata,
    sa.Column("model_id", Text, primary_key=True),
    sa.Column("source_id", Text, sa.ForeignKey("accession.source_id"), nullable=False),
    sa.Column("district", Text),
    sa.Column("year", sa.Integer),
    sa.Column("area_ha", Float),
    sa.Column("yield_model", Float),
    sa.Column("yield_control", Float),
    sa.Column("yield_potential", Float),
    sa.Column("price", Float),
    sa.Column("cost_model", Float),
    sa.Column("cost_control", Float),
    sa.Column("households", sa.Integer),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("audit_id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("at", Text, nullable=False),  # UTC ISO-8601 timestamp
    sa.Column("who", Text, nullable=False),
    sa.Column("table_name", Text, nullable=False),
    sa.Column("record_key", Text, nullable=False),  # key values joined by '|'
    sa.Column("action", sa.String(8), nullable=False),  # insert / update
    sa.Column("column_name", Text),  # NULL for an inserted record
    sa.Column("old_value", Text),
    sa.Column("new_value", Text),
)

#: Every table by name.
TABLES = {t.name: t for t in metadata.sorted_tables}

#: The tables holding programme data, in the order they are written (parents first).
DATA_TABLES = (
    "accession",
    "trait",
    "collecting_event",
    "knowledge",
    "inventory",
    "viability_test",
    "protocol",
    "demo_model",
    "observation",
)
