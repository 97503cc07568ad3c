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

    def figure(self, fig, *, tight: bool = True) -> "Section":
        """Add a matplotlib figure (rendered, then closed).

        ``tight=True`` crops to the drawn content (``bbox_inches="tight"``, which draws the
        figure twice); figures laid out with explicit margins pass ``tight=False``.
        """
        import matplotlib.pyplot as plt

        if fig is not None and not hasattr(fig, "savefig") and hasattr(fig, "figure"):
            fig = fig.figure  # an Axes
        if fig is None:
            return self
        buf = io.BytesIO()
        extra = {"bbox_inches": "tight", "pad_inches": 0.08} if tight else {}
        fig.savefig(buf, format="png", dpi=96, metadata={"Software": None}, **extra)
        plt.close(fig)
        self.parts.append(("png", buf.getvalue()))
        return self

    def png(self, data: bytes) -> "Section":
        """Add a figure already rendered as PNG bytes."""
        self.parts.append(("png", bytes(data)))
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
        import hashlib

        dates = [c for c in obj.columns if pd.api.types.is_datetime64_any_dtype(obj[c])]
        if dates:  # calendar dates without a 00:00:00 tail
            obj = obj.copy()
            for c in dates:
                obj[c] = obj[c].dt.strftime("%Y-%m-%d")

        # a content-derived id instead of the Styler's random uuid: same data, same page
        uid = "gl" + hashlib.sha1(obj.to_csv().encode("utf-8")).hexdigest()[:10]
        style = obj.style.set_uuid(uid).format(precision=3, na_rep="–")
        if isinstance(obj.index, pd.RangeIndex):
            style = style.hide(axis="index")
        return style
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


def _text(value) -> str:
    """Dates as YYYY-MM-DD, everything else as str."""
    if hasattr(value, "date") and hasattr(value, "hour") and not value.hour and not value.minute:
        return value.date().isoformat()
    return str(value)


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


_PDCI_MEMO: dict = {}


def _pdci(ws):
    """PDCI of every source of the workspace (row by row, so a source's value is the one
    ``pdci(ws.source(id))`` gives), computed once per kernel and workspace."""
    hit = _PDCI_MEMO.get(id(ws))
    if hit is not None and hit[0] is ws:
        return hit[1]
    db = available("db", "pdci")
    found = _table(db.pdci(ws)) if db is not None else None
    _PDCI_MEMO.clear()
    _PDCI_MEMO[id(ws)] = (ws, found)
    return found


