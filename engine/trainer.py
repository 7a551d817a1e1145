"""Gradient-descent training, one epoch at a time, with a history and divergence detection."""

import copy
import math
import time

import numpy as np

from .activations import ACTIVATIONS
from .divergence import Divergence, Watch
from .evaluation import Scoring, evaluate, evaluate_row, row_score
from .features import check_plane
from .losses import LOSS_FUNCTIONS
from .optimizers import OPTIMIZERS
from .tasks import TASKS


def _penalty_rate(name, value):
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a number >= 0; got {value!r}")
    return float(value)


def chance_loss(net, Y):
    """The loss of always predicting the class frequencies of targets ``Y : (n, k)`` (for
    an identity output, their mean: for a regression target, half its variance, in the target's
    own squared units as every reported loss is: ``net.loss_unit``)."""
    P = Y.mean(axis=0, keepdims=True)
    if net.output == "identity":  # values, not probabilities: neither clipped nor logged
        Z = P
    else:
        P = np.clip(P, 1e-12, 1 - 1e-12)
        Z = np.log(P / (1 - P)) if net.output == "sigmoid" else np.log(P)
    return LOSS_FUNCTIONS[net.loss](Y, np.broadcast_to(Z, Y.shape), np.broadcast_to(P, Y.shape)) * net.loss_unit


