"""The built-in datasets: one :class:`DatasetSpec` each, keyed by name, in ``DATASETS``.

A generator ``generate(n_samples, noise, seed) -> (X : (n, d) float, y : (n,) int)`` draws
everything random from ``seed``.  Adding a dataset is one generator and one entry here: the
loader, the CLI's choices and the app's menu read the rest (label, default size and noise,
row cap, class and feature names) from the entry without generating any data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from .split import stratified_pick

GENERATE = 0  # the generators' random stream; the split draws from stream 1
IRIS_ROWS = 150
XOR_MARGIN = 0.05
SPIRAL_TURNS = 1.75
CIRCLES_FACTOR = 0.5
CHECKERBOARD_CELLS = 4  # per side
BINARY_CLASSES = ("0", "1")
PLANE_FEATURES = ("x1", "x2")


@dataclass(frozen=True)
class DatasetSpec:
    """Everything about a built-in dataset except its rows.

    label : what the app shows; n_samples, noise : the defaults; max_rows : the size of a
    real table that can only be subsampled (iris: 150), None for a generator that makes any
    number; class_names : k names, label c is class_names[c]; feature_names : d names.
    truth_table : optionally ``(rows, labels)`` given whole, without a split or
    standardisation, when ``n_samples`` equals its length (XOR's 4 rows).
    """

    name: str
    label: str
    generate: Callable[[int, float, int], tuple[np.ndarray, np.ndarray]]
    n_samples: int
    noise: float
    max_rows: int | None
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    truth_table: tuple | None = None

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_features(self) -> int:
        return len(self.feature_names)


def _generator(seed: int) -> np.random.Generator:
    return np.random.default_rng([GENERATE, seed])


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    order = rng.permutation(len(y))
    return X[order], y[order]


def xor(n_samples: int, noise: float, seed: int):
    """Uniform points in the square [-1, 1]², kept off the axes; label 1 where x1·x2 < 0."""
    rng = _generator(seed)
    magnitude = rng.uniform(XOR_MARGIN, 1.0, size=(n_samples, 2))
    X = magnitude * rng.choice([-1.0, 1.0], size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return X + noise * rng.standard_normal(X.shape), y


def moons(n_samples: int, noise: float, seed: int):
    """scikit-learn's two interleaving half circles."""
    from sklearn.datasets import make_moons

    return make_moons(n_samples, noise=noise, random_state=seed)


def circles(n_samples: int, noise: float, seed: int):
    """scikit-learn's circle (class 1) inside a larger circle (class 0)."""
    from sklearn.datasets import make_circles

    return make_circles(n_samples, noise=noise, factor=CIRCLES_FACTOR, random_state=seed)


def _spiral_arm(n_points: int, phase: float) -> np.ndarray:
    """X : (n_points, 2) along an arm of radius 0 to 1 turning SPIRAL_TURNS times."""
    radius = np.arange(n_points) / n_points
    angle = 2 * np.pi * SPIRAL_TURNS * radius + phase
    return radius[:, None] * np.column_stack([np.sin(angle), np.cos(angle)])


def spiral(n_samples: int, noise: float, seed: int):
    """Two interleaved spirals (TensorFlow Playground's); noise is gaussian jitter."""
    rng = _generator(seed)
    sizes = (n_samples - n_samples // 2, n_samples // 2)
    X = np.concatenate([_spiral_arm(size, np.pi * label) for label, size in enumerate(sizes)])
    y = np.repeat([0, 1], sizes)
    return _shuffled(X + noise * rng.standard_normal(X.shape), y, rng)


def gaussian(n_samples: int, noise: float, seed: int):
    """Two gaussian blobs centred on (-1, -1) and (1, 1) with standard deviation noise."""
    rng = _generator(seed)
    y = rng.permutation(np.arange(n_samples) % 2)
    centres = np.array([[-1.0, -1.0], [1.0, 1.0]])
    return centres[y] + noise * rng.standard_normal((n_samples, 2)), y


def checkerboard(n_samples: int, noise: float, seed: int):
    """Uniform points on [-1, 1]² coloured by their square of a 4×4 checkerboard (class 1 where
    the column and row of the square add up to an odd number); noise is gaussian jitter added
    after the colouring."""
    rng = _generator(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    squares = np.floor((X + 1.0) * (CHECKERBOARD_CELLS / 2)).astype(np.int64)
    y = (squares[:, 0] + squares[:, 1]) % 2
    return X + noise * rng.standard_normal(X.shape), y


def iris(n_samples: int, noise: float, seed: int):
    """Fisher's iris (scikit-learn's shipped copy): 3 species, 4 measurements in cm.

    n_samples below 150 keeps a stratified random subset; noise is ignored.
    """
    from sklearn.datasets import load_iris

    table = load_iris()
    rng = _generator(seed)
    X, y = _shuffled(table.data, table.target, rng)
    keep = np.sort(stratified_pick(y, n_samples, rng))
    return X[keep], y[keep]


def _plane(name: str, label: str, generate, n_samples: int, noise: float, **more) -> DatasetSpec:
    """A two-class dataset on the plane (features x1, x2)."""
    return DatasetSpec(name, label, generate, n_samples, noise, None, BINARY_CLASSES, PLANE_FEATURES, **more)


DATASETS: dict[str, DatasetSpec] = {
    "xor": _plane("xor", "XOR", xor, 200, 0.1,
                  truth_table=(((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)), (0, 1, 1, 0))),
    "moons": _plane("moons", "Moons", moons, 200, 0.2),
    "iris": DatasetSpec("iris", "Iris (3 species, 4 features)", iris, IRIS_ROWS, 0.0, IRIS_ROWS,
                        ("setosa", "versicolor", "virginica"),
                        ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")),
    "circles": _plane("circles", "Circles", circles, 200, 0.1),
    "spiral": _plane("spiral", "Spiral", spiral, 200, 0.05),
    "gaussian": _plane("gaussian", "Gaussian blobs", gaussian, 200, 0.5),
    "checkerboard": _plane("checkerboard", "Checkerboard", checkerboard, 400, 0.05),
}


class Defaults(Mapping):
    """``DEFAULTS[name] == {"n_samples": ..., "noise": ...}``: a live view of ``DATASETS``."""

    def __getitem__(self, name: str) -> dict:
        spec = DATASETS[name]
        return {"n_samples": spec.n_samples, "noise": spec.noise}

    def __iter__(self) -> Iterator[str]:
        return iter(DATASETS)

    def __len__(self) -> int:
        return len(DATASETS)


DEFAULTS = Defaults()
