"""Figures of the value and priority scoring (genelab.scoring).

Each function returns a matplotlib ``Figure`` built without pyplot's global state (so a
report notebook shows it once), or draws on the ``ax`` given.
"""
from __future__ import annotations

import threading

import numpy as np

from genelab.errors import ConfigError
from genelab.i18n import label

__all__ = ["score_bars", "score_radar", "score_radar_png", "rank_stability"]


def _axes(ax, figsize, polar=False):
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot(projection="polar" if polar else None)


def _criterion_labels(result, lang):
    crit = result.criteria.set_index("criterion")
    col = f"label_{lang}"
    label("score", lang)  # an unknown language is an error here, not a KeyError later
    return [str(crit.at[c, col]) if col in crit else c for c in result.weights.index]


def score_bars(result, *, lang: str = "vi", top: int | None = None, ax=None):
    """Ranked horizontal bar chart of the scores, each bar stacked by criterion contribution.

    Parameters
    ----------
    result : ScoreResult
        From :func:`genelab.scoring.score`.
    lang : {"vi", "en"}
        Language of the labels (criterion labels from the config).
    top : int, optional
        Show only the best ``top`` sources.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from genelab.scoring import score
    >>> crit = pd.DataFrame({"criterion": ["a", "b"], "direction": ["benefit", "cost"],
    ...                      "weight": [0.7, 0.3]})
    >>> data = pd.DataFrame({"source_id": ["S1", "S1", "S2", "S2"], "criterion": ["a", "b"] * 2,
    ...                      "value": [5, 1, 2, 3]})
    >>> fig = score_bars(score(data, crit), lang="en")
    >>> len(fig.axes[0].patches)
    4
    """
    t = result.table if top is None else result.table.head(int(top))
    names = list(result.weights.index)
    labels = _criterion_labels(result, lang)
    fig, ax = _axes(ax, (8, 0.9 + 0.28 * len(t)))
    import matplotlib as mpl

    colors = mpl.colormaps["tab10" if len(names) <= 10 else "tab20"](np.arange(len(names)))
    y = np.arange(len(t))
    left = np.zeros(len(t))
    for j, name in enumerate(names):
        width = t[name].to_numpy(float)
        ax.barh(y, width, left=left, color=colors[j], label=labels[j], edgecolor="white", linewidth=0.4)
        left += width
    for yi, (sid, row) in zip(y, t.iterrows()):
        ax.text(row["score"] + 0.005, yi, f"{row['score']:.3f} (#{int(row['rank'])})", va="center", fontsize=7)
    ax.set_yticks(y, [str(s) for s in t.index], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.0, float(t["score"].max()) * 1.15))
    ax.set_xlabel(f"{label('score', lang)} ({result.method.upper()})")
    ax.set_ylabel(label("source", lang))
    ax.legend(title=label("contribution", lang), fontsize=7, title_fontsize=8, loc="lower right")
    ax.set_title(label("score_chart_title", lang))
    return fig


def score_radar(result, source_id: str, *, lang: str = "vi", ax=None):
    """Radar chart of one source's achievement on each criterion against the median source.

    Achievement is the benefit-oriented normalised value in [0, 1] (``result.normalized``:
    1 = best possible on the criterion, cost criteria inverted).

    Examples
    --------
    >>> import pandas as pd
    >>> from genelab.scoring import score
    >>> crit = pd.DataFrame({"criterion": ["a", "b", "c"], "direction": ["benefit"] * 3,
    ...                      "weight": [1, 1, 1]})
    >>> data = pd.DataFrame({"source_id": ["S1"] * 3 + ["S2"] * 3, "criterion": ["a", "b", "c"] * 2,
    ...                      "value": [5, 1, 3, 2, 3, 4]})
    >>> fig = score_radar(score(data, crit), "S1", lang="en")
    >>> len(fig.axes[0].lines)
    2
    """
    _check_scored(result, source_id)
    fig, ax = _axes(ax, (5.5, 5.5), polar=True)
    _radar_static(ax, result, lang)
    _radar_own(ax, result, source_id, lang)
    return fig


def _check_scored(result, source_id) -> None:
    norm = result.normalized
    if source_id not in norm.index:
        raise ConfigError(f"source {source_id!r} was not scored; scored sources: {', '.join(map(str, norm.index[:10]))} …")


def _radar_closed(values):
    return np.r_[values, values[:1]]


