"""The sections of the report notebooks, as displayable objects.

Each function takes the workspace (from :func:`load`) and returns a :class:`Section`: a title,
parts (text, tables, figures) and ``facts`` (the key figures that go into the JSON summary
and the conclusion).  The notebooks only call these functions, one per cell, so they stay a
few lines long.  A section whose analysis module has not been built into genelab yet says so
(:func:`available`) instead of failing; an analysis that fails on the data raises, so the
report fails and is kept under ``failed/`` with the traceback.

Examples
--------
>>> s = Section("Demo", lang="en")
>>> s.text("Two plus two is four.").facts.update(answer=4)
>>> "Two plus two" in s._repr_html_()
True
>>> available("no_such_module", "f") is None
True
"""
from __future__ import annotations

import base64
import html
import importlib
import io
from pathlib import Path
from typing import Any

from genelab.i18n import label

__all__ = [
    "Section", "available", "load", "passport", "knowledge", "traits", "trials", "trial_header",
    "trial_analysis", "rooting", "germination", "conservation", "value", "economics", "protocols",
    "conclusion", "facts", "summary", "progress", "priority", "programme_map", "report_status",
]


# ------------------------------------------------------------------------------ building blocks
class Section:
    """A titled list of parts (markdown text, tables, figures) plus key figures (``facts``)."""

    def __init__(self, title: str, *, lang: str = "vi", level: int = 2):
        self.title = title
        self.lang = lang
        self.level = level
        self.parts: list[tuple[str, Any]] = []
        self.facts: dict[str, Any] = {}

    def text(self, markdown: str) -> "Section":
        self.parts.append(("text", markdown))
        return self

    def note(self, message: str) -> "Section":
        self.parts.append(("note", message))
        return self

    def heading(self, text: str) -> "Section":
        self.parts.append(("text", f"{'#' * (self.level + 1)} {text}"))
        return self

    def table(self, frame, caption: str | None = None) -> "Section":
        if caption:
            self.parts.append(("text", f"**{caption}**"))
        self.parts.append(("table", frame))
        return self

    def figure(self, fig) -> "Section":
        """Add a matplotlib figure (rendered, then closed)."""
        import matplotlib.pyplot as plt

        if fig is not None and not hasattr(fig, "savefig") and hasattr(fig, "figure"):
            fig = fig.figure  # an Axes
        if fig is None:
            return self
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=96, metadata={"Software": None})
        plt.close(fig)
        self.parts.append(("png", buf.getvalue()))
        return self

    def unavailable(self, module: str) -> "Section":
        return self.note(label("rp_not_available", self.lang).format(module=module))

    # -- display
    def _ipython_display_(self) -> None:
        from IPython.display import HTML, Image, Markdown, display

        display(Markdown(f"{'#' * self.level} {self.title}"))
        for kind, obj in self.parts:
            if kind == "text":
                display(Markdown(obj))
            elif kind == "note":
                display(HTML(f'<p class="genelab-note">{html.escape(obj)}</p>'))
            elif kind == "png":
                display(Image(data=obj, format="png"))
            else:
                display(_displayable(obj))

    def _repr_html_(self) -> str:
        out = [f"<h{self.level}>{html.escape(self.title)}</h{self.level}>"]
        for kind, obj in self.parts:
            if kind == "text":
                out.append(f"<p>{html.escape(obj)}</p>")
            elif kind == "note":
                out.append(f'<p class="genelab-note">{html.escape(obj)}</p>')
            elif kind == "png":
                data = base64.b64encode(obj).decode()
                out.append(f'<img src="data:image/png;base64,{data}"/>')
            else:
                shown = _displayable(obj)
                out.append(shown._repr_html_() if hasattr(shown, "_repr_html_") else html.escape(str(shown)))
        return "\n".join(out)

    def __repr__(self) -> str:
        return f"Section({self.title!r}, {len(self.parts)} parts, facts={sorted(self.facts)})"


def _displayable(obj):
    """Tables shown without the index when it is a plain range."""
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        if isinstance(obj.index, pd.RangeIndex):
            return obj.style.hide(axis="index").format(precision=3, na_rep="–")
        return obj.style.format(precision=3, na_rep="–")
    return obj


