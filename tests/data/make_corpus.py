"""Write tests/data/mini (a small valid workspace cut from data/demo) and tests/data/bad/<case>.

Run ``python tests/data/make_corpus.py`` after changing the demo or a case.  Each bad case is a
folder holding only the files that differ from mini (plus ``case.toml``: the files to remove and
the problems expected); tests/test_workspace.py overlays it on a copy of mini and pins every
problem.  The committed files are the corpus; this script only records how they were made.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent.parent / "data" / "demo"
MINI = HERE / "mini"
BAD = HERE / "bad"

SOURCES = ["HOI-001", "QUYT-001", "GA-002"]
TRIALS = ["T01-HOI-IBA", "T03-QUYT-GRAFT"]


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _write(frame, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))


def make_mini():
    if MINI.exists():
        shutil.rmtree(MINI)
    MINI.mkdir(parents=True)
    shutil.copy(DEMO / "genelab.toml", MINI / "genelab.toml")
    for name in ("sources", "knowledge", "observations", "germination", "viability", "assessments",
                 "models", "protocols", "growth"):
        df = _read(DEMO / f"{name}.csv")
        df = df[df["source_id"].isin(SOURCES)]
        if name == "observations":
            df = df[(df["year"] == "2022") & (df["rep"] == "1")]
        if name == "protocols":
            df = df[df["trial_id"].isin(TRIALS)]
        if name == "germination":
            df = df[df["dish"].isin(["CK-1", "CK-2", "GA3_100-1"]) & (df["day"].astype(int) <= 14)]
        if name == "growth":
            df = df[df["individual"].isin(["GA-002-01", "GA-002-05"])]
        _write(df, MINI / f"{name}.csv")
    traits = _read(DEMO / "traits.csv")
    _write(traits, MINI / "traits.csv")
    trials = _read(DEMO / "trials.csv")
    _write(trials[trials["trial_id"].isin(TRIALS)], MINI / "trials.csv")
    rooting = _read(DEMO / "rooting.csv")
    _write(rooting[rooting["cutting"].str.match(r"P0[15]-0[1-5]$")], MINI / "rooting.csv")
    (MINI / "trials").mkdir()
    for t in TRIALS:
        shutil.copy(DEMO / "trials" / f"{t}.csv", MINI / "trials" / f"{t}.csv")


def _case(name, description, expect, *, remove=(), files=None, raw=None, at_least=False):
    folder = BAD / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for rel, frame in (files or {}).items():
        _write(frame, folder / rel)
    for rel, data in (raw or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    lines = [f"description = {_q(description)}"]
    if remove:
        lines.append("remove = [" + ", ".join(_q(r) for r in remove) + "]")
    if at_least:
        lines.append("at_least = true")
    for e in expect:
        lines.append("")
        lines.append("[[expect]]")
        for key in ("file", "row", "column", "value", "message"):
            if e.get(key) is not None:
                v = e[key]
                lines.append(f"{key} = {v if isinstance(v, int) and not isinstance(v, bool) else _q(str(v))}")
    (folder / "case.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _q(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _e(file, row, column, value, message):
    return {"file": file, "row": None if row is None else int(row), "column": column, "value": value,
            "message": message}


def make_bad():
    if BAD.exists():
        shutil.rmtree(BAD)
    src = _read(MINI / "sources.csv")
    obs = _read(MINI / "observations.csv")
    germ = _read(MINI / "germination.csv")
    via = _read(MINI / "viability.csv")
    trials = _read(MINI / "trials.csv")
    t01 = _read(MINI / "trials" / "T01-HOI-IBA.csv")
    ass = _read(MINI / "assessments.csv")
    traits = _read(MINI / "traits.csv")
    prot = _read(MINI / "protocols.csv")
    toml = (MINI / "genelab.toml").read_text("utf-8")

    _case("missing_table", "viability.csv was not copied into the workspace",
          [_e("viability.csv", None, None, None, "missing table: expected viability.csv or viability.xlsx")],
          remove=["viability.csv"])

    d = src.drop(columns=["threat"])
    _case("missing_column", "sources.csv lacks the threat column",
          [_e("sources.csv", None, "threat", None, "missing column 'threat'")], files={"sources.csv": d})

    d = src.copy()
    d.loc[1, "elevation_m"] = "350 m"
    _case("wrong_type", "an elevation typed with its unit",
          [_e("sources.csv", 3, "elevation_m", "350 m", "a number (use '.' or ',' as decimal mark, no units)")],
          files={"sources.csv": d})

    d = src.copy()
    d.loc[0, "conservation"] = "genebank"
    _case("unknown_code", "a conservation method that is not a code",
          [_e("sources.csv", 2, "conservation", "genebank",
              "one of: in_situ, on_farm, field_genebank, seed_bank, in_vitro, live_herd")],
          files={"sources.csv": d})

    d = src.copy()
    d.loc[0, "threat"] = "Vu"
    _case("unknown_iucn_code", "an IUCN category in the wrong case",
          [_e("sources.csv", 2, "threat", "Vu", "one of: EX, EW, CR, EN, VU, NT, LC, DD, NE")],
          files={"sources.csv": d})

    d = src.copy()
    d.loc[2, "sampstat"] = "350"
    _case("unknown_sampstat", "a SAMPSTAT code MCPD does not define",
          [_e("sources.csv", 4, "sampstat", "350", "one of: 100, 110, 120")], files={"sources.csv": d})

    d = pd.concat([src, src.iloc[[0]]], ignore_index=True)
    _case("duplicate_key", "the same source entered twice",
          [_e("sources.csv", 5, "source_id", src.loc[0, "source_id"], "duplicate key: row 2 has the same source_id")],
          files={"sources.csv": d})

    d = obs.copy()
    d.loc[3, "source_id"] = "HOI-009"
    _case("unknown_source", "an observation of a source not in sources.csv",
          [_e("observations.csv", 5, "source_id", "HOI-009", "a source_id listed in sources")],
          files={"observations.csv": d})

    d = obs.copy()
    d.loc[4, "trait"] = "tree_height_cm"
    _case("unknown_trait", "an observation of a trait not in traits.csv",
          [_e("observations.csv", 6, "trait", "tree_height_cm", "a trait listed in traits")],
          files={"observations.csv": d})

    d = obs.copy()
    i = d.index[d["trait"] == "fruit_shape"][0]
    d.loc[i, "value"] = "square"
    _case("state_outside_trait", "a qualitative value outside the trait's states",
          [_e("observations.csv", i + 2, "value", "square",
              "one of the states of trait 'fruit_shape': round, oblate, oval, conical, star")],
          files={"observations.csv": d})

    d = obs.copy()
    i = d.index[d["trait"] == "tree_height_m"][1]
    d.loc[i, "value"] = "about 8"
    _case("quantitative_not_number", "text where a trait needs a number",
          [_e("observations.csv", i + 2, "value", "about 8", "a number in m: trait 'tree_height_m' is quantitative")],
          files={"observations.csv": d})

    d = src.copy()
    d.loc[0, "latitude"] = "35.2"
    _case("outside_vietnam", "a latitude outside Vietnam",
          [_e("sources.csv", 2, "latitude", "35.2", "a latitude inside Vietnam (8.3–23.4 °N)")],
          files={"sources.csv": d})

    d = src.copy()
    d.loc[1, ["latitude", "longitude"]] = [d.loc[1, "longitude"], d.loc[1, "latitude"]]
    _case("swapped_coordinates", "latitude and longitude typed in each other's column",
          [_e("sources.csv", 3, "latitude", d.loc[1, "latitude"], "latitude and longitude look swapped"),
           _e("sources.csv", 3, "longitude", d.loc[1, "longitude"], "latitude and longitude look swapped")],
          files={"sources.csv": d})

    d = germ.copy()
    i = d.index[(d["dish"] == "CK-2") & (d["day"] == "10")][0]
    d.loc[i, "germinated"] = "45"
    _case("germinated_more_than_sown", "a dish whose germinants add up to more than the seeds sown",
          [_e("germination.csv", i + 2, "germinated", "45", "exceed seeds sown (50)")],
          files={"germination.csv": d})

    d = germ.copy()
    i = d.index[(d["dish"] == "CK-1") & (d["day"] == "5")][0]
    d.loc[i, "sown"] = "40"
    _case("germination_sown_changes", "a dish whose seeds sown change from one day to the next",
          [_e("germination.csv", i + 2, "sown", "40", "the seeds sown in dish CK-1 on its first day")],
          files={"germination.csv": d})

    d = via.copy()
    d.loc[2, "germinated"] = "230"
    _case("viability_germinated_more_than_sown", "more seeds germinated than tested",
          [_e("viability.csv", 4, "germinated", "230", "at most the seeds sown (100)")],
          files={"viability.csv": d})

    d = via.copy()
    d.loc[1, "stock"] = "-200"
    _case("negative_count", "a negative stock of seeds",
          [_e("viability.csv", 3, "stock", "-200", "a value ≥ 0")], files={"viability.csv": d})

    d = _read(MINI / "models.csv").iloc[0:0]
    _case("empty_table", "models.csv with its header only",
          [_e("models.csv", None, None, None, "the table has no data rows")], files={"models.csv": d})

    _case("empty_file", "protocols.csv saved with nothing in it",
          [_e("protocols.csv", None, None, None, "the file is empty")], raw={"protocols.csv": b""})

    text = (MINI / "sources.csv").read_text("utf-8")
    _case("not_utf8_cp1258", "sources.csv saved by Excel in the Windows Vietnamese code page",
          [_e("sources.csv", 2, None, "QUYT-001,Quy\u0301t v\xe0ng B\u0103\u0301c",
              "it looks like Windows-1258 (Vietnamese)")],
          raw={"sources.csv": _cp1258(text)})

    _case("not_utf8_utf16", "sources.csv saved as 'Unicode Text' (UTF-16)",
          [_e("sources.csv", None, None, None, "the file is UTF-16 text")],
          raw={"sources.csv": text.encode("utf-16")})

    d = src.copy()
    d.loc[0, "collected_on"] = "24/07/2021"
    _case("bad_date", "a date in day/month/year", [_e("sources.csv", 2, "collected_on", "24/07/2021",
                                                    "a date written YYYY-MM-DD")], files={"sources.csv": d})

    d = src.copy()
    d.loc[2, "name_vi"] = ""
    _case("empty_required_cell", "a source without its Vietnamese name",
          [_e("sources.csv", 4, "name_vi", None, "a value; this cell must not be empty")], files={"sources.csv": d})

    d = germ.copy()
    d.loc[0, "sown"] = "50.5"
    _case("fraction_count", "a count with a decimal part",
          [_e("germination.csv", 2, "sown", "50.5", "a whole number, not a fraction")],
          files={"germination.csv": d})

    d = via.copy()
    d.loc[0, "stock"] = "1e99"
    _case("count_too_large", "a count far beyond any whole number a computer holds exactly",
          [_e("viability.csv", 2, "stock", "1e+99", "a whole number below 9 007 199 254 740 992")],
          files={"viability.csv": d})

    _case("missing_plot_file", "a trial whose plot file was not copied",
          [_e("trials/T03-QUYT-GRAFT.csv", None, None, None, "missing plot file of trial T03-QUYT-GRAFT")],
          remove=["trials/T03-QUYT-GRAFT.csv"])

    d = t01.drop(columns=["rooted"])
    _case("plot_missing_column", "a plot file without a declared count column",
          [_e("trials/T01-HOI-IBA.csv", None, "rooted", None, "missing column 'rooted', named in counts")],
          files={"trials/T01-HOI-IBA.csv": d})

    d = t01.copy()
    d.loc[5, "rooted"] = "27"
    _case("plot_successes_over_trials", "more cuttings rooted than planted",
          [_e("trials/T01-HOI-IBA.csv", 7, "rooted", 27, "at most cuttings (25)")],
          files={"trials/T01-HOI-IBA.csv": d})

    d = t01.copy()
    d.loc[2, "roots_per_cutting"] = "n/a"
    _case("plot_response_not_number", "a response cell with text",
          [_e("trials/T01-HOI-IBA.csv", 4, "roots_per_cutting", "n/a", "a number")],
          files={"trials/T01-HOI-IBA.csv": d})

    d = trials.copy()
    i = d.index[d["trial_id"] == "T03-QUYT-GRAFT"][0]
    d.loc[i, "design"] = "rcbd"
    _case("design_without_block", "an RCBD trial that names no block column",
          [_e("trials.csv", i + 2, "block", None, "the name of the block column: design 'rcbd' needs it")],
          files={"trials.csv": d})

    d = src.copy()
    d.loc[0, "source_id"] = "hoi-1"
    _case("bad_source_id", "a source code that does not follow the pattern",
          [_e("sources.csv", 2, "source_id", "hoi-1", "a source id such as HOI-001")],
          files={"sources.csv": d}, at_least=True)

    d = prot.copy()
    d.loc[0, "trial_id"] = "T99-HOI"
    _case("protocol_unknown_trial", "a protocol derived from a trial not in trials.csv",
          [_e("protocols.csv", 2, "trial_id", "T99-HOI", "a trial_id listed in trials")],
          files={"protocols.csv": d})

    d = ass.copy()
    d.loc[3, "criterion"] = "beauty"
    _case("unknown_criterion", "an assessment on a criterion genelab.toml does not list",
          [_e("assessments.csv", 5, "criterion", "beauty", "a criterion of genelab.toml scoring.criteria")],
          files={"assessments.csv": d})

    d = ass.copy()
    d.loc[0, "value"] = "7"
    _case("score_outside_scale", "a score above the criterion's scale",
          [_e("assessments.csv", 2, "value", "7", "a score on the scale of 'threat': 1 to 5")],
          files={"assessments.csv": d})

    d = traits.copy()
    i = d.index[d["trait"] == "aroma"][0]
    d.loc[i, "states"] = ""
    _case("qualitative_without_states", "a qualitative trait with no states",
          [_e("traits.csv", i + 2, "states", None, "state codes of this qualitative trait")],
          files={"traits.csv": d})

    _case("missing_config", "no genelab.toml", [_e("genelab.toml", None, None, None, "missing file")],
          remove=["genelab.toml"])

    _case("config_not_toml", "genelab.toml with a syntax error",
          [_e("genelab.toml", None, None, None, "not valid TOML")],
          raw={"genelab.toml": toml.replace('alpha = 0.05', 'alpha = 0,05').encode("utf-8")})

    _case("config_bad_language", "a language genelab has no labels for",
          [_e("genelab.toml", None, "language", "fr", "one of: vi, en")],
          raw={"genelab.toml": toml.replace('language = "vi"', 'language = "fr"').encode("utf-8")})

    _case("ahp_not_reciprocal", "an AHP matrix whose entry and mirror entry disagree",
          [_e("genelab.toml", None, "scoring.ahp", None, "a reciprocal matrix: entry [1][2]")],
          raw={"genelab.toml": toml.replace("[1, 2, 2, 3, 2, 3, 4]", "[1, 3, 2, 3, 2, 3, 4]").encode("utf-8")})

    lines = (MINI / "sources.csv").read_text("utf-8").splitlines()
    lines[2] = lines[2] + ",extra"
    _case("csv_extra_field", "a row with one field too many",
          [_e("sources.csv", 3, None, None, "cannot parse the CSV")],
          raw={"sources.csv": ("\n".join(lines) + "\n").encode("utf-8")})

    d = src.copy()
    d.loc[2, "elevation_m"] = "cao"
    lines = d.to_csv(index=False, lineterminator="\n").splitlines()
    lines.insert(2, "")  # a blank line after the first data row: the spreadsheet shows an empty row 3
    lines.insert(3, "," * (len(d.columns) - 1))  # and an empty row 4
    _case("blank_rows_keep_row_numbers", "blank rows inside a table: later rows keep their numbers",
          [_e("sources.csv", 6, "elevation_m", "cao", "a number")],
          raw={"sources.csv": ("\n".join(lines) + "\n").encode("utf-8")})

    lines = (MINI / "viability.csv").read_text("utf-8").splitlines()
    lines = [lines[0] + ",stock"] + [ln + ",0" for ln in lines[1:]]
    _case("repeated_header", "a column name typed twice in the header",
          [_e("viability.csv", 1, "stock", None, "each column name once")],
          raw={"viability.csv": ("\n".join(lines) + "\n").encode("utf-8")})

    lines = (MINI / "models.csv").read_text("utf-8").splitlines()
    lines = [lines[0] + ",,"] + [ln + ",ghi chú," for ln in lines[1:]]
    _case("nameless_column", "a column with data but no header (empty nameless columns are dropped)",
          [_e("models.csv", 1, None, None, "a name for column 13 (spreadsheet column M)")],
          raw={"models.csv": ("\n".join(lines) + "\n").encode("utf-8")})

    d = obs.copy()
    d["value"] = "x"
    _case("many_problems", "every value of observations replaced by text: the list is capped",
          [], files={"observations.csv": d}, at_least=True)

    _case("both_csv_and_xlsx", "the same table as CSV and as a workbook",
          [_e("models.csv", None, None, None, "both models.csv and models.xlsx exist")],
          raw={"models.xlsx": _xlsx(_read(MINI / "models.csv"), "models")})

    d = src.copy()
    d.loc[1, "elevation_m"] = "cao"
    _case("xlsx_wrong_type", "sources as an Excel workbook with a text elevation: rows as Excel shows them",
          [_e("sources.xlsx", 3, "elevation_m", "cao", "a number")],
          raw={"sources.xlsx": _xlsx(d, "sources", typed=True)}, remove=["sources.csv"])


def _cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes Vietnamese: base letters precomposed, tone marks combining."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


def _xlsx(frame, sheet, typed=False):
    import io
    buf = io.BytesIO()
    out = frame.copy()
    if typed:
        for c in out.columns:
            num = pd.to_numeric(out[c], errors="coerce")
            if num.notna().all():
                out[c] = num
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        out.to_excel(w, sheet_name=sheet, index=False)
    return buf.getvalue()


if __name__ == "__main__":
    make_mini()
    make_bad()
