"""Splitting a table into training and test rows (stratified by class; at random for a
regression target) and standardising it.

Everything random comes from ``seed``, so the same arguments give bit-identical arrays.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..tasks import CLASSIFICATION, REGRESSION
from .dataset import Dataset, Raw

SPLIT = 1  # the split's random stream; the generators draw from stream 0 (GENERATE)


def _stratified_counts(class_sizes: np.ndarray, n_take: int) -> np.ndarray:
    """Share n_take rows among classes in proportion to their sizes (largest remainder)."""
    exact = class_sizes * n_take / class_sizes.sum()
    counts = np.floor(exact).astype(np.int64)
    by_remainder = np.argsort(counts - exact, kind="stable")
    counts[by_remainder[: n_take - counts.sum()]] += 1
    return counts


def stratified_pick(y: np.ndarray, n_take: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of n_take rows of y, each class represented in proportion."""
    counts = _stratified_counts(np.bincount(y), n_take)
    picks = [rng.choice(np.flatnonzero(y == label), count, replace=False)
             for label, count in enumerate(counts)]
    return np.concatenate(picks).astype(np.int64)


def _test_size(n_rows: int, test_fraction: float) -> int:
    n_test = math.floor(test_fraction * n_rows + 0.5)
    if test_fraction > 0 and n_test == 0:
        raise ValueError(f"test_fraction={test_fraction} of {n_rows} rows leaves no test rows; "
                         "use test_fraction=0 or a larger fraction")
    return n_test


def _check_training_rows(y: np.ndarray, n_test: int, class_names: Sequence[str]) -> None:
    class_sizes = np.bincount(y, minlength=len(class_names))
    train_sizes = class_sizes - _stratified_counts(class_sizes, n_test)
    for label in np.flatnonzero(train_sizes == 0):
        raise ValueError(f"the split leaves class {class_names[label]!r} with no training row "
                         f"(it has {class_sizes[label]} row(s) and {n_test} of {len(y)} rows go to "
                         "the test set); lower test_fraction or add rows")


def _split(X: np.ndarray, y: np.ndarray, n_test: int, seed: int, stratified: bool = True):
    """Stratified split (or at random): X_train (m, d), y_train (m,), X_test (t, d), y_test (t,)."""
    rng = np.random.default_rng([SPLIT, seed])
    is_test = np.zeros(len(y), dtype=bool)
    is_test[stratified_pick(y, n_test, rng) if stratified else rng.choice(len(y), n_test, replace=False)] = True
    train = rng.permutation(np.flatnonzero(~is_test))
    test = rng.permutation(np.flatnonzero(is_test))
    return X[train], y[train], X[test], y[test]


def _standardisation(X_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mean, scale : (d,) of the training rows; a constant column gets scale 1."""
    mean = X_train.mean(axis=0)
    scale = X_train.std(axis=0)
    constant = scale <= 1e-12 * np.maximum(np.abs(mean), 1.0)
    return mean, np.where(constant, 1.0, scale)


def make_dataset(name: str, raw: Raw, test_fraction: float, seed: int,
                 standardize: bool, task: str = CLASSIFICATION) -> Dataset:
    """Split ``raw`` (stratified by class, or at random for a regression target, by ``seed``)
    and standardise its features with the training rows' figures; a regression target is kept in
    its own units, its standardisation (the training targets' mean and scale) carried along."""
    X = np.asarray(raw.X, dtype=np.float64)
    regression = task == REGRESSION
    y = np.asarray(raw.y, dtype=np.float64 if regression else np.int64)
    class_names = [str(name) for name in raw.class_names]
    n_test = _test_size(len(y), test_fraction)
    if not regression:
        _check_training_rows(y, n_test, class_names)
    X_train, y_train, X_test, y_test = _split(X, y, n_test, seed, stratified=not regression)
    d = X.shape[1]
    mean, scale = _standardisation(X_train) if standardize else (np.zeros(d), np.ones(d))
    target_mean, target_scale = (_standardisation(y_train[:, None]) if standardize and regression
                                 else (np.zeros(1), np.ones(1)))
    return Dataset(name, (X_train - mean) / scale, y_train, (X_test - mean) / scale, y_test,
                   class_names, list(raw.feature_names), mean, scale, task,
                   float(target_mean[0]), float(target_scale[0]))
