"""Exports by format name (what ``genelab db export --format`` calls)."""
from __future__ import annotations

import csv
import io


from genelab.db._values import atomic_write_text
from genelab.db.dwc import export_dwc
from genelab.db.mcpd import export_mcpd
from genelab.db.pdci import pdci
from genelab.errors import ConfigError

__all__ = ["FORMATS", "export", "export_csv"]

FORMATS = ("mcpd", "dwc", "csv")


def export_csv(db, out=None) -> str:
    """The whole passport table with the programme's own columns and each accession's PDCI.

    A plain CSV for spreadsheets (database column names, ISO dates), sorted by
    instcode and accenumb.
    """
    acc = db.table("accession")
    scores = pdci(db).table[["instcode", "accenumb", "pdci"]]
    frame = acc.merge(scores, on=["instcode", "accenumb"], how="left") if len(acc) else acc.assign(pdci=[])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(frame.columns))
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None):
        w.writerow(["" if v is None else (f"{v:g}" if isinstance(v, float) and v.is_integer() else v)
                    for v in row])
    text = buf.getvalue()
    if out is not None:
        atomic_write_text(out, text)
    return text


def export(db, fmt: str, out=None) -> str:
    """Export in ``fmt`` ('mcpd', 'dwc' or 'csv'); returns the text, writes ``out`` atomically."""
    if fmt == "mcpd":
        return export_mcpd(db, out)
    if fmt == "dwc":
        return export_dwc(db, out)
    if fmt == "csv":
        return export_csv(db, out)
    raise ConfigError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
