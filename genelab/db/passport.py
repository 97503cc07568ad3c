"""From a workspace to database records (passport in MCPD terms, and the other tables).

How workspace columns become MCPD fields
----------------------------------------
=============  ==========================================================================
ACCENUMB       source_id
INSTCODE       genelab.toml ``instcode`` (placeholder :data:`mcpd.DEFAULT_INSTCODE`)
GENUS …        parsed from scientific_name: genus, specific epithet, authority, infraspecific
               rank and epithet (``subsp./var./convar./f./Group``) and its authority
ACCENAME       name_vi and name_local, ``;``-separated (MCPD multi-value)
ACQDATE        collected_on (MCPD date; partial dates keep ``--``)
COLLDATE       collected_on
ORIGCTY        VNM (or an ``origcty`` column)
COLLSITE       "commune, district, province"
DECLATITUDE …  latitude/longitude (WGS84 when given), LATITUDE/LONGITUDE in DMS
ELEVATION      elevation_m, rounded to whole metres
SAMPSTAT       sampstat
COLLSRC        ``collsrc`` column, else 10 (wild habitat) for in_situ, 20 (farm) for on_farm
STORAGE        storage codes of the source's seed lots (viability table), else from
               conservation (genelab.schema.CONSERVATION_STORAGE): seed_bank 10,
               field_genebank 20, in_vitro 30, live_herd 99
REMARKS        ``remarks`` column; ``STORAGE:live herd`` is added for live herds
other fields   a sources column named like the field in lower case (collnumb, donorcode …)
=============  ==========================================================================
"""
from __future__ import annotations

import datetime as _dt

import pandas as pd

from genelab import schema as _schema
from genelab.errors import Problem, ValidationError
from genelab.db import schema as S
from genelab.db._values import is_missing, records, to_partial_iso
from genelab.db.mcpd import DEFAULT_INSTCODE, dms, mcpd_date
from genelab.db.store import Rows

__all__ = ["parse_taxon", "passport_frame", "workspace_batches", "workspace_config", "workspace_table"]

_RANKS = ("subsp.", "ssp.", "var.", "convar.", "f.", "Group", "cv.")
_STORAGE_BY_CONSERVATION = {k: str(v) for k, v in _schema.CONSERVATION_STORAGE.items() if v is not None}
_COLLSRC_BY_CONSERVATION = {"in_situ": 10, "on_farm": 20}
_PASSTHROUGH = ("PUID", "COLLNUMB", "COLLCODE", "COLLNAME", "COLLINSTADDRESS", "COLLMISSID",
                "CROPNAME", "COORDUNCERT", "GEOREFMETH", "BREDCODE", "BREDNAME", "ANCEST",
                "DONORCODE", "DONORNAME", "DONORNUMB", "OTHERNUMB", "DUPLSITE", "DUPLINSTNAME",
                "MLSSTAT", "ACCEURL")


def parse_taxon(name) -> dict:
    """Split a scientific name into MCPD GENUS, SPECIES, SPAUTHOR, SUBTAXA, SUBTAUTHOR.

    Examples
    --------
    >>> parse_taxon("Illicium verum Hook.f.")["SPAUTHOR"]
    'Hook.f.'
    >>> t = parse_taxon("Citrus reticulata var. bacsonensis Tanaka")
    >>> t["SUBTAXA"], t["SUBTAUTHOR"]
    ('var. bacsonensis', 'Tanaka')
    >>> parse_taxon("Gallus gallus domesticus")["SUBTAXA"]
    'domesticus'
    """
    out = dict.fromkeys(("GENUS", "SPECIES", "SPAUTHOR", "SUBTAXA", "SUBTAUTHOR"))
    if is_missing(name):
        return out
    tokens = str(name).split()
    if not tokens:
        return out
    out["GENUS"] = tokens[0]
    if len(tokens) == 1:
        return out
    out["SPECIES"] = tokens[1]
    rest = tokens[2:]
    author, i = [], 0
    while i < len(rest) and rest[i] not in _RANKS and not (
        rest[i][:1].islower() and not author and rest[i][:1] != "("
    ):
        author.append(rest[i])
        i += 1
    if author:
        out["SPAUTHOR"] = " ".join(author)
    if i < len(rest):
        if rest[i] in _RANKS and i + 1 < len(rest):
            out["SUBTAXA"] = f"{rest[i]} {rest[i + 1]}"
            i += 2
        else:
            out["SUBTAXA"] = rest[i]
            i += 1
        if i < len(rest):
            out["SUBTAUTHOR"] = " ".join(rest[i:])
    return out


