"""``index.html``: every report with its status, score, rank and build time.

Built from the JSON summaries beside the reports (never from the notebooks), with the
standard library only, so it is cheap to rewrite after every batch.
"""
from __future__ import annotations

import html
from pathlib import Path

from genelab.reports.cache import atomic_write_text, read_json
from genelab.reports.html import CSS_NAME, write_stylesheet

__all__ = ["write_index", "collect_summaries"]


def collect_summaries(out) -> dict:
    """Summaries of every built report and failure records, keyed by report id.

    Returns ``{"reports": {id: summary}, "failed": {id: record}}``.
    """
    out = Path(out)
    reports = {p.stem: read_json(p, {}) or {} for p in sorted((out / "reports").glob("*.json"))}
    failed = {p.stem: read_json(p, {}) or {} for p in sorted((out / "failed").glob("*.json"))}
    return {"reports": reports, "failed": failed}


def _fmt(value, digits=3) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def write_index(out, *, plan: dict, lang: str = "vi", stale=(), title: str | None = None) -> Path:
    """Write ``out/index.html`` (and the shared stylesheet); return its path.

    Only rewritten when its text changes, so a no-op batch leaves it untouched.
    """
    from genelab.i18n import label

    out = Path(out)
    found = collect_summaries(out)
    reports, failed = found["reports"], found["failed"]
    stale = set(stale)
    write_stylesheet(out / "reports")
    L = lambda key: html.escape(label(key, lang))  # noqa: E731

    def row(rid: str, kind: str) -> str:
        doc = reports.get(rid, {})
        build = doc.get("build") or {}
        if rid in failed:
            state = f'<span class="genelab-failed">{L("rp_failed")}</span>'
            cell = failed[rid].get("cell")
            state += html.escape(f" ({failed[rid].get('ename', '')}, cell {cell})")
        elif rid in stale:
            state = f'<span class="genelab-stale">{L("rp_stale")}</span>'
        elif doc:
            state = L("rp_ok")
        else:
            state = L("rp_missing")
        name = html.escape(plan.get("titles", {}).get(rid, rid))
        link = (f'<a href="reports/{html.escape(rid)}.html">{name}</a>' if doc else name)
        status = doc.get("status") or plan.get("status", {}).get(rid, "")
        status_text = html.escape(label(f"rp_status_{status}", lang)) if status and \
            f"rp_status_{status}" in _status_keys() else html.escape(str(status or "–"))
        return (f"<tr><td>{html.escape(rid)}</td><td>{link}</td><td>{status_text}</td>"
                f"<td>{_fmt(doc.get('score'))}</td><td>{_fmt(doc.get('rank'))}</td>"
                f"<td>{state}</td><td>{html.escape(str(build.get('built_at', '–')))}</td>"
                f"<td>{_fmt(build.get('seconds'), 2)}</td></tr>")

    head = (f"<tr><th>ID</th><th>{L('rp_report')}</th><th>{L('rp_status')}</th>"
            f"<th>{L('rp_score')}</th><th>{L('rp_rank')}</th><th>{L('rp_build')}</th>"
            f"<th>{L('rp_built_at')}</th><th>{L('rp_seconds')}</th></tr>")
    sections = [
        ("overview", [("overview", "overview")]),
        ("rp_sources", [(s, "source") for s in plan.get("sources", [])]),
        ("rp_trials", [(t, "trial") for t in plan.get("trials", [])]),
    ]
    body = []
    for key, rows in sections:
        if not rows:
            continue
        heading = L("rp_overview") if key == "overview" else L(key)
        body.append(f"<h2>{heading}</h2>")
        body.append(f'<table class="genelab-index"><thead>{head}</thead><tbody>')
        body.extend(row(rid, kind) for rid, kind in rows)
        body.append("</tbody></table>")
    page_title = html.escape(title or label("rp_index", lang))
    text = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f"<title>{page_title}</title>\n"
            f'<link rel="stylesheet" href="reports/{CSS_NAME}">\n</head>\n'
            f'<body class="jp-Notebook genelab-report">\n<main class="jp-RenderedHTMLCommon">\n'
            f"<h1>{page_title}</h1>\n"
            f"<p>{L('rp_index_counts')}: {len(reports)} · {L('rp_failed')}: {len(failed)}"
            f" · {L('rp_stale')}: {len(stale)}</p>\n" + "\n".join(body) +
            "\n</main>\n</body>\n</html>\n")
    path = out / "index.html"
    try:
        if path.read_text(encoding="utf-8") == text:
            return path
    except OSError:
        pass
    return atomic_write_text(path, text)


def _status_keys():
    from genelab.i18n import LABELS

    return LABELS
