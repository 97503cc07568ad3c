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
               conservation: seed_bank 13, field_genebank 20, in_vitro 30, live_herd 99
REMARKS        ``remarks`` column; ``STORAGE:live herd`` is added for live herds
other fields   a sources column named like the field in lower case (collnumb, donorcode …)
=============  ==========================================================================
"""
from __future__ import annotations

import datetime as _dt

import pandas as pd

from genelab.errors import Problem, ValidationError
from genelab.db import schema as S
from genelab.db._values import is_missing, records, to_float, to_int, to_partial_iso, to_text
from genelab.db.mcpd import DEFAULT_INSTCODE, dms, mcpd_date
from genelab.db.store import Rows

__all__ = ["parse_taxon", "workspace_batches", "workspace_config", "workspace_table"]

_RANKS = ("subsp.", "ssp.", "var.", "convar.", "f.", "Group", "cv.")
_STORAGE_BY_CONSERVATION = {"seed_bank": "13", "field_genebank": "20", "in_vitro": "30",
                            "live_herd": "99"}
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


def _col(df: pd.DataFrame, name: str) -> list:
    return df[name].tolist() if name in df.columns else [None] * len(df)


def _accession_rows(sources, viability, cfg, problems) -> Rows:
    file = "sources"
    instcode = cfg.get("instcode") or (cfg.get("database") or {}).get("instcode") or DEFAULT_INSTCODE
    province = cfg.get("province")
    lots = {}
    if viability is not None and len(viability) and "storage" in viability.columns:
        for sid, code in zip(viability["source_id"], viability["storage"]):
            c = to_int(code) if not is_missing(code) else None
            if c is not None:
                lots.setdefault(sid, set()).add(c)
    rows, lines = [], []
    lower = {c.lower(): c for c in sources.columns}
    cols = {c: _col(sources, c) for c in sources.columns}
    for i in range(len(sources)):
        line = i + 2

        def get(name, i=i):
            c = lower.get(name)
            return None if c is None else cols[c][i]

        def conv(fn, name, i=i, line=line):
            try:
                return fn(get(name))
            except (TypeError, ValueError) as exc:
                problems.append(Problem(file, line, name, get(name), str(exc)))
                return None

        sid = to_text(get("source_id"))
        lat, lon = conv(to_float, "latitude"), conv(to_float, "longitude")
        collected = conv(to_partial_iso, "collected_on")
        conservation = to_text(get("conservation"))
        rec = {f.lower(): None for f in S.MCPD_FIELDS}
        for f in _PASSTHROUGH:
            kind = S.MCPD_NUMERIC.get(f)
            rec[f.lower()] = conv(to_int if kind == "int" else to_text, f.lower())
        rec.update({k.lower(): v for k, v in parse_taxon(get("scientific_name")).items()})
        names = [n for n in (to_text(get("name_vi")), to_text(get("name_local"))) if n]
        codes = sorted(lots.get(sid, ())) or (
            [_STORAGE_BY_CONSERVATION[conservation]] if conservation in _STORAGE_BY_CONSERVATION else [])
        remarks = [r for r in (to_text(get("remarks")),) if r]
        if conservation == "live_herd":
            remarks.append("STORAGE:live herd")
        collsrc = conv(to_int, "collsrc")
        if collsrc is None:
            collsrc = _COLLSRC_BY_CONSERVATION.get(conservation)
        elevation = conv(to_float, "elevation_m")
        rec.update({
            "instcode": instcode,
            "accenumb": sid,
            "accename": ";".join(dict.fromkeys(names)) or None,
            "acqdate": mcpd_date(collected),
            "colldate": mcpd_date(collected),
            "origcty": to_text(get("origcty")) or "VNM",
            "collsite": ", ".join(p for p in (to_text(get("commune")), to_text(get("district")),
                                              province) if p) or None,
            "declatitude": None if lat is None else round(lat, 6),
            "declongitude": None if lon is None else round(lon, 6),
            "latitude": dms(lat, latitude=True),
            "longitude": dms(lon, latitude=False),
            "coorddatum": to_text(get("coorddatum")) or ("WGS84" if lat is not None else None),
            "elevation": None if elevation is None else int(round(elevation)),
            "sampstat": conv(to_int, "sampstat"),
            "collsrc": collsrc,
            "storage": ";".join(str(c) for c in codes) or None,
            "remarks": ";".join(remarks) or None,
            # programme fields
            "source_id": sid,
            "name_vi": to_text(get("name_vi")),
            "name_local": to_text(get("name_local")),
            "ethnic_group": to_text(get("ethnic_group")),
            "scientific_name": to_text(get("scientific_name")),
            "kind": to_text(get("kind")),
            "source_group": to_text(get("group")),
            "province": province,
            "district": to_text(get("district")),
            "commune": to_text(get("commune")),
            "conservation": conservation,
            "threat": to_text(get("threat")),
            "population_estimate": conv(to_float, "population_estimate"),
            "status": to_text(get("status")),
            "breeding_system": to_text(get("breeding_system")),
        })
        rows.append(rec)
        lines.append(line)
    return Rows("accession", rows, file, lines)


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
            batches.append(Rows(table, rows, file, lines))

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
        batches.append(Rows("collecting_event", events, "sources", lines))
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
    return [Rows("inventory", rows, file, lines)] if rows else []


def _observation_rows(obs: pd.DataFrame, problems: list[Problem]) -> Rows:
    """Observations, vectorised (they are the big table)."""
    n = len(obs)
    out = {}
    for c in ("source_id", "accession", "site", "trait"):
        s = obs[c] if c in obs.columns else pd.Series([None] * n)
        out[c] = [None if is_missing(v) else str(v) for v in s.tolist()]
    for c in ("year", "rep"):
        s = pd.to_numeric(obs[c], errors="coerce") if c in obs.columns else pd.Series([float("nan")] * n)
        bad = s.isna() | (s % 1 != 0)
        for i in bad.to_numpy().nonzero()[0][:50]:
            problems.append(Problem("observations", int(i) + 2, c, obs[c].iloc[i] if c in obs.columns else None,
                                    "expected a whole number"))
        out[c] = [None if v != v else int(v) for v in s.tolist()]
    if "value" in obs.columns:
        vals = pd.to_numeric(obs["value"], errors="coerce")
        qualitative = "state" in obs.columns
        if not qualitative:
            raw = obs["value"].astype("string")
            nonnum = vals.isna() & raw.notna() & (raw.str.strip() != "")
            states = raw.where(nonnum)
        else:
            states = obs["state"]
        out["value"] = [None if v != v else float(v) for v in vals.tolist()]
        out["state"] = [None if is_missing(v) else str(v) for v in states.tolist()]
    else:
        out["value"] = [None] * n
        out["state"] = [None] * n
    names = list(out)
    rows = [dict(zip(names, vals)) for vals in zip(*out.values())]
    return Rows("observation", rows, "observations", list(range(2, n + 2)))
