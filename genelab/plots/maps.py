"""Maps of collection sites over Lạng Sơn's districts — no web tiles, no GIS stack.

The province is drawn from data kept in the library: an approximate outline (a schematic
polygon traced from the province's extent, about 21.3–22.5 °N, 106.0–107.4 °E) and the
approximate centroid of each of its 11 districts and city.  The map is for orientation in a
report, not for measurement.

Examples
--------
>>> import pandas as pd
>>> sites = pd.DataFrame({"latitude": [21.85, 22.3], "longitude": [106.76, 106.5],
...                       "label": ["LS-001", "LS-002"]})
>>> fig = site_map(sites, lang="en")
>>> fig.axes[0].get_xlabel()
'Longitude (°E)'
>>> district_key("Huyện Bắc Sơn")
'bac_son'
"""
from __future__ import annotations

import threading
import unicodedata

__all__ = ["DISTRICT_CENTROIDS", "DISTRICT_NAMES", "PROVINCE_OUTLINE", "district_key", "site_map",
           "site_map_png"]

#: Approximate centroids (latitude, longitude) of Lạng Sơn's districts and city.
DISTRICT_CENTROIDS: dict[str, tuple[float, float]] = {
    "thanh_pho_lang_son": (21.853, 106.761),
    "cao_loc": (21.935, 106.860),
    "van_lang": (22.035, 106.585),
    "trang_dinh": (22.300, 106.500),
    "binh_gia": (21.960, 106.370),
    "van_quan": (21.865, 106.550),
    "bac_son": (21.885, 106.250),
    "chi_lang": (21.660, 106.600),
    "huu_lung": (21.540, 106.340),
    "loc_binh": (21.735, 106.975),
    "dinh_lap": (21.560, 107.150),
}

#: Vietnamese names of the districts (the keys of :data:`DISTRICT_CENTROIDS`).
DISTRICT_NAMES: dict[str, str] = {
    "thanh_pho_lang_son": "TP. Lạng Sơn", "cao_loc": "Cao Lộc", "van_lang": "Văn Lãng",
    "trang_dinh": "Tràng Định", "binh_gia": "Bình Gia", "van_quan": "Văn Quan",
    "bac_son": "Bắc Sơn", "chi_lang": "Chi Lăng", "huu_lung": "Hữu Lũng",
    "loc_binh": "Lộc Bình", "dinh_lap": "Đình Lập",
}

#: Schematic outline of the province as (longitude, latitude) points, closed.
PROVINCE_OUTLINE: tuple[tuple[float, float], ...] = (
    (106.06, 21.60), (106.12, 21.45), (106.22, 21.36), (106.40, 21.38), (106.55, 21.46),
    (106.74, 21.52), (106.90, 21.45), (107.05, 21.40), (107.22, 21.43), (107.36, 21.52),
    (107.34, 21.68), (107.18, 21.76), (107.05, 21.84), (106.98, 21.98), (106.86, 22.07),
    (106.74, 22.15), (106.70, 22.30), (106.60, 22.42), (106.47, 22.46), (106.36, 22.38),
    (106.30, 22.22), (106.20, 22.10), (106.10, 21.98), (106.03, 21.84), (106.02, 21.70),
    (106.06, 21.60),
)

_PREFIXES = ("thanh_pho_", "tp_", "huyen_", "tp._")


def district_key(name: str) -> str:
    """ASCII key of a district name ('Huyện Bắc Sơn' -> 'bac_son'; the city keeps its prefix)."""
    text = unicodedata.normalize("NFD", str(name).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower().strip()
    key = "_".join(text.replace(".", " ").replace("-", " ").split())
    if key in DISTRICT_CENTROIDS:
        return key
    if key in ("lang_son", "tp_lang_son", "thanh_pho_lang_son"):
        return "thanh_pho_lang_son"
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix):] in DISTRICT_CENTROIDS:
            return key[len(prefix):]
    return key


