"""Input features: what the input layer of a network on the plane holds, one entry each in ``INPUTS``.

TensorFlow Playground's inputs, each a function of the two (standardised) plane coordinates
``x1, x2``: the coordinates themselves, their squares, their product and their sines.  A
network given ``inputs=("x1sq", "x2sq")`` reads the same rows ``X : (n, 2)`` as any network on
the plane and computes its input layer ``F : (n, 2)`` from them first
(:meth:`engine.network.Network.input_values`), so the data, the plane of the decision boundary
and the points drawn stay in x1/x2 while the first weights see x1², x2².  The map is part of
the network: its model file records it, a loaded network applies it, and the exported script
computes it from the raw columns (``numpy_source``).

Adding an input feature is one entry here: the network, the CLI's ``--inputs`` and the model
file read it from the registry.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

PLANE_COORDINATES = 2  # the inputs are functions of a dataset's two features


@dataclass(frozen=True)
class InputFeature:
    """``name``: the key (``--inputs`` and share links); ``label``: what the diagram shows
    ("x₁²"); ``latex``: its formula; ``function(x1, x2)``: the column of the input layer from
    the coordinate columns ``x1, x2 : (n,)``; ``numpy_source``: the same computation as a NumPy
    expression of ``x1`` and ``x2`` (``np`` for NumPy), in the same order of operations so that
    the exported script gets the same bits; ``javascript``: the same as a JavaScript expression
    of ``x1`` and ``x2`` (``Math`` only), for the live element, which evaluates the network over
    the plane in the browser (playground/static/evaluate.js)."""

    name: str
    label: str
    latex: str
    function: Callable[[np.ndarray, np.ndarray], np.ndarray]
    numpy_source: str
    javascript: str


INPUTS: dict[str, InputFeature] = {
    "x1": InputFeature("x1", "x₁", "x_1", lambda x1, x2: x1, "x1", "x1"),
    "x2": InputFeature("x2", "x₂", "x_2", lambda x1, x2: x2, "x2", "x2"),
    "x1sq": InputFeature("x1sq", "x₁²", "x_1^2", lambda x1, x2: x1 * x1, "x1 * x1", "x1 * x1"),
    "x2sq": InputFeature("x2sq", "x₂²", "x_2^2", lambda x1, x2: x2 * x2, "x2 * x2", "x2 * x2"),
    "x1x2": InputFeature("x1x2", "x₁·x₂", r"x_1 x_2", lambda x1, x2: x1 * x2, "x1 * x2", "x1 * x2"),
    "sinx1": InputFeature("sinx1", "sin(x₁)", r"\sin x_1", lambda x1, x2: np.sin(x1), "np.sin(x1)", "Math.sin(x1)"),
    "sinx2": InputFeature("sinx2", "sin(x₂)", r"\sin x_2", lambda x1, x2: np.sin(x2), "np.sin(x2)", "Math.sin(x2)"),
}

PLAIN_INPUTS = ("x1", "x2")  # the coordinates as they are: TensorFlow Playground's default


def check_inputs(inputs: Sequence[str]) -> tuple[str, ...]:
    """``inputs`` as a tuple of distinct known names; a ValueError naming the problem."""
    if isinstance(inputs, str) or not isinstance(inputs, Sequence):
        raise ValueError(f"inputs must be a list of input feature names; got {inputs!r}")
    names = tuple(inputs)
    if not names:
        raise ValueError(f"inputs must name at least one input feature: {', '.join(INPUTS)}")
    for name in names:
        if name not in INPUTS:
            raise ValueError(f"unknown input feature {name!r}; choose from: {', '.join(INPUTS)}")
    if len(set(names)) != len(names):
        twice = next(name for j, name in enumerate(names) if name in names[:j])
        raise ValueError(f"inputs list {twice!r} twice")
    return names


def check_plane(inputs: Sequence[str], n_features: int, dataset: str = "the data") -> None:
    """Input features are functions of two coordinates: refuse data with another number of features."""
    if n_features != PLANE_COORDINATES:
        raise ValueError(f"input features ({', '.join(inputs)}) are computed from the two plane "
                         f"coordinates x1, x2; {dataset} has {n_features} features (choose two of them "
                         "first, or leave the inputs out)")


def input_values(inputs: Sequence[str], X: np.ndarray) -> np.ndarray:
    """Plane rows ``X : (n, 2)`` -> the input layer ``F : (n, len(inputs))``, column j being
    ``INPUTS[inputs[j]].function(x1, x2)``."""
    x1, x2 = np.ascontiguousarray(X[:, 0]), np.ascontiguousarray(X[:, 1])
    F = np.empty((len(X), len(inputs)))
    for j, name in enumerate(inputs):
        F[:, j] = INPUTS[name].function(x1, x2)
    return F
