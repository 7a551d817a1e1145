"""A fully connected network, its forward pass and backpropagation.

Orientation, once for the whole engine: rows are samples.
``X : (n_samples, n_features)``; layer l has ``W : (n_out, n_in)`` and ``b : (n_out,)``;
``Z = A_prev @ W.T + b`` and ``A = g(Z)``; labels ``y : (n_samples,)`` in ``0..k-1`` (for a
regression network, real targets ``y : (n_samples,)``: :mod:`engine.tasks`).
"""

import math

import numpy as np

from . import model_file
from .activations import ACTIVATIONS, OUTPUTS
from .features import PLANE_COORDINATES, check_inputs, check_plane, input_values
from .heads import HEADS, REGRESSION_CLASSES, head_of, heads_for
from .initializers import INITIALIZERS
from .losses import LOSS_FUNCTIONS, NEEDS_LOGITS
from .model_card import ModelCard
from .tasks import CLASSIFICATION, REGRESSION, check_task
from .trace import record as record_trace


def _choice(kind, value, options):
    if value not in options:
        raise ValueError(f"unknown {kind} {value!r}; choose one of: {', '.join(options)}")
    return value


def _target_standardisation(task, mean, scale):
    """``(target_mean, target_scale)`` as floats: finite, the scale > 0; only a regression has them."""
    mean, scale = float(mean), float(scale)
    if not (math.isfinite(mean) and math.isfinite(scale) and scale > 0):
        raise ValueError(f"target_mean must be finite and target_scale finite and > 0; got {mean}, {scale}")
    if task != REGRESSION and (mean, scale) != (0.0, 1.0):
        raise ValueError("only a regression network has a target standardisation")
    return mean, scale


class Workspace:
    """Preallocated arrays for backprop on ``n`` rows: pre-activations ``Z[l] : (n, sizes[l+1])``,
    hidden deltas and scratch ``(n, sizes[l])`` and the gradients.  Reusing them spares
    the allocator (large temporaries are otherwise returned to the OS every step)."""

    def __init__(self, sizes, n):
        self.Z = [np.empty((n, k)) for k in sizes[1:]]
        self.delta = [np.empty((n, k)) for k in sizes[:-1]]
        self.scratch = [np.empty((n, k)) for k in sizes[:-1]]
        self.grads = [(np.zeros((k, j)), np.zeros(k)) for j, k in zip(sizes[:-1], sizes[1:])]


