"""Reading and validating a workspace folder (DESIGN §3).

:func:`open_workspace` reads ``genelab.toml`` and every table (CSV or XLSX), converts each column
to its declared type (genelab.schema), runs the declared checks and the checks between tables,
and either returns a :class:`Workspace` or raises one :class:`~genelab.errors.ValidationError`
listing every problem found: file, spreadsheet row, column, the cell as typed, and what was
expected.  Nothing in the workspace is ever written.

Errors and warnings.  Anything that would make an analysis wrong is an error: a missing file or
column, a value of the wrong type, an unknown code, a duplicate key, a reference to an unknown
source, trait or trial, a qualitative value outside its trait's states, coordinates outside
Vietnam, more seeds germinated than sown, negative counts, an empty table, a CSV that is not
UTF-8, a trial whose plot file is missing or lacks a declared column.  Things that are probably
but not surely mistakes are warnings, kept in :attr:`Workspace.warnings` and printed by
``genelab validate``: coordinates inside Vietnam but outside the province named in genelab.toml,
a district not in that province's list, a source with no assessment, an AHP matrix whose
consistency ratio is 0.10 or more.

Types.  Text and codes load as pandas' default string dtype (``str``, missing = NaN), whole
numbers as int64 (Int64 where a column may be empty), numbers as float64, dates as
datetime64[ns], true/false as boolean; observations get ``value`` (float64) and ``state``
(``string``, missing = <NA>).  Every table has a fresh 0..n-1 index; problems name rows as a
spreadsheet shows them (header = row 1, blank rows counted).  CSV files may use ``;`` as
separator with ``,`` as decimal mark (Excel in a Vietnamese locale); a byte-order mark is fine.

Examples
--------
>>> import genelab
>>> ws = open_workspace(genelab.demo_path())
>>> len(ws.sources), ws.observations["value"].dtype.name
(65, 'float64')
>>> ws.trial("T01-HOI-IBA")["design"]
'crd'
>>> ws.trial_data("T01-HOI-IBA")[["treatment", "rooted", "cuttings"]].head(2)
  treatment  rooted  cuttings
0      IBA0       3        25
1      IBA0       6        25
>>> hoi = ws.source("HOI-001")
>>> len(hoi.sources), sorted(hoi.trials["trial_id"])
(1, ['T01-HOI-IBA'])
"""
from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from genelab import _tables as _t
from genelab.errors import GenelabError, Problem, ValidationError
from genelab.schema import (
    DESIGN_COLUMNS,
    DISTRICTS,
    PROVINCE_BOUNDS,
    REQUIRED_TABLES,
    TABLE_SPECS,
    TABLES,
    VIETNAM_BOUNDS,
)

__all__ = ["Workspace", "open_workspace", "NotFoundError", "add_commands"]

_SOURCE_TABLES = ("knowledge", "observations", "trials", "germination", "viability", "assessments",
                  "models", "protocols", "growth")
_PROVINCE_DISTRICTS = {"Lạng Sơn": DISTRICTS}
# Saaty's random consistency index by matrix size.
_RANDOM_INDEX = {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}


