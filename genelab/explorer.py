"""Interactive explorer of one trial for JupyterLab (ipywidgets), with a static fallback.

:func:`trial_explorer` shows dropdowns for the trial, the response, the term (for factorial
and split-plot designs), the mean-separation test and alpha; every change re-runs
:func:`genelab.trials.anova`, :func:`genelab.trials.compare_means` and
:func:`genelab.trials.mean_table` and redraws :func:`genelab.plots.means_with_letters`.

Where no widget front end can draw it (papermill, nbconvert, a plain Python shell, or
``GENELAB_STATIC=1`` in the environment) it degrades to static output: with ``static=True``
(auto-detected) it returns an HTML display of the chosen selection; and the widget box itself
carries the same HTML in its display data, so a notebook executed by papermill keeps a
readable snapshot of the default selection even when it is opened without the widget state.

The computation sits in :func:`explore` (a pure function), so the widget callback only reads
the widget values and fills in the result.
"""
from __future__ import annotations

import base64
import html
import io
import os
from dataclasses import dataclass

import pandas as pd

from genelab.errors import GenelabError

__all__ = ["METHODS", "ALPHAS", "ExplorerView", "explore", "trial_explorer", "TrialExplorer"]

#: Mean-separation tests offered (``compare_means`` methods; Dunnett needs a control, so it is left out).
METHODS = ("lsd", "bonferroni", "tukey", "duncan", "snk", "scheffe")
#: Significance levels offered.
ALPHAS = (0.01, 0.05, 0.10)

_KEYS = ("trial", "response", "term", "method", "alpha", "anova", "means", "error")


def _words(lang: str) -> dict[str, str]:
    """The explorer's labels in ``lang`` (genelab.i18n, keys ``ex_*``)."""
    from genelab.i18n import label

    return {k: label(f"ex_{k}", lang) for k in _KEYS}


@dataclass(frozen=True)
class ExplorerView:
    """One selection's results: the ANOVA fit, the mean comparison and the letter table."""

    trial_id: str
    response: str
    term: str
    method: str
    alpha: float
    fit: object
    comparison: object
    letters: pd.DataFrame

    def png(self, lang: str = "vi") -> bytes:
        """The means-with-letters chart as PNG bytes (drawn without pyplot's global state)."""
        from matplotlib.figure import Figure

        from genelab.plots import means_with_letters

        fig = Figure(figsize=(6, 3.4), dpi=96)
        ax = fig.subplots()
        means_with_letters(self.comparison, ax=ax, lang=lang)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()

    def to_html(self, lang: str = "vi", *, chart: bool = True) -> str:
        """ANOVA table, letter table and (optionally) the chart as one HTML fragment."""
        w = _words(lang)
        title = html.escape(f"{self.trial_id} · {self.response} · {self.term} · {self.method} · α = {self.alpha:g}")
        parts = [
            f'<div class="genelab-explorer"><h4>{title}</h4>',
            f"<h5>{w['anova']}</h5>", _anova_html(self.fit),
            f"<h5>{w['means']}</h5>", self.letters.to_html(classes="genelab-letters"),
        ]
        if chart:
            data = base64.b64encode(self.png(lang)).decode("ascii")
            parts.append(f'<img alt="means with letters" src="data:image/png;base64,{data}"/>')
        parts.append("</div>")
        return "\n".join(parts)


def _anova_html(fit) -> str:
    """The ANOVA table as HTML, numbers to 4 significant digits (small p-values stay readable)."""
    return fit.table.to_html(na_rep="", float_format="{:.4g}".format)


def _workspace(workspace):
    if hasattr(workspace, "trial_data"):
        return workspace
    from genelab.workspace import open_workspace

    return open_workspace(workspace)


def _split(value) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _design_args(row) -> dict:
    args = {"design": row["design"]}
    for key in ("treatment", "block", "row", "column", "main", "sub"):
        cols = _split(row.get(key))
        if cols:
            args[key] = cols[0]
    factors = _split(row.get("factors"))
    if factors:
        args["factors"] = factors
    return args


def _responses(workspace, trial_id: str) -> list[str]:
    """The numeric responses declared for ``trial_id`` in the trials table."""
    return _split(_workspace(workspace).trial(trial_id)["responses"])


