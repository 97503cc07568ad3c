"""The reference drivers on transformed copies of the R cases, whose R answers are known without R.

The R cases in ../shared/reference are few; further cases computed the same way must pass too.
Each test here copies a shipped case to ``tmp_path``, transforms its input in a way whose effect on
every R number is known exactly (renamed columns, relabelled treatments in the same code-point
order, permuted rows, a response scaled by a power of two or shifted, roles swapped, tests
listed in another order, other ED levels, count columns renamed, cumulative counts …), writes the
matching spec.json and expected.json, and runs the very same driver code on the new folder.  A
driver or library that leans on a shipped case's names, counts or layout fails here.
"""
from __future__ import annotations

import copy
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import test_anova as TA
import test_doseresponse as TD
import test_germination as TG
import test_letters as TL
import test_means as TM
import test_nonparametric as TN
from conftest import json_pointer, reference_dir

FIELD = ("crd", "rcbd", "latin", "factorial_crd", "factorial_rcbd", "split_plot")
RANK_TESTS = ("kruskal", "friedman")


# ------------------------------------------------------------------------------------------
# reading, writing and walking a case


def _load(name):
    folder = reference_dir() / name
    if not (folder / "spec.json").is_file():
        pytest.skip(f"reference case {name} not present")
    spec = json.loads((folder / "spec.json").read_text("utf-8"))
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    data = pd.read_csv(folder / spec["input"], na_values=[spec.get("missing_value", "NA")],
                       keep_default_na=False)
    return copy.deepcopy(spec), copy.deepcopy(expected), data


def _save(tmp_path, name, spec, expected, data):
    folder = tmp_path / name
    folder.mkdir()
    spec = dict(spec, case=name)
    data.to_csv(folder / spec["input"], index=False, na_rep=spec.get("missing_value", "NA"))
    (folder / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False), "utf-8")
    return folder


def _test_blocks(spec, expected, secondary=False):
    """(agricolae block, test name, compared columns) of every comparison of the main response
    (and of the secondary responses)."""
    for comp in spec.get("comparisons", []):
        base = json_pointer(expected, comp["results_at"])
        for test in comp["tests"]:
            yield base[comp.get("key_prefix", "") + test], test, list(comp["treatment"])
    for sec in spec.get("secondary_responses", []) if secondary else []:
        base = json_pointer(expected, sec["results_at"])
        cols = sec.get("treatment") or spec["treatment"]
        for test in sec["tests"]:
            yield base[sec.get("key_prefix", "") + test], test, cols if isinstance(cols, list) else [cols]


def _is_rank(test):
    return test.startswith(RANK_TESTS)


def run_field_case(folder):
    """Every driver of the field designs, on one folder; returns the number of checks run."""
    spec = json.loads((folder / "spec.json").read_text("utf-8"))
    TA.test_anova_against_r(folder)
    TM.test_compare_means_against_r(folder)
    n = 2
    if TN._runs(folder, "kruskal"):
        TN.test_kruskal_against_r(folder)
        n += 1
    if TN._runs(folder, "friedman"):
        TN.test_friedman_against_r(folder)
        n += 1
    base_r = spec.get("base_r", {})
    if "kruskal.test" in base_r:
        TN.test_kruskal_test_against_base_r(folder)
    if "friedman.test" in base_r:
        TN.test_friedman_test_against_base_r(folder)
    checked, wanted = TM.check_tukeyhsd(folder)
    assert checked == wanted
    return n


# ------------------------------------------------------------------------------------------
# transformations of field cases


def _affine_case(spec, expected, data, scale, shift):
    """y -> scale·y + shift for the main response (scale > 0)."""
    data = data.copy()
    data[spec["response"]] = data[spec["response"]] * scale + shift

    def lin(x):
        return None if x is None else x * scale + shift

    def mul(x, k=scale):
        return None if x is None else x * k

    def cv(mse, mean):
        return 100.0 * math.sqrt(mse) / mean

    def anova_rows(rows):
        for r in rows:
            r["ss"], r["ms"] = mul(r["ss"], scale ** 2), mul(r["ms"], scale ** 2)

    if spec["design"] == "split_plot":
        sp = json_pointer(expected, spec["model"]["results_at"])
        anova_rows(sp["anova"])
        sp["Ea"], sp["Eb"] = mul(sp["Ea"], scale ** 2), mul(sp["Eb"], scale ** 2)
        sp["grand_mean"] = lin(sp["grand_mean"])
        sp["cv_a"], sp["cv_b"] = cv(sp["Ea"], sp["grand_mean"]), cv(sp["Eb"], sp["grand_mean"])
        sp["cv_a_printed"], sp["cv_b_printed"] = round(sp["cv_a"], 1), round(sp["cv_b"], 1)
        strata = spec.get("base_r", {}).get("error_strata")
        if strata:
            for rows in json_pointer(expected, strata["results_at"]).values():
                anova_rows(rows)
    else:
        model = json_pointer(expected, spec["model"]["results_at"])
        anova_rows(model["anova"])
        model["mse"] = mul(model["mse"], scale ** 2)
        model["grand_mean"] = lin(model["grand_mean"])
        model["cv_model"] = cv(model["mse"], model["grand_mean"])
    seen = set()
    for block, test, _ in _test_blocks(spec, expected):
        if id(block) in seen:
            continue
        seen.add(id(block))
        for m in block["means"]:
            for k in ("mean", "LCL", "UCL", "Min", "Max", "Q25", "Q50", "Q75"):
                if k in m:
                    m[k] = lin(m[k])
            for k in ("std", "se"):
                if k in m:
                    m[k] = mul(m[k])
        if _is_rank(test):
            continue                                 # ranks, rank sums and their tests: unchanged
        for g in block["groups"]:
            g["mean"] = lin(g["mean"])
        for st in (block["statistics"], block.get("pairwise_statistics") or {}):
            if "MSerror" in st:
                st["MSerror"] = mul(st["MSerror"], scale ** 2)
            if "Mean" in st:
                st["Mean"] = lin(st["Mean"])
            if "CV" in st:
                st["CV"] = cv(st["MSerror"], st["Mean"])
            for k in ("LSD", "MSD", "CriticalDifference"):
                if k in st:
                    st[k] = mul(st[k])
        if block.get("inputs"):
            block["inputs"]["MSerror"] = mul(block["inputs"]["MSerror"], scale ** 2)
        for r in block["pairwise"]:
            for k in ("difference", "Difference", "LCL", "UCL"):
                if k in r:
                    r[k] = mul(r[k])
        for r in block.get("critical_ranges") or []:
            r["CriticalRange"] = mul(r["CriticalRange"])
    tukey = spec.get("base_r", {}).get("TukeyHSD")
    for b in (tukey if isinstance(tukey, list) else [tukey] if tukey else []):
        for r in json_pointer(expected, b["results_at"]):
            r["diff"], r["lwr"], r["upr"] = mul(r["diff"]), mul(r["lwr"]), mul(r["upr"])
    # the secondary response is untouched; the error-term pointers follow the scaled model
    return spec, expected, data


