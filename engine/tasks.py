"""The two kinds of problem a dataset poses, one :class:`Task` each, keyed by name in ``TASKS``.

- **classification**: ``y : (n,)`` whole-number labels ``0..k-1`` named by ``class_names``; the
  network outputs class probabilities; each split is scored by its accuracy.
- **regression**: ``y : (n,)`` real-valued targets and no classes (``n_classes`` is 0 for the
  data and the network); the network outputs one value per row (the ``identity:mse`` head); each
  split is scored by its mean squared error and R².

A dataset's spec says its task (:class:`engine.datasets.DatasetSpec`), the :class:`Dataset`
and the :class:`Network` carry it, and the trainer, the evaluation, the divergence check, the
model file and the export read it from there.
"""

from dataclasses import dataclass

CLASSIFICATION = "classification"
REGRESSION = "regression"


@dataclass(frozen=True)
class Task:
    """``label``: what the app shows; ``figures``: the names of the figures each split gets in
    a history row besides its loss (``train_accuracy``, or ``train_mse`` and ``train_r2``);
    ``guess``: the baseline a loss is compared with, in words (the divergence check's
    "what guessing costs": the class frequencies, or the mean of the targets)."""

    name: str
    label: str
    figures: tuple[str, ...]
    guess: str


TASKS: dict[str, Task] = {
    CLASSIFICATION: Task(CLASSIFICATION, "Classification", ("accuracy",), "guessing the class frequencies"),
    REGRESSION: Task(REGRESSION, "Regression", ("mse", "r2"), "predicting the mean of the targets"),
}


def check_task(task) -> str:
    """``task`` if it names a :class:`Task`; otherwise a ValueError naming the choices."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    return task
