"""The project's own files agree with each other."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _requirement_names_and_bounds(specs):
    out = {}
    for spec in specs:
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(>=\s*[0-9][^,;\s]*)?", spec)
        if m:
            out[m.group(1).lower().replace("_", "-")] = (m.group(3) or "").replace(" ", "")
    return out


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = _requirement_names_and_bounds(
        project["dependencies"] + project["optional-dependencies"]["test"]
    )
    env_specs = []
    for line in (ROOT / "environment.yml").read_text("utf-8").splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z][A-Za-z0-9_.\-]*(\[[^\]]*\])?\s*>=.*)$", line)
        if m and not re.match(r"python\b", m.group(1)):
            env_specs.append(m.group(1))
    have = _requirement_names_and_bounds(env_specs)
    assert have == wanted, (
        f"environment.yml and pyproject.toml disagree: only in pyproject: "
        f"{sorted(set(wanted.items()) - set(have.items()))}; only in environment.yml: "
        f"{sorted(set(have.items()) - set(wanted.items()))}"
    )


def test_every_dependency_has_a_lower_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    for spec in project["dependencies"]:
        assert ">=" in spec, f"dependency without a lower bound: {spec}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make test" in readme and "make reports" in readme