def _rename_columns(spec, expected, data, mapping):
    """Rename design and response columns everywhere R's output names them."""
    data = data.rename(columns=mapping)

    def m(x):
        return mapping.get(x, x)

    def term(t):
        return ":".join(m(p) for p in t.split(":"))

    for k in ("response", "treatment", "block", "row", "column", "main", "sub"):
        if spec.get(k):
            spec[k] = m(spec[k])
    if spec.get("factors"):
        spec["factors"] = [m(f) for f in spec["factors"]]
    spec["model"]["terms"] = [term(t) for t in spec["model"]["terms"]]
    if spec["model"].get("F_denominators"):
        spec["model"]["F_denominators"] = {term(t): e for t, e in spec["model"]["F_denominators"].items()}
    for err in ("Ea", "Eb"):                       # descriptions such as "block:variety + …"
        if isinstance(spec["model"].get(err), str):
            spec["model"][err] = " + ".join(term(t) for t in spec["model"][err].split(" + "))
    for comp in spec.get("comparisons", []):
        comp["treatment"] = [m(c) for c in comp["treatment"]]
    for sec in spec.get("secondary_responses", []):
        sec["response"] = m(sec["response"])
        if sec.get("treatment"):
            sec["treatment"] = [m(c) for c in sec["treatment"]] if isinstance(sec["treatment"], list) \
                else m(sec["treatment"])
    tukey = spec.get("base_r", {}).get("TukeyHSD")
    for b in (tukey if isinstance(tukey, list) else [tukey] if tukey else []):
        b["treatment"] = term(b["treatment"])
    models = [json_pointer(expected, spec["model"]["results_at"])]
    models += [json_pointer(expected, s["model_at"]) for s in spec.get("secondary_responses", [])]
    for model in models:
        for r in model["anova"]:
            if r["source"] not in ("Residuals", "Ea", "Eb"):
                r["source"] = term(r["source"])
    strata = spec.get("base_r", {}).get("error_strata")
    if strata:
        old = json_pointer(expected, strata["results_at"])
        new = {}
        for key, rows in old.items():
            stratum = key.split(": ", 1)[1]
            for r in rows:
                if r["source"] != "Residuals":
                    r["source"] = term(r["source"])
            new["Error: " + (stratum if stratum == "Within" else term(stratum))] = rows
        old.clear()
        old.update(new)
    return spec, expected, data


def _relabel(spec, expected, data, column, mapping):
    """New labels for one design column (``mapping`` keeps code-point order), everywhere."""
    data = data.copy()
    data[column] = data[column].astype(str).map(mapping)
    assert data[column].notna().all()

    def label(lab, cols):
        parts = str(lab).split(":")
        if len(parts) != len(cols):
            return lab
        return ":".join(mapping[p] if c == column else p for p, c in zip(parts, cols))

    def pair(text, cols, sep):
        levels = {str(r) for r in all_levels[tuple(cols)]}
        for a in levels:
            for b in levels:
                if f"{a}{sep}{b}" == text:
                    return f"{label(a, cols)}{sep}{label(b, cols)}"
        raise AssertionError(f"pair {text!r} not made of levels {sorted(levels)}")

    all_levels = {}
    for block, test, cols in _test_blocks(spec, expected, secondary=True):
        all_levels[tuple(cols)] = [m["trt"] for m in block["means"]]
    for block, test, cols in _test_blocks(spec, expected, secondary=True):
        if column not in cols:
            continue
        for rec in block["means"] + block["groups"]:
            rec["trt"] = label(rec["trt"], cols)
        for rec in block["pairwise"]:
            rec["pair"] = pair(rec["pair"], cols, " - ")
    tukey = spec.get("base_r", {}).get("TukeyHSD")
    for b in (tukey if isinstance(tukey, list) else [tukey] if tukey else []):
        cols = b["treatment"].split(":")
        if column in cols:
            for r in json_pointer(expected, b["results_at"]):
                r["pair"] = pair(r["pair"], cols, "-")
    if spec.get("n_per_treatment") and column == spec.get("treatment"):
        n = json_pointer(expected, spec["n_per_treatment"])
        new = {mapping[k]: v for k, v in n.items()}
        n.clear()
        n.update(new)
    return spec, expected, data


def _order_keeping_labels(levels, prefix):
    """New labels for ``levels`` in the same code-point order: ``prefix`` + a zero-padded rank."""
    old = sorted(str(v) for v in levels)
    return {o: f"{prefix}{i:02d}" for i, o in enumerate(old, 1)}


FIELD_CASES = ["crd_balanced_hoi_naa_cuttings", "crd_unbalanced_chicken_diet", "crd_n1_mandarin_graft",
               "crd_overlap_mesona_cutting_length", "rcbd_custard_apple_yield",
               "rcbd_ties_persimmon_rootstock", "latin_square_tea_clones_6x6",
               "factorial_crd_bap_naa_tissue", "factorial_rcbd_canarium_family_substrate",
               "split_plot_sticky_rice_nitrogen"]


RENAMES = {
    "crd_unbalanced_chicken_diet": {"diet": "khau_phan", "body_weight_g": "kl_g"},
    "rcbd_ties_persimmon_rootstock": {"rootstock": "goc_ghep", "block": "lap_lai", "vigour_score": "diem"},
    "latin_square_tea_clones_6x6": {"terrace": "hang", "strip": "cot", "clone": "dong",
                                    "shoot_yield_kg_plot": "y"},
    "factorial_crd_bap_naa_tissue": {"bap": "cytokinin", "naa": "auxin", "shoots_per_explant": "choi"},
    "factorial_rcbd_canarium_family_substrate": {"substrate": "gia_the", "family": "dong_ho",
                                                 "block": "khoi"},
    "split_plot_sticky_rice_nitrogen": {"nitrogen": "dam", "variety": "giong", "block": "khoi",
                                        "grain_yield_t_ha": "nang_suat"},
    "crd_balanced_hoi_naa_cuttings": {"trt": "cong_thuc", "roots_per_cutting": "so_re",
                                      "rooting_pct": "ty_le_re"},
}


#: the column whose labels each composite variant replaces (same code-point order)
RELABEL = {"crd_n1_mandarin_graft": "method", "rcbd_ties_persimmon_rootstock": "rootstock",
           "rcbd_custard_apple_yield": "block", "factorial_crd_bap_naa_tissue": "naa",
           "factorial_rcbd_canarium_family_substrate": "family", "split_plot_sticky_rice_nitrogen": "variety",
           "latin_square_tea_clones_6x6": "terrace", "crd_unbalanced_chicken_diet": "diet",
           "crd_balanced_hoi_naa_cuttings": "trt", "crd_overlap_mesona_cutting_length": "cutting_length"}


@pytest.mark.parametrize("name", FIELD_CASES)
def test_renamed_relabelled_permuted_and_scaled(name, tmp_path):
    """One composite variant per field case: the response ×4 (sums of squares ×16, means, SEs,
    LSDs and intervals ×4; p-values, letters and CV unchanged — exact in binary floating point, so
    ties stay ties), design and response columns renamed, one column's labels replaced by others
    in the same code-point order (blocks become text), and the rows shuffled."""
    spec, expected, data = _load(name)
    spec, expected, data = _affine_case(spec, expected, data, 4.0, 0.0)
    mapping = RENAMES.get(name, {})
    spec, expected, data = _rename_columns(spec, expected, data, mapping)
    column = mapping.get(RELABEL[name], RELABEL[name])
    labels = _order_keeping_labels(data[column].unique(), "blk_" if RELABEL[name] == "block" else "Lv_")
    spec, expected, data = _relabel(spec, expected, data, column, labels)
    data = data.sample(frac=1.0, random_state=11).reset_index(drop=True)
    assert run_field_case(_save(tmp_path, name + "_variant", spec, expected, data)) >= 2


@pytest.mark.parametrize("name, prefix", [("crd_n1_mandarin_graft", "Q"), ("rcbd_ties_persimmon_rootstock", "Q"),
                                          ("rcbd_ties_persimmon_rootstock", "1"),
                                          ("crd_unbalanced_chicken_diet", "1")])
def test_relabelled_only(name, prefix, tmp_path):
    """Relabelling alone (the cases whose letters contradict their p-values); prefix "1" gives
    numeric treatment codes 101, 102, … (a numeric column, R's factor levels in numeric order,
    which is also their text order)."""
    spec, expected, data = _load(name)
    labels = _order_keeping_labels(data[RELABEL[name]].unique(), prefix)
    spec, expected, data = _relabel(spec, expected, data, RELABEL[name], labels)
    run_field_case(_save(tmp_path, name + "_relabelled", spec, expected, data))


def test_latin_square_with_row_and_column_swapped(tmp_path):
    """A Latin square is orthogonal: swapping the row and column roles swaps their ANOVA rows."""
    spec, expected, data = _load("latin_square_tea_clones_6x6")
    spec["row"], spec["column"] = spec["column"], spec["row"]
    t = spec["model"]["terms"]
    spec["model"]["terms"] = [t[1], t[0]] + t[2:]
    rows = json_pointer(expected, spec["model"]["results_at"])["anova"]
    rows[0], rows[1] = rows[1], rows[0]
    run_field_case(_save(tmp_path, "latin_swapped", spec, expected, data))