def available(module: str, *names: str):
    """The genelab submodule ``module`` if it exists and has every name, else ``None``.

    Only a missing module counts as unavailable; an error inside an existing module is raised.
    """
    try:
        mod = importlib.import_module(f"genelab.{module}")
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == f"genelab.{module}" or f"genelab.{module}".startswith(exc.name + ".")
                         or exc.name.startswith(f"genelab.{module}")):
            return None
        raise
    for name in names:
        if not hasattr(mod, name):
            return None
    return mod


def _table(obj):
    """A DataFrame from a result object (``.table``) or a DataFrame."""
    return getattr(obj, "table", obj)


# ------------------------------------------------------------------------------ workspace
_WS_MEMO: dict = {}


def load(workspace):
    """Open a workspace for a report.

    In a warm kernel many reports read the same workspace; the opened workspace is kept
    (one entry, keyed by the folder and the digest of its bytes), so it is validated once
    per kernel rather than once per report.  Treat it as read-only.
    """
    import genelab
    from genelab.reports.cache import raw_fingerprint

    path = Path(workspace).resolve()
    key = (str(path), raw_fingerprint(path))
    if key not in _WS_MEMO:
        _WS_MEMO.clear()
        _WS_MEMO[key] = genelab.open_workspace(path)
    return _WS_MEMO[key]


def _rows(frame, column: str, value):
    if frame is None or column not in getattr(frame, "columns", ()):
        return None
    return frame[frame[column].astype(str) == str(value)]


def _source_row(ws, source_id: str):
    from genelab.errors import ReportError
    from genelab.reports.ids import check_source_id

    check_source_id(source_id)
    rows = _rows(ws.sources, "source_id", source_id)
    if rows is None or rows.empty:
        raise ReportError(f"gene source {source_id} is not in the workspace")
    return rows.iloc[0]


def _val(row, key, default=None):
    try:
        v = row[key]
    except (KeyError, IndexError):
        return default
    try:
        import pandas as pd

        if pd.isna(v):
            return default
    except (TypeError, ValueError):
        pass
    return v


# ------------------------------------------------------------------------------ source report
_PASSPORT_FIELDS = ("source_id", "name_vi", "name_local", "scientific_name", "kind", "group",
                    "breeding_system", "ethnic_group", "district", "commune", "latitude",
                    "longitude", "elevation_m", "collected_on", "sampstat", "conservation",
                    "threat", "population_estimate", "status")


def passport(ws, source_id: str, *, lang: str = "vi") -> Section:
    """Passport data, programme status and a map of the collection site."""
    import pandas as pd

    from genelab.plots.maps import site_map

    row = _source_row(ws, source_id)
    name = _val(row, "name_vi", source_id)
    sec = Section(f"{source_id} — {name}", lang=lang, level=1)
    sec.text(f"*{label('rp_source_report', lang)}* · *{_val(row, 'scientific_name', '')}*")
    sec.heading(label("rp_passport", lang))
    fields = [(f, _val(row, f)) for f in _PASSPORT_FIELDS if f in row.index and _val(row, f) is not None]
    status = _val(row, "status")
    if status is not None:
        fields = [(f, label(f"rp_status_{status}", lang) if f == "status" else v) for f, v in fields]
    sec.table(pd.DataFrame(fields, columns=[label("rp_field", lang), label("value", lang)]).astype(str))
    sec.heading(label("rp_sites_map", lang))
    sites = pd.DataFrame({"latitude": [_val(row, "latitude")], "longitude": [_val(row, "longitude")],
                          "label": [source_id]}).astype({"latitude": float, "longitude": float})
    sec.figure(site_map(sites, highlight=[source_id], lang=lang,
                        title=f"{name} ({_val(row, 'district', '')})"))
    sec.facts.update(name=name, scientific_name=_val(row, "scientific_name"),
                     status=status, kind=_val(row, "kind"), group=_val(row, "group"),
                     district=_val(row, "district"), threat=_val(row, "threat"),
                     conservation=_val(row, "conservation"))
    return sec