class NotFoundError(GenelabError, LookupError):
    """A source, trial or table asked for is not in the workspace."""


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class Workspace:
    """A validated workspace: ``config`` and one typed DataFrame per table.

    Tables: ``sources, knowledge, traits, observations, trials, germination, viability,
    assessments, models, protocols`` and the optional ``growth`` and ``rooting`` (empty frames
    with the declared columns when the workspace has no such file).  Row order is the file's;
    columns not declared by genelab.schema are kept as text.  ``warnings`` lists the problems
    that did not stop loading.  ``files`` maps each table to the file read (None if absent).
    """

    path: Path
    config: dict
    sources: pd.DataFrame
    knowledge: pd.DataFrame
    traits: pd.DataFrame
    observations: pd.DataFrame
    trials: pd.DataFrame
    germination: pd.DataFrame
    viability: pd.DataFrame
    assessments: pd.DataFrame
    models: pd.DataFrame
    protocols: pd.DataFrame
    growth: pd.DataFrame
    rooting: pd.DataFrame
    warnings: tuple = ()
    files: dict = dataclasses.field(default_factory=dict)
    plot_data: dict = dataclasses.field(default_factory=dict)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name, in schema order."""
        return {name: getattr(self, name) for name in TABLES}

    def trial(self, trial_id: str) -> pd.Series:
        """The trials-table row of ``trial_id`` (design, column names, responses …)."""
        hit = self.trials.index[self.trials["trial_id"] == trial_id]
        if len(hit) == 0:
            raise NotFoundError(f"no trial {trial_id!r} in {self.path}; known trials: "
                                f"{', '.join(self.trials['trial_id'])}")
        return self.trials.loc[hit[0]]

    def trial_design(self, trial_id: str) -> dict:
        """The trial's design as analysis arguments: the row's column names split into lists.

        Keys: ``design``, ``purpose``, ``responses`` (list), ``counts`` (list of
        ``(successes, trials)`` pairs), ``dose`` (or None), and those of ``treatment``,
        ``factors`` (list), ``block``, ``row``, ``column``, ``main``, ``sub`` the row fills.

        Examples
        --------
        >>> import genelab
        >>> ws = open_workspace(genelab.demo_path())
        >>> d = ws.trial_design("T02-BKI-IBA")
        >>> d["design"], d["treatment"], d["block"], d["counts"][0], d["dose"]
        ('rcbd', 'treatment', 'block', ('rooted', 'cuttings'), 'iba_ppm')
        """
        row = self.trial(trial_id)

        def split(value):
            return [] if pd.isna(value) else [x.strip() for x in str(value).split(";") if x.strip()]

        out = {"design": row["design"], "purpose": row["purpose"], "responses": split(row["responses"]),
               "counts": [tuple(p.strip() for p in pair.split("/")) for pair in split(row["counts"])],
               "dose": None if pd.isna(row["dose"]) else str(row["dose"]).strip()}
        for key in ("treatment", "block", "row", "column", "main", "sub"):
            if not pd.isna(row[key]):
                out[key] = str(row[key]).strip()
        if not pd.isna(row["factors"]):
            out["factors"] = split(row["factors"])
        return out

    def trial_data(self, trial_id: str) -> pd.DataFrame:
        """The validated plot data of ``trial_id`` (trials/<trial_id>.csv), as a new frame.

        Columns the trial's row names as responses, doses or counts are numeric (float64, or
        int64 for counts); treatment, factor and block columns are text; other columns are
        numeric when every value is a number, else text.
        """
        self.trial(trial_id)
        return self.plot_data[trial_id].copy()

    def source(self, source_id: str) -> "Workspace":
        """The same workspace restricted to one source: every table filtered to its rows.

        ``traits`` and ``config`` are kept whole; ``rooting`` keeps the rows of the source's
        trials.  Every filtered table gets a fresh 0..n-1 index.
        """
        if source_id not in set(self.sources["source_id"]):
            raise NotFoundError(f"no source {source_id!r} in {self.path}")
        sub = {}
        for name in ("sources",) + _SOURCE_TABLES:
            frame = getattr(self, name)
            sub[name] = frame[(frame["source_id"] == source_id).to_numpy()].reset_index(drop=True)
        trial_ids = set(sub["trials"]["trial_id"])
        rooting = self.rooting
        sub["rooting"] = rooting[rooting["trial_id"].isin(trial_ids).to_numpy()].reset_index(drop=True)
        plots = {k: v for k, v in self.plot_data.items() if k in trial_ids}
        return dataclasses.replace(self, plot_data=plots, **sub)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{n}={len(getattr(self, n))}" for n in TABLES)
        return f"<Workspace {self.path} {self.config.get('name', '')!r}: {sizes}>"


# ---------------------------------------------------------------------------- config


def _config_problem(problems, key, value, message):
    problems.append(Problem("genelab.toml", None, key, value, message))


def _read_config(root: Path, problems: list[Problem], warnings: list[Problem]) -> dict:
    path = root / "genelab.toml"
    if not path.is_file():
        _config_problem(problems, None, None,
                        "missing file: every workspace needs genelab.toml (name, province, "
                        "language, scoring); copy data/demo/genelab.toml and edit it")
        return {}
    try:
        config = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        _config_problem(problems, None, None, "not UTF-8 text; save genelab.toml as UTF-8")
        return {}
    except tomllib.TOMLDecodeError as exc:
        _config_problem(problems, None, None, f"not valid TOML ({exc})")
        return {}
    for key in ("name", "province"):
        if not isinstance(config.get(key), str) or not config.get(key).strip():
            _config_problem(problems, key, config.get(key), "a non-empty text in quotes")
    if config.get("language", "vi") not in ("vi", "en"):
        _config_problem(problems, "language", config.get("language"), "one of: vi, en")
    alpha = config.setdefault("alpha", 0.05)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        _config_problem(problems, "alpha", alpha, "a significance level between 0 and 1, e.g. 0.05")
    seed = config.setdefault("seed", 2021)
    if isinstance(seed, bool) or not isinstance(seed, int):
        _config_problem(problems, "seed", seed, "a whole number")
    config.setdefault("language", "vi")
    _check_scoring(config, problems, warnings)
    return config


def _check_scoring(config: dict, problems, warnings) -> None:
    scoring = config.get("scoring")
    if scoring is None:
        return
    if not isinstance(scoring, dict):
        _config_problem(problems, "scoring", scoring, "a [scoring] table")
        return
    crit = scoring.get("criteria")
    if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
        _config_problem(problems, "scoring.criteria", crit, "a list of criterion codes in quotes")
        return
    if len(set(crit)) != len(crit):
        _config_problem(problems, "scoring.criteria", crit, "each criterion listed once")
    details = scoring.get("criterion", {})
    weights = []
    for c in crit:
        d = details.get(c)
        key = f"scoring.criterion.{c}"
        if not isinstance(d, dict):
            _config_problem(problems, key, None, f"a [{key}] table with label_vi, label_en, direction, scale")
            continue
        if d.get("direction") not in ("benefit", "cost"):
            _config_problem(problems, key + ".direction", d.get("direction"), "one of: benefit, cost")
        scale = d.get("scale")
        if (not isinstance(scale, list) or len(scale) != 2
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in scale)
                or scale[0] >= scale[1]):
            _config_problem(problems, key + ".scale", scale, "[low, high] with low < high, e.g. [1, 5]")
        weights.append(d.get("weight"))
    ahp = scoring.get("ahp")
    if ahp is not None:
        _check_ahp(ahp, len(crit), problems, warnings)
    elif any(w is None for w in weights):
        _config_problem(problems, "scoring", None,
                        "either an ahp matrix or a weight for every criterion")


def _check_ahp(ahp, n, problems, warnings) -> None:
    try:
        a = np.asarray(ahp, dtype=float)
    except (TypeError, ValueError):
        _config_problem(problems, "scoring.ahp", ahp, f"a {n}×{n} matrix of positive numbers")
        return
    if a.shape != (n, n) or not np.all(np.isfinite(a)) or np.any(a <= 0):
        _config_problem(problems, "scoring.ahp", list(getattr(a, "shape", ())),
                        f"a {n}×{n} matrix of positive numbers (one row and column per criterion)")
        return
    bad = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=1e-3) | ~np.isclose(np.diag(a), 1.0)[:, None]
                      & np.eye(n, dtype=bool))
    if len(bad):
        i, j = bad[0]
        _config_problem(problems, "scoring.ahp", float(a[i, j]),
                        f"a reciprocal matrix: entry [{i + 1}][{j + 1}] times entry [{j + 1}][{i + 1}] "
                        "must be 1 and the diagonal 1")
        return
    if n in _RANDOM_INDEX:
        lam = float(np.max(np.real(np.linalg.eigvals(a))))
        cr = (lam - n) / (n - 1) / _RANDOM_INDEX[n]
        if cr >= 0.10:
            warnings.append(Problem("genelab.toml", None, "scoring.ahp", round(cr, 3),
                                    "consistency ratio ≥ 0.10: revise the pairwise judgements (warning)"))


# ---------------------------------------------------------------------------- tables


def _read_tables(root: Path, problems: list[Problem]):
    frames, texts, files = {}, {}, {}
    for name in TABLES:
        path, found = _t.find_table(root, name)
        files[name] = path
        if len(found) > 1:
            problems.append(Problem(f"{name}.csv", None, None, None,
                                    f"both {name}.csv and {name}.xlsx exist; keep only one"))
        if path is None:
            if name in REQUIRED_TABLES:
                problems.append(Problem(f"{name}.csv", None, None, None,
                                        f"missing table: expected {name}.csv or {name}.xlsx in the "
                                        f"workspace ({TABLE_SPECS[name].description})"))
            continue
        text = _t.read_text(path, name, root, problems, _t.numeric_columns(name))
        if text is None:
            continue
        if text.frame.empty:
            if name in REQUIRED_TABLES:
                problems.append(Problem(text.label, None, None, None,
                                        "the table has no data rows; it needs at least one"))
            frames[name] = None
            continue
        _t.missing_columns(name, text, problems)
        special = {"value"} if name == "observations" else None
        frames[name] = _t.convert_table(name, text, problems, special=special)
        frames[name].attrs.clear()
        texts[name] = text
    return frames, texts, files


def _unknown(frame, column, valid, label, problems, message):
    if frame is None or column not in frame.columns:
        return
    s = frame[column]
    mask = s.notna() & ~s.isin(valid)
    if mask.any():
        for i in np.flatnonzero(mask.to_numpy()):
            problems.append(Problem(label, int(frame.index[i]) + 2, column, _t.plain(s.iat[i]), message))


def _observation_values(obs, text, traits, problems) -> None:
    """Split the text ``value`` into ``value`` (float64) and ``state`` (qualitative codes)."""
    n = len(obs)
    raw = text.frame["value"] if "value" in text.frame.columns else pd.Series(np.nan, index=obs.index)
    label = text.label
    values = raw.to_numpy(dtype=object)
    num = np.full(n, np.nan)
    state = np.full(n, None, dtype=object)
    if traits is not None and "trait" in obs.columns:
        info = traits.drop_duplicates("trait").set_index("trait")
        trait_codes, trait_names = pd.factorize(obs["trait"])
        kind_of = info["kind"].reindex(trait_names).to_numpy(dtype=object)
        states_of = info["states"].reindex(trait_names).to_numpy(dtype=object)
        unit_of = info["unit"].reindex(trait_names).to_numpy(dtype=object)
        present = ~pd.isna(values)
        quant = np.isin(trait_codes, np.flatnonzero(kind_of == "quantitative"))
        if quant.any():
            num[quant] = _t.to_number(raw[quant]).to_numpy()
        for i in np.flatnonzero(quant & np.isnan(num) & present):
            k = trait_codes[i]
            unit = f" in {unit_of[k]}" if isinstance(unit_of[k], str) else ""
            problems.append(Problem(label, int(obs.index[i]) + 2, "value", values[i],
                                    f"a number{unit}: trait '{trait_names[k]}' is quantitative"))
        for k in np.flatnonzero(kind_of == "qualitative"):
            rows = np.flatnonzero(trait_codes == k)
            state[rows] = values[rows]
            if not isinstance(states_of[k], str):
                continue  # the trait's missing states are reported on traits
            allowed = [x.strip() for x in states_of[k].split(";")]
            ok = ~present[rows] | np.isin(values[rows].astype(str), allowed)
            problems.extend(Problem(label, int(obs.index[i]) + 2, "value", values[i],
                                    f"one of the states of trait '{trait_names[k]}': {', '.join(allowed)}")
                            for i in rows[~ok])
    else:
        num = _t.to_number(raw).to_numpy()
    obs["value"] = num
    obs["state"] = pd.array(state, dtype="string")


def _check_traits(traits, label, problems) -> None:
    qual = traits["kind"] == "qualitative"
    no_states = qual & traits["states"].isna()
    for i in np.flatnonzero(no_states.to_numpy()):
        problems.append(Problem(label, int(traits.index[i]) + 2, "states", None,
                                "the ';'-separated state codes of this qualitative trait"))


def _check_sources(src, label, config, problems, warnings) -> None:
    if not {"latitude", "longitude"} <= set(src.columns):
        return
    lat, lon = src["latitude"], src["longitude"]
    la0, la1, lo0, lo1 = VIETNAM_BOUNDS
    one = lat.isna() ^ lon.isna()
    for i in np.flatnonzero(one.to_numpy()):
        col = "longitude" if lon.isna().iat[i] else "latitude"
        problems.append(Problem(label, int(src.index[i]) + 2, col, None,
                                "both latitude and longitude, or neither"))
    swapped = lat.between(lo0, lo1) & lon.between(la0, la1)
    hint = {True: " (latitude and longitude look swapped)", False: ""}
    for col, s, lo, hi, unit in (("latitude", lat, la0, la1, "°N"), ("longitude", lon, lo0, lo1, "°E")):
        out = s.notna() & ~s.between(lo, hi)
        for i in np.flatnonzero(out.to_numpy()):
            problems.append(Problem(label, int(src.index[i]) + 2, col, _t.plain(s.iat[i]),
                                    f"a {col} inside Vietnam ({lo}–{hi} {unit}), decimal degrees"
                                    + hint[bool(swapped.iat[i])]))
    province = config.get("province")
    box = PROVINCE_BOUNDS.get(province)
    if box is not None:
        inside_vn = lat.between(la0, la1) & lon.between(lo0, lo1)
        inside = lat.between(box[0], box[1]) & lon.between(box[2], box[3])
        for i in np.flatnonzero((inside_vn & ~inside).to_numpy()):
            warnings.append(Problem(
                label, int(src.index[i]) + 2, "latitude, longitude", (_t.plain(lat.iat[i]), _t.plain(lon.iat[i])),
                f"outside {province} ({box[0]}–{box[1]} °N, {box[2]}–{box[3]} °E): check the "
                "coordinates (warning)"))
    districts = _PROVINCE_DISTRICTS.get(province)
    if districts is not None and "district" in src.columns:
        _unknown(src, "district", districts, label, warnings,
                 f"a district of {province}: {', '.join(districts)} (warning)")


def _check_counts(frames, texts, problems) -> None:
    germ = frames.get("germination")
    if germ is not None and {"test_id", "dish", "sown", "germinated"} <= set(germ.columns):
        label = texts["germination"].label
        g = germ.dropna(subset=["test_id", "dish", "germinated", "sown"])
        if "day" in g.columns:
            g = g.sort_values(["test_id", "dish", "day"], kind="stable")
        keys = [g["test_id"], g["dish"]]
        cum = g["germinated"].groupby(keys, sort=False).cumsum()
        # the day on which the running total first passes the seeds sown
        first = (cum > g["sown"]) & (cum - g["germinated"] <= g["sown"])
        for idx in g.index[first.to_numpy()]:
            problems.append(Problem(label, int(idx) + 2, "germinated", int(germ.at[idx, "germinated"]),
                                    f"germinants so far in dish {germ.at[idx, 'dish']} ({int(cum.at[idx])}) "
                                    f"exceed seeds sown ({int(germ.at[idx, 'sown'])})"))
        differs = g["sown"].groupby(keys, sort=False).transform("nunique") > 1
        changed = differs & (g["sown"] != g["sown"].groupby(keys, sort=False).transform("first"))
        for idx in g.index[changed.to_numpy()]:
            problems.append(Problem(label, int(idx) + 2, "sown", int(germ.at[idx, "sown"]),
                                    f"the seeds sown in dish {germ.at[idx, 'dish']} on its first day "
                                    "(the same number on every day of a dish)"))
    via = frames.get("viability")
    if via is not None and {"sown", "germinated"} <= set(via.columns):
        over = via["germinated"] > via["sown"]
        for i in np.flatnonzero(over.fillna(False).to_numpy()):
            problems.append(Problem(texts["viability"].label, int(via.index[i]) + 2, "germinated",
                                    int(via["germinated"].iat[i]),
                                    f"at most the seeds sown ({int(via['sown'].iat[i])})"))


def _check_assessments(frames, texts, config, problems, warnings) -> None:
    ass = frames.get("assessments")
    scoring = config.get("scoring") if isinstance(config.get("scoring"), dict) else None
    if ass is None or scoring is None or not isinstance(scoring.get("criteria"), list):
        return
    label = texts["assessments"].label
    crit = scoring["criteria"]
    _unknown(ass, "criterion", crit, label, problems,
             "a criterion of genelab.toml scoring.criteria: " + ", ".join(map(str, crit)))
    details = scoring.get("criterion", {})
    for c in crit:
        scale = details.get(c, {}).get("scale") if isinstance(details.get(c), dict) else None
        if not (isinstance(scale, list) and len(scale) == 2) or "value" not in ass.columns:
            continue
        rows = (ass["criterion"] == c) & ass["value"].notna() & ~ass["value"].between(*scale)
        for i in np.flatnonzero(rows.fillna(False).to_numpy()):
            problems.append(Problem(label, int(ass.index[i]) + 2, "value", _t.plain(ass["value"].iat[i]),
                                    f"a score on the scale of '{c}': {scale[0]} to {scale[1]}"))
    src = frames.get("sources")
    if src is not None and "source_id" in ass.columns:
        unscored = sorted(set(src["source_id"].dropna()) - set(ass["source_id"].dropna()))
        for sid in unscored:
            warnings.append(Problem(label, None, "source_id", sid, "no assessment for this source (warning)"))


def _plot_column_kinds(trial: pd.Series) -> dict[str, tuple[str, str]]:
    """column -> (kind, what named it) for the columns a trial row declares."""
    out = {}

    def names(field):
        v = trial.get(field)
        return [] if v is None or pd.isna(v) else [x.strip() for x in str(v).split(";") if x.strip()]

    for field in ("treatment", "factors", "block", "row", "column", "main", "sub"):
        for name in names(field):
            out[name] = ("text", field)
    for name in names("responses"):
        out.setdefault(name, ("response", "responses"))
    for pair in names("counts"):
        for name in pair.split("/"):
            out[name.strip()] = ("count", "counts")
    for name in names("dose"):
        out[name] = ("dose", "dose")
    return out


def _read_plots(root, frames, texts, problems) -> tuple[dict, dict]:
    trials = frames.get("trials")
    plots, labels = {}, {}
    if trials is None or "trial_id" not in trials.columns:
        return plots, labels
    label = texts["trials"].label
    for idx, trial in trials.iterrows():
        tid = trial["trial_id"]
        row = int(idx) + 2
        if pd.isna(tid) or "/" in tid or "\\" in tid:
            continue  # reported by the trial_id check; never look outside trials/
        design = trial.get("design")
        for field in DESIGN_COLUMNS.get(design, ()):
            if pd.isna(trial.get(field)):
                problems.append(Problem(label, row, field, None,
                                        f"the name of the {field} column: design '{design}' needs it"))
        if design in ("factorial_crd", "factorial_rcbd") and not pd.isna(trial.get("factors")):
            if len([f for f in str(trial["factors"]).split(";") if f.strip()]) < 2:
                problems.append(Problem(label, row, "factors", trial["factors"],
                                        "at least two ';'-separated factor columns"))
        for pair in ([] if pd.isna(trial.get("counts")) else str(trial["counts"]).split(";")):
            if pair.strip() and len([p for p in pair.split("/") if p.strip()]) != 2:
                problems.append(Problem(label, row, "counts", trial["counts"],
                                        "successes/trials pairs such as rooted/cuttings"))
        path, _ = _t.find_table(root / "trials", str(tid))
        if path is None:
            problems.append(Problem(f"trials/{tid}.csv", None, None, None,
                                    f"missing plot file of trial {tid} ({label} row {row}); expected "
                                    f"trials/{tid}.csv or trials/{tid}.xlsx"))
            continue
        declared = _plot_column_kinds(trial)
        numeric = {k: "float64" for k, (kind, _) in declared.items() if kind != "text"}
        factors = tuple(k for k, (kind, _) in declared.items() if kind == "text")
        text = _t.read_text(path, str(tid), root, problems, numeric, factors, infer_others=True)
        if text is None:
            continue
        if text.frame.empty:
            problems.append(Problem(text.label, None, None, None, "the plot file has no data rows"))
            continue
        plots[tid] = _convert_plot(text, declared, label, row, problems)
        labels[tid] = text.label
    return plots, labels


def _convert_plot(text, declared, trials_label, trials_row, problems) -> pd.DataFrame:
    raw = text.frame
    out = {}
    for name, (kind, field) in declared.items():
        if name not in raw.columns:
            problems.append(Problem(text.label, None, name, None,
                                    f"missing column '{name}', named in {field} of {trials_label} "
                                    f"row {trials_row}"))
    for name in raw.columns:
        kind = declared.get(name, (None,))[0]
        s = raw[name]
        if kind == "text":
            out[name] = _t.convert_column(s, "text", text.label, name, False, problems)
        elif kind == "response":
            out[name] = _t.convert_column(s, "float", text.label, name, True, problems)
        elif kind == "dose":
            v = _t.convert_column(s, "float", text.label, name, False, problems)
            _flag(v < 0, s, text.label, name, "a dose ≥ 0", problems)
            out[name] = v
        elif kind == "count":
            v = _t.convert_column(s, "int", text.label, name, False, problems)
            _flag(v < 0, s, text.label, name, "a count ≥ 0", problems)
            out[name] = _t.finalize_dtype(v, "int", False)
        elif s.dtype.kind in "iufb":  # the CSV reader already found numbers
            out[name] = s
        else:
            num = _t.to_number(s)
            if s.notna().any() and (num.notna() == s.notna()).all():
                whole = num.dropna()
                out[name] = num.astype("int64") if num.notna().all() and (whole == np.floor(whole)).all() else num
            else:
                out[name] = s if s.dtype == _t.TEXT_DTYPE else s.astype(_t.TEXT_DTYPE)
    return pd.DataFrame(out, index=raw.index)


def _flag(mask, raw, label, column, message, problems):
    mask = mask.fillna(False).to_numpy(dtype=bool)
    for i in np.flatnonzero(mask):
        problems.append(Problem(label, int(raw.index[i]) + 2, column, _t.plain(raw.iat[i]), message))


def _check_count_pairs(trials, plots, labels, problems) -> None:
    for _, trial in trials.iterrows():
        frame = plots.get(trial["trial_id"])
        if frame is None or pd.isna(trial.get("counts")):
            continue
        for pair in str(trial["counts"]).split(";"):
            parts = [p.strip() for p in pair.split("/")]
            if len(parts) != 2 or not set(parts) <= set(frame.columns):
                continue
            succ, tot = frame[parts[0]], frame[parts[1]]
            over = (pd.to_numeric(succ, errors="coerce") > pd.to_numeric(tot, errors="coerce"))
            label = labels[trial["trial_id"]]
            for i in np.flatnonzero(over.fillna(False).to_numpy()):
                problems.append(Problem(label, int(frame.index[i]) + 2, parts[0],
                                        _t.plain(succ.iat[i]), f"at most {parts[1]} ({_t.plain(tot.iat[i])})"))


# ---------------------------------------------------------------------------- entry point


def open_workspace(path) -> Workspace:
    """Read and validate the workspace folder ``path``.

    Parameters
    ----------
    path : str or pathlib.Path
        A folder holding genelab.toml and the tables of DESIGN §3 (``<table>.csv`` or
        ``<table>.xlsx``), plus trials/<trial_id>.csv for each trial.

    Returns
    -------
    Workspace
        ``config`` (genelab.toml as a dict, ``alpha`` and ``seed`` defaulted to 0.05 and 2021),
        one DataFrame per table with the dtypes of genelab.schema (observations: ``value``
        float64 and ``state`` string), ``warnings``, and per-trial plot data.

    Raises
    ------
    ValidationError
        Listing every problem found (file, spreadsheet row, column, value, what was expected);
        the message shows the first 50 and counts the rest.

    Examples
    --------
    >>> import genelab
    >>> ws = open_workspace(genelab.demo_path())
    >>> ws.config["province"], len(ws.trials), ws.warnings
    ('Lạng Sơn', 14, ())
    """
    root = Path(path)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not root.is_dir():
        raise ValidationError([Problem(str(path), None, None, None,
                                       "no such folder; expected a workspace folder holding "
                                       "genelab.toml and the tables")])
    config = _read_config(root, problems, warnings)
    frames, texts, files = _read_tables(root, problems)

    def lab(name):
        return texts[name].label if name in texts else f"{name}.csv"

    src = frames.get("sources")
    if src is not None:
        _check_sources(src, lab("sources"), config, problems, warnings)
        if "source_id" in src.columns:
            ids = src["source_id"].dropna().unique()
            for name in _SOURCE_TABLES:
                _unknown(frames.get(name), "source_id", ids, lab(name), problems,
                         "a source_id listed in sources")
    traits = frames.get("traits")
    if traits is not None:
        _check_traits(traits, lab("traits"), problems)
    obs = frames.get("observations")
    if obs is not None:
        if traits is not None and "trait" in traits.columns:
            _unknown(obs, "trait", traits["trait"].dropna().unique(), lab("observations"), problems,
                     "a trait listed in traits")
        _observation_values(obs, texts["observations"], traits, problems)
    trials = frames.get("trials")
    plots = {}
    if trials is not None and "trial_id" in trials.columns:
        ids = trials["trial_id"].dropna().unique()
        for name in ("protocols", "rooting"):
            _unknown(frames.get(name), "trial_id", ids, lab(name), problems, "a trial_id listed in trials")
        plots, plot_labels = _read_plots(root, frames, texts, problems)
        _check_count_pairs(trials, plots, plot_labels, problems)
    _check_counts(frames, texts, problems)
    _check_assessments(frames, texts, config, problems, warnings)
    if problems:
        files_seen: dict = {}
        for p in problems:
            files_seen.setdefault(p.file, len(files_seen))
        problems.sort(key=lambda p: (files_seen[p.file], -1 if p.row is None else p.row))
        raise ValidationError(problems)
    tables = {}
    for name in TABLES:
        frame = frames.get(name)
        tables[name] = _t.empty_frame(name) if frame is None else frame.reset_index(drop=True)
    plots = {k: v.reset_index(drop=True) for k, v in plots.items()}
    return Workspace(path=root, config=config, warnings=tuple(warnings), files=files,
                     plot_data=plots, **tables)


# ---------------------------------------------------------------------------- command line


def _cmd_validate(args) -> int:
    try:
        ws = open_workspace(args.path)
    except ValidationError as exc:
        print(f"{args.path}: {exc}")
        return 1
    for w in ws.warnings:
        print(f"warning: {w}")
    n_warn = len(ws.warnings)
    print(f"{args.path}: valid — {len(ws.sources)} sources, {len(ws.traits)} traits, "
          f"{len(ws.observations)} observations, {len(ws.trials)} trials, "
          f"{len(ws.protocols)} protocols, {len(ws.models)} models"
          + (f" ({n_warn} warning{'s' if n_warn != 1 else ''})" if n_warn else ""))
    return 0


def add_commands(sub) -> None:
    """Add ``genelab validate PATH``."""
    p = sub.add_parser("validate", help="check a workspace folder and list every problem",
                       description="Read and validate a workspace; print every problem and exit 1, "
                                   "or a one-line summary and exit 0.")
    p.add_argument("path", help="workspace folder (holding genelab.toml)")
    p.set_defaults(func=_cmd_validate)