def explore(workspace, trial_id: str, response: str | None = None, *, method: str = "tukey",
            alpha: float = 0.05, term: str | None = None, lang: str = "vi") -> ExplorerView:
    """Analyse one selection: ANOVA of ``response`` in ``trial_id``, then ``method`` at ``alpha``.

    Parameters
    ----------
    workspace : Workspace or path
    trial_id : str
    response : str, optional
        Default: the trial's first declared response.
    method : str
        One of :data:`METHODS`.
    alpha : float
    term : str, optional
        Default: the fit's default term (the treatment, or the interaction of a factorial).
    lang : str
        Labels of the letter table.

    Returns
    -------
    ExplorerView

    Examples
    --------
    >>> import genelab
    >>> v = explore(genelab.demo_path(), "T01-HOI-IBA", method="lsd", lang="en")
    >>> v.response, v.term, v.letters.index[0]
    ('roots_per_cutting', 'treatment', 'IBA3000')
    """
    from genelab.trials import anova, compare_means, mean_table

    ws = _workspace(workspace)
    row = ws.trial(trial_id)
    declared = _split(row["responses"])
    response = response or (declared[0] if declared else None)
    if response is None:
        raise GenelabError(f"trial {trial_id!r} declares no responses in trials.responses")
    fit = anova(ws.trial_data(trial_id), response, **_design_args(row))
    term = term or fit.default_term
    comparison = compare_means(fit, method, alpha=alpha, term=term)
    return ExplorerView(trial_id, response, term, method, float(alpha), fit, comparison,
                        mean_table(comparison, lang=lang))


def _static_wanted() -> bool:
    flag = os.environ.get("GENELAB_STATIC", "").strip().lower()
    if flag in ("1", "true", "yes"):
        return True
    if flag in ("0", "false", "no"):
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return True
    shell = get_ipython()
    return shell is None or getattr(shell, "kernel", None) is None


class _Static:
    """Static display of one selection (``_repr_html_`` for Jupyter and nbconvert)."""

    def __init__(self, view: ExplorerView, lang: str):
        self.view, self.lang = view, lang
        self._html = view.to_html(lang)

    def _repr_html_(self) -> str:
        return self._html

    def __repr__(self) -> str:
        return f"<trial explorer (static): {self.view.trial_id} · {self.view.response} · {self.view.method}>"


def _make_box_class():
    import ipywidgets as widgets

    class _Box(widgets.VBox):
        """The explorer widget; its display data also carries a static HTML snapshot."""

        def _repr_mimebundle_(self, **kwargs):
            data = super()._repr_mimebundle_(**kwargs)
            explorer = getattr(self, "_explorer", None)
            if explorer is not None and explorer.view is not None:
                data = dict(data)
                data["text/html"] = explorer.view.to_html(explorer.lang)
            return data

    return _Box


