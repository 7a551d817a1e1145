"""Running a lesson headless: build each run from its settings, train it, measure its figures on
the trained network, and judge the verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..datasets import Dataset
from ..evaluation import EpochRow, evaluate_row
from ..network import Network
from ..trainer import Divergence
from .figures import FIGURES
from .loader import Lesson, Run
from .run_settings import build
from .verdict import Verdict, judge


@dataclass
class RunResult:
    """A trained run: its data and network, the figures before training (``start``), the rows of
    the epochs it trained (``history``) and why it stopped early, if it did."""

    name: str
    data: Dataset
    net: Network
    start: EpochRow
    history: Sequence[EpochRow]
    diverged: Divergence | None
    final: EpochRow = field(init=False)

    def __post_init__(self):
        with np.errstate(all="ignore"):
            self.final = evaluate_row(self.net, self.data, len(self.history))

    def measure(self, figure: str) -> Any:
        return FIGURES[figure].measure(self)


def train_run(run: Run) -> RunResult:
    """Build ``run`` from its settings and train it for its epochs (stopping if it diverges)."""
    values = run.values
    data, net, trainer = build(values)
    start = evaluate_row(net, data, 0)
    history = trainer.run(epochs=values["epochs"]) if values["epochs"] else []
    return RunResult(run.name, data, net, start, history, trainer.diverged)


def verdict_of(lesson: Lesson, results: Mapping[str, RunResult]) -> Verdict:
    """The lesson's verdict on trained runs ``results`` (by run name): figures measured on them."""
    measured = {name: {check.figure: results[name].measure(check.figure)
                       for check in lesson.checks if name in (check.run, check.relative_to)}
                for name in results}
    return judge(lesson.name, lesson.checks, measured)


@dataclass
class LessonResult:
    lesson: Lesson
    results: dict[str, RunResult]
    verdict: Verdict


def run_lesson(lesson: Lesson) -> LessonResult:
    """Every run of ``lesson`` trained, and its verdict."""
    results = {run.name: train_run(run) for run in lesson.runs}
    return LessonResult(lesson, results, verdict_of(lesson, results))