def _radar_static(ax, result, lang) -> None:
    """The parts of the radar shared by every source: median polygon, spokes, rings."""
    labels = _criterion_labels(result, lang)
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    closed = _radar_closed(angles)
    med = _radar_closed(result.normalized.median(axis=0).to_numpy(float))
    ax.plot(closed, med, color="grey", linestyle="--", label=label("median_source", lang))
    ax.fill(closed, med, color="grey", alpha=0.1)
    ax.set_xticks(angles, labels, fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0], ["", "0.5", "", "1"], fontsize=7)


def _radar_own(ax, result, source_id, lang) -> list:
    """The source's polygon, the title and the legend; returns the artists added."""
    norm = result.normalized
    k = norm.shape[1]
    closed = _radar_closed(np.linspace(0, 2 * np.pi, k, endpoint=False))
    own = _radar_closed(norm.loc[source_id].to_numpy(float))
    added = ax.plot(closed, own, color="tab:green", linewidth=2, label=str(source_id))
    added += ax.fill(closed, own, color="tab:green", alpha=0.25)
    rank = int(result.table.at[source_id, "rank"])
    ax.set_title(f"{source_id}: {label('rank', lang)} {rank}/{len(norm)}", fontsize=10)
    added.append(ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1), fontsize=8))
    return added


def rank_stability(result, *, lang: str = "vi", top: int | None = None, ax=None):
    """Rank-stability figure of a sensitivity analysis.

    One row per source (base rank order): the 90 % rank interval as a line, the median rank
    as a dot coloured by the probability of being in the top ``result.top``, the rank at the
    chosen weights as a cross; a dashed line marks the top-``result.top`` cut-off.

    Examples
    --------
    >>> import pandas as pd
    >>> from genelab.scoring import sensitivity
    >>> crit = pd.DataFrame({"criterion": ["a", "b"], "direction": ["benefit"] * 2, "weight": [1, 1]})
    >>> data = pd.DataFrame({"source_id": ["S1", "S1", "S2", "S2", "S3", "S3"],
    ...                      "criterion": ["a", "b"] * 3, "value": [5, 1, 2, 4, 3, 3]})
    >>> fig = rank_stability(sensitivity(data, crit, n=100, seed=1, top=1), lang="en")
    >>> fig.axes[0].get_xlabel()
    'Rank'
    """
    t = result.table if top is None else result.table.head(int(top))
    fig, ax = _axes(ax, (7, 0.9 + 0.25 * len(t)))
    y = np.arange(len(t))
    ax.hlines(y, t["rank_low"], t["rank_high"], color="0.6", linewidth=2)
    sc = ax.scatter(t["median_rank"], y, c=t["p_top"], cmap="viridis", vmin=0, vmax=1, zorder=3, s=25,
                    label=label("median_rank", lang))
    ax.scatter(t["rank"], y, marker="x", color="tab:red", zorder=4, s=20, label=label("rank", lang))
    ax.axvline(result.top + 0.5, color="k", linestyle="--", linewidth=0.8)
    ax.set_yticks(y, [str(s) for s in t.index], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(label("rank", lang))
    ax.set_ylabel(label("source", lang))
    ax.set_title(f"{label('rank_stability_title', lang)} (n = {result.n})")
    cbar = fig.colorbar(sc, ax=ax, pad=0.01)
    cbar.set_label(f"{label('p_top', lang)} {result.top}")
    ax.legend(fontsize=7, loc="lower right")
    return fig


# ------------------------------------------------------------------------------ radar as PNG
_RADAR_LAYOUTS: dict = {}  # layout key -> (result, positions, crop, title centre, title inside, width)
_RADAR_TEMPLATES: dict = {}  # static key -> (result, figure, axes, renderer)
_RADAR_LOCK = threading.Lock()  # the kept figure is drawn by one thread at a time


def _png_bytes(fig, **kwargs) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, **kwargs)
    return buf.getvalue()


def _rc_digest() -> int:
    import matplotlib as mpl

    return hash(tuple((k, repr(v)) for k, v in sorted(mpl.rcParams.items())))


