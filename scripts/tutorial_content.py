"""The training course: seven tutorials, each written once with Vietnamese and English prose.

``scripts/tutorials.py`` renders every entry of :data:`TUTORIALS` into
``notebooks/tutorials/NN_slug.vi.ipynb`` and ``.en.ipynb``.

Rules the course keeps (DESIGN §2, issue 9):

- every notebook runs top to bottom on ``data/demo`` (the ``workspace`` parameter may point
  elsewhere) and writes only into temporary folders;
- the method is explained in plain words before it is used;
- cells only call genelab, pandas and scipy — no function definitions;
- each exercise's hidden cell computes its expected value independently of the genelab
  function the trainee used (from the raw CSV files with pandas, numpy or scipy), then calls
  :func:`genelab.teaching.check`, which prints "correct" or raises a hint.
"""
from __future__ import annotations

from tutorials import code, exercise, md

# Every tutorial starts with the same set-up cell (after the parameters cell).
SETUP = """
from pathlib import Path

import pandas as pd
import genelab

folder = Path(workspace) if workspace else genelab.demo_path()
ws = genelab.open_workspace(folder)
"""

# --------------------------------------------------------------------------------------------
# 01 — loading a workspace and fixing validation errors
# --------------------------------------------------------------------------------------------
T01 = {
    "slug": "01_workspace",
    "title": {
        "vi": "Bài 1. Mở một workspace và sửa lỗi dữ liệu",
        "en": "Tutorial 1. Opening a workspace and fixing data errors",
    },
    "cells": [
        md(
            vi="""
Mọi phân tích của chương trình bảo tồn nguồn gen Lạng Sơn đều bắt đầu từ **một thư mục dữ liệu**
(gọi là *workspace*). Trong thư mục có các bảng CSV hoặc Excel: `sources` (danh mục nguồn gen),
`traits` (từ điển tính trạng), `observations` (số liệu đo đếm), `trials` (danh sách thí nghiệm, số
liệu từng ô nằm trong thư mục `trials/`), `germination`, `assessments`… và tệp cấu hình `genelab.toml`.

Trong bài này chúng ta sẽ:

1. mở workspace mẫu (`data/demo`) và xem các bảng;
2. chép nó sang một thư mục tạm, **cố ý làm hỏng** hai ô số liệu;
3. đọc thông báo lỗi `ValidationError` mà genelab đưa ra và sửa lại.

genelab không bao giờ sửa dữ liệu của bạn: khi gặp lỗi, nó liệt kê **tất cả** các ô sai (tệp, dòng
như Excel đánh số, cột, giá trị, và giá trị mong đợi) để người nhập liệu sửa tận gốc.
""",
            en="""
Every analysis of the Lạng Sơn gene-source programme starts from **one data folder** (a
*workspace*). It holds CSV or Excel tables: `sources` (the gene-source register), `traits` (the
trait dictionary), `observations` (measurements), `trials` (the list of trials; each trial's plot
data lives in the `trials/` folder), `germination`, `assessments` … and the settings file
`genelab.toml`.

In this tutorial we will:

1. open the demo workspace (`data/demo`) and look at its tables;
2. copy it to a temporary folder and **deliberately break** two cells;
3. read the `ValidationError` genelab raises, and fix the data.

genelab never changes your data: when something is wrong it lists **every** bad cell (file, row
as a spreadsheet numbers it, column, value, and what was expected) so that whoever entered the
data can fix it at the source.
""",
        ),
        code(SETUP + "ws"),
        md(
            vi="""
Đối tượng `ws` chứa các bảng đã được kiểm tra và chuyển đúng kiểu (số, ngày tháng, mã). Mỗi bảng là
một `DataFrame` của pandas. Ví dụ, năm nguồn gen đầu tiên trong danh mục:
""",
            en="""
The object `ws` holds the checked tables with the right types (numbers, dates, codes). Each table
is a pandas `DataFrame`. For example, the first five gene sources of the register:
""",
        ),
        code('ws.sources[["source_id", "name_vi", "group", "district", "threat", "status"]].head()'),
        md(
            vi="""
Bảng `observations` ở dạng "dài": mỗi dòng là **một lần đo** một tính trạng trên một mẫu giống
(`accession`), tại một điểm (`site`), một năm, một lần nhắc lại (`rep`). Cột `value` là số đo của
tính trạng định lượng, cột `state` là mã trạng thái của tính trạng định tính (hình dạng quả, màu vỏ…).
""",
            en="""
The `observations` table is "long": each row is **one measurement** of one trait on one
accession, at one site, in one year and one replicate (`rep`). `value` holds the number of a
quantitative trait, `state` the state code of a qualitative trait (fruit shape, skin colour …).
""",
        ),
        code("ws.observations.head()"),
        md(
            vi="""
Số liệu ô của một thí nghiệm nhân giống được lấy bằng `ws.trial_data(...)`; dòng mô tả thí nghiệm
(kiểu thiết kế, cột công thức, cột khối, các chỉ tiêu theo dõi) bằng `ws.trial(...)`.
""",
            en="""
The plot data of a propagation trial come from `ws.trial_data(...)`; the trial's description
(design, treatment column, block column, responses) from `ws.trial(...)`.
""",
        ),
        code('print(ws.trial("T01-HOI-IBA")[["design", "treatment", "responses"]])\nws.trial_data("T01-HOI-IBA").head()'),
        md(
            vi="""
### Làm hỏng một bản sao

Bây giờ ta chép workspace vào một thư mục tạm (bản gốc không bị động đến) và mắc hai lỗi nhập liệu
rất hay gặp ngoài thực tế:

- ở `sources.csv`, mức đe doạ ghi `XX` — không phải mã IUCN (EX, EW, CR, EN, VU, NT, LC, DD, NE);
- ở `observations.csv`, năm ghi `2O23` — gõ nhầm chữ O thay cho số 0.
""",
            en="""
### Breaking a copy

We copy the workspace into a temporary folder (the original stays untouched) and make two data
entry mistakes that happen all the time in practice:

- in `sources.csv`, a threat category typed as `XX` — not an IUCN code (EX, EW, CR, EN, VU, NT,
  LC, DD, NE);
- in `observations.csv`, a year typed `2O23` — the letter O instead of a zero.
""",
        ),
        code("""
import shutil
import tempfile

copy = Path(tempfile.mkdtemp(prefix="genelab_tutorial01_")) / "workspace"
shutil.copytree(folder, copy)

sources = pd.read_csv(copy / "sources.csv", dtype=str, keep_default_na=False)
sources.loc[4, "threat"] = "XX"
sources.to_csv(copy / "sources.csv", index=False)

obs = pd.read_csv(copy / "observations.csv", dtype=str, keep_default_na=False)
obs.loc[11, "year"] = "2O23"
obs.to_csv(copy / "observations.csv", index=False)
copy
"""),
        md(
            vi="""
### Đọc thông báo lỗi

Mở lại bản sao: `open_workspace` kiểm tra mọi bảng rồi dừng lại với **một** lỗi `ValidationError`
liệt kê tất cả các vấn đề. Số dòng được tính như trong Excel: dòng tiêu đề là dòng 1, dòng số liệu
đầu tiên là dòng 2.
""",
            en="""
### Reading the error

Open the copy: `open_workspace` checks every table, then stops with **one** `ValidationError`
listing all the problems. Rows are counted as a spreadsheet counts them: the header is row 1, the
first data row is row 2.
""",
        ),
        code("""
from genelab.errors import ValidationError

error = None
try:
    genelab.open_workspace(copy)
except ValidationError as err:
    error = err
print(error)
"""),
        md(
            vi="""
Mỗi vấn đề còn có ở dạng bảng (`error.problems`), tiện để lọc hoặc gửi lại cho người nhập liệu.
Cùng kiểm tra đó chạy được từ dòng lệnh: `genelab validate <thư mục>` (mã thoát 1 khi có lỗi).
""",
            en="""
Every problem is also available as a record (`error.problems`), handy for filtering or sending
back to whoever entered the data. The same check runs from the command line:
`genelab validate <folder>` (exit status 1 when something is wrong).
""",
        ),
        code("""
import dataclasses
import subprocess
import sys

problems = pd.DataFrame([dataclasses.asdict(p) for p in error.problems])
print(subprocess.run([sys.executable, "-m", "genelab", "validate", str(copy)],
                     capture_output=True, text=True).stdout)
problems
"""),
        exercise(
            1,
            "genelab tìm thấy bao nhiêu vấn đề trong bản sao? Gán số đó cho `n_problems`.",
            "How many problems did genelab find in the copy? Assign that number to `n_problems`.",
            stub="n_problems = None  # …",
            solution="n_problems = len(error.problems)",
            check="""
original = {name: pd.read_csv(folder / name, dtype=str, keep_default_na=False)
            for name in ["sources.csv", "observations.csv"]}
changed = sum(int((pd.read_csv(copy / name, dtype=str, keep_default_na=False) != table).to_numpy().sum())
              for name, table in original.items())
print(genelab.teaching.check(n_problems, changed, lang=lang,
                             hint={"vi": "đếm các gạch đầu dòng trong thông báo lỗi, hoặc len(error.problems)",
                                   "en": "count the bullet points of the message, or len(error.problems)"}[lang]))
""",
        ),
        exercise(
            2,
            "Mã đe doạ sai nằm ở dòng nào của `sources.csv` (đánh số như Excel)? Gán cho `bad_row`.",
            "Which row of `sources.csv` (numbered as a spreadsheet does) holds the bad threat code? "
            "Assign it to `bad_row`.",
            stub="bad_row = None  # …",
            solution='bad_row = int(problems.loc[problems["column"] == "threat", "row"].iloc[0])',
            check="""
iucn = {"EX", "EW", "CR", "EN", "VU", "NT", "LC", "DD", "NE"}
raw = pd.read_csv(copy / "sources.csv", dtype=str, keep_default_na=False)
expected_row = int(raw.index[~raw["threat"].isin(iucn)][0]) + 2  # + header row, + 1-based
print(genelab.teaching.check(bad_row, expected_row, lang=lang,
                             hint={"vi": "xem cột 'row' của bảng problems ở dòng có column = 'threat'",
                                   "en": "look at the 'row' of the problem whose column is 'threat'"}[lang]))
""",
        ),
        md(
            vi="""
### Sửa lỗi

Sổ ghi chép thực địa cho biết nguồn gen đó thuộc mức **EN** (nguy cấp) và số đo được lấy năm
**2023**. Ta sửa hai ô, ghi lại tệp rồi mở lại workspace — lần này không còn lỗi.
""",
            en="""
### Fixing the data

The field notebook says that source is **EN** (endangered) and the measurement was taken in
**2023**. We fix the two cells, save the files and open the workspace again — this time without
errors.
""",
        ),
        exercise(
            3,
            "Sửa hai ô sai trong `sources` và `obs`, ghi lại hai tệp CSV vào `copy`, mở lại workspace và gán "
            "số nguồn gen của nó cho `n_sources`.",
            "Fix the two bad cells in `sources` and `obs`, write both CSV files back into `copy`, open the "
            "workspace again and assign its number of sources to `n_sources`.",
            stub="# sources.loc[…] = …\nn_sources = None  # …",
            solution="""
sources.loc[4, "threat"] = "EN"
sources.to_csv(copy / "sources.csv", index=False)
obs.loc[11, "year"] = "2023"
obs.to_csv(copy / "observations.csv", index=False)
fixed = genelab.open_workspace(copy)
n_sources = len(fixed.sources)
""",
            check="""
iucn = {"EX", "EW", "CR", "EN", "VU", "NT", "LC", "DD", "NE"}
now_sources = pd.read_csv(copy / "sources.csv", dtype=str, keep_default_na=False)
now_obs = pd.read_csv(copy / "observations.csv", dtype=str, keep_default_na=False)
still_bad = int((~now_sources["threat"].isin(iucn)).sum() + (~now_obs["year"].str.fullmatch(r"\\d+")).sum())
expected = (len(pd.read_csv(folder / "sources.csv")), 0)
print(genelab.teaching.check((n_sources, still_bad), expected, lang=lang,
                             hint={"vi": "gán 'EN' và '2023' vào đúng ô, nhớ to_csv(..., index=False) cả hai tệp",
                                   "en": "put 'EN' and '2023' in the right cells and to_csv(..., index=False) both files"}[lang]))
""",
        ),
        md(
            vi="""
**Ghi nhớ.** Khi genelab báo lỗi, hãy sửa trong tệp gốc (Excel/CSV) theo đúng tệp – dòng – cột được
chỉ ra, rồi chạy lại `genelab validate`. Đừng xoá dòng cho "chạy được": genelab không bao giờ âm thầm
bỏ dòng, và bạn cũng không nên.
""",
            en="""
**Remember.** When genelab reports a problem, fix it in the original file (Excel/CSV) at the
file – row – column it names, then run `genelab validate` again. Do not delete rows to "make it
run": genelab never silently drops rows, and neither should you.
""",
        ),
    ],
}