class Network:
    """Dense layers ``sizes = [n_features, hidden..., n_outputs]``.

    ``[2, 1]`` is logistic regression; ``[2, 3, 1]`` the XOR network of the tutorial.
    The output layer and loss default to the natural head (:func:`engine.heads.head_of`)
    for that many output units: a sigmoid for one unit, a softmax for several, each with the
    loss that pairs with it (output delta ``P - Y``).

    ``task="regression"``: one output unit fits a real target (the ``identity:mse`` head);
    ``predict`` gives the values.  ``inputs``: names of input features (:mod:`engine.features`,
    e.g. ``("x1sq", "x2sq")``); the network then reads rows of the two plane coordinates and
    its input layer holds those features, ``sizes[0] == len(inputs)``.  None: the input layer
    holds the rows as they are.

    ``target_mean``, ``target_scale`` (regression only): the target's standardisation.  The
    network reads and reports targets in their own units but learns the standardised target
    ``(y - target_mean) / target_scale``: its output unit computes that, ``forward`` and
    ``predict`` give ``output · target_scale + target_mean``, and the loss it descends
    (``loss_value``, ``loss_and_gradients``, ``backprop``) is that of the standardised target,
    so a target in the 100,000s trains at the learning rate of one near 1.  Reported figures
    (:mod:`engine.evaluation`, the trainer's history) are that loss times :attr:`loss_unit`:
    in the target's own squared units.
    """

    def __init__(self, sizes, activation="tanh", output=None, loss=None,
                 init="xavier", bias=True, seed=0, inputs=None, task=CLASSIFICATION,
                 target_mean=0.0, target_scale=1.0):
        sizes = [int(n) for n in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least an input and an output size, all >= 1; got {sizes}")
        _choice("activation", activation, ACTIVATIONS)
        self.task = check_task(task)
        units = sizes[-1]
        n_classes = REGRESSION_CLASSES if task == REGRESSION else 2 if units == 1 else units
        head = head_of(output, loss, n_classes=n_classes, units=units)
        if head.output == "softmax" and units < 2:
            raise ValueError("a softmax output needs at least 2 units")
        if task == REGRESSION and (units != 1 or not head.serves(REGRESSION_CLASSES)):
            fitting = " or ".join(key for key, h in HEADS.items() if h.serves(REGRESSION_CLASSES))
            raise ValueError(f"a regression network has one output unit and a head that outputs a value "
                             f"({fitting}); got {units} unit(s), {head.key}")
        if inputs is not None:
            inputs = check_inputs(inputs)
            if sizes[0] != len(inputs):
                raise ValueError(f"the input layer has {sizes[0]} units but inputs lists {len(inputs)} "
                                 f"features ({', '.join(inputs)})")
        _choice("init", init, INITIALIZERS)
        self.target_mean, self.target_scale = _target_standardisation(task, target_mean, target_scale)
        self.sizes, self.activation, self.output, self.loss = sizes, activation, head.output, head.loss
        self.init, self.bias, self.seed, self.inputs = init, bool(bias), int(seed), inputs
        rng = np.random.default_rng(self.seed)
        draw = INITIALIZERS[init].draw
        self.params = [(draw(rng, n_in, n_out), np.zeros(n_out))
                       for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self._workspaces = {}

    @classmethod
    def for_data(cls, data, hidden=(), head=None, inputs=None, **options):
        """A network for ``data`` (a :class:`engine.datasets.Dataset`): an input layer of
        ``data.n_features`` units (or of the ``inputs`` features, for data on the plane), the
        ``hidden`` layer sizes, and the output units of ``head`` (a key of ``HEADS``; None:
        the natural one) for the data's classes or regression target; ``options`` are the
        constructor's (activation, init, bias, seed)."""
        head = HEADS[head if head is not None else heads_for(data.n_classes)[0]]
        if not head.serves(data.n_classes):
            raise ValueError(f"head {head.key!r} does not fit {data.name}'s "
                             f"{'target' if data.n_classes == REGRESSION_CLASSES else f'{data.n_classes} classes'}; "
                             f"choose one of: {', '.join(heads_for(data.n_classes))}")
        if inputs is not None:
            check_plane(inputs, data.n_features, data.name)
        sizes = [data.n_features if inputs is None else len(inputs), *hidden, head.units(data.n_classes)]
        target = ({"target_mean": data.target_mean, "target_scale": data.target_scale}
                  if data.task == REGRESSION else {})
        return cls(sizes, output=head.output, loss=head.loss, inputs=inputs, task=data.task, **target, **options)

    # ---- description -------------------------------------------------------
    @property
    def n_classes(self):
        """Classes told apart: one sigmoid unit tells 2; 0 for a regression network."""
        if self.task == REGRESSION:
            return REGRESSION_CLASSES
        return 2 if self.sizes[-1] == 1 else self.sizes[-1]

    @property
    def n_features(self):
        """Columns of the rows the network reads: the two plane coordinates when it has
        ``inputs``, otherwise as many as its input layer has units."""
        return PLANE_COORDINATES if self.inputs is not None else self.sizes[0]

    @property
    def head(self):
        """The output/loss :class:`engine.heads.Head`."""
        return HEADS[f"{self.output}:{self.loss}"]

    @property
    def n_params(self):
        return sum(W.size + (b.size if self.bias else 0) for W, b in self.params)

    @property
    def loss_unit(self):
        """The loss in the target's own units over the loss the network descends: ``target_scale²``
        (1 for a classifier, or a target that is not standardised)."""
        return self.target_scale ** 2

    def config(self):
        config = {"sizes": self.sizes, "activation": self.activation, "output": self.output,
                  "loss": self.loss, "init": self.init, "bias": self.bias, "seed": self.seed,
                  "task": self.task, "inputs": None if self.inputs is None else list(self.inputs)}
        if self.task == REGRESSION:
            config.update(target_mean=self.target_mean, target_scale=self.target_scale)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def set_weight(self, layer, out, into, value):
        """Set ``W[out, into]`` of layer ``layer`` (0: the links from the inputs) to ``value``, in
        place: a trainer of this network continues from it. A bad index or a non-finite value is
        a ``ValueError``."""
        if not 0 <= layer < len(self.params):
            raise ValueError(f"layer must be 0..{len(self.params) - 1}; got {layer}")
        W = self.params[layer][0]
        if not (0 <= out < W.shape[0] and 0 <= into < W.shape[1]):
            raise ValueError(f"layer {layer} has W of shape {W.shape} (n_out, n_in); got index ({out}, {into})")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"a weight must be a finite number; got {value}")
        W[out, into] = value

    def copy(self):
        twin = Network.from_config(self.config())
        twin.params = [(W.copy(), b.copy()) for W, b in self.params]
        return twin

    def __repr__(self):
        more = "".join(f", {name}={value!r}" for name, value, plain in (
            ("inputs", self.inputs, None), ("task", self.task, CLASSIFICATION)) if value != plain)
        return (f"Network({self.sizes}, activation={self.activation!r}, output={self.output!r}, "
                f"loss={self.loss!r}{more})")

    # ---- forward -----------------------------------------------------------
    def forward_all(self, X):
        """Every layer's activation ``[A_0, A_1, ..., A_L]``; ``A_l : (n_samples, sizes[l])``;
        ``A_0`` is the input layer, ``X`` itself unless the network has ``inputs``."""
        return self.forward_pass(X)[0]

    def forward_pass(self, X, reuse_buffers=False, mapped=False):
        """``(activations, logits)``: every layer's activation ``[A_0, A_1, ..., A_L]`` and the
        output layer's logits ``Z_L`` (None unless the loss reads them).

        With ``reuse_buffers`` the layers are written into preallocated buffers kept per row
        count: no allocation, but the next pass over as many rows overwrites them.
        ``mapped``: ``X`` already holds the input layer's values (:meth:`input_values`).
        """
        X = self._check_input_layer(X) if mapped else self._check_X(X)
        return self._layers(X, self._workspace(len(X)) if reuse_buffers else None)

    def input_values(self, X):
        """Rows ``X : (n, n_features)`` -> the input layer ``A_0 : (n, sizes[0])``: the input
        features computed from the plane coordinates, or ``X`` itself without ``inputs``."""
        return self._check_X(X)

    def forward(self, X):
        """Output ``P : (n_samples, k)``: probabilities (k = 1 for a sigmoid output), or the
        predicted values ``(n_samples, 1)`` of a regression network, in the target's units."""
        P = self.forward_all(X)[-1]
        return self.target_values(P) if self.task == REGRESSION else P

    def target_values(self, P):
        """A regression network's output layer ``(n, 1)`` (the standardised target it learns) ->
        the predicted values in the target's own units, ``P · target_scale + target_mean`` (a new array)."""
        return P * self.target_scale + self.target_mean

    def predict(self, X):
        """Labels ``(n_samples,)``; a regression network's predicted values ``(n_samples,)``."""
        P = self.forward(X)
        return P[:, 0].copy() if self.task == REGRESSION else self.labels(P)

    def accuracy(self, X, y):
        if self.task == REGRESSION:
            raise ValueError("a regression network has no accuracy; its figures are the mean squared "
                             "error and R² (engine.evaluation)")
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def loss_value(self, X, y, l2=0.0, l1=0.0):
        """The mean loss over the rows plus the regularisation terms."""
        X, Y = self._check_X(X), self.targets(y)
        acts, Z = self._layers(X)
        return LOSS_FUNCTIONS[self.loss](Y, Z, acts[-1]) + self._penalty(len(X), l2, l1)

    def loss_and_gradients(self, X, y, l2=0.0, l1=0.0):
        """``(loss, grads)``: the mean loss over the rows and ``[(dW, db), ...]`` mirroring params.

        L2 follows scikit-learn: ``loss += l2 / (2 n) · ΣW²``; L1 adds ``l1 / n · Σ|W|``.
        Biases are not regularised.
        """
        X, Y = self._check_X(X), self.targets(y)
        loss, grads, _ = self.backprop(X, Y, l2, l1)
        return loss + self._penalty(len(X), l2, l1), [(dW.copy(), db.copy()) for dW, db in grads]

    def trace(self, X, y, l2=0.0, l1=0.0):
        """Every layer's arrays of one forward and backward pass on rows ``X`` (an
        :class:`engine.trace.Trace`: per layer ``Z, A, dZ, dW, db``, and ``loss``), float64; its
        ``loss``, ``dW`` and ``db`` equal :meth:`loss_and_gradients`'s to the bit."""
        X, Y = self._check_X(X), self.targets(y)
        return record_trace(self, X, Y, l2, l1, penalty=self._penalty(len(X), l2, l1))

    def targets(self, y):
        """Integer labels ``(n,)`` -> the output layer's target matrix ``Y : (n, k)``; a
        regression network's real targets ``(n,)``, in their own units -> ``Y : (n, 1)``, the
        standardised target ``(y - target_mean) / target_scale`` its output unit learns."""
        y = np.asarray(y)
        if self.task == REGRESSION:
            if y.ndim != 1 or not (np.issubdtype(y.dtype, np.number) and np.isfinite(y).all()):
                raise ValueError("y must be a 1-d array of finite target values")
            return ((y.astype(np.float64) - self.target_mean) / self.target_scale).reshape(-1, 1)
        if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
            raise ValueError("y must be a 1-d array of integer class labels")
        k = self.sizes[-1]
        if y.size and (y.min() < 0 or y.max() >= self.n_classes):
            raise ValueError(f"labels must lie in 0..{self.n_classes - 1}; got {y.min()}..{y.max()}")
        if k == 1:
            return y.astype(np.float64).reshape(-1, 1)
        Y = np.zeros((y.size, k))
        Y[np.arange(y.size), y] = 1.0
        return Y

    def _check_X(self, X):
        """Rows ``(n, n_features)`` -> the input layer's values."""
        if self.inputs is None:
            return self._check_input_layer(X)
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != PLANE_COORDINATES:
            raise ValueError(f"X must have shape (n_samples, {PLANE_COORDINATES}), the plane coordinates "
                             f"its inputs ({', '.join(self.inputs)}) are computed from; got {X.shape}")
        return input_values(self.inputs, X)

    def _check_input_layer(self, X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n_samples, {self.sizes[0]}); got {X.shape}")
        return X

    @staticmethod
    def labels(P):
        """Outputs ``P : (n, k)`` -> labels ``(n,)``: 1 where a single output is >= 0.5, else the largest."""
        if P.shape[1] == 1:
            return (P[:, 0] >= 0.5).astype(np.int64)
        return P.argmax(axis=1)

    def _layers(self, X, work=None):
        """-> (activations, logits of the output layer); X already validated.

        With a :class:`Workspace` the layers are written into its buffers (no allocation).
        """
        g = ACTIVATIONS[self.activation].function
        acts = [X]
        last = len(self.params) - 1
        for l, (W, b) in enumerate(self.params):
            Wt = np.ascontiguousarray(W.T)  # matmul with a transposed view is up to 3x slower
            Z = acts[-1] @ Wt if work is None else np.matmul(acts[-1], Wt, out=work.Z[l])
            if self.bias:
                Z += b
            if l == last:
                logits = Z.copy() if self.loss in NEEDS_LOGITS else None
                acts.append(OUTPUTS[self.output].function(Z))
            else:
                acts.append(g(Z))
        return acts, logits

    # ---- backward ----------------------------------------------------------
    def backprop(self, X, Y, l2=0.0, l1=0.0):
        """Forward and backward on validated ``X : (n, d)``, targets ``Y : (n, k)``.

        Returns ``(data_loss, grads, P)``: the loss without the regularisation penalty,
        the gradients with it.  For speed, ``grads`` and ``P`` live in buffers that the
        next call overwrites; the trainer uses them at once.
        """
        n = len(X)
        work = self._workspace(n)
        acts, Z = self._layers(X, work)
        P = acts[-1]
        loss = LOSS_FUNCTIONS[self.loss](Y, Z, P)
        delta = self.head.delta(Y, P)
        delta /= n
        derivative = ACTIVATIONS[self.activation].derivative
        for l in range(len(self.params) - 1, -1, -1):
            W = self.params[l][0]
            dW, db = work.grads[l]
            np.matmul(delta.T, acts[l], out=dW)
            if l2:
                dW += (l2 / n) * W
            if l1:
                dW += (l1 / n) * np.sign(W)
            if self.bias:
                np.add.reduce(delta, axis=0, out=db)
            if l:
                delta = np.dot(delta, W, out=work.delta[l])  # matmul skips BLAS for one output
                derivative(acts[l], delta, work.scratch[l])
        return loss, work.grads, P

    def _workspace(self, n):
        work = self._workspaces.get(n)
        if work is None or [W.shape for W, _ in work.grads] != [W.shape for W, _ in self.params]:
            if len(self._workspaces) > 4:
                self._workspaces.clear()
            work = self._workspaces[n] = Workspace(self.sizes, n)
        return work

    def _penalty(self, n, l2, l1):
        penalty = 0.0
        if l2:
            penalty += 0.5 * l2 * sum(float(np.vdot(W, W)) for W, _ in self.params) / n
        if l1:
            penalty += l1 * sum(float(np.abs(W).sum()) for W, _ in self.params) / n
        return penalty

    # ---- save / load -------------------------------------------------------
    card = None  # the ModelCard read with the weights by load(), when the file has one

    def save(self, file, data=None):
        """Write weights and config to ``.npz`` (a path or a binary file object); no pickle.

        ``data``: the :class:`engine.datasets.Dataset` the network was trained on (or a
        :class:`engine.model_card.ModelCard`): its feature names, standardisation and class
        names go into the file, so that the model can be used on raw data.  Without it, the
        card the network was loaded with, if any.  The format and its limits:
        :mod:`engine.model_file`."""
        model_file.save(self, file, ModelCard.of(data) if data is not None else self.card)

    @classmethod
    def load(cls, file):
        """Read a model written by :meth:`save` (``card``: its ModelCard, or None for a file
        without one); refuses a malformed, foreign or oversized file with a ValueError before
        reading the bulk of it."""
        return model_file.load(file, cls)
