"""The record of one training step: every layer's arrays on the way forward and back.

:func:`record` (what :meth:`Network.trace` returns) states backpropagation as a textbook does,
layer by layer, with every function and derivative read from the registries
(:mod:`engine.activations`, :mod:`engine.heads`).  It performs the same operations in the same
order as :meth:`Network.backprop`, so its ``dW``, ``db`` and ``loss`` equal
:meth:`Network.loss_and_gradients`'s to the bit (tests/test_trace.py); every array is fresh,
none aliases the network's buffers.

:func:`next_step` is the update that :meth:`Trainer.step` will apply next: on which rows, its
trace, and the weights after it, without changing the trainer, the network or the optimizer.
"""

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, OUTPUTS
from .losses import LOSS_FUNCTIONS
from .optimizers import preview


@dataclass(frozen=True, eq=False)
class LayerRecord:
    """One layer on the traced ``n`` rows.  ``function``: the name of its g (the hidden
    activation, or the output for the last layer).  ``A_prev : (n, n_in)`` its input;
    ``W : (n_out, n_in)``, ``b : (n_out,)`` before the step; ``Z = A_prev Wᵀ + b`` and
    ``A = g(Z)``, both ``(n, n_out)`` (the last layer's ``A`` is the output P).  Backward:
    ``dA = ∂L/∂A`` (``dZ`` of the next layer times its ``W``; None for the output layer, whose
    ``dZ`` comes from the head), ``dZ = ∂L/∂Z``, ``dW = dZᵀ A_prev`` plus the penalty's
    gradient, ``db = Σ_rows dZ``, shaped like ``W`` and ``b``."""

    function: str
    A_prev: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Z: np.ndarray
    A: np.ndarray
    dA: np.ndarray | None
    dZ: np.ndarray
    dW: np.ndarray
    db: np.ndarray


@dataclass(frozen=True, eq=False)
class Trace:
    """A forward and backward pass on rows ``X : (n, d)`` with targets ``Y : (n, k)``:
    ``loss`` = ``data_loss`` (the mean loss) + ``penalty`` (L1/L2 at rates ``l1``, ``l2``),
    as :meth:`Network.loss_and_gradients` gives it; ``head`` the output/loss head's key;
    ``layers`` one :class:`LayerRecord` per layer."""

    X: np.ndarray
    Y: np.ndarray
    loss: float
    data_loss: float
    penalty: float
    l2: float
    l1: float
    head: str
    layers: list[LayerRecord]

    @property
    def P(self):
        """The network's output on the rows: ``(n, k)``."""
        return self.layers[-1].A

    @property
    def grads(self):
        """``[(dW, db), ...]`` mirroring the network's params."""
        return [(layer.dW, layer.db) for layer in self.layers]


def record(net, X, Y, l2=0.0, l1=0.0, penalty=0.0):
    """The :class:`Trace` of ``net`` on validated rows ``X : (n, d)`` and targets ``Y : (n, k)``;
    ``penalty`` is the regularisation term the network adds to the loss."""
    n = len(X)
    last = len(net.params) - 1
    forward = []
    A = X
    for l, (W, b) in enumerate(net.params):
        entry = OUTPUTS[net.output] if l == last else ACTIVATIONS[net.activation]
        Z = A @ np.ascontiguousarray(W.T)
        if net.bias:
            Z += b
        forward.append((entry.name, A, W.copy(), b.copy(), Z, entry.function(Z.copy())))
        A = forward[-1][-1]
    Z_out, P = forward[-1][4], forward[-1][5]
    data_loss = LOSS_FUNCTIONS[net.loss](Y, Z_out, P)
    dZ = net.head.delta(Y, P)
    dZ /= n
    derivative = ACTIVATIONS[net.activation].derivative
    layers, dA = [], None
    for l in range(last, -1, -1):
        function, A_prev, W, b, Z, A = forward[l]
        dW = dZ.T @ A_prev
        if l2:
            dW += (l2 / n) * W
        if l1:
            dW += (l1 / n) * np.sign(W)
        db = np.add.reduce(dZ, axis=0) if net.bias else np.zeros_like(b)
        layers.append(LayerRecord(function, A_prev, W, b, Z, A, dA, dZ, dW, db))
        if l:
            dA = np.dot(dZ, W)
            dZ = dA.copy()
            derivative(A_prev, dZ, np.empty_like(dZ))
    return Trace(X, Y, data_loss + penalty, data_loss, penalty, float(l2), float(l1), net.head.key,
                 layers[::-1])


@dataclass(frozen=True, eq=False)
class NextStep:
    """The next update :meth:`Trainer.step` applies: ``rows`` (indices into the training split)
    it is computed on, the :class:`Trace` there, the learning rate ``lr``, the parameters
    ``after`` it and ``optimizer``, a copy of the optimizer in its state after it.
    ``updates`` counts the updates of the epoch that Step runs (1 in full batch: then ``after``
    are the weights after Step; otherwise they are the weights after this epoch's first
    mini-batch, and Step goes on with ``updates - 1`` more)."""

    rows: np.ndarray
    trace: Trace
    lr: float
    optimizer_name: str
    optimizer: object
    after: list[tuple[np.ndarray, np.ndarray]]
    updates: int

    @property
    def full_batch(self):
        return self.updates == 1


def next_step(trainer):
    """The :class:`NextStep` of ``trainer``; nothing is changed (the shuffle is drawn from a copy
    of the trainer's generator, the update made by a copy of its optimizer)."""
    rows = trainer.next_batch()
    data = trainer.data
    trace = trainer.net.trace(data.X_train[rows], data.y_train[rows], l2=trainer.l2, l1=trainer.l1)
    after, twin = preview(trainer.optimizer_state, trainer.net.params, trace.grads, trainer.lr)
    n = len(data.y_train)
    updates = -(-n // len(rows))
    return NextStep(rows, trace, trainer.lr, trainer.optimizer, twin, after, updates)
