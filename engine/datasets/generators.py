"""The built-in datasets: one :class:`DatasetSpec` each, keyed by name, in ``DATASETS``.

A generator ``generate(n_samples, noise, seed) -> (X : (n, d) float, y : (n,))`` draws
everything random from ``seed``; ``y`` holds int labels, or float targets for a regression
dataset.  Adding a dataset is one generator and one entry here: the loader, the CLI's choices
and the app's menu read the rest (task, label, default size and noise, row cap, class and
feature names) from the entry without generating any data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from ..tasks import CLASSIFICATION, REGRESSION
from .split import stratified_pick

GENERATE = 0  # the generators' random stream; the split draws from stream 1
IRIS_ROWS = 150
XOR_MARGIN = 0.05
SPIRAL_TURNS = 1.75
CIRCLES_FACTOR = 0.5
CHECKERBOARD_CELLS = 4  # per side
PLANE_SLOPES = (0.6, -0.4)  # plane: target = a·x1 + b·x2 on [-1, 1]², within ±1
BUMPS = ((-2 / 3, 0.5, 1.0), (0.0, 0.5, -1.0), (2 / 3, 0.5, 1.0),  # multigauss: (centre x1, x2, height)
         (-2 / 3, -0.5, -1.0), (0.0, -0.5, 1.0), (2 / 3, -0.5, -1.0))
BUMP_WIDTH = 0.25  # the bumps' standard deviation
PLANE_FEATURES = ("x1", "x2")


@dataclass(frozen=True)
class DatasetSpec:
    """Everything about a built-in dataset except its rows.

    label : what the app shows; n_samples, noise : the defaults; max_rows : the size of a
    real table that can only be subsampled (iris: 150), None for a generator that makes any
    number; class_names : k names, label c is class_names[c]; feature_names : d names.
    truth_table : optionally ``(rows, labels)`` given whole, without a split or
    standardisation, when ``n_samples`` equals its length (XOR's 4 rows).
    task : "classification" or "regression" (float targets and no class names): :mod:`engine.tasks`.
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
    task: str = CLASSIFICATION

    @property
    def n_classes(self) -> int:
        """k; 0 for regression."""
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


def plane(n_samples: int, noise: float, seed: int):
    """Regression: uniform points on [-1, 1]², target a·x1 + b·x2 (a tilted plane, PLANE_SLOPES)
    plus gaussian noise of standard deviation ``noise``."""
    rng = _generator(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = X @ np.array(PLANE_SLOPES)
    return X, y + noise * rng.standard_normal(n_samples)


def multigauss(n_samples: int, noise: float, seed: int):
    """Regression: uniform points on [-1, 1]², target a sum of six gaussian bumps, up and down
    in turn (BUMPS, standard deviation BUMP_WIDTH), plus gaussian noise of standard deviation ``noise``."""
    rng = _generator(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = np.zeros(n_samples)
    for cx, cy, height in BUMPS:
        squared_distance = (X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2
        y += height * np.exp(-squared_distance / (2 * BUMP_WIDTH**2))
    return X, y + noise * rng.standard_normal(n_samples)


def _plane(name: str, label: str, generate, n_samples: int, noise: float, class_names: tuple[str, str],
           **more) -> DatasetSpec:
    """A two-class dataset on the plane (features x1, x2); class_names as a legend reads them."""
    return DatasetSpec(name, label, generate, n_samples, noise, None, class_names, PLANE_FEATURES, **more)


def _regression(name: str, label: str, generate, n_samples: int, noise: float) -> DatasetSpec:
    """A regression dataset on the plane: a real target over (x1, x2), no classes."""
    return DatasetSpec(name, label, generate, n_samples, noise, None, (), PLANE_FEATURES, task=REGRESSION)


DATASETS: dict[str, DatasetSpec] = {
    "xor": _plane("xor", "XOR", xor, 200, 0.1, ("false", "true"),
                  truth_table=(((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)), (0, 1, 1, 0))),
    "moons": _plane("moons", "Moons", moons, 200, 0.2, ("upper moon", "lower moon")),
    "iris": DatasetSpec("iris", "Iris (3 species, 4 features)", iris, IRIS_ROWS, 0.0, IRIS_ROWS,
                        ("setosa", "versicolor", "virginica"),
                        ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")),
    "circles": _plane("circles", "Circles", circles, 200, 0.1, ("outer ring", "inner circle")),
    "spiral": _plane("spiral", "Spiral", spiral, 200, 0.05, ("arm 1", "arm 2")),
    "gaussian": _plane("gaussian", "Gaussian blobs", gaussian, 200, 0.5, ("lower-left blob", "upper-right blob")),
    "checkerboard": _plane("checkerboard", "Checkerboard", checkerboard, 400, 0.05, ("even squares", "odd squares")),
    "plane": _regression("plane", "Plane (regression)", plane, 200, 0.05),
    "multigauss": _regression("multigauss", "Gaussian bumps (regression)", multigauss, 400, 0.05),
}


def dataset_names(task: str | None = None) -> list[str]:
    """The names in ``DATASETS``, or those of one task (``"classification"`` or ``"regression"``)."""
    return [name for name, spec in DATASETS.items() if task is None or spec.task == task]


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
