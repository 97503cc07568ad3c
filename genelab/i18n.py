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

    # --- scoring, economics, protocols --------------------------------------------------

    # --- database and viability ---------------------------------------------------------
    "viability_observed": ("Tỷ lệ nảy mầm quan sát", "Observed germination"),
    "viability_fitted": ("Đường suy giảm (Ellis–Roberts)", "Fitted decline (Ellis–Roberts)"),
    "viability_threshold": ("Ngưỡng tái sinh (85% ban đầu)", "Regeneration threshold (85% of initial)"),
    "storage_years": ("Thời gian bảo quản (năm)", "Storage time (years)"),
    "viability_pct": ("Sức sống hạt (%)", "Viability (%)"),
    "pdci": ("Chỉ số đầy đủ dữ liệu lý lịch (PDCI)", "Passport Data Completeness Index (PDCI)"),
    "alert_below_threshold": ("Dưới ngưỡng tái sinh", "Below regeneration threshold"),
    "alert_crosses_within_year": ("Sẽ xuống dưới ngưỡng trong vòng 1 năm", "Predicted to cross within a year"),
    "alert_low_stock": ("Số hạt sống dưới mức tối thiểu", "Viable seeds below the minimum"),

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
