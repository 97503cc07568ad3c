"""Exercise checks for the training notebooks (``notebooks/tutorials/``).

A tutorial exercise leaves an answer variable for the trainee to fill in; the hidden cell
after it calls :func:`check`, which says "correct" or raises an :class:`ExerciseError`
whose message is a hint — so a trainer sees at once who is stuck and where.

Examples
--------
>>> check(0.5, 0.5, hint="look at the p-value column", lang="en")
'✔ correct'
>>> try:
...     check(None, 0.5, hint="look at the p-value column", lang="en")
... except ExerciseError as err:
...     print(err)
✘ not answered yet — hint: look at the p-value column
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from genelab.errors import GenelabError

__all__ = ["ExerciseError", "check"]

_WORDS = {
    "vi": {"ok": "✔ chính xác", "empty": "✘ chưa có câu trả lời", "wrong": "✘ chưa đúng", "hint": "gợi ý"},
    "en": {"ok": "✔ correct", "empty": "✘ not answered yet", "wrong": "✘ not quite", "hint": "hint"},
}


class ExerciseError(GenelabError, AssertionError):
    """An exercise answer is missing or wrong; the message carries the hint."""


def _same(answer, expected, rtol: float) -> bool:
    if isinstance(expected, bool) or expected is None:
        return answer == expected
    if isinstance(expected, (int, float)):
        try:
            a = float(answer)
        except (TypeError, ValueError):
            return False
        return math.isclose(a, float(expected), rel_tol=rtol, abs_tol=rtol * 1e-3)
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().casefold() == expected.strip().casefold()
    if isinstance(expected, Mapping):
        return (isinstance(answer, Mapping) and set(answer) == set(expected)
                and all(_same(answer[k], v, rtol) for k, v in expected.items()))
    if isinstance(expected, (set, frozenset)):
        try:
            return {str(a).strip().casefold() for a in answer} == {str(e).strip().casefold() for e in expected}
        except TypeError:
            return False
    if isinstance(expected, Iterable):
        try:
            answer = list(answer)
        except TypeError:
            return False
        expected = list(expected)
        return len(answer) == len(expected) and all(_same(a, e, rtol) for a, e in zip(answer, expected))
    return answer == expected


def check(answer, expected, *, hint: str, lang: str = "vi", rtol: float = 1e-3) -> str:
    """Compare a trainee's ``answer`` with ``expected``.

    Numbers agree within ``rtol`` (relative); text case-insensitively; sets regardless of
    order; lists element by element.

    Returns
    -------
    str
        "✔ correct" (in ``lang``) when the answer is right.

    Raises
    ------
    ExerciseError
        When the answer is missing (``None`` or ``...``) or wrong; the message is the hint.

    Examples
    --------
    >>> check(12.37, 12.366, hint="read the mean column", lang="en")
    '✔ correct'
    >>> check(["b", "a"], {"A", "B"}, hint="two levels", lang="vi")
    '✔ chính xác'
    """
    words = _WORDS.get(lang, _WORDS["en"])
    if answer is None or answer is Ellipsis:
        raise ExerciseError(f"{words['empty']} — {words['hint']}: {hint}")
    if not _same(answer, expected, rtol):
        raise ExerciseError(f"{words['wrong']} ({answer!r}) — {words['hint']}: {hint}")
    return words["ok"]
