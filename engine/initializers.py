"""Weight initialisations, one :class:`Initializer` each: ``draw(rng, n_in, n_out) -> W : (n_out, n_in)``."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Initializer:
    """``label``: what the app shows; ``draw``: a seeded draw of one layer's weights."""

    name: str
    label: str
    draw: Callable[[np.random.Generator, int, int], np.ndarray]


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


INITIALIZERS: dict[str, Initializer] = {
    "xavier": Initializer("xavier", "Xavier (Glorot)", xavier),
    "he": Initializer("he", "He", he),
    "small_normal": Initializer("small_normal", "small normal", small_normal),
    "uniform": Initializer("uniform", "uniform", uniform),
}