class Trainer:
    """Trains ``net`` on ``data`` (a :class:`engine.datasets.Dataset`).

    ``lr``, ``l1``, ``l2``, ``batch_size`` and ``optimizer`` may change between steps;
    the weights are kept.  ``batch_size=None`` is full-batch gradient descent; otherwise
    the training rows are shuffled every epoch.  Each history row, an :class:`EpochRow`, holds
    the epoch and the train/test loss (without the penalty) and accuracy; the training figures are those of
    the epoch's pass (scikit-learn's ``loss_curve_`` convention), the test figures those of
    the weights after it.  Test figures are None when the data has no test rows.  On
    regression data (a regression network) the accuracies are None and the rows carry the
    mean squared error and R² of each split (:class:`engine.evaluation.Scoring`).
    ``history`` is a plain list: a caller may trim it (the trainer never reads it back).
    """

    def __init__(self, net, data, lr=0.1, optimizer="sgd", batch_size=None, l2=0.0, l1=0.0,
                 momentum=0.9, seed=0):
        if net.inputs is not None:
            check_plane(net.inputs, data.n_features, data.name)
        if data.X_train.shape[1] != net.n_features:
            raise ValueError(f"the data has {data.X_train.shape[1]} features but the network "
                             f"takes {net.n_features} inputs")
        if data.task != net.task:
            raise ValueError(f"the data is a {data.task} problem but the network is made for {net.task}")
        if data.n_classes > net.n_classes:
            raise ValueError(f"the data has {data.n_classes} classes but the network "
                             f"outputs {net.n_classes}")
        if len(data.X_train) == 0:
            raise ValueError("the data has no training rows")
        self.net, self.data = net, data
        self.lr, self.l2, self.l1, self.batch_size, self.momentum = lr, l2, l1, batch_size, momentum
        self._X, self._y = net.input_values(data.X_train), data.y_train  # the input layer's values, once
        self._Y = net.targets(data.y_train)
        self._X_test, self._y_test = net.input_values(data.X_test), data.y_test
        self._Y_test = net.targets(data.y_test)
        self._score, self._scoring = row_score(net), Scoring(data)
        self._rng = np.random.default_rng(seed)
        self._chance = chance_loss(net, self._Y)
        self._watch = Watch(self._chance, TASKS[net.task].guess)
        self.optimizer = optimizer
        self.epoch = 0
        self.history = []
        self.diverged = None
        self._pass = None  # the epoch in progress (an _EpochPass), between train_batches calls

    # ---- settings that keep the weights ------------------------------------
    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise ValueError(f"the learning rate must be a positive number; got {value!r}")
        self._lr = float(value)

    @property
    def optimizer(self):
        return self._optimizer_name

    @optimizer.setter
    def optimizer(self, name):
        if name not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
        self._optimizer_name = name
        self._optimizer = OPTIMIZERS[name].make(self.net.params, self.momentum)

    @property
    def optimizer_state(self):
        """The optimizer object the next update uses (its velocity or moments), for reading:
        :func:`engine.optimizers.preview` tells what it will do next without changing it."""
        return self._optimizer

    def next_batch(self):
        """Indices of the training rows the next update uses: all of them in full batch, the next
        mini-batch of the epoch in progress, otherwise the first mini-batch of the next epoch,
        shuffled by a copy of the trainer's generator (so the epoch itself is unchanged)."""
        n = len(self._X)
        size = self._batch_size or n
        if self._pass is not None:
            return self._pass.order[self._pass.position:self._pass.position + size]
        if size >= n:
            return np.arange(n)
        return copy.deepcopy(self._rng).permutation(n)[:size]

    @property
    def batches_per_epoch(self):
        """Updates in one whole epoch at the current batch size."""
        n = len(self._X)
        return -(-n // min(self._batch_size or n, n))

    @property
    def batches_left(self):
        """Updates until the next epoch completes: those left in the epoch in progress, or a whole epoch's."""
        if self._pass is None:
            return self.batches_per_epoch
        return -(-(len(self._X) - self._pass.position) // (self._batch_size or len(self._X)))

    @property
    def epoch_progress(self):
        """The fraction of the epoch in progress already trained (0.0 between epochs)."""
        return 0.0 if self._pass is None else self._pass.position / len(self._X)

    @property
    def batch_size(self):
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value):
        if value is not None and (int(value) != value or value < 1):
            raise ValueError(f"the batch size must be a positive integer or None; got {value!r}")
        self._batch_size = None if value is None else int(value)

    @property
    def l1(self):
        return self._l1

    @l1.setter
    def l1(self, value):
        self._l1 = _penalty_rate("l1", value)

    @property
    def l2(self):
        return self._l2

    @l2.setter
    def l2(self, value):
        self._l2 = _penalty_rate("l2", value)

    # ---- training -----------------------------------------------------------
    def step(self):
        """One epoch (or the rest of the epoch in progress, after :meth:`train_batches`); returns
        the new history row (an :class:`EpochRow`), or None once training has diverged."""
        if self.diverged:
            return None
        self._train_pass(None, None)
        return self._end_epoch()

    def train_batches(self, count=None, seconds=None):
        """Up to ``count`` mini-batch updates and/or ``seconds`` of wall time (at least one update),
        continuing the epoch in progress: the epoch's shuffle is kept across calls, and an epoch
        counts (``epoch``, its history row, the divergence check) when its last mini-batch is done.
        How the updates are split over calls changes nothing: one update per call, as many calls
        as an epoch has mini-batches, gives the weights and the row of one :meth:`step`, bit for
        bit.  In full batch an update is an epoch.  Returns the rows of the epochs completed;
        stops on divergence."""
        if count is None and seconds is None:
            raise ValueError("give count, seconds or both")
        if count is not None and (int(count) != count or count < 1):
            raise ValueError(f"count must be a positive integer or None; got {count!r}")
        deadline = None if seconds is None else time.perf_counter() + seconds
        rows, left = [], count
        while not self.diverged and (left is None or left > 0):
            done, used = self._train_pass(left, deadline)
            if left is not None:
                left -= used
            if done:
                row = self._end_epoch()
                if row is None:
                    break
                rows.append(row)
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return rows

    def _train_pass(self, limit, deadline):
        """Up to ``limit`` updates of the epoch in progress (starting one if none is), stopping
        after the update that passes ``deadline``; returns ``(epoch complete, updates made)``."""
        net, optimizer, lr, l2, l1, score = self.net, self._optimizer, self._lr, self.l2, self.l1, self._score
        X, Y, y = self._X, self._Y, self._y
        n = len(X)
        size = self._batch_size or n
        with np.errstate(all="ignore"):
            if self._pass is None:
                self._pass = self._begin_epoch(size >= n)
            epoch = self._pass
            if epoch.order is None:  # full batch: one update is the epoch
                loss, grads, P = net.backprop(X, Y, l2, l1)
                optimizer.update(net.params, grads, lr)
                epoch.total, epoch.scored, epoch.position = loss, score(net, P, y, Y), n
                epoch.full = True
                return True, 1
            order, used = epoch.order, 0
            while epoch.position < n and (limit is None or used < limit):
                rows = order[epoch.position:epoch.position + size]
                Y_rows = Y[rows]
                loss, grads, P = net.backprop(X[rows], Y_rows, l2, l1)
                optimizer.update(net.params, grads, lr)
                epoch.total += loss * len(rows)
                epoch.scored += score(net, P, y[rows], Y_rows)
                epoch.position += len(rows)
                used += 1
                if deadline is not None and time.perf_counter() >= deadline:
                    break
            return epoch.position >= n, used

    def _begin_epoch(self, full_batch):
        """The epoch's starting weights (for the divergence watch) and, in mini-batch, its shuffle."""
        saved = [(W.copy(), b.copy()) for W, b in self.net.params]
        if not self._watch.started:
            self._watch.start(evaluate(self.net, self._X, self._y, self._Y, mapped=True)[0], saved)
        order = None if full_batch else self._rng.permutation(len(self._X))
        return _EpochPass(saved, order)

    def _end_epoch(self):
        """The epoch just completed: its test figures, the divergence check and its history row."""
        net, params, watch, epoch = self.net, self.net.params, self._watch, self._pass
        self._pass = None
        n = len(self._X)
        with np.errstate(all="ignore"):
            train_loss = (epoch.total if epoch.full else epoch.total / n) * net.loss_unit  # the target's units
            train_score = epoch.scored / n
            test_loss, test_score = evaluate(net, self._X_test, self._y_test, self._Y_test, mapped=True)
            after = test_loss if test_loss is not None else sum(float(W.sum()) for W, _ in params)
            finite = math.isfinite(train_loss) and math.isfinite(after)
        self.epoch += 1
        problem = watch.problem(train_loss) if finite else "the loss or the weights overflowed to infinity or NaN"
        if problem:
            self._roll_back(problem)
            return None
        watch.accept(self.epoch, train_loss, epoch.saved)
        row = self._scoring.row(self.epoch, train_loss, test_loss, train_score, test_score)
        self.history.append(row)
        return row

    def _roll_back(self, problem):
        """Back to the last good weights (:class:`engine.divergence.Watch`), with a fresh optimizer."""
        for (W, b), (good_W, good_b) in zip(self.net.params, self._watch.good_weights, strict=True):
            W[...], b[...] = good_W, good_b
        self._optimizer = OPTIMIZERS[self._optimizer_name].make(self.net.params, self.momentum)
        with np.errstate(all="ignore"):
            restored = evaluate_row(self.net, self.data, self._watch.good_epoch)
        self.diverged = Divergence(self.epoch, problem, self._advice(), restored)

    def run(self, epochs=None, seconds=None):
        """Up to ``epochs`` epochs and/or ``seconds`` of wall time; stops on divergence."""
        if epochs is None and seconds is None:
            raise ValueError("give epochs, seconds or both")
        deadline = None if seconds is None else time.perf_counter() + seconds
        rows = []
        while (epochs is None or len(rows) < epochs) and not self.diverged:
            row = self.step()
            if row is None:
                break
            rows.append(row)
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return rows

    def _advice(self):
        lower = f"{self._lr / 10:.3g}"
        tips = [f"lower the learning rate (now {self._lr:g}; try {lower})"]
        if self._optimizer_name != "adam":
            tips.append("or switch to Adam")
        if not ACTIVATIONS[self.net.activation].bounded:
            bounded = " or ".join(a.name for a in ACTIVATIONS.values() if a.bounded)
            tips.append(f"or use {bounded}, which saturate instead of growing without bound")
        return "Try to " + ", ".join(tips) + ", and start again from fresh weights."


class _EpochPass:
    """An epoch in progress: its starting weights, its shuffle (None in full batch), how many rows
    it has trained and the running sums of their loss and score."""

    __slots__ = ("saved", "order", "position", "total", "scored", "full")

    def __init__(self, saved, order):
        self.saved, self.order = saved, order
        self.position, self.total, self.scored, self.full = 0, 0.0, 0.0, False
