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
    "germ_day": ("Ngày sau gieo", "Day after sowing"),
    "germ_cumulative_pct": ("Nảy mầm tích luỹ (%)", "Cumulative germination (%)"),
    "germ_observed": ("Quan sát", "Observed"),
    "germ_fitted": ("Đường Hill 4 tham số", "Four-parameter Hill fit"),
    "germ_curves_title": ("Đường cong nảy mầm tích luỹ", "Cumulative germination curves"),
    "dr_dose": ("Liều lượng", "Dose"),
    "dr_response": ("Phản ứng", "Response"),
    "dr_observed": ("Quan sát", "Observed"),
    "dr_fitted": ("Đường cong ước lượng", "Fitted curve"),
    "dr_ed50": ("ED50 (KTC 95%)", "ED50 (95% CI)"),
    "dr_control": ("Đối chứng (0)", "Control (0)"),

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
    "criterion": ("Tiêu chí", "Criterion"),
    "criterion_weight": ("Trọng số", "Weight"),
    "score": ("Điểm", "Score"),
    "rank": ("Thứ hạng", "Rank"),
    "contribution": ("Đóng góp của tiêu chí", "Contribution of each criterion"),
    "score_chart_title": ("Điểm giá trị và ưu tiên của các nguồn gen",
                          "Value and priority scores of the gene sources"),
    "median_source": ("Nguồn gen trung vị", "Median source"),
    "median_rank": ("Thứ hạng trung vị", "Median rank"),
    "rank_low": ("Thứ hạng 5 %", "Rank, 5 %"),
    "rank_high": ("Thứ hạng 95 %", "Rank, 95 %"),
    "mean_rank": ("Thứ hạng trung bình", "Mean rank"),
    "p_top": ("Xác suất thuộc nhóm đầu", "Probability of being in the top"),
    "rank_stability_title": ("Độ ổn định thứ hạng khi trọng số thay đổi",
                             "Rank stability under changed weights"),
    "lambda_max": ("λmax", "λmax"),
    "ci_ahp": ("Chỉ số nhất quán (CI)", "Consistency index (CI)"),
    "cr_ahp": ("Tỷ số nhất quán (CR)", "Consistency ratio (CR)"),
    "iucn_threat": ("Mức đe doạ (IUCN)", "Threat (IUCN)"),
    "threat_level": ("Mức độ đe doạ", "Threat level"),
    "score_tier": ("Nhóm điểm", "Score tier"),
    "priority_class": ("Nhóm ưu tiên", "Priority class"),
    "proposed": ("Đề xuất phục tráng", "Proposed for restoration"),
    "proposal_order": ("Thứ tự đề xuất", "Proposal order"),
    "demo_model": ("Mô hình trình diễn", "Demonstration model"),
    "demo_control": ("Đối chứng (sản xuất đại trà)", "Control (farmers' practice)"),
    "area_ha": ("Diện tích (ha)", "Area (ha)"),
    "households": ("Số hộ tham gia", "Households"),
    "yield_model": ("Năng suất mô hình (kg/ha)", "Model yield (kg/ha)"),
    "yield_control": ("Năng suất đối chứng (kg/ha)", "Control yield (kg/ha)"),
    "yield_increase_pct": ("Tăng năng suất (%)", "Yield increase (%)"),
    "extension_gap": ("Khoảng cách khuyến nông (kg/ha)", "Extension gap (kg/ha)"),
    "price": ("Giá bán (đ/kg)", "Price (VND/kg)"),
    "gross_model": ("Tổng thu mô hình (đ/ha)", "Gross return, model (VND/ha)"),
    "gross_control": ("Tổng thu đối chứng (đ/ha)", "Gross return, control (VND/ha)"),
    "cost_model": ("Tổng chi mô hình (đ/ha)", "Total cost, model (VND/ha)"),
    "cost_control": ("Tổng chi đối chứng (đ/ha)", "Total cost, control (VND/ha)"),
    "profit_model": ("Lãi thuần mô hình (đ/ha)", "Net profit, model (VND/ha)"),
    "profit_control": ("Lãi thuần đối chứng (đ/ha)", "Net profit, control (VND/ha)"),
    "profit_gain": ("Lãi tăng thêm (đ/ha)", "Additional profit (VND/ha)"),
    "bcr_model": ("Tỷ suất lợi nhuận B/C mô hình", "Benefit–cost ratio, model"),
    "bcr_control": ("Tỷ suất lợi nhuận B/C đối chứng", "Benefit–cost ratio, control"),
    "mbcr": ("Tỷ suất lợi ích – chi phí cận biên", "Marginal benefit–cost ratio"),
    "mrr_pct": ("Tỷ suất lợi nhuận cận biên (%)", "Marginal rate of return (%)"),
    "technology_gap": ("Khoảng cách công nghệ (kg/ha)", "Technology gap (kg/ha)"),
    "technology_index": ("Chỉ số công nghệ (%)", "Technology index (%)"),
    "paired_test": ("Kiểm định cặp mô hình – đối chứng", "Paired test, model against control"),
    "mean_difference": ("Chênh lệch trung bình", "Mean difference"),
    "protocol": ("Quy trình", "Protocol"),
    "best_treatment": ("Công thức tốt nhất", "Best treatment"),
    "recommended_treatment": ("Công thức khuyến cáo", "Recommended treatment"),
    "achieved": ("Kết quả đạt được", "Result achieved"),
    "achieved_rate": ("Tỷ lệ", "Rate"),
    "ci_low_sheet": ("Cận dưới CI", "CI lower"),
    "ci_high_sheet": ("Cận trên CI", "CI upper"),
    "steps": ("Các bước thực hiện", "Steps"),
    "protocol_trial": ("Thí nghiệm", "Trial"),
    "protocol_status": ("Trạng thái", "Status"),
    "top_group": ("Nhóm cao nhất", "Top group"),
    "not_in_top_group": ("không thuộc nhóm tốt nhất của thí nghiệm",
                         "not in the trial's top group"),

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
    # passport fields in the source report
    "rp_field_source_id": ("Mã nguồn gen", "Gene-source ID"),
    "rp_field_name_vi": ("Tên tiếng Việt", "Vietnamese name"),
    "rp_field_name_local": ("Tên địa phương", "Local name"),
    "rp_field_scientific_name": ("Tên khoa học", "Scientific name"),
    "rp_field_kind": ("Loại", "Kind"),
    "rp_field_group": ("Nhóm", "Group"),
    "rp_field_breeding_system": ("Hệ thống sinh sản", "Breeding system"),
    "rp_field_ethnic_group": ("Dân tộc", "Ethnic group"),
    "rp_field_district": ("Huyện/thành phố", "District"),
    "rp_field_commune": ("Xã/phường", "Commune"),
    "rp_field_latitude": ("Vĩ độ (°B)", "Latitude (°N)"),
    "rp_field_longitude": ("Kinh độ (°Đ)", "Longitude (°E)"),
    "rp_field_elevation_m": ("Độ cao (m)", "Elevation (m)"),
    "rp_field_collected_on": ("Ngày thu thập", "Collected on"),
    "rp_field_sampstat": ("Tình trạng sinh học (MCPD SAMPSTAT)", "Biological status (MCPD SAMPSTAT)"),
    "rp_field_conservation": ("Hình thức bảo tồn", "Conservation"),
    "rp_field_threat": ("Mức đe doạ (IUCN)", "Threat (IUCN)"),
    "rp_field_population_estimate": ("Ước tính quần thể", "Population estimate"),
    "rp_field_status": ("Tình trạng trong chương trình", "Programme status"),
    "rp_index": ("Mục lục báo cáo", "Report index"),
    "rp_index_counts": ("Số báo cáo", "Reports"),
    "rp_report": ("Báo cáo", "Report"),
    "rp_status": ("Tình trạng", "Status"),
    "rp_score": ("Điểm", "Score"),
    "rp_rank": ("Thứ hạng", "Rank"),
    "rp_build": ("Lần dựng", "Build"),
    "rp_built_at": ("Thời điểm dựng (UTC)", "Built at (UTC)"),
    "rp_seconds": ("Thời gian (s)", "Time (s)"),
    "rp_ok": ("hoàn thành", "ok"),
    "rp_failed": ("lỗi", "failed"),
    "rp_stale": ("cần cập nhật", "stale"),
    "rp_missing": ("chưa có", "not built"),
    "rp_overview": ("Tổng quan chương trình", "Programme overview"),
    "rp_sources": ("Báo cáo nguồn gen", "Gene-source reports"),
    "rp_trials": ("Báo cáo thí nghiệm", "Trial reports"),
    "rp_status_surveyed": ("đã điều tra", "surveyed"),
    "rp_status_collected": ("đã thu thập", "collected"),
    "rp_status_conserved": ("đang bảo tồn", "conserved"),
    "rp_status_evaluated": ("đã đánh giá", "evaluated"),
    "rp_status_restored": ("đã phục tráng", "restored"),
    "rp_longitude": ("Kinh độ (°Đ)", "Longitude (°E)"),
    "rp_latitude": ("Vĩ độ (°B)", "Latitude (°N)"),
    "rp_not_available": ("Phần này chưa có: mô-đun {module} chưa được cài đặt trong genelab.",
                         "Not available yet: genelab has no {module} module yet."),
    "rp_no_data": ("Không có số liệu.", "No data."),
    "rp_source_report": ("Báo cáo đánh giá nguồn gen", "Gene-source evaluation report"),
    "rp_trial_report": ("Báo cáo thí nghiệm", "Trial report"),
    "rp_passport": ("Lý lịch nguồn gen và tình trạng", "Passport and status"),
    "rp_sites_map": ("Bản đồ điểm thu thập", "Map of collection sites"),
    "rp_knowledge": ("Tri thức bản địa", "Indigenous knowledge"),
    "rp_traits": ("Đánh giá đặc điểm nông sinh học", "Trait evaluation"),
    "rp_qualitative": ("Tính trạng định tính", "Qualitative traits"),
    "rp_propagation": ("Thí nghiệm nhân giống", "Propagation trials"),
    "rp_anova": ("Phân tích phương sai", "Analysis of variance"),
    "rp_means": ("So sánh trung bình", "Comparison of means"),
    "rp_rates": ("Tỷ lệ (mô hình GLM nhị thức)", "Rates (binomial GLM)"),
    "rp_germination": ("Nảy mầm", "Germination"),
    "rp_doseresponse": ("Đáp ứng liều lượng", "Dose-response"),
    "rp_conservation": ("Bảo tồn và sức sống lô hạt", "Conservation and seed-lot viability"),
    "rp_value": ("Giá trị và thứ tự ưu tiên", "Value score and priority rank"),
    "rp_rank_uncertainty": ("Độ bất định của thứ hạng", "Rank uncertainty"),
    "rp_economics": ("Hiệu quả mô hình trình diễn", "Demonstration-model economics"),
    "rp_protocols": ("Quy trình kỹ thuật", "Protocols"),
    "rp_conclusion": ("Kết luận", "Conclusion"),
    "rp_progress": ("Tiến độ so với mục tiêu", "Progress against targets"),
    "rp_priority": ("Xếp hạng ưu tiên", "Priority ranking"),
    "rp_report_status": ("Tình trạng các báo cáo", "Report status"),
    "rp_target": ("Mục tiêu", "Target"),
    "rp_achieved": ("Đạt được", "Achieved"),
    "rp_indicator": ("Chỉ tiêu", "Indicator"),
    "rp_met": ("Đạt", "Met"),
    "rp_yes": ("đạt", "yes"),
    "rp_no": ("chưa đạt", "no"),
    "rp_field": ("Trường", "Field"),
    "rp_trial": ("Thí nghiệm", "Trial"),
    "rp_design": ("Kiểu thí nghiệm", "Design"),
    "rp_purpose": ("Mục đích", "Purpose"),
    "rp_response": ("Chỉ tiêu theo dõi", "Response"),
    "rp_all_sources": ("Tất cả nguồn gen", "All gene sources"),
    "rp_none": ("không có", "none"),
    "rp_error": ("Lỗi", "Error"),
    "rp_cell": ("Ô", "Cell"),
    "rp_sources_count": ("Số nguồn gen", "Gene sources"),
    "rp_restored_count": ("Nguồn gen đã phục tráng", "Gene sources restored"),
    "rp_protocols_count": ("Quy trình kỹ thuật", "Protocols"),
    "rp_models_count": ("Mô hình trình diễn", "Demonstration models"),
    "rp_by_status": ("Số nguồn gen theo tình trạng", "Gene sources by status"),
    "rp_population": ("Quy mô quần thể", "Population"),
    "rp_alerts": ("Cảnh báo tái sinh lô hạt", "Regeneration alerts"),
    "rp_criterion": ("Tiêu chí", "Criterion"),
    "rp_weight": ("Trọng số", "Weight"),
    "rp_contribution": ("Đóng góp vào điểm", "Contribution to the score"),
    "rp_rooting": ("Thời gian ra rễ", "Time to rooting"),
    "rp_plot_data": ("Số ô thí nghiệm", "Plots"),

    # --- explorer (branch training) -----------------------------------------------------
    "ex_trial": ("Thí nghiệm", "Trial"),
    "ex_response": ("Chỉ tiêu", "Response"),
    "ex_term": ("Nhân tố", "Term"),
    "ex_method": ("Phép so sánh", "Test"),
    "ex_alpha": ("Mức α", "α"),
    "ex_anova": ("Bảng phân tích phương sai", "Analysis of variance"),
    "ex_means": ("Bảng so sánh trung bình", "Mean comparison"),
    "ex_error": ("Không phân tích được", "Cannot analyse"),

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
