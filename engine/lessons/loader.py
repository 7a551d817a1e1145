"""Reading a lesson file: JSON, one lesson per file, the file's name is the lesson's name.

A lesson has a ``title``, an ``order`` in the menu, ``watch`` (what to look for, in two or
three sentences), ``settings`` shared by its runs, ``runs`` (each a ``name`` and the
``settings`` it changes) and a ``verdict``: the checks that must all hold. Settings are named as
in the playground's share links (see :mod:`engine.lessons.run_settings`). Anything wrong is a
:class:`LessonError` that names the file and the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .figures import FIGURES
from .run_settings import read_settings, resolve
from .verdict import COMPARISONS, Check, check_expected

FIELDS = {"title", "order", "watch", "settings", "runs", "verdict"}
RUN_FIELDS = {"name", "settings"}
CHECK_FIELDS = {"run", "figure", "compare", "expected", "relative_to"}


class LessonError(ValueError):
    """A lesson file (or a setting given on the command line) that cannot be used, and why."""


@dataclass(frozen=True)
class Run:
    """One run of a lesson: its ``name`` and the settings the lesson gives it (shared ones
    merged, already read); :attr:`values` adds the playground's defaults for the rest."""

    name: str
    settings: Mapping[str, Any]

    @property
    def values(self) -> dict[str, Any]:
        return resolve(self.settings)


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    order: int
    watch: str
    runs: tuple[Run, ...]
    checks: tuple[Check, ...]
    source: str

    def run(self, name: str) -> Run:
        return next(run for run in self.runs if run.name == name)

    def with_settings(self, overrides: Mapping[str, Any]) -> Lesson:
        """The lesson with ``overrides`` (already read) applied to every run: a "what if"."""
        runs = tuple(replace(run, settings={**run.settings, **overrides}) for run in self.runs)
        _check_runs(self.source, runs)
        return replace(self, runs=runs)


def _fail(where: str, message: str):
    raise LessonError(f"{where}: {message}")


def _mapping(value, where: str, allowed: set[str], required: set[str]) -> Mapping:
    if not isinstance(value, dict):
        _fail(where, f"must be an object with {', '.join(sorted(required))}")
    unknown = set(value) - allowed
    if unknown:
        _fail(where, f"unknown field(s) {', '.join(sorted(unknown))}; the fields are {', '.join(sorted(allowed))}")
    missing = required - set(value)
    if missing:
        _fail(where, f"missing field(s) {', '.join(sorted(missing))}")
    return value


def _string(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(where, "must be a non-empty text")
    return value.strip()


def _settings(value, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(where, "must be an object of settings, like {\"dataset\": \"moons\", \"lr\": 0.3}")
    try:
        return read_settings(value, where)
    except ValueError as error:
        raise LessonError(str(error)) from None


def _check_runs(source: str, runs: tuple[Run, ...]) -> None:
    for i, run in enumerate(runs):
        try:
            run.values  # noqa: B018 - resolving checks that the settings fit together
        except ValueError as error:
            raise LessonError(f"{source}: runs[{i}] ({run.name}): {error}") from None


def _check(value, where: str, run_names: list[str]) -> Check:
    entry = _mapping(value, where, CHECK_FIELDS, {"run", "figure", "compare", "expected"})
    for field, names in (("run", run_names), ("figure", list(FIGURES)), ("compare", list(COMPARISONS))):
        if entry[field] not in names:
            _fail(f"{where}.{field}", f"must be one of {', '.join(map(repr, names))}; got {entry[field]!r}")
    relative_to = entry.get("relative_to")
    if relative_to is not None and relative_to not in run_names:
        _fail(f"{where}.relative_to", f"must be one of {', '.join(map(repr, run_names))}; got {relative_to!r}")
    problem = check_expected(entry["compare"], entry["expected"], relative_to is not None)
    if problem:
        _fail(f"{where}.expected", problem)
    return Check(entry["run"], entry["figure"], entry["compare"], entry["expected"], relative_to)


def parse_lesson(name: str, document, source: str) -> Lesson:
    """A :class:`Lesson` from a decoded JSON ``document``; ``source`` names it in errors."""
    top = _mapping(document, source, FIELDS, {"title", "watch", "runs", "verdict"})
    title = _string(top["title"], f"{source}: title")
    watch = _string(top["watch"], f"{source}: watch")
    order = top.get("order", 1000)
    if not isinstance(order, int) or isinstance(order, bool):
        _fail(f"{source}: order", "must be a whole number")
    shared = _settings(top.get("settings", {}), f"{source}: settings")
    if not isinstance(top["runs"], list) or not top["runs"]:
        _fail(f"{source}: runs", "must be a list of at least one run")
    runs = []
    for i, value in enumerate(top["runs"]):
        where = f"{source}: runs[{i}]"
        entry = _mapping(value, where, RUN_FIELDS, {"name"})
        run_name = _string(entry["name"], f"{where}.name")
        runs.append(Run(run_name, {**shared, **_settings(entry.get("settings", {}), f"{where}.settings")}))
    names = [run.name for run in runs]
    if len(set(names)) != len(names):
        _fail(f"{source}: runs", f"two runs share a name: {names}")
    _check_runs(source, tuple(runs))
    if not isinstance(top["verdict"], list) or not top["verdict"]:
        _fail(f"{source}: verdict", "must be a list of at least one check")
    checks = tuple(_check(value, f"{source}: verdict[{i}]", names) for i, value in enumerate(top["verdict"]))
    return Lesson(name, title, order, watch, tuple(runs), checks, source)


def load_lesson(path: str | Path) -> Lesson:
    """The lesson in the JSON file ``path``; its name is the file's name without ``.json``."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise LessonError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LessonError(f"{path}: not valid JSON ({error})") from None
    return parse_lesson(path.stem, document, str(path))


def load_lessons(folder: str | Path) -> dict[str, Lesson]:
    """Every ``*.json`` lesson in ``folder``, keyed by name, in menu order (then by name)."""
    lessons = [load_lesson(path) for path in sorted(Path(folder).glob("*.json"))]
    return {lesson.name: lesson for lesson in sorted(lessons, key=lambda lesson: (lesson.order, lesson.name))}
