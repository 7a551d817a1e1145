"""Lessons: prepared experiments with a verdict measured on the trained network.

A lesson is a JSON file in this folder (see :mod:`.loader` for its fields and the README for an
example): what to watch, one or more runs named by the playground's share-link settings
(:mod:`.run_settings`), and the checks of its verdict (:mod:`.verdict`) on figures measured on
the trained runs (:mod:`.figures`). :func:`run_lesson` trains every run and judges it; the
command line (``python -m engine lesson``) and the app both use it.
"""

from __future__ import annotations

from pathlib import Path

from .figures import FIGURES
from .loader import Lesson, LessonError, Run, load_lesson, load_lessons
from .run_settings import SETTINGS, build, read_setting, read_settings, resolve
from .runner import LessonResult, RunResult, run_lesson, train_run, verdict_of
from .verdict import COMPARISONS, Check, Verdict

FOLDER = Path(__file__).resolve().parent


def lessons() -> dict[str, Lesson]:
    """The lessons shipped in this folder, by name, in menu order; LessonError for a bad file."""
    return load_lessons(FOLDER)


def lesson(name: str) -> Lesson:
    """The lesson called ``name``; LessonError naming the lessons there are."""
    found = lessons()
    if name not in found:
        raise LessonError(f"no lesson {name!r}; the lessons are {', '.join(found)}")
    return found[name]


__all__ = [
    "COMPARISONS", "FIGURES", "FOLDER", "SETTINGS", "Check", "Lesson", "LessonError", "LessonResult", "Run",
    "RunResult", "Verdict", "build", "lesson", "lessons", "load_lesson", "load_lessons", "read_setting",
    "read_settings", "resolve", "run_lesson", "train_run", "verdict_of",
]
