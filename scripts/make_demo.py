"""Write the synthetic demo workspace of the Lạng Sơn gene-source programme.

Usage: ``python scripts/make_demo.py data/demo`` (``make demo``).  Everything random comes from
one ``numpy.random.default_rng(SEED)`` stream consumed in a fixed order, and every file is
written with fixed formatting, so regenerating gives byte-identical files (a test checks).
The column names follow genelab.schema (DESIGN §3 and DATAMODEL.md).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from genelab.schema import file_columns  # noqa: E402

SEED = 2021

# District: (centre latitude, centre longitude, typical elevation m, communes)
DISTRICTS = {
    "Thành phố Lạng Sơn": (21.853, 106.761, 270, ["Mai Pha", "Hoàng Đồng", "Quảng Lạc"]),
    "Tràng Định": (22.250, 106.445, 260, ["Hùng Sơn", "Đề Thám", "Kháng Chiến", "Chi Lăng"]),
    "Văn Lãng": (22.033, 106.610, 320, ["Hoàng Việt", "Tân Thanh", "Thụy Hùng"]),
    "Văn Quan": (21.860, 106.545, 330, ["Tràng Các", "Tri Lễ", "Văn An", "Lương Năng"]),
    "Bình Gia": (22.030, 106.370, 380, ["Hoàng Văn Thụ", "Hồng Phong", "Thiện Long"]),
    "Bắc Sơn": (21.900, 106.320, 360, ["Vũ Lăng", "Tân Tri", "Chiến Thắng", "Vũ Lễ"]),
    "Hữu Lũng": (21.506, 106.345, 90, ["Minh Sơn", "Yên Bình", "Hữu Liên"]),
    "Chi Lăng": (21.660, 106.580, 210, ["Quang Lang", "Mai Sao", "Chi Lăng"]),
    "Cao Lộc": (21.920, 106.840, 420, ["Bảo Lâm", "Thạch Đạn", "Hải Yến", "Công Sơn"]),
    "Lộc Bình": (21.765, 106.920, 350, ["Mẫu Sơn", "Tú Đoạn", "Khánh Xuân"]),
    "Đình Lập": (21.545, 107.095, 420, ["Bắc Xa", "Kiên Mộc", "Châu Sơn"]),
}

# source_id, name_vi, name_local, scientific_name, group, form, district, breeding_system,
# ethnic_group, sampstat, conservation, threat, status, population_estimate
PLANTS = [
    ("HONG-001", "Hồng không hạt Bảo Lâm", "Mác hồng Bảo Lâm", "Diospyros kaki", "fruit_tree", "fruit", "Cao Lộc", "clonal", "nung", 300, "field_genebank", "VU", "restored", 1800),
    ("HONG-002", "Hồng vành khuyên Văn Lãng", "Mác hồng vành", "Diospyros kaki", "fruit_tree", "fruit", "Văn Lãng", "clonal", "tay", 300, "on_farm", "NT", "evaluated", 3500),
    ("HONG-003", "Hồng Hữu Lũng", "", "Diospyros kaki", "fruit_tree", "fruit", "Hữu Lũng", "clonal", "kinh", 300, "on_farm", "NT", "conserved", 2600),
    ("QUYT-001", "Quýt vàng Bắc Sơn", "Mác kít Bắc Sơn", "Citrus reticulata", "fruit_tree", "fruit", "Bắc Sơn", "clonal", "tay", 300, "field_genebank", "VU", "restored", 4200),
    ("QUYT-002", "Quýt đường Tràng Định", "Mác kít van", "Citrus reticulata", "fruit_tree", "fruit", "Tràng Định", "clonal", "tay", 300, "on_farm", "EN", "evaluated", 650),
    ("NA-001", "Na dai Chi Lăng", "Mác na", "Annona squamosa", "fruit_tree", "fruit", "Chi Lăng", "outcrossing", "nung", 300, "on_farm", "LC", "restored", 90000),
    ("NA-002", "Na bở Chi Lăng", "Mác na bở", "Annona squamosa", "fruit_tree", "fruit", "Chi Lăng", "outcrossing", "nung", 300, "on_farm", "NT", "evaluated", 12000),
    ("DAO-001", "Đào Mẫu Sơn", "Mác tào", "Prunus persica", "fruit_tree", "fruit", "Lộc Bình", "outcrossing", "dao", 300, "on_farm", "VU", "conserved", 1500),
    ("LE-001", "Lê Mẫu Sơn", "Mác lê", "Pyrus pyrifolia", "fruit_tree", "fruit", "Lộc Bình", "outcrossing", "dao", 300, "field_genebank", "EN", "restored", 420),
    ("TRAM-001", "Trám đen Đình Lập", "Mạy bây đăm", "Canarium tramdenum", "fruit_tree", "fruit", "Đình Lập", "outcrossing", "tay", 120, "field_genebank", "VU", "evaluated", 2100),
    ("TRAM-002", "Trám trắng Văn Quan", "Mạy bây khao", "Canarium album", "fruit_tree", "fruit", "Văn Quan", "outcrossing", "tay", 120, "in_situ", "NT", "conserved", 3300),
    ("HDE-001", "Dẻ Tràng Định", "Mác lịch", "Castanea mollissima", "fruit_tree", "fruit", "Tràng Định", "outcrossing", "tay", 300, "on_farm", "VU", "collected", 800),
    ("KHE-001", "Khế ngọt Bình Gia", "Mác phường", "Averrhoa carambola", "fruit_tree", "fruit", "Bình Gia", "outcrossing", "tay", 300, "on_farm", "LC", "surveyed", 2500),
    ("HOI-001", "Hồi Văn Quan", "Mạy hồi", "Illicium verum", "spice", "spice_tree", "Văn Quan", "outcrossing", "tay", 300, "field_genebank", "NT", "restored", 250000),
    ("HOI-002", "Hồi hoa Bình Gia", "Mạy hồi", "Illicium verum", "spice", "spice_tree", "Bình Gia", "outcrossing", "tay", 300, "on_farm", "NT", "evaluated", 180000),
    ("HOI-003", "Hồi Tràng Định", "Mạy hồi", "Illicium verum", "spice", "spice_tree", "Tràng Định", "outcrossing", "nung", 300, "on_farm", "LC", "conserved", 120000),
    ("QUE-001", "Quế Bình Gia", "Mạy quẩy", "Cinnamomum cassia", "spice", "spice_tree", "Bình Gia", "outcrossing", "dao", 300, "on_farm", "LC", "evaluated", 60000),
    ("MMAT-001", "Mắc mật Hữu Lũng", "Mác mật", "Clausena indica", "spice", "spice_tree", "Hữu Lũng", "outcrossing", "tay", 300, "field_genebank", "VU", "restored", 5200),
    ("MKH-001", "Mắc khén Tràng Định", "Mác khén", "Zanthoxylum rhetsa", "spice", "spice_tree", "Tràng Định", "outcrossing", "tay", 120, "in_situ", "EN", "collected", 380),
    ("GUNG-001", "Gừng núi Đình Lập", "Khinh đoi", "Zingiber officinale", "spice", "herb", "Đình Lập", "clonal", "dao", 300, "on_farm", "DD", "collected", None),
    ("BKI-001", "Ba kích tím Đình Lập", "Thau tất rùa", "Morinda officinalis", "medicinal", "herb", "Đình Lập", "clonal", "dao", 120, "field_genebank", "EN", "restored", 1600),
    ("HTO-001", "Hà thủ ô đỏ Cao Lộc", "Khau lình", "Fallopia multiflora", "medicinal", "herb", "Cao Lộc", "clonal", "nung", 100, "field_genebank", "VU", "restored", 900),
    ("GCL-001", "Giảo cổ lam Mẫu Sơn", "", "Gynostemma pentaphyllum", "medicinal", "herb", "Lộc Bình", "clonal", "dao", 100, "in_vitro", "VU", "evaluated", 3000),
    ("KTL-001", "Lan kim tuyến Cao Lộc", "Co kim tuyến", "Anoectochilus setaceus", "medicinal", "herb", "Cao Lộc", "clonal", "nung", 100, "in_vitro", "CR", "restored", 140),
    ("HTI-001", "Hoàng tinh hoa đỏ Lộc Bình", "", "Polygonatum kingianum", "medicinal", "herb", "Lộc Bình", "clonal", "dao", 100, "in_vitro", "EN", "conserved", 260),
    ("SNH-001", "Sa nhân tím Hữu Lũng", "Mác nẻng", "Amomum longiligulare", "medicinal", "herb", "Hữu Lũng", "clonal", "tay", 120, "on_farm", "NT", "evaluated", 7000),
    ("TDEN-001", "Thạch đen Tràng Định", "Co sương sáo", "Platostoma palustre", "industrial_crop", "herb", "Tràng Định", "clonal", "tay", 300, "on_farm", "LC", "restored", None),
    ("TDEN-002", "Thạch đen Văn Quan", "Co sương sáo", "Platostoma palustre", "industrial_crop", "herb", "Văn Quan", "clonal", "tay", 300, "on_farm", "LC", "evaluated", None),
    ("CHE-001", "Chè Shan tuyết Mẫu Sơn", "Mạy chà", "Camellia sinensis var. shan", "industrial_crop", "tea", "Lộc Bình", "outcrossing", "dao", 130, "field_genebank", "VU", "restored", 4000),
    ("CHE-002", "Chè Tân Tri Bắc Sơn", "Mạy chà", "Camellia sinensis", "industrial_crop", "tea", "Bắc Sơn", "outcrossing", "tay", 300, "on_farm", "NT", "evaluated", 15000),
    ("LUA-001", "Lúa nếp Khẩu nua Tràng Định", "Khẩu nua", "Oryza sativa var. glutinosa", "food_crop", "cereal", "Tràng Định", "selfing", "tay", 300, "seed_bank", "VU", "restored", None),
    ("LUA-002", "Lúa nếp cẩm Văn Quan", "Khẩu cắm", "Oryza sativa var. glutinosa", "food_crop", "cereal", "Văn Quan", "selfing", "tay", 300, "seed_bank", "EN", "evaluated", None),
    ("LUA-003", "Lúa Bao thai Bình Gia", "Khẩu bao thai", "Oryza sativa", "food_crop", "cereal", "Bình Gia", "selfing", "tay", 300, "seed_bank", "NT", "conserved", None),
    ("NGO-001", "Ngô nếp Bắc Sơn", "Khẩu li nua", "Zea mays", "food_crop", "cereal", "Bắc Sơn", "outcrossing", "tay", 300, "seed_bank", "VU", "evaluated", None),
    ("DTUO-001", "Đỗ tương vàng Văn Lãng", "Thúa nành", "Glycine max", "food_crop", "cereal", "Văn Lãng", "selfing", "nung", 300, "seed_bank", "NT", "collected", None),
    ("KMON-001", "Khoai môn Thất Khê", "Phước", "Colocasia esculenta", "food_crop", "tuber", "Tràng Định", "clonal", "tay", 300, "on_farm", "NT", "restored", None),
    ("DONG-001", "Dong riềng Bình Gia", "Cốc lùng", "Canna edulis", "food_crop", "tuber", "Bình Gia", "clonal", "tay", 300, "on_farm", "LC", "evaluated", None),
    ("CAI-001", "Cải nương Cao Lộc", "Phjắc cát", "Brassica juncea", "vegetable", "herb", "Cao Lộc", "outcrossing", "nung", 300, "seed_bank", "DD", "collected", None),
    ("SU-001", "Su su Mẫu Sơn", "", "Sechium edule", "vegetable", "herb", "Lộc Bình", "outcrossing", "dao", 300, "on_farm", "LC", "surveyed", None),
    ("BI-001", "Bí thơm Bắc Sơn", "Mác ứ", "Cucurbita moschata", "vegetable", "herb", "Bắc Sơn", "outcrossing", "tay", 300, "seed_bank", "NE", "collected", None),
    ("RBK-001", "Rau bò khai Bắc Sơn", "Phjắc khai", "Erythropalum scandens", "vegetable", "herb", "Bắc Sơn", "outcrossing", "tay", 110, "in_situ", "NT", "conserved", 5000),
    ("MANG-001", "Măng mai Bình Gia", "Nó mạy", "Dendrocalamus giganteus", "vegetable", "herb", "Bình Gia", "clonal", "tay", 300, "on_farm", "LC", "surveyed", None),
    ("NGH-001", "Nghiến Hữu Lũng", "Mạy nghiến", "Excentrodendron tonkinense", "forest_tree", "forest", "Hữu Lũng", "outcrossing", "tay", 100, "in_situ", "EN", "conserved", 2400),
    ("TRAI-001", "Trai lý Bắc Sơn", "Mạy trai", "Garcinia fagraeoides", "forest_tree", "forest", "Bắc Sơn", "outcrossing", "tay", 100, "in_situ", "EN", "collected", 700),
    ("KGI-001", "Kim giao Hữu Lũng", "", "Nageia fleuryi", "forest_tree", "forest", "Hữu Lũng", "outcrossing", "kinh", 100, "seed_bank", "VU", "conserved", 450),
]

ANIMALS = [
    ("LON-001", "Lợn Lũng Vài", "Mu Lũng Vài", "Sus scrofa domesticus", "pig", "pig", "Văn Lãng", "nung", 300, "live_herd", "EN", "restored", 320),
    ("LON-002", "Lợn đen Đình Lập", "Mu đăm", "Sus scrofa domesticus", "pig", "pig", "Đình Lập", "dao", 300, "on_farm", "VU", "evaluated", 1400),
    ("LON-003", "Lợn đen Tràng Định", "Mu đăm", "Sus scrofa domesticus", "pig", "pig", "Tràng Định", "tay", 300, "on_farm", "VU", "conserved", 2100),
    ("GA-001", "Gà Ri Lạng Sơn", "Cáy Ri", "Gallus gallus domesticus", "chicken", "poultry", "Chi Lăng", "nung", 300, "on_farm", "LC", "restored", 60000),
    ("GA-002", "Gà đen Văn Quan", "Cáy đăm", "Gallus gallus domesticus", "chicken", "poultry", "Văn Quan", "tay", 300, "live_herd", "EN", "restored", 900),
    ("GA-003", "Gà H'Mông Đình Lập", "", "Gallus gallus domesticus", "chicken", "poultry", "Đình Lập", "hmong", 300, "on_farm", "VU", "evaluated", 3000),
    ("GA-004", "Gà sáu ngón Lộc Bình", "Cáy hốc nhỉu", "Gallus gallus domesticus", "chicken", "poultry", "Lộc Bình", "nung", 300, "live_herd", "CR", "conserved", 150),
    ("VIT-001", "Vịt cổ lũng Bình Gia", "Pết co lũng", "Anas platyrhynchos domesticus", "duck", "poultry", "Bình Gia", "tay", 300, "on_farm", "VU", "evaluated", 2500),
    ("VIT-002", "Vịt bầu Bắc Sơn", "Pết bầu", "Anas platyrhynchos domesticus", "duck", "poultry", "Bắc Sơn", "tay", 300, "on_farm", "NT", "conserved", 6000),
    ("NGAN-001", "Ngan trâu Hữu Lũng", "Pết ngan", "Cairina moschata", "duck", "poultry", "Hữu Lũng", "kinh", 300, "live_herd", "EN", "collected", 400),
    ("BO-001", "Bò vàng Lạng Sơn", "Mò hén", "Bos indicus", "cattle", "ruminant", "Lộc Bình", "nung", 300, "on_farm", "NT", "evaluated", 18000),
    ("BO-002", "Bò vàng Đình Lập", "Mò hén", "Bos indicus", "cattle", "ruminant", "Đình Lập", "dao", 300, "on_farm", "NT", "conserved", 9000),
    ("TRAU-001", "Trâu ngố Tràng Định", "Vài", "Bubalus bubalis", "cattle", "ruminant", "Tràng Định", "tay", 300, "on_farm", "VU", "evaluated", 5500),
    ("DE-001", "Dê cỏ Hữu Lũng", "Bé", "Capra hircus", "goat", "ruminant", "Hữu Lũng", "kinh", 300, "on_farm", "LC", "evaluated", 7000),
    ("DE-002", "Dê núi Chi Lăng", "Bé phja", "Capra hircus", "goat", "ruminant", "Chi Lăng", "nung", 300, "live_herd", "VU", "collected", 1100),
    ("CA-001", "Cá rằm xanh sông Kỳ Cùng", "Pja rằm", "Sinilabeo lemassoni", "fish", "fish", "Văn Lãng", "tay", 100, "live_herd", "EN", "restored", 3000),
    ("CA-002", "Cá bỗng Tràng Định", "Pja bỗng", "Spinibarbus denticulatus", "fish", "fish", "Tràng Định", "tay", 100, "live_herd", "VU", "evaluated", 5000),
    ("CA-003", "Cá chép ruộng Bình Gia", "Pja nạy", "Cyprinus carpio", "fish", "fish", "Bình Gia", "tay", 300, "on_farm", "LC", "conserved", 20000),
    ("CA-004", "Cá lăng chấm Kỳ Cùng", "Pja khắng", "Hemibagrus guttatus", "fish", "fish", "Thành phố Lạng Sơn", "kinh", 100, "in_situ", "EN", "collected", 800),
    ("CA-005", "Cá mát sông Bắc Giang", "Pja mát", "Onychostoma gerlachi", "fish", "fish", "Bắc Sơn", "tay", 100, "in_situ", "VU", "surveyed", 1200),
]

# trait, name_vi, name_en, kind, unit, states, higher_is_better, applies_to,
# (typical mean, between-source CV, within-accession CV) for quantitative traits
TRAITS = [
    ("tree_height_m", "Chiều cao cây", "Tree height", "quantitative", "m", "", "", "fruit_tree;spice;forest_tree;industrial_crop", (7.0, 0.35, 0.12)),
    ("crown_diameter_m", "Đường kính tán", "Crown diameter", "quantitative", "m", "", "", "fruit_tree;spice;forest_tree", (5.0, 0.3, 0.12)),
    ("trunk_girth_cm", "Chu vi thân", "Trunk girth at 1.3 m", "quantitative", "cm", "", "true", "fruit_tree;spice;forest_tree", (70.0, 0.35, 0.12)),
    ("leaf_length_cm", "Chiều dài lá", "Leaf length", "quantitative", "cm", "", "", "plant", (11.0, 0.4, 0.08)),
    ("leaf_width_cm", "Chiều rộng lá", "Leaf width", "quantitative", "cm", "", "", "plant", (5.0, 0.4, 0.08)),
    ("fruit_weight_g", "Khối lượng quả", "Fruit weight", "quantitative", "g", "", "true", "fruit_tree;spice", (120.0, 0.2, 0.1)),
    ("fruit_diameter_cm", "Đường kính quả", "Fruit diameter", "quantitative", "cm", "", "true", "fruit_tree", (6.0, 0.15, 0.06)),
    ("seeds_per_fruit", "Số hạt/quả", "Seeds per fruit", "quantitative", "seeds", "", "false", "fruit_tree", (12.0, 0.5, 0.2)),
    ("brix_pct", "Độ Brix", "Soluble solids", "quantitative", "°Brix", "", "true", "fruit_tree", (14.0, 0.15, 0.06)),
    ("edible_portion_pct", "Tỷ lệ phần ăn được", "Edible portion", "quantitative", "%", "", "true", "fruit_tree", (70.0, 0.1, 0.04)),
    ("yield_kg_tree", "Năng suất/cây", "Yield per tree", "quantitative", "kg/tree", "", "true", "fruit_tree;spice", (35.0, 0.35, 0.18)),
    ("essential_oil_pct", "Hàm lượng tinh dầu", "Essential-oil content", "quantitative", "%", "", "true", "spice;medicinal", (3.0, 0.3, 0.1)),
    ("wood_density_g_cm3", "Khối lượng riêng gỗ", "Wood density", "quantitative", "g/cm³", "", "true", "forest_tree", (0.8, 0.15, 0.05)),
    ("girth_increment_cm", "Tăng trưởng chu vi/năm", "Annual girth increment", "quantitative", "cm/year", "", "true", "forest_tree", (2.2, 0.3, 0.2)),
    ("plant_height_cm", "Chiều cao cây", "Plant height", "quantitative", "cm", "", "", "medicinal;vegetable;food_crop;industrial_crop;spice", (110.0, 0.35, 0.08)),
    ("stem_diameter_mm", "Đường kính thân", "Stem diameter", "quantitative", "mm", "", "true", "medicinal;vegetable;industrial_crop;spice;food_crop", (9.0, 0.3, 0.1)),
    ("fresh_biomass_g_plant", "Sinh khối tươi/cây", "Fresh biomass per plant", "quantitative", "g", "", "true", "medicinal;vegetable;industrial_crop;spice", (450.0, 0.4, 0.15)),
    ("dry_matter_pct", "Tỷ lệ chất khô", "Dry matter", "quantitative", "%", "", "true", "medicinal;vegetable;industrial_crop;food_crop;spice", (22.0, 0.2, 0.06)),
    ("shoot_yield_kg_plot", "Năng suất búp/ô", "Shoot yield per plot", "quantitative", "kg/plot", "", "true", "industrial_crop", (8.5, 0.2, 0.1)),
    ("days_to_maturity", "Thời gian sinh trưởng", "Days to maturity", "quantitative", "d", "", "false", "food_crop", (125.0, 0.1, 0.03)),
    ("panicle_length_cm", "Chiều dài bông", "Panicle (ear) length", "quantitative", "cm", "", "true", "food_crop", (23.0, 0.15, 0.06)),
    ("grain_weight_1000_g", "Khối lượng 1000 hạt", "1000-grain weight", "quantitative", "g", "", "true", "food_crop", (27.0, 0.15, 0.04)),
    ("grain_yield_t_ha", "Năng suất hạt", "Grain yield", "quantitative", "t/ha", "", "true", "food_crop", (3.6, 0.2, 0.1)),
    ("tuber_weight_g", "Khối lượng củ", "Tuber weight", "quantitative", "g", "", "true", "food_crop", (380.0, 0.3, 0.15)),
    ("tuber_yield_t_ha", "Năng suất củ", "Tuber yield", "quantitative", "t/ha", "", "true", "food_crop", (18.0, 0.25, 0.12)),
    ("starch_pct", "Hàm lượng tinh bột", "Starch content", "quantitative", "%", "", "true", "food_crop", (20.0, 0.15, 0.05)),
    ("adult_weight_kg", "Khối lượng trưởng thành", "Adult body weight", "quantitative", "kg", "", "true", "pig;chicken;duck;cattle;goat", (40.0, 0.3, 0.1)),
    ("body_length_cm", "Dài thân chéo", "Body length", "quantitative", "cm", "", "true", "pig;cattle;goat", (95.0, 0.3, 0.05)),
    ("chest_girth_cm", "Vòng ngực", "Chest girth", "quantitative", "cm", "", "true", "pig;cattle;goat", (105.0, 0.3, 0.05)),
    ("wither_height_cm", "Cao vây", "Height at withers", "quantitative", "cm", "", "true", "cattle;goat", (100.0, 0.3, 0.04)),
    ("litter_size", "Số con/lứa", "Litter size", "quantitative", "head", "", "true", "pig;goat", (7.5, 0.2, 0.2)),
    ("daily_gain_g", "Tăng khối lượng/ngày", "Average daily gain", "quantitative", "g/d", "", "true", "pig;cattle;goat", (250.0, 0.3, 0.12)),
    ("carcass_pct", "Tỷ lệ thân thịt", "Carcass yield", "quantitative", "%", "", "true", "animal", (68.0, 0.08, 0.03)),
    ("lean_meat_pct", "Tỷ lệ nạc", "Lean meat", "quantitative", "%", "", "true", "pig", (38.0, 0.1, 0.05)),
    ("age_first_egg_d", "Tuổi đẻ quả trứng đầu", "Age at first egg", "quantitative", "d", "", "false", "chicken;duck", (160.0, 0.12, 0.06)),
    ("eggs_per_year", "Sản lượng trứng/năm", "Eggs per year", "quantitative", "eggs", "", "true", "chicken;duck", (85.0, 0.3, 0.12)),
    ("egg_weight_g", "Khối lượng trứng", "Egg weight", "quantitative", "g", "", "true", "chicken;duck", (45.0, 0.2, 0.06)),
    ("fish_length_cm", "Chiều dài cá thu hoạch", "Length at harvest", "quantitative", "cm", "", "true", "fish", (32.0, 0.3, 0.1)),
    ("fish_weight_g", "Khối lượng cá thu hoạch", "Weight at harvest", "quantitative", "g", "", "true", "fish", (650.0, 0.4, 0.18)),
    ("fillet_pct", "Tỷ lệ phi lê", "Fillet yield", "quantitative", "%", "", "true", "fish", (42.0, 0.1, 0.04)),
    ("fruit_skin_colour", "Màu vỏ quả", "Fruit skin colour", "qualitative", "", "green;yellow;orange;red;purple;brown", "", "fruit_tree;spice", None),
    ("fruit_shape", "Hình dạng quả", "Fruit shape", "qualitative", "", "round;oblate;oval;conical;star", "", "fruit_tree;spice", None),
    ("leaf_shape", "Hình dạng lá", "Leaf shape", "qualitative", "", "ovate;elliptic;lanceolate;cordate", "", "plant", None),
    ("growth_habit", "Dạng sinh trưởng", "Growth habit", "qualitative", "", "erect;spreading;climbing;prostrate", "", "plant", None),
    ("pest_resistance", "Khả năng chống chịu sâu bệnh", "Pest and disease resistance (1 = very high … 9 = very low)", "qualitative", "", "1;3;5;7;9", "false", "plant", None),
    ("drought_tolerance", "Khả năng chịu hạn", "Drought tolerance (1 = very high … 9 = very low)", "qualitative", "", "1;3;5;7;9", "false", "plant", None),
    ("aroma", "Mùi thơm", "Aroma", "qualitative", "", "none;weak;strong", "", "spice;food_crop;medicinal;industrial_crop", None),
    ("grain_colour", "Màu hạt", "Grain colour", "qualitative", "", "white;yellow;red;purple;black", "", "food_crop", None),
    ("coat_colour", "Màu lông", "Coat colour", "qualitative", "", "black;black_white;brown;yellow;grey", "", "pig;cattle;goat", None),
    ("plumage_colour", "Màu lông", "Plumage colour", "qualitative", "", "black;red;yellow;white;mixed;grey", "", "chicken;duck", None),
    ("shank_colour", "Màu chân", "Shank colour", "qualitative", "", "yellow;black;green;white", "", "chicken;duck", None),
    ("temperament", "Tính tình", "Temperament", "qualitative", "", "calm;lively;aggressive", "", "animal", None),
    ("body_colour", "Màu thân cá", "Body colour", "qualitative", "", "silver;dark;golden;green", "", "fish", None),
]

FORM_TRAITS = {
    "fruit": ["tree_height_m", "crown_diameter_m", "trunk_girth_cm", "leaf_length_cm", "leaf_width_cm",
              "fruit_weight_g", "fruit_diameter_cm", "seeds_per_fruit", "brix_pct", "edible_portion_pct",
              "yield_kg_tree", "fruit_skin_colour", "fruit_shape", "pest_resistance"],
    "spice_tree": ["tree_height_m", "crown_diameter_m", "trunk_girth_cm", "leaf_length_cm", "leaf_width_cm",
                   "fruit_weight_g", "yield_kg_tree", "essential_oil_pct", "fruit_skin_colour",
                   "fruit_shape", "aroma", "pest_resistance"],
    "forest": ["tree_height_m", "crown_diameter_m", "trunk_girth_cm", "leaf_length_cm", "leaf_width_cm",
               "wood_density_g_cm3", "girth_increment_cm", "leaf_shape", "pest_resistance"],
    "herb": ["plant_height_cm", "stem_diameter_mm", "leaf_length_cm", "leaf_width_cm", "fresh_biomass_g_plant",
             "dry_matter_pct", "essential_oil_pct", "leaf_shape", "growth_habit", "pest_resistance",
             "drought_tolerance"],
    "tea": ["tree_height_m", "leaf_length_cm", "leaf_width_cm", "shoot_yield_kg_plot", "dry_matter_pct",
            "leaf_shape", "aroma", "pest_resistance", "drought_tolerance"],
    "cereal": ["plant_height_cm", "stem_diameter_mm", "days_to_maturity", "panicle_length_cm",
               "grain_weight_1000_g", "grain_yield_t_ha", "grain_colour", "aroma", "pest_resistance"],
    "tuber": ["plant_height_cm", "leaf_length_cm", "leaf_width_cm", "tuber_weight_g", "tuber_yield_t_ha",
              "dry_matter_pct", "starch_pct", "growth_habit", "pest_resistance", "drought_tolerance"],
    "pig": ["adult_weight_kg", "body_length_cm", "chest_girth_cm", "litter_size", "daily_gain_g",
            "carcass_pct", "lean_meat_pct", "coat_colour", "temperament"],
    "poultry": ["adult_weight_kg", "age_first_egg_d", "eggs_per_year", "egg_weight_g", "carcass_pct",
                "plumage_colour", "shank_colour", "temperament"],
    "ruminant": ["adult_weight_kg", "body_length_cm", "chest_girth_cm", "wither_height_cm", "daily_gain_g",
                 "carcass_pct", "coat_colour", "temperament"],
    "fish": ["fish_length_cm", "fish_weight_g", "fillet_pct", "body_colour", "temperament"],
}

# Per-source typical values that differ by species more than a CV can say.
OVERRIDES = {
    "HONG": {"fruit_weight_g": 160, "seeds_per_fruit": 1.5, "brix_pct": 17, "fruit_diameter_cm": 7},
    "QUYT": {"fruit_weight_g": 95, "seeds_per_fruit": 9, "brix_pct": 12, "fruit_diameter_cm": 6},
    "NA": {"fruit_weight_g": 260, "seeds_per_fruit": 38, "brix_pct": 22, "fruit_diameter_cm": 8,
           "tree_height_m": 3.5},
    "DAO": {"fruit_weight_g": 70, "seeds_per_fruit": 1, "brix_pct": 11, "fruit_diameter_cm": 5},
    "LE": {"fruit_weight_g": 230, "seeds_per_fruit": 7, "brix_pct": 12, "fruit_diameter_cm": 8},
    "TRAM": {"fruit_weight_g": 9, "seeds_per_fruit": 1, "brix_pct": 6, "fruit_diameter_cm": 2,
             "tree_height_m": 16, "yield_kg_tree": 60},
    "HDE": {"fruit_weight_g": 12, "seeds_per_fruit": 2.5, "brix_pct": 8, "fruit_diameter_cm": 2.6,
            "tree_height_m": 10},
    "KHE": {"fruit_weight_g": 140, "seeds_per_fruit": 8, "brix_pct": 9, "fruit_diameter_cm": 6},
    "HOI": {"fruit_weight_g": 2.4, "yield_kg_tree": 25, "essential_oil_pct": 3.2, "tree_height_m": 9},
    "QUE": {"fruit_weight_g": 0.8, "yield_kg_tree": 4, "essential_oil_pct": 2.1, "tree_height_m": 11},
    "MMAT": {"fruit_weight_g": 1.5, "yield_kg_tree": 12, "essential_oil_pct": 1.4, "tree_height_m": 6},
    "MKH": {"fruit_weight_g": 0.3, "yield_kg_tree": 3, "essential_oil_pct": 4.5, "tree_height_m": 8},
    "CHE": {"tree_height_m": 4.5, "leaf_length_cm": 14},
    "LUA": {"plant_height_cm": 135, "grain_yield_t_ha": 3.8},
    "NGO": {"plant_height_cm": 210, "grain_weight_1000_g": 260, "panicle_length_cm": 17,
            "grain_yield_t_ha": 3.2, "days_to_maturity": 105},
    "DTUO": {"plant_height_cm": 60, "grain_weight_1000_g": 150, "panicle_length_cm": 5,
             "grain_yield_t_ha": 1.6, "days_to_maturity": 95},
    "DONG": {"plant_height_cm": 220, "tuber_yield_t_ha": 35, "tuber_weight_g": 900},
    "LON": {"adult_weight_kg": 75, "body_length_cm": 105, "chest_girth_cm": 100, "litter_size": 8.5,
            "daily_gain_g": 320},
    "GA": {"adult_weight_kg": 1.7, "eggs_per_year": 90, "egg_weight_g": 42, "age_first_egg_d": 150},
    "VIT": {"adult_weight_kg": 2.2, "eggs_per_year": 140, "egg_weight_g": 68, "age_first_egg_d": 170},
    "NGAN": {"adult_weight_kg": 3.6, "eggs_per_year": 70, "egg_weight_g": 75, "age_first_egg_d": 190},
    "BO": {"adult_weight_kg": 220, "body_length_cm": 115, "chest_girth_cm": 140, "wither_height_cm": 105,
           "daily_gain_g": 300},
    "TRAU": {"adult_weight_kg": 400, "body_length_cm": 135, "chest_girth_cm": 180, "wither_height_cm": 125,
             "daily_gain_g": 380},
    "DE": {"adult_weight_kg": 30, "body_length_cm": 60, "chest_girth_cm": 68, "wither_height_cm": 58,
           "daily_gain_g": 70, "litter_size": 1.6},
    "CA": {"fish_length_cm": 30, "fish_weight_g": 550},
}

CRITERIA = ["threat", "rarity", "economic", "cultural", "market", "propagation", "cost"]
CRITERION_LABELS = {
    "threat": ("Mức độ bị đe doạ xói mòn gen", "Threat of genetic erosion", "benefit"),
    "rarity": ("Mức độ quý hiếm, đặc hữu", "Rarity and endemism", "benefit"),
    "economic": ("Giá trị kinh tế", "Economic value", "benefit"),
    "cultural": ("Giá trị văn hoá, tri thức bản địa", "Cultural value and indigenous knowledge", "benefit"),
    "market": ("Tiềm năng thị trường", "Market potential", "benefit"),
    "propagation": ("Khả năng nhân giống", "Ease of propagation", "benefit"),
    "cost": ("Chi phí bảo tồn", "Conservation cost", "cost"),
}
# Saaty judgements (row criterion over column criterion) of the demo's priority panel.
AHP = [
    [1, 2, 2, 3, 2, 3, 4],
    [1 / 2, 1, 1, 2, 1, 2, 3],
    [1 / 2, 1, 1, 2, 1, 2, 2],
    [1 / 3, 1 / 2, 1 / 2, 1, 1 / 2, 1, 2],
    [1 / 2, 1, 1, 2, 1, 2, 2],
    [1 / 3, 1 / 2, 1 / 2, 1, 1 / 2, 1, 2],
    [1 / 4, 1 / 3, 1 / 2, 1 / 2, 1 / 2, 1 / 2, 1],
]


# --------------------------------------------------------------------------- helpers


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = frame.to_csv(index=False, lineterminator="\n", na_rep="")
    path.write_bytes(text.encode("utf-8"))


def _r(x, nd):
    return float(np.round(x, nd))


def ahp_consistency_ratio(matrix) -> float:
    """Saaty's consistency ratio of a pairwise matrix (principal eigenvalue method)."""
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    lam = float(np.max(np.real(np.linalg.eigvals(a))))
    ri = {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45}[n]
    return (lam - n) / (n - 1) / ri