@pytest.mark.parametrize("name", ["rcbd_custard_apple_yield", "split_plot_sticky_rice_nitrogen"])
def test_tests_listed_in_another_order_or_a_subset(name, tmp_path):
    spec, expected, data = _load(name)
    for i, comp in enumerate(spec["comparisons"]):
        comp["tests"] = comp["tests"][::-1][: max(1, len(comp["tests"]) - i - 1)]
    spec["tests"] = sorted({t for c in spec["comparisons"] for t in c["tests"]}, reverse=True)
    spec["comparisons"] = spec["comparisons"][::-1]
    for sec in spec.get("secondary_responses", []):
        sec["tests"] = sec["tests"][::-1]
    run_field_case(_save(tmp_path, name + "_reordered", spec, expected, data))


def test_rcbd_spec_without_rank_tests_and_with_extra_null_keys(tmp_path):
    """Keys a spec may carry as null (row, column, factors …) are not design roles."""
    spec, expected, data = _load("rcbd_ties_persimmon_rootstock")
    spec.update(row=None, column=None, factors=None, main=None, sub=None)
    for comp in spec["comparisons"]:
        comp["tests"] = [t for t in comp["tests"] if not _is_rank(t)]
    run_field_case(_save(tmp_path, "rcbd_nulls", spec, expected, data))


def test_combinations_with_another_label_separator(tmp_path):
    """``label_separator`` other than ":" relabels the combinations; R's numbers are unchanged."""
    spec, expected, data = _load("factorial_crd_bap_naa_tissue")
    for comp in spec["comparisons"]:
        if len(comp["treatment"]) > 1:
            comp["label_separator"] = " x "
            for block in (json_pointer(expected, comp["results_at"])[comp["key_prefix"] + t]
                          for t in comp["tests"]):
                for rec in block["means"] + block["groups"]:
                    rec["trt"] = rec["trt"].replace(":", " x ")
                for rec in block["pairwise"]:
                    rec["pair"] = rec["pair"].replace(":", " x ")
    run_field_case(_save(tmp_path, "factorial_sep", spec, expected, data))


# ------------------------------------------------------------------------------------------
# alpha: letters recomputed from R's rounded pairwise p-values with the README's routine


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ123456789"


def _readme_letters(names, stat, p, alpha):
    """The README's pseudocode, transcribed independently of genelab (order, then passes)."""
    n = len(names)
    order = sorted(range(n), key=lambda i: (-stat[i], i))     # names arrive in label order
    same = [[p[order[i]][order[j]] > alpha for j in range(n)] for i in range(n)]
    L = [""] * n
    c = 0
    L[0] = _LETTERS[c]
    anchor, split_seen, passes = 0, False, 0
    while anchor < n - 1:
        passes += 1
        if passes > n:
            break
        start, breaker = anchor, None
        for i in range(anchor, n):
            if same[i][anchor]:
                if not L[i].endswith(_LETTERS[c]):
                    L[i] += _LETTERS[c]
            else:
                breaker = i
                break
        if breaker is None:
            if split_seen:
                break
            anchor += 1
        else:
            c += 1
            L[breaker] += _LETTERS[c]
            split_seen = True
            for v in range(start, breaker + 1):
                if not same[v][breaker]:
                    anchor += 1
                else:
                    break
    return [names[i] for i in order], L


def test_readme_letters_reproduce_every_field_table():
    """The transcription above gives R's letters on every shipped field table (so it can be
    trusted to produce the letters of the alpha variants below)."""
    checked = 0
    for name in FIELD_CASES:
        spec, expected, _ = _load(name)
        for block, test, _ in _test_blocks(spec, expected):
            names, letters = _letters_of(block, test, spec["alpha"])
            assert names == [g["trt"] for g in block["groups"]], (name, test)
            assert letters == [g["groups"] for g in block["groups"]], (name, test)
            checked += 1
    assert checked >= 50


def _stat_key(test):
    return "rank_mean" if test.startswith("kruskal") else "rank_sum" if test == "friedman" else "mean"


def _letters_of(block, test, alpha):
    names = [m["trt"] for m in block["means"]]           # sorted label order
    idx = {t: i for i, t in enumerate(names)}
    stat = [m[_stat_key(test)] for m in block["means"]]
    p = np.ones((len(names), len(names)))
    for r in block["pairwise"]:
        a, b = r["pair"].split(" - ")
        p[idx[a], idx[b]] = p[idx[b], idx[a]] = r["pvalue"]
    return _readme_letters(names, stat, p, alpha)


def _realpha(spec, expected, alpha):
    """Every test of a case at another alpha: letters from R's rounded p-values, critical
    values and interval half-widths from the t, F and studentized-range quantiles."""
    from genelab.trials._ptukey import qtukey

    a0 = spec["alpha"]
    spec["alpha"] = alpha
    for block, test, _ in _test_blocks(spec, expected):
        st = block["statistics"]
        k = block["parameters"]["ntr"]
        df = st.get("Df") if not _is_rank(test) else None
        if test.startswith("kruskal"):
            n_tot = sum(m["r"] for m in block["means"])
            df = n_tot - k
        if test == "friedman":
            df = st["DFerror"]
        m_pairs = k * (k - 1) / 2
        names, letters = _letters_of(block, test, alpha)
        stat = {m["trt"]: m[_stat_key(test)] for m in block["means"]}
        block["groups"] = [{"trt": t, _stat_key(test): stat[t], "groups": g} for t, g in zip(names, letters)]
        block["parameters"]["alpha"] = alpha

        def ratio_t(adj):
            q0 = stats.t.ppf(1 - a0 / (2 * adj), df)
            q1 = stats.t.ppf(1 - alpha / (2 * adj), df)
            return q0, q1

        if test in ("LSD_none", "LSD_bonferroni") or test.startswith("kruskal"):
            adj = m_pairs if test.endswith("bonferroni") else 1
            q0, q1 = ratio_t(adj)
            factor = {None: q1 / q0}
            for key in ("t.value",):
                if key in st:
                    st[key] = q1
            for key in ("LSD", "MSD"):
                if key in st:
                    st[key] *= q1 / q0
            # means' LCL/UCL use the unadjusted t
            t0, t1 = ratio_t(1)
            for m in block["means"]:
                if "LCL" in m:
                    half = (m["UCL"] - m["LCL"]) / 2
                    mid = (m["UCL"] + m["LCL"]) / 2
                    m["LCL"], m["UCL"] = mid - half * t1 / t0, mid + half * t1 / t0
        elif test == "friedman":
            # LSD between rank sums; the pairwise interval uses the LSD rounded to 2 decimals
            q0, q1 = ratio_t(1)
            st["t.value"] = q1
            st["LSD"] *= q1 / q0
            for r in block["pairwise"]:
                r["LCL"], r["UCL"] = r["difference"] - round(st["LSD"], 2), r["difference"] + round(st["LSD"], 2)
            factor = None
        elif test in ("HSD", "HSD_unbalanced_harmonic"):
            q0, q1 = float(qtukey(1 - a0, k, df)), float(qtukey(1 - alpha, k, df))
            block["parameters"]["StudentizedRange"] = q1
            if "MSD" in st:
                st["MSD"] *= q1 / q0
            factor = {None: q1 / q0}
        elif test == "scheffe":
            f0, f1 = stats.f.ppf(1 - a0, k - 1, df), stats.f.ppf(1 - alpha, k - 1, df)
            st["F"] = f1
            for key in ("Scheffe", "CriticalDifference"):
                if key in st:
                    st[key] *= math.sqrt(f1 / f0)
            factor = {None: math.sqrt(f1 / f0)}
        else:   # duncan / SNK: the half-width of a pair uses the table value of its span
            label_order = [m["trt"] for m in block["means"]]
            means = {m["trt"]: m["mean"] for m in block["means"]}
            dec = sorted(label_order, key=lambda t: (-means[t], label_order.index(t)))

            def table(h, a):
                level = (1 - a) ** (h - 1) if test == "duncan" else 1 - a
                return float(qtukey(level, h, df))

            factor = {h: table(h, alpha) / table(h, a0) for h in range(2, k + 1)}
            for r in block.get("critical_ranges") or []:
                h = int(r["p"])
                r["Table"] *= factor[h]
                r["CriticalRange"] *= factor[h]
            pos = {t: i for i, t in enumerate(dec)}
        for r in block["pairwise"] if factor is not None else []:
            a, b = r["pair"].split(" - ")
            f = factor[None] if None in factor else factor[abs(pos[a] - pos[b]) + 1]
            d = r.get("difference", r.get("Difference"))
            r["LCL"], r["UCL"] = d - (d - r["LCL"]) * f, d + (r["UCL"] - d) * f
        if block.get("pairwise_statistics"):
            block["pairwise_statistics"] = dict(st)
    # base R's TukeyHSD intervals follow the new confidence level
    tukey = spec.get("base_r", {}).get("TukeyHSD")
    for b in (tukey if isinstance(tukey, list) else [tukey] if tukey else []):
        model = json_pointer(expected, spec["model"]["results_at"])
        df = model.get("df_error")
        recs = json_pointer(expected, b["results_at"])
        k = int(round((1 + math.sqrt(1 + 8 * len(recs))) / 2))       # k(k-1)/2 pairs
        q0, q1 = float(qtukey(1 - a0, k, df)), float(qtukey(1 - alpha, k, df))
        for r in json_pointer(expected, b["results_at"]):
            d = r["diff"]
            r["lwr"], r["upr"] = d - (d - r["lwr"]) * q1 / q0, d + (r["upr"] - d) * q1 / q0
    return spec, expected