def knowledge(ws, source_id: str, *, lang: str = "vi") -> Section:
    """Indigenous-knowledge records of the source."""
    sec = Section(label("rp_knowledge", lang), lang=lang)
    rows = _rows(getattr(ws, "knowledge", None), "source_id", source_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        sec.facts["knowledge_records"] = 0
        return sec
    cols = [c for c in ("topic", "ethnic_group", "text", "informant", "recorded_on") if c in rows.columns]
    sec.table(rows[cols].reset_index(drop=True))
    sec.facts["knowledge_records"] = int(len(rows))
    sec.facts["knowledge_topics"] = sorted(rows["topic"].astype(str).unique()) if "topic" in rows else []
    return sec


def traits(ws, source_id: str, *, lang: str = "vi") -> Section:
    """Trait evaluation: descriptive statistics of the source's observations."""
    sec = Section(label("rp_traits", lang), lang=lang)
    obs = _rows(getattr(ws, "observations", None), "source_id", source_id)
    if obs is None or obs.empty:
        sec.note(label("rp_no_data", lang))
        sec.facts["observations"] = 0
        return sec
    sec.facts.update(observations=int(len(obs)), traits=int(obs["trait"].nunique()),
                     accessions=int(obs["accession"].nunique()) if "accession" in obs else None)
    mod = available("traits", "describe")
    if mod is None:
        return sec.unavailable("genelab.traits.describe")
    described = _table(mod.describe(obs))
    sec.table(described)
    if hasattr(described, "columns") and "cv" in described.columns:
        sec.facts["max_cv"] = float(described["cv"].max())
    return sec


def _trial_rows(ws, source_id: str):
    rows = _rows(getattr(ws, "trials", None), "source_id", source_id)
    return rows if rows is not None else None


def _split(value) -> list[str]:
    if value is None:
        return []
    try:
        import pandas as pd

        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _design_kwargs(trial) -> dict:
    kw = {"design": _val(trial, "design")}
    for key in ("treatment", "block", "row", "column", "main", "sub"):
        v = _val(trial, key)
        if v is not None:
            kw[key] = str(v)
    factors = _split(_val(trial, "factors"))
    if factors:
        kw["factors"] = factors
    return kw


def _analyse_response(sec: Section, data, trial, response: str, *, alpha: float, lang: str,
                      figures: bool = True) -> dict:
    mod = available("trials", "anova", "compare_means")
    if mod is None:
        sec.unavailable("genelab.trials.anova")
        return {}
    kw = _design_kwargs(trial)
    fit = mod.anova(data, response, **kw)
    sec.table(_table(fit), caption=f"{label('rp_anova', lang)} — {response}")
    facts = {"cv": getattr(fit, "cv", None)}
    design = kw["design"]
    if design in ("crd", "rcbd", "latin"):
        cmp_ = mod.compare_means(fit, "tukey", alpha=alpha)
        mt = available("trials", "mean_table")
        shown = mt.mean_table(cmp_, lang=lang) if mt else _table(cmp_)
        sec.table(_table(shown), caption=f"{label('rp_means', lang)} (Tukey, α = {alpha:g})")
        table = _table(cmp_)
        if hasattr(table, "columns") and "mean" in table.columns and len(table):
            best = table["mean"].astype(float).idxmax()
            facts.update(best=str(best), best_mean=float(table["mean"].max()),
                         best_group=str(table.loc[best, "group"]) if "group" in table.columns else None)
        plots = available("plots")
        if figures and plots is not None and hasattr(plots, "means_with_letters"):
            sec.figure(plots.means_with_letters(cmp_))
    p_col = next((c for c in ("p", "p_value") if c in getattr(_table(fit), "columns", ())), None)
    if p_col is not None:
        tab = _table(fit)
        term = kw.get("treatment")
        if term is not None and term in tab.index:
            facts["p_value"] = float(tab.loc[term, p_col])
    return facts


def trial_analysis(ws, trial_id: str, *, alpha: float = 0.05, lang: str = "vi",
                   responses: int | None = None, level: int = 2) -> Section:
    """ANOVA, means with letters, rates and dose-response of one trial."""
    trial = _rows(ws.trials, "trial_id", trial_id).iloc[0]
    title = _val(trial, "title", trial_id)
    sec = Section(f"{label('rp_trial', lang)} {trial_id}: {title}", lang=lang, level=level)
    data = ws.trial_data(trial_id)
    sec.text(f"{label('rp_design', lang)}: **{_val(trial, 'design')}** · {label('rp_purpose', lang)}: "
             f"{_val(trial, 'purpose')} · {label('rp_plot_data', lang)}: {len(data)}")
    results = {}
    for response in _split(_val(trial, "responses"))[:responses]:
        results[response] = _analyse_response(sec, data, trial, response, alpha=alpha, lang=lang)
    counts = _split(_val(trial, "counts"))
    treatment = _val(trial, "treatment") or (_split(_val(trial, "factors")) or [None])[0]
    if counts and treatment:
        mod = available("trials", "rates")
        if mod is None:
            sec.unavailable("genelab.trials.rates")
        else:
            for pair in counts:
                succ, tot = pair.split("/")
                res = mod.rates(data, succ, tot, str(treatment), block=_val(trial, "block"))
                sec.table(_table(res), caption=f"{label('rp_rates', lang)} — {succ}/{tot}")
    dose = _val(trial, "dose")
    if dose:
        mod = available("doseresponse", "fit")
        if mod is None:
            sec.unavailable("genelab.doseresponse.fit")
        else:
            resp = (_split(_val(trial, "responses")) or [None])[0]
            fit = mod.fit(data, str(dose), resp, model="LL.4")
            sec.table(_table(getattr(fit, "params", fit)),
                      caption=f"{label('rp_doseresponse', lang)} — LL.4, {resp} ~ {dose}")
            try:
                ed = fit.ed(50)
                sec.table(_table(ed), caption="ED50")
            except AttributeError:
                pass
    sec.facts = {"trial_id": trial_id, "design": _val(trial, "design"),
                 "purpose": _val(trial, "purpose"), "plots": int(len(data)), "responses": results}
    return sec


def trials(ws, source_id: str, *, alpha: float = 0.05, lang: str = "vi") -> Section:
    """The source's propagation trials: each trial's main response (full detail in the trial
    reports)."""
    sec = Section(label("rp_propagation", lang), lang=lang)
    rows = _trial_rows(ws, source_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        sec.facts["trials"] = []
        return sec
    found = []
    for tid in rows["trial_id"].astype(str):
        part = trial_analysis(ws, tid, alpha=alpha, lang=lang, responses=1, level=3)
        sec.parts.append(("text", f"### {part.title}"))
        sec.parts.extend(part.parts)
        sec.text(f"[{label('rp_trial_report', lang)} {tid}]({tid}.html)")
        found.append(part.facts)
    sec.facts["trials"] = found
    return sec


def germination(ws, source_id: str, *, lang: str = "vi") -> Section:
    """Germination indices of the source's germination tests, by treatment."""
    sec = Section(label("rp_germination", lang), lang=lang)
    rows = _rows(getattr(ws, "germination", None), "source_id", source_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        return sec
    mod = available("germination", "indices")
    if mod is None:
        return sec.unavailable("genelab.germination.indices")
    ind = _table(mod.indices(rows, unit="dish", time="day", count="germinated", sown="sown"))
    keep = [c for c in ("test_id", "treatment", "dish", "germ_percent", "mean_germ_time",
                        "t50_coolbear", "germ_index", "germ_synchrony") if c in ind.columns]
    sec.table(ind[keep] if keep else ind)
    if "germ_percent" in ind.columns:
        sec.facts["germination_percent"] = float(ind["germ_percent"].mean())
    return sec


def conservation(ws, source_id: str, *, lang: str = "vi") -> Section:
    """Conservation method and the viability of the source's seed lots."""
    row = _source_row(ws, source_id)
    sec = Section(label("rp_conservation", lang), lang=lang)
    sec.text(f"**{_val(row, 'conservation', '–')}** · IUCN: {_val(row, 'threat', '–')} · "
             f"{_val(row, 'population_estimate', '–')}")
    lots = _rows(getattr(ws, "viability", None), "source_id", source_id)
    if lots is None or lots.empty:
        sec.note(label("rp_no_data", lang))
        sec.facts["seed_lots"] = 0
        return sec
    sec.facts["seed_lots"] = int(lots["lot_id"].nunique())
    mod = available("viability")
    fn = None if mod is None else next((getattr(mod, n) for n in ("monitor", "assess", "lots", "status")
                                        if callable(getattr(mod, n, None))), None)
    if fn is None:
        return sec.unavailable("genelab.viability")
    res = fn(lots)
    sec.table(_table(res))
    alerts = getattr(res, "alerts", None)
    if alerts is not None:
        sec.table(_table(alerts))
        sec.facts["viability_alerts"] = int(len(_table(alerts)))
    return sec


def _score(ws, *, seed: int):
    mod = available("scoring", "score")
    if mod is None:
        return None, None
    cfg = getattr(ws, "config", {}) or {}
    scoring_cfg = cfg.get("scoring", {}) if isinstance(cfg, dict) else {}
    method = scoring_cfg.get("method", "wsm")
    res = mod.score(ws.assessments, scoring_cfg, method=method)
    sens = None
    if hasattr(mod, "sensitivity"):
        sens = mod.sensitivity(ws.assessments, scoring_cfg, method=method, n=200, seed=seed)
    return res, sens


def value(ws, source_id: str, *, lang: str = "vi", seed: int = 2021) -> Section:
    """Value score, rank, each criterion's contribution and the rank's uncertainty."""
    sec = Section(label("rp_value", lang), lang=lang)
    res, sens = _score(ws, seed=seed)
    if res is None:
        return sec.unavailable("genelab.scoring.score")
    table = _table(res)
    if source_id not in table.index:
        sec.note(label("rp_no_data", lang))
        return sec
    mine = table.loc[[source_id]]
    sec.table(mine.T.rename(columns={source_id: label("value", lang)}))
    sec.facts.update(score=float(mine["score"].iloc[0]), rank=int(mine["rank"].iloc[0]),
                     of=int(len(table)))
    if sens is not None:
        st = _table(sens)
        if source_id in getattr(st, "index", ()):
            sec.heading(label("rp_rank_uncertainty", lang))
            sec.table(st.loc[[source_id]])
            row = st.loc[source_id]
            for key in ("p_top10", "rank_low", "rank_high", "rank_median"):
                if key in row.index:
                    sec.facts[key] = float(row[key])
    return sec


def economics(ws, source_id: str, *, lang: str = "vi") -> Section:
    """Efficiency of the source's demonstration models."""
    sec = Section(label("rp_economics", lang), lang=lang)
    rows = _rows(getattr(ws, "models", None), "source_id", source_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        sec.facts["models"] = 0
        return sec
    sec.facts["models"] = int(len(rows))
    mod = available("economics", "model_efficiency")
    if mod is None:
        return sec.unavailable("genelab.economics.model_efficiency")
    res = mod.model_efficiency(rows)
    tab = _table(res)
    sec.table(tab)
    for key in ("bcr", "benefit_cost_ratio", "net_profit", "yield_increase_pct"):
        if hasattr(tab, "columns") and key in tab.columns:
            sec.facts[key] = float(tab[key].astype(float).mean())
    return sec


def protocols(ws, source_id: str, *, lang: str = "vi") -> Section:
    """Propagation and cultivation protocols of the source."""
    sec = Section(label("rp_protocols", lang), lang=lang)
    rows = _rows(getattr(ws, "protocols", None), "source_id", source_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        sec.facts["protocols"] = 0
        return sec
    sec.facts["protocols"] = int(len(rows))
    cols = [c for c in ("protocol_id", "kind", "title", "trial_id", "status", "treatment") if c in rows]
    sec.table(rows[cols].reset_index(drop=True))
    for _, r in rows.iterrows():
        steps = _split(_val(r, "steps"))
        if steps:
            sec.text(f"**{_val(r, 'title', _val(r, 'protocol_id'))}**\n\n" +
                     "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))
    return sec


def facts(*sections: Section) -> dict:
    """The facts of several sections merged into one dict (later sections win)."""
    merged: dict = {}
    for s in sections:
        merged.update(s.facts)
    return merged


def conclusion(*sections: Section, lang: str = "vi") -> Section:
    """A short conclusion written from the numbers of the other sections."""
    from genelab.reports.conclusion import conclusion_text

    f = facts(*sections)
    sec = Section(label("rp_conclusion", lang), lang=lang)
    sec.text(conclusion_text(f, lang=lang))
    return sec


def summary(out, report_id: str, *sections: Section, **extra) -> dict:
    """Write the report's JSON summary (:func:`genelab.reports.summary.write_summary`)."""
    from genelab.reports.summary import write_summary

    doc = facts(*sections)
    doc.update(extra)
    return write_summary(out, report_id, doc)


# ------------------------------------------------------------------------------ trial report
def trial_header(ws, trial_id: str, *, lang: str = "vi") -> Section:
    """Title and description of a trial."""
    import pandas as pd

    from genelab.reports.ids import check_trial_id

    check_trial_id(trial_id)
    rows = _rows(ws.trials, "trial_id", trial_id)
    if rows is None or rows.empty:
        from genelab.errors import ReportError

        raise ReportError(f"trial {trial_id} is not in the workspace")
    trial = rows.iloc[0]
    sid = _val(trial, "source_id")
    src = _rows(ws.sources, "source_id", sid)
    name = _val(src.iloc[0], "name_vi", sid) if src is not None and len(src) else sid
    sec = Section(f"{label('rp_trial_report', lang)} {trial_id}", lang=lang, level=1)
    sec.text(f"**{_val(trial, 'title', '')}** — {label('source', lang)}: [{sid} {name}]({sid}.html)")
    fields = [(k, str(v)) for k, v in trial.items() if _val(trial, k) is not None]
    sec.table(pd.DataFrame(fields, columns=[label("rp_field", lang), label("value", lang)]))
    sec.facts.update(source_id=sid, name=name, title=_val(trial, "title"))
    return sec


def rooting(ws, trial_id: str, *, lang: str = "vi") -> Section:
    """Time to rooting of the trial's cuttings (Kaplan–Meier, log-rank), if recorded."""
    sec = Section(label("rp_rooting", lang), lang=lang)
    rows = _rows(getattr(ws, "rooting", None), "trial_id", trial_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        return sec
    mod = available("trials", "time_to_event")
    if mod is None:
        return sec.unavailable("genelab.trials.time_to_event")
    res = mod.time_to_event(rows, "day", "rooted", "treatment")
    sec.table(_table(res))
    for name in ("logrank", "log_rank", "test"):
        extra = getattr(res, name, None)
        if extra is not None:
            sec.table(_table(extra) if hasattr(extra, "columns") or hasattr(extra, "table") else
                      __import__("pandas").DataFrame([extra]))
            break
    plots = available("plots")
    if plots is not None and hasattr(plots, "survival_curves"):
        sec.figure(plots.survival_curves(res))
    sec.facts["rooting_cuttings"] = int(rows["cutting"].nunique()) if "cutting" in rows else int(len(rows))
    return sec


# ------------------------------------------------------------------------------ overview
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
    """Priority ranking of every gene source."""
    sec = Section(label("rp_priority", lang), lang=lang)
    res, sens = _score(ws, seed=seed)
    if res is None:
        return sec.unavailable("genelab.scoring.score")
    table = _table(res).sort_values("rank")
    names = ws.sources.set_index("source_id")["name_vi"] if "name_vi" in ws.sources else None
    shown = table.head(top).copy()
    if names is not None:
        shown.insert(0, "name_vi", names.reindex(shown.index).values)
    sec.table(shown)
    plots = available("plots")
    if plots is not None and hasattr(plots, "score_contributions"):
        sec.figure(plots.score_contributions(res))
    sec.facts["top"] = [str(s) for s in table.head(10).index]
    return sec


def programme_map(ws, *, lang: str = "vi") -> Section:
    """Map of every gene source's collection site, coloured by group."""
    from genelab.plots.maps import site_map

    sec = Section(label("rp_sites_map", lang), lang=lang)
    cols = [c for c in ("latitude", "longitude", "source_id", "kind") if c in ws.sources.columns]
    sites = ws.sources[cols].rename(columns={"source_id": "label", "kind": "group"})
    sec.figure(site_map(sites, lang=lang, title=label("rp_all_sources", lang)))
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