def workspace_table(ws, name: str) -> pd.DataFrame | None:
    """A table of a workspace object (attribute, ``tables`` mapping or dict), or None."""
    if isinstance(ws, dict):
        return ws.get(name)
    tables = getattr(ws, "tables", None)
    if isinstance(tables, dict) and name in tables:
        return tables[name]
    try:
        value = getattr(ws, name, None)
    except Exception:
        return None
    return value if isinstance(value, pd.DataFrame) else None


def workspace_config(ws) -> dict:
    """The genelab.toml settings of a workspace as a dict (empty when there are none)."""
    if isinstance(ws, dict):
        cfg = ws.get("config") or {}
    else:
        cfg = getattr(ws, "config", None) or getattr(ws, "settings", None) or {}
    if not isinstance(cfg, dict):
        cfg = getattr(cfg, "__dict__", {}) or {}
    return cfg


def _text_column(df: pd.DataFrame, name: str) -> list:
    """A column as text values (None for missing or blank); text is kept exactly as is."""
    if name not in df.columns:
        return [None] * len(df)
    s = df[name]
    if pd.api.types.is_float_dtype(s) and s.dropna().mod(1).eq(0).all():
        s = s.astype("Int64")
    out = []
    for v in s.tolist():
        if v.__class__ is str:
            out.append(None if not v or v.isspace() else v)
        elif v is None or v is pd.NA or v != v:
            out.append(None)
        else:
            out.append(str(v))
    return out


def _number_column(df, name, kind, file, problems) -> list:
    """A column as float or int values (None for missing); bad values become problems."""
    if name not in df.columns:
        return [None] * len(df)
    raw = df[name]
    num = pd.to_numeric(raw, errors="coerce").astype("float64")
    blank = raw.isna() | raw.astype("string").str.strip().eq("").fillna(True)
    bad = num.isna() & ~blank
    if kind == "int":
        bad |= num.notna() & (num % 1 != 0)
    for i in bad.to_numpy(dtype=bool).nonzero()[0]:
        problems.append(Problem(file, int(i) + 2, name, raw.iloc[i],
                                "expected a whole number" if kind == "int" else "expected a number"))
    vals = num.where(~bad).tolist()
    if kind == "int":
        return [None if v != v else int(v) for v in vals]
    return [None if v != v else float(v) for v in vals]


