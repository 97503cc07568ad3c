"""The declared schema of every workspace table (DESIGN §3), once.

Each table is declared once in :data:`TABLE_SPECS` with pandera's vocabulary (column dtype,
pandera built-in checks by name and statistics, nullable, required, unique key), and
:data:`SCHEMAS` holds the same tables as :class:`pandera.pandas.DataFrameSchema` objects, built
from the declarations on first use.  The loader (genelab.workspace) evaluates the declared checks
itself, vectorised, so that reading a workspace does not pay pandera's import (≈0.3 s); a test
validates every loaded demo table against :data:`SCHEMAS` so both stay in agreement.

Columns carry, in ``metadata``, what the reader and the documentation need: the ``kind`` of
value (text, code, int, float, date, bool), the ``unit``, the allowed ``codes`` and whether the
column must be present in the file (``in_file``).  A table's ``metadata`` holds its key and
whether the file is required.  data/README.md is rendered from the declarations by
:func:`render_docs` (a test checks the committed file equals the rendering).

The code lists are module constants so other modules reuse them (MCPD export, reports, demo).

Examples
--------
>>> TABLE_SPECS["sources"].metadata["key"]
('source_id',)
>>> "CR" in IUCN_CODES and 300 in SAMPSTAT
True
>>> table_columns("germination")[:4]
['test_id', 'dish', 'day', 'source_id']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "SAMPSTAT",
    "STORAGE",
    "IUCN_CODES",
    "IUCN_NAMES",
    "CONSERVATION",
    "CONSERVATION_STORAGE",
    "STATUS",
    "KINDS",
    "PLANT_GROUPS",
    "ANIMAL_GROUPS",
    "GROUPS",
    "BREEDING_SYSTEMS",
    "ETHNIC_GROUPS",
    "KNOWLEDGE_TOPICS",
    "TRAIT_KINDS",
    "PURPOSES",
    "DESIGNS",
    "DESIGN_COLUMNS",
    "PROTOCOL_KINDS",
    "PROTOCOL_STATUS",
    "SEXES",
    "DISTRICTS",
    "VIETNAM_BOUNDS",
    "PROVINCE_BOUNDS",
    "SOURCE_ID_PATTERN",
    "TEXT_DTYPE",
    "SCHEMAS",
    "TABLE_SPECS",
    "CheckSpec",
    "ColumnSpec",
    "TableSpec",
    "REQUIRED_TABLES",
    "OPTIONAL_TABLES",
    "TABLES",
    "table_columns",
    "file_columns",
    "render_docs",
]

# --------------------------------------------------------------------------- code lists

#: MCPD v2.1 biological status of sample (SAMPSTAT): code -> meaning.
SAMPSTAT: dict[int, str] = {
    100: "wild",
    110: "natural",
    120: "semi-natural/wild",
    130: "semi-natural/sown",
    200: "weedy",
    300: "traditional cultivar/landrace",
    400: "breeding/research material",
    410: "breeder's line",
    411: "synthetic population",
    412: "hybrid",
    413: "founder stock/base population",
    414: "inbred line",
    415: "segregating population",
    416: "clonal selection",
    420: "genetic stock",
    421: "mutant",
    422: "cytogenetic stocks",
    423: "other genetic stocks",
    500: "advanced or improved cultivar (conventional breeding methods)",
    600: "GMO (by genetic engineering)",
    999: "other",
}

#: MCPD v2.1 type of germplasm storage (STORAGE): code -> meaning.
STORAGE: dict[int, str] = {
    10: "seed collection",
    11: "short term",
    12: "medium term",
    13: "long term",
    20: "field collection",
    30: "in vitro collection",
    40: "cryopreserved collection",
    50: "DNA collection",
    99: "other",
}

#: IUCN Red List categories, most to least threatened, then data deficient / not evaluated.
IUCN_CODES: tuple[str, ...] = ("EX", "EW", "CR", "EN", "VU", "NT", "LC", "DD", "NE")
IUCN_NAMES: dict[str, str] = {
    "EX": "extinct",
    "EW": "extinct in the wild",
    "CR": "critically endangered",
    "EN": "endangered",
    "VU": "vulnerable",
    "NT": "near threatened",
    "LC": "least concern",
    "DD": "data deficient",
    "NE": "not evaluated",
}

CONSERVATION = ("in_situ", "on_farm", "field_genebank", "seed_bank", "in_vitro", "live_herd")
#: MCPD STORAGE code of each conservation method (None: not an ex-situ collection).
CONSERVATION_STORAGE: dict[str, int | None] = {
    "in_situ": None, "on_farm": None, "field_genebank": 20, "seed_bank": 10, "in_vitro": 30,
    "live_herd": 99,
}
STATUS = ("surveyed", "collected", "conserved", "evaluated", "restored")
KINDS = ("plant", "animal")
PLANT_GROUPS = (
    "fruit_tree", "spice", "medicinal", "food_crop", "industrial_crop", "vegetable", "forest_tree",
)
ANIMAL_GROUPS = ("pig", "chicken", "duck", "cattle", "goat", "fish")
GROUPS = PLANT_GROUPS + ANIMAL_GROUPS
BREEDING_SYSTEMS = ("selfing", "outcrossing", "clonal", "animal")
ETHNIC_GROUPS = ("tay", "nung", "kinh", "dao", "san_chay", "hoa", "hmong", "san_diu")
KNOWLEDGE_TOPICS = (
    "use", "cultivation", "propagation", "harvest", "processing", "medicine",
    "husbandry", "ritual", "market", "history",
)
TRAIT_KINDS = ("quantitative", "qualitative")
PURPOSES = ("seed", "cutting", "grafting", "tissue_culture", "cultivation")
DESIGNS = ("crd", "rcbd", "latin", "factorial_crd", "factorial_rcbd", "split_plot")
#: The trials-table columns each design must name (besides ``responses``).
DESIGN_COLUMNS: dict[str, tuple[str, ...]] = {
    "crd": ("treatment",),
    "rcbd": ("treatment", "block"),
    "latin": ("treatment", "row", "column"),
    "factorial_crd": ("factors",),
    "factorial_rcbd": ("factors", "block"),
    "split_plot": ("main", "sub", "block"),
}
PROTOCOL_KINDS = ("propagation", "cultivation")
PROTOCOL_STATUS = ("draft", "field_tested", "approved")
SEXES = ("male", "female")

#: The 11 districts and city of Lạng Sơn province.
DISTRICTS: tuple[str, ...] = (
    "Thành phố Lạng Sơn", "Tràng Định", "Văn Lãng", "Văn Quan", "Bình Gia", "Bắc Sơn",
    "Hữu Lũng", "Chi Lăng", "Cao Lộc", "Lộc Bình", "Đình Lập",
)

#: (lat_min, lat_max, lon_min, lon_max) of mainland Vietnam: a coordinate outside is an error.
VIETNAM_BOUNDS = (8.3, 23.4, 102.1, 109.5)
#: Province boxes: a coordinate inside Vietnam but outside the workspace's province is a warning.
PROVINCE_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "Lạng Sơn": (21.3, 22.5, 106.0, 107.4),
}

SOURCE_ID_PATTERN = r"^[A-Z]{2,4}-\d{3}$"
_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"

# --------------------------------------------------------------------------- column helpers

#: Text columns use pandas' default string dtype ("str": missing values are NaN), as
#: ``pandas.read_csv`` gives them; only observations.state is "string" (missing = <NA>).
TEXT_DTYPE = pd.StringDtype(na_value=np.nan)

_DTYPES = {
    "text": TEXT_DTYPE,
    "code": TEXT_DTYPE,
    "float": "float64",
    "date": "datetime64[ns]",
    "bool": "boolean",
}


@dataclass(frozen=True)
class CheckSpec:
    """A pandera built-in check by ``name`` (``isin``, ``str_matches``, ``in_range``,
    ``greater_than_or_equal_to``, ``greater_than``, ``less_than_or_equal_to``) with its
    ``statistics`` and the ``error`` text that says what was expected."""

    name: str
    statistics: dict
    error: str

    def to_pandera(self):
        import pandera.pandas as pa

        st = self.statistics
        if self.name == "isin":
            return pa.Check.isin(st["allowed_values"], error=self.error)
        if self.name == "str_matches":
            return pa.Check.str_matches(st["pattern"], error=self.error)
        if self.name == "in_range":
            return pa.Check.in_range(st["min_value"], st["max_value"], include_min=st["include_min"],
                                     include_max=st["include_max"], error=self.error)
        if self.name == "greater_than_or_equal_to":
            return pa.Check.ge(st["min_value"], error=self.error)
        if self.name == "greater_than":
            return pa.Check.gt(st["min_value"], error=self.error)
        if self.name == "less_than_or_equal_to":
            return pa.Check.le(st["max_value"], error=self.error)
        raise ValueError(f"no pandera check {self.name!r}")  # pragma: no cover


@dataclass(frozen=True)
class ColumnSpec:
    """One declared column (the arguments of a :class:`pandera.pandas.Column`)."""

    dtype: Any
    checks: tuple
    nullable: bool
    required: bool
    description: str
    metadata: dict = field(default_factory=dict)

    def to_pandera(self):
        import pandera.pandas as pa

        return pa.Column(self.dtype, [c.to_pandera() for c in self.checks], nullable=self.nullable,
                         required=self.required, description=self.description, metadata=self.metadata)


@dataclass(frozen=True)
class TableSpec:
    """One declared table (the arguments of a :class:`pandera.pandas.DataFrameSchema`)."""

    name: str
    columns: dict
    description: str
    metadata: dict

    def to_pandera(self):
        import pandera.pandas as pa

        return pa.DataFrameSchema(
            {n: c.to_pandera() for n, c in self.columns.items()}, name=self.name,
            unique=list(self.metadata["key"]), report_duplicates="all", strict=False,
            description=self.description, metadata=dict(self.metadata))


def _col(kind, description, *, unit=None, codes=None, pattern=None, ge=None, le=None, gt=None,
         nullable=False, in_file=True, required=True, expected=None, dtype=None):
    """A declared column with the metadata the reader and the documentation use."""
    if dtype is not None:
        pass
    elif kind == "int":
        dtype = "Int64" if nullable else "int64"
    else:
        dtype = _DTYPES[kind]
    checks = []
    if codes is not None:
        shown = ", ".join(str(c) for c in codes)
        checks.append(CheckSpec("isin", {"allowed_values": list(codes)}, f"one of: {shown}"))
    if pattern is not None:
        msg = expected or f"text matching {pattern}"
        checks.append(CheckSpec("str_matches", {"pattern": pattern}, msg))
    if ge is not None and le is not None:
        checks.append(CheckSpec("in_range", {"min_value": ge, "max_value": le, "include_min": True,
                                             "include_max": True}, f"a value from {ge} to {le}"))
    elif ge is not None:
        checks.append(CheckSpec("greater_than_or_equal_to", {"min_value": ge}, f"a value ≥ {ge}"))
    elif le is not None:
        checks.append(CheckSpec("less_than_or_equal_to", {"max_value": le}, f"a value ≤ {le}"))
    if gt is not None:
        checks.append(CheckSpec("greater_than", {"min_value": gt}, f"a value > {gt}"))
    meta = {"kind": kind, "unit": unit, "codes": tuple(codes) if codes is not None else None,
            "in_file": in_file}
    return ColumnSpec(dtype, tuple(checks), nullable=nullable, required=required and in_file,
                      description=description, metadata=meta)


def _schema(name, key, columns, *, description, required=True):
    return TableSpec(name, columns, description, {"key": tuple(key), "required": required})


def _source_id(description="gene source (sources.source_id)"):
    return _col("code", description, pattern=SOURCE_ID_PATTERN,
                expected="a source id such as HOI-001 (2–4 capital letters, '-', 3 digits)")


def _id(description):
    return _col("code", description, pattern=_ID_PATTERN,
                expected="an identifier of letters, digits, '_', '.' or '-'")


def _count(description, *, nullable=False):
    return _col("int", description, ge=0, nullable=nullable)


# --------------------------------------------------------------------------- the tables

TABLE_SPECS: dict[str, TableSpec] = {}

TABLE_SPECS["sources"] = _schema("sources", ["source_id"], {
    "source_id": _source_id("gene-source code, e.g. HOI-001"),
    "name_vi": _col("text", "Vietnamese name"),
    "name_local": _col("text", "local (Tày/Nùng …) name", nullable=True),
    "scientific_name": _col("text", "scientific name (plants) or species (animals)"),
    "kind": _col("code", "plant or animal", codes=KINDS),
    "group": _col("code", "crop or livestock group", codes=GROUPS),
    "district": _col("text", "district (huyện) or city where collected"),
    "commune": _col("text", "commune (xã)", nullable=True),
    "latitude": _col("float", "latitude, WGS84", unit="° N", nullable=True),
    "longitude": _col("float", "longitude, WGS84", unit="° E", nullable=True),
    "elevation_m": _col("float", "elevation of the collecting site", unit="m", ge=-10, le=3200,
                        nullable=True),
    "collected_on": _col("date", "date of collection or survey (YYYY-MM-DD)", nullable=True),
    "sampstat": _col("int", "MCPD v2.1 biological status of sample", codes=tuple(SAMPSTAT)),
    "conservation": _col("code", "conservation method", codes=CONSERVATION),
    "threat": _col("code", "IUCN Red List category (local assessment)", codes=IUCN_CODES),
    "population_estimate": _count("estimated individuals (trees, animals) in the province",
                                  nullable=True),
    "status": _col("code", "programme status reached", codes=STATUS),
    "breeding_system": _col("code", "breeding system", codes=BREEDING_SYSTEMS, nullable=True,
                            required=False),
    "ethnic_group": _col("code", "ethnic group that keeps the source", codes=ETHNIC_GROUPS,
                         nullable=True, required=False),
}, description="One row per gene source of the programme (passport data).")

TABLE_SPECS["knowledge"] = _schema("knowledge", ["knowledge_id"], {
    "knowledge_id": _id("record code"),
    "source_id": _source_id(),
    "topic": _col("code", "what the knowledge is about", codes=KNOWLEDGE_TOPICS),
    "ethnic_group": _col("code", "ethnic group of the informant", codes=ETHNIC_GROUPS,
                         nullable=True),
    "informant": _id("anonymised informant code"),
    "text": _col("text", "the knowledge, as recorded"),
    "recorded_on": _col("date", "date of the interview (YYYY-MM-DD)", nullable=True),
}, description="Indigenous knowledge recorded about a source.")

TABLE_SPECS["traits"] = _schema("traits", ["trait"], {
    "trait": _col("code", "trait code (snake_case)", pattern=r"^[a-z][a-z0-9_]*$",
                  expected="a lower-case snake_case code"),
    "name_vi": _col("text", "Vietnamese name"),
    "name_en": _col("text", "English name"),
    "kind": _col("code", "quantitative or qualitative", codes=TRAIT_KINDS),
    "unit": _col("text", "unit of a quantitative trait", nullable=True),
    "states": _col("text", "';'-separated lower-case state codes of a qualitative trait",
                   nullable=True),
    "higher_is_better": _col("bool", "whether a larger value is desirable (true/false/empty)",
                             nullable=True),
    "applies_to": _col("text", "plant, animal or ';'-separated source groups"),
}, description="The trait dictionary: every trait observed.")

TABLE_SPECS["observations"] = _schema(
    "observations", ["source_id", "accession", "site", "year", "rep", "trait"], {
        "source_id": _source_id(),
        "accession": _id("accession (individual tree, clone, herd …) within the source"),
        "site": _id("evaluation site"),
        "year": _col("int", "year of observation", ge=1990, le=2100),
        "rep": _col("int", "replicate", ge=1),
        "trait": _col("code", "trait code (traits.trait)"),
        "value": _col("float", "in the file: a number (quantitative trait, in the trait's unit) "
                      "or a state code (qualitative trait); loaded: the number", nullable=True),
        "state": _col("code", "loaded only: the state code of a qualitative trait",
                      nullable=True, in_file=False, dtype=pd.StringDtype()),
    }, description="Replicated trait observations, one value per row (long format).")

TABLE_SPECS["trials"] = _schema("trials", ["trial_id"], {
    "trial_id": _id("trial code; plot data in trials/<trial_id>.csv"),
    "source_id": _source_id(),
    "purpose": _col("code", "what is propagated or tested", codes=PURPOSES),
    "design": _col("code", "experimental design", codes=DESIGNS),
    "treatment": _col("text", "treatment column (crd, rcbd, latin)", nullable=True),
    "factors": _col("text", "';'-separated factor columns (factorial designs)", nullable=True),
    "block": _col("text", "block column (rcbd, factorial_rcbd, split_plot)", nullable=True),
    "row": _col("text", "row column (latin)", nullable=True),
    "column": _col("text", "column column (latin)", nullable=True),
    "main": _col("text", "main-plot factor column (split_plot)", nullable=True),
    "sub": _col("text", "subplot factor column (split_plot)", nullable=True),
    "responses": _col("text", "';'-separated numeric response columns"),
    "counts": _col("text", "';'-separated successes/trials count pairs, e.g. rooted/cuttings",
                   nullable=True),
    "dose": _col("text", "numeric dose column, e.g. iba_ppm", nullable=True),
    "site": _col("text", "where the trial ran"),
    "started_on": _col("date", "start date (YYYY-MM-DD)"),
    "title": _col("text", "short title"),
}, description="One row per propagation or cultivation trial.")

TABLE_SPECS["germination"] = _schema("germination", ["test_id", "dish", "day"], {
    "test_id": _id("germination test code"),
    "dish": _id("dish (replicate) within the test"),
    "day": _col("int", "days since sowing", unit="d", ge=0),
    "source_id": _source_id(),
    "treatment": _col("text", "seed pretreatment"),
    "sown": _col("int", "seeds sown in the dish", gt=0),
    "germinated": _count("new germinants counted that day"),
}, description="Germination time courses: new germinants per dish and day.")

TABLE_SPECS["viability"] = _schema("viability", ["lot_id", "tested_on"], {
    "lot_id": _id("seed-lot code"),
    "tested_on": _col("date", "date of the viability test (YYYY-MM-DD)"),
    "source_id": _source_id(),
    "sown": _col("int", "seeds tested", gt=0),
    "germinated": _count("seeds that germinated"),
    "moisture_pct": _col("float", "seed moisture content", unit="%", ge=0, le=100, nullable=True),
    "stock": _count("seeds left in the lot after the test"),
    "stored_on": _col("date", "date the lot entered storage (YYYY-MM-DD)", nullable=True,
                      required=False),
    "storage": _col("int", "MCPD STORAGE code", codes=tuple(STORAGE), nullable=True,
                    required=False),
}, description="Seed-lot viability tests over time.")

TABLE_SPECS["assessments"] = _schema("assessments", ["source_id", "criterion"], {
    "source_id": _source_id(),
    "criterion": _col("code", "criterion code (genelab.toml scoring.criteria)"),
    "value": _col("float", "raw score on the criterion's scale (genelab.toml)"),
}, description="Raw scores of each source on the value/priority criteria.")

TABLE_SPECS["models"] = _schema("models", ["model_id"], {
    "model_id": _id("demonstration-model code"),
    "source_id": _source_id(),
    "district": _col("text", "district of the model"),
    "year": _col("int", "year", ge=1990, le=2100),
    "area_ha": _col("float", "area", unit="ha", gt=0),
    "yield_model": _col("float", "yield with the model's technology", unit="kg/ha", ge=0),
    "yield_control": _col("float", "yield of the farmers' usual practice", unit="kg/ha", ge=0),
    "price": _col("float", "farm-gate price", unit="VND/kg", ge=0),
    "cost_model": _col("float", "production cost of the model", unit="VND/ha", ge=0),
    "cost_control": _col("float", "production cost of the usual practice", unit="VND/ha", ge=0),
    "households": _count("households taking part"),
    "yield_potential": _col("float", "attainable yield (research station)", unit="kg/ha", ge=0,
                            nullable=True, required=False),
}, description="Demonstration models and their economics (money in VND).")

TABLE_SPECS["protocols"] = _schema("protocols", ["protocol_id"], {
    "protocol_id": _id("protocol code"),
    "source_id": _source_id(),
    "kind": _col("code", "propagation or cultivation", codes=PROTOCOL_KINDS),
    "title": _col("text", "title"),
    "trial_id": _col("code", "trial the protocol is derived from (trials.trial_id)",
                     nullable=True),
    "status": _col("code", "stage of the protocol", codes=PROTOCOL_STATUS),
    "steps": _col("text", "';'-separated steps", nullable=True, required=False),
    "treatment": _col("text", "recommended treatment", nullable=True, required=False),
}, description="Propagation and cultivation protocols written by the programme.")

TABLE_SPECS["growth"] = _schema("growth", ["source_id", "individual", "age_days"], {
    "source_id": _source_id(),
    "individual": _id("animal tag"),
    "sex": _col("code", "sex", codes=SEXES),
    "age_days": _col("int", "age", unit="d", ge=0),
    "weight_g": _col("float", "live weight", unit="g", gt=0),
}, description="Optional: growth of local breeds (weight by age).", required=False)

TABLE_SPECS["rooting"] = _schema("rooting", ["trial_id", "cutting"], {
    "trial_id": _col("code", "trial (trials.trial_id)"),
    "treatment": _col("text", "treatment of the cutting"),
    "cutting": _id("cutting code"),
    "day": _col("int", "day of rooting, or of the last check when not rooted", unit="d", ge=0),
    "rooted": _col("int", "1 = rooted on that day, 0 = not rooted by then (censored)", codes=(0, 1)),
}, description="Optional: time to rooting of individual cuttings (with censoring).",
    required=False)

REQUIRED_TABLES = tuple(n for n, s in TABLE_SPECS.items() if s.metadata["required"])
OPTIONAL_TABLES = tuple(n for n, s in TABLE_SPECS.items() if not s.metadata["required"])
_PANDERA: dict = {}


def __getattr__(name: str):
    """``SCHEMAS``: the pandera DataFrameSchema of every table, built on first use."""
    if name == "SCHEMAS":
        if not _PANDERA:
            _PANDERA.update({n: spec.to_pandera() for n, spec in TABLE_SPECS.items()})
        return _PANDERA
    raise AttributeError(f"module 'genelab.schema' has no attribute {name!r}")
TABLES = REQUIRED_TABLES + OPTIONAL_TABLES


def table_columns(table: str) -> list[str]:
    """Every declared column of ``table`` in order (including loaded-only columns).

    Examples
    --------
    >>> table_columns("assessments")
    ['source_id', 'criterion', 'value']
    """
    return list(TABLE_SPECS[table].columns)


def file_columns(table: str, *, required_only: bool = False) -> list[str]:
    """The columns of ``table`` as they appear in its file.

    Examples
    --------
    >>> file_columns("observations")[-1]
    'value'
    >>> "breeding_system" in file_columns("sources", required_only=True)
    False
    """
    out = []
    for name, col in TABLE_SPECS[table].columns.items():
        if not col.metadata["in_file"]:
            continue
        if required_only and not col.required:
            continue
        out.append(name)
    return out


_KIND_LABEL = {"text": "text", "code": "code", "int": "integer", "float": "number",
               "date": "date", "bool": "true/false"}


def _codes_text(codes) -> str:
    return ", ".join(f"`{c}`" for c in codes)


def render_docs() -> str:
    """data/README.md: every table and column, rendered from :data:`TABLE_SPECS`.

    Examples
    --------
    >>> render_docs().splitlines()[0]
    '# Workspace tables'
    """
    out = [
        "# Workspace tables",
        "",
        "<!-- Generated by genelab.schema.render_docs(); do not edit by hand. -->",
        "",
        "A workspace is a folder holding `genelab.toml` and one file per table below. Each table",
        "may be a CSV file (UTF-8, a byte-order mark is accepted) or an Excel `.xlsx` workbook",
        "(its first sheet, or a sheet named like the table). Empty cells are missing values.",
        "Dates are written `YYYY-MM-DD`; codes are lower-case ASCII except IUCN categories",
        "(upper case, as IUCN writes them). Columns not listed here are kept as they are.",
        "`genelab validate PATH` checks a workspace and lists every problem.",
        "",
        "Required tables: " + ", ".join(f"`{t}`" for t in REQUIRED_TABLES)
        + ". Optional: " + ", ".join(f"`{t}`" for t in OPTIONAL_TABLES) + ".",
        "",
        "Propagation-trial plot data live in `trials/<trial_id>.csv` (or `.xlsx`): the columns the",
        "trial's row names (treatment, factors, block, row, column, main, sub, responses,",
        "counts, dose) must be present; responses, counts and dose must be numeric, counts",
        "whole numbers ≥ 0 with successes ≤ trials. Design columns each design needs: "
        + "; ".join(f"`{d}`: " + ", ".join(c) for d, c in DESIGN_COLUMNS.items()) + ".",
        "",
    ]
    for name, schema in TABLE_SPECS.items():
        meta = schema.metadata
        req = "required" if meta["required"] else "optional"
        out += [f"## {name}", "", f"{schema.description} Key: "
                + ", ".join(f"`{k}`" for k in meta["key"]) + f". File: `{name}.csv` ({req}).", "",
                "| column | type | unit | must be present | may be empty | meaning | allowed |",
                "|---|---|---|---|---|---|---|"]
        for cname, col in schema.columns.items():
            m = col.metadata
            allowed = ""
            if m["codes"] is not None:
                allowed = _codes_text(m["codes"])
            for chk in col.checks:
                if chk.error and chk.error.startswith(("a value", "text matching", "a source id",
                                                       "an identifier", "a lower-case")):
                    allowed = (allowed + "; " if allowed else "") + chk.error
            present = "loaded only" if not m["in_file"] else ("yes" if col.required else "no")
            out.append(
                f"| `{cname}` | {_KIND_LABEL[m['kind']]} | {m['unit'] or ''} | {present} | "
                f"{'yes' if col.nullable else 'no'} | {col.description} | {allowed} |"
            )
        out.append("")
    out += [
        "## Code lists",
        "",
        "MCPD v2.1 SAMPSTAT: " + "; ".join(f"`{k}` {v}" for k, v in SAMPSTAT.items()) + ".",
        "",
        "MCPD v2.1 STORAGE: " + "; ".join(f"`{k}` {v}" for k, v in STORAGE.items()) + ".",
        "",
        "IUCN categories: " + "; ".join(f"`{k}` {v}" for k, v in IUCN_NAMES.items()) + ".",
        "",
        "Districts of Lạng Sơn: " + ", ".join(DISTRICTS) + ". Coordinates outside Vietnam "
        f"(latitude {VIETNAM_BOUNDS[0]}–{VIETNAM_BOUNDS[1]}, longitude {VIETNAM_BOUNDS[2]}–"
        f"{VIETNAM_BOUNDS[3]}) are errors; coordinates inside Vietnam but outside the province of "
        "genelab.toml, and districts not in the province's list, are warnings.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - `python -m genelab.schema > data/README.md`
    import sys

    sys.stdout.buffer.write(render_docs().encode("utf-8"))
