"""Report labels in Vietnamese and English.

Labels are kept in one table, keyed by a short ASCII key; each module's labels sit in their
own section.  :func:`label` looks one up; an unknown key is an error (a typo must not reach
a printed report silently).

Examples
--------
>>> label("mean", "vi")
'Trung bình'
>>> label("mean", "en")
'Mean'
"""
from __future__ import annotations

from genelab.errors import ConfigError

__all__ = ["LANGUAGES", "LABELS", "label", "labels"]

LANGUAGES = ("vi", "en")

# key: (Vietnamese, English)
LABELS: dict[str, tuple[str, str]] = {
    # --- common -------------------------------------------------------------------------
    "mean": ("Trung bình", "Mean"),
    "sd": ("Độ lệch chuẩn", "SD"),
    "se": ("Sai số chuẩn", "SE"),
    "n": ("n", "n"),
    "cv": ("CV (%)", "CV (%)"),
    "treatment": ("Công thức", "Treatment"),
    "block": ("Khối", "Block"),
    "source": ("Nguồn gen", "Gene source"),
    "trait": ("Tính trạng", "Trait"),
    "value": ("Giá trị", "Value"),
    "group": ("Nhóm", "Group"),
    "p_value": ("Giá trị p", "p-value"),
    "significant": ("có ý nghĩa", "significant"),
    "not_significant": ("không có ý nghĩa", "not significant"),

    # --- workspace ----------------------------------------------------------------------

    # --- trials -------------------------------------------------------------------------

    # --- germination and dose-response --------------------------------------------------

    # --- growth and survival ------------------------------------------------------------

    # --- traits -------------------------------------------------------------------------
    "component": ("Thành phần chính", "Principal component"),
    "eigenvalue": ("Giá trị riêng", "Eigenvalue"),
    "cumulative_explained": ("Tích luỹ (%)", "Cumulative (%)"),
    "cluster": ("Nhóm", "Cluster"),
    "distance": ("Khoảng cách", "Distance"),
    "cophenetic": ("Hệ số tương quan cophenetic", "Cophenetic correlation"),
    "correlation": ("Hệ số tương quan", "Correlation"),
    "genotype": ("Kiểu gen", "Genotype"),
    "environment": ("Môi trường", "Environment"),
    "h2_plot": ("Hệ số di truyền (ô)", "Heritability (plot basis)"),
    "h2_mean": ("Hệ số di truyền (trung bình)", "Heritability (entry-mean basis)"),
    "gcv": ("Hệ số biến động kiểu gen GCV (%)", "GCV (%)"),
    "pcv": ("Hệ số biến động kiểu hình PCV (%)", "PCV (%)"),
    "ga": ("Tiến bộ di truyền GA", "Genetic advance"),
    "gam": ("Tiến bộ di truyền GAM (%)", "Genetic advance as % of mean"),
    "level_low": ("thấp", "low"),
    "level_medium": ("trung bình", "medium"),
    "level_high": ("cao", "high"),
    "better": ("tốt hơn", "better"),
    "worse": ("kém hơn", "worse"),
    "shannon": ("Chỉ số Shannon–Weaver H'", "Shannon–Weaver H'"),
    "simpson": ("Chỉ số Simpson", "Simpson's index"),

    # --- scoring, economics, protocols --------------------------------------------------

    # --- database and viability ---------------------------------------------------------

    # --- reports ------------------------------------------------------------------------

}


def _check_lang(lang: str) -> int:
    if lang not in LANGUAGES:
        raise ConfigError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return LANGUAGES.index(lang)


def label(key: str, lang: str = "vi") -> str:
    """The label for ``key`` in ``lang`` ('vi' or 'en')."""
    i = _check_lang(lang)
    try:
        return LABELS[key][i]
    except KeyError:
        raise ConfigError(f"no report label named {key!r}") from None


def labels(keys, lang: str = "vi") -> dict[str, str]:
    """Several labels at once, as a dict key -> label (handy for ``DataFrame.rename``)."""
    return {k: label(k, lang) for k in keys}
