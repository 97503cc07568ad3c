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


def test_protocol_without_trial():
    s = protocol_sheet(_workspace(), "PR15", lang="en")
    assert s.trial_id is None and s.table.empty and s.best is None
    assert len(s.steps) == 3 and s.steps[1] == "Khẩu phần ngô, cám gạo, rau xanh"
    assert "1. Chuồng sàn khô ráo" in s.to_markdown()
    json.dumps(s.to_dict())
