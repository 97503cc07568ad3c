"""Protocol sheets: the propagation or cultivation protocol with the evidence behind it.

A protocol (workspace table ``protocols``) names the trial it comes from, the recommended
treatment and its steps.  :func:`protocol_sheet` analyses that trial as the programme
reports trials (ANOVA for its design, means compared with letters as agricolae forms them,
via :mod:`genelab.trials`), finds the best treatment — the best mean, with the treatments
sharing a letter with it as the top group — states what it achieved with a confidence
interval, checks the recommended treatment against the top group, and renders the sheet
as Markdown or HTML for a report.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from genelab._result import Result, json_safe
from genelab.errors import ConfigError, DesignError
from genelab.i18n import label

__all__ = ["ProtocolSheet", "protocol_sheet", "wilson_ci"]


def wilson_ci(successes, trials, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (Wilson 1927), as statsmodels computes it.

    Examples
    --------
    >>> tuple(round(x, 4) for x in wilson_ci(18, 25))
    (0.5242, 0.8572)
    """
    from statsmodels.stats.proportion import proportion_confint

    if trials <= 0:
        return (math.nan, math.nan)
    lo, hi = proportion_confint(successes, trials, alpha=alpha, method="wilson")
    return float(lo), float(hi)


@dataclass(frozen=True)
class ProtocolSheet(Result):
    """One protocol with the evidence of its trial; see :func:`protocol_sheet`.

    ``table`` holds the treatment means of the trial (index: treatment level in agricolae's
    group order) with ``mean, n, se, group`` (and, for a count outcome, ``successes, trials,
    rate, ci_low, ci_high``); it is empty for a protocol without a trial.
    """

    table: pd.DataFrame
    protocol_id: str
    source_id: str
    kind: str
    title: str
    status: str
    steps: list
    trial_id: str | None = None
    design: str | None = None
    outcome: str | None = None
    outcome_kind: str | None = None        # "rate" (count outcome) or "mean"
    method: str | None = None
    term: str | None = None
    alpha: float = 0.05
    best: str | None = None
    top_group: list = field(default_factory=list)
    recommended: str | None = None
    recommended_in_top_group: bool | None = None
    achieved: dict = field(default_factory=dict)
    statistics: dict = field(default_factory=dict)
    lang: str = "vi"

    def to_markdown(self) -> str:
        """The sheet as Markdown (headings, the achieved result, the means table, the steps)."""
        L = self.lang
        out = [f"### {self.protocol_id}: {self.title}", ""]
        out.append(f"- {label('source', L)}: {self.source_id}")
        out.append(f"- {label('protocol_status', L)}: {self.status}")
        if self.trial_id:
            out.append(f"- {label('protocol_trial', L)}: {self.trial_id} ({self.design}; "
                       f"{self.method.upper()}, α = {self.alpha:g})")
            out.append(f"- {label('best_treatment', L)}: **{self.best}** — {self._achieved_text()}")
            out.append(f"- {label('top_group', L)}: {', '.join(map(str, self.top_group))}")
        if self.recommended:
            note = ""
            if self.recommended_in_top_group is False:
                note = " ⚠ " + label("not_in_top_group", L)
            out.append(f"- {label('recommended_treatment', L)}: {self.recommended}{note}")
        if not self.table.empty:
            out += ["", _markdown_table(self._means_frame())]
        if self.steps:
            out += ["", f"**{label('steps', L)}**", ""]
            out += [f"{i}. {s}" for i, s in enumerate(self.steps, 1)]
        return "\n".join(out) + "\n"

    def to_html(self) -> str:
        """The sheet as an HTML fragment (no page wrapper), for a report page."""
        L = self.lang
        e = html.escape
        parts = [f"<section class='protocol-sheet'><h3>{e(self.protocol_id)}: {e(self.title)}</h3><ul>",
                 f"<li>{e(label('source', L))}: {e(self.source_id)}</li>",
                 f"<li>{e(label('protocol_status', L))}: {e(self.status)}</li>"]
        if self.trial_id:
            parts.append(f"<li>{e(label('protocol_trial', L))}: {e(self.trial_id)} ({e(self.design)}; "
                         f"{e(self.method.upper())}, α = {self.alpha:g})</li>")
            parts.append(f"<li>{e(label('best_treatment', L))}: <strong>{e(str(self.best))}</strong> — "
                         f"{e(self._achieved_text())}</li>")
            parts.append(f"<li>{e(label('top_group', L))}: {e(', '.join(map(str, self.top_group)))}</li>")
        if self.recommended:
            warn = ""
            if self.recommended_in_top_group is False:
                warn = f" <em>⚠ {e(label('not_in_top_group', L))}</em>"
            parts.append(f"<li>{e(label('recommended_treatment', L))}: {e(self.recommended)}{warn}</li>")
        parts.append("</ul>")
        if not self.table.empty:
            parts.append(self._means_frame().to_html(index=False, border=0, classes="means"))
        if self.steps:
            parts.append(f"<h4>{e(label('steps', L))}</h4><ol>")
            parts += [f"<li>{e(s)}</li>" for s in self.steps]
            parts.append("</ol>")
        parts.append("</section>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_dict(self) -> dict:
        d = super().to_dict()
        d["markdown"] = self.to_markdown()
        return json_safe(d)

    def _achieved_text(self) -> str:
        a = self.achieved
        if not a:
            return ""
        pct = int(round((1 - self.alpha) * 100))
        if self.outcome_kind == "rate":
            return (f"{label('achieved_rate', self.lang)} {a['value'] * 100:.1f} % "
                    f"({a['successes']}/{a['trials']}; CI {pct} %: {a['ci_low'] * 100:.1f}–{a['ci_high'] * 100:.1f} %)")
        return (f"{self.outcome} = {a['value']:.3g} (CI {pct} %: {a['ci_low']:.3g}–{a['ci_high']:.3g}; "
                f"n = {a['n']})")

    def _means_frame(self) -> pd.DataFrame:
        L = self.lang
        t = self.table
        f = pd.DataFrame({label("treatment", L): t.index.astype(str)})
        if self.outcome_kind == "rate":
            f[label("achieved_rate", L) + " (%)"] = [f"{r * 100:.1f}" for r in t["rate"]]
            f["CI"] = [f"{lo * 100:.1f}–{hi * 100:.1f}" for lo, hi in zip(t["ci_low"], t["ci_high"])]
        f[label("mean", L)] = [f"{m:.2f} ± {s:.2f}" for m, s in zip(t["mean"], t["se"])]
        f[label("group", L)] = t["group"].astype(str).to_numpy()
        f[label("n", L)] = t["n"].to_numpy()
        return f


def _markdown_table(frame: pd.DataFrame) -> str:
    def cell(x) -> str:
        return str(x).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(cell(x) for x in r) + " |" for r in frame.itertuples(index=False)]
    return "\n".join(lines)