def passport(ws, source_id: str, *, lang: str = "vi") -> Section:
    """Passport data, programme status and a map of the collection site."""
    import pandas as pd

    from genelab.plots.maps import site_map_png

    row = _source_row(ws, source_id)
    name = _val(row, "name_vi", source_id)
    sec = Section(f"{source_id} — {name}", lang=lang, level=1)
    sec.text(f"*{label('rp_source_report', lang)}* · *{_val(row, 'scientific_name', '')}*")
    sec.heading(label("rp_passport", lang))
    fields = [(f, _text(_val(row, f))) for f in _PASSPORT_FIELDS
              if f in row.index and _val(row, f) is not None]
    status = _val(row, "status")
    if status is not None:
        fields = [(f, label(f"rp_status_{status}", lang) if f == "status" else v) for f, v in fields]
    all_pdci = _pdci(ws)
    if all_pdci is not None:
        found = all_pdci[all_pdci["accenumb"].astype(str) == str(source_id)] \
            if "accenumb" in all_pdci.columns else all_pdci.iloc[0:0]
        if len(found) and "pdci" in found.columns:
            sec.facts["pdci"] = float(found["pdci"].iloc[0])
            fields.append(("PDCI (0–10)", f"{sec.facts['pdci']:.2f}"))
    fields = [(label(f"rp_field_{f}", lang) if f in _PASSPORT_FIELDS else f, v) for f, v in fields]
    sec.table(pd.DataFrame(fields, columns=[label("rp_field", lang), label("value", lang)]).astype(str))
    sec.heading(label("rp_sites_map", lang))
    sites = pd.DataFrame({"latitude": [_val(row, "latitude")], "longitude": [_val(row, "longitude")],
                          "label": [source_id]}).astype({"latitude": float, "longitude": float})
    sec.png(site_map_png(sites, highlight=[source_id], lang=lang,
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
    """Trait evaluation: descriptive statistics of every trait and the variability figure."""
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
    tdict = getattr(ws, "traits", None)
    quant = obs[obs["value"].notna()] if "value" in obs else obs
    if len(quant):
        d = _table(mod.describe(quant, traits=tdict))
        name = "name_vi" if lang == "vi" else "name_en"
        cols = [c for c in (name, "unit", "n", "mean", "sd", "cv", "min", "max", "ci_low", "ci_high")
                if c in d.columns]
        shown = d[cols].rename(columns={name: label("trait", lang), "mean": label("mean", lang),
                                        "sd": label("sd", lang), "cv": label("cv", lang)})
        sec.table(shown.reset_index(drop=True))
        if "cv" in d.columns and d["cv"].notna().any():
            import matplotlib.pyplot as plt

            dd = d.dropna(subset=["cv"]).sort_values("cv")
            fig, ax = plt.subplots(figsize=(6.4, 0.28 * len(dd) + 1.0))
            ax.barh(dd[name].astype(str) if name in dd else dd["trait"], dd["cv"], color="#5b8c5a")
            ax.set_xlabel(label("cv", lang))
            fig.subplots_adjust(left=0.38, right=0.97, top=0.97, bottom=0.6 / (0.28 * len(dd) + 1.0))
            sec.figure(fig, tight=False)
            sec.facts["max_cv"] = float(d["cv"].max())
    states = obs[obs["state"].notna()] if "state" in obs else obs.iloc[0:0]
    if len(states) and hasattr(mod, "frequencies"):
        sec.heading(label("rp_qualitative", lang))
        sec.table(_table(mod.frequencies(states, traits=tdict)).reset_index(drop=True))
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
    term = {"split_plot": kw.get("main"), "factorial_crd": (kw.get("factors") or [None])[0],
            "factorial_rcbd": (kw.get("factors") or [None])[0]}.get(design, kw.get("treatment"))
    cmp_ = mod.compare_means(fit, "tukey", alpha=alpha,
                             **({"term": term} if design not in ("crd", "rcbd", "latin") else {}))
    mt = available("trials", "mean_table")
    shown = mt.mean_table(cmp_, lang=lang) if mt else _table(cmp_)
    sec.table(_table(shown), caption=f"{label('rp_means', lang)} — {term} (Tukey, α = {alpha:g})")
    table = _table(cmp_)
    if hasattr(table, "columns") and "mean" in table.columns and len(table):
        best = table["mean"].astype(float).idxmax()
        facts.update(term=term, best=str(best), best_mean=float(table["mean"].max()),
                     best_group=str(table.loc[best, "group"]) if "group" in table.columns else None)
    plots = available("plots", "means_with_letters")
    if figures and plots is not None:
        sec.figure(plots.means_with_letters(cmp_, lang=lang))
    tab = _table(fit)
    p_col = next((c for c in ("p", "p_value") if c in getattr(tab, "columns", ())), None)
    if p_col is not None and term is not None and term in tab.index:
        facts["p_value"] = float(tab.loc[term, p_col])
    return facts


def trial_analysis(ws, trial_id: str, *, alpha: float = 0.05, lang: str = "vi",
                   responses: int | None = None, level: int = 2) -> Section:
    """ANOVA, means with letters, rates and dose-response of one trial."""
    from genelab.errors import FitError

    trial = ws.trial(trial_id)
    title = _val(trial, "title", trial_id)
    sec = Section(f"{label('rp_trial', lang)} {trial_id}: {title}", lang=lang, level=level)
    data = ws.trial_data(trial_id)
    sec.text(f"{label('rp_design', lang)}: **{_val(trial, 'design')}** · {label('rp_purpose', lang)}: "
             f"{_val(trial, 'purpose')} · {label('rp_plot_data', lang)}: {len(data)}")
    results = {}
    for response in _split(_val(trial, "responses"))[:responses]:
        results[response] = _analyse_response(sec, data, trial, response, alpha=alpha, lang=lang)
    counts = _split(_val(trial, "counts"))[:responses]
    treatment = _val(trial, "treatment") or (_split(_val(trial, "factors")) or [None])[0]
    rates_facts = {}
    if counts and treatment:
        mod = available("trials", "rates")
        if mod is None:
            sec.unavailable("genelab.trials.rates")
        else:
            for pair in counts:
                succ, tot = pair.split("/")
                res = mod.rates(data, succ, tot, str(treatment), block=_val(trial, "block"),
                                alpha=alpha)
                tab = _table(res)
                sec.table(tab, caption=f"{label('rp_rates', lang)} — {succ}/{tot}")
                if "rate" in getattr(tab, "columns", ()):
                    best = tab["rate"].astype(float).idxmax()
                    rates_facts[pair] = {"best": str(best), "rate": float(tab.loc[best, "rate"])}
    dose = _val(trial, "dose")
    dose_facts = {}
    if dose and (responses is None or responses > 0):
        mod = available("doseresponse", "fit")
        resp = (_split(_val(trial, "responses")) or [None])[0]
        if mod is None:
            sec.unavailable("genelab.doseresponse.fit")
        elif resp is not None:
            sec.heading(f"{label('rp_doseresponse', lang)} — LL.4: {resp} ~ {dose}")
            try:
                fit = mod.fit(data, str(dose), resp, model="LL.4")
            except FitError as exc:
                sec.note(f"LL.4: {exc}")
            else:
                sec.table(_table(getattr(fit, "params", fit)))
                ed = _table(fit.ed(50))
                sec.table(ed, caption="ED50")
                plots = available("plots", "dose_response_curve")
                if plots is not None:
                    sec.figure(plots.dose_response_curve(fit, lang=lang))
                if "estimate" in getattr(ed, "columns", ()):
                    dose_facts["ed50"] = float(ed["estimate"].iloc[0])
    sec.facts = {"trial_id": trial_id, "design": _val(trial, "design"),
                 "purpose": _val(trial, "purpose"), "plots": int(len(data)), "responses": results,
                 "rates": rates_facts, **dose_facts}
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
    """Germination indices of the source's germination tests, by treatment, and the curves."""
    sec = Section(label("rp_germination", lang), lang=lang)
    rows = _rows(getattr(ws, "germination", None), "source_id", source_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        return sec
    mod = available("germination", "indices")
    if mod is None:
        return sec.unavailable("genelab.germination.indices")
    unit = [c for c in ("test_id", "treatment", "dish") if c in rows.columns]
    ind = _table(mod.indices(rows, unit=unit, time="day", count="germinated", sown="sown"))
    keys = [c for c in ("germ_percent", "mean_germ_time", "t50_coolbear", "germ_speed",
                        "germ_synchrony") if c in ind.columns]
    by = [c for c in ("test_id", "treatment") if c in ind.columns]
    summary = ind.groupby(by, sort=True)[keys].agg("mean").reset_index()
    summary.insert(len(by), "n", ind.groupby(by, sort=True).size().values)
    sec.table(summary)
    if hasattr(mod, "curve"):
        plots = available("plots", "germination_curves")
        cur = mod.curve(rows, unit=unit, time="day", count="germinated", sown="sown")
        if plots is not None:
            sec.figure(plots.germination_curves(cur, treatment="treatment", lang=lang))
    if "germ_percent" in summary.columns:
        best = summary.loc[summary["germ_percent"].idxmax()]
        sec.facts.update(germination_percent=float(ind["germ_percent"].mean()),
                         germination_best=str(best.get("treatment")),
                         germination_best_percent=float(best["germ_percent"]))
    return sec


def conservation(ws, source_id: str, *, lang: str = "vi", alpha: float = 0.05) -> Section:
    """Conservation method, seed-lot viability and regeneration alerts."""
    row = _source_row(ws, source_id)
    sec = Section(label("rp_conservation", lang), lang=lang)
    sec.text(f"**{_val(row, 'conservation', '–')}** · IUCN: {_val(row, 'threat', '–')} · "
             f"{label('rp_population', lang)}: {_val(row, 'population_estimate', '–')}")
    lots = _rows(getattr(ws, "viability", None), "source_id", source_id)
    if lots is None or lots.empty:
        sec.note(label("rp_no_data", lang))
        sec.facts["seed_lots"] = 0
        return sec
    sec.facts["seed_lots"] = int(lots["lot_id"].nunique())
    mod = available("viability", "lots", "alerts")
    if mod is None:
        return sec.unavailable("genelab.viability")
    me = ws.sources[ws.sources["source_id"] == source_id]
    res = _table(mod.lots(lots, sources=me, alpha=alpha))
    cols = [c for c in ("lot_id", "stored_on", "n_tests", "initial", "threshold", "latest_on",
                        "latest", "stock", "viable_stock", "predicted_on", "ci_low", "ci_high")
            if c in res.columns]
    sec.table(res[cols].reset_index(drop=True))
    al = _table(mod.alerts(lots, sources=me, alpha=alpha, source_id=source_id))
    sec.facts["viability_alerts"] = int(len(al))
    if len(al):
        cols = [c for c in ("lot_id", "alert", "message") if c in al.columns]
        sec.table(al[cols].reset_index(drop=True), caption=label("rp_alerts", lang))
    plots = available("plots", "viability_decline")
    if plots is not None:
        for lot in sorted(lots["lot_id"].astype(str).unique())[:2]:
            sec.figure(plots.viability_decline(lots, lot, alpha=alpha, lang=lang))
    return sec


_SCORE_MEMO: dict = {}


def _score(ws, *, seed: int, n: int = 1000):
    """Scores, rank sensitivity and criteria of every source (the same for every report of a
    workspace, so computed once per kernel and workspace)."""
    key = (id(ws), seed, n)
    hit = _SCORE_MEMO.get(key)
    if hit is not None and hit[0] is ws:
        return hit[1]
    found = _score_uncached(ws, seed=seed, n=n)
    _SCORE_MEMO.clear()
    _SCORE_MEMO[key] = (ws, found)
    return found


def _score_uncached(ws, *, seed: int, n: int):
    mod = available("scoring", "score", "criteria_from_config")
    if mod is None:
        return None, None, None
    criteria = mod.criteria_from_config(ws.config)
    res = mod.score(ws.assessments, criteria)
    sens = mod.sensitivity(ws.assessments, criteria, n=n, seed=seed) \
        if hasattr(mod, "sensitivity") else None
    return res, sens, criteria


def value(ws, source_id: str, *, lang: str = "vi", seed: int = 2021) -> Section:
    """Value score, rank, each criterion's contribution and the rank's uncertainty."""
    import pandas as pd

    sec = Section(label("rp_value", lang), lang=lang)
    res, sens, criteria = _score(ws, seed=seed)
    if res is None:
        return sec.unavailable("genelab.scoring.score")
    table = _table(res)
    if source_id not in table.index:
        sec.note(label("rp_no_data", lang))
        return sec
    mine = table.loc[source_id]
    sec.facts.update(score=float(mine["score"]), rank=int(mine["rank"]), of=int(len(table)))
    sec.text(f"{label('rp_score', lang)}: **{mine['score']:.3f}** · {label('rp_rank', lang)}: "
             f"**{int(mine['rank'])}/{len(table)}**")
    crit = criteria.set_index("criterion")
    names = crit["label_vi" if lang == "vi" else "label_en"] if "label_vi" in crit else crit.index
    raw = _rows(ws.assessments, "source_id", source_id).set_index("criterion")["value"]
    contrib = pd.DataFrame({
        label("rp_criterion", lang): [names.get(c, c) for c in crit.index],
        label("value", lang): [raw.get(c) for c in crit.index],
        label("rp_weight", lang): crit["weight"].values,
        label("rp_contribution", lang): [float(mine[c]) if c in mine.index else None for c in crit.index],
    })
    sec.table(contrib)
    plots = available("plots", "score_radar_png")
    if plots is not None:
        sec.png(plots.score_radar_png(res, source_id, lang=lang))
    if sens is not None:
        st = _table(sens)
        if source_id in st.index:
            sec.heading(label("rp_rank_uncertainty", lang))
            row = st.loc[source_id]
            sec.table(st.loc[[source_id]].reset_index())
            for key in ("median_rank", "rank_low", "rank_high", "p_top"):
                if key in row.index:
                    sec.facts[key] = float(row[key])
            if "p_top" in row.index:
                sec.facts["p_top10"] = float(row["p_top"])
    return sec


def economics(ws, source_id: str, *, lang: str = "vi", alpha: float = 0.05) -> Section:
    """Efficiency of the source's demonstration models against farmers' practice."""
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
    res = mod.model_efficiency(rows, alpha=alpha)
    tab = _table(res)
    cols = [c for c in ("district", "year", "area_ha", "yield_model", "yield_control",
                        "yield_increase_pct", "profit_gain", "bcr_model", "bcr_control", "mbcr",
                        "technology_index") if c in tab.columns]
    shown = tab[cols].reset_index(drop=True)
    fmt = getattr(mod, "format_vnd", None)
    if fmt is not None and "profit_gain" in shown.columns:
        shown["profit_gain"] = [fmt(v, lang) for v in shown["profit_gain"]]
    sec.table(shown)
    for key, col in (("bcr", "bcr_model"), ("yield_increase_pct", "yield_increase_pct"),
                     ("profit_gain", "profit_gain")):
        if col in tab.columns:
            sec.facts[key] = float(tab[col].astype(float).mean())
    return sec


def protocols(ws, source_id: str, *, lang: str = "vi", alpha: float = 0.05) -> Section:
    """Propagation and cultivation protocols of the source, each with its evidence."""
    sec = Section(label("rp_protocols", lang), lang=lang)
    rows = _rows(getattr(ws, "protocols", None), "source_id", source_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        sec.facts["protocols"] = 0
        return sec
    sec.facts["protocols"] = int(len(rows))
    mod = available("protocols", "protocol_sheet")
    for _, r in rows.iterrows():
        if mod is not None:
            sec.table(mod.protocol_sheet(ws, str(r["protocol_id"]), alpha=alpha, lang=lang))
            continue
        steps = _split(_val(r, "steps"))
        sec.text(f"**{_val(r, 'title', _val(r, 'protocol_id'))}** ({_val(r, 'status', '')})\n\n" +
                 "\n".join(f"{i}. {x}" for i, x in enumerate(steps, 1)))
    if mod is None:
        sec.unavailable("genelab.protocols.protocol_sheet")
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
    fields = [(k, _text(v)) for k, v in trial.items() if _val(trial, k) is not None]
    sec.table(pd.DataFrame(fields, columns=[label("rp_field", lang), label("value", lang)]))
    sec.facts.update(source_id=sid, name=name, title=_val(trial, "title"))
    return sec


def rooting(ws, trial_id: str, *, lang: str = "vi", alpha: float = 0.05) -> Section:
    """Time to rooting of the trial's cuttings (Kaplan–Meier, log-rank), if recorded."""
    import pandas as pd

    sec = Section(label("rp_rooting", lang), lang=lang)
    rows = _rows(getattr(ws, "rooting", None), "trial_id", trial_id)
    if rows is None or rows.empty:
        sec.note(label("rp_no_data", lang))
        return sec
    mod = available("trials", "time_to_event")
    if mod is None:
        return sec.unavailable("genelab.trials.time_to_event")
    res = mod.time_to_event(rows, "day", "rooted", "treatment", alpha=alpha)
    sec.table(getattr(res, "medians", _table(res)))
    test = getattr(res, "test", None)
    if test:
        sec.table(pd.DataFrame([test]))
        sec.facts["logrank_p"] = test.get("p_value")
    plots = available("plots", "survival_curves")
    if plots is not None:
        sec.figure(plots.survival_curves(res, cumulative=True, lang=lang))
    sec.facts["rooting_cuttings"] = int(rows["cutting"].nunique()) if "cutting" in rows else int(len(rows))
    return sec


# the programme overview's sections live in genelab.reports.overview (loaded on first use)
_OVERVIEW = ("progress", "priority", "programme_map", "report_status")


def __getattr__(name: str):
    if name in _OVERVIEW:
        from genelab.reports import overview

        return getattr(overview, name)
    raise AttributeError(f"module 'genelab.reports.sections' has no attribute {name!r}")