# --------------------------------------------------------------------------- tables


def make_sources(rng):
    rows = []
    for rec in PLANTS:
        (sid, name, local, sci, group, form, district, bsys, eth, sampstat, cons, threat, status,
         pop) = rec
        rows.append(dict(source_id=sid, name_vi=name, name_local=local, scientific_name=sci, kind="plant",
                         group=group, district=district, breeding_system=bsys, ethnic_group=eth,
                         sampstat=sampstat, conservation=cons, threat=threat, status=status,
                         population_estimate=pop, form=form))
    for rec in ANIMALS:
        sid, name, local, sci, group, form, district, eth, sampstat, cons, threat, status, pop = rec
        rows.append(dict(source_id=sid, name_vi=name, name_local=local, scientific_name=sci, kind="animal",
                         group=group, district=district, breeding_system="animal", ethnic_group=eth,
                         sampstat=sampstat, conservation=cons, threat=threat, status=status,
                         population_estimate=pop, form=form))
    out = []
    for i, row in enumerate(rows):
        lat0, lon0, elev0, communes = DISTRICTS[row["district"]]
        lat = lat0 + rng.uniform(-0.06, 0.06)
        lon = lon0 + rng.uniform(-0.06, 0.06)
        elev = elev0 * rng.uniform(0.7, 1.4)
        if row["source_id"] in ("DAO-001", "LE-001", "CHE-001", "GCL-001", "HTI-001", "SU-001"):
            lat, lon, elev = 21.848 + rng.uniform(-0.02, 0.02), 107.003 + rng.uniform(-0.02, 0.02), \
                rng.uniform(950, 1400)  # Mẫu Sơn mountain
        commune = communes[int(rng.integers(len(communes)))]
        if row["source_id"] in ("DAO-001", "LE-001", "CHE-001", "GCL-001", "HTI-001", "SU-001"):
            commune = "Mẫu Sơn"
        year = 2021 + int(rng.integers(0, 3))
        day = pd.Timestamp(f"{year}-03-01") + pd.Timedelta(days=int(rng.integers(0, 240)))
        if row["status"] == "surveyed" and i % 2 == 0:
            collected = ""
        else:
            collected = day.strftime("%Y-%m-%d")
        out.append({
            "source_id": row["source_id"], "name_vi": row["name_vi"], "name_local": row["name_local"],
            "scientific_name": row["scientific_name"], "kind": row["kind"], "group": row["group"],
            "district": row["district"], "commune": commune, "latitude": _r(lat, 5),
            "longitude": _r(lon, 5), "elevation_m": float(round(elev / 5) * 5),
            "collected_on": collected, "sampstat": row["sampstat"], "conservation": row["conservation"],
            "threat": row["threat"],
            "population_estimate": "" if row["population_estimate"] is None else row["population_estimate"],
            "status": row["status"], "breeding_system": row["breeding_system"],
            "ethnic_group": row["ethnic_group"],
        })
    frame = pd.DataFrame(out)[file_columns("sources")]
    forms = {r["source_id"]: r["form"] for r in rows}
    return frame, forms


