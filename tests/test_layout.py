"""Field books: structure, numbering and reproducibility."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from genelab.errors import DesignError
from genelab.trials.layout import layout

TRT = ["CK", "IBA500", "IBA1000", "IBA2000", "NAA500"]


def test_crd_counts_numbering_and_reps():
    book = layout("crd", TRT, reps=4, seed=1)
    assert len(book) == 20 and book["plot"].tolist() == list(range(101, 121))
    assert (book["treatment"].value_counts() == 4).all()
    for _, g in book.groupby("treatment"):
        assert g["rep"].tolist() == [1, 2, 3, 4]  # replicates numbered in plot order
    uneven = layout("crd", ["A", "B"], reps={"A": 2, "B": 3}, seed=1, serie=1)
    assert uneven["treatment"].value_counts().to_dict() == {"B": 3, "A": 2}
    assert uneven["plot"].tolist() == [11, 12, 13, 14, 15]


def test_rcbd_each_treatment_once_per_block():
    book = layout("rcbd", TRT, blocks=4, seed=3)
    assert len(book) == 20
    for b, g in book.groupby("block"):
        assert sorted(g["treatment"]) == sorted(TRT)
        assert g["plot"].tolist() == [b * 100 + i for i in range(1, 6)]
        assert g["column"].tolist() == [1, 2, 3, 4, 5]
    # randomised: not every block in the same order
    orders = {tuple(g["treatment"]) for _, g in book.groupby("block")}
    assert len(orders) > 1


def test_rcbd_numbering_options():
    serp = layout("rcbd", 3, blocks=3, seed=0, serpentine=True)
    assert serp["plot"].tolist() == [101, 102, 103, 203, 202, 201, 301, 302, 303]
    cont = layout("rcbd", 3, blocks=2, seed=0, continuous=True, serie=3)
    assert cont["plot"].tolist() == [1001, 1002, 1003, 1004, 1005, 1006]
    kept = layout("rcbd", TRT, blocks=2, seed=0, first=False)
    assert kept.loc[kept["block"] == 1, "treatment"].tolist() == TRT


def test_latin_square_property():
    for seed in range(5):
        book = layout("latin", TRT, seed=seed)
        assert len(book) == 25
        assert all(sorted(g["treatment"]) == sorted(TRT) for _, g in book.groupby("row"))
        assert all(sorted(g["treatment"]) == sorted(TRT) for _, g in book.groupby("column"))
        assert book["plot"].tolist()[:6] == [101, 102, 103, 104, 105, 201]


def test_factorial_layouts():
    facs = {"bap": ["BAP0.5", "BAP1.0", "BAP2.0"], "naa": ["NAA0.0", "NAA0.2"]}
    book = layout("factorial_rcbd", facs, blocks=3, seed=2)
    assert list(book.columns) == ["plot", "block", "row", "column", "bap", "naa"]
    for _, g in book.groupby("block"):
        assert len(g) == 6 and len(set(zip(g["bap"], g["naa"]))) == 6
    crd = layout("factorial_crd", {**facs, "light": ["dark", "light"]}, reps=2, seed=2)
    assert len(crd) == 24 and crd.groupby(["bap", "naa", "light"]).size().eq(2).all()


def test_split_plot_structure():
    book = layout("split_plot", {"nitrogen": ["N0", "N40", "N80"], "variety": ["V1", "V2"]}, blocks=3, seed=5)
    assert len(book) == 18
    assert list(book.columns) == ["plot", "subplot", "block", "row", "column", "nitrogen", "variety"]
    for _, g in book.groupby(["block", "plot"]):
        assert g["nitrogen"].nunique() == 1 and sorted(g["variety"]) == ["V1", "V2"]
        assert g["subplot"].tolist() == [1, 2]
    for _, g in book.groupby("block"):
        assert sorted(g["nitrogen"].unique()) == ["N0", "N40", "N80"]


@pytest.mark.parametrize("design, kw", [
    ("crd", {"reps": 3}), ("rcbd", {"blocks": 3}), ("latin", {}),
    ("factorial_rcbd", {"blocks": 2}), ("split_plot", {"blocks": 3}),
])
def test_reproducible_by_seed(design, kw):
    trts = {"a": ["a1", "a2", "a3"], "b": ["b1", "b2", "b3"]} if design in ("factorial_rcbd", "split_plot") else TRT
    one = layout(design, trts, seed=11, **kw)
    pd.testing.assert_frame_equal(one, layout(design, trts, seed=11, **kw))
    assert not one.equals(layout(design, trts, seed=12, **kw))


def test_clear_errors():
    with pytest.raises(DesignError, match="design must be one of"):
        layout("alpha_lattice", TRT, seed=1)
    with pytest.raises(DesignError, match="blocks="):
        layout("rcbd", TRT, seed=1)
    with pytest.raises(DesignError, match="reps="):
        layout("crd", TRT, seed=1)
    with pytest.raises(DesignError, match="more than once"):
        layout("rcbd", ["A", "A", "B"], blocks=2, seed=1)
    with pytest.raises(DesignError, match="dict"):
        layout("split_plot", TRT, blocks=2, seed=1)
    with pytest.raises(DesignError, match="2 factors"):
        layout("split_plot", {"a": [1, 2], "b": [1, 2], "c": [1, 2]}, blocks=2, seed=1)
    with pytest.raises(DesignError, match="no blocks"):
        layout("crd", TRT, blocks=3, seed=1)
    with pytest.raises(DesignError, match="blocks="):
        layout("rcbd", TRT, reps=3, seed=1)
    with pytest.raises(TypeError):
        layout("rcbd", TRT, blocks=2)  # the seed must be given


@pytest.mark.parametrize("design, treatments, kw, anova_kw, error_df", [
    ("crd", TRT, {"reps": 4}, {"treatment": "treatment"}, 15),
    ("rcbd", TRT, {"blocks": 4}, {"treatment": "treatment", "block": "block"}, 12),
    ("latin", TRT, {}, {"treatment": "treatment", "row": "row", "column": "column"}, 12),
    ("factorial_crd", {"a": ["a1", "a2"], "b": ["b1", "b2", "b3"]}, {"reps": 3}, {"factors": ["a", "b"]}, 12),
    ("factorial_rcbd", {"a": ["a1", "a2"], "b": ["b1", "b2", "b3"]}, {"blocks": 3}, {"factors": ["a", "b"], "block": "block"}, 10),
    ("split_plot", {"n": ["N0", "N40", "N80"], "v": ["V1", "V2"]}, {"blocks": 3}, {"main": "n", "sub": "v", "block": "block"}, 6),
])
def test_field_books_are_analysed_by_anova(design, treatments, kw, anova_kw, error_df):
    """A field book planned by layout() is a valid input to anova() of the same design."""
    from genelab.trials import anova

    book = layout(design, treatments, seed=8, **kw)
    book["y"] = np.random.default_rng(1).normal(50, 5, len(book))
    fit = anova(book, "y", design=design, **anova_kw)
    assert fit.df_error == error_df
