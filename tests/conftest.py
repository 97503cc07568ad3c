"""Shared test helpers: where the R reference cases are."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def reference_dir() -> Path:
    """``$GENELAB_REFERENCE`` or ``../shared/reference`` beside the repository."""
    env = os.environ.get("GENELAB_REFERENCE")
    path = Path(env) if env else ROOT.parent / "shared" / "reference"
    if not path.is_dir():
        raise RuntimeError(f"R reference cases not found at {path} (set GENELAB_REFERENCE)")
    return path


def reference_cases(*designs: str) -> list[Path]:
    """Every case folder whose spec.json ``design`` is one of ``designs`` (all when empty)."""
    out = []
    for spec in sorted(reference_dir().glob("*/spec.json")):
        design = json.loads(spec.read_text("utf-8")).get("design")
        if not designs or design in designs:
            out.append(spec.parent)
    return out


def load_case(folder: Path) -> tuple[dict, dict]:
    """(spec, expected) of one case folder."""
    spec = json.loads((folder / "spec.json").read_text("utf-8"))
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    return spec, expected


def json_pointer(doc, pointer: str):
    """Resolve an RFC 6901 JSON pointer."""
    if pointer in ("", "/"):
        return doc
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        doc = doc[int(token)] if isinstance(doc, list) else doc[token]
    return doc


def case_params(*designs: str):
    """pytest parameters, one per case folder, with the folder name as id."""
    return [pytest.param(c, id=c.name) for c in reference_cases(*designs)]
