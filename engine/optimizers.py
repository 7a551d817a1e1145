"""Optimizers, one :class:`OptimizerSpec` each: ``make(params, momentum)`` returns an object
whose ``update(params, grads, lr)`` changes the network's arrays in place from ``grads``
mirroring ``params``.  :func:`preview` tells what the next update will do without doing it."""

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class OptimizerSpec:
    """``label``: what the app shows; ``make(params, momentum)``: a fresh optimizer state;
    ``rule``: the update as LaTeX lines, for the step inspector.  Every optimizer's
    ``layer_state(l)`` names the arrays it keeps for layer ``l`` (``{}`` for SGD) and
    ``constants()`` its constants by their symbol in ``rule``."""

    name: str
    label: str
    make: Callable
    rule: tuple[str, ...] = ()


class SGD:
    def __init__(self, params, momentum=0.9):
        pass

    def layer_state(self, layer):
        return {}

    def constants(self):
        return {}

    def update(self, params, grads, lr):
        for (W, b), (dW, db) in zip(params, grads):
            W -= lr * dW
            b -= lr * db


class Momentum:
    """Heavy ball: ``v = μ·v + g; w -= lr·v`` (PyTorch's ``SGD(momentum=μ)``)."""

    def __init__(self, params, momentum=0.9):
        self.mu = momentum
        self.velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]

    def layer_state(self, layer):
        vW, vb = self.velocity[layer]
        return {"v_W": vW, "v_b": vb}

    def constants(self):
        return {r"\mu": self.mu}

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

    def layer_state(self, layer):
        mW, mb, vW, vb = self.moments[layer]
        return {"m_W": mW, "v_W": vW, "m_b": mb, "v_b": vb}

    def constants(self):
        """``t`` counts the updates done; the next one uses ``t + 1``."""
        return {r"\beta_1": self.beta1, r"\beta_2": self.beta2, r"\epsilon": self.eps, "t": self.t}

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
    "sgd": OptimizerSpec("sgd", "SGD", SGD, rule=(r"W \leftarrow W - \eta\, dW", r"b \leftarrow b - \eta\, db")),
    "momentum": OptimizerSpec(
        "momentum", "Momentum", Momentum,
        rule=(r"v \leftarrow \mu\, v + dW", r"W \leftarrow W - \eta\, v",
              r"\text{(the same for } b \text{ with its own } v\text{)}")),
    "adam": OptimizerSpec(
        "adam", "Adam", Adam,
        rule=(r"t \leftarrow t + 1", r"m \leftarrow \beta_1 m + (1 - \beta_1)\, dW",
              r"v \leftarrow \beta_2 v + (1 - \beta_2)\, dW^2",
              r"W \leftarrow W - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon},"
              r"\quad \hat m = \frac{m}{1 - \beta_1^t},\ \hat v = \frac{v}{1 - \beta_2^t}",
              r"\text{(the same for } b\text{; computed as } \eta \frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}"
              r"\frac{m}{\sqrt v + \epsilon \sqrt{1-\beta_2^t}}\text{, which is equal)}")),
}


def preview(optimizer, params, grads, lr):
    """What ``optimizer.update(params, grads, lr)`` will do, without doing it: ``(after, twin)``,
    the parameters after the update (fresh arrays mirroring ``params``) and a copy of the
    optimizer in its state after it (``twin.velocity``, ``twin.moments``, ``twin.t``).
    ``optimizer`` and ``params`` are left untouched.  The copy runs the same ``update``, so
    ``after`` is the real update's result to the bit."""
    twin = copy.deepcopy(optimizer)
    after = [(W.copy(), b.copy()) for W, b in params]
    twin.update(after, grads, lr)
    return after, twin
