"""Losses of the output layer, as pure functions of the targets and the output.

``Y : (n_samples, k)`` targets (one-hot, or a single 0/1 column for a sigmoid output),
``Z : (n_samples, k)`` the output layer's logits (given only to the losses that read them,
``NEEDS_LOGITS``), ``P : (n_samples, k)`` its output.
Each loss is the mean over the samples; :mod:`engine.heads` pairs them with outputs.
"""

import numpy as np

TINY = np.finfo(np.float64).tiny


def log_loss(Y, Z, P):
    """Binary cross-entropy from the logits: softplus(z) - y·z, never log(0)."""
    return (float(np.logaddexp(0.0, Z).sum()) - float(np.vdot(Y, Z))) / len(Y)


def cross_entropy(Y, Z, P):
    """Softmax cross-entropy -Σ y·log p, with p clipped at the smallest normal float."""
    return -float(np.vdot(Y, np.log(np.maximum(P, TINY)))) / len(Y)


def mse(Y, Z, P):
    """Half the squared error summed over outputs, mean over samples."""
    E = P - Y
    return float(np.vdot(E, E)) / (2 * len(Y))


NEEDS_LOGITS = {"log_loss"}

LOSS_FUNCTIONS = {"log_loss": log_loss, "cross_entropy": cross_entropy, "mse": mse}