# --------------------------------------------------------------------------------------------
# 02 — describing and comparing traits
# --------------------------------------------------------------------------------------------
T02 = {
    "slug": "02_traits",
    "title": {
        "vi": "Bài 2. Mô tả và so sánh các tính trạng",
        "en": "Tutorial 2. Describing and comparing traits",
    },
    "cells": [
        md(
            vi="""
Đánh giá một nguồn gen bắt đầu bằng việc **mô tả** các tính trạng nông sinh học của nó: quả nặng bao
nhiêu, độ Brix bao nhiêu, dao động giữa các cây lớn hay nhỏ. Bài này dùng bảng `observations` của
workspace mẫu để:

1. tính các thống kê mô tả của một tính trạng định lượng (khối lượng quả) cho từng nguồn gen;
2. lập bảng tần suất của một tính trạng định tính (hình dạng quả);
3. so sánh các nguồn gen với một giống đối chứng.
""",
            en="""
Evaluating a gene source starts by **describing** its agro-biological traits: how heavy the
fruit is, how high its Brix, how much the trees differ from each other. This tutorial uses the
demo workspace's `observations` table to:

1. compute the descriptive statistics of a quantitative trait (fruit weight) per source;
2. tabulate a qualitative trait (fruit shape);
3. compare sources with a check variety.
""",
        ),
        code(SETUP + 'ws.traits[["trait", "name_vi", "name_en", "kind", "unit"]].head(10)'),
        md(
            vi="""
### Thống kê mô tả

Với mỗi nguồn gen, `genelab.traits.describe` cho:

- **n** — số lần đo có giá trị (và `missing` — số ô trống, không bị bỏ qua âm thầm);
- **mean**, **sd** — trung bình và độ lệch chuẩn;
- **cv** — hệ số biến động CV% = 100 · sd / mean: dưới 10 % là đồng đều, trên 20 % là biến động lớn;
- **min, q1, median, q3, max** — các phân vị;
- **ci_low, ci_high** — khoảng tin cậy 95 % của trung bình (phân bố t).
""",
            en="""
For each source, `genelab.traits.describe` gives:

- **n** — the number of values (and `missing` — empty cells, never silently dropped);
- **mean**, **sd** — mean and standard deviation;
- **cv** — the coefficient of variation CV% = 100 · sd / mean: below 10 % is uniform, above 20 %
  is highly variable;
- **min, q1, median, q3, max** — quantiles;
- **ci_low, ci_high** — the 95 % confidence interval of the mean (t distribution).
""",
        ),
        code("""
from genelab import traits

fruit = ws.observations[ws.observations["trait"] == "fruit_weight_g"]
stats = traits.describe(fruit, traits=ws.traits)
stats[["source_id", "n", "missing", "mean", "sd", "cv", "ci_low", "ci_high"]].round(2)
"""),
        md(
            vi="Biểu đồ hộp (boxplot) cho thấy ngay nguồn gen nào quả to, nguồn nào không đồng đều:",
            en="A box plot shows at once which sources have big fruit and which are uneven:",
        ),
        code('ax = fruit.boxplot(column="value", by="source_id", rot=90, figsize=(9, 3.5))'),
        exercise(
            1,
            "Khối lượng quả trung bình (g) của quýt vàng Bắc Sơn `QUYT-001` là bao nhiêu? Gán cho `mean_quyt`.",
            "What is the mean fruit weight (g) of the Bắc Sơn mandarin `QUYT-001`? Assign it to `mean_quyt`.",
            stub="mean_quyt = None  # …",
            solution='mean_quyt = stats.set_index("source_id").loc["QUYT-001", "mean"]',
            check="""
raw = pd.read_csv(folder / "observations.csv")
rows = raw[(raw["trait"] == "fruit_weight_g") & (raw["source_id"] == "QUYT-001")]
expected = pd.to_numeric(rows["value"], errors="coerce").mean()
print(genelab.teaching.check(mean_quyt, expected, lang=lang,
                             hint={"vi": "tìm dòng QUYT-001 trong bảng stats, cột mean",
                                   "en": "find the QUYT-001 row of stats, column mean"}[lang]))
""",
        ),
        exercise(
            2,
            "Nguồn gen nào có khối lượng quả biến động nhất (CV% lớn nhất)? Gán mã nguồn gen cho `most_variable`.",
            "Which source has the most variable fruit weight (largest CV%)? Assign its source_id to `most_variable`.",
            stub="most_variable = None  # …",
            solution='most_variable = stats.loc[stats["cv"].idxmax(), "source_id"]',
            check="""
raw = pd.read_csv(folder / "observations.csv")
w = raw[raw["trait"] == "fruit_weight_g"].copy()
w["value"] = pd.to_numeric(w["value"], errors="coerce")
by = w.groupby("source_id")["value"]
expected = (100 * by.std() / by.mean()).idxmax()
print(genelab.teaching.check(most_variable, expected, lang=lang,
                             hint={"vi": "sắp xếp stats theo cột cv, hoặc dùng stats['cv'].idxmax()",
                                   "en": "sort stats by cv, or use stats['cv'].idxmax()"}[lang]))
""",
        ),
        md(
            vi="""
### Tính trạng định tính

Hình dạng quả, màu vỏ… không có trung bình; ta đếm **tần suất** từng trạng thái (mã trong cột
`states` của từ điển tính trạng). `traits.frequencies` liệt kê cả những trạng thái không gặp
(tần suất 0), để các nguồn gen so sánh được với nhau.
""",
            en="""
Fruit shape, skin colour … have no mean; we count the **frequency** of each state (the codes in
the trait dictionary's `states` column). `traits.frequencies` lists the states that never occur
too (frequency 0), so sources can be compared side by side.
""",
        ),
        code("""
shape = ws.observations[ws.observations["trait"] == "fruit_shape"]
freq = traits.frequencies(shape, traits=ws.traits)
freq.pivot(index="source_id", columns="state", values="percent").round(1).head(8)
"""),
        exercise(
            3,
            "Hình dạng quả nào gặp nhiều nhất ở `QUYT-001`? Gán mã trạng thái cho `main_shape`.",
            "Which fruit shape is the most frequent in `QUYT-001`? Assign the state code to `main_shape`.",
            stub="main_shape = None  # …",
            solution="""
q = freq[freq["source_id"] == "QUYT-001"]
main_shape = q.loc[q["percent"].idxmax(), "state"]
""",
            check="""
raw = pd.read_csv(folder / "observations.csv")
expected = raw[(raw["trait"] == "fruit_shape") & (raw["source_id"] == "QUYT-001")]["value"].value_counts().idxmax()
print(genelab.teaching.check(main_shape, expected, lang=lang,
                             hint={"vi": "lọc freq theo QUYT-001 rồi tìm dòng có percent lớn nhất",
                                   "en": "filter freq to QUYT-001, then take the row with the largest percent"}[lang]))
""",
        ),
        md(
            vi="""
### So sánh với giống đối chứng

Khi đánh giá, ta thường hỏi: nguồn gen này **tốt hơn hay kém hơn** giống đối chứng? `compare_to_check`
so sánh trung bình từng nguồn gen với đối chứng bằng kiểm định t Welch (không giả định phương sai bằng
nhau), hiệu chỉnh p theo Holm vì có nhiều phép so sánh, và kết luận `better`/`worse`/`similar` theo
hướng "cao hơn là tốt" của tính trạng. Ở đây đối chứng là quýt đường Tràng Định `QUYT-002`.
""",
            en="""
In an evaluation we usually ask: is this source **better or worse** than the check variety?
`compare_to_check` compares each source's mean with the check's by Welch's t-test (no equal
variances assumed), adjusts the p-values by Holm's method because there are many comparisons,
and says `better`/`worse`/`similar` following each trait's "higher is better". Here the check
is the Tràng Định mandarin `QUYT-002`.
""",
        ),
        code("""
fruit_trees = ws.observations[ws.observations["source_id"].isin(["QUYT-001", "QUYT-002", "HONG-001", "NA-001"])]
compared = traits.compare_to_check(fruit_trees, "QUYT-002", traits=["fruit_weight_g", "brix_pct"],
                                   dictionary=ws.traits)
compared[["trait", "source_id", "n", "p_adjusted", "verdict"]]
"""),
    ],
}