@pytest.mark.parametrize("name, alpha", [("crd_n1_mandarin_graft", 0.01), ("rcbd_ties_persimmon_rootstock", 0.10),
                                         ("crd_overlap_mesona_cutting_length", 0.01),
                                         ("crd_unbalanced_chicken_diet", 0.10),
                                         ("split_plot_sticky_rice_nitrogen", 0.10),
                                         ("factorial_rcbd_canarium_family_substrate", 0.01)])
def test_other_alpha(name, alpha, tmp_path):
    spec, expected, data = _load(name)
    spec, expected = _realpha(spec, expected, alpha)
    spec.pop("secondary_responses", None)
    run_field_case(_save(tmp_path, f"{name}_alpha{alpha}", spec, expected, data))


# ------------------------------------------------------------------------------------------
# germination


def _germination_variant(name, tmp_path, *, cumulative, rename, permute):
    spec, expected, data = _load(name)
    cols = spec["count_columns"]
    if cumulative:
        data[cols] = data[cols].cumsum(axis=1)
        spec["counts"] = "cumulative"
    if rename:
        new_cols = [f"count_{i:02d}_on_day_{t:g}" for i, t in enumerate(spec["intervals"], 1)]
        mapping = dict(zip(cols, new_cols))
        mapping.update({spec["dish"]: "dia_so", spec["sown"]: "hat_gieo"})
        if spec.get("treatment"):
            mapping[spec["treatment"]] = "xu_ly"
        data = data.rename(columns=mapping)
        # R's per-dish tables name the input columns; the per-function records keep the README's
        # trt/dish keys (the driver accepts either)
        per = spec["per_dish"]
        for key in ("all_indices_at", "treatment_means_at"):
            if key in per:
                for rec in json_pointer(expected, per[key]):
                    for old, new in mapping.items():
                        if old in rec:
                            rec[new] = rec.pop(old)
        for an in spec.get("analyses", []):
            an["treatment"] = mapping.get(an["treatment"], an["treatment"])
            for rec in json_pointer(expected, an["model_at"])["anova"]:     # R names the term
                rec["source"] = mapping.get(rec["source"], rec["source"])
        spec["count_columns"] = new_cols
        for k in ("dish", "sown", "treatment"):
            if spec.get(k):
                spec[k] = mapping[spec[k]]
    if permute:
        data = data.sample(frac=1.0, random_state=5).reset_index(drop=True)
    return _save(tmp_path, f"{name}_variant", spec, expected, data)


@pytest.mark.parametrize("name", ["germination_macmat_pretreatment", "germination_edge_dishes"])
@pytest.mark.parametrize("cumulative", [False, True])
def test_germination_variants(name, cumulative, tmp_path):
    """Other count-column, dish, treatment and sown names, shuffled rows, and the same counts
    given as running totals (``counts: "cumulative"``): R's indices are unchanged."""
    folder = _germination_variant(name, tmp_path, cumulative=cumulative, rename=True, permute=True)
    TG.test_indices_against_r(folder)
    TM.test_compare_means_on_germination_indices_against_r(folder)


def test_germination_seeds_sown_as_a_number(tmp_path):
    spec, expected, data = _load("germination_macmat_pretreatment")
    sown = data[spec["sown"]].unique()
    assert sown.size == 1
    data = data.drop(columns=spec["sown"])
    spec["sown"] = int(sown[0])
    TG.test_indices_against_r(_save(tmp_path, "germ_sown_number", spec, expected, data))


# ------------------------------------------------------------------------------------------
# dose response


def _dr_coefs(block):
    names = [c["parameter"].split(":")[0] for c in block["coefficients"]]
    return names, {n: c["estimate"] for n, c in zip(names, block["coefficients"])}, np.asarray(block["vcov"])


def _ll_relative(p, b, e):
    q = 100.0 - p if b < 0 else p
    return e * (q / (100.0 - q)) ** (1.0 / b)


def _ed_from_r(block, fit_spec, req, n_obs):
    """drc's ED() from R's estimates and vcov: the closed form and the delta method, an
    absolute level first converted to drc's relative scale (and then held fixed, as drc does)."""
    names, co, vcov = _dr_coefs(block)
    full = dict(fit_spec.get("fixed") or {})
    full.update(co)
    c, d = full.get("c", 0.0), full["d"]
    if fit_spec["type"] == "binomial":
        q = stats.norm.ppf(0.5 + req.get("level", 0.95) / 2)
    else:
        q = stats.t.ppf(0.5 + req.get("level", 0.95) / 2, block["df_residual"])
    rows = []
    for lv in req["levels"]:
        if req.get("type", "relative") == "absolute":
            p = 100 * (lv - c) / (d - c) if full["b"] < 0 else 100 * (d - lv) / (d - c)
        else:
            p = lv

        def f(theta):
            t = dict(zip(names, theta))
            return _ll_relative(p, t["b"], t["e"])

        theta = np.array([co[n] for n in names])
        est = f(theta)
        g = np.zeros(theta.size)
        for i in range(theta.size):
            h = 1e-6 * max(1.0, abs(theta[i]))
            up, dn = theta.copy(), theta.copy()
            up[i] += h
            dn[i] -= h
            g[i] = (f(up) - f(dn)) / (2 * h)
        se = float(math.sqrt(g @ vcov @ g))
        row = {"label": f"e:1:{lv:g}", "Estimate": est, "Std. Error": se}
        if req.get("interval", "none") == "delta":
            row.update(Lower=est - q * se, Upper=est + q * se)
        rows.append(row)
    return {"table": rows}


def test_drc_ed_formula_reproduces_every_shipped_ed():
    """The closed form + delta method above gives R's ED tables (so it can stand in for R)."""
    spec, expected, data = _load("dose_response_morinda_naa")
    checked = 0
    for f in spec["fits"]:
        block = json_pointer(expected, f["results_at"])
        for req, got in zip(f.get("ed", []), json_pointer(expected, f["ed_results_at"])):
            mine = _ed_from_r(block, f, req, len(data))
            for a, b in zip(mine["table"], got["table"]):
                assert a["label"] == b["label"]
                for k in b:
                    if k != "label":
                        assert a[k] == pytest.approx(b[k], rel=1e-7), (f["results_at"], k)
                checked += 1
    assert checked >= 10