KNOWLEDGE_TEXT = {
    "use": ["Quả chín ăn tươi, biếu khách dịp Tết; cây được giữ lại quanh nhà từ đời ông bà.",
            "Người dân dùng làm thực phẩm hằng ngày và để dành khi giáp hạt.",
            "Được dùng trong mâm cỗ cưới, lễ mừng nhà mới của người {eth}."],
    "cultivation": ["Trồng trên đất đồi thoai thoải, hướng đông; bón phân chuồng hoai vào tháng 2.",
                    "Trồng xen với ngô và đậu ở nương; làm cỏ hai lần trước khi ra hoa.",
                    "Ưa đất đá vôi ẩm, cần che bóng nhẹ trong năm đầu."],
    "propagation": ["Nhân giống bằng cách ghép mắt lên gốc địa phương vào tháng 3–4.",
                    "Giâm cành bánh tẻ dài 15–20 cm, nhúng gốc vào nước tro bếp trước khi cắm.",
                    "Gieo hạt ngay sau thu hoạch, hạt để lâu mất sức nảy mầm."],
    "harvest": ["Thu hái khi vỏ chuyển màu, vào buổi sáng khô ráo.",
                "Thu hoạch hai vụ: vụ chính tháng 8–9 và vụ phụ tháng 2–3."],
    "processing": ["Phơi khô trên gác bếp, bảo quản trong chum sành.",
                   "Ngâm nước tro, nấu lấy nước để làm món ăn truyền thống.",
                   "Sấy nhẹ bằng than củi giữ được màu và mùi thơm."],
    "medicine": ["Rễ sắc uống chữa đau lưng, mỏi gối cho người già.",
                 "Lá giã đắp vết thương, chữa mụn nhọt theo kinh nghiệm thầy lang {eth}.",
                 "Ngâm rượu uống bồi bổ sức khoẻ sau ốm."],
    "husbandry": ["Nuôi thả vườn đồi, tối nhốt chuồng sàn; cho ăn ngô, cám gạo và rau rừng.",
                  "Chọn con giống từ đàn mẹ đẻ sai, nuôi con khéo; tránh giao phối cận huyết.",
                  "Mùa đông che chắn chuồng, cho ăn thêm cháo ngô nấu chín."],
    "ritual": ["Dùng làm lễ vật cúng tổ tiên dịp lễ Lồng tồng của người {eth}.",
               "Không thể thiếu trong lễ cầu mùa đầu năm."],
    "market": ["Thương lái đến tận nhà thu mua, giá cao hơn hàng nơi khác 20–30 %.",
               "Bán ở chợ phiên Kỳ Lừa và chợ cửa khẩu Tân Thanh."],
    "history": ["Theo các cụ, giống này có ở bản từ thời Pháp thuộc, nay chỉ còn vài hộ giữ.",
                "Trước đây được tiến vua; diện tích giảm mạnh từ những năm 1990."],
}
TOPICS_BY_KIND = {"plant": ["use", "cultivation", "propagation", "harvest", "processing", "medicine",
                            "ritual", "market", "history"],
                  "animal": ["use", "husbandry", "ritual", "market", "history", "processing"]}
