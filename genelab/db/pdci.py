"""Passport Data Completeness Index (PDCI) per accession.

The PDCI (van Hintum, Menting & van Strien 2011, *Plant Genetic Resources* 9: 478–485)
scores the presence of MCPD fields, with weights that depend on the biological status
(SAMPSTAT): a wild accession should have a precise collecting site and no variety name,
a modern cultivar a breeder and pedigree.  Points are summed and divided by 100.  A fully
documented wild, landrace, breeding or cultivar accession scores exactly 1000 points
(PDCI 10); an accession of other or unknown status can reach 850 points (8.5).

Points independent of the status
--------------------------------
GENUS 120; SPECIES 80 (only with a genus); SPAUTHOR 5, SUBTAXA 40, SUBTAUTHOR 5 and
CROPNAME 45 (each only with a genus and a species); ACQDATE 10; SAMPSTAT 80 (any code);
DONORCODE 40, else DONORNAME 20; DONORNUMB 40 with a donor code or name, else 20;
OTHERNUMB 35; DUPLSITE 30, else DUPLINSTNAME 15; STORAGE 15; ACCEURL 40; MLSSTAT 15.
Together: 600.

Points by status
----------------
===================  =======  ========  ========  ========  =============
field                wild     landrace  breeding  cultivar  other/unknown
===================  =======  ========  ========  ========  =============
ORIGCTY                 80        80        40        40         40
COLLSITE, no coords     70        45         –         –         20
COLLSITE, coords        20        15         –         –         10
coordinates            120        80         –         –         30
ELEVATION               20        15         –         –          5
COLLDATE                30        30         –         –         10
BREDCODE (BREDNAME)      –         –    110 (55)   80 (40)    10 (10)
ANCEST                   –        10       150       100         40
COLLSRC                 30        50        20        20         25
ACCENAME                 –        50        80       160         40
COLLNUMB                60        40         –         –         20
COLLCODE (COLLNAME)  40 (20)   30 (15)       –         –      20 (10)
maximum                400       400       400       400        250
===================  =======  ========  ========  ========  =============

A name in parentheses counts only when the code before it is missing.  "coordinates"
means a latitude and a longitude are both given (DECLATITUDE/DECLONGITUDE, or the
degrees-minutes-seconds LATITUDE/LONGITUDE); a collecting-site description scores less
when coordinates already pin the site down.  wild = SAMPSTAT 100–299 (wild and weedy),
landrace = 300–399, breeding = 400–499, cultivar = 500–599, other = any other code or
none.  A field is present when it is neither missing nor blank; any SPECIES text
(including ``sp.``) counts.

Source
------
The weights and conditions were verified against the open-source Germinate genebank
platform (James Hutton Institute, Apache-2.0), which implements this index citing
van Hintum et al. (2011): ``PDCITask.java`` in germinateplatform/germinate-server and
``PDCIRunnable.java`` in germinateplatform/germinate agree field for field, and each of
the four named status classes sums to exactly 1000 points, as the paper states.  This
module is our own implementation of those numbers.  Genesys's own calculator (its server
code is hosted on gitlab.croptrust.org) and Table 1 of the paper could not be retrieved,
so the 850-point ceiling of the "other" class rests on Germinate alone.  Germinate reads
these fields from its own tables (a pedigree record for ANCEST, a storage record for
STORAGE, a link for ACCEURL); here they are read from the MCPD columns.  The weights
live in the tables :data:`INDEPENDENT` and :data:`WEIGHTS`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import ConfigError

__all__ = ["pdci", "PdciResult", "WEIGHTS", "INDEPENDENT"]

#: Points independent of the biological status (conditions in the module docstring).
INDEPENDENT = {
    "GENUS": 120, "SPECIES": 80, "SPAUTHOR": 5, "SUBTAXA": 40, "SUBTAUTHOR": 5,
    "CROPNAME": 45, "ACQDATE": 10, "SAMPSTAT": 80, "DONORCODE": 40, "DONORNAME": 20,
    "DONORNUMB": 40, "OTHERNUMB": 35, "DUPLSITE": 30, "DUPLINSTNAME": 15, "STORAGE": 15,
    "ACCEURL": 40, "MLSSTAT": 15,
}

#: DONORNUMB points when neither DONORCODE nor DONORNAME is given.
_DONORNUMB_WITHOUT_DONOR = 20

#: Points that depend on the status group.  "COORD" = a latitude and a longitude both given;
#: "COLLSITE" counts when there are no coordinates, "COLLSITE_WITH_COORD" when there are.
WEIGHTS = {
    "wild": {"ORIGCTY": 80, "COLLSITE": 70, "COLLSITE_WITH_COORD": 20, "COORD": 120,
             "ELEVATION": 20, "COLLDATE": 30, "COLLSRC": 30, "COLLNUMB": 60, "COLLCODE": 40,
             "COLLNAME": 20},
    "landrace": {"ORIGCTY": 80, "COLLSITE": 45, "COLLSITE_WITH_COORD": 15, "COORD": 80,
                 "ELEVATION": 15, "COLLDATE": 30, "ANCEST": 10, "COLLSRC": 50, "ACCENAME": 50,
                 "COLLNUMB": 40, "COLLCODE": 30, "COLLNAME": 15},
    "breeding": {"ORIGCTY": 40, "BREDCODE": 110, "BREDNAME": 55, "ANCEST": 150, "COLLSRC": 20,
                 "ACCENAME": 80},
    "cultivar": {"ORIGCTY": 40, "BREDCODE": 80, "BREDNAME": 40, "ANCEST": 100, "COLLSRC": 20,
                 "ACCENAME": 160},
    "other": {"ORIGCTY": 40, "COLLSITE": 20, "COLLSITE_WITH_COORD": 10, "COORD": 30,
              "ELEVATION": 5, "COLLDATE": 10, "BREDCODE": 10, "BREDNAME": 10, "ANCEST": 40,
              "COLLSRC": 25, "ACCENAME": 40, "COLLNUMB": 20, "COLLCODE": 20, "COLLNAME": 10},
}

#: Pairs where the second field counts only when the first is missing.
_ALTERNATIVES = {"DONORNAME": "DONORCODE", "DUPLINSTNAME": "DUPLSITE", "BREDNAME": "BREDCODE",
                 "COLLNAME": "COLLCODE"}

#: MCPD columns read from the input (besides the identifiers).
_FIELDS = ("GENUS", "SPECIES", "SPAUTHOR", "SUBTAXA", "SUBTAUTHOR", "CROPNAME", "ACQDATE",
           "SAMPSTAT", "DONORCODE", "DONORNAME", "DONORNUMB", "OTHERNUMB", "DUPLSITE",
           "DUPLINSTNAME", "STORAGE", "ACCEURL", "MLSSTAT", "ORIGCTY", "COLLSITE", "DECLATITUDE",
           "DECLONGITUDE", "LATITUDE", "LONGITUDE", "ELEVATION", "COLLDATE", "BREDCODE",
           "BREDNAME", "ANCEST", "COLLSRC", "ACCENAME", "COLLNUMB", "COLLCODE", "COLLNAME")


@dataclass(frozen=True)
class PdciResult(Result):
    """PDCI per accession.

    ``table`` columns: ``instcode, accenumb, sampstat, status_group, points, pdci``.
    ``mean``, ``min``, ``max``: over accessions (None when there are none).
    """

    table: pd.DataFrame
    mean: float | None
    min: float | None
    max: float | None


def _group(sampstat) -> str:
    try:
        s = int(float(sampstat))
    except (TypeError, ValueError):
        return "other"
    if 100 <= s < 300:
        return "wild"
    if 300 <= s < 400:
        return "landrace"
    if 400 <= s < 500:
        return "breeding"
    if 500 <= s < 600:
        return "cultivar"
    return "other"


def _present(frame: pd.DataFrame, field: str) -> np.ndarray:
    if field not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    col = frame[field]
    text = col.astype("string").str.strip()
    return (col.notna() & text.notna() & (text != "")).to_numpy(dtype=bool)


def _mcpd_input(data) -> pd.DataFrame:
    from genelab.db.store import Database

    if isinstance(data, Database):
        from genelab.db.mcpd import mcpd_frame

        return mcpd_frame(data)
    if isinstance(data, pd.DataFrame):
        return data.rename(columns={c: str(c).upper() for c in data.columns})
    from genelab.db.passport import passport_frame  # a workspace

    return passport_frame(data)


def _groups(frame: pd.DataFrame) -> np.ndarray:
    if "SAMPSTAT" not in frame.columns:
        return np.full(len(frame), "other", dtype=object)
    return np.array([_group(s) for s in frame["SAMPSTAT"]], dtype=object)


def _independent_points(has: dict) -> np.ndarray:
    taxon = has["GENUS"] & has["SPECIES"]
    counted = {
        "GENUS": has["GENUS"], "SPECIES": taxon,
        "SPAUTHOR": taxon & has["SPAUTHOR"], "SUBTAXA": taxon & has["SUBTAXA"],
        "SUBTAUTHOR": taxon & has["SUBTAUTHOR"], "CROPNAME": taxon & has["CROPNAME"],
    }
    points = np.zeros(len(has["GENUS"]))
    for field, weight in INDEPENDENT.items():
        present = counted[field] if field in counted else has[field]
        if field in _ALTERNATIVES:
            present = present & ~has[_ALTERNATIVES[field]]
        if field == "DONORNUMB":
            donor = has["DONORCODE"] | has["DONORNAME"]
            points += np.where(present, np.where(donor, weight, _DONORNUMB_WITHOUT_DONOR), 0)
        else:
            points += np.where(present, weight, 0)
    return points


def _status_points(has: dict, groups: np.ndarray) -> np.ndarray:
    coord = (has["DECLATITUDE"] & has["DECLONGITUDE"]) | (has["LATITUDE"] & has["LONGITUDE"])
    counted = {"COORD": coord, "COLLSITE": has["COLLSITE"] & ~coord,
               "COLLSITE_WITH_COORD": has["COLLSITE"] & coord}
    points = np.zeros(len(groups))
    for group, weights in WEIGHTS.items():
        mask = groups == group
        if not mask.any():
            continue
        for field, weight in weights.items():
            present = counted[field] if field in counted else has[field]
            if field in _ALTERNATIVES:
                present = present & ~has[_ALTERNATIVES[field]]
            points += np.where(mask & present, weight, 0)
    return points


def pdci(data) -> PdciResult:
    """Passport Data Completeness Index of every accession.

    Parameters
    ----------
    data : DataFrame, Database or Workspace
        MCPD passport data (columns named as the MCPD fields, any case; '' or NaN for
        missing), a gene-source database, or a workspace (converted as the import does).

    Returns
    -------
    PdciResult
        ``table``: ``instcode, accenumb, sampstat, status_group, points, pdci`` (0–10).

    References
    ----------
    van Hintum Th.J.L., Menting F., van Strien E. (2011) Quality indicators for passport
    data in ex situ genebanks. Plant Genetic Resources 9(3): 478–485.
    doi:10.1017/S1479262111000682.  Weights as implemented in Germinate
    (germinateplatform/germinate-server, ``PDCITask.java``); see the module docstring.

    Examples
    --------
    >>> wild = pd.DataFrame({"INSTCODE": ["VNM049"], "ACCENUMB": ["HOI-001"], "GENUS": ["Illicium"],
    ...     "SPECIES": ["verum"], "SAMPSTAT": [100], "ORIGCTY": ["VNM"], "DECLATITUDE": [21.85],
    ...     "DECLONGITUDE": [106.76]})
    >>> float(pdci(wild).table.loc[0, "pdci"])   # genus, species, sampstat + origcty, coordinates
    4.8
    """
    frame = _mcpd_input(data)
    if len(frame) == 0:
        empty = pd.DataFrame(columns=["instcode", "accenumb", "sampstat", "status_group", "points", "pdci"])
        return PdciResult(table=empty, mean=None, min=None, max=None)
    for required in ("ACCENUMB",):
        if required not in frame.columns:
            raise ConfigError("pdci needs MCPD passport data with an ACCENUMB column")
    has = {f: _present(frame, f) for f in _FIELDS}
    groups = _groups(frame)
    points = _independent_points(has) + _status_points(has, groups)
    score = points / 100.0
    table = pd.DataFrame({
        "instcode": frame["INSTCODE"].to_numpy() if "INSTCODE" in frame.columns else None,
        "accenumb": frame["ACCENUMB"].to_numpy(),
        "sampstat": frame["SAMPSTAT"].to_numpy() if "SAMPSTAT" in frame.columns else None,
        "status_group": groups,
        "points": points,
        "pdci": score,
    })
    return PdciResult(table=table, mean=float(score.mean()), min=float(score.min()),
                      max=float(score.max()))
