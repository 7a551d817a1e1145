"""Weight initialisations: ``init(rng, n_in, n_out) -> W : (n_out, n_in)``."""

import numpy as np


def small_normal(rng, n_in, n_out):
    return 0.01 * rng.standard_normal((n_out, n_in))


def uniform(rng, n_in, n_out):
    """U[0, 1), as the multi-layer tutorial draws it."""
    return rng.random((n_out, n_in))


def xavier(rng, n_in, n_out):
    bound = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-bound, bound, (n_out, n_in))


def he(rng, n_in, n_out):
    return np.sqrt(2.0 / n_in) * rng.standard_normal((n_out, n_in))


INITIALIZERS = {"small_normal": small_normal, "uniform": uniform, "xavier": xavier, "he": he}
