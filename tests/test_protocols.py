"""genelab.protocols: protocol sheets from the demo trials."""
from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import genelab
from genelab.errors import ConfigError, DesignError
from genelab.protocols import protocol_sheet, wilson_ci


def _workspace(protocols=None):
    """The demo tables as plain CSV reads (the sheet needs protocols, trial(), trial_data())."""
    path = genelab.demo_path()
    trials = pd.read_csv(path / "trials.csv", dtype=str)
    prot = pd.read_csv(path / "protocols.csv", dtype=str) if protocols is None else protocols
    return SimpleNamespace(
        protocols=prot,
        trial=lambda tid: trials.set_index("trial_id", drop=False).loc[tid],
        trial_data=lambda tid: pd.read_csv(path / "trials" / f"{tid}.csv",
                                           dtype={"treatment": str, "block": str}),
    )


def _wilson(x, n, alpha=0.05):
    z = stats.norm.ppf(1 - alpha / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_wilson_ci_by_hand():
    for x, n in [(18, 25), (0, 20), (20, 20), (55, 100)]:
        assert_allclose(wilson_ci(x, n), _wilson(x, n), rtol=1e-12, atol=1e-15)
    assert_allclose(wilson_ci(18, 25, alpha=0.1), _wilson(18, 25, 0.1), rtol=1e-12)
    assert all(math.isnan(v) for v in wilson_ci(0, 0))


def test_sheet_of_a_cutting_trial_with_counts():
    ws = _workspace()
    sheet = protocol_sheet(ws, "PR01", lang="en")
    data = pd.read_csv(genelab.demo_path() / "trials" / "T01-HOI-IBA.csv")
    pooled = data.groupby("treatment")[["rooted", "cuttings"]].sum()
    rate = pooled["rooted"] / pooled["cuttings"]
    assert sheet.outcome == "rooted/cuttings" and sheet.outcome_kind == "rate"
    assert sheet.best == rate.idxmax()
    a = sheet.achieved
    assert a["successes"] == pooled.loc[sheet.best, "rooted"] and a["trials"] == pooled.loc[sheet.best, "cuttings"]
    assert_allclose(a["value"], rate.max())
    assert_allclose([a["ci_low"], a["ci_high"]], _wilson(a["successes"], a["trials"]), rtol=1e-12)
    # the top group shares a letter with the best level
    best_letters = set(sheet.table.loc[sheet.best, "group"])
    assert sheet.top_group == [lvl for lvl, g in sheet.table["group"].items() if best_letters & set(g)]
    assert sheet.best in sheet.top_group
    assert sheet.recommended == "IBA2000" and sheet.recommended_in_top_group
    # per-plot percentages were analysed: the means are the mean plot percentages
    pct = (100 * data["rooted"] / data["cuttings"]).groupby(data["treatment"]).mean()
    assert_allclose(sheet.table["mean"], pct.loc[sheet.table.index])
    md = sheet.to_markdown()
    assert f"**{sheet.best}**" in md and "1. Chọn cành bánh tẻ" in md and "| Treatment |" in md
    html = sheet.to_html()
    assert "<ol><li>Chọn cành bánh tẻ</li>" in html and "protocol-sheet" in html
    d = sheet.to_dict()
    json.dumps(d)
    assert d["best"] == sheet.best and d["markdown"] == md


def test_sheet_of_a_latin_square_mean_with_t_interval():
    import statsmodels.formula.api as smf

    sheet = protocol_sheet(_workspace(), "PR07")
    data = pd.read_csv(genelab.demo_path() / "trials" / "T07-CHE-FERT.csv")
    assert sheet.outcome == "shoot_yield_kg_plot" and sheet.outcome_kind == "mean"
    means = data.groupby("fertiliser")["shoot_yield_kg_plot"].mean()
    assert sheet.best == means.idxmax()
    fit = smf.ols("shoot_yield_kg_plot ~ C(terrace) + C(strip) + C(fertiliser)", data).fit()
    n = int((data["fertiliser"] == sheet.best).sum())
    half = stats.t.ppf(0.975, fit.df_resid) * math.sqrt(fit.mse_resid / n)
    a = sheet.achieved
    assert_allclose(a["value"], means.max(), rtol=1e-12)
    assert_allclose([a["ci_low"], a["ci_high"]], [means.max() - half, means.max() + half], rtol=1e-9)
    assert_allclose(sheet.statistics["mse"], fit.mse_resid, rtol=1e-9)


def test_outcome_choice_lower_is_better_and_errors():
    ws = _workspace()
    s = protocol_sheet(ws, "PR11", outcome="days_to_bud_break", lower_is_better=True)
    data = pd.read_csv(genelab.demo_path() / "trials" / "T11-NA-GRAFT.csv")
    assert s.best == data.groupby("month")["days_to_bud_break"].mean().idxmin()
    s2 = protocol_sheet(ws, "PR01", outcome="roots_per_cutting", method="duncan")
    assert s2.outcome_kind == "mean" and s2.method == "duncan"
    with pytest.raises(ConfigError, match="not a count pair"):
        protocol_sheet(ws, "PR01", outcome="dead/cuttings")
    with pytest.raises(ConfigError, match="not a response"):
        protocol_sheet(ws, "PR01", outcome="height_cm")
    with pytest.raises(ConfigError, match="no protocol 'PR99'"):
        protocol_sheet(ws, "PR99")
    prot = pd.read_csv(genelab.demo_path() / "protocols.csv", dtype=str)
    prot.loc[prot["protocol_id"] == "PR01", "treatment"] = "IBA9000"
    with pytest.raises(DesignError, match="IBA9000"):
        protocol_sheet(_workspace(prot), "PR01")


def test_factorial_and_split_plot_sheets_use_combinations():
    ws = _workspace()
    s = protocol_sheet(ws, "PR05")
    assert s.term == "bap:naa" and ":" in s.best and s.recommended in s.table.index
    s = protocol_sheet(ws, "PR06")
    assert s.term == "nitrogen:density" and s.outcome == "grain_yield_t_ha"
    data = pd.read_csv(genelab.demo_path() / "trials" / "T06-LUA-NPK.csv")
    cell = data.groupby(["nitrogen", "density"])["grain_yield_t_ha"].mean()
    assert s.best == ":".join(cell.idxmax())


def test_protocol_without_trial():
    s = protocol_sheet(_workspace(), "PR15", lang="en")
    assert s.trial_id is None and s.table.empty and s.best is None
    assert len(s.steps) == 3 and s.steps[1] == "Khẩu phần ngô, cám gạo, rau xanh"
    assert "1. Chuồng sàn khô ráo" in s.to_markdown()
    json.dumps(s.to_dict())


def test_every_demo_protocol_through_open_workspace():
    ws = genelab.open_workspace(genelab.demo_path())
    sheets = [protocol_sheet(ws, pid) for pid in ws.protocols["protocol_id"]]
    assert len(sheets) >= 15
    with_trial = [s for s in sheets if s.trial_id]
    assert with_trial and all(s.best in s.top_group for s in with_trial)
    for s in with_trial:
        a = s.achieved
        assert a["ci_low"] <= a["value"] <= a["ci_high"]
        if s.recommended is not None:
            assert s.recommended_in_top_group in (True, False)
        json.dumps(s.to_dict())