def _draw_background(ax, lang: str) -> None:
    """The parts of the map that do not depend on the sites: outline, districts, axes."""
    from genelab.i18n import label

    xs, ys = zip(*PROVINCE_OUTLINE)
    ax.fill(xs, ys, color="#eef3ea", edgecolor="#7a8f6a", linewidth=1.2, zorder=0)
    for key, (lat, lon) in DISTRICT_CENTROIDS.items():
        ax.plot(lon, lat, marker="+", color="#9a9a9a", markersize=6, zorder=1)
        ax.annotate(DISTRICT_NAMES[key], (lon, lat), textcoords="offset points", xytext=(0, -11),
                    ha="center", fontsize=7, color="#6f6f6f", zorder=1)
    ax.set_xlim(105.95, 107.45)
    ax.set_ylim(21.28, 22.55)
    ax.set_aspect(1.0 / 0.93)
    ax.set_xlabel(label("rp_longitude", lang))
    ax.set_ylabel(label("rp_latitude", lang))
    ax.grid(True, linewidth=0.3, alpha=0.5)


def _draw_sites(ax, data, highlight: set) -> list:
    """Scatter of ungrouped sites with their labels; returns the artists added."""
    added = [ax.scatter(data["longitude"], data["latitude"], s=26, color="#2b6ca3", zorder=2)]
    if "label" in data.columns:
        for lon, lat, text in zip(data["longitude"], data["latitude"], data["label"].astype(str)):
            hot = text in highlight
            if hot:
                added.append(ax.scatter([lon], [lat], s=90, color="#c0392b", edgecolor="black",
                                        zorder=3))
            if hot or len(data) <= 12:
                added.append(ax.annotate(text, (lon, lat), textcoords="offset points",
                                         xytext=(5, 4), fontsize=8,
                                         fontweight="bold" if hot else "normal", zorder=4))
    return added