ETH_NAME = {"tay": "Tày", "nung": "Nùng", "kinh": "Kinh", "dao": "Dao", "hmong": "H'Mông",
            "san_chay": "Sán Chay", "hoa": "Hoa", "san_diu": "Sán Dìu"}


def make_knowledge(rng, sources):
    rows = []
    n = 0
    for _, s in sources.iterrows():
        if rng.random() < 0.12:
            continue  # no record yet
        topics = TOPICS_BY_KIND[s["kind"]]
        k = int(rng.integers(1, 4))
        chosen = rng.choice(len(topics), size=k, replace=False)
        for t in sorted(chosen):
            topic = topics[t]
            texts = KNOWLEDGE_TEXT[topic]
            text = texts[int(rng.integers(len(texts)))].format(eth=ETH_NAME[s["ethnic_group"]])
            n += 1
            day = pd.Timestamp("2021-05-01") + pd.Timedelta(days=int(rng.integers(0, 900)))
            rows.append({"knowledge_id": f"K{n:04d}", "source_id": s["source_id"], "topic": topic,
                         "ethnic_group": s["ethnic_group"], "informant": f"INF-{int(rng.integers(1, 140)):03d}",
                         "text": text, "recorded_on": day.strftime("%Y-%m-%d")})
    return pd.DataFrame(rows)[file_columns("knowledge")]


