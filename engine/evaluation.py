"""One row type for the figures of an epoch, and one evaluation that produces them.

The trainer's history, the app's first row and the command line's summary are all
:class:`EpochRow` values from :func:`evaluate`, made by one :class:`Scoring` of the data.
A split's *score* is its accuracy (classification) or its mean squared error (regression,
whose rows also carry R² = 1 - MSE / variance of the split's targets): :mod:`engine.tasks`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .losses import LOSS_FUNCTIONS
from .tasks import REGRESSION

METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
REGRESSION_METRICS = ("train_mse", "test_mse", "train_r2", "test_r2")  # a regression row's extra


@dataclass(slots=True, eq=False, repr=False)  # compares as the Mapping it is; slots: 4x faster to make than frozen
class EpochRow(Mapping):
    """The figures after ``epoch`` epochs: train/test loss (without the regularisation
    penalty) and accuracy; test figures are None when the data has no test rows.
    ``extra`` holds further named metrics: a regression row's ``REGRESSION_METRICS`` (its
    accuracies are None).  Reads like the dict it replaces:
    ``row["train_loss"]``, ``dict(row)``, ``row.as_dict()``."""

    epoch: int
    train_loss: float
    test_loss: float | None
    train_accuracy: float
    test_accuracy: float | None
    extra: Mapping[str, float] = field(default_factory=dict)

    def __getitem__(self, key):
        if key in METRICS or key == "epoch":
            return getattr(self, key)
        return self.extra[key]

    def __iter__(self):
        yield "epoch"
        yield from METRICS
        yield from self.extra

    def __len__(self):
        return 1 + len(METRICS) + len(self.extra)

    def __repr__(self):
        return f"EpochRow({self.as_dict()!r})"

    def as_dict(self):
        """``{"epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy", **extra}``."""
        return dict(self)


def right_labels(net, P, y, Y):
    """How many rows the outputs ``P : (n, k)`` label right (labels ``y : (n,)``)."""
    return float(np.count_nonzero(net.labels(P) == y))


def squared_error(net, P, y, Y):
    """The squared error of the output layer ``P : (n, 1)`` against the targets ``Y`` as the
    network learns them (standardised), summed over the rows, in the target's own squared units."""
    E = P - Y
    return float(np.vdot(E, E)) * net.loss_unit


def row_score(net):
    """``score(net, P, y, Y)``, summed over rows: divided by n, the accuracy or the mean squared error."""
    return squared_error if net.task == REGRESSION else right_labels


def evaluate(net, X, y, targets=None, mapped=False):
    """``(loss, score)`` of the network's current weights on rows ``X : (n, d)`` with labels
    ``y : (n,)``: the score is the accuracy, or for a regression network the mean squared
    error (of targets ``y``); the loss without any penalty, as it comes (inf or NaN once
    training has diverged).  ``(None, None)`` for zero rows.  ``targets`` may pass
    ``net.targets(y)`` computed once, and ``mapped`` say that ``X`` holds the input layer's
    values (``net.input_values``), to spare the work when the same rows are evaluated every epoch.
    A regression's loss and MSE are in the target's own (squared) units: the standardised
    target's loss times ``net.loss_unit``."""
    if len(X) == 0:
        return None, None
    Y = net.targets(y) if targets is None else targets
    acts, Z = net.forward_pass(X, reuse_buffers=True, mapped=mapped)
    P = acts[-1]
    loss = LOSS_FUNCTIONS[net.loss](Y, Z, P) * net.loss_unit
    return loss, row_score(net)(net, P, y, Y) / len(P)


class Scoring:
    """How the figures of ``data``'s splits become an :class:`EpochRow`: for a classification
    task the scores are the accuracies; for regression they are the mean squared errors, and
    R² divides them by the variance of each split's targets (computed once, here)."""

    def __init__(self, data):
        self.regression = data.task == REGRESSION
        if self.regression:
            self.train_variance, self.test_variance = (_variance(y) for y in (data.y_train, data.y_test))

    def row(self, epoch, train_loss, test_loss, train_score, test_score):
        if not self.regression:
            return EpochRow(epoch, train_loss, test_loss, train_score, test_score)
        extra = dict(zip(REGRESSION_METRICS, (train_score, test_score, _r2(train_score, self.train_variance),
                                              _r2(test_score, self.test_variance))))
        return EpochRow(epoch, train_loss, test_loss, None, None, extra)


def _variance(y):
    """The population variance of targets ``y``; None when there are none or they are all equal."""
    variance = float(np.var(y)) if len(y) else 0.0
    return variance if variance > 0 else None


def _r2(mse, variance):
    """R² = 1 - MSE / variance of the targets (scikit-learn's r2_score); None when undefined."""
    return None if mse is None or variance is None else 1.0 - mse / variance


def evaluate_row(net, data, epoch):
    """The :class:`EpochRow` of the current weights on ``data``'s training and test rows."""
    train_loss, train_score = evaluate(net, data.X_train, data.y_train)
    test_loss, test_score = evaluate(net, data.X_test, data.y_test)
    return Scoring(data).row(epoch, train_loss, test_loss, train_score, test_score)


def first_row(net, data):
    """Epoch 0: the untrained network on ``data``, the first point of a loss curve."""
    return evaluate_row(net, data, 0)