def site_map(sites, *, highlight=None, lang: str = "vi", title: str | None = None, ax=None):
    """Scatter of collection sites over the province's outline and district centroids.

    Parameters
    ----------
    sites : DataFrame
        Columns ``latitude``, ``longitude`` and optionally ``label`` (shown beside the
        point) and ``group`` (point colour); rows without coordinates are skipped.
    highlight : list, optional
        Labels drawn larger, in red (e.g. the report's own source among all sources).
    lang : {'vi', 'en'}
        Axis labels.

    Returns
    -------
    matplotlib.figure.Figure

    See Also
    --------
    site_map_png : the same map as PNG bytes, drawn over a background rendered once per process.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=_FIGSIZE)
    else:
        fig = ax.figure
    _draw_background(ax, lang)
    data = sites.dropna(subset=["latitude", "longitude"]) if len(sites) else sites
    highlight = set(highlight or ())
    if len(data):
        groups = data["group"].astype(str) if "group" in data.columns else None
        if groups is not None:
            for i, (g, part) in enumerate(data.groupby(groups, sort=True)):
                ax.scatter(part["longitude"], part["latitude"], s=22, alpha=0.8,
                           color=plt.get_cmap("tab10")(i % 10), label=g, zorder=2)
            ax.legend(fontsize=7, loc="lower left", frameon=False, ncol=2)
            if "label" in data.columns:
                for _, r in data.iterrows():
                    hot = str(r["label"]) in highlight
                    if hot:
                        ax.scatter([r["longitude"]], [r["latitude"]], s=90, color="#c0392b",
                                   edgecolor="black", zorder=3)
                    if hot or len(data) <= 12:
                        ax.annotate(str(r["label"]), (r["longitude"], r["latitude"]),
                                    textcoords="offset points", xytext=(5, 4), fontsize=8,
                                    fontweight="bold" if hot else "normal", zorder=4)
        else:
            _draw_sites(ax, data, highlight)
    if title:
        ax.set_title(title)
    if ax is fig.axes[0] and len(fig.axes) == 1:
        fig.subplots_adjust(**_MARGINS)  # no tight_layout pass
    return fig


_FIGSIZE = (6.4, 5.6)
_MARGINS = {"left": 0.13, "right": 0.97, "bottom": 0.1, "top": 0.93}
_BACKGROUNDS: dict = {}  # (lang, dpi, rc digest) -> (figure, canvas, axes, saved buffer)
_LOCK = threading.Lock()  # the kept figure is drawn by one thread at a time


def _rc_digest() -> int:
    import matplotlib as mpl

    return hash(tuple((k, repr(v)) for k, v in sorted(mpl.rcParams.items())))


def site_map_png(sites, *, highlight=None, lang: str = "vi", title: str | None = None,
                 dpi: int = 96) -> bytes:
    """The figure of :func:`site_map` as PNG bytes, the province drawn once per process.

    The background (outline, districts, axes, grid) depends only on the language, the
    resolution and matplotlib's settings; it is rendered the first time and kept, and each
    later map restores it and draws only its sites and title on top.  The bytes are those of
    ``site_map(...).savefig(buf, format="png", dpi=dpi, metadata={"Software": None})``.
    Maps with groups (a legend), more than 12 sites, or a site so close to the frame that
    the frame would be drawn over it are drawn in full.

    Examples
    --------
    >>> import io
    >>> import pandas as pd
    >>> sites = pd.DataFrame({"latitude": [21.85], "longitude": [106.76], "label": ["LS-001"]})
    >>> png = site_map_png(sites, highlight=["LS-001"], lang="en", title="LS-001")
    >>> fig = site_map(sites, highlight=["LS-001"], lang="en", title="LS-001")
    >>> buf = io.BytesIO()
    >>> fig.savefig(buf, format="png", dpi=96, metadata={"Software": None})
    >>> png == buf.getvalue()
    True
    """
    data = sites.dropna(subset=["latitude", "longitude"]) if len(sites) else sites
    highlight = set(highlight or ())
    if "group" in data.columns or len(data) > 12:
        return _png(site_map(sites, highlight=highlight, lang=lang, title=title), dpi)
    with _LOCK:
        return _site_map_png_kept(sites, data, highlight, lang, title, dpi)


def _site_map_png_kept(sites, data, highlight, lang, title, dpi) -> bytes:
    import io

    key = (lang, dpi, _rc_digest())
    cached = _BACKGROUNDS.get(key)
    if cached is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        import matplotlib as mpl

        fig = Figure(figsize=_FIGSIZE, dpi=dpi)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        _draw_background(ax, lang)
        fig.subplots_adjust(**_MARGINS)
        face = mpl.rcParams["savefig.facecolor"]
        edge = mpl.rcParams["savefig.edgecolor"]
        fig.patch.set_facecolor(fig.get_facecolor() if face == "auto" else face)
        fig.patch.set_edgecolor(fig.get_edgecolor() if edge == "auto" else edge)
        canvas.draw()
        cached = (fig, canvas, ax, canvas.copy_from_bbox(fig.bbox))
        _BACKGROUNDS.clear()
        _BACKGROUNDS[key] = cached
    fig, canvas, ax, background = cached
    renderer = canvas.get_renderer()
    added = _draw_sites(ax, data, highlight) if len(data) else []
    try:
        inner = ax.bbox.padded(-3)  # the frame (spines) is drawn above the sites
        for artist in added:
            box = _extent(artist, renderer, fig.dpi)
            if not (inner.x0 < box.x0 and box.x1 < inner.x1
                    and inner.y0 < box.y0 and box.y1 < inner.y1):
                return _png(site_map(sites, highlight=highlight, lang=lang, title=title), dpi)
        canvas.restore_region(background)
        for artist in sorted(added, key=lambda a: a.get_zorder()):
            ax.draw_artist(artist)
        if title:
            ax.set_title(title)
            ax._update_title_position(renderer)
            ax.draw_artist(ax.title)
        import matplotlib.image

        buf = io.BytesIO()
        matplotlib.image.imsave(buf, canvas.buffer_rgba(), format="png", origin="upper",
                                dpi=fig.dpi, metadata={"Software": None})
        return buf.getvalue()
    finally:
        for artist in added:
            artist.remove()
        ax.set_title("")


def _extent(artist, renderer, dpi: float):
    """Window extent of a text or a scatter (its points padded by marker radius and edge)."""
    from matplotlib.collections import PathCollection

    box = artist.get_window_extent(renderer)
    if isinstance(artist, PathCollection):
        sizes = artist.get_sizes()
        widths = artist.get_linewidths()
        pad = ((max(sizes) ** 0.5 / 2 if len(sizes) else 0)
               + (max(widths) if len(widths) else 0)) * dpi / 72 + 1
        box = box.padded(pad)
    return box


def _png(fig, dpi: int) -> bytes:
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