def make_traits():
    rows = [{"trait": t[0], "name_vi": t[1], "name_en": t[2], "kind": t[3], "unit": t[4], "states": t[5],
             "higher_is_better": t[6], "applies_to": t[7]} for t in TRAITS]
    return pd.DataFrame(rows)[file_columns("traits")]


def _decimals(mean):
    return 0 if mean >= 200 else 1 if mean >= 5 else 2


def make_observations(rng, sources, forms):
    traits = {t[0]: t for t in TRAITS}
    rows = []
    for _, s in sources.iterrows():
        sid = s["source_id"]
        prefix = sid.split("-")[0]
        over = OVERRIDES.get(prefix, {})
        form = forms[sid]
        animal = s["kind"] == "animal"
        n_acc = int(rng.integers(2, 5))
        reps = 2 if animal else 3
        two_sites = rng.random() < 0.3
        sites = ["tram_cao_loc", "ho_" + prefix.lower()] if two_sites else ["ho_" + prefix.lower()]
        for trait in FORM_TRAITS[form]:
            _, _, _, kind, _, states, _, _, par = traits[trait]
            if kind == "quantitative":
                mean0, cv_src, cv_acc = par
                mean0 = over.get(trait, mean0)
                src_mean = mean0 * math.exp(rng.normal(0, cv_src * 0.6))
                acc_means = src_mean * np.exp(rng.normal(0, cv_acc, n_acc))
                year_eff = {2022: 1.0, 2023: math.exp(rng.normal(0, 0.05))}
                site_eff = {site: math.exp(rng.normal(0, 0.06)) if j else 1.0 for j, site in enumerate(sites)}
                nd = _decimals(mean0)
                if trait in ("carcass_pct", "lean_meat_pct", "edible_portion_pct", "fillet_pct",
                             "dry_matter_pct", "starch_pct", "brix_pct"):
                    nd = 1
            else:
                codes = states.split(";")
                p = rng.dirichlet(np.full(len(codes), 0.6))
                acc_states = [codes[int(rng.choice(len(codes), p=p))] for _ in range(n_acc)]
            for a in range(n_acc):
                acc = f"{prefix}{sid[-3:]}-A{a + 1}"
                for site in sites:
                    for year in (2022, 2023):
                        for rep in range(1, reps + 1):
                            if kind == "quantitative":
                                v = acc_means[a] * year_eff[year] * site_eff[site] * math.exp(
                                    rng.normal(0, cv_acc * 0.8))
                                value = "" if rng.random() < 0.025 else f"{round(v, nd):.{nd}f}"
                            else:
                                st = acc_states[a]
                                if rng.random() < 0.08:
                                    st = codes[int(rng.integers(len(codes)))]
                                value = "" if rng.random() < 0.02 else st
                            rows.append((sid, acc, site, year, rep, trait, value))
    return pd.DataFrame(rows, columns=file_columns("observations"))


# ------------------------------------------------------------------ trials


def _trial_row(trial_id, source_id, purpose, design, responses, site, started_on, title, **cols):
    row = {c: "" for c in file_columns("trials")}
    row.update(trial_id=trial_id, source_id=source_id, purpose=purpose, design=design,
               responses=responses, site=site, started_on=started_on, title=title)
    row.update(cols)
    return row


def _rooting_cuttings(rng, trial_id, plots, cuttings, p_root, median_day):
    """Per cutting: day rooted (event) or censored at the last check (day 60)."""
    rows = []
    for plot_id, trt in plots:
        for k in range(1, cuttings + 1):
            if rng.random() < p_root[trt]:
                day = int(min(59, max(8, round(rng.weibull(3.0) * median_day[trt] / 0.885))))
                rows.append((trial_id, trt, f"{plot_id}-{k:02d}", day, 1))
            else:
                rows.append((trial_id, trt, f"{plot_id}-{k:02d}", 60, 0))
    return rows


