"""HTML pages of executed report notebooks: no code cells, one shared stylesheet.

nbconvert's lab template embeds about 276 KB of CSS in every page; genelab's template (in
``templates/genelab``) links ``genelab.css`` instead, which :func:`write_stylesheet` writes once
per output folder, and it loads nothing from the network (no require.js, MathJax or mermaid),
so the pages open offline.  One :class:`PageExporter` is built per worker and reused.
"""
from __future__ import annotations

from pathlib import Path

from genelab.reports.cache import atomic_write_text

__all__ = ["CSS_NAME", "PageExporter", "stylesheet_text", "write_stylesheet"]

CSS_NAME = "genelab.css"
_TEMPLATES = Path(__file__).resolve().parent / "templates"

_EXTRA_CSS = """
/* genelab additions */
:root { --jp-content-font-family: "DejaVu Sans", "Noto Sans", system-ui, sans-serif; }
body.genelab-report { max-width: 1100px; margin: 0 auto; padding: 0 16px 48px; }
a.anchor-link { display: none; }
.jp-Collapser { display: none; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
nav.genelab-nav { padding: 12px 0; font-size: 14px; }
.genelab-note { color: #6b6b6b; font-style: italic; }
.genelab-failed { color: #b00020; font-weight: bold; }
.genelab-stale { color: #a36200; }
table.genelab-index td, table.genelab-index th { padding: 4px 10px; }
table.genelab-index tr:nth-child(even) { background: #f5f5f5; }
@media print { nav.genelab-nav { display: none; } }
"""


def stylesheet_text() -> str:
    """The shared stylesheet: JupyterLab's page and light-theme CSS plus genelab's additions."""
    candidates = [p / "nbconvert" / "templates" / "lab" / "static"
                  for p in _jupyter_data_dirs()]
    for folder in candidates:
        if (folder / "index.css").is_file():
            parts = [(folder / "index.css").read_text(encoding="utf-8"),
                     (folder / "theme-light.css").read_text(encoding="utf-8")]
            return "\n".join(parts) + _EXTRA_CSS
    raise FileNotFoundError("nbconvert's lab template CSS (templates/lab/static) not found")


def _jupyter_data_dirs() -> list[Path]:
    from jupyter_core.paths import jupyter_path

    return [Path(p) for p in jupyter_path()]


def write_stylesheet(folder) -> Path:
    """Write ``genelab.css`` into ``folder`` unless an identical one is there."""
    path = Path(folder) / CSS_NAME
    text = stylesheet_text()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return path
    return atomic_write_text(path, text)


class PageExporter:
    """A reusable HTML exporter: executed notebook -> page without code cells.

    Parameters
    ----------
    css_href, index_href : str
        Links written into every page (relative to the page).
    back_label : str
        Text of the link back to the index.
    """

    def __init__(self, css_href: str = CSS_NAME, index_href: str = "../index.html",
                 back_label: str = "← index"):
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        from genelab import __version__

        config = Config({"TagRemovePreprocessor": {"enabled": True,
                                                   "remove_cell_tags": ["remove-cell"]}})
        self._exporter = HTMLExporter(
            config=config,
            extra_template_basedirs=[str(_TEMPLATES)],
            template_name="genelab",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
        self._resources = {"genelab_css": css_href, "genelab_index": index_href,
                           "genelab_back": back_label, "genelab_version": __version__}

    def export(self, nb, title: str, language: str = "vi") -> str:
        """The page's HTML text (UTF-8, ``<meta charset="utf-8">``)."""
        resources = dict(self._resources)
        resources["metadata"] = {"name": title}
        self._exporter.language_code = language
        body, _ = self._exporter.from_notebook_node(nb, resources=resources)
        return body
