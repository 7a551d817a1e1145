"""Optimizers, one :class:`OptimizerSpec` each: ``make(params, momentum)`` returns an object
whose ``update(params, grads, lr)`` changes the network's arrays in place from ``grads``
mirroring ``params``."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class OptimizerSpec:
    """``label``: what the app shows; ``make(params, momentum)``: a fresh optimizer state."""

    name: str
    label: str
    make: Callable


class SGD:
    def __init__(self, params, momentum=0.9):
        pass

    def update(self, params, grads, lr):
        for (W, b), (dW, db) in zip(params, grads):
            W -= lr * dW
            b -= lr * db


class Momentum:
    """Heavy ball: ``v = μ·v + g; w -= lr·v`` (PyTorch's ``SGD(momentum=μ)``)."""

    def __init__(self, params, momentum=0.9):
        self.mu = momentum
        self.velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]

    def update(self, params, grads, lr):
        for (W, b), (dW, db), (vW, vb) in zip(params, grads, self.velocity):
            vW *= self.mu
            vW += dW
            vb *= self.mu
            vb += db
            W -= lr * vW
            b -= lr * vb


class Adam:
    """Adam (Kingma & Ba) with bias correction; β1 = 0.9, β2 = 0.999, ε = 1e-8."""

    def __init__(self, params, momentum=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps, self.t = momentum, beta2, eps, 0
        self.moments = [[np.zeros_like(p) for p in (W, b, W, b)] for W, b in params]

    def update(self, params, grads, lr):
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        step = lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        for layer, grad, moments in zip(params, grads, self.moments):
            for p, g, m, v in zip(layer, grad, moments[:2], moments[2:]):
                m *= b1
                m += (1 - b1) * g
                v *= b2
                v += (1 - b2) * g * g
                p -= step * m / (np.sqrt(v) + self.eps * np.sqrt(1 - b2 ** self.t))


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "sgd": OptimizerSpec("sgd", "SGD", SGD),
    "momentum": OptimizerSpec("momentum", "Momentum", Momentum),
    "adam": OptimizerSpec("adam", "Adam", Adam),
}