def score_radar_png(result, source_id: str, *, lang: str = "vi", dpi: int = 96,
                    pad_inches: float = 0.08) -> bytes:
    """:func:`score_radar` as PNG bytes cropped to its content, its layout solved once.

    The bytes are those of ``score_radar(...).savefig(buf, format="png", dpi=dpi,
    bbox_inches="tight", pad_inches=pad_inches, metadata={"Software": None})``, which draws
    the figure twice and runs the constrained layout each time.  The layout and the crop
    depend only on the criteria, the median source, the language, matplotlib's settings and
    the size of the title and legend boxes (the title's width only where it reaches the
    crop's edge).  The first figure of each such key is laid out in full and its axes
    positions and crop are kept; later figures with the same key are drawn once, on a
    figure holding the shared parts (median polygon, spokes, rings) kept per process.

    Examples
    --------
    >>> import pandas as pd
    >>> from genelab.scoring import score
    >>> crit = pd.DataFrame({"criterion": ["a", "b", "c"], "direction": ["benefit"] * 3,
    ...                      "weight": [1, 1, 1]})
    >>> data = pd.DataFrame({"source_id": ["S1"] * 3 + ["S2"] * 3, "criterion": ["a", "b", "c"] * 2,
    ...                      "value": [5, 1, 3, 2, 3, 4]})
    >>> res = score(data, crit)
    >>> first, second = score_radar_png(res, "S1", lang="en"), score_radar_png(res, "S2", lang="en")
    >>> second == _png_bytes(score_radar(res, "S2", lang="en"), dpi=96, bbox_inches="tight",
    ...                      pad_inches=0.08)
    True
    """
    _check_scored(result, source_id)
    with _RADAR_LOCK:
        return _score_radar_png_kept(result, source_id, lang, dpi, pad_inches)


def _score_radar_png_kept(result, source_id, lang, dpi, pad_inches) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.transforms import Bbox

    static = (id(result), lang, dpi, pad_inches, _rc_digest())
    template = _RADAR_TEMPLATES.get(static)
    if template is None or template[0] is not result:
        from matplotlib.figure import Figure

        # no layout engine: positions come from the kept layout, and savefig then draws once
        fig = Figure(figsize=(5.5, 5.5), layout=None)
        ax = fig.add_subplot(projection="polar")
        FigureCanvasAgg(fig)  # kept with its renderer: text metrics are cached across figures
        _radar_static(ax, result, lang)
        template = (result, fig, ax, RendererAgg(1, 1, dpi))
        _RADAR_TEMPLATES.clear()
        _RADAR_TEMPLATES[static] = template
    _, fig, ax, measure = template
    added = _radar_own(ax, result, source_id, lang)
    try:
        title = ax.title.get_window_extent(measure, dpi=dpi)
        legend = ax.get_legend().get_window_extent(measure)
        key = (static, round(title.height, 9), round(legend.width, 9), round(legend.height, 9))
        hit = _RADAR_LAYOUTS.get(key)
        if hit is not None and hit[0] is result:
            _, positions, bbox, centre, inside, width = hit
            half = title.width / 2 / dpi
            if (inside and bbox.x0 < centre - half and centre + half < bbox.x1) or \
                    (not inside and width == title.width):
                for a, pos in zip(fig.axes, positions):
                    a._set_position(pos)
                return _png_bytes(fig, dpi=dpi, bbox_inches=bbox.padded(pad_inches))
    finally:
        for artist in added:
            artist.remove()
        ax.set_title("")
    # lay out a new figure in full, recording the crop the tight bbox gives
    fresh = score_radar(result, source_id, lang=lang)
    seen = {}
    tight = fresh.get_tightbbox

    def spy(*args, **kwargs):
        seen["bbox"] = found = tight(*args, **kwargs)
        return found

    fresh.get_tightbbox = spy
    try:
        png = _png_bytes(fresh, dpi=dpi, bbox_inches="tight", pad_inches=pad_inches)
    finally:
        del fresh.get_tightbbox
    bbox = Bbox(seen["bbox"].get_points().copy())
    positions = [a.get_position(original=True).frozen() for a in fresh.axes]
    placed = fresh.axes[0].title.get_window_extent(RendererAgg(1, 1, dpi), dpi=dpi)
    centre = (placed.x0 + placed.x1) / 2 / dpi
    inside = bool(bbox.x0 < placed.x0 / dpi and placed.x1 / dpi < bbox.x1)
    if len(_RADAR_LAYOUTS) > 64:
        _RADAR_LAYOUTS.clear()
    _RADAR_LAYOUTS[key] = (result, positions, bbox, centre, inside, title.width)
    return png