# --------------------------------------------------------------------------------------------
# 03 — a propagation trial from ANOVA to the letter table
# --------------------------------------------------------------------------------------------
T03 = {
    "slug": "03_trial_anova",
    "title": {
        "vi": "Bài 3. Thí nghiệm nhân giống: từ phân tích phương sai đến bảng chữ cái",
        "en": "Tutorial 3. A propagation trial: from ANOVA to the letter table",
    },
    "cells": [
        md(
            vi="""
Một thí nghiệm nhân giống (giâm hom, ghép, nuôi cấy mô…) so sánh vài **công thức** (nồng độ IBA,
loại gốc ghép, môi trường…) trên nhiều ô lặp lại. Câu hỏi luôn có hai bước:

1. **Phân tích phương sai (ANOVA)** — sự khác nhau giữa các công thức có lớn hơn hẳn sự dao động ngẫu
   nhiên giữa các ô cùng công thức không? ANOVA chia tổng biến động thành phần do công thức, phần do
   khối (nếu có) và phần **sai số**. Tỉ số F = MS công thức / MS sai số; F lớn (p < 0,05) nghĩa là có
   ít nhất một công thức khác các công thức còn lại.
2. **So sánh các trung bình** — công thức nào khác công thức nào? Các phép so sánh (LSD, Tukey HSD,
   Duncan…) cho mỗi trung bình một nhóm **chữ cái**: hai công thức **có chung một chữ** thì khác nhau
   không có ý nghĩa thống kê. Đó chính là bảng chữ cái quen thuộc trong các báo cáo khoa học.

genelab tính giống hệt R (gói agricolae: `LSD.test`, `HSD.test`, `duncan.test`…), nên kết quả khớp với
các báo cáo đã làm bằng R. Bài này đi qua bốn kiểu thiết kế: hoàn toàn ngẫu nhiên (CRD), khối ngẫu nhiên
đầy đủ (RCBD), hai nhân tố (factorial) và ô chính – ô phụ (split plot).
""",
            en="""
A propagation trial (cuttings, grafting, tissue culture …) compares a few **treatments** (IBA
concentrations, rootstocks, media …) on several replicate plots. The question always has two
steps:

1. **Analysis of variance (ANOVA)** — are the differences between treatments clearly larger than
   the random variation between plots of the same treatment? ANOVA splits the total variation into
   a part due to treatments, a part due to blocks (if any) and the **error**. The ratio F = treatment
   MS / error MS; a large F (p < 0.05) means at least one treatment differs from the others.
2. **Comparing the means** — which treatment differs from which? Mean separation tests (LSD,
   Tukey HSD, Duncan …) give each mean a group of **letters**: two treatments that **share a letter**
   do not differ significantly. That is the familiar letter table of research reports.

genelab computes exactly as R does (the agricolae package: `LSD.test`, `HSD.test`, `duncan.test`
…), so results agree with reports made in R. This tutorial goes through four designs: completely
randomised (CRD), randomised complete block (RCBD), two-factor factorial, and split plot.
""",
        ),
        code(SETUP + "from genelab import trials\n\nws.trials[[\"trial_id\", \"design\", \"title\"]]"),
        md(
            vi="""
### 1. Thiết kế hoàn toàn ngẫu nhiên (CRD): giâm hom hồi với IBA

Thí nghiệm `T01-HOI-IBA`: 5 nồng độ IBA (0–3000 ppm), mỗi nồng độ 4 ô, các ô được xếp ngẫu nhiên trong
nhà giâm đồng đều. Chỉ tiêu: số rễ trên một hom. Bảng ANOVA có các cột `df` (bậc tự do), `ss` (tổng
bình phương), `ms` (trung bình bình phương = ss/df), `f` và `p`.
""",
            en="""
### 1. Completely randomised design (CRD): star anise cuttings with IBA

Trial `T01-HOI-IBA`: 5 IBA concentrations (0–3000 ppm), 4 plots each, placed at random in a
uniform propagation house. Response: roots per cutting. The ANOVA table has `df` (degrees of
freedom), `ss` (sum of squares), `ms` (mean square = ss/df), `f` and `p`.
""",
        ),
        code("""
crd = ws.trial_data("T01-HOI-IBA")
fit_crd = trials.anova(crd, "roots_per_cutting", design="crd", treatment="treatment")
fit_crd.table
"""),
        md(
            vi="""
p rất nhỏ: nồng độ IBA ảnh hưởng rõ đến số rễ. Tiếp theo ta so sánh các trung bình bằng **Tukey HSD**
(kiểm soát sai lầm khi so sánh mọi cặp) và lập bảng theo lối trình bày nông học: trung bình ± sai số
chuẩn kèm chữ cái, xếp từ cao xuống thấp, cuối bảng có giá trị tới hạn (HSD0,05), CV% và mức ý nghĩa
của phép thử F (`*` p < 0,05; `**` p < 0,01; `ns` không có ý nghĩa).
""",
            en="""
p is tiny: the IBA concentration clearly affects the number of roots. Next we compare the means by
**Tukey's HSD** (which controls the error over all pairs) and lay them out the agronomic way:
mean ± standard error with letters, highest first, and a footer with the critical value
(HSD0.05), CV% and the F-test's significance (`*` p < 0.05; `**` p < 0.01; `ns` not significant).
""",
        ),
        code("""
res_crd = trials.compare_means(fit_crd, "tukey")
trials.mean_table(res_crd, lang=lang)
"""),
        code("ax = genelab.plots.means_with_letters(res_crd, lang=lang)"),
        exercise(
            1,
            "Trung bình bình phương (MS) của công thức trong bảng ANOVA của `T01-HOI-IBA` là bao nhiêu? "
            "Gán cho `ms_treatment`.",
            "What is the treatment mean square (MS) in the ANOVA of `T01-HOI-IBA`? Assign it to `ms_treatment`.",
            stub="ms_treatment = None  # …",
            solution='ms_treatment = fit_crd.table.loc["treatment", "ms"]',
            check="""
raw = pd.read_csv(folder / "trials" / "T01-HOI-IBA.csv")
y = raw["roots_per_cutting"]
groups = raw.groupby("treatment")["roots_per_cutting"]
ss_between = float((groups.size() * (groups.mean() - y.mean()) ** 2).sum())
expected = ss_between / (groups.ngroups - 1)
print(genelab.teaching.check(ms_treatment, expected, lang=lang,
                             hint={"vi": "fit_crd.table là một DataFrame: dòng 'treatment', cột 'ms'",
                                   "en": "fit_crd.table is a DataFrame: row 'treatment', column 'ms'"}[lang]))
""",
        ),
        md(
            vi="""
### 2. Khối ngẫu nhiên đầy đủ (RCBD): giâm hom ba kích

Khi vườn ươm không đồng đều (luống gần mép thiếu bóng râm, đất dốc…), ta chia thành các **khối**,
mỗi khối có đủ mọi công thức. ANOVA tách phần biến động giữa các khối ra khỏi sai số, nên phép so
sánh công thức nhạy hơn. Các cột của thiết kế được đọc từ bảng `trials`. Lần này dùng **LSD** (Fisher):
LSD0,05 = t(0,975; df sai số) · √(2·MS sai số / r), với r là số khối; hai trung bình chênh nhau hơn LSD
thì khác nhau có ý nghĩa.
""",
            en="""
When the nursery is not uniform (beds near the edge get less shade, sloping ground …), it is
divided into **blocks**, each holding every treatment. ANOVA removes the variation between blocks
from the error, so treatments are compared more sharply. The design's columns are read from the
`trials` table. This time we use **LSD** (Fisher's): LSD0.05 = t(0.975; error df) · √(2·error MS / r),
with r blocks; two means further apart than the LSD differ significantly.
""",
        ),
        code("""
row = ws.trial("T02-BKI-IBA")
rcbd = ws.trial_data("T02-BKI-IBA")
fit_rcbd = trials.anova(rcbd, "roots_per_cutting", design=row["design"],
                        treatment=row["treatment"], block=row["block"])
res_rcbd = trials.compare_means(fit_rcbd, "lsd")
display(fit_rcbd.table)
trials.mean_table(res_rcbd, lang=lang)
"""),
        exercise(
            2,
            "Giá trị LSD0,05 của thí nghiệm `T02-BKI-IBA` là bao nhiêu? Gán cho `lsd`.",
            "What is the LSD0.05 of trial `T02-BKI-IBA`? Assign it to `lsd`.",
            stub="lsd = None  # …",
            solution='lsd = res_rcbd.statistics["lsd"]',
            check="""
from scipy import stats as st

raw = pd.read_csv(folder / "trials" / "T02-BKI-IBA.csv")
y = raw["roots_per_cutting"]
resid = (y - raw.groupby("treatment")["roots_per_cutting"].transform("mean")
         - raw.groupby("block")["roots_per_cutting"].transform("mean") + y.mean())
r, t = raw["block"].nunique(), raw["treatment"].nunique()
df_error = (r - 1) * (t - 1)
mse = float((resid ** 2).sum()) / df_error
expected = st.t.ppf(0.975, df_error) * (2 * mse / r) ** 0.5
print(genelab.teaching.check(lsd, expected, lang=lang,
                             hint={"vi": "res_rcbd.statistics là một dict; khoá 'lsd' — hoặc đọc dòng LSD0.05 ở cuối bảng",
                                   "en": "res_rcbd.statistics is a dict with the key 'lsd' — or read the LSD0.05 footer row"}[lang]))
""",
        ),
        md(
            vi="""
### 3. Thí nghiệm hai nhân tố: nhân nhanh lan kim tuyến (BAP × NAA)

Với hai nhân tố, ANOVA có thêm dòng **tương tác** `bap:naa`: hiệu quả của BAP có thay đổi theo nồng độ
NAA không? Nếu tương tác **không** có ý nghĩa (như ở đây), ta so sánh riêng từng nhân tố (tham số
`term`); nếu có ý nghĩa, ta so sánh các tổ hợp (`term="bap:naa"`).
""",
            en="""
With two factors the ANOVA gains an **interaction** row `bap:naa`: does the effect of BAP change with
the NAA concentration? If the interaction is **not** significant (as here) we compare each factor on
its own (the `term` argument); if it is, we compare the combinations (`term="bap:naa"`).
""",
        ),
        code("""
row = ws.trial("T05-KTL-TC")
fact = ws.trial_data("T05-KTL-TC")
fit_fact = trials.anova(fact, "shoots_per_explant", design=row["design"], factors=row["factors"].split(";"))
display(fit_fact.table)
trials.mean_table(trials.compare_means(fit_fact, "duncan", term="bap"), lang=lang)
"""),
        md(
            vi="""
### 4. Ô chính – ô phụ (split plot): đạm × mật độ cấy cho lúa nếp

Khi một nhân tố khó làm trên ô nhỏ (bón đạm cả thửa, tưới…), nó được đặt trên **ô chính**; nhân tố kia
(mật độ cấy) chia nhỏ trong từng ô chính thành **ô phụ**. Vì vậy có **hai sai số**: `error(a)` để thử
nhân tố ô chính, `error(b)` để thử nhân tố ô phụ và tương tác. genelab tự chọn đúng sai số cho mỗi phép
so sánh (như `sp.plot` của agricolae).
""",
            en="""
When one factor is hard to apply on small plots (nitrogen over a whole paddy, irrigation …) it goes on
the **main plots**; the other factor (planting density) splits each main plot into **subplots**. There
are therefore **two errors**: `error(a)` tests the main-plot factor, `error(b)` the subplot factor and
the interaction. genelab picks the right error for each comparison (as agricolae's `sp.plot`).
""",
        ),
        code("""
row = ws.trial("T06-LUA-NPK")
split = ws.trial_data("T06-LUA-NPK")
fit_split = trials.anova(split, "grain_yield_t_ha", design=row["design"], block=row["block"],
                         main=row["main"], sub=row["sub"])
res_split = trials.compare_means(fit_split, "lsd", term="nitrogen")
display(fit_split.table)
trials.mean_table(res_split, lang=lang)
"""),
        exercise(
            3,
            "Mức đạm nào cho năng suất hạt trung bình cao nhất ở `T06-LUA-NPK`? Gán tên mức (ví dụ `'N40'`) "
            "cho `best_nitrogen`.",
            "Which nitrogen level gives the highest mean grain yield in `T06-LUA-NPK`? Assign the level "
            "(e.g. `'N40'`) to `best_nitrogen`.",
            stub="best_nitrogen = None  # …",
            solution='best_nitrogen = res_split.table["mean"].idxmax()',
            check="""
raw = pd.read_csv(folder / "trials" / "T06-LUA-NPK.csv")
expected = raw.groupby("nitrogen")["grain_yield_t_ha"].mean().idxmax()
print(genelab.teaching.check(best_nitrogen, expected, lang=lang,
                             hint={"vi": "bảng chữ cái xếp từ cao xuống thấp: dòng đầu tiên là mức tốt nhất",
                                   "en": "the letter table is sorted high to low: its first row is the best level"}[lang]))
""",
        ),
        md(
            vi="""
### Tự khám phá

Công cụ dưới đây cho phép chọn thí nghiệm, chỉ tiêu, phép so sánh và mức ý nghĩa α, rồi xem ngay bảng
ANOVA, bảng chữ cái và biểu đồ. (Khi notebook chạy tự động, nó hiện kết quả tĩnh của lựa chọn mặc định.)
""",
            en="""
The explorer below lets you pick a trial, a response, a test and the significance level α, and see
the ANOVA, the letter table and the chart at once. (When the notebook runs unattended it shows the
static result of the default choice.)
""",
        ),
        code('genelab.explorer.trial_explorer(ws, "T01-HOI-IBA", lang=lang)'),
    ],
}

