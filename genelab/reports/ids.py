"""Report ids, checked before they become file names.

Examples
--------
>>> check_source_id("LS-001")
'LS-001'
>>> check_report_id("overview")
'overview'
>>> check_source_id("../etc")
Traceback (most recent call last):
...
genelab.errors.ReportError: invalid source id '../etc': expected 2-4 capital letters, a hyphen and 3 digits (e.g. LS-001)
"""
from __future__ import annotations

import re

from genelab.errors import ReportError

__all__ = ["SOURCE_ID", "TRIAL_ID", "OVERVIEW_ID", "check_source_id", "check_trial_id",
           "check_report_id"]

SOURCE_ID = re.compile(r"^[A-Z]{2,4}-\d{3}$")
TRIAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
OVERVIEW_ID = "overview"


def check_source_id(value) -> str:
    """``value`` if it is a well-formed source id, else :class:`ReportError`."""
    if not isinstance(value, str) or not SOURCE_ID.fullmatch(value):
        raise ReportError(f"invalid source id {value!r}: expected 2-4 capital letters, a hyphen"
                          " and 3 digits (e.g. LS-001)")
    return value


def check_trial_id(value) -> str:
    """``value`` if it is a safe trial id (letters, digits, ``-``, ``_``), else ReportError."""
    if not isinstance(value, str) or not TRIAL_ID.fullmatch(value):
        raise ReportError(f"invalid trial id {value!r}: expected letters, digits, '-' or '_'")
    return value


def check_report_id(value) -> str:
    """Any report id: a source id, a trial id or ``overview``."""
    if value == OVERVIEW_ID:
        return value
    if isinstance(value, str) and SOURCE_ID.fullmatch(value):
        return value
    return check_trial_id(value)