def _accession_rows(sources, viability, cfg, problems) -> Rows:
    file = "sources"
    n = len(sources)
    instcode = cfg.get("instcode") or (cfg.get("database") or {}).get("instcode") or DEFAULT_INSTCODE
    province = cfg.get("province")
    lots: dict = {}
    if viability is not None and len(viability) and "storage" in viability.columns:
        for sid, code in zip(viability["source_id"], pd.to_numeric(viability["storage"], errors="coerce").astype("float64")):
            if code == code:
                lots.setdefault(sid, set()).add(int(code))
    src = sources.rename(columns={c: c.lower() for c in sources.columns})
    text = {c: _text_column(src, c) for c in (
        "source_id", "name_vi", "name_local", "ethnic_group", "scientific_name", "kind", "group",
        "district", "commune", "conservation", "threat", "status", "breeding_system", "remarks",
        "origcty", "coorddatum")}
    num = {c: _number_column(src, c, k, file, problems) for c, k in (
        ("latitude", "float"), ("longitude", "float"), ("elevation_m", "float"),
        ("population_estimate", "float"), ("sampstat", "int"), ("collsrc", "int"))}
    data: dict = {}
    for f in _PASSTHROUGH:
        c = f.lower()
        data[c] = (_number_column(src, c, "int", file, problems) if S.MCPD_NUMERIC.get(f) == "int"
                   else _text_column(src, c))
    collected = [None] * n
    if "collected_on" in src.columns:
        for i, v in enumerate(src["collected_on"].tolist()):
            try:
                collected[i] = mcpd_date(to_partial_iso(v))
            except (TypeError, ValueError) as exc:
                problems.append(Problem(file, i + 2, "collected_on", v, str(exc)))
    taxa = [parse_taxon(v) for v in text["scientific_name"]]
    for f in ("GENUS", "SPECIES", "SPAUTHOR", "SUBTAXA", "SUBTAUTHOR"):
        data[f.lower()] = [t[f] for t in taxa]
    cons = text["conservation"]
    storage, remarks, collsrc = [], [], []
    for sid, c, rem, cs in zip(text["source_id"], cons, text["remarks"], num["collsrc"]):
        codes = sorted(lots.get(sid, ())) or (
            [_STORAGE_BY_CONSERVATION[c]] if c in _STORAGE_BY_CONSERVATION else [])
        storage.append(";".join(str(x) for x in codes) or None)
        parts = [rem] if rem else []
        if c == "live_herd":
            parts.append("STORAGE:live herd")
        remarks.append(";".join(parts) or None)
        collsrc.append(cs if cs is not None else _COLLSRC_BY_CONSERVATION.get(c))
    lat, lon = num["latitude"], num["longitude"]
    data.update({
        "instcode": [instcode] * n,
        "accenumb": text["source_id"],
        "accename": [";".join(dict.fromkeys(x for x in (a, b) if x)) or None
                     for a, b in zip(text["name_vi"], text["name_local"])],
        "acqdate": collected,
        "colldate": collected,
        "origcty": [o or "VNM" for o in text["origcty"]],
        "collsite": [", ".join(p for p in (c, d, province) if p) or None
                     for c, d in zip(text["commune"], text["district"])],
        "declatitude": [None if v is None else round(v, 6) for v in lat],
        "declongitude": [None if v is None else round(v, 6) for v in lon],
        "latitude": [dms(v, latitude=True) for v in lat],
        "longitude": [dms(v, latitude=False) for v in lon],
        "coorddatum": [d or ("WGS84" if la is not None else None) for d, la in zip(text["coorddatum"], lat)],
        "elevation": [None if v is None else int(round(v)) for v in num["elevation_m"]],
        "sampstat": num["sampstat"],
        "collsrc": collsrc,
        "storage": storage,
        "remarks": remarks,
        # programme fields
        "source_id": text["source_id"],
        "name_vi": text["name_vi"],
        "name_local": text["name_local"],
        "ethnic_group": text["ethnic_group"],
        "scientific_name": text["scientific_name"],
        "kind": text["kind"],
        "source_group": text["group"],
        "province": [province] * n,
        "district": text["district"],
        "commune": text["commune"],
        "conservation": cons,
        "threat": text["threat"],
        "population_estimate": num["population_estimate"],
        "status": text["status"],
        "breeding_system": text["breeding_system"],
    })
    for f in S.MCPD_FIELDS:
        data.setdefault(f.lower(), [None] * n)
    order = [c.name for c in S.accession.columns]
    return Rows("accession", {c: data[c] for c in order}, file, list(range(2, n + 2)))


