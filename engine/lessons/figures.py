"""The figures a verdict can measure on a trained run, one :class:`Figure` each, keyed by name.

Every figure is measured on the trained network and its data (``final``: the network's loss and
accuracy after the last epoch) or read from the epochs it trained (``history``), never written
in. A figure is a number, a list of labels, or None when it cannot be measured (test figures
without test rows, a loss that overflowed).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """``label`` reads in a sentence ("the final train loss"); ``measure(result)`` measures it on a
    :class:`engine.lessons.runner.RunResult`."""

    name: str
    label: str
    measure: Callable[[Any], Any]


def _finite(value):
    return value if value is not None and math.isfinite(value) else None


def _final(metric: str) -> Callable:
    return lambda result: _finite(result.final[metric])


def predictions(result) -> list[int]:
    """The predicted label of every training row, in order (XOR's truth table: its four rows)."""
    return [int(label) for label in result.net.predict(result.data.X_train)]


def loss_drop(result) -> float | None:
    """How far the train loss fell: before training minus after."""
    before, after = _finite(result.start["train_loss"]), _finite(result.final["train_loss"])
    return None if before is None or after is None else before - after


def generalisation_gap(result) -> float | None:
    """Test loss minus train loss of the trained network."""
    train, test = _finite(result.final["train_loss"]), _finite(result.final["test_loss"])
    return None if train is None or test is None else test - train


def test_loss_rise(result) -> float | None:
    """How far the test loss climbed back from its lowest point during training."""
    losses = [row["test_loss"] for row in result.history if row["test_loss"] is not None]
    final = _finite(result.final["test_loss"])
    if not losses or final is None:
        return None
    return final - min(min(losses), final)


def diverged(result) -> int:
    """1 when training diverged (and stopped), else 0."""
    return int(result.diverged is not None)


FIGURES: dict[str, Figure] = {figure.name: figure for figure in (
    Figure("train_accuracy", "training accuracy", _final("train_accuracy")),
    Figure("test_accuracy", "test accuracy", _final("test_accuracy")),
    Figure("train_loss", "final train loss", _final("train_loss")),
    Figure("test_loss", "final test loss", _final("test_loss")),
    Figure("predictions", "predictions", predictions),
    Figure("loss_drop", "fall of the train loss", loss_drop),
    Figure("gap", "test loss minus train loss", generalisation_gap),
    Figure("test_loss_rise", "rise of the test loss from its lowest", test_loss_rise),
    Figure("diverged", "diverged (1 yes, 0 no)", diverged),
)}


def shown(value) -> str:
    """A measured figure as the verdict prints it."""
    if value is None:
        return "not measured"
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1e-3 and value != 0 else f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)