def make_trials(rng):
    trials, plots, rooting = [], {}, []

    # T01 star anise cuttings, IBA doses, CRD, with per-cutting rooting times
    doses = [0, 500, 1000, 2000, 3000]
    p = {f"IBA{d}": 0.18 + 0.62 * d / (d + 900) - (0.12 if d == 3000 else 0) for d in doses}
    med = {f"IBA{d}": 38 - 10 * d / (d + 800) for d in doses}
    plist = [(f"P{i + 1:02d}", f"IBA{d}") for i, (d, r) in enumerate((d, r) for d in doses for r in range(4))]
    rt = _rooting_cuttings(rng, "T01-HOI-IBA", plist, 25, p, med)
    rooting += rt
    rows = []
    for (plot_id, trt), (d, r) in zip(plist, ((d, r) for d in doses for r in range(4))):
        rooted = sum(1 for x in rt if x[2].startswith(plot_id + "-") and x[4] == 1)
        roots = 2.0 + 5.5 * d / (d + 1000) + rng.normal(0, 0.5)
        rows.append({"plot": plot_id, "treatment": trt, "iba_ppm": d, "rep": r + 1, "cuttings": 25,
                     "rooted": rooted, "roots_per_cutting": _r(roots, 2),
                     "root_length_cm": _r(3 + 2.5 * d / (d + 1200) + rng.normal(0, 0.35), 2)})
    plots["T01-HOI-IBA"] = pd.DataFrame(rows)
    trials.append(_trial_row("T01-HOI-IBA", "HOI-001", "cutting", "crd", "roots_per_cutting;root_length_cm",
                             "vuon_uom_van_quan", "2022-03-10", "Giâm hom hồi với IBA (CRD)",
                             treatment="treatment", counts="rooted/cuttings", dose="iba_ppm"))

    # T02 Morinda cuttings, IBA doses, RCBD
    doses = [0, 250, 500, 1000, 2000, 4000]
    rows = []
    blk = rng.normal(0, 0.25, 4)
    for b in range(4):
        for i, d in enumerate(doses):
            eta = -1.2 + 2.6 * d / (d + 700) + blk[b] - (0.6 if d == 4000 else 0)
            rooted = int(rng.binomial(30, 1 / (1 + math.exp(-eta))))
            rows.append({"plot": f"B{b + 1}-{i + 1}", "block": f"B{b + 1}", "treatment": f"IBA{d}",
                         "iba_ppm": d, "cuttings": 30, "rooted": rooted,
                         "survived_90d": int(rng.binomial(rooted, 0.85)),
                         "roots_per_cutting": _r(1.5 + 4 * d / (d + 900) + blk[b] + rng.normal(0, 0.45), 2)})
    plots["T02-BKI-IBA"] = pd.DataFrame(rows)
    trials.append(_trial_row("T02-BKI-IBA", "BKI-001", "cutting", "rcbd", "roots_per_cutting",
                             "vuon_uom_dinh_lap", "2022-04-02", "Giâm hom ba kích với IBA (RCBD)",
                             treatment="treatment", block="block",
                             counts="rooted/cuttings;survived_90d/cuttings", dose="iba_ppm"))

    # T03 Bắc Sơn mandarin grafting methods, CRD
    methods = {"cleft": 0.86, "whip": 0.78, "chip": 0.9, "t_bud": 0.7, "side": 0.74}
    rows = []
    k = 0
    for r in range(4):
        for m, pm in methods.items():
            k += 1
            surv = int(rng.binomial(20, pm))
            rows.append({"plot": f"P{k:02d}", "method": m, "grafted": 20, "survived": surv,
                         "shoot_length_cm": _r(14 + 8 * (pm - 0.7) * 5 + rng.normal(0, 2.2), 1)})
    plots["T03-QUYT-GRAFT"] = pd.DataFrame(rows)
    trials.append(_trial_row("T03-QUYT-GRAFT", "QUYT-001", "grafting", "crd", "shoot_length_cm",
                             "vuon_uom_bac_son", "2022-02-20", "Phương pháp ghép quýt vàng Bắc Sơn",
                             treatment="method", counts="survived/grafted"))

    # T04 seedless persimmon rootstocks, RCBD
    stocks = {"bao_lam": 0.82, "hong_dai": 0.74, "cao_loc": 0.66, "van_quan": 0.7, "mau_son": 0.78}
    rows = []
    blk = rng.normal(0, 0.3, 5)
    for b in range(5):
        for s, ps in stocks.items():
            eta = math.log(ps / (1 - ps)) + blk[b]
            surv = int(rng.binomial(15, 1 / (1 + math.exp(-eta))))
            rows.append({"block": b + 1, "rootstock": s, "grafted": 15, "survived": surv,
                         "vigour_score": int(np.clip(round(5 + 3 * (ps - 0.74) * 10 + rng.normal(0, 1)), 1, 9))})
    plots["T04-HONG-STOCK"] = pd.DataFrame(rows)
    trials.append(_trial_row("T04-HONG-STOCK", "HONG-001", "grafting", "rcbd", "vigour_score",
                             "ho_hong_bao_lam", "2023-02-15", "Gốc ghép cho hồng không hạt Bảo Lâm",
                             treatment="rootstock", block="block", counts="survived/grafted"))

    # T05 jewel orchid tissue culture, BAP x NAA factorial CRD
    rows = []
    k = 0
    for bap in (0.5, 1.0, 2.0, 3.0):
        for naa in (0.0, 0.2, 0.5):
            for r in range(4):
                k += 1
                mu = 1.6 + 1.4 * bap / (bap + 0.8) + 0.9 * naa - 0.5 * naa * (bap > 2)
                rows.append({"flask": k, "bap": f"BAP{bap:.1f}", "naa": f"NAA{naa:.1f}", "rep": r + 1,
                             "explants": 10, "responding": int(rng.binomial(10, min(0.95, 0.45 + 0.12 * bap))),
                             "shoots_per_explant": _r(mu + rng.normal(0, 0.35), 2)})
    plots["T05-KTL-TC"] = pd.DataFrame(rows)
    trials.append(_trial_row("T05-KTL-TC", "KTL-001", "tissue_culture", "factorial_crd", "shoots_per_explant",
                             "phong_nuoi_cay_mo", "2022-06-01", "Nhân nhanh lan kim tuyến: BAP × NAA",
                             factors="bap;naa", counts="responding/explants"))

    # T06 sticky rice split plot: nitrogen (main) x transplanting density (sub)
    rows = []
    blk = rng.normal(0, 0.15, 3)
    for b in range(3):
        main_err = rng.normal(0, 0.12, 4)
        for i, n in enumerate((0, 40, 80, 120)):
            for dens in ("D25", "D35", "D45"):
                mu = 3.0 + 1.6 * n / (n + 50) + {"D25": -0.15, "D35": 0.1, "D45": 0.05}[dens] + blk[b] + main_err[i]
                rows.append({"block": f"K{b + 1}", "nitrogen": f"N{n}", "density": dens,
                             "grain_yield_t_ha": _r(mu + rng.normal(0, 0.15), 2),
                             "panicles_per_m2": int(round(180 + n * 0.6 + rng.normal(0, 12)))})
    plots["T06-LUA-NPK"] = pd.DataFrame(rows)
    trials.append(_trial_row("T06-LUA-NPK", "LUA-001", "cultivation", "split_plot",
                             "grain_yield_t_ha;panicles_per_m2", "ruong_trang_dinh", "2023-06-15",
                             "Đạm × mật độ cấy cho nếp Khẩu nua (ô chính – ô phụ)",
                             main="nitrogen", sub="density", block="block"))

    # T07 Shan tea fertiliser, 5x5 Latin square
    trts = ["F0", "F1", "F2", "F3", "F4"]
    eff = {"F0": -1.2, "F1": 0.0, "F2": 0.6, "F3": 1.1, "F4": 0.8}
    rows = []
    row_eff = rng.normal(0, 0.4, 5)
    col_eff = rng.normal(0, 0.3, 5)
    for i in range(5):
        for j in range(5):
            t = trts[(i + j * 2) % 5]
            rows.append({"terrace": i + 1, "strip": j + 1, "fertiliser": t,
                         "shoot_yield_kg_plot": _r(8.0 + eff[t] + row_eff[i] + col_eff[j] + rng.normal(0, 0.35), 2)})
    plots["T07-CHE-FERT"] = pd.DataFrame(rows)
    trials.append(_trial_row("T07-CHE-FERT", "CHE-001", "cultivation", "latin", "shoot_yield_kg_plot",
                             "doi_che_mau_son", "2023-03-01", "Phân bón cho chè Shan tuyết (ô vuông Latin)",
                             treatment="fertiliser", row="terrace", column="strip"))

    # T08 black canarium seedlings, substrate x shade, factorial RCBD
    rows = []
    blk = rng.normal(0, 1.0, 4)
    for b in range(4):
        for sub in ("soil", "soil_manure", "soil_husk"):
            for sh in ("S0", "S50"):
                mu = 30 + {"soil": 0, "soil_manure": 5, "soil_husk": 2.5}[sub] + (3 if sh == "S50" else 0) + blk[b]
                rows.append({"block": b + 1, "substrate": sub, "shade": sh, "sown": 40,
                             "emerged": int(rng.binomial(40, 0.7 + (0.08 if sh == "S50" else 0))),
                             "seedling_height_cm": _r(mu + rng.normal(0, 1.6), 1)})
    plots["T08-TRAM-NURSERY"] = pd.DataFrame(rows)
    trials.append(_trial_row("T08-TRAM-NURSERY", "TRAM-001", "seed", "factorial_rcbd", "seedling_height_cm",
                             "vuon_uom_dinh_lap", "2022-09-05", "Giá thể × che bóng cho cây con trám đen",
                             factors="substrate;shade", block="block", counts="emerged/sown"))

    # T09 Mesona cutting length, CRD
    rows = []
    k = 0
    for L in (5, 10, 15, 20):
        for r in range(4):
            k += 1
            rows.append({"plot": k, "length": f"L{L:02d}", "length_cm": L, "cuttings": 40,
                         "rooted": int(rng.binomial(40, 0.6 + 0.3 * L / (L + 6))),
                         "fresh_herb_g_plot": _r(900 + 55 * L + rng.normal(0, 110), 0)})
    plots["T09-TDEN-CUT"] = pd.DataFrame(rows)
    trials.append(_trial_row("T09-TDEN-CUT", "TDEN-001", "cutting", "crd", "fresh_herb_g_plot",
                             "ruong_trang_dinh", "2023-03-20", "Chiều dài hom thạch đen",
                             treatment="length", counts="rooted/cuttings", dose="length_cm"))

    # T10 mắc mật seed pretreatment, CRD
    rows = []
    k = 0
    for t, pe in (("CK", 0.45), ("warm_water", 0.62), ("GA3_250", 0.78), ("sand_strat", 0.7)):
        for r in range(4):
            k += 1
            rows.append({"plot": k, "pretreatment": t, "sown": 50, "emerged": int(rng.binomial(50, pe)),
                         "seedling_height_cm": _r(11 + 6 * (pe - 0.45) + rng.normal(0, 1.1), 1)})
    plots["T10-MMAT-SEED"] = pd.DataFrame(rows)
    trials.append(_trial_row("T10-MMAT-SEED", "MMAT-001", "seed", "crd", "seedling_height_cm",
                             "vuon_uom_huu_lung", "2023-01-12", "Xử lý hạt mắc mật trước khi gieo",
                             treatment="pretreatment", counts="emerged/sown"))

    # T11 custard apple grafting time, RCBD
    rows = []
    blk = rng.normal(0, 0.25, 3)
    for b in range(3):
        for t, pt in (("jan", 0.6), ("mar", 0.85), ("may", 0.78), ("aug", 0.55), ("oct", 0.5)):
            eta = math.log(pt / (1 - pt)) + blk[b]
            rows.append({"block": b + 1, "month": t, "grafted": 30,
                         "survived": int(rng.binomial(30, 1 / (1 + math.exp(-eta)))),
                         "days_to_bud_break": _r(21 - 8 * (pt - 0.5) + rng.normal(0, 1.5), 1)})
    plots["T11-NA-GRAFT"] = pd.DataFrame(rows)
    trials.append(_trial_row("T11-NA-GRAFT", "NA-001", "grafting", "rcbd", "days_to_bud_break",
                             "vuon_uom_chi_lang", "2023-01-05", "Thời vụ ghép na dai Chi Lăng",
                             treatment="month", block="block", counts="survived/grafted"))

    # T12 Fallopia cuttings, IBA x substrate, factorial RCBD
    rows = []
    blk = rng.normal(0, 0.2, 3)
    for b in range(3):
        for iba in (0, 1000, 2000):
            for sub in ("sand", "soil_husk"):
                eta = -0.6 + 1.8 * iba / (iba + 800) + (0.4 if sub == "soil_husk" else 0) + blk[b]
                rows.append({"block": b + 1, "iba": f"IBA{iba}", "substrate": sub, "iba_ppm": iba,
                             "cuttings": 30, "rooted": int(rng.binomial(30, 1 / (1 + math.exp(-eta)))),
                             "roots_per_cutting": _r(2 + 3 * iba / (iba + 1000) + rng.normal(0, 0.4), 2)})
    plots["T12-HTO-CUT"] = pd.DataFrame(rows)
    trials.append(_trial_row("T12-HTO-CUT", "HTO-001", "cutting", "factorial_rcbd", "roots_per_cutting",
                             "vuon_uom_cao_loc", "2023-04-10", "Giâm hom hà thủ ô đỏ: IBA × giá thể",
                             factors="iba;substrate", block="block", counts="rooted/cuttings", dose="iba_ppm"))

    # T13 Gynostemma tissue culture, BAP x kinetin factorial CRD
    rows = []
    k = 0
    for bap in (0.0, 1.0, 2.0):
        for kin in (0.0, 0.5):
            for r in range(5):
                k += 1
                rows.append({"flask": k, "bap": f"BAP{bap:.1f}", "kinetin": f"KIN{kin:.1f}",
                             "shoots_per_explant": _r(1.2 + 1.1 * bap - 0.2 * bap * bap + 0.6 * kin + rng.normal(0, 0.3), 2),
                             "shoot_length_cm": _r(2.5 + 0.3 * bap + rng.normal(0, 0.3), 2)})
    plots["T13-GCL-TC"] = pd.DataFrame(rows)
    trials.append(_trial_row("T13-GCL-TC", "GCL-001", "tissue_culture", "factorial_crd",
                             "shoots_per_explant;shoot_length_cm", "phong_nuoi_cay_mo", "2023-05-15",
                             "Nhân chồi giảo cổ lam: BAP × kinetin", factors="bap;kinetin"))

    # T14 Canna fertiliser, RCBD
    rows = []
    blk = rng.normal(0, 1.5, 4)
    for b in range(4):
        for t, e in (("F0", -6), ("F1", 0), ("F2", 3.5), ("F3", 5)):
            rows.append({"block": b + 1, "fertiliser": t,
                         "tuber_yield_t_ha": _r(34 + e + blk[b] + rng.normal(0, 2), 1)})
    plots["T14-DONG-FERT"] = pd.DataFrame(rows)
    trials.append(_trial_row("T14-DONG-FERT", "DONG-001", "cultivation", "rcbd", "tuber_yield_t_ha",
                             "ruong_binh_gia", "2022-03-01", "Phân bón cho dong riềng Bình Gia",
                             treatment="fertiliser", block="block"))

    rooting_df = pd.DataFrame(rooting, columns=file_columns("rooting"))
    return pd.DataFrame(trials)[file_columns("trials")], plots, rooting_df


