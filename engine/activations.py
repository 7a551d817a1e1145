"""Activations: one :class:`Activation` entry per function, keyed by name.

Every function works in place, as scikit-learn's ``_base.py`` does: ``function(Z)`` on the
pre-activation ``Z``; ``derivative(A, delta, work)`` multiplies ``delta`` by g'(z), written
from the cached output ``A`` of the same layer, using ``work`` as scratch space so that no
temporary is allocated.  Shapes: ``Z, A, delta, work : (n_samples, n_units)``.

``ACTIVATIONS`` are the hidden layers' choices, ``OUTPUTS`` the output layers'.  Adding an
activation is one entry here: the network, the CLI's choices and help, the divergence advice
and the app's menu read everything else from it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAK = 0.01


@dataclass(frozen=True)
class Activation:
    """``name``: the key; ``label``: what the app shows; ``bounded``: the output stays in a
    bounded range (it saturates instead of growing without bound, which the divergence advice
    recommends).  The maths for the step inspector and the activation explorer: ``formula``
    and ``derivative_formula`` (LaTeX), ``derivative_of_z`` (g'(z) from z, for plotting; None
    for the softmax, whose derivative is a Jacobian), and ``flat(z)``, where g'(z) is (almost)
    zero so that no gradient passes (``flat_word``: "saturated", or "dead" for ReLU).
    ``numpy_source``: the function as the body of ``def g(Z):``, NumPy as ``np`` and nothing
    else, in the same order of operations as ``function`` so that it gives the same bits (the
    exported prediction script, :mod:`engine.export`, is written from it).  ``javascript``: the
    same function of one unit's pre-activation as a JavaScript expression of ``z`` (``Math`` only),
    for the live element, which evaluates the network over the plane in the browser
    (playground/static/evaluate.js); a function of a whole layer (the softmax) gives instead
    ``javascript_row``: the body of a JavaScript function of one row ``Z`` of the layer's
    pre-activations (an array) that overwrites it with the outputs."""

    name: str
    label: str
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray, np.ndarray], None]
    bounded: bool
    formula: str | None = None  # LaTeX of the function, in z
    derivative_formula: str | None = None  # LaTeX of its derivative, in z and in the output a
    derivative_of_z: Callable[[np.ndarray], np.ndarray] | None = None  # g'(z) from z (elementwise ones)
    flat: Callable[[np.ndarray], np.ndarray] | None = None  # where g'(z) is (almost) 0: no gradient passes
    flat_word: str = "saturated"  # what a unit is called whose z is flat on every row ("dead" for ReLU)
    flat_rule: str | None = None  # the flat region in words, e.g. "|z| > 4"; None: g' is nowhere 0
    numpy_source: str = ""  # body of def g(Z): returning g(Z), for the exported script
    javascript: str = ""  # g(z) as a JavaScript expression of z, for the live element
    javascript_row: str = ""  # or: the body of a JavaScript function overwriting a row Z with g(Z)


def sigmoid(Z):
    """Stable logistic: 1/(1+e^-z) = (1 + tanh(z/2)) / 2, never exp of a large number."""
    Z *= 0.5
    np.tanh(Z, out=Z)
    Z += 1.0
    Z *= 0.5
    return Z


def tanh(Z):
    return np.tanh(Z, out=Z)


def relu(Z):
    return np.maximum(Z, 0.0, out=Z)


def leaky_relu(Z):
    return np.maximum(Z, LEAK * Z, out=Z)


def elu(Z):
    """ELU with α = 1: z for z > 0, e^z - 1 otherwise (expm1 of a non-positive number never overflows)."""
    negative = np.minimum(Z, 0.0)
    np.expm1(negative, out=negative)
    np.maximum(Z, 0.0, out=Z)
    Z += negative
    return Z


def linear(Z):
    return Z


def row_max(Z):
    """``(n, 1)`` maxima of the rows; a loop over the few columns is ~40× faster than
    NumPy's reduction along a short last axis."""
    top = Z[:, 0].copy()
    for j in range(1, Z.shape[1]):
        np.maximum(top, Z[:, j], out=top)
    return top[:, None]


def row_sum(Z):
    """``(n, 1)`` sums of the rows (a matrix-vector product, for the same reason)."""
    return (Z @ np.ones(Z.shape[1]))[:, None]


def softmax(Z):
    """Row-wise softmax with the row maximum subtracted."""
    Z -= row_max(Z)
    np.exp(Z, out=Z)
    Z /= row_sum(Z)
    return Z


def sigmoid_derivative(A, delta, work):
    np.subtract(1.0, A, out=work)
    work *= A
    delta *= work


def tanh_derivative(A, delta, work):
    np.multiply(A, A, out=work)
    np.subtract(1.0, work, out=work)
    delta *= work


def relu_derivative(A, delta, work):
    np.greater(A, 0.0, out=work)
    delta *= work


def leaky_relu_derivative(A, delta, work):
    np.greater(A, 0.0, out=work)
    work *= 1.0 - LEAK
    work += LEAK
    delta *= work


def elu_derivative(A, delta, work):
    """g'(z) = e^z = A + 1 where A <= 0, and 1 where A > 0: min(A, 0) + 1."""
    np.minimum(A, 0.0, out=work)
    work += 1.0
    delta *= work


def linear_derivative(A, delta, work):
    pass


def softmax_derivative(A, delta, work):
    """The softmax's Jacobian (diag(a) - a aᵀ per row) applied to each row of ``delta``:
    ``a ⊙ (δ - (δ·a))``.  Not elementwise, so only an output layer uses it."""
    np.multiply(delta, A, out=work)
    delta -= row_sum(work)
    delta *= A