class TrialExplorer:
    """Widgets and callback of :func:`trial_explorer` (``.box`` is what Jupyter shows).

    Attributes: ``trial``, ``response``, ``term``, ``method``, ``alpha`` (dropdowns),
    ``anova_html``, ``letters_html`` (HTML widgets), ``chart`` (Image widget), ``message``
    (HTML widget for errors), ``view`` (the current :class:`ExplorerView` or None).
    """

    def __init__(self, workspace, trial_id: str | None = None, *, lang: str = "vi"):
        import ipywidgets as widgets

        self.ws = _workspace(workspace)
        self.lang = lang
        w = _words(lang)
        ids = self.ws.trials["trial_id"].tolist()
        if not ids:
            raise GenelabError("the workspace has no trials to explore")
        trial_id = trial_id or ids[0]
        if trial_id not in ids:
            raise GenelabError(f"unknown trial {trial_id!r}; the workspace's trials are: {', '.join(ids)}")
        style = {"description_width": "initial"}
        self.trial = widgets.Dropdown(options=ids, value=trial_id, description=w["trial"], style=style)
        self.response = widgets.Dropdown(options=_responses(self.ws, trial_id), description=w["response"],
                                         style=style)
        self.term = widgets.Dropdown(options=[], description=w["term"], style=style)
        self.method = widgets.Dropdown(options=list(METHODS), value="tukey", description=w["method"], style=style)
        self.alpha = widgets.Dropdown(options=list(ALPHAS), value=0.05, description=w["alpha"], style=style)
        self.message = widgets.HTML()
        self.anova_html = widgets.HTML()
        self.letters_html = widgets.HTML()
        self.chart = widgets.Image(format="png", width="576")
        self.view: ExplorerView | None = None
        self._busy = False
        self._terms_for(trial_id, self.response.value)
        self.box = _make_box_class()([
            widgets.HBox([self.trial, self.response, self.term]),
            widgets.HBox([self.method, self.alpha]),
            self.message,
            widgets.HBox([widgets.VBox([widgets.HTML(f"<b>{w['anova']}</b>"), self.anova_html]),
                          widgets.VBox([widgets.HTML(f"<b>{w['means']}</b>"), self.letters_html])]),
            self.chart,
        ])
        self.box._explorer = self
        self.trial.observe(self._on_trial, names="value")
        self.response.observe(self._on_response, names="value")
        for control in (self.term, self.method, self.alpha):
            control.observe(self._on_change, names="value")
        self.update()

    def _terms_for(self, trial_id, response):
        """Fill the term dropdown with the fit's treatment terms (default term selected)."""
        try:
            view = explore(self.ws, trial_id, response, method="lsd", lang=self.lang)
            options, value = list(view.fit.treatment_terms), view.fit.default_term
        except GenelabError:
            options, value = [], None
        self._busy = True
        try:
            self.term.options = options
            self.term.value = value
            self.term.disabled = len(options) <= 1
        finally:
            self._busy = False

    def _on_trial(self, change):
        self._busy = True
        try:
            self.response.options = _responses(self.ws, change["new"])
        finally:
            self._busy = False
        self._terms_for(change["new"], self.response.value)
        self.update()

    def _on_response(self, change):
        if not self._busy:
            self._terms_for(self.trial.value, change["new"])
            self.update()

    def _on_change(self, change):
        if not self._busy:
            self.update()

    def update(self) -> ExplorerView | None:
        """Recompute from the current widget values and refresh the tables and the chart."""
        try:
            view = explore(self.ws, self.trial.value, self.response.value, method=self.method.value,
                           alpha=float(self.alpha.value), term=self.term.value, lang=self.lang)
        except GenelabError as err:
            self.view = None
            self.message.value = (f"<p style='color:#b00020'>{html.escape(_words(self.lang)['error'])}: "
                                  f"{html.escape(str(err))}</p>")
            self.anova_html.value = self.letters_html.value = ""
            self.chart.value = b""
            return None
        self.view = view
        self.message.value = ""
        self.anova_html.value = _anova_html(view.fit)
        self.letters_html.value = view.letters.to_html(classes="genelab-letters")
        self.chart.value = view.png(self.lang)
        return view


def trial_explorer(workspace, trial_id: str | None = None, *, lang: str = "vi", static: bool | None = None):
    """Explore one trial: pick trial, response, test and alpha; see ANOVA, letters and chart.

    Parameters
    ----------
    workspace : Workspace or path
        An open workspace (``genelab.open_workspace``) or its folder.
    trial_id : str, optional
        The trial shown first (default: the first trial of the workspace).
    lang : {"vi", "en"}
        Labels.
    static : bool, optional
        ``True``: return a static HTML display of the default selection (Tukey, α = 0.05, the
        first response).  ``False``: the widget box.  ``None`` (default): static when the
        environment says ``GENELAB_STATIC=1`` or when not running inside a Jupyter kernel,
        else the widget box — whose display data also holds the static HTML, so papermill
        and nbconvert keep a readable snapshot.

    Returns
    -------
    ipywidgets.VBox or a static display object
        The box has ``._explorer``, the :class:`TrialExplorer` driving it.

    Examples
    --------
    >>> import genelab
    >>> ws = genelab.open_workspace(genelab.demo_path())
    >>> out = trial_explorer(ws, "T01-HOI-IBA", lang="en", static=True)
    >>> "IBA3000" in out._repr_html_()
    True
    """
    if lang not in ("vi", "en"):
        raise GenelabError(f"unknown language {lang!r}: use 'vi' or 'en'")
    if static is None:
        static = _static_wanted()
    if static:
        ws = _workspace(workspace)
        trial_id = trial_id or ws.trials["trial_id"].iloc[0]
        return _Static(explore(ws, trial_id, lang=lang), lang)
    return TrialExplorer(workspace, trial_id, lang=lang).box
