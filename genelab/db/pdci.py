"""Passport Data Completeness Index (PDCI) per accession, as Genesys computes it.

The PDCI (van Hintum, Menting & van Strien 2011, *Plant Genetic Resources* 9: 478–485)
scores the presence of MCPD fields, with weights that depend on the biological status
(SAMPSTAT): a wild accession should have a precise collecting site and no variety name,
a modern cultivar a breeder and pedigree.  Points are summed and divided by 100, giving
0–10; the score is capped at 10.

Weights (points)
----------------
Independent of status: GENUS 120; SPECIES 80 (not ``sp.``/``spp.``); SPAUTHOR 5 (with a
species); SUBTAXA 40; SUBTAUTHOR 5 (with subtaxa); CROPNAME 45; ACQDATE 10; SAMPSTAT 80;
DONORCODE 40, else DONORNAME 20; DONORNUMB 40 with a donor code or name, else 20;
OTHERNUMB 35; DUPLSITE 30, else DUPLINSTNAME 15; STORAGE 15; ACCEURL 40; MLSSTAT 15.

=================  ====  =======  ========  ========  =============
field              wild  landrc.  breeding  cultivar  other/unknown
=================  ====  =======  ========  ========  =============
ORIGCTY              80       80        40        40             60
COLLSITE             70       45         –         –             20
DECLATITUDE+LONG    120       80         –         –             30
ELEVATION            20       15         –         –              5
COLLDATE             30       30         –         –             15
BREDCODE (BREDNAME)   –        –  110 (55)  110 (55)             10
ANCEST                –       10       150       150             40
COLLSRC              30       50        20        20             25
ACCENAME              –       50        80       160             40
COLLNUMB             60       40         –         –             20
COLLCODE (COLLNAME)  40 (20) 30 (15)     –         –        20 (10)
=================  ====  =======  ========  ========  =============

wild = SAMPSTAT 100–299 (wild and weedy), landrace = 300–399, breeding = 400–499,
cultivar = 500–599, other = anything else or missing.

Note
----
The weights above are reproduced from recollection of van Hintum et al. (2011, Table 1)
as Genesys implements it; neither the paper's table nor Genesys's code could be retrieved
while this module was written, so they are UNVERIFIED.  They are kept in the two tables
:data:`INDEPENDENT` and :data:`WEIGHTS` so they can be checked against the paper and
corrected in one place.  Because the per-status maxima of these weights are not all exactly
1000 points, the index is capped at 10.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genelab._result import Result
from genelab.errors import ConfigError

__all__ = ["pdci", "PdciResult", "WEIGHTS", "INDEPENDENT"]

#: Points independent of the biological status: field -> points (alternatives as tuples).
INDEPENDENT = {
    "GENUS": 120, "SPECIES": 80, "SPAUTHOR": 5, "SUBTAXA": 40, "SUBTAUTHOR": 5,
    "CROPNAME": 45, "ACQDATE": 10, "SAMPSTAT": 80, "DONORCODE": 40, "DONORNAME": 20,
    "DONORNUMB": 40, "OTHERNUMB": 35, "DUPLSITE": 30, "DUPLINSTNAME": 15, "STORAGE": 15,
    "ACCEURL": 40, "MLSSTAT": 15,
}

#: Points that depend on the status group.  "COORD" = DECLATITUDE and DECLONGITUDE both present.
WEIGHTS = {
    "wild": {"ORIGCTY": 80, "COLLSITE": 70, "COORD": 120, "ELEVATION": 20, "COLLDATE": 30,
             "COLLSRC": 30, "COLLNUMB": 60, "COLLCODE": 40, "COLLNAME": 20},
    "landrace": {"ORIGCTY": 80, "COLLSITE": 45, "COORD": 80, "ELEVATION": 15, "COLLDATE": 30,
                 "ANCEST": 10, "COLLSRC": 50, "ACCENAME": 50, "COLLNUMB": 40, "COLLCODE": 30,
                 "COLLNAME": 15},
    "breeding": {"ORIGCTY": 40, "BREDCODE": 110, "BREDNAME": 55, "ANCEST": 150, "COLLSRC": 20,
                 "ACCENAME": 80},
    "cultivar": {"ORIGCTY": 40, "BREDCODE": 110, "BREDNAME": 55, "ANCEST": 150, "COLLSRC": 20,
                 "ACCENAME": 160},
    "other": {"ORIGCTY": 60, "COLLSITE": 20, "COORD": 30, "ELEVATION": 5, "COLLDATE": 15,
              "BREDCODE": 10, "ANCEST": 40, "COLLSRC": 25, "ACCENAME": 40, "COLLNUMB": 20,
              "COLLCODE": 20, "COLLNAME": 10},
}

#: Pairs where the second field counts only when the first is missing.
_ALTERNATIVES = {"DONORNAME": "DONORCODE", "DUPLINSTNAME": "DUPLSITE", "BREDNAME": "BREDCODE",
                 "COLLNAME": "COLLCODE"}


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

    Examples
    --------
    >>> wild = pd.DataFrame({"INSTCODE": ["VNM049"], "ACCENUMB": ["HOI-001"], "GENUS": ["Illicium"],
    ...     "SPECIES": ["verum"], "SAMPSTAT": [100], "ORIGCTY": ["VNM"], "DECLATITUDE": [21.85],
    ...     "DECLONGITUDE": [106.76]})
    >>> float(pdci(wild).table.loc[0, "pdci"])   # 120+80+80 + 80+120
    4.8
    """
    frame = _mcpd_input(data)
    if len(frame) == 0:
        empty = pd.DataFrame(columns=["instcode", "accenumb", "sampstat", "status_group", "points", "pdci"])
        return PdciResult(table=empty, mean=None, min=None, max=None)
    for required in ("ACCENUMB",):
        if required not in frame.columns:
            raise ConfigError("pdci needs MCPD passport data with an ACCENUMB column")
    present = {f: _present(frame, f) for f in set(INDEPENDENT) | {k for w in WEIGHTS.values() for k in w}
               | {"DECLATITUDE", "DECLONGITUDE"}}
    species = present["SPECIES"].copy()
    if "SPECIES" in frame.columns:
        sp = frame["SPECIES"].astype("string").str.strip().str.lower()
        species &= ~sp.isin(["sp", "sp.", "spp", "spp."]).fillna(False).to_numpy(dtype=bool)
    present["SPECIES"] = species
    present["SPAUTHOR"] = present["SPAUTHOR"] & species
    present["SUBTAUTHOR"] = present["SUBTAUTHOR"] & present["SUBTAXA"]
    present["COORD"] = present["DECLATITUDE"] & present["DECLONGITUDE"]
    groups = np.array([_group(s) for s in (frame["SAMPSTAT"] if "SAMPSTAT" in frame.columns
                                            else [None] * len(frame))])
    points = np.zeros(len(frame))
    for f, w in INDEPENDENT.items():
        has = present[f]
        if f in _ALTERNATIVES:
            has = has & ~present[_ALTERNATIVES[f]]
        if f == "DONORNUMB":
            donor = present["DONORCODE"] | present["DONORNAME"]
            points += np.where(has, np.where(donor, w, 20), 0)
            continue
        points += np.where(has, w, 0)
    for g, weights in WEIGHTS.items():
        mask = groups == g
        if not mask.any():
            continue
        for f, w in weights.items():
            has = present[f]
            if f in _ALTERNATIVES:
                has = has & ~present[_ALTERNATIVES[f]]
            points += np.where(mask & has, w, 0)
    score = np.minimum(points, 1000.0) / 100.0
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
