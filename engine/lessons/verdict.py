"""A lesson's verdict: each check compares a figure measured on one of its runs with what the
lesson expects; the lesson passes when every check does.

A check's ``expected`` is a value (a number, a list for ``==``, ``[low, high]`` for
``between``), or, with ``relative_to``, a factor of the same figure measured on another run
("Adam's final loss below 0.5 × SGD's").
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .figures import FIGURES, shown


@dataclass(frozen=True)
class Comparison:
    """``holds(measured, expected)``; ``words`` reads in "measured <words> expected"."""

    name: str
    words: str
    holds: Callable[[Any, Any], bool]
    takes: str  # "number", "range" or "any": what ``expected`` must be


def _real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


COMPARISONS: dict[str, Comparison] = {c.name: c for c in (
    Comparison(">=", "at least", lambda m, e: m >= e, "number"),
    Comparison(">", "above", lambda m, e: m > e, "number"),
    Comparison("<=", "at most", lambda m, e: m <= e, "number"),
    Comparison("<", "below", lambda m, e: m < e, "number"),
    Comparison("==", "equal to", lambda m, e: m == e, "any"),
    Comparison("between", "between", lambda m, e: e[0] <= m <= e[1], "range"),
)}


@dataclass(frozen=True)
class Check:
    """``figure`` of run ``run`` compared (``compare``) with ``expected`` (times the same figure of
    run ``relative_to`` when given)."""

    run: str
    figure: str
    compare: str
    expected: Any
    relative_to: str | None = None

    @property
    def key(self) -> str:
        return f"{self.run}: {self.figure}"

    def threshold(self, measured_on: Callable[[str, str], Any]):
        """The value to compare with: ``expected``, or its multiple of the other run's figure
        (None when that figure could not be measured)."""
        if self.relative_to is None:
            return self.expected
        other = measured_on(self.relative_to, self.figure)
        return None if other is None else self.expected * other

    def described(self, threshold) -> str:
        comparison = COMPARISONS[self.compare]
        if self.compare == "between":
            target = f"{shown(threshold[0])} and {shown(threshold[1])}"
        else:
            target = shown(threshold)
        if self.relative_to is not None:
            target = f"{shown(self.expected)} × {self.relative_to}'s ({target})"
        return f"{comparison.words} {target}"


@dataclass(frozen=True)
class Outcome:
    check: Check
    passed: bool
    measured: Any
    expected: str  # in words: "at least 0.95"

    @property
    def text(self) -> str:
        mark = "✓" if self.passed else "✗"
        label = FIGURES[self.check.figure].label
        return f"{mark} {self.check.run}: {label} {shown(self.measured)}, expected {self.expected}"


@dataclass(frozen=True)
class Verdict:
    """Passed when every check holds; ``measured`` and ``expected`` keyed by "run: figure"."""

    lesson: str
    outcomes: tuple[Outcome, ...]

    @property
    def passed(self) -> bool:
        return all(outcome.passed for outcome in self.outcomes)

    @property
    def measured(self) -> dict[str, Any]:
        return {outcome.check.key: outcome.measured for outcome in self.outcomes}

    @property
    def expected(self) -> dict[str, str]:
        return {outcome.check.key: outcome.expected for outcome in self.outcomes}

    @property
    def word(self) -> str:
        return "Passed" if self.passed else "Not yet"

    @property
    def text(self) -> str:
        return "\n".join([f"{self.word}: {self.lesson}", *(outcome.text for outcome in self.outcomes)])

    def as_dict(self) -> dict:
        return {"lesson": self.lesson, "passed": self.passed, "measured": self.measured, "expected": self.expected}


def _holds(compare: str, measured, threshold) -> bool:
    if measured is None or threshold is None:
        return False
    if compare == "==":
        return measured == threshold
    if not _real(measured):
        return False
    return bool(COMPARISONS[compare].holds(measured, threshold))


def judge(lesson: str, checks: Sequence[Check], measured: Mapping[str, Mapping[str, Any]]) -> Verdict:
    """The verdict of ``checks`` on ``measured[run][figure]`` (figures measured on the trained runs)."""

    def measured_on(run: str, figure: str):
        return measured[run][figure]

    outcomes = []
    for check in checks:
        value = measured_on(check.run, check.figure)
        threshold = check.threshold(measured_on)
        outcomes.append(Outcome(check, _holds(check.compare, value, threshold), value, check.described(threshold)))
    return Verdict(lesson, tuple(outcomes))


def check_expected(compare: str, expected, relative: bool) -> str | None:
    """Why ``expected`` does not suit ``compare`` (None when it does)."""
    takes = COMPARISONS[compare].takes
    if relative and not _real(expected):
        return "with relative_to, expected must be a number (a factor)"
    if takes == "number" and not _real(expected):
        return f"with {compare!r}, expected must be a number"
    if takes == "range" and not (isinstance(expected, list) and len(expected) == 2 and all(map(_real, expected))
                                 and expected[0] <= expected[1]):
        return "with 'between', expected must be [low, high]"
    return None