# --------------------------------------------------------------------------------------------
# 04 — germination tests and dose-response of rooting hormones
# --------------------------------------------------------------------------------------------
T04 = {
    "slug": "04_germination_doseresponse",
    "title": {
        "vi": "Bài 4. Thử nghiệm nảy mầm và đường cong liều – đáp ứng của chất kích thích ra rễ",
        "en": "Tutorial 4. Germination tests and dose-response of rooting hormones",
    },
    "cells": [
        md(
            vi="""
### Phần 1. Thử nghiệm nảy mầm

Trong một thử nghiệm nảy mầm, mỗi **đĩa** (dish) gieo một số hạt (`sown`) và hằng ngày đếm số hạt
**mới nảy mầm** (`germinated`). Từ chuỗi số đếm đó ta tính các chỉ số:

- **tỉ lệ nảy mầm** (`germ_percent`) = 100 · tổng số hạt nảy mầm / số hạt gieo — hạt có *sống* không;
- **thời gian nảy mầm trung bình** (`mean_germ_time`, MGT) = Σ(nᵢ·tᵢ) / Σnᵢ, với nᵢ là số hạt mới nảy
  mầm ở ngày tᵢ — hạt nảy mầm *nhanh* hay chậm (MGT càng nhỏ càng nhanh);
- **t50** (`t50_coolbear`) — số ngày để đạt một nửa số hạt sẽ nảy mầm.

Các công thức giống hệt hàm `germination.indices()` của gói R germinationmetrics. Ví dụ: hạt hồi
(`G-HOI-2023`) được xử lý bằng nước ấm, GA3 100 ppm hay ủ cát so với đối chứng (CK).
""",
            en="""
### Part 1. Germination tests

In a germination test each **dish** holds a number of seeds (`sown`) and every day the **new**
germinants are counted (`germinated`). From that series we compute indices:

- **germination percentage** (`germ_percent`) = 100 · total germinated / sown — are the seeds
  *alive*;
- **mean germination time** (`mean_germ_time`, MGT) = Σ(nᵢ·tᵢ) / Σnᵢ, with nᵢ new germinants on
  day tᵢ — do they germinate *fast* (the smaller the MGT, the faster);
- **t50** (`t50_coolbear`) — days until half of the final germinants have germinated.

The formulas are those of `germination.indices()` in the R package germinationmetrics. Example:
star anise seed (`G-HOI-2023`) treated with warm water, GA3 100 ppm or sand stratification against
an untreated check (CK).
""",
        ),
        code(SETUP + """from genelab import germination, trials

test = ws.germination[ws.germination["test_id"] == "G-HOI-2023"]
test.head()
"""),
        code("""
idx = germination.indices(test, unit=["test_id", "dish"])
idx[["dish", "treatment", "germ_percent", "mean_germ_time", "t50_coolbear"]].round(2)
"""),
        md(
            vi="""
Mỗi đĩa là một lần nhắc lại, nên các chỉ số của từng đĩa có thể đưa vào ANOVA như một thí nghiệm CRD
(bài 3). Đồ thị tích luỹ cho thấy tốc độ nảy mầm của từng công thức theo thời gian.
""",
            en="""
Each dish is a replicate, so the per-dish indices go into an ANOVA like any CRD trial (tutorial 3).
The cumulative curves show how fast each treatment germinates over time.
""",
        ),
        code("""
fit_mgt = trials.anova(idx, "mean_germ_time", design="crd", treatment="treatment")
display(trials.mean_table(trials.compare_means(fit_mgt, "tukey"), lang=lang))
curves = germination.curve(test, unit=["test_id", "dish"])
ax = genelab.plots.germination_curves(curves, treatment="treatment", lang=lang)
"""),
        exercise(
            1,
            "Tỉ lệ nảy mầm trung bình (%) của ba đĩa đối chứng `CK` là bao nhiêu? Gán cho `ck_percent`.",
            "What is the mean germination percentage (%) of the three `CK` dishes? Assign it to `ck_percent`.",
            stub="ck_percent = None  # …",
            solution='ck_percent = idx.loc[idx["treatment"] == "CK", "germ_percent"].mean()',
            check="""
raw = pd.read_csv(folder / "germination.csv")
ck = raw[(raw["test_id"] == "G-HOI-2023") & (raw["treatment"] == "CK")]
per_dish = ck.groupby("dish").agg(germinated=("germinated", "sum"), sown=("sown", "first"))
expected = (100 * per_dish["germinated"] / per_dish["sown"]).mean()
print(genelab.teaching.check(ck_percent, expected, lang=lang,
                             hint={"vi": "lọc idx theo treatment == 'CK' rồi lấy trung bình cột germ_percent",
                                   "en": "filter idx to treatment == 'CK' and average germ_percent"}[lang]))
""",
        ),
        exercise(
            2,
            "Thời gian nảy mầm trung bình (MGT, ngày) của đĩa `GA3_100-1` là bao nhiêu? Gán cho `mgt_ga3`.",
            "What is the mean germination time (MGT, days) of dish `GA3_100-1`? Assign it to `mgt_ga3`.",
            stub="mgt_ga3 = None  # …",
            solution='mgt_ga3 = idx.set_index("dish").loc["GA3_100-1", "mean_germ_time"]',
            check="""
raw = pd.read_csv(folder / "germination.csv")
dish = raw[(raw["test_id"] == "G-HOI-2023") & (raw["dish"] == "GA3_100-1")]
expected = (dish["germinated"] * dish["day"]).sum() / dish["germinated"].sum()
print(genelab.teaching.check(mgt_ga3, expected, lang=lang,
                             hint={"vi": "MGT nằm ở cột mean_germ_time của bảng idx",
                                   "en": "MGT is the mean_germ_time column of idx"}[lang]))
""",
        ),
        md(
            vi="""
### Phần 2. Liều – đáp ứng của chất kích thích ra rễ

Tăng nồng độ IBA thì số rễ tăng, nhưng không tăng mãi: đáp ứng thường có dạng chữ S theo logarit của
liều. Mô hình **log-logistic 4 tham số** (LL.4, như `drm(..., fct = LL.4())` của gói R drc):

f(x) = c + (d − c) / (1 + exp(b · (ln x − ln e)))

- **c** — đáp ứng khi không xử lý (giới hạn dưới), **d** — đáp ứng tối đa (giới hạn trên);
- **e** — **ED50**: liều cho một nửa mức tăng từ c lên d, thước đo "hiệu lực" của chất;
- **b** — độ dốc (âm khi đường cong đi lên).

Ví dụ với thí nghiệm giâm hom ba kích `T02-BKI-IBA` (0–4000 ppm IBA). `select_model` so sánh vài dạng
đường cong theo AIC (như `mselect` của drc).
""",
            en="""
### Part 2. Dose-response of a rooting hormone

More IBA gives more roots, but not without end: the response is usually S-shaped on the log of the
dose. The **four-parameter log-logistic** model (LL.4, as `drm(..., fct = LL.4())` in the R package
drc):

f(x) = c + (d − c) / (1 + exp(b · (ln x − ln e)))

- **c** — the response without treatment (lower limit), **d** — the maximum response (upper limit);
- **e** — the **ED50**: the dose giving half of the rise from c to d, a measure of potency;
- **b** — the slope (negative for a rising curve).

Example: the morinda cutting trial `T02-BKI-IBA` (0–4000 ppm IBA). `select_model` compares a few
curve shapes by AIC (as drc's `mselect`).
""",
        ),
        code("""
from genelab import doseresponse

cuttings = ws.trial_data("T02-BKI-IBA")
display(doseresponse.select_model(cuttings, "iba_ppm", "roots_per_cutting"))
dr = doseresponse.fit(cuttings, "iba_ppm", "roots_per_cutting", model="LL.4")
display(dr.params)
ax = genelab.plots.dose_response_curve(dr, lang=lang)
"""),
        code("dr.ed([10, 50, 90])"),
        exercise(
            3,
            "ED50 (ppm IBA) của mô hình LL.4 là bao nhiêu? Gán cho `ed50`.",
            "What is the ED50 (ppm IBA) of the LL.4 fit? Assign it to `ed50`.",
            stub="ed50 = None  # …",
            solution='ed50 = float(dr.ed(50)["estimate"].iloc[0])',
            check="""
import numpy as np
from scipy import optimize

raw = pd.read_csv(folder / "trials" / "T02-BKI-IBA.csv")
x, y = raw["iba_ppm"].to_numpy(float), raw["roots_per_cutting"].to_numpy(float)
with np.errstate(divide="ignore", over="ignore"):
    p, _ = optimize.curve_fit(lambda x, b, c, d, e: c + (d - c) / (1 + np.exp(b * (np.log(x) - np.log(e)))),
                              x, y, p0=[-1, y.min(), y.max(), np.median(x[x > 0])], maxfev=20000)
print(genelab.teaching.check(ed50, p[3], lang=lang,
                             hint={"vi": "ED50 là tham số e; hoặc dr.ed(50), cột estimate",
                                   "en": "the ED50 is the parameter e; or dr.ed(50), column estimate"}[lang]))
""",
        ),
    ],
}

