"""A short conclusion written from a report's numbers (no free text is invented).

Examples
--------
>>> print(conclusion_text({"name": "Hồi", "status": "conserved", "rank": 3, "of": 65,
...                        "score": 0.71, "trials": []}, lang="en"))
Hồi is conserved. Its value score is 0.710, rank 3 of 65 (top 10).
>>> conclusion_text({"name": "Hồi", "rank": 3, "of": 65, "score": 0.71}, lang="vi")
'Hồi: điểm giá trị 0,710, xếp thứ 3/65 (nhóm 10 nguồn gen ưu tiên nhất).'
"""
from __future__ import annotations

__all__ = ["conclusion_text"]


def _num(x, lang, digits=3):
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "vi" else text


def conclusion_text(facts: dict, *, lang: str = "vi") -> str:
    """Sentences stating the source's status, rank, best propagation treatments, viability
    alerts and model economics — only the facts present are mentioned."""
    from genelab.i18n import label

    vi = lang == "vi"
    name = facts.get("name") or facts.get("id") or ""
    out = []
    status = facts.get("status")
    if status:
        st = label(f"rp_status_{status}", lang)
        out.append(f"{name} is {st}." if not vi else f"{name}: tình trạng {st}.")
    rank, of, score = facts.get("rank"), facts.get("of"), facts.get("score")
    if rank is not None and score is not None:
        top = rank <= 10
        if vi:
            s = f"điểm giá trị {_num(score, lang)}, xếp thứ {rank}/{of}"
            s += " (nhóm 10 nguồn gen ưu tiên nhất)." if top else "."
            out.append((f"{name}: " + s) if not out else s[0].upper() + s[1:])
        else:
            s = f"Its value score is {_num(score, lang)}, rank {rank} of {of}"
            out.append(s + (" (top 10)." if top else "."))
        p = facts.get("p_top10")
        if p is not None:
            out.append(f"Xác suất thuộc nhóm 10 đầu khi trọng số thay đổi: {_num(100 * p, lang, 0)} %."
                       if vi else f"Probability of staying in the top 10 as weights vary: "
                       f"{_num(100 * p, lang, 0)} %.")
    for trial in facts.get("trials") or []:
        for response, r in (trial.get("responses") or {}).items():
            if r.get("best") is None:
                continue
            sig = r.get("p_value")
            sig_text = ""
            if sig is not None:
                sig_text = (" (khác biệt có ý nghĩa, p = " if vi else " (significant, p = ") \
                    if sig < 0.05 else (" (khác biệt không có ý nghĩa, p = " if vi else
                                        " (not significant, p = ")
                sig_text += _num(sig, lang, 4) + ")"
            out.append(f"Thí nghiệm {trial['trial_id']}: công thức tốt nhất về {response} là "
                       f"{r['best']} ({_num(r['best_mean'], lang, 2)}){sig_text}." if vi else
                       f"Trial {trial['trial_id']}: the best treatment for {response} is {r['best']} "
                       f"({_num(r['best_mean'], lang, 2)}){sig_text}.")
    alerts = facts.get("viability_alerts")
    if alerts:
        out.append(f"{alerts} cảnh báo về sức sống lô hạt cần tái sinh." if vi else
                   f"{alerts} seed-lot viability alert(s) call for regeneration.")
    bcr = facts.get("bcr", facts.get("benefit_cost_ratio"))
    if bcr is not None:
        out.append(f"Mô hình trình diễn: tỷ suất lợi ích/chi phí trung bình {_num(bcr, lang, 2)}." if vi
                   else f"Demonstration models: mean benefit-cost ratio {_num(bcr, lang, 2)}.")
    if not out:
        return "Chưa đủ số liệu để kết luận." if vi else "Not enough data for a conclusion yet."
    return " ".join(out)