def workspace_batches(ws) -> list[Rows]:
    """Every table of a workspace as database records; bad values raise one ValidationError."""
    problems: list[Problem] = []
    cfg = workspace_config(ws)
    sources = workspace_table(ws, "sources")
    if sources is None:
        raise ValidationError([Problem("sources", None, None, None, "the workspace has no sources table")])
    viability = workspace_table(ws, "viability")
    batches = [_accession_rows(sources, viability, cfg, problems)]

    def add(table, data, file, spec):
        rows, lines = records(data, spec, file, problems)
        if rows:
            batches.append(Rows.from_records(table, rows, file, lines))

    add("trait", workspace_table(ws, "traits"), "traits", {
        "trait": ("trait", "str"), "name_vi": ("name_vi", "str"), "name_en": ("name_en", "str"),
        "kind": ("kind", "str"), "unit": ("unit", "str"), "states": ("states", "str"),
        "higher_is_better": ("higher_is_better", "bool"), "applies_to": ("applies_to", "str"),
    })
    ev_rows, ev_lines = records(sources, {
        "source_id": ("source_id", "str"), "collected_on": ("collected_on", "partial"),
        "district": ("district", "str"), "commune": ("commune", "str"),
        "latitude": ("latitude", "float"), "longitude": ("longitude", "float"),
        "elevation_m": ("elevation_m", "float"), "collectors": ("collname", "str"),
    }, "sources", [])
    acc = {r["source_id"]: r for r in batches[0].rows}
    events, lines = [], []
    for r, line in zip(ev_rows, ev_lines):
        if r["collected_on"] is None and r["latitude"] is None:
            continue
        r.update(event_id=f"CE-{r['source_id']}", province=cfg.get("province"),
                 collsrc=acc.get(r["source_id"], {}).get("collsrc"))
        events.append(r)
        lines.append(line)
    if events:
        batches.append(Rows.from_records("collecting_event", events, "sources", lines))
    add("knowledge", workspace_table(ws, "knowledge"), "knowledge", {
        "knowledge_id": ("knowledge_id", "str"), "source_id": ("source_id", "str"),
        "topic": ("topic", "str"), "ethnic_group": ("ethnic_group", "str"),
        "informant": ("informant", "str"), "text": ("text", "str"),
        "recorded_on": ("recorded_on", "date"),
    })
    add("viability_test", viability, "viability", {
        "lot_id": ("lot_id", "str"), "tested_on": ("tested_on", "date"),
        "source_id": ("source_id", "str"), "sown": ("sown", "int"),
        "germinated": ("germinated", "int"), "moisture_pct": ("moisture_pct", "float"),
        "stock": ("stock", "float"), "stored_on": ("stored_on", "date"),
        "storage": ("storage", "int"),
    })
    tests = next((b for b in batches if b.table == "viability_test"), None)
    for r, line in zip(tests.rows if tests else [], tests.line if tests else []):
        if r["sown"] is not None and r["germinated"] is not None and not 0 <= r["germinated"] <= r["sown"]:
            problems.append(Problem("viability", line, "germinated", r["germinated"],
                                    f"expected 0 ≤ germinated ≤ sown ({r['sown']})"))
    inventory = workspace_table(ws, "inventory")
    if inventory is not None:
        add("inventory", inventory, "inventory", {
            "holding_id": ("holding_id", "str"), "source_id": ("source_id", "str"),
            "holding": ("holding", "str"), "storage": ("storage", "int"),
            "stored_on": ("stored_on", "date"), "quantity": ("quantity", "float"),
            "unit": ("unit", "str"), "as_of": ("as_of", "date"),
        })
    else:
        batches += _derived_inventory(batches)
    add("protocol", workspace_table(ws, "protocols"), "protocols", {
        "protocol_id": ("protocol_id", "str"), "source_id": ("source_id", "str"),
        "kind": ("kind", "str"), "title": ("title", "str"), "trial_id": ("trial_id", "str"),
        "status": ("status", "str"), "steps": ("steps", "str"), "treatment": ("treatment", "str"),
    })
    add("demo_model", workspace_table(ws, "models"), "models", {
        "model_id": ("model_id", "str"), "source_id": ("source_id", "str"),
        "district": ("district", "str"), "year": ("year", "int"), "area_ha": ("area_ha", "float"),
        "yield_model": ("yield_model", "float"), "yield_control": ("yield_control", "float"),
        "yield_potential": ("yield_potential", "float"), "price": ("price", "float"),
        "cost_model": ("cost_model", "float"), "cost_control": ("cost_control", "float"),
        "households": ("households", "int"),
    })
    obs = workspace_table(ws, "observations")
    if obs is not None and len(obs):
        batches.append(_observation_rows(obs, problems))
    if problems:
        raise ValidationError(problems[:200], total=len(problems))
    return batches


