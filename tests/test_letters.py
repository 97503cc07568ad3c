"""Letters against agricolae's orderPvalue on the reference matrices."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import case_params, json_pointer, load_case
from genelab.errors import DesignError
from genelab.trials.letters import LETTERS, letters_from_pvalues, sort_order


def _matrices(folder):
    spec, expected = load_case(folder)
    data = pd.read_csv(folder / spec["input"], na_values=[spec["missing_value"]], keep_default_na=False)
    results = {m["matrix"]: m for m in json_pointer(expected, spec["results_at"])}
    for name, block in data.groupby(spec["matrix"], sort=False):
        trts = list(block[spec["treatment"]])
        stat = pd.Series(block[spec["statistic"]].to_numpy(), index=trts)
        pcols = [f"{spec['p_column_prefix']}{t}" for t in trts]
        p = pd.DataFrame(block[pcols].to_numpy(), index=trts, columns=trts)
        yield name, stat, p, float(block[spec["alpha_column"]].iloc[0]), results[name]


@pytest.mark.parametrize("folder", case_params("letters"))
def test_letters_from_pvalues_against_r(folder):
    checked = 0
    for name, stat, p, alpha, want in _matrices(folder):
        got = letters_from_pvalues(stat, p, alpha)
        assert list(got.index) == [g["trt"] for g in want["groups"]], name
        assert list(got) == [g["groups"] for g in want["groups"]], name
        checked += 1
    spec, expected = load_case(folder)
    assert checked == len(json_pointer(expected, spec["results_at"])) > 0


def test_ties_keep_label_order_and_letters_run_past_z():
    assert sort_order(pd.Series({"T2": 1.0, "T1": 1.0, "T0": 0.5})) == ["T1", "T2", "T0"]
    assert LETTERS[26] == "A" and len(set(LETTERS[:61])) == 61


def test_bad_alpha_is_refused():
    with pytest.raises(DesignError, match="alpha"):
        letters_from_pvalues(pd.Series({"a": 1.0}), pd.DataFrame([[1.0]], index=["a"], columns=["a"]), 1.5)
