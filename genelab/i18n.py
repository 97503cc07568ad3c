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
    "mean_se": ("Trung bình ± SE", "Mean ± SE"),
    "f_test": ("Mức ý nghĩa (F)", "F-test"),
    "critical_value": ("Giá trị tới hạn", "Critical value"),
    "control": ("Đối chứng", "Control"),

    # --- germination and dose-response --------------------------------------------------

    # --- growth and survival ------------------------------------------------------------
    "time_days": ("Thời gian (ngày)", "Time (days)"),
    "proportion_without_event": ("Tỷ lệ chưa xảy ra sự kiện", "Proportion without event"),
    "cumulative_proportion": ("Tỷ lệ tích luỹ (ra rễ, bật mầm ghép)", "Cumulative proportion (rooted, taken)"),
    "censored": ("Bị kiểm duyệt", "Censored"),
    "age": ("Tuổi", "Age"),
    "size": ("Kích thước / khối lượng", "Size / weight"),
    "observed": ("Quan sát", "Observed"),
    "fitted_curve": ("Đường cong ước lượng", "Fitted curve"),
    "inflection": ("Điểm uốn", "Inflection point"),

    # --- traits -------------------------------------------------------------------------

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