def _derived_inventory(batches: list[Rows]) -> list[Rows]:
    """Holdings when the workspace has no inventory table: seed lots from the viability
    tests (stock at the latest test) and one living collection per field-genebank,
    in-vitro or live-herd source."""
    rows, lines = [], []
    tests = next((b for b in batches if b.table == "viability_test"), None)
    if tests is not None:
        by_lot: dict = {}
        for r, line in zip(tests.rows, tests.line):
            by_lot.setdefault(r["lot_id"], []).append((r, line))
        for lot, items in sorted(by_lot.items()):
            items.sort(key=lambda x: x[0]["tested_on"] or _dt.date.min)
            last, line = items[-1]
            stored = min((r["stored_on"] for r, _ in items if r["stored_on"]), default=None)
            storage = next((r["storage"] for r, _ in reversed(items) if r["storage"] is not None), None)
            rows.append({"holding_id": lot, "source_id": last["source_id"], "holding": "seed_lot",
                         "storage": storage, "stored_on": stored, "quantity": last["stock"],
                         "unit": "seeds", "as_of": last["tested_on"]})
            lines.append(line)
    acc = batches[0]
    holding = {"field_genebank": (20, "plants"), "in_vitro": (30, "cultures"), "live_herd": (99, "animals")}
    for r, line in zip(acc.rows, acc.line):
        if r["conservation"] in holding:
            code, unit = holding[r["conservation"]]
            rows.append({"holding_id": f"{r['source_id']}-{r['conservation']}", "source_id": r["source_id"],
                         "holding": r["conservation"], "storage": code, "stored_on": None,
                         "quantity": None, "unit": unit, "as_of": None})
            lines.append(line)
    file = "viability" if tests is not None else "sources"
    return [Rows.from_records("inventory", rows, file, lines)] if rows else []


def _observation_rows(obs: pd.DataFrame, problems: list[Problem]) -> Rows:
    """Observations, vectorised (they are the big table).

    ``value`` holds numbers of quantitative traits; the state codes of qualitative traits
    come from a ``state`` column (a loaded workspace) or from non-numeric ``value`` text.
    """
    n = len(obs)
    out = {c: _text_column(obs, c) for c in ("source_id", "accession", "site", "trait")}
    for c in ("year", "rep"):
        out[c] = _number_column(obs, c, "int", "observations", problems)
    if "value" in obs.columns:
        vals = pd.to_numeric(obs["value"], errors="coerce")
        if "state" in obs.columns:
            out["state"] = _text_column(obs, "state")
        else:
            raw = obs["value"].astype("string")
            states = raw.where(vals.isna() & raw.notna() & (raw.str.strip() != ""))
            out["state"] = _text_column(pd.DataFrame({"state": states}), "state")
        out["value"] = [None if v != v else float(v) for v in vals.tolist()]
    else:
        out["value"] = [None] * n
        out["state"] = _text_column(obs, "state")
    order = [c.name for c in S.observation.columns]
    return Rows("observation", {c: out[c] for c in order}, "observations", list(range(2, n + 2)))


def passport_frame(ws) -> pd.DataFrame:
    """The MCPD passport data of a workspace's sources, as the import would store them.

    Columns are the MCPD v2.1 field names (numbers as numbers, None for missing) plus
    ``SOURCE_ID``; no database is needed (reports use it for the PDCI).

    Examples
    --------
    >>> ws = {"sources": pd.DataFrame({"source_id": ["HOI-001"], "name_vi": ["Hồi"],
    ...       "scientific_name": ["Illicium verum"], "sampstat": [300], "conservation": ["seed_bank"]})}
    >>> passport_frame(ws).loc[0, ["ACCENUMB", "GENUS", "STORAGE"]].tolist()
    ['HOI-001', 'Illicium', '10']
    """
    problems: list[Problem] = []
    sources = workspace_table(ws, "sources")
    if sources is None:
        raise ValidationError([Problem("sources", None, None, None, "the workspace has no sources table")])
    rows = _accession_rows(sources, workspace_table(ws, "viability"), workspace_config(ws), problems)
    if problems:
        raise ValidationError(problems[:200], total=len(problems))
    cols = [f.lower() for f in S.MCPD_FIELDS] + ["source_id"]
    return pd.DataFrame({c.upper(): rows.data[c] for c in cols}, dtype=object)
