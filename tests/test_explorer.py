"""genelab.explorer: the widget callback recomputes the right tables; static mode gives HTML."""
from __future__ import annotations

import pytest

import genelab
from genelab.errors import GenelabError
from genelab.explorer import explore, trial_explorer
from genelab.trials import anova, compare_means, mean_table


@pytest.fixture(scope="module")
def ws():
    return genelab.open_workspace(genelab.demo_path())


def _expected(ws, trial_id, response, method, alpha, term=None, lang="vi", **design):
    fit = anova(ws.trial_data(trial_id), response, **design)
    return fit, mean_table(compare_means(fit, method, alpha=alpha, term=term), lang=lang)


def test_static_mode_returns_html_with_the_letter_table(ws):
    out = trial_explorer(ws, "T01-HOI-IBA", lang="en", static=True)
    page = out._repr_html_()
    fit, letters = _expected(ws, "T01-HOI-IBA", "roots_per_cutting", "tukey", 0.05, lang="en",
                             design="crd", treatment="treatment")
    assert letters.to_html(classes="genelab-letters") in page
    assert "HSD0.05" in page and "5.97 ± 0.25 a" in page
    assert f"{fit.table.loc['treatment', 'f']:.4g}" in page and "1.038e-07" in page
    assert 'src="data:image/png;base64,' in page


def test_outside_a_kernel_it_degrades_to_static(ws, monkeypatch):
    monkeypatch.delenv("GENELAB_STATIC", raising=False)
    out = trial_explorer(ws, "T02-BKI-IBA")
    assert hasattr(out, "_repr_html_") and "genelab-letters" in out._repr_html_()
    monkeypatch.setenv("GENELAB_STATIC", "0")
    box = trial_explorer(ws, "T02-BKI-IBA")
    assert box._explorer.view.trial_id == "T02-BKI-IBA"


def test_widget_callbacks_recompute_for_a_changed_selection(ws):
    box = trial_explorer(ws, "T01-HOI-IBA", lang="vi", static=False)
    ex = box._explorer
    _, first = _expected(ws, "T01-HOI-IBA", "roots_per_cutting", "tukey", 0.05, design="crd", treatment="treatment")
    assert ex.view.letters.equals(first)

    ex.method.value = "lsd"
    ex.alpha.value = 0.01
    fit, letters = _expected(ws, "T01-HOI-IBA", "roots_per_cutting", "lsd", 0.01, design="crd", treatment="treatment")
    assert ex.view.method == "lsd" and ex.view.alpha == 0.01
    assert ex.view.letters.equals(letters)
    assert ex.letters_html.value == letters.to_html(classes="genelab-letters")
    assert "LSD0.01" in ex.letters_html.value
    assert f"{fit.table.loc['residuals', 'ms']:.4g}" in ex.anova_html.value
    assert ex.chart.value[:8] == b"\x89PNG\r\n\x1a\n"

    ex.response.value = "root_length_cm"
    _, letters = _expected(ws, "T01-HOI-IBA", "root_length_cm", "lsd", 0.01, design="crd", treatment="treatment")
    assert ex.view.letters.equals(letters)

    # a split plot: new responses and terms; the main-plot factor is tested against error(a)
    ex.trial.value = "T06-LUA-NPK"
    assert list(ex.response.options) == ["grain_yield_t_ha", "panicles_per_m2"]
    assert set(ex.term.options) >= {"nitrogen", "density"}
    design = dict(design="split_plot", block="block", main="nitrogen", sub="density")
    _, letters = _expected(ws, "T06-LUA-NPK", "grain_yield_t_ha", "lsd", 0.01, term=ex.term.value, **design)
    assert ex.view.letters.equals(letters)
    ex.term.value = "density"
    _, letters = _expected(ws, "T06-LUA-NPK", "grain_yield_t_ha", "lsd", 0.01, term="density", **design)
    assert ex.view.term == "density" and ex.view.letters.equals(letters)
    assert list(ex.view.letters.index[:3]) == list(letters.index[:3])


def test_the_widget_carries_a_static_snapshot_for_papermill(ws):
    box = trial_explorer(ws, "T05-KTL-TC", lang="en", static=False)
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert box._explorer.view.letters.to_html(classes="genelab-letters") in bundle["text/html"]


def test_errors_are_shown_not_raised_in_the_callback(ws):
    box = trial_explorer(ws, "T05-KTL-TC", static=False)
    ex = box._explorer
    ex.term.options = list(ex.term.options) + ["no_such_term"]
    ex.term.value = "no_such_term"
    assert ex.view is None and ex.message.value and ex.letters_html.value == ""


def test_bad_arguments_raise_genelab_errors(ws):
    with pytest.raises(GenelabError, match="unknown trial"):
        trial_explorer(ws, "T99", static=False)
    with pytest.raises(GenelabError, match="language"):
        trial_explorer(ws, lang="fr")
    view = explore(ws, "T07-CHE-FERT", method="duncan")
    assert view.fit.design == "latin" and view.term == "fertiliser"