def test_dose_response_other_ed_levels_and_names(tmp_path):
    """Other ED levels, types and confidence levels, other column names, shuffled rows."""
    spec, expected, data = _load("dose_response_morinda_naa")
    mapping = {spec["dose"]: "lieu_ppm"}
    for f in spec["fits"]:
        r = f["response"]
        for col in (r.values() if isinstance(r, dict) else [r]):
            mapping[col] = "y_" + col
    data = data.rename(columns=mapping).sample(frac=1.0, random_state=3).reset_index(drop=True)
    spec["dose"] = mapping[spec["dose"]]
    for f in spec["fits"]:
        if isinstance(f["response"], dict):
            f["response"] = {k: mapping[v] for k, v in f["response"].items()}
            if f.get("weights"):
                f["weights"] = mapping[f["weights"]]
        else:
            f["response"] = mapping[f["response"]]
        block = json_pointer(expected, f["results_at"])
        names, co, _ = _dr_coefs(block)
        full = dict(f.get("fixed") or {}, **co)
        lo, hi = sorted((full.get("c", 0.0), full["d"]))
        f["ed"] = [{"levels": [5, 20, 25, 75, 95], "type": "relative", "interval": "delta", "level": 0.9},
                   {"levels": [30], "type": "relative", "interval": "none"}]
        if f["type"] == "continuous":
            f["ed"].append({"levels": [round(lo + 0.3 * (hi - lo)), round(lo + 0.7 * (hi - lo))],
                            "type": "absolute", "interval": "delta", "level": 0.99})
        key = f["results_at"].strip("/") + "_other_ed"
        expected[key] = [_ed_from_r(block, f, req, len(data)) for req in f["ed"]]
        f["ed_results_at"] = "/" + key
    TD.test_fit_against_r(_save(tmp_path, "dose_other_ed", spec, expected, data))


def test_dose_response_rows_with_missing_values_are_not_in_r_fit(tmp_path):
    """A tray with no record (NA response) is left out by drm's na.omit: R's answer unchanged."""
    spec, expected, data = _load("dose_response_morinda_naa")
    extra = data.iloc[[0, 5]].copy()
    for col in data.columns:
        if col != spec["dose"]:
            extra[col] = np.nan
    data = pd.concat([data, extra], ignore_index=True)
    TD.test_fit_against_r(_save(tmp_path, "dose_na", spec, expected, data))


@pytest.mark.parametrize("dose_factor, resp_factor", [(1000.0, 1.0), (1.0, 4.0)])
def test_dose_response_rescaled(dose_factor, resp_factor, tmp_path):
    """Dose ×1000: e, its SE and every ED ×1000, the rest unchanged.  Continuous response ×4:
    c and d (and their SEs) ×4, RSS ×16, logLik − n·ln 4, ED unchanged (absolute levels ×4)."""
    spec, expected, data = _load("dose_response_morinda_naa")
    data[spec["dose"]] = data[spec["dose"]] * dose_factor
    n = len(data)
    fits = []
    scaled = set()
    for f in spec["fits"]:
        if resp_factor != 1.0 and f["type"] == "binomial":
            continue
        fits.append(f)
        block = json_pointer(expected, f["results_at"])
        if resp_factor != 1.0 and f["response"] not in scaled:
            data[f["response"]] = data[f["response"]] * resp_factor
            scaled.add(f["response"])
        names = [c["parameter"].split(":")[0] for c in block["coefficients"]]
        s = np.array([dose_factor if p == "e" else resp_factor if p in ("c", "d") else 1.0 for p in names])
        for c, k in zip(block["coefficients"], s):
            c["estimate"] *= k
            c["std_error"] *= k
        block["vcov"] = (np.asarray(block["vcov"]) * np.outer(s, s)).tolist()
        if resp_factor != 1.0:
            block["logLik"] -= n * math.log(resp_factor)
            block["AIC"] += 2 * n * math.log(resp_factor)
            block["residual_standard_error"] *= resp_factor
            block["residual_sum_of_squares"] *= resp_factor ** 2
            for req in f.get("ed", []):
                if req.get("type") == "absolute":
                    req["levels"] = [lv * resp_factor for lv in req["levels"]]
        for req, ed in zip(f.get("ed", []), json_pointer(expected, f["ed_results_at"])):
            for row, lv in zip(ed["table"], req["levels"]):
                row["label"] = f"e:1:{lv:g}"
                for k in ("Estimate", "Std. Error", "Lower", "Upper"):
                    if k in row:
                        row[k] *= dose_factor
        pred = block.get("predicted")
        if pred:
            pred["dose"] = [x * dose_factor for x in pred["dose"]]
            pred["fitted"] = [y * resp_factor for y in pred["fitted"]]
        if f.get("lack_of_fit_at"):
            for row in json_pointer(expected, f["lack_of_fit_at"])["table"]:
                row["RSS"] *= resp_factor ** 2
    spec["fits"] = fits
    TD.test_fit_against_r(_save(tmp_path, f"dose_x{dose_factor:g}_y{resp_factor:g}", spec, expected, data))


# ------------------------------------------------------------------------------------------
# letters


def test_letters_relabelled_and_rows_reversed(tmp_path):
    """Other treatment names (same code-point order) and each matrix's rows in reverse order."""
    spec, expected, data = _load("letters_from_pvalues")
    trt, prefix = spec["treatment"], spec["p_column_prefix"]
    labels = _order_keeping_labels(data[trt].unique(), "G")
    data[trt] = data[trt].map(labels)
    data = data.rename(columns={f"{prefix}{old}": f"{prefix}{new}" for old, new in labels.items()})
    data = data.iloc[::-1].reset_index(drop=True)
    for m in json_pointer(expected, spec["results_at"]):
        for g in m["groups"]:
            g["trt"] = labels[g["trt"]]
    TL.test_letters_from_pvalues_against_r(_save(tmp_path, "letters_variant", spec, expected, data))


def test_letters_subset_of_matrices(tmp_path):
    """A letters file with fewer matrices than the shipped one."""
    spec, expected, data = _load("letters_from_pvalues")
    keep = sorted(data[spec["matrix"]].unique())[::4]
    data = data[data[spec["matrix"]].isin(keep)]
    res = json_pointer(expected, spec["results_at"])
    res[:] = [m for m in res if m["matrix"] in keep]
    TL.test_letters_from_pvalues_against_r(_save(tmp_path, "letters_subset", spec, expected, data))


# ------------------------------------------------------------------------------------------
# robustness beyond the shipped layouts, against independent computations


def _sm_type1(formula, data):
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm
    return anova_lm(smf.ols(formula, data=data).fit(), typ=1)


