"""One row type for the figures of an epoch, and one evaluation that produces them.

The trainer's history, the app's first row and the command line's summary are all
:class:`EpochRow` values from :func:`evaluate`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .losses import LOSS_FUNCTIONS

METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


@dataclass(slots=True, eq=False, repr=False)  # compares as the Mapping it is; slots: 4x faster to make than frozen
class EpochRow(Mapping):
    """The figures after ``epoch`` epochs: train/test loss (without the regularisation
    penalty) and accuracy; test figures are None when the data has no test rows.
    ``extra`` holds further named metrics.  Reads like the dict it replaces:
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


def evaluate(net, X, y, targets=None):
    """``(loss, accuracy)`` of the network's current weights on rows ``X : (n, d)`` with labels
    ``y : (n,)``; the loss without any penalty, as it comes (inf or NaN once training has
    diverged).  ``(None, None)`` for zero rows.  ``targets`` may pass ``net.targets(y)``
    computed once, to spare the conversion when the same rows are evaluated every epoch."""
    if len(X) == 0:
        return None, None
    Y = net.targets(y) if targets is None else targets
    acts, Z = net.forward_pass(X, reuse_buffers=True)
    P = acts[-1]
    loss = LOSS_FUNCTIONS[net.loss](Y, Z, P)
    return loss, float(np.count_nonzero(net.labels(P) == y)) / len(P)


def evaluate_row(net, data, epoch):
    """The :class:`EpochRow` of the current weights on ``data``'s training and test rows."""
    train_loss, train_accuracy = evaluate(net, data.X_train, data.y_train)
    test_loss, test_accuracy = evaluate(net, data.X_test, data.y_test)
    return EpochRow(epoch, train_loss, test_loss, train_accuracy, test_accuracy)


def first_row(net, data):
    """Epoch 0: the untrained network on ``data``, the first point of a loss curve."""
    return evaluate_row(net, data, 0)
