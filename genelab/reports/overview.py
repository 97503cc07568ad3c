"""Sections of the programme overview notebook (see :mod:`genelab.reports.sections`).

Examples
--------
>>> callable(progress) and callable(report_status)
True
"""
from __future__ import annotations

from pathlib import Path

from genelab.i18n import label
from genelab.reports.sections import Section, _score, _table, available

__all__ = ["progress", "priority", "programme_map", "report_status"]


def _targets(ws) -> dict:
    cfg = getattr(ws, "config", {}) or {}
    return dict(cfg.get("targets", {})) if isinstance(cfg, dict) else {}


def progress(ws, *, lang: str = "vi") -> Section:
    """Progress against the programme's targets (genelab.toml ``[targets]``)."""
    import pandas as pd

    sec = Section(label("rp_progress", lang), lang=lang)
    t = _targets(ws)
    status = ws.sources["status"].astype(str) if "status" in ws.sources else pd.Series([], dtype=str)
    n_protocols = int(len(ws.protocols)) if getattr(ws, "protocols", None) is not None else 0
    n_models = int(len(ws.models)) if getattr(ws, "models", None) is not None else 0
    achieved = {"sources": int(len(ws.sources)), "restored": int((status == "restored").sum()),
                "protocols": n_protocols, "models": n_models}
    keys = {"sources": "rp_sources_count", "restored": "rp_restored_count",
            "protocols": "rp_protocols_count", "models": "rp_models_count"}
    rows = []
    for key, value in achieved.items():
        target = t.get(key)
        if isinstance(target, (list, tuple)):
            low = target[0]
            shown = f"{target[0]}–{target[1]}"
        else:
            low, shown = target, ("–" if target is None else f"≥ {target}" if key == "restored" else str(target))
        met = None if low is None else value >= low
        rows.append((label(keys[key], lang), shown, value,
                     "–" if met is None else label("rp_yes" if met else "rp_no", lang)))
        sec.facts[f"{key}_achieved"] = value
        sec.facts[f"{key}_target"] = target
    sec.table(pd.DataFrame(rows, columns=[label("rp_indicator", lang), label("rp_target", lang),
                                          label("rp_achieved", lang), label("rp_met", lang)]))
    counts = status.value_counts().reindex(
        ["surveyed", "collected", "conserved", "evaluated", "restored"], fill_value=0)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.barh([label(f"rp_status_{s}", lang) for s in counts.index], counts.values, color="#4c7a3d")
    for y, v in enumerate(counts.values):
        ax.annotate(str(int(v)), (v, y), xytext=(3, 0), textcoords="offset points", va="center")
    ax.set_xlabel(label("rp_by_status", lang))
    fig.tight_layout()
    sec.figure(fig)
    sec.facts["by_status"] = {k: int(v) for k, v in counts.items()}
    return sec


def priority(ws, *, lang: str = "vi", seed: int = 2021, top: int = 20) -> Section:
    """Priority ranking of every gene source, with the rank stability under weight changes."""
    sec = Section(label("rp_priority", lang), lang=lang)
    res, sens, _ = _score(ws, seed=seed)
    if res is None:
        return sec.unavailable("genelab.scoring.score")
    table = _table(res).sort_values("rank")
    shown = table.head(top)[["score", "rank"]].copy()
    if "name_vi" in ws.sources:
        names = ws.sources.set_index("source_id")["name_vi"]
        shown.insert(0, label("source", lang), names.reindex(shown.index).values)
    if sens is not None:
        st = _table(sens)
        for c in ("median_rank", "rank_low", "rank_high", "p_top"):
            if c in st.columns:
                shown[c] = st[c].reindex(shown.index).values
    sec.table(shown.reset_index())
    plots = available("plots", "score_bars")
    if plots is not None:
        sec.figure(plots.score_bars(res, lang=lang, top=top))
    if sens is not None and available("plots", "rank_stability") is not None:
        sec.figure(available("plots").rank_stability(sens, lang=lang, top=top))
    sec.facts["top"] = [str(x) for x in table.head(10).index]
    return sec


def programme_map(ws, *, lang: str = "vi") -> Section:
    """Map of every gene source's collection site, coloured by group."""
    from genelab.plots.maps import site_map

    sec = Section(label("rp_sites_map", lang), lang=lang)
    cols = [c for c in ("latitude", "longitude", "source_id", "kind") if c in ws.sources.columns]
    sites = ws.sources[cols].rename(columns={"source_id": "label", "kind": "group"})
    sec.figure(site_map(sites, lang=lang, title=label("rp_all_sources", lang)), tight=False)
    return sec


def report_status(reports, *, lang: str = "vi") -> Section:
    """Which reports failed (with the failing cell) and which are stale."""
    import pandas as pd

    from genelab.reports.cache import read_json
    from genelab.reports.index import collect_summaries

    sec = Section(label("rp_report_status", lang), lang=lang)
    if reports is None:
        sec.note(label("rp_no_data", lang))
        return sec
    found = collect_summaries(reports)
    status = read_json(Path(reports) / ".genelab" / "status.json", {}) or {}
    failed = sorted(set(status.get("failed", [])))
    stale = sorted(set(status.get("stale", [])))
    rows = []
    for rid in failed:
        rec = found["failed"].get(rid, {})
        rows.append((rid, label("rp_failed", lang), rec.get("cell"), f"{rec.get('ename', '')}: {rec.get('evalue', '')}"))
    rows += [(rid, label("rp_stale", lang), None, "") for rid in stale]
    if rows:
        sec.table(pd.DataFrame(rows, columns=["ID", label("rp_status", lang), label("rp_cell", lang),
                                              label("rp_error", lang)]))
    else:
        sec.text(f"{label('rp_failed', lang)}: {label('rp_none', lang)} · "
                 f"{label('rp_stale', lang)}: {label('rp_none', lang)}")
    sec.facts.update(failed=failed, stale=stale)
    return sec