# --------------------------------------------------------------------------------------------
# 05 — heritability and diversity
# --------------------------------------------------------------------------------------------
T05 = {
    "slug": "05_heritability_diversity",
    "title": {
        "vi": "Bài 5. Hệ số di truyền và đa dạng di truyền",
        "en": "Tutorial 5. Heritability and diversity",
    },
    "cells": [
        md(
            vi="""
Khi chọn lọc trong một nguồn gen (chọn cây đầu dòng, chọn mẫu giống tốt để phục tráng), câu hỏi then
chốt là: **sự khác nhau ta thấy giữa các mẫu giống có do di truyền không**, hay chỉ do đất, do chăm sóc?
Nếu phần lớn là di truyền, chọn lọc sẽ có hiệu quả ở thế hệ sau.

Từ một thí nghiệm so sánh mẫu giống bố trí theo khối (RCBD), ANOVA cho hai trung bình bình phương:
MS mẫu giống và MS sai số. Từ đó:

- **phương sai di truyền** σ²g = (MS mẫu giống − MS sai số) / r  (r = số lần nhắc lại);
- **phương sai môi trường** σ²e = MS sai số;
- **hệ số di truyền** (theo trung bình mẫu giống) h² = σ²g / (σ²g + σ²e / r): dưới 0,3 thấp, 0,3–0,6
  trung bình, trên 0,6 cao;
- **GCV** = 100 · σg / trung bình và **PCV** (hệ số biến động kiểu hình) — GCV gần PCV nghĩa là môi
  trường ảnh hưởng ít;
- **tiến bộ di truyền** GA = k · h² · σp (k = 2,063 khi chọn 5 % cá thể tốt nhất).

Kết quả khớp với cách tính mô-men từ ANOVA và với mô hình hỗn hợp `lmer` của gói R lme4
(`method="reml"`). Ví dụ: năng suất hạt của 4 mẫu giống ngô nếp địa phương `NGO-001` trồng ở vườn tập đoàn `ho_ngo`, năm 2023.
""",
            en="""
When selecting within a gene source (mother trees, the best accessions to restore), the key
question is: **are the differences we see between accessions genetic**, or just soil and care? If
they are mostly genetic, selection will pay off in the next generation.

From an accession trial laid out in blocks (RCBD), the ANOVA gives two mean squares: the accession
MS and the error MS. From them:

- **genetic variance** σ²g = (accession MS − error MS) / r  (r replicates);
- **environmental variance** σ²e = error MS;
- **heritability** (on an accession-mean basis) h² = σ²g / (σ²g + σ²e / r): below 0.3 low,
  0.3–0.6 medium, above 0.6 high;
- **GCV** = 100 · σg / mean and **PCV** (phenotypic coefficient of variation) — GCV close to PCV
  means the environment matters little;
- **genetic advance** GA = k · h² · σp (k = 2.063 when the best 5 % are selected).

The results agree with the method of moments from the ANOVA and with the mixed model `lmer` of the
R package lme4 (`method="reml"`). Example: grain yield of 4 accessions of the local waxy maize
`NGO-001` in the collection plot `ho_ngo`, 2023.
""",
        ),
        code(SETUP + """from genelab import traits

obs = ws.observations
maize = obs[(obs["site"] == "ho_ngo") & (obs["trait"] == "grain_yield_t_ha") & (obs["year"] == 2023)]
maize.pivot(index="accession", columns="rep", values="value")
"""),
        code("""
gp = traits.genetic_parameters(maize, "value", genotype="accession", block="rep")
display(gp.anova)
gp.table
"""),
        exercise(
            1,
            "Hệ số di truyền theo trung bình mẫu giống (`h2_mean`) là bao nhiêu? Gán cho `h2`.",
            "What is the accession-mean heritability (`h2_mean`)? Assign it to `h2`.",
            stub="h2 = None  # …",
            solution="h2 = gp.h2_mean",
            check="""
raw = pd.read_csv(folder / "observations.csv")
d = raw[(raw["site"] == "ho_ngo") & (raw["trait"] == "grain_yield_t_ha") & (raw["year"] == 2023)].copy()
d["value"] = pd.to_numeric(d["value"])
g, r, grand = d["accession"].nunique(), d["rep"].nunique(), d["value"].mean()
mean_g = d.groupby("accession")["value"].transform("mean")
mean_b = d.groupby("rep")["value"].transform("mean")
ms_g = float(((mean_g - grand) ** 2).sum()) / (g - 1)
ms_e = float(((d["value"] - mean_g - mean_b + grand) ** 2).sum()) / ((g - 1) * (r - 1))
sigma2_g = (ms_g - ms_e) / r
expected = sigma2_g / (sigma2_g + ms_e / r)
print(genelab.teaching.check(h2, expected, lang=lang,
                             hint={"vi": "gp.h2_mean, hoặc dòng h2_mean của gp.table",
                                   "en": "gp.h2_mean, or the h2_mean row of gp.table"}[lang]))
""",
        ),
        exercise(
            2,
            "Hệ số biến động di truyền GCV (%) là bao nhiêu? Gán cho `gcv`.",
            "What is the genetic coefficient of variation GCV (%)? Assign it to `gcv`.",
            stub="gcv = None  # …",
            solution="gcv = gp.gcv",
            check="""
raw = pd.read_csv(folder / "observations.csv")
d = raw[(raw["site"] == "ho_ngo") & (raw["trait"] == "grain_yield_t_ha") & (raw["year"] == 2023)].copy()
d["value"] = pd.to_numeric(d["value"])
g, r, grand = d["accession"].nunique(), d["rep"].nunique(), d["value"].mean()
mean_g = d.groupby("accession")["value"].transform("mean")
mean_b = d.groupby("rep")["value"].transform("mean")
ms_g = float(((mean_g - grand) ** 2).sum()) / (g - 1)
ms_e = float(((d["value"] - mean_g - mean_b + grand) ** 2).sum()) / ((g - 1) * (r - 1))
expected = 100 * ((ms_g - ms_e) / r) ** 0.5 / grand
print(genelab.teaching.check(gcv, expected, lang=lang,
                             hint={"vi": "GCV = 100 · √σ²g / trung bình; có sẵn trong gp.gcv",
                                   "en": "GCV = 100 · √σ²g / mean; it is gp.gcv"}[lang]))
""",
        ),
        md(
            vi="""
### Đa dạng di truyền của tính trạng định tính

Một nguồn gen càng đa dạng thì càng nhiều alen quý cần giữ lại. Với tính trạng định tính (màu vỏ quả,
hình dạng quả…), ta đo đa dạng bằng **chỉ số Shannon–Weaver**:

H′ = − Σ pᵢ · ln pᵢ

với pᵢ là tỉ lệ cá thể mang trạng thái i. H′ = 0 khi mọi cây giống hệt nhau; H′ càng lớn khi các trạng
thái càng nhiều và càng cân bằng. `h_norm` = H′ / ln(k) (k là số trạng thái khai báo) đưa về thang 0–1;
`simpson` = 1 − Σ pᵢ² là xác suất hai cây lấy ngẫu nhiên khác trạng thái nhau. Với tính trạng định
lượng, giá trị được chia thành 10 lớp theo trung bình và độ lệch chuẩn (cách của Jain và cs., 1975).
""",
            en="""
The more diverse a gene source, the more valuable alleles there are to keep. For a qualitative trait
(fruit skin colour, fruit shape …) diversity is measured by the **Shannon–Weaver index**:

H′ = − Σ pᵢ · ln pᵢ

where pᵢ is the share of plants in state i. H′ = 0 when every plant is alike; H′ grows with more and
more even states. `h_norm` = H′ / ln(k) (k declared states) puts it on a 0–1 scale; `simpson` =
1 − Σ pᵢ² is the chance that two plants taken at random differ. Quantitative traits are first cut
into 10 classes from the mean and standard deviation (Jain et al., 1975).
""",
        ),
        code("""
colour = traits.diversity(obs, "fruit_skin_colour", traits=ws.traits)
colour.sort_values("h", ascending=False).round(3).head(10)
"""),
        exercise(
            3,
            "Chỉ số Shannon–Weaver H′ của màu vỏ quả ở lê Mẫu Sơn `LE-001` là bao nhiêu? Gán cho `h_le`.",
            "What is the Shannon–Weaver H′ of fruit skin colour in the Mẫu Sơn pear `LE-001`? Assign it to `h_le`.",
            stub="h_le = None  # …",
            solution='h_le = colour.set_index("source_id").loc["LE-001", "h"]',
            check="""
import numpy as np

raw = pd.read_csv(folder / "observations.csv")
p = raw[(raw["source_id"] == "LE-001") & (raw["trait"] == "fruit_skin_colour")]["value"].value_counts(normalize=True)
expected = float(-(p * np.log(p)).sum())
print(genelab.teaching.check(h_le, expected, lang=lang,
                             hint={"vi": "dòng LE-001 của bảng colour, cột h",
                                   "en": "the LE-001 row of colour, column h"}[lang]))
""",
        ),
    ],
}