def make_germination(rng):
    tests = [
        ("G-HOI-2023", "HOI-001", {"CK": (0.55, 12), "warm_water": (0.68, 10), "GA3_100": (0.8, 8), "sand_strat": (0.75, 9)}),
        ("G-MMAT-2023", "MMAT-001", {"CK": (0.45, 12), "GA3_250": (0.82, 9), "warm_water": (0.6, 11)}),
        ("G-TRAM-2022", "TRAM-001", {"CK": (0.4, 16), "crack": (0.7, 12), "soak_48h": (0.55, 14)}),
        ("G-KGI-2023", "KGI-001", {"CK": (0.3, 15), "GA3_250": (0.52, 12), "sand_strat": (0.48, 13)}),
        ("G-QUE-2022", "QUE-001", {"CK": (0.72, 8), "soak_24h": (0.84, 6)}),
        ("G-LUA-2023", "LUA-002", {"CK": (0.9, 3), "old_seed": (0.62, 5)}),
    ]
    rows = []
    for test_id, sid, trts in tests:
        for t, (pg, t50) in trts.items():
            for d in range(1, 4):
                sown = 50
                n = int(rng.binomial(sown, pg))
                days = np.clip(np.round(rng.lognormal(math.log(t50), 0.3, n)), 1, 21).astype(int)
                counts = np.bincount(days, minlength=22)
                for day in range(1, 22):
                    rows.append((test_id, f"{t}-{d}", day, sid, t, sown, int(counts[day])))
    return pd.DataFrame(rows, columns=file_columns("germination"))


def make_viability(rng):
    lots = [("L-LUA001-21", "LUA-001", 0.95, 0.02), ("L-LUA002-21", "LUA-002", 0.93, 0.03),
            ("L-LUA003-21", "LUA-003", 0.96, 0.015), ("L-NGO001-21", "NGO-001", 0.92, 0.02),
            ("L-DTUO001-21", "DTUO-001", 0.9, 0.05), ("L-CAI001-22", "CAI-001", 0.88, 0.015),
            ("L-BI001-22", "BI-001", 0.9, 0.03), ("L-HOI001-22", "HOI-001", 0.7, 0.16),
            ("L-QUE001-22", "QUE-001", 0.8, 0.12), ("L-KGI001-22", "KGI-001", 0.6, 0.1),
            ("L-TRAM001-21", "TRAM-001", 0.75, 0.14), ("L-MMAT001-22", "MMAT-001", 0.68, 0.06)]
    rows = []
    for lot, sid, v0, loss in lots:
        year0 = 2000 + int(lot[-2:])
        stored = pd.Timestamp(f"{year0}-11-15")
        stock = int(rng.integers(6, 20)) * 500
        storage = 13 if v0 > 0.85 else 12
        moisture = 6.0 + rng.uniform(0, 2.5)
        for k, year in enumerate(range(year0, 2026)):
            tested = pd.Timestamp(f"{year}-12-01") + pd.Timedelta(days=int(rng.integers(0, 20)))
            if k == 0:
                tested = stored + pd.Timedelta(days=7)
            p = v0 * math.exp(-loss * k * (1 + 0.2 * k))
            sown = 200 if v0 > 0.85 else 100
            germ = int(rng.binomial(sown, p))
            stock -= sown
            rows.append({"lot_id": lot, "tested_on": tested.strftime("%Y-%m-%d"), "source_id": sid,
                         "sown": sown, "germinated": germ, "moisture_pct": _r(moisture + rng.normal(0, 0.3), 1),
                         "stock": stock, "stored_on": stored.strftime("%Y-%m-%d"), "storage": storage})
    return pd.DataFrame(rows)[file_columns("viability")]


_THREAT_SCORE = {"CR": 5, "EN": 4.5, "VU": 3.5, "NT": 2.5, "LC": 1.5, "DD": 3, "NE": 2.5}


def make_assessments(rng, sources):
    rows = []
    for _, s in sources.iterrows():
        pop = s["population_estimate"]
        rarity = 3.0 if pop == "" else float(np.clip(5.5 - math.log10(float(pop) + 1), 1, 5))
        base = {
            "threat": _THREAT_SCORE[s["threat"]] + rng.normal(0, 0.3),
            "rarity": rarity + rng.normal(0, 0.3),
            "economic": rng.uniform(1.5, 5) if s["group"] not in ("forest_tree",) else rng.uniform(1, 3),
            "cultural": rng.uniform(1.5, 5),
            "market": rng.uniform(1.5, 5),
            "propagation": rng.uniform(1.5, 5),
            "cost": rng.uniform(1, 5),
        }
        for c in CRITERIA:
            rows.append({"source_id": s["source_id"], "criterion": c,
                         "value": float(np.clip(round(base[c] * 2) / 2, 1, 5))})
    return pd.DataFrame(rows)[file_columns("assessments")]


def make_models(rng):
    specs = [
        ("M01", "QUYT-001", "Bắc Sơn", 2022, 2.0, 14000, 10500, 28000, 180e6, 150e6, 8, 18000),
        ("M02", "HONG-001", "Cao Lộc", 2022, 3.0, 9500, 7200, 30000, 120e6, 100e6, 12, 12000),
        ("M03", "NA-001", "Chi Lăng", 2023, 5.0, 12500, 9800, 40000, 210e6, 175e6, 20, 15000),
        ("M04", "HOI-001", "Văn Quan", 2022, 10.0, 1100, 750, 110000, 55e6, 40e6, 25, 1500),
        ("M05", "CHE-001", "Lộc Bình", 2023, 2.0, 2400, 1700, 90000, 95e6, 70e6, 10, 3000),
        ("M06", "LUA-001", "Tràng Định", 2023, 4.0, 4600, 3700, 22000, 38e6, 32e6, 30, 5500),
        ("M07", "KMON-001", "Tràng Định", 2024, 3.0, 19000, 14500, 15000, 85e6, 70e6, 24, 24000),
        ("M08", "DONG-001", "Bình Gia", 2023, 5.0, 42000, 33000, 2500, 48e6, 42e6, 35, 50000),
        ("M09", "TDEN-001", "Tràng Định", 2024, 3.0, 3200, 2500, 35000, 60e6, 52e6, 18, 4000),
        ("M10", "BKI-001", "Đình Lập", 2024, 1.5, 5200, 3800, 60000, 160e6, 130e6, 9, 6500),
        ("M11", "GA-002", "Văn Quan", 2023, 0.5, 2600, 1900, 160000, 250e6, 210e6, 15, 3200),
        ("M12", "LON-001", "Văn Lãng", 2024, 0.5, 5200, 4100, 95000, 310e6, 270e6, 12, 6000),
    ]
    rows = []
    for (mid, sid, district, year, area, ym, yc, price, cm, cc, hh, yp) in specs:
        f = math.exp(rng.normal(0, 0.05))
        rows.append({"model_id": mid, "source_id": sid, "district": district, "year": year, "area_ha": area,
                     "yield_model": float(round(ym * f, -1)), "yield_control": float(round(yc * math.exp(rng.normal(0, 0.05)), -1)),
                     "price": float(price), "cost_model": float(round(cm * math.exp(rng.normal(0, 0.03)), -5)),
                     "cost_control": float(round(cc * math.exp(rng.normal(0, 0.03)), -5)), "households": hh,
                     "yield_potential": float(yp)})
    return pd.DataFrame(rows)[file_columns("models")]