def sigmoid_of_z(Z):
    return sigmoid(np.array(Z, dtype=np.float64))


def sigmoid_slope(Z):
    A = sigmoid_of_z(Z)
    return A * (1.0 - A)


def tanh_slope(Z):
    return 1.0 - np.tanh(Z) ** 2


def relu_slope(Z):
    return (np.asarray(Z) > 0.0).astype(np.float64)


def leaky_relu_slope(Z):
    return np.where(np.asarray(Z) > 0.0, 1.0, LEAK)


def elu_slope(Z):
    return np.exp(np.minimum(Z, 0.0))


def unit_slope(Z):
    return np.ones_like(np.asarray(Z, dtype=np.float64))


SATURATION = 4.0  # |z| beyond which sigmoid'(z) < 0.018 and tanh'(z) < 0.0014


def beyond_saturation(Z):
    return np.abs(Z) > SATURATION


def not_positive(Z):
    return np.asarray(Z) <= 0.0


def below_saturation(Z):
    return np.asarray(Z) < -SATURATION


def nowhere(Z):
    return np.zeros(np.shape(Z), dtype=bool)


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation(
        "tanh", "tanh", tanh, tanh_derivative, bounded=True,
        formula=r"g(z) = \tanh z = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
        derivative_formula=r"g'(z) = 1 - \tanh^2 z = 1 - a^2",
        derivative_of_z=tanh_slope, flat=beyond_saturation, flat_rule="|z| > 4",
        numpy_source="return np.tanh(Z)",
        javascript="Math.tanh(z)"),
    "relu": Activation(
        "relu", "ReLU", relu, relu_derivative, bounded=False,
        formula=r"g(z) = \max(0, z)",
        derivative_formula=r"g'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
        derivative_of_z=relu_slope, flat=not_positive, flat_word="dead", flat_rule="z ≤ 0",
        numpy_source="return np.maximum(Z, 0.0)",
        javascript="Math.max(z, 0)"),
    "leaky_relu": Activation(
        "leaky_relu", "leaky ReLU", leaky_relu, leaky_relu_derivative, bounded=False,
        formula=rf"g(z) = \max({LEAK:g}\,z,\ z)",
        derivative_formula=rf"g'(z) = \begin{{cases}} 1 & z > 0 \\ {LEAK:g} & z \le 0 \end{{cases}}",
        derivative_of_z=leaky_relu_slope, flat=nowhere,
        numpy_source=f"return np.maximum(Z, {LEAK!r} * Z)",
        javascript=f"Math.max(z, {LEAK!r} * z)"),
    "elu": Activation(
        "elu", "ELU", elu, elu_derivative, bounded=False,
        formula=r"g(z) = \begin{cases} z & z > 0 \\ e^{z} - 1 & z \le 0 \end{cases}",
        derivative_formula=r"g'(z) = \begin{cases} 1 & z > 0 \\ e^{z} = a + 1 & z \le 0 \end{cases}",
        derivative_of_z=elu_slope, flat=below_saturation, flat_rule="z < −4",
        numpy_source="return np.maximum(Z, 0.0) + np.expm1(np.minimum(Z, 0.0))",
        javascript="Math.max(z, 0) + Math.expm1(Math.min(z, 0))"),
    "sigmoid": Activation(
        "sigmoid", "sigmoid", sigmoid, sigmoid_derivative, bounded=True,
        formula=r"g(z) = \sigma(z) = \frac{1}{1 + e^{-z}}",
        derivative_formula=r"g'(z) = \sigma(z)\,(1 - \sigma(z)) = a\,(1 - a)",
        derivative_of_z=sigmoid_slope, flat=beyond_saturation, flat_rule="|z| > 4",
        numpy_source="return (np.tanh(Z * 0.5) + 1.0) * 0.5",
        javascript="(Math.tanh(z * 0.5) + 1) * 0.5"),
    "linear": Activation(
        "linear", "linear", linear, linear_derivative, bounded=False,
        formula=r"g(z) = z", derivative_formula=r"g'(z) = 1",
        derivative_of_z=unit_slope, flat=nowhere,
        numpy_source="return Z", javascript="z"),
}

OUTPUTS: dict[str, Activation] = {
    "sigmoid": ACTIVATIONS["sigmoid"],
    "softmax": Activation(
        "softmax", "softmax", softmax, softmax_derivative, bounded=True,
        formula=r"p_c = \frac{e^{z_c}}{\sum_j e^{z_j}}",
        derivative_formula=r"\frac{\partial p_c}{\partial z_j} = p_c\,(\delta_{cj} - p_j)",
        numpy_source="E = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
                     "return E / (E @ np.ones(E.shape[1]))[:, None]",
        javascript_row="let top = Z[0];\n"
                       "for (let j = 1; j < Z.length; j++) top = Math.max(top, Z[j]);\n"
                       "let sum = 0;\n"
                       "for (let j = 0; j < Z.length; j++) { Z[j] = Math.exp(Z[j] - top); sum += Z[j]; }\n"
                       "for (let j = 0; j < Z.length; j++) Z[j] /= sum;"),
    "identity": Activation(
        "identity", "identity", linear, linear_derivative, bounded=False,
        formula=r"p = z", derivative_formula=r"g'(z) = 1", derivative_of_z=unit_slope, flat=nowhere,
        numpy_source="return Z", javascript="z"),
}