# --------------------------------------------------------------------------------------------
# 06 — scoring and choosing sources to restore
# --------------------------------------------------------------------------------------------
_AHP_WEIGHTS = """
import numpy as np
import tomllib

with open(folder / "genelab.toml", "rb") as fh:
    cfg = tomllib.load(fh)["scoring"]
eigenvalues, vectors = np.linalg.eig(np.array(cfg["ahp"], dtype=float))
w = np.abs(vectors[:, np.argmax(eigenvalues.real)].real)
w = pd.Series(w / w.sum(), index=cfg["criteria"])
"""

_WSM_BY_HAND = _AHP_WEIGHTS + """
raw = pd.read_csv(folder / "assessments.csv").pivot(index="source_id", columns="criterion", values="value")
lo = pd.Series({c: cfg["criterion"][c]["scale"][0] for c in cfg["criteria"]})
hi = pd.Series({c: cfg["criterion"][c]["scale"][1] for c in cfg["criteria"]})
r = (raw[cfg["criteria"]] - lo) / (hi - lo)
cost = [c for c in cfg["criteria"] if cfg["criterion"][c]["direction"] == "cost"]
r[cost] = 1 - r[cost]
by_hand = (r * w).sum(axis=1)
"""

T06 = {
    "slug": "06_scoring",
    "title": {
        "vi": "Bài 6. Chấm điểm giá trị và chọn nguồn gen để phục tráng",
        "en": "Tutorial 6. Scoring value and choosing sources to restore",
    },
    "cells": [
        md(
            vi="""
Chương trình phải chọn **ít nhất 10 nguồn gen** trong khoảng 65 để phục tráng và nhân giống. Không thể
chọn theo cảm tính: ta chấm điểm mỗi nguồn gen theo nhiều **tiêu chí** (mức đe doạ, độ quý hiếm, giá
trị kinh tế, văn hoá, thị trường, khả năng nhân giống, chi phí bảo tồn), mỗi tiêu chí cho điểm 1–5 bởi
hội đồng chuyên gia (bảng `assessments`).

1. **Trọng số bằng AHP** (Saaty): thay vì hỏi "mỗi tiêu chí bao nhiêu %", hội đồng so sánh từng **cặp**
   tiêu chí ("đe doạ quan trọng gấp 2 lần độ quý hiếm"). Ma trận so sánh cặp nằm trong `genelab.toml`;
   trọng số là vectơ riêng chính của ma trận, chuẩn hoá để tổng bằng 1. Tỉ số nhất quán CR < 0,10 là
   chấp nhận được.
2. **Chuẩn hoá**: điểm thô x đưa về thang 0–1: r = (x − 1)/(5 − 1); với tiêu chí **chi phí** (càng cao
   càng kém) thì lấy 1 − r.
3. **Tổng có trọng số** (WSM): điểm = Σ wⱼ · rⱼ, rồi xếp hạng.
4. **Phân tích độ nhạy**: rút ngẫu nhiên trọng số quanh trọng số AHP (có `seed` để lặp lại được) và xem
   thứ hạng có vững không.
5. **Xếp lớp ưu tiên A/B/C** kết hợp thứ hạng với mức đe doạ IUCN, rồi đề xuất danh sách phục tráng.
""",
            en="""
The programme must pick **at least 10 sources** out of about 65 to restore and propagate. That cannot
be a matter of taste: each source is scored on several **criteria** (threat, rarity, economic value,
cultural value, market, ease of propagation, conservation cost), each rated 1–5 by an expert panel
(the `assessments` table).

1. **Weights by AHP** (Saaty): instead of asking "what % is each criterion worth", the panel compares
   criteria in **pairs** ("threat matters twice as much as rarity"). The pairwise matrix is in
   `genelab.toml`; the weights are its principal eigenvector, scaled to sum to 1. A consistency ratio
   CR < 0.10 is acceptable.
2. **Normalisation**: a raw score x goes onto 0–1: r = (x − 1)/(5 − 1); for a **cost** criterion
   (higher is worse) take 1 − r.
3. **Weighted sum** (WSM): score = Σ wⱼ · rⱼ, then rank.
4. **Sensitivity analysis**: draw random weights around the AHP weights (with a `seed`, so it can be
   repeated) and see whether the ranks hold.
5. **Priority classes A/B/C** combine the rank with the IUCN threat category, and give the
   restoration proposal.
""",
        ),
        code(SETUP + """from genelab import scoring

criteria = scoring.criteria_from_config(ws.config)
criteria[["criterion", f"label_{lang}", "direction", "weight"]].round(3)
"""),
        exercise(
            1,
            "Trọng số AHP của tiêu chí `threat` là bao nhiêu? Gán cho `w_threat`.",
            "What is the AHP weight of the `threat` criterion? Assign it to `w_threat`.",
            stub="w_threat = None  # …",
            solution='w_threat = criteria.set_index("criterion").loc["threat", "weight"]',
            check=_AHP_WEIGHTS + """
print(genelab.teaching.check(w_threat, w["threat"], lang=lang,
                             hint={"vi": "bảng criteria, dòng threat, cột weight",
                                   "en": "the criteria table, row threat, column weight"}[lang]))
""",
        ),
        code("""
%matplotlib inline
result = scoring.score(ws.assessments, criteria)
display(result.table[["score", "rank"]].head(10).round(3))
genelab.plots.score_bars(result, lang=lang, top=15)
"""),
        exercise(
            2,
            "Nguồn gen nào đứng hạng 1 và điểm của nó là bao nhiêu? Gán `(mã_nguồn_gen, điểm)` cho `top`.",
            "Which source ranks first, and what is its score? Assign `(source_id, score)` to `top`.",
            stub="top = None  # (…, …)",
            solution='top = (result.table.index[0], result.table["score"].iloc[0])',
            check=_WSM_BY_HAND + """
print(genelab.teaching.check(top, (by_hand.idxmax(), by_hand.max()), lang=lang,
                             hint={"vi": "result.table đã xếp theo hạng: lấy chỉ số và điểm của dòng đầu",
                                   "en": "result.table is sorted by rank: take the first row's index and score"}[lang]))
""",
        ),
        code("""
sens = scoring.sensitivity(ws.assessments, criteria, n=200, seed=ws.config["seed"])
sens.table.head(12).round(3)
"""),
        md(
            vi="""
Cột `rank_low`–`rank_high` là khoảng chứa 90 % các thứ hạng (phân vị 5 % và 95 %) khi trọng số thay đổi; `p_top` là xác suất nguồn gen
nằm trong nhóm 10 đầu. Nguồn gen có p_top gần 1 là lựa chọn chắc chắn; nguồn gen có p_top khoảng 0,5 cần
hội đồng xem xét thêm. Cuối cùng, xếp lớp ưu tiên và danh sách đề xuất phục tráng:
""",
            en="""
`rank_low`–`rank_high` holds 90 % of the ranks (the 5 % and 95 % quantiles) when the weights vary; `p_top` is the chance the
source is in the top 10. Sources with p_top near 1 are safe choices; those around 0.5 need another
look by the panel. Finally, the priority classes and the restoration proposal:
""",
        ),
        code("""
priority = scoring.priority_classes(result, ws.sources, target=ws.config["targets"]["restored"])
print(priority.rule)
priority.table[priority.table["proposed"]].head(12)
"""),
        exercise(
            3,
            "Điểm WSM của quýt vàng Bắc Sơn `QUYT-001` là bao nhiêu? Gán cho `score_quyt`.",
            "What is the WSM score of the Bắc Sơn mandarin `QUYT-001`? Assign it to `score_quyt`.",
            stub="score_quyt = None  # …",
            solution='score_quyt = result.table.loc["QUYT-001", "score"]',
            check=_WSM_BY_HAND + """
print(genelab.teaching.check(score_quyt, by_hand["QUYT-001"], lang=lang,
                             hint={"vi": "result.table có chỉ số là source_id: .loc['QUYT-001', 'score']",
                                   "en": "result.table is indexed by source_id: .loc['QUYT-001', 'score']"}[lang]))
""",
        ),
    ],
}