def make_protocols():
    specs = [
        ("PR01", "HOI-001", "propagation", "Quy trình giâm hom hồi", "T01-HOI-IBA", "approved",
         "Chọn cành bánh tẻ;Cắt hom 12–15 cm giữ 2 lá;Nhúng IBA 2000 ppm 10 giây;Cắm vào cát ẩm dưới mái che", "IBA2000"),
        ("PR02", "BKI-001", "propagation", "Quy trình giâm hom ba kích tím", "T02-BKI-IBA", "approved",
         "Cắt hom 2 đốt;Nhúng IBA 1000 ppm;Giâm trong luống cát pha đất;Tưới phun sương 2 lần/ngày", "IBA1000"),
        ("PR03", "QUYT-001", "propagation", "Quy trình ghép quýt vàng Bắc Sơn", "T03-QUYT-GRAFT", "approved",
         "Chọn gốc ghép 12 tháng tuổi;Ghép mắt nhỏ có gỗ;Buộc dây nilon;Cắt ngọn gốc ghép sau 20 ngày", "chip"),
        ("PR04", "HONG-001", "propagation", "Quy trình ghép hồng không hạt", "T04-HONG-STOCK", "field_tested",
         "Dùng gốc hồng Bảo Lâm;Ghép nêm vào tháng 2;Che nắng 2 tuần", "bao_lam"),
        ("PR05", "KTL-001", "propagation", "Quy trình nhân nhanh lan kim tuyến in vitro", "T05-KTL-TC", "field_tested",
         "Khử trùng mẫu;Nuôi trên MS + BAP 2 mg/L + NAA 0,2 mg/L;Ra rễ trên MS + NAA 0,5 mg/L;Huấn luyện cây 4 tuần", "BAP2.0:NAA0.2"),
        ("PR06", "LUA-001", "cultivation", "Quy trình canh tác nếp Khẩu nua", "T06-LUA-NPK", "approved",
         "Gieo mạ;Cấy 35 khóm/m²;Bón 80 kg N/ha chia 3 lần;Thu hoạch khi 85 % hạt chín", "N80:D35"),
        ("PR07", "CHE-001", "cultivation", "Quy trình thâm canh chè Shan tuyết", "T07-CHE-FERT", "field_tested",
         "Đốn chè tháng 12;Bón công thức F3;Hái một tôm hai lá", "F3"),
        ("PR08", "TRAM-001", "propagation", "Quy trình sản xuất cây con trám đen", "T08-TRAM-NURSERY", "draft",
         "Ngâm hạt;Gieo vào bầu đất + phân chuồng;Che 50 % ánh sáng", "soil_manure:S50"),
        ("PR09", "TDEN-001", "propagation", "Quy trình giâm hom thạch đen", "T09-TDEN-CUT", "approved",
         "Cắt hom 15–20 cm;Cắm nghiêng 45°;Giữ ẩm 10 ngày", "L20"),
        ("PR10", "MMAT-001", "propagation", "Quy trình gieo ươm mắc mật", "T10-MMAT-SEED", "field_tested",
         "Thu hạt chín;Xử lý GA3 250 ppm 24 giờ;Gieo trên luống cát", "GA3_250"),
        ("PR11", "NA-001", "propagation", "Quy trình ghép na dai Chi Lăng", "T11-NA-GRAFT", "approved",
         "Ghép vào tháng 3;Dùng gốc na ta 1 năm tuổi;Mở dây sau 45 ngày", "mar"),
        ("PR12", "HTO-001", "propagation", "Quy trình giâm hom hà thủ ô đỏ", "T12-HTO-CUT", "draft",
         "Hom 3 đốt;IBA 1000 ppm;Giá thể đất + trấu", "IBA1000:soil_husk"),
        ("PR13", "GCL-001", "propagation", "Quy trình nhân giống giảo cổ lam in vitro", "T13-GCL-TC", "draft",
         "Nuôi trên MS + BAP 2 mg/L;Cấy chuyển 4 tuần/lần", "BAP2.0:KIN0.5"),
        ("PR14", "DONG-001", "cultivation", "Quy trình canh tác dong riềng Bình Gia", "T14-DONG-FERT", "field_tested",
         "Trồng tháng 2–3;Bón công thức F3;Vun gốc 2 lần", "F3"),
        ("PR15", "LON-001", "cultivation", "Quy trình chăn nuôi lợn Lũng Vài bán chăn thả", "", "draft",
         "Chuồng sàn khô ráo;Khẩu phần ngô, cám gạo, rau xanh;Tiêm phòng dịch tả", ""),
        ("PR16", "KMON-001", "cultivation", "Quy trình trồng khoai môn Thất Khê", "", "approved",
         "Chọn củ giống 50–70 g;Trồng trên đất phù sa ven sông;Thu hoạch sau 8 tháng", ""),
    ]
    rows = [dict(zip(["protocol_id", "source_id", "kind", "title", "trial_id", "status", "steps", "treatment"], s))
            for s in specs]
    return pd.DataFrame(rows)[file_columns("protocols")]


def make_growth(rng):
    # Gompertz W(t) = A exp(-b exp(-k t)), weight in g, t in days
    breeds = [("GA-002", 1900, 1450, 3.75, 0.024, range(0, 141, 14)),
              ("GA-001", 1750, 1350, 3.7, 0.026, range(0, 141, 14)),
              ("VIT-001", 2300, 2000, 3.7, 0.038, range(0, 85, 7)),
              ("LON-001", 95000, 85000, 4.45, 0.0105, range(0, 301, 30))]
    rows = []
    for sid, a_m, a_f, b, k, ages in breeds:
        for i in range(8):
            sex = "male" if i < 4 else "female"
            a = (a_m if sex == "male" else a_f) * math.exp(rng.normal(0, 0.06))
            ki = k * math.exp(rng.normal(0, 0.05))
            for t in ages:
                w = a * math.exp(-b * math.exp(-ki * t)) * math.exp(rng.normal(0, 0.03))
                rows.append({"source_id": sid, "individual": f"{sid}-{i + 1:02d}", "sex": sex, "age_days": t,
                             "weight_g": float(round(w, 0 if w > 100 else 1))})
    return pd.DataFrame(rows)[file_columns("growth")]


def make_config() -> str:
    cr = ahp_consistency_ratio(AHP)
    if cr >= 0.10:
        raise SystemExit(f"the demo AHP matrix is inconsistent (CR = {cr:.3f})")
    lines = [
        "# The demo workspace of the Lạng Sơn gene-source programme (synthetic data).",
        'name = "Lạng Sơn gene sources 2021–2025"',
        'province = "Lạng Sơn"',
        'language = "vi"',
        "alpha = 0.05",
        f"seed = {SEED}",
        "",
        "[targets]",
        "sources = 65",
        "restored = 10",
        "protocols = [15, 20]",
        "models = [10, 15]",
        "",
        "[scoring]",
        'method = "wsm"',
        "criteria = [" + ", ".join(f'"{c}"' for c in CRITERIA) + "]",
        f"# Saaty pairwise judgements in criteria order; consistency ratio {cr:.3f}",
        "ahp = [",
    ]
    for row in AHP:
        lines.append("    [" + ", ".join(f"{x:.6g}" for x in row) + "],")
    lines.append("]")
    for c in CRITERIA:
        vi, en, direction = CRITERION_LABELS[c]
        lines += ["", f"[scoring.criterion.{c}]", f'label_vi = "{vi}"', f'label_en = "{en}"',
                  f'direction = "{direction}"', "scale = [1, 5]"]
    return "\n".join(lines) + "\n"


README = """# Demo workspace (synthetic)

Every number and name-to-number pairing in this folder is **invented**: `scripts/make_demo.py`
wrote it with a fixed seed ({seed}); `make demo` regenerates byte-identical files. It models
the Lạng Sơn gene-source conservation programme 2021–2025 so that every part of genelab can be
tried and tested on data that look like the real programme:

- `sources.csv` — 65 gene sources: 45 plants (fruit trees, spices, medicinal plants, food and
  industrial crops, vegetables, forest trees) and 20 animal breeds (pigs, chickens, ducks, cattle,
  buffalo, goats, fish) in the 11 districts and city of Lạng Sơn, with Vietnamese and Tày/Nùng
  names, coordinates inside the province, MCPD SAMPSTAT codes, IUCN categories, conservation
  method and programme status. Species names are real; local populations, counts and statuses
  are not.
- `knowledge.csv` — indigenous-knowledge records (anonymised informants) for most sources.
- `traits.csv` — a dictionary of {n_traits} quantitative and qualitative traits.
- `observations.csv` — replicated trait observations: 2–4 accessions per source, 2–3 replicates,
  two years (2022, 2023), two sites for some sources, about 2 % missing values.
- `trials.csv` and `trials/*.csv` — {n_trials} propagation and cultivation trials on {n_trial_sources}
  sources covering every design (CRD, RCBD, Latin square, factorial CRD and RCBD, split plot):
  IBA doses on cuttings, grafting survival, tissue-culture factorials, nursery, cultivation.
- `germination.csv` — daily germination counts of seed-propagated sources.
- `viability.csv` — yearly viability tests of stored seed lots (some fall below 85 % of their
  initial viability).
- `assessments.csv` — scores of every source on the 7 priority criteria of `genelab.toml`
  (whose AHP matrix has a consistency ratio below 0.10).
- `models.csv` — 12 demonstration models with their economics (VND).
- `protocols.csv` — 16 propagation and cultivation protocols.
- `growth.csv` — Gompertz-shaped growth of four local breeds (optional table).
- `rooting.csv` — days to rooting of each cutting of trial T01-HOI-IBA, censored at day 60
  (optional table).

data/README.md documents every column.
"""


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_demo.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    sources, forms = make_sources(rng)
    knowledge = make_knowledge(rng, sources)
    traits = make_traits()
    observations = make_observations(rng, sources, forms)
    trials, plots, rooting = make_trials(rng)
    germination = make_germination(rng)
    viability = make_viability(rng)
    assessments = make_assessments(rng, sources)
    models = make_models(rng)
    protocols = make_protocols()
    growth = make_growth(rng)
    for name, frame in [("sources", sources), ("knowledge", knowledge), ("traits", traits),
                        ("observations", observations), ("trials", trials), ("germination", germination),
                        ("viability", viability), ("assessments", assessments), ("models", models),
                        ("protocols", protocols), ("growth", growth), ("rooting", rooting)]:
        _write_csv(frame, out / f"{name}.csv")
    old = sorted((out / "trials").glob("*.csv")) if (out / "trials").is_dir() else []
    for path in old:
        if path.stem not in plots:
            path.unlink()
    for trial_id, frame in plots.items():
        _write_csv(frame, out / "trials" / f"{trial_id}.csv")
    (out / "genelab.toml").write_bytes(make_config().encode("utf-8"))
    readme = README.format(seed=SEED, n_traits=len(traits), n_trials=len(trials),
                           n_trial_sources=trials["source_id"].nunique())
    (out / "README.md").write_bytes(readme.encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
