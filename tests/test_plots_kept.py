"""Figures drawn over parts kept per process give the same PNG bytes as drawn afresh."""
from __future__ import annotations

import io

import pandas as pd
import pytest

import genelab
from genelab.plots import maps, scoring


def _fresh(fig, **kwargs) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, metadata={"Software": None}, **kwargs)
    plt.close(fig)
    return buf.getvalue()


@pytest.fixture(scope="module")
def ws():
    return genelab.open_workspace(genelab.demo_path())


def _site(row) -> pd.DataFrame:
    return pd.DataFrame({"latitude": [row["latitude"]], "longitude": [row["longitude"]],
                         "label": [row["source_id"]]})


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_site_map_png_equals_the_figure_drawn_afresh(ws, lang):
    maps._BACKGROUNDS.clear()
    for _, row in ws.sources.iloc[::9].iterrows():
        title = f"{row['name_vi']} ({row['district']})"
        kept = maps.site_map_png(_site(row), highlight=[row["source_id"]], lang=lang, title=title)
        fresh = _fresh(maps.site_map(_site(row), highlight=[row["source_id"]], lang=lang,
                                     title=title))
        assert kept == fresh, row["source_id"]
    assert len(maps._BACKGROUNDS) == 1


def test_site_map_png_near_the_frame_and_with_groups(ws):
    edge = pd.DataFrame({"latitude": [22.54], "longitude": [107.44], "label": ["EDGE-1"]})
    assert maps.site_map_png(edge, highlight=["EDGE-1"], title="x") == \
        _fresh(maps.site_map(edge, highlight=["EDGE-1"], title="x"))
    many = ws.sources[["latitude", "longitude", "group"]].assign(label=ws.sources["source_id"])
    assert maps.site_map_png(many, title="all") == _fresh(maps.site_map(many, title="all"))
    empty = many.iloc[0:0]
    assert maps.site_map_png(empty, title="none") == _fresh(maps.site_map(empty, title="none"))


@pytest.mark.parametrize("order", [1, -1])
def test_score_radar_png_equals_the_figure_drawn_afresh(ws, order):
    from genelab.scoring import criteria_from_config, score

    res = score(ws.assessments, criteria_from_config(ws.config))
    scoring._RADAR_LAYOUTS.clear()
    scoring._RADAR_TEMPLATES.clear()
    for sid in list(res.table.index[::8])[::order]:
        kept = scoring.score_radar_png(res, sid, lang="vi")
        fresh = _fresh(scoring.score_radar(res, sid, lang="vi"), bbox_inches="tight",
                       pad_inches=0.08)
        assert kept == fresh, sid
    assert scoring.score_radar_png(res, sid, lang="en") == _fresh(
        scoring.score_radar(res, sid, lang="en"), bbox_inches="tight", pad_inches=0.08)
