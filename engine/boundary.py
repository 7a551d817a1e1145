"""A network evaluated over a plane of the input space: the decision boundary (or a
regression network's predicted value) and what each neuron computes there (drawn every
animation frame, so kept cheap).

The plane is always over the data's own features (x1, x2 on the plane datasets): a network
with input features (:mod:`engine.features`) computes them from the grid's points itself, so
its boundary, its neurons and its input units are drawn over the same x1/x2 axes as the points.
"""

from dataclasses import dataclass, field

import numpy as np

from .tasks import REGRESSION


@dataclass(frozen=True)
class Plane:
    """A ``resolution × resolution`` grid over two input features.

    ``xs, ys : (resolution,)``; ``points : (resolution², n_features)`` row-major with y
    slowest, so ``values.reshape(resolution, resolution)`` is an image whose row i is ys[i].
    Features not on the plane are held at ``fill``.
    """

    xs: np.ndarray
    ys: np.ndarray
    features: tuple
    fill: np.ndarray
    points: np.ndarray = field(repr=False)
    _input_layers: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def resolution(self):
        return len(self.xs)

    def input_layer(self, net):
        """The points as ``net``'s input layer: with input features, computed once per set of
        them (the grid is drawn every frame; sin over 10,000 points costs more than the network)."""
        if net.inputs is None:
            return self.points
        layer = self._input_layers.get(net.inputs)
        if layer is None:
            layer = self._input_layers[net.inputs] = net.input_values(self.points)
        return layer


def plane_for(data, resolution=100, features=(0, 1), padding=0.1):
    """The plane over the range of ``data`` (train and test rows) in ``features``,
    widened by ``padding`` of the range on each side; other features at the train mean.
    Data without rows (a plane to draw points on) gets the range -1..1 and its features 0."""
    X = data.X
    d = X.shape[1]
    fx, fy = (int(f) for f in features) if d > 1 else (0, 0)
    if not (0 <= fx < d and 0 <= fy < d) or (d > 1 and fx == fy):
        raise ValueError(f"features must be two different column indices below {d}; got {features}")
    if int(resolution) < 2:
        raise ValueError("resolution must be at least 2")
    axes = []
    for f in (fx, fy):
        lo, hi = (float(X[:, f].min()), float(X[:, f].max())) if len(X) else (-1.0, 1.0)
        pad = padding * (hi - lo) if hi > lo else 1.0
        axes.append(np.linspace(lo - pad, hi + pad, int(resolution)))
    xs, ys = axes
    fill = data.X_train.mean(axis=0) if len(data.X_train) else np.zeros(d)
    points = np.tile(fill, (len(xs) * len(ys), 1))
    gx, gy = np.meshgrid(xs, ys)
    points[:, fx] = gx.ravel()
    points[:, fy] = gy.ravel()
    return Plane(xs, ys, (fx, fy), fill, points)


def decision_boundary(net, plane):
    """Class probabilities over the plane: ``(resolution, resolution, n_classes)``; for a
    regression network its predicted value: ``(resolution, resolution, 1)``."""
    P = net.forward_pass(plane.input_layer(net), reuse_buffers=True, mapped=True)[0][-1]
    if net.task == REGRESSION:
        P = net.target_values(P)  # in the target's own units
    else:
        P = np.hstack([1.0 - P, P]) if P.shape[1] == 1 else P.copy()
    r = plane.resolution
    return P.reshape(len(plane.ys), r, -1)


def neuron_maps(net, plane):
    """Each hidden layer's activations over the plane: ``[(n_units, res, res), ...]``."""
    acts = net.forward_pass(plane.input_layer(net), mapped=True)[0][1:-1]
    shape = (len(plane.ys), plane.resolution)
    return [A.T.reshape(A.shape[1], *shape) for A in acts]


def input_maps(net, plane):
    """The input layer over the plane, one map per input unit: ``(sizes[0], res, res)`` (with
    input features, e.g. x1² and sin(x2), what each computes from the plane's x1 and x2)."""
    F = plane.input_layer(net)
    return F.T.reshape(F.shape[1], len(plane.ys), plane.resolution)
