"""Activation functions, their derivatives and the output layers.

Every function works in place, as scikit-learn's ``_base.py`` does: activations on the
pre-activation ``Z``; derivatives multiply ``delta`` by g'(z), written from the cached
output ``A`` of the same layer, using ``work`` as scratch space so that no temporary is
allocated.  Shapes: ``Z, A, delta, work : (n_samples, n_units)``.
"""

import numpy as np

LEAK = 0.01


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


def linear_derivative(A, delta, work):
    pass


ACTIVATIONS = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "linear": linear,
}

DERIVATIVES = {
    "sigmoid": sigmoid_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "leaky_relu": leaky_relu_derivative,
    "linear": linear_derivative,
}

OUTPUTS = {
    "sigmoid": sigmoid,
    "softmax": softmax,
    "identity": linear,
}