def _compare_type1(fit, ref, names):
    got = fit.table
    assert list(got.index) == names + ["residuals"]
    np.testing.assert_allclose(got["df"].to_numpy(float), ref["df"].to_numpy(), rtol=0, atol=0)
    np.testing.assert_allclose(got["ss"].to_numpy(), ref["sum_sq"].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(got["p"].to_numpy()[:-1], ref["PR(>F)"].to_numpy()[:-1], rtol=1e-7)
    assert fit.mse == pytest.approx(ref["mean_sq"].iloc[-1], rel=1e-10)


def _factorial_data(seed, levels=(3, 4), reps=4, blocks=None, missing=()):
    rng = np.random.default_rng(seed)
    names = "abc"
    grid = pd.MultiIndex.from_product([[f"{names[i]}{j}" for j in range(n)] for i, n in enumerate(levels)]
                                      + [range(reps)], names=[*names[:len(levels)], "rep"]).to_frame(index=False)
    if blocks:
        grid["blk"] = "B" + (grid["rep"] % blocks).astype(str)
    eff = sum(grid[c].str[1:].astype(int) * (i + 1.3) for i, c in enumerate(names[:len(levels)]))
    grid["y"] = 20 + eff + rng.normal(0, 1.5, len(grid))
    grid.loc[list(missing), "y"] = np.nan
    return grid


def test_unbalanced_factorial_crd_with_missing_values_is_type1_like_r():
    from genelab.trials import anova
    d = _factorial_data(1, missing=(0, 5, 6, 17, 30, 31, 40))
    fit = anova(d, "y", design="factorial_crd", factors=["a", "b"])
    _compare_type1(fit, _sm_type1("y ~ C(a) * C(b)", d.dropna()), ["a", "b", "a:b"])
    rev = anova(d, "y", design="factorial_crd", factors=["b", "a"])          # order matters now
    _compare_type1(rev, _sm_type1("y ~ C(b) * C(a)", d.dropna()), ["b", "a", "b:a"])
    assert rev.table.loc["a", "ss"] != pytest.approx(fit.table.loc["a", "ss"], rel=1e-6)


def test_unbalanced_factorial_rcbd_and_three_factors_are_type1_like_r():
    from genelab.trials import anova
    d = _factorial_data(2, levels=(2, 3), reps=4, blocks=4, missing=(3, 9, 14))
    fit = anova(d, "y", design="factorial_rcbd", factors=["a", "b"], block="blk")
    _compare_type1(fit, _sm_type1("y ~ C(blk) + C(a) * C(b)", d.dropna()), ["blk", "a", "b", "a:b"])
    d3 = _factorial_data(3, levels=(2, 3, 2), reps=3, missing=(1, 12, 25))
    fit3 = anova(d3, "y", design="factorial_crd", factors=["a", "b", "c"])
    _compare_type1(fit3, _sm_type1("y ~ C(a) * C(b) * C(c)", d3.dropna()),
                   ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"])


def test_three_factor_comparisons_use_the_full_model_error():
    """Means of a factor and of three-way combinations: raw means, pooled SE from the full
    model's residual, LSD p-values by hand."""
    from genelab.trials import anova, compare_means
    d = _factorial_data(4, levels=(2, 3, 2), reps=3)
    fit = anova(d, "y", design="factorial_crd", factors=["a", "b", "c"])
    for term in ("b", "a:c", "a:b:c"):
        res = compare_means(fit, "lsd", term=term)
        cols = term.split(":")
        lab = d[cols].astype(str).agg(":".join, axis=1)
        raw = d.groupby(lab)["y"].agg(["mean", "count"])
        np.testing.assert_allclose(res.table.loc[raw.index, "mean"], raw["mean"], rtol=1e-12)
        assert res.statistics["mse"] == pytest.approx(fit.mse) and res.statistics["df"] == fit.df_error
        pw = res.pairwise.iloc[0]
        se = math.sqrt(fit.mse * (1 / raw.loc[pw.level_a, "count"] + 1 / raw.loc[pw.level_b, "count"]))
        p = 2 * stats.t.sf(abs(raw.loc[pw.level_a, "mean"] - raw.loc[pw.level_b, "mean"]) / se, fit.df_error)
        assert pw.p_exact == pytest.approx(p, rel=1e-9)


def test_split_plot_with_five_blocks_matches_the_stratified_model():
    """Ea = block:main, Eb = the rest, by statsmodels on the equivalent sequential model."""
    from genelab.trials import anova, compare_means
    rng = np.random.default_rng(6)
    d = pd.MultiIndex.from_product([[f"R{i}" for i in range(5)], ["m1", "m2", "m3"], ["s1", "s2", "s3", "s4"]],
                                   names=["rep", "irrigation", "cultivar"]).to_frame(index=False)
    plot = {k: rng.normal(0, 1.0) for k in pd.MultiIndex.from_frame(d[["rep", "irrigation"]]).unique()}
    d["y"] = (30 + d["irrigation"].str[1].astype(int) * 2 + d["cultivar"].str[1].astype(int)
              + [plot[(r, m)] for r, m in zip(d["rep"], d["irrigation"])] + rng.normal(0, 0.5, len(d)))
    fit = anova(d, "y", design="split_plot", block="rep", main="irrigation", sub="cultivar")
    ref = _sm_type1("y ~ C(rep) + C(irrigation) + C(rep):C(irrigation) + C(cultivar) + "
                    "C(irrigation):C(cultivar)", d)
    ref = ref.rename(index=lambda s: s.replace("C(", "").replace(")", "")).rename(
        index={"rep:irrigation": "error(a)", "Residual": "error(b)"}).loc[list(fit.table.index)]
    ss = ref["sum_sq"].to_numpy()                 # balanced: the order of the terms is immaterial
    np.testing.assert_allclose(fit.table["ss"].to_numpy(), ss, rtol=1e-9)
    assert fit.error_a == (8, pytest.approx(ref["mean_sq"].iloc[2], rel=1e-10))
    assert fit.error_b == (36, pytest.approx(ref["mean_sq"].iloc[-1], rel=1e-10))
    assert fit.table.loc["irrigation", "f"] == pytest.approx(ref["mean_sq"].iloc[1] / ref["mean_sq"].iloc[2])
    assert fit.table.loc["rep", "f"] == pytest.approx(ref["mean_sq"].iloc[0] / ref["mean_sq"].iloc[-1])
    main = compare_means(fit, "tukey", term="irrigation")
    assert main.statistics["mse"] == fit.error_a[1] and main.statistics["df"] == 8
    assert main.table["se"].iloc[0] == pytest.approx(math.sqrt(fit.error_a[1] / 20))
    sub = compare_means(fit, "duncan", term="cultivar")
    assert sub.statistics["df"] == 36 and sub.table["se"].iloc[0] == pytest.approx(math.sqrt(fit.error_b[1] / 15))


def test_rcbd_with_missing_response_and_other_names():
    from genelab.trials import anova, compare_means
    d = _factorial_data(7, levels=(5,), reps=4, blocks=4, missing=(2, 13))
    d = d.rename(columns={"a": "giong", "blk": "lap", "y": "nang_suat"})
    fit = anova(d, "nang_suat", design="rcbd", treatment="giong", block="lap")
    _compare_type1(fit, _sm_type1("nang_suat ~ C(lap) + C(giong)", d.dropna()), ["lap", "giong"])
    res = compare_means(fit, "lsd")
    n = d.dropna().groupby("giong").size()
    np.testing.assert_array_equal(res.table.loc[n.index, "n"], n)
    assert "lsd" not in res.statistics                   # unequal r: no single LSD, as agricolae


def _kruskal_by_hand(y, g, alpha, m=1):
    ranks = stats.rankdata(y)
    n_tot, k = len(y), len(np.unique(g))
    s2 = (np.sum(ranks ** 2) - n_tot * (n_tot + 1) ** 2 / 4) / (n_tot - 1)
    labs = sorted(np.unique(g))
    R = np.array([ranks[g == lv].sum() for lv in labs])
    n = np.array([(g == lv).sum() for lv in labs])
    h = (np.sum(R ** 2 / n) - n_tot * (n_tot + 1) ** 2 / 4) / s2
    mse = s2 * (n_tot - 1 - h) / (n_tot - k)
    mr = R / n
    out = {}
    for i in range(k):
        for j in range(i + 1, k):
            se = math.sqrt(mse * (1 / n[i] + 1 / n[j]))
            out[f"{labs[i]} - {labs[j]}"] = min(1.0, m * 2 * stats.t.sf(abs(mr[i] - mr[j]) / se, n_tot - k))
    return h, out


@pytest.mark.parametrize("p_adjust", [None, "bonferroni"])
def test_kruskal_unequal_n_with_ties_by_hand(p_adjust):
    from genelab.trials.nonparametric import kruskal
    g = np.array(["A"] * 4 + ["B"] * 6 + ["C"] * 3 + ["D"] * 5)
    y = np.array([3, 4, 4, 5, 6, 6, 7, 4, 8, 6, 2, 3, 3, 9, 8, 8, 7, 6], dtype=float)
    d = pd.DataFrame({"nghiem_thuc": g, "diem": y})
    res = kruskal(d, "diem", "nghiem_thuc", alpha=0.05, p_adjust=p_adjust)
    h, pairs = _kruskal_by_hand(y, g, 0.05, m=6 if p_adjust else 1)
    assert res.statistics["chisq"] == pytest.approx(stats.kruskal(*[y[g == v] for v in "ABCD"]).statistic)
    assert res.statistics["chisq"] == pytest.approx(h, rel=1e-12)
    pw = res.pairwise.set_index("pair")
    for pair, p in pairs.items():
        assert pw.loc[pair, "p_exact"] == pytest.approx(p, rel=1e-9)
        assert pw.loc[pair, "p_value"] == round(p, 4)
    stat = res.table["rank_mean"]
    names, letters = _readme_letters(sorted(stat.index), [stat[t] for t in sorted(stat.index)],
                                     [[1.0 if a == b else round(pairs.get(f"{a} - {b}", pairs.get(f"{b} - {a}")), 4)
                                       for b in sorted(stat.index)] for a in sorted(stat.index)], 0.05)
    assert list(res.table.index) == names and list(res.table["group"]) == letters


def test_friedman_with_ties_within_blocks_agrees_with_scipy_and_hand():
    from genelab.trials.nonparametric import friedman
    wide = np.array([[5, 5, 6, 7, 5], [4, 6, 6, 8, 5], [5, 5, 5, 7, 6], [6, 6, 7, 7, 4]], dtype=float)
    b, k = wide.shape
    labs = ["V1", "V2", "V3", "V4", "V5"]
    d = pd.DataFrame([(f"K{i}", labs[j], wide[i, j]) for i in range(b) for j in range(k)],
                     columns=["khoi", "giong", "y"]).sample(frac=1.0, random_state=2)
    res = friedman(d, "y", "giong", "khoi")
    sp = stats.friedmanchisquare(*wide.T)
    assert res.statistics["chisq"] == pytest.approx(sp.statistic, rel=1e-12)
    assert res.statistics["p_value"] == pytest.approx(sp.pvalue, rel=1e-10)
    ranks = np.vstack([stats.rankdata(r) for r in wide])
    R = ranks.sum(axis=0)
    A = (ranks ** 2).sum()
    dfe = (b - 1) * (k - 1)
    se = math.sqrt(2 * (b * A - (R ** 2).sum()) / dfe)
    assert res.statistics["lsd"] == pytest.approx(stats.t.ppf(0.975, dfe) * se, rel=1e-10)
    np.testing.assert_allclose(res.table.loc[labs, "rank_sum"], R)
    pw = res.pairwise.set_index("pair")
    p = 2 * stats.t.sf(abs(R[0] - R[3]) / se, dfe)
    assert pw.loc["V1 - V4", "p_value"] == round(p, 4)


def test_germination_irregular_days_and_zero_germination_by_hand():
    from genelab.germination import indices
    days = np.array([2, 3, 5, 8, 12, 13, 20])
    new = np.array([0, 3, 5, 0, 4, 1, 2])
    d = pd.concat([pd.DataFrame({"dia": "D1", "ngay": days, "gieo": 30, "moi": new}),
                   pd.DataFrame({"dia": "D0", "ngay": days, "gieo": 30, "moi": 0})])
    out = indices(d, unit="dia", time="ngay", count="moi", sown="gieo").set_index("dia")
    r = out.loc["D1"]
    N = new.sum()
    mgt = (new * days).sum() / N
    assert r["germ_percent"] == pytest.approx(100 * N / 30)
    assert r["mean_germ_time"] == pytest.approx(mgt)
    assert r["var_germ_time"] == pytest.approx((new * (days - mgt) ** 2).sum() / (N - 1))
    assert r["germ_speed_count"] == pytest.approx((new / days).sum())
    assert r["first_germ_time"] == 3 and r["last_germ_time"] == 20
    C = np.cumsum(new)
    # Coolbear T = 8 is hit exactly on day 5 and the plateau runs to day 8: the README's rule
    # interpolates from C = 3 (day 3) to C = 12 (day 12) -> 8; Farooq T = 7.5: day 3 -> day 5
    assert r["t50_coolbear"] == pytest.approx(3 + (8 - 3) * (12 - 3) / (12 - 3))
    assert r["t50_farooq"] == pytest.approx(3 + (7.5 - 3) * (5 - 3) / (8 - 3))
    assert r["peak_value"] == pytest.approx(np.max(100 * C / 30 / days))
    z = out.loc["D0"]
    assert z["germ_percent"] == 0 and np.isnan(z["mean_germ_time"]) and z["germ_uncertainty"] == 0
    assert np.isnan(z["t50_coolbear"]) and z["germ_value_dp"] == -np.inf


def test_binomial_ll2_equals_logistic_regression_on_log_dose():
    """LL.2 binomial, f = 1/(1 + exp(b(ln x − ln e))), is a logit GLM on ln dose: slope −b and
    intercept b·ln e (statsmodels), with the same likelihood; SEs by the delta method."""
    import statsmodels.api as sm
    from genelab.doseresponse import fit
    rng = np.random.default_rng(8)
    dose = np.repeat([12.5, 25, 50, 100, 200, 400, 800], 3)
    n = np.full(dose.size, 40)
    p = 1 / (1 + np.exp(-1.4 * (np.log(dose) - np.log(110))))
    s = rng.binomial(n, p)
    d = pd.DataFrame({"ppm": dose, "ra_re": s, "tong": n})
    m = fit(d, "ppm", "ra_re", weights="tong", kind="binomial", model="LL.2")
    glm = sm.GLM(np.column_stack([s, n - s]), sm.add_constant(np.log(dose)), family=sm.families.Binomial()).fit()
    est = m.params.set_index("parameter")
    b, e = -glm.params[1], math.exp(glm.params[0] / -glm.params[1])
    assert est.loc["b", "estimate"] == pytest.approx(b, rel=1e-5)
    assert est.loc["e", "estimate"] == pytest.approx(e, rel=1e-5)
    assert est.loc["b", "se"] == pytest.approx(glm.bse[1], rel=1e-4)
    # e = exp(-a/s) with a intercept, s slope: gradient (−e/s, e·a/s²)
    a_, s_ = glm.params
    g = np.array([-e / s_, e * a_ / s_ ** 2])
    assert est.loc["e", "se"] == pytest.approx(math.sqrt(g @ glm.cov_params() @ g), rel=1e-4)
    from scipy.special import gammaln
    const = np.sum(gammaln(n + 1) - gammaln(s + 1) - gammaln(n - s + 1))
    assert m.loglik == pytest.approx(glm.llf, rel=1e-8) or m.loglik == pytest.approx(glm.llf + const, rel=1e-8)
    ed = m.ed([50], interval="delta")
    assert ed["ci_low"].iloc[0] == pytest.approx(e - stats.norm.ppf(0.975) * est.loc["e", "se"], rel=1e-6)


def test_falling_ll3_and_fixed_c_ll4_agree_with_least_squares():
    """A falling curve (b > 0) fitted with LL.3 and with LL.4 fixing c = 0: one model, and
    scipy's least squares finds the same optimum."""
    from scipy.optimize import least_squares
    from genelab.doseresponse import fit
    rng = np.random.default_rng(9)
    dose = np.repeat([0, 50, 100, 200, 400, 800, 1600, 3200], 3).astype(float)
    true = 90 / (1 + np.exp(1.3 * (np.log(np.where(dose > 0, dose, 1e-300)) - np.log(500))))
    d = pd.DataFrame({"x": dose, "song": true + rng.normal(0, 3, dose.size)})
    m3 = fit(d, "x", "song", model="LL.3")
    m4 = fit(d, "x", "song", model="LL.4", fixed={"c": 0})
    pd.testing.assert_frame_equal(m3.params, m4.params, rtol=1e-6)
    est = m3.params.set_index("parameter")["estimate"]
    assert est["b"] > 0

    def resid(t):
        b, dd, e = t
        with np.errstate(divide="ignore"):
            f = dd / (1 + np.exp(b * (np.log(dose) - np.log(e))))
        return f - d["song"].to_numpy()
    ls = least_squares(resid, [1.0, 80.0, 400.0], xtol=1e-14, ftol=1e-14, gtol=1e-14)
    np.testing.assert_allclose(est[["b", "d", "e"]].to_numpy(), ls.x, rtol=1e-5)
    assert m3.rss == pytest.approx(float(np.sum(ls.fun ** 2)), rel=1e-9)
    ed = m3.ed([10, 50, 90], interval="none")["estimate"].to_numpy()
    want = ls.x[2] * (np.array([10, 50, 90]) / (100 - np.array([10, 50, 90]))) ** (1 / ls.x[0])
    np.testing.assert_allclose(ed, want, rtol=1e-5)


def _swap_factors(spec, expected):
    """A balanced two-factor factorial with its factors given in the other order: the ANOVA rows
    of the two factors trade places (orthogonal), the interaction is ``b:a``, the combinations are
    labelled ``b:a`` and sorted as such; pairs are re-oriented (earlier label first), groups
    re-ordered with ties in the new label order, letters recomputed from R's rounded p-values."""
    a, b = spec["factors"]
    spec["factors"] = [b, a]
    terms = spec["model"]["terms"]
    ia, ib, iab = terms.index(a), terms.index(b), terms.index(f"{a}:{b}")
    terms[ia], terms[ib], terms[iab] = b, a, f"{b}:{a}"
    rows = json_pointer(expected, spec["model"]["results_at"])["anova"]
    rows[ia], rows[ib] = rows[ib], rows[ia]
    rows[iab]["source"] = f"{b}:{a}"

    def flip(label):
        x, y = label.split(":")
        return f"{y}:{x}"

    for comp in spec["comparisons"]:
        if len(comp["treatment"]) != 2:
            continue
        comp["treatment"] = comp["treatment"][::-1]
        for test in comp["tests"]:
            block = json_pointer(expected, comp["results_at"])[comp.get("key_prefix", "") + test]
            old_labels = [m["trt"] for m in block["means"]]
            old_stat = {m["trt"]: m["mean"] for m in block["means"]}
            for m in block["means"]:
                m["trt"] = flip(m["trt"])
            block["means"].sort(key=lambda m: m["trt"])
            new_labels = [m["trt"] for m in block["means"]]
            pos = {t: i for i, t in enumerate(new_labels)}
            if test in ("duncan", "SNK"):      # spans must not depend on the tie order
                dec_old = sorted(old_labels, key=lambda t: (-old_stat[t], old_labels.index(t)))
                dec_new = sorted(new_labels, key=lambda t: (-old_stat[flip(t)], pos[t]))
                assert [flip(t) for t in dec_old] == dec_new, "tied combinations reorder: spans change"
            for r in block["pairwise"]:
                x, y = (flip(t) for t in r["pair"].split(" - "))
                if pos[x] > pos[y]:
                    key = "difference" if "difference" in r else "Difference"
                    x, y = y, x
                    r[key] = -r[key]
                    r["LCL"], r["UCL"] = -r["UCL"], -r["LCL"]
                r["pair"] = f"{x} - {y}"
            block["pairwise"].sort(key=lambda r: tuple(pos[t] for t in r["pair"].split(" - ")))
            names, letters = _letters_of(block, test, spec["alpha"])
            stat = {m["trt"]: m["mean"] for m in block["means"]}
            block["groups"] = [{"trt": t, "mean": stat[t], "groups": g} for t, g in zip(names, letters)]
    return spec, expected


@pytest.mark.parametrize("name", ["factorial_crd_bap_naa_tissue", "factorial_rcbd_canarium_family_substrate"])
def test_factorial_with_factors_in_the_other_order(name, tmp_path):
    spec, expected, data = _load(name)
    spec, expected = _swap_factors(spec, expected)
    run_field_case(_save(tmp_path, name + "_swapped", spec, expected, data))


def test_float_levels_are_labelled_as_r_prints_them():
    """Pair labels of a numeric (float) treatment read "1 - 2", as R's as.character, in every
    comparison (compare_means, kruskal), so R's pairwise tables can be matched."""
    from genelab.trials import anova, compare_means
    from genelab.trials.nonparametric import kruskal
    d = pd.DataFrame({"dose": [1.0, 1.0, 2.0, 2.0, 0.5, 0.5], "y": [1, 2.5, 3, 4, 5, 6.5]})
    want = ["0.5 - 1", "0.5 - 2", "1 - 2"]
    assert list(kruskal(d, "y", "dose").pairwise["pair"]) == want
    assert list(compare_means(anova(d, "y", design="crd", treatment="dose"), "lsd").pairwise["pair"]) == want


def test_friedman_with_replicated_cells_follows_agricolae():
    """Several plots per block × treatment cell (a factor of a factorial RCBD): the cell means are
    ranked (scipy on the mean matrix), and agricolae's F test takes (k−1)(r−1) df with r the
    observations per treatment (friedman.R, agricolae 1.3-7); one plot per cell gives (k−1)(b−1)."""
    from genelab.trials.nonparametric import friedman
    d = _factorial_data(12, levels=(3, 2), reps=4, blocks=4)          # 4 blocks, 2 plots per cell
    res = friedman(d, "y", "a", "blk")
    cell = d.groupby(["blk", "a"])["y"].mean().unstack()
    sp = stats.friedmanchisquare(*cell.to_numpy().T)
    assert res.statistics["chisq"] == pytest.approx(sp.statistic, rel=1e-12)
    k, b, r = 3, 4, 8
    f = (b - 1) * sp.statistic / (b * (k - 1) - sp.statistic)
    assert res.statistics["f"] == pytest.approx(f, rel=1e-12)
    assert res.statistics["df_error"] == (b - 1) * (k - 1)
    assert res.statistics["p_value_f"] == pytest.approx(stats.f.sf(f, k - 1, (k - 1) * (r - 1)), rel=1e-12)
    single = friedman(d[d["b"] == "b0"], "y", "a", "blk")
    assert single.statistics["p_value_f"] == pytest.approx(
        stats.f.sf(single.statistics["f"], k - 1, (k - 1) * (b - 1)), rel=1e-12)


def test_ll3_stated_as_ll4_with_fixed_c(tmp_path):
    """drc's LL.3() is LL.4(fixed = c(NA, 0, NA, NA)): a spec may state it either way."""
    spec, expected, data = _load("dose_response_morinda_naa")
    fits = [f for f in spec["fits"] if f["model"] == "LL.3"]
    assert fits
    for f in fits:
        f["model"] = "LL.4"
        f["fixed"] = {"c": 0}
    spec["fits"] = fits
    TD.test_fit_against_r(_save(tmp_path, "dose_ll4_fixed_c", spec, expected, data))


# ------------------------------------------------------------------------------------------
# negative controls: the drivers do fail on a wrong expectation


@pytest.mark.parametrize("corrupt", ["letter", "lsd", "group_order", "anova_ss", "n_per_treatment"])
def test_drivers_fail_on_a_corrupted_expectation(corrupt, tmp_path):
    spec, expected, data = _load("crd_unbalanced_chicken_diet")
    block = json_pointer(expected, spec["comparisons"][0]["results_at"])
    if corrupt == "letter":
        block["SNK"]["groups"][-1]["groups"] += "z"
    elif corrupt == "lsd":                      # scaled data, unscaled LSD table
        spec, expected, data = _affine_case(spec, expected, data, 4.0, 0.0)
        for r in json_pointer(expected, spec["comparisons"][0]["results_at"])["LSD_none"]["pairwise"]:
            r["LCL"] /= 4
    elif corrupt == "group_order":
        g = block["duncan"]["groups"]
        g[0], g[1] = g[1], g[0]
    elif corrupt == "anova_ss":
        json_pointer(expected, spec["model"]["results_at"])["anova"][0]["ss"] *= 1 + 1e-7
    else:
        n = json_pointer(expected, spec["n_per_treatment"])
        n[next(iter(n))] += 1
    with pytest.raises(AssertionError):
        run_field_case(_save(tmp_path, f"corrupt_{corrupt}", spec, expected, data))


def test_dose_driver_fails_on_a_wrong_ed_level(tmp_path):
    spec, expected, data = _load("dose_response_morinda_naa")
    spec["fits"] = spec["fits"][:1]
    spec["fits"][0]["ed"][0]["levels"] = [10, 50, 80]       # R answered 10, 50, 90
    with pytest.raises(AssertionError):
        TD.test_fit_against_r(_save(tmp_path, "dose_wrong_ed", spec, expected, data))
