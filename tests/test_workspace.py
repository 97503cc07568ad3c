"""open_workspace, the schemas, the demo workspace and `genelab validate`."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import genelab
from genelab import schema
from genelab.cli import main
from genelab.errors import MAX_PROBLEMS, ValidationError
from genelab.workspace import NotFoundError, open_workspace

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini"
CASES = sorted(p for p in (DATA / "bad").iterdir() if (p / "case.toml").is_file())


@pytest.fixture(scope="module")
def demo():
    return open_workspace(genelab.demo_path())


def _build(case: Path, tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    spec = tomllib.loads((case / "case.toml").read_text("utf-8"))
    for rel in spec.get("remove", []):
        (ws / rel).unlink()
    for path in case.rglob("*"):
        if path.is_file() and path.name != "case.toml":
            target = ws / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return ws


# ------------------------------------------------------------------ the bad-input corpus


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_corpus(case, tmp_path):
    spec = tomllib.loads((case / "case.toml").read_text("utf-8"))
    ws = _build(case, tmp_path)
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    with pytest.raises(ValidationError) as info:
        open_workspace(ws)
    err = info.value
    got = err.problems
    expected = spec.get("expect", [])
    if not spec.get("at_least"):
        assert len(got) == len(expected), "\n".join(map(str, got))
    for exp in expected:
        hits = [p for p in got
                if p.file == exp.get("file") and p.row == exp.get("row") and p.column == exp.get("column")
                and exp.get("message") in p.message
                and ("value" not in exp or str(p.value) == str(exp["value"]))]
        assert hits, f"expected {exp} among:\n" + "\n".join(map(str, got))
    # never a traceback, every problem printable, and the workspace untouched
    assert str(err).splitlines()[0].endswith("found in the input data:")
    assert before == {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}


def test_corpus_cases_each_have_their_own_expected_problems():
    seen = {}
    for case in CASES:
        spec = tomllib.loads((case / "case.toml").read_text("utf-8"))
        key = tuple(sorted(tuple(sorted(e.items())) for e in spec.get("expect", [])))
        assert key not in seen, f"{case.name} expects the same problems as {seen.get(key)}"
        seen[key] = case.name
    assert len(CASES) >= 40


def test_problem_list_is_capped_with_a_count_of_the_rest(tmp_path):
    ws = _build(DATA / "bad" / "many_problems", tmp_path)
    with pytest.raises(ValidationError) as info:
        open_workspace(ws)
    err = info.value
    n_obs = len(pd.read_csv(MINI / "observations.csv"))
    traits = pd.read_csv(MINI / "traits.csv").set_index("trait")["kind"]
    obs = pd.read_csv(MINI / "observations.csv")
    n_quant = int((obs["trait"].map(traits) == "quantitative").sum())
    n_qual = n_obs - n_quant
    assert err.total == n_obs  # every quantitative cell is not a number, every state is not a state
    assert n_quant > 0 and n_qual > 0
    lines = str(err).splitlines()
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[-1] == f"  … and {n_obs - MAX_PROBLEMS} more problems not listed."


def test_utf8_with_bom_and_semicolon_csv_are_read(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    text = (MINI / "sources.csv").read_text("utf-8")
    (ws / "sources.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    via = pd.read_csv(MINI / "viability.csv", dtype=str, keep_default_na=False)
    via.to_csv(ws / "viability.csv", sep=";", index=False)
    (ws / "viability.csv").write_text((ws / "viability.csv").read_text("utf-8").replace(".", ","), "utf-8")
    out = open_workspace(ws)
    ref = open_workspace(MINI)
    pd.testing.assert_frame_equal(out.sources, ref.sources)
    pd.testing.assert_frame_equal(out.viability, ref.viability)


def test_xlsx_tables_and_sheet_named_like_the_table(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    frame = pd.read_csv(MINI / "sources.csv", dtype=str, keep_default_na=False)
    for c in ("latitude", "longitude", "elevation_m", "sampstat"):
        frame[c] = pd.to_numeric(frame[c])
    frame["collected_on"] = pd.to_datetime(frame["collected_on"])
    (ws / "sources.csv").unlink()
    with pd.ExcelWriter(ws / "sources.xlsx") as w:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(w, sheet_name="README", index=False)
        frame.to_excel(w, sheet_name="sources", index=False)
    out = open_workspace(ws)
    ref = open_workspace(MINI)
    pd.testing.assert_frame_equal(out.sources, ref.sources)
    assert out.files["sources"].name == "sources.xlsx"


def test_province_box_and_district_are_warnings(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    frame = pd.read_csv(MINI / "sources.csv", dtype=str, keep_default_na=False)
    frame.loc[0, ["latitude", "longitude"]] = ["21.03", "105.85"]  # Hà Nội
    frame.loc[1, "district"] = "Lục Ngạn"
    frame.to_csv(ws / "sources.csv", index=False)
    out = open_workspace(ws)
    msgs = [(w.row, w.column, w.message) for w in out.warnings]
    assert (2, "latitude, longitude",
            "outside Lạng Sơn (21.3–22.5 °N, 106.0–107.4 °E): check the coordinates (warning)") in msgs
    assert any(r == 3 and c == "district" for r, c, _ in msgs)
    assert main(["validate", str(ws)]) == 0


def test_unknown_columns_are_kept(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    frame = pd.read_csv(MINI / "sources.csv", dtype=str, keep_default_na=False)
    frame["ghi_chu"] = ["a", "", "c"]
    frame.to_csv(ws / "sources.csv", index=False)
    out = open_workspace(ws)
    assert out.sources["ghi_chu"].tolist()[0] == "a" and pd.isna(out.sources["ghi_chu"].iloc[1])


def test_missing_folder_is_a_validation_error(tmp_path):
    with pytest.raises(ValidationError, match="no such folder"):
        open_workspace(tmp_path / "nowhere")


# ------------------------------------------------------------------ the demo workspace


def test_demo_has_the_programme_shape(demo):
    src = demo.sources
    assert len(src) == 65
    assert (src["kind"] == "plant").sum() == 45 and (src["kind"] == "animal").sum() == 20
    assert set(src["district"]) == set(schema.DISTRICTS)
    assert src["latitude"].between(21.3, 22.5).all() and src["longitude"].between(106.0, 107.4).all()
    assert set(src["group"]) >= {"fruit_tree", "spice", "medicinal", "food_crop", "vegetable", "forest_tree",
                                 "pig", "chicken", "duck", "cattle", "goat", "fish"}
    assert demo.knowledge["source_id"].nunique() >= 45
    assert len(demo.traits) >= 40 and set(demo.traits["kind"]) == {"quantitative", "qualitative"}
    assert set(demo.trials["design"]) == set(schema.DESIGNS)
    assert len(demo.trials) >= 12 and demo.trials["source_id"].nunique() >= 10
    assert len(demo.models) == 12 and len(demo.protocols) == 16
    assert set(demo.assessments["source_id"]) == set(src["source_id"])
    assert demo.warnings == ()
    # some seed lots fall below 85 % of their initial viability
    v = demo.viability.sort_values(["lot_id", "tested_on"])
    pct = v["germinated"] / v["sown"]
    ratio = pct.groupby(v["lot_id"]).last() / pct.groupby(v["lot_id"]).first()
    assert 0 < (ratio < 0.85).sum() < len(ratio)
    # replicated observations: accessions, reps, two years, two sites for some, some missing values
    obs = demo.observations
    assert set(obs["year"]) == {2022, 2023}
    assert (obs.groupby("source_id")["site"].nunique() == 2).sum() >= 5
    assert 0.005 < obs["value"][obs["state"].isna()].isna().mean() < 0.06


def test_demo_ahp_matrix_is_consistent(demo):
    a = np.asarray(demo.config["scoring"]["ahp"], dtype=float)
    n = len(a)
    lam = np.max(np.real(np.linalg.eigvals(a)))
    assert (lam - n) / (n - 1) / 1.32 < 0.10
    assert demo.config["scoring"]["criteria"] == ["threat", "rarity", "economic", "cultural", "market",
                                                   "propagation", "cost"]


def test_loaded_tables_conform_to_the_declared_pandera_schemas(demo):
    for name, frame in demo.tables.items():
        schema.SCHEMAS[name].validate(frame, lazy=True)


def test_observation_value_and_state(demo):
    obs = demo.observations
    assert obs["value"].dtype == np.float64 and obs["state"].dtype == "string"
    kinds = obs["trait"].map(demo.traits.set_index("trait")["kind"])
    assert obs.loc[kinds == "qualitative", "value"].isna().all()
    assert obs.loc[kinds == "quantitative", "state"].isna().all()
    assert obs.loc[kinds == "qualitative", "state"].notna().mean() > 0.9


def test_trial_data_follows_the_trial_row(demo):
    for trial_id in demo.trials["trial_id"]:
        row = demo.trial(trial_id)
        data = demo.trial_data(trial_id)
        for name in str(row["responses"]).split(";"):
            assert data[name].dtype == np.float64
        if not pd.isna(row["counts"]):
            for pair in row["counts"].split(";"):
                s, t = pair.split("/")
                assert data[s].dtype == np.int64 and (data[s] <= data[t]).all()
        for field in schema.DESIGN_COLUMNS[row["design"]]:
            for name in str(row[field]).split(";"):
                assert data[name].dtype == "string"
    data = demo.trial_data("T01-HOI-IBA")
    data.loc[0, "rooted"] = 99  # a copy: the workspace keeps its own
    assert demo.trial_data("T01-HOI-IBA").loc[0, "rooted"] != 99
    with pytest.raises(NotFoundError, match="no trial 'T99'"):
        demo.trial("T99")


def test_rooting_matches_the_cutting_trial(demo):
    rooted = demo.rooting.groupby("treatment")["rooted"].sum()
    plots = demo.trial_data("T01-HOI-IBA").groupby("treatment")["rooted"].sum()
    pd.testing.assert_series_equal(rooted.sort_index(), plots.sort_index(), check_names=False)


def test_source_restricts_every_table(demo):
    sub = demo.source("HOI-001")
    assert list(sub.sources["source_id"]) == ["HOI-001"]
    for name in ("knowledge", "observations", "trials", "germination", "viability", "assessments", "models",
                 "protocols", "growth"):
        assert set(getattr(sub, name)["source_id"]) <= {"HOI-001"}
    assert len(sub.observations) > 0 and len(sub.trials) == 1 and len(sub.rooting) == 500
    assert len(sub.traits) == len(demo.traits)
    sub.trial_data("T01-HOI-IBA")
    with pytest.raises(NotFoundError):
        sub.trial("T03-QUYT-GRAFT")
    with pytest.raises(NotFoundError, match="no source 'XX-001'"):
        demo.source("XX-001")


def test_optional_tables_may_be_absent(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    (ws / "growth.csv").unlink()
    (ws / "rooting.csv").unlink()
    out = open_workspace(ws)
    assert out.growth.empty and list(out.growth.columns) == schema.table_columns("growth")
    assert out.files["growth"] is None


def test_demo_regenerates_byte_identical(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_demo.py"), str(tmp_path / "demo")],
                   check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    demo_dir = genelab.demo_path()
    ours = sorted(p.relative_to(demo_dir) for p in demo_dir.rglob("*") if p.is_file())
    fresh = sorted(p.relative_to(tmp_path / "demo") for p in (tmp_path / "demo").rglob("*") if p.is_file())
    assert ours == fresh
    for rel in ours:
        assert (demo_dir / rel).read_bytes() == (tmp_path / "demo" / rel).read_bytes(), rel


def test_data_readme_is_the_rendering_of_the_schemas():
    assert (ROOT / "data" / "README.md").read_text("utf-8") == schema.render_docs()


def test_demo_readme_says_synthetic():
    text = (genelab.demo_path() / "README.md").read_text("utf-8")
    assert "synthetic" in text.lower() and "make_demo.py" in text


# ------------------------------------------------------------------ genelab validate


def test_validate_ok(capsys):
    assert main(["validate", str(genelab.demo_path())]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "valid — 65 sources" in out[0] and "14 trials" in out[0]


def test_validate_bad(capsys, tmp_path):
    ws = _build(DATA / "bad" / "unknown_code", tmp_path)
    assert main(["validate", str(ws)]) == 1
    out = capsys.readouterr().out
    assert "1 problem found in the input data:" in out
    assert "sources.csv, row 2, column 'conservation': value 'genebank' — one of: in_situ" in out
    assert "Traceback" not in out


def test_validate_missing_folder(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "nowhere")]) == 1
    assert "no such folder" in capsys.readouterr().out


def test_inconsistent_ahp_is_a_warning(tmp_path, capsys):
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    toml = (MINI / "genelab.toml").read_text("utf-8")
    # threat 9× cost but cost 1/2 of propagation and propagation 1/2 of threat: judgements disagree
    toml = toml.replace("[1, 2, 2, 3, 2, 3, 4]", "[1, 0.111111, 2, 3, 2, 3, 9]")
    toml = toml.replace("[0.5, 1, 1, 2, 1, 2, 3]", "[9, 1, 1, 2, 1, 2, 3]")
    toml = toml.replace("[0.25, 0.333333, 0.5, 0.5, 0.5, 0.5, 1]", "[0.111111, 0.333333, 0.5, 0.5, 0.5, 0.5, 1]")
    (ws / "genelab.toml").write_text(toml, "utf-8")
    out = open_workspace(ws)
    (warn,) = [w for w in out.warnings if w.column == "scoring.ahp"]
    assert warn.value >= 0.10 and "consistency ratio ≥ 0.10" in warn.message
    assert main(["validate", str(ws)]) == 0
    assert "warning: genelab.toml, column 'scoring.ahp'" in capsys.readouterr().out


def test_loading_does_not_import_pandera():
    code = ("import sys, genelab; genelab.open_workspace(genelab.demo_path()); "
            "print('pandera' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.stdout.strip() == "False"


def test_every_source_view_is_consistent(demo):
    for sid in demo.sources["source_id"]:
        sub = demo.source(sid)
        assert len(sub.sources) == 1
        assert set(sub.plot_data) == set(sub.trials["trial_id"])
    assert set(schema.CONSERVATION_STORAGE) == set(schema.CONSERVATION)
    assert all(v is None or v in schema.STORAGE for v in schema.CONSERVATION_STORAGE.values())


def test_random_cell_damage_never_gives_a_traceback(tmp_path):
    """Damage random cells of random tables: loading either works or raises ValidationError."""
    rng = np.random.default_rng(7)
    garbage = ["", "abc", "-1", "1e99", "NaN", "2023-02-30", "0.5", "Ω", '"', "1;2", "HOI-001", "  ", "TRUE"]
    ws = tmp_path / "ws"
    shutil.copytree(MINI, ws)
    files = sorted(p.relative_to(MINI) for p in MINI.rglob("*.csv"))
    for _ in range(16):
        rel = files[int(rng.integers(len(files)))]
        frame = pd.read_csv(MINI / rel, dtype=str, keep_default_na=False)
        for _ in range(int(rng.integers(1, 4))):
            i, j = int(rng.integers(len(frame))), int(rng.integers(frame.shape[1]))
            frame.iat[i, j] = garbage[int(rng.integers(len(garbage)))]
        frame.to_csv(ws / rel, index=False)
        try:
            open_workspace(ws)
        except ValidationError as exc:
            assert exc.problems and all(p.file for p in exc.problems)
        shutil.copy(MINI / rel, ws / rel)
