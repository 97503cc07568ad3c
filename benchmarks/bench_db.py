"""Gene-source database: import of a synthetic 50,000-accession workspace (passport +
500,000 observations) into SQLite, and MCPD export.

Targets (issue 8): import under 60 s, export under 10 s.  The obvious alternative — one
INSERT statement per row, as a hand-written loop would do — is measured on a sample in the
same run and scaled to the full size.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from genelab.db import export_mcpd, import_workspace, open_database  # noqa: E402
from genelab.db import schema as S  # noqa: E402

N_SOURCES = 50_000
N_OBS = 500_000
SAMPLE = 2_000


def synthetic_workspace(n_sources=N_SOURCES, n_obs=N_OBS, seed=2021) -> dict:
    rng = np.random.default_rng(seed)
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    prefix = ["".join(p) for p in rng.choice(letters, size=(n_sources // 999 + 1, 3))]
    ids = [f"{prefix[i // 999]}-{i % 999 + 1:03d}" for i in range(n_sources)]
    districts = np.array(["Bắc Sơn", "Văn Quan", "Cao Lộc", "Lộc Bình", "Đình Lập", "Tràng Định"])
    genera = np.array(["Illicium verum Hook.f.", "Citrus reticulata Blanco", "Diospyros kaki L.f.",
                       "Mesona chinensis Benth.", "Oryza sativa L."])
    sources = pd.DataFrame({
        "source_id": ids,
        "name_vi": [f"Nguồn gen “{i}” <Lạng Sơn>" for i in ids],
        "name_local": [f"Mác {i}" for i in ids],
        "scientific_name": rng.choice(genera, n_sources),
        "kind": "plant",
        "group": "fruit_tree",
        "district": rng.choice(districts, n_sources),
        "commune": "Xã " + pd.Series(rng.integers(1, 200, n_sources)).astype(str),
        "latitude": np.round(rng.uniform(21.3, 22.4, n_sources), 5),
        "longitude": np.round(rng.uniform(106.1, 107.3, n_sources), 5),
        "elevation_m": np.round(rng.uniform(100, 1400, n_sources)),
        "collected_on": pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1500, n_sources), "D"),
        "sampstat": rng.choice([100, 300, 300, 500], n_sources),
        "conservation": rng.choice(["on_farm", "field_genebank", "seed_bank", "in_situ"], n_sources),
        "status": "collected",
        "ethnic_group": rng.choice(["tay", "nung", "dao"], n_sources),
    })
    per = n_obs // n_sources
    obs = pd.DataFrame({
        "source_id": np.repeat(ids, per),
        "accession": "A1",
        "site": "s1",
        "year": 2023,
        "rep": np.tile(np.arange(1, per // 2 + 1), 2 * n_sources),
        "trait": np.tile(np.repeat(["fruit_weight_g", "tree_height_m"], per // 2), n_sources),
        "value": np.round(rng.normal(50, 10, n_sources * per), 2),
    })
    return {"config": {"province": "Lạng Sơn"}, "sources": sources, "observations": obs}


def row_by_row(url: str, rows: list[dict], table, *, commit_each: bool) -> float:
    """One INSERT statement per row (and, if asked, one commit per row), as a naive loop does."""
    engine = sa.create_engine(url)
    t0 = time.perf_counter()
    with engine.connect() as conn:
        for r in rows:
            conn.execute(table.insert().values(**r))
            if commit_each:
                conn.commit()
        conn.commit()
    dt = time.perf_counter() - t0
    engine.dispose()
    return dt


def main() -> None:
    print("(wall time on a shared machine; CPU seconds of this process in brackets)")
    ws = synthetic_workspace()
    n_rows = len(ws["sources"]) + len(ws["observations"])
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = open_database(url)
        t0, c0 = time.perf_counter(), time.process_time()
        res = import_workspace(ws, db, who="bench")
        t_import, c_import = time.perf_counter() - t0, time.process_time() - c0
        inserted = int(res.table["inserted"].sum())
        t0, c0 = time.perf_counter(), time.process_time()
        res2 = import_workspace(ws, db, who="bench")
        t_again, c_again = time.perf_counter() - t0, time.process_time() - c0
        assert not res2.changed
        out = Path(tmp) / "mcpd.csv"
        t0, c0 = time.perf_counter(), time.process_time()
        text = export_mcpd(db, out)
        t_export, c_export = time.perf_counter() - t0, time.process_time() - c0
        n_export = text.count("\n") - 1

        # the obvious alternative on a sample of observations, in a second database
        alt_url = f"sqlite:///{Path(tmp) / 'alt.db'}"
        alt = open_database(alt_url)
        acc = db.table("accession").head(SAMPLE // 10)
        obs = db.table("observation")
        obs = obs[obs["source_id"].isin(set(acc["source_id"]))].head(SAMPLE)
        acc_rows = acc.astype(object).where(acc.notna(), None).to_dict("records")
        obs_rows = obs.astype(object).where(obs.notna(), None).to_dict("records")
        t_alt = (row_by_row(alt_url, acc_rows, S.accession, commit_each=True)
                 + row_by_row(alt_url, obs_rows, S.observation, commit_each=True))
        alt.close()
        alt2_url = f"sqlite:///{Path(tmp) / 'alt2.db'}"
        open_database(alt2_url).close()
        t_alt2 = (row_by_row(alt2_url, acc_rows, S.accession, commit_each=False)
                  + row_by_row(alt2_url, obs_rows, S.observation, commit_each=False))
        db.close()
    n_alt = len(acc_rows) + len(obs_rows)
    scaled = t_alt / n_alt * n_rows
    print(f"workspace: {len(ws['sources']):,} accessions + {len(ws['observations']):,} observations "
          f"({n_rows:,} rows; {inserted:,} records written incl. collecting events/holdings)")
    print(f"import into SQLite:     {t_import:7.2f} s  {n_rows / t_import:10,.0f} rows/s  "
          f"(target < 60 s: {'met' if t_import < 60 else 'MISSED'}; CPU {c_import:.1f} s)")
    print(f"re-import (no changes): {t_again:7.2f} s  {n_rows / t_again:10,.0f} rows/s  (CPU {c_again:.1f} s)")
    print(f"MCPD export:            {t_export:7.2f} s  {n_export / t_export:10,.0f} rows/s  "
          f"(target < 10 s: {'met' if t_export < 10 else 'MISSED'}; CPU {c_export:.1f} s)")
    scaled2 = t_alt2 / n_alt * n_rows
    print(f"row-by-row INSERT, one transaction, {n_alt:,} rows: {t_alt2:.2f} s "
          f"({n_alt / t_alt2:,.0f} rows/s) → {scaled2:,.0f} s scaled to {n_rows:,} rows")
    print(f"row-by-row INSERT + commit each, {n_alt:,} rows: {t_alt:.2f} s "
          f"({n_alt / t_alt:,.0f} rows/s) → {scaled:,.0f} s scaled to {n_rows:,} rows")
    print(f"ratio: the batched, validated, audited import is {scaled2 / t_import:,.1f}× faster than "
          f"row-by-row inserts in one transaction, {scaled / t_import:,.1f}× faster than committing each row")


if __name__ == "__main__":
    main()