# --------------------------------------------------------------------------------------------
# 07 — regenerating reports and reading the index
# --------------------------------------------------------------------------------------------
T07 = {
    "slug": "07_reports",
    "title": {
        "vi": "Bài 7. Tạo lại báo cáo và đọc trang mục lục",
        "en": "Tutorial 7. Regenerating reports and reading the index",
    },
    "cells": [
        md(
            vi="""
Mỗi nguồn gen, mỗi thí nghiệm nhân giống và toàn chương trình đều có một **báo cáo đánh giá** (HTML)
được tạo tự động từ workspace. Khi số liệu thay đổi, cán bộ dữ liệu chỉ cần chạy:

```
genelab reports --workspace data/demo --out outputs
```

Những điều cần biết:

- **Tăng dần (incremental)**: mỗi báo cáo lưu một mã băm (hash) của notebook mẫu, tham số, phần số liệu
  của nó và phiên bản genelab. Lần chạy sau chỉ tạo lại những báo cáo có thay đổi; `--force` tạo lại
  tất cả; `--only ID …` chỉ tạo vài báo cáo.
- **Song song**: `--jobs N` tiến trình, mỗi tiến trình giữ một kernel "nóng".
- **An toàn**: báo cáo lỗi không ghi đè bản tốt trước đó; nó được giữ trong `failed/` kèm traceback, và
  lệnh kết thúc với mã 1 cùng bản tóm tắt các lỗi.
- **Kết quả**: `reports/<id>.html` (báo cáo), `reports/<id>.ipynb` (notebook đã chạy),
  `reports/<id>.json` (tóm tắt số liệu cho máy đọc) và `index.html` (mục lục: tình trạng, điểm, hạng).

Trong bài này ta tạo báo cáo cho **2 nguồn gen** vào một thư mục tạm bằng hàm Python tương đương với
lệnh trên: `genelab.reports.build(workspace, out, only=[...])`.
""",
            en="""
Every gene source, every propagation trial and the programme as a whole has an **evaluation report**
(HTML) generated from the workspace. When data change, the data officer runs:

```
genelab reports --workspace data/demo --out outputs
```

What to know:

- **Incremental**: each report stores a hash of its template notebook, its parameters, its slice of
  the data and the genelab version. The next run rebuilds only what changed; `--force` rebuilds
  everything; `--only ID …` builds a few reports.
- **Parallel**: `--jobs N` worker processes, each keeping a warm kernel.
- **Safe**: a failing report never overwrites the previous good one; it is kept under `failed/` with
  its traceback, and the command exits with status 1 and a summary of the failures.
- **Output**: `reports/<id>.html` (the report), `reports/<id>.ipynb` (the executed notebook),
  `reports/<id>.json` (a machine-readable summary) and `index.html` (the index: status, score, rank).

In this tutorial we build the reports of **2 gene sources** into a temporary folder with the Python
function behind that command: `genelab.reports.build(workspace, out, only=[...])`.
""",
        ),
        code(SETUP + """import json
import subprocess
import sys
import tempfile

print(subprocess.run([sys.executable, "-m", "genelab", "reports", "--help"],
                     capture_output=True, text=True).stdout)
"""),
        md(
            vi="""
`build` nhận đúng các tuỳ chọn của lệnh: `only` (= `--only`), `jobs` (= `--jobs`), `force`, `lang`…
Ta tạo báo cáo của hồi Văn Quan `HOI-001` và quýt vàng Bắc Sơn `QUYT-001` với 2 tiến trình (mỗi tiến
trình chạy một kernel riêng — từ bên trong một notebook luôn dùng `jobs` ≥ 2). Kết quả là một đối tượng
cho biết báo cáo nào đã tạo (`built`), đã cập nhật sẵn nên bỏ qua (`skipped`), bị lỗi (`failed`), và dòng
tóm tắt giống hệt dòng cuối mà lệnh `genelab reports` in ra.
""",
            en="""
`build` takes the command's options: `only` (= `--only`), `jobs` (= `--jobs`), `force`, `lang` … We
build the reports of the Văn Quan star anise `HOI-001` and the Bắc Sơn mandarin `QUYT-001` with 2 worker
processes (each runs its own kernel — from inside a notebook always use `jobs` ≥ 2). The result tells
which reports were built (`built`), skipped because up to date (`skipped`), failed (`failed`), and
gives the same summary line that `genelab reports` prints last.
""",
        ),
        code("""
from genelab.reports import build

out = Path(tempfile.mkdtemp(prefix="genelab_tutorial07_"))
first = build(folder, out, only=["HOI-001", "QUYT-001"], jobs=2, lang=lang, progress=False)
print(first.summary_text())
sorted(p.name for p in (out / "reports").iterdir())
"""),
        exercise(
            1,
            "Lần chạy đầu đã tạo bao nhiêu báo cáo? Gán cho `n_built`.",
            "How many reports did the first run build? Assign the number to `n_built`.",
            stub="n_built = None  # …",
            solution="n_built = len(first.built)",
            check="""
expected = len(list((out / "reports").glob("*.html")))
print(genelab.teaching.check(n_built, expected, lang=lang,
                             hint={"vi": "first.built là danh sách các báo cáo vừa tạo (hoặc đọc dòng tóm tắt 'N built, …')",
                                   "en": "first.built lists the reports just built (or read the summary line 'N built, …')"}[lang]))
""",
        ),
        md(
            vi="""
### Đọc bản tóm tắt JSON và trang mục lục

Bản tóm tắt `.json` chứa các con số chính của báo cáo: điểm và hạng của nguồn gen, các thí nghiệm với
công thức tốt nhất, kết luận bằng lời… Đây là thứ trang mục lục và các chương trình khác đọc.
""",
            en="""
### Reading the JSON summary and the index

The `.json` summary holds the report's key figures: the source's score and rank, its trials with the
best treatment, the written conclusion … It is what the index page and other programs read.
""",
        ),
        code("""
summary = json.loads((out / "reports" / "HOI-001.json").read_text(encoding="utf-8"))
print(summary["conclusion"])
{k: summary[k] for k in ("id", "name", "status", "score", "rank", "of")}
"""),
        exercise(
            2,
            "Theo bản tóm tắt của `HOI-001`, công thức tốt nhất về số rễ/hom (`roots_per_cutting`) của thí nghiệm "
            "`T01-HOI-IBA` là gì? Gán cho `best_treatment`.",
            "According to the `HOI-001` summary, which treatment is best for roots per cutting "
            "(`roots_per_cutting`) in trial `T01-HOI-IBA`? Assign it to `best_treatment`.",
            stub="best_treatment = None  # …",
            solution="""
trial = [t for t in summary["trials"] if t["trial_id"] == "T01-HOI-IBA"][0]
best_treatment = trial["responses"]["roots_per_cutting"]["best"]
""",
            check="""
raw = pd.read_csv(folder / "trials" / "T01-HOI-IBA.csv")
expected = raw.groupby("treatment")["roots_per_cutting"].mean().idxmax()
print(genelab.teaching.check(best_treatment, expected, lang=lang,
                             hint={"vi": "summary['trials'] là danh sách; tìm T01-HOI-IBA rồi xem responses → roots_per_cutting → best",
                                   "en": "summary['trials'] is a list; find T01-HOI-IBA, then responses → roots_per_cutting → best"}[lang]))
""",
        ),
        md(
            vi="""
Trang `index.html` liệt kê mọi báo cáo — kể cả những báo cáo chưa tạo ("cần cập nhật") — với tình trạng
nguồn gen, điểm, hạng và thời điểm tạo. Ta đọc bảng nguồn gen của nó thành một DataFrame:
""",
            en="""
The `index.html` page lists every report — including those not built yet ("stale") — with the
source's status, score, rank and build time. We read its table of gene sources into a DataFrame:
""",
        ),
        code("""
from bs4 import BeautifulSoup

page = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
table = page.select("table.genelab-index")[1]
index = pd.DataFrame([[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")],
                     columns=[th.get_text() for th in table.select("thead th")])
index[index.iloc[:, 0].isin(["HOI-001", "QUYT-001"])]
"""),
        md(
            vi="""
### Chạy lại: chỉ tạo lại những gì thay đổi

Số liệu không đổi, nên chạy lại y hệt sẽ **không** tạo lại báo cáo nào: cả hai đã "cập nhật sẵn"
(`up to date`, nằm trong `skipped`) và lần chạy xong gần như tức thì.
""",
            en="""
The data did not change, so running the very same build again rebuilds **nothing**: both reports are
"up to date" (in `skipped`) and the run finishes almost at once.
""",
        ),
        code("""
stamps = {p.name: p.stat().st_mtime_ns for p in (out / "reports").glob("*.html")}
second = build(folder, out, only=["HOI-001", "QUYT-001"], jobs=2, lang=lang, progress=False)
print(second.summary_text())
"""),
        exercise(
            3,
            "Lần chạy thứ hai đã bỏ qua bao nhiêu báo cáo vì không có gì thay đổi? Gán cho `n_skipped`.",
            "How many reports did the second run skip because nothing had changed? Assign the number to `n_skipped`.",
            stub="n_skipped = None  # …",
            solution="n_skipped = len(second.skipped)",
            check="""
unchanged = sum(1 for name, ns in stamps.items() if (out / "reports" / name).stat().st_mtime_ns == ns)
print(genelab.teaching.check(n_skipped, unchanged, lang=lang,
                             hint={"vi": "second.skipped liệt kê các báo cáo được bỏ qua ('N up to date' trong dòng tóm tắt)",
                                   "en": "second.skipped lists the skipped reports ('N up to date' in the summary line)"}[lang]))
""",
        ),
        md(
            vi="""
**Ghi nhớ.** Mở `index.html` trong trình duyệt để xem tình trạng từng báo cáo. Báo cáo lỗi nằm trong
`failed/` kèm traceback: sửa số liệu (thường là lỗi đã gặp ở bài 1) rồi chạy lại — chỉ báo cáo đó được
tạo lại.
""",
            en="""
**Remember.** Open `index.html` in a browser to see the state of every report. A failing report sits
under `failed/` with its traceback: fix the data (usually one of the errors of tutorial 1) and run
again — only that report is rebuilt.
""",
        ),
    ],
}

TUTORIALS = [T01, T02, T03, T04, T05, T06, T07]