def _opt(row: pd.Series, key: str):
    v = row.get(key) if key in row.index else None
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    v = str(v).strip()
    return v or None


def _split(text) -> list[str]:
    return [s.strip() for s in str(text).split(";") if s.strip()] if text else []


def _anova_args(trial: pd.Series) -> dict:
    args = {"design": _opt(trial, "design")}
    for key in ("treatment", "block", "row", "column", "main", "sub"):
        v = _opt(trial, key)
        if v:
            args[key] = v
    factors = _split(_opt(trial, "factors"))
    if factors:
        args["factors"] = factors
    return args


def protocol_sheet(workspace, protocol_id: str, *, alpha: float = 0.05, lang: str = "vi",
                   method: str = "lsd", outcome: str | None = None, term: str | None = None,
                   lower_is_better: bool = False) -> ProtocolSheet:
    """The sheet of one protocol: its best treatment, what it achieved, and the steps.

    The protocol's trial (``protocols.trial_id``) is analysed with
    :func:`genelab.trials.anova` for its design and :func:`genelab.trials.compare_means`
    (``method``, ``alpha``; for factorials the default term is the treatment combination,
    for a split plot ``main:sub``).  The *best treatment* is the level with the highest
    mean (lowest with ``lower_is_better``); the *top group* is every level sharing a letter
    with it (not separated from it).  The outcome is, by default, the trial's first count
    pair (``counts``, e.g. ``rooted/cuttings``): letters then come from the ANOVA of the
    per-plot percentage ``100 × successes / trials``, and the achieved rate of the best
    treatment is the pooled proportion Σ successes / Σ trials with a Wilson score interval
    (which treats plots as one binomial sample: over-dispersion between plots is not in
    it).  Without counts the outcome is the first response and the achieved value is its
    mean with the t interval ``mean ± t(1 - alpha/2, df) × se``, with the pooled ``se`` of
    the mean-comparison table and its error df (``sqrt(MSE / n)``: agricolae's ``LCL``/``UCL``).  A protocol without a trial gives a
    sheet with its steps and recommended treatment only.

    Parameters
    ----------
    workspace : Workspace
        From :func:`genelab.open_workspace` (uses ``protocols``, ``trial()``, ``trial_data()``).
    protocol_id : str
    alpha : float
    lang : {"vi", "en"}
    method : str
        Mean-separation method (``lsd`` default — the LSD0.05 of agronomic tables; see
        :func:`genelab.trials.compare_means`).
    outcome : str, optional
        A response column, or a count pair ``"successes/trials"`` of the trial.
    term : str, optional
        The term whose means are compared (default as above).
    lower_is_better : bool
        For outcomes such as days to bud break.

    Returns
    -------
    ProtocolSheet
        With ``best``, ``top_group``, ``achieved`` (``value, ci_low, ci_high, n``; for rates
        also ``successes, trials``), ``recommended``, ``recommended_in_top_group``,
        ``steps``, ``table`` (the means), ``statistics`` (``mse, df, cv``), and
        ``to_markdown()`` / ``to_html()`` / ``to_dict()``.

    Raises
    ------
    ConfigError
        Unknown protocol or outcome.
    DesignError
        A recommended treatment that is not a level of the compared term.

    Examples
    --------
    >>> import genelab
    >>> ws = genelab.open_workspace(genelab.demo_path())
    >>> sheet = protocol_sheet(ws, "PR01", lang="en")
    >>> sheet.best, sheet.top_group, sheet.recommended_in_top_group
    ('IBA2000', ['IBA2000', 'IBA1000', 'IBA3000'], True)
    >>> print(sheet.to_markdown().splitlines()[5])
    - Best treatment: **IBA2000** — Rate 55.0 % (55/100; CI 95 %: 45.2–64.4 %)
    """
    label("mean", lang)
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha={alpha} must lie between 0 and 1")
    prot = workspace.protocols
    hit = prot.index[prot["protocol_id"].astype(str) == str(protocol_id)]
    if len(hit) == 0:
        raise ConfigError(f"no protocol {protocol_id!r}; known: {', '.join(prot['protocol_id'].astype(str))}")
    row = prot.loc[hit[0]]
    base = dict(protocol_id=str(protocol_id), source_id=str(row["source_id"]), kind=str(row.get("kind", "")),
                title=str(row.get("title", "")), status=str(row.get("status", "")),
                steps=_split(_opt(row, "steps")), recommended=_opt(row, "treatment"), alpha=float(alpha),
                lang=lang)
    trial_id = _opt(row, "trial_id")
    if trial_id is None:
        return ProtocolSheet(table=pd.DataFrame(), **base)

    from genelab.trials import anova, compare_means

    trial = workspace.trial(trial_id)
    data = workspace.trial_data(trial_id)
    counts = [c.split("/") for c in _split(_opt(trial, "counts"))]
    responses = _split(_opt(trial, "responses"))
    if outcome is None:
        outcome = "/".join(counts[0]) if counts else (responses[0] if responses else None)
    if outcome is None:
        raise ConfigError(f"trial {trial_id} declares no responses or counts to judge the treatments by")
    pair = outcome.split("/") if "/" in outcome else None
    if pair:
        if pair not in counts:
            raise ConfigError(f"{outcome!r} is not a count pair of trial {trial_id} "
                              f"(its counts: {', '.join('/'.join(c) for c in counts) or 'none'})")
        succ, tot = pair
        response = f"{succ}_pct"
        data[response] = np.where(data[tot] > 0, 100 * data[succ] / data[tot], np.nan)
    else:
        if outcome not in responses and outcome not in data.columns:
            raise ConfigError(f"{outcome!r} is not a response of trial {trial_id} (responses: {', '.join(responses)})")
        response = outcome
    args = _anova_args(trial)
    fit = anova(data, response, **args)
    if term is None and args["design"] == "split_plot":
        term = f"{args['main']}:{args['sub']}"
    cmp = compare_means(fit, method, alpha=alpha, term=term)
    table = cmp.table.copy()
    means = table["mean"].to_numpy(float)
    best_pos = int(np.argmin(means) if lower_is_better else np.argmax(means))
    best = table.index[best_pos]
    letters = set(str(table["group"].iloc[best_pos]))
    top = [lvl for lvl, g in zip(table.index, table["group"].astype(str)) if letters & set(g)]

    group_cols = cmp.term.split(":")
    keys = data[group_cols].astype(str).agg(":".join, axis=1) if len(group_cols) > 1 else data[group_cols[0]].astype(str)
    if pair:
        sums = data.assign(_k=keys).groupby("_k")[[succ, tot]].sum()
        table["successes"] = sums[succ].reindex(table.index.astype(str)).to_numpy()
        table["trials"] = sums[tot].reindex(table.index.astype(str)).to_numpy()
        table["rate"] = table["successes"] / table["trials"]
        ci = [wilson_ci(s, n, alpha) for s, n in zip(table["successes"], table["trials"])]
        table["ci_low"] = [c[0] for c in ci]
        table["ci_high"] = [c[1] for c in ci]
        b = table.loc[best]
        achieved = {"value": float(b["rate"]), "ci_low": float(b["ci_low"]), "ci_high": float(b["ci_high"]),
                    "successes": int(b["successes"]), "trials": int(b["trials"]), "n": int(b["n"])}
        kind = "rate"
    else:
        from scipy import stats

        err_df = float(cmp.statistics.get("df", fit.df_error))
        b = table.loc[best]
        half = stats.t.ppf(1 - alpha / 2, err_df) * float(b["se"])
        achieved = {"value": float(b["mean"]), "ci_low": float(b["mean"] - half),
                    "ci_high": float(b["mean"] + half), "n": int(b["n"])}
        kind = "mean"
    rec = base["recommended"]
    levels = [str(x) for x in table.index]
    if rec is not None and rec not in levels:
        raise DesignError(f"protocol {protocol_id} recommends treatment {rec!r}, which is not a level of "
                          f"{cmp.term} in trial {trial_id} (levels: {', '.join(levels)})")
    stats_out = {k: cmp.statistics[k] for k in ("mse", "df", "cv", "mean") if k in cmp.statistics}
    return ProtocolSheet(
        table=table, trial_id=trial_id, design=args["design"], outcome=outcome, outcome_kind=kind,
        method=method, term=cmp.term, best=str(best), top_group=[str(x) for x in top],
        recommended_in_top_group=None if rec is None else rec in [str(x) for x in top],
        achieved=achieved, statistics=stats_out, **base)
