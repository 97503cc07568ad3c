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

import unicodedata

__all__ = ["DISTRICT_CENTROIDS", "DISTRICT_NAMES", "PROVINCE_OUTLINE", "district_key", "site_map"]

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
    """
    import matplotlib.pyplot as plt

    from genelab.i18n import label

    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 5.6))
    else:
        fig = ax.figure
    xs, ys = zip(*PROVINCE_OUTLINE)
    ax.fill(xs, ys, color="#eef3ea", edgecolor="#7a8f6a", linewidth=1.2, zorder=0)
    for key, (lat, lon) in DISTRICT_CENTROIDS.items():
        ax.plot(lon, lat, marker="+", color="#9a9a9a", markersize=6, zorder=1)
        ax.annotate(DISTRICT_NAMES[key], (lon, lat), textcoords="offset points", xytext=(0, -11),
                    ha="center", fontsize=7, color="#6f6f6f", zorder=1)
    data = sites.dropna(subset=["latitude", "longitude"]) if len(sites) else sites
    highlight = set(highlight or ())
    if len(data):
        groups = data["group"].astype(str) if "group" in data.columns else None
        if groups is not None:
            for i, (g, part) in enumerate(data.groupby(groups, sort=True)):
                ax.scatter(part["longitude"], part["latitude"], s=22, alpha=0.8,
                           color=plt.get_cmap("tab10")(i % 10), label=g, zorder=2)
            ax.legend(fontsize=7, loc="lower left", frameon=False, ncol=2)
        else:
            ax.scatter(data["longitude"], data["latitude"], s=26, color="#2b6ca3", zorder=2)
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
    ax.set_xlim(105.95, 107.45)
    ax.set_ylim(21.28, 22.55)
    ax.set_aspect(1.0 / 0.93)
    ax.set_xlabel(label("rp_longitude", lang))
    ax.set_ylabel(label("rp_latitude", lang))
    if title:
        ax.set_title(title)
    ax.grid(True, linewidth=0.3, alpha=0.5)
    if ax is fig.axes[0] and len(fig.axes) == 1:
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.1, top=0.93)  # no tight_layout pass
    return fig
