"""The Dataset type: rows split into training and test, and the unsplit Raw table.

Rows are samples: ``X : (n_samples, n_features)`` float64 and ``y : (n_samples,)`` int64 with
classes ``0..k-1``, or for a regression task (:mod:`engine.tasks`) float64 targets and no classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from ..tasks import CLASSIFICATION, REGRESSION, check_task
from .checks import is_integer


class Raw(NamedTuple):
    """Unsplit data: X : (n, d), y : (n,) int in 0..k-1 (regression: float targets, no class
    names), and the names."""

    X: np.ndarray
    y: np.ndarray
    class_names: Sequence[str]
    feature_names: Sequence[str]


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A dataset split into training and test rows.

    X_train : (m, d) float64, standardised as ``(raw - mean) / scale``
    y_train : (m,) int64 in ``0..k-1``; for regression float64 targets in their own units
    X_test : (t, d) float64, ``t`` may be 0
    y_test : (t,) int64 (regression: float64)
    class_names : k >= 2 names, ``class_names[c]`` names label ``c``; none for regression
    feature_names : d names
    mean, scale : (d,) the standardisation (zeros and ones when not standardised)
    task : "classification" or "regression" (:mod:`engine.tasks`)
    target_mean, target_scale : a regression target's standardisation, fitted on the training
        rows (0 and 1 when not standardised; always so for classification). The targets stay in
        their own units here; a network made for the data (``Network.for_data``) learns
        ``(y - target_mean) / target_scale`` and answers in the target's units.
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]
    feature_names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    task: str = CLASSIFICATION
    target_mean: float = 0.0
    target_scale: float = 1.0

    def __post_init__(self):
        self._set("class_names", [str(name) for name in self.class_names])
        self._set("feature_names", [str(name) for name in self.feature_names])
        regression = check_task(self.task) == REGRESSION
        if regression and self.class_names:
            raise ValueError(f"a regression Dataset has no classes, got class names {self.class_names}")
        if not regression and self.n_classes < 2:
            raise ValueError(f"a Dataset needs at least 2 classes, got {self.n_classes}")
        if self.n_features < 1:
            raise ValueError("a Dataset needs at least 1 feature")
        for part in ("train", "test"):
            X = _as_matrix(getattr(self, f"X_{part}"), self.n_features, f"X_{part}")
            y = getattr(self, f"y_{part}")
            y = _as_targets(y, f"y_{part}") if regression else _as_labels(y, self.n_classes, f"y_{part}")
            if len(X) != len(y):
                raise ValueError(f"X_{part} has {len(X)} rows but y_{part} has {len(y)} labels")
            self._set(f"X_{part}", X)
            self._set(f"y_{part}", y)
        self._set("mean", _as_vector(self.mean, self.n_features, "mean"))
        self._set("scale", _as_vector(self.scale, self.n_features, "scale"))
        self._set("target_mean", float(self.target_mean))
        self._set("target_scale", float(self.target_scale))
        if not (np.isfinite(self.target_mean) and np.isfinite(self.target_scale) and self.target_scale > 0):
            raise ValueError(f"target_mean must be finite and target_scale finite and > 0, "
                             f"got {self.target_mean}, {self.target_scale}")
        if not regression and (self.target_mean, self.target_scale) != (0.0, 1.0):
            raise ValueError("a classification Dataset has no target standardisation")

    def _set(self, field: str, value) -> None:
        object.__setattr__(self, field, value)

    def __repr__(self) -> str:
        kind = "regression" if self.task == REGRESSION else f"classes={self.class_names}"
        return f"Dataset({self.name!r}, train={self.X_train.shape}, test={self.X_test.shape}, {kind})"

    @property
    def n_classes(self) -> int:
        """k; 0 for regression (engine.heads.REGRESSION_CLASSES)."""
        return len(self.class_names)

    @property
    def n_features(self) -> int:
        return len(self.feature_names)

    @property
    def X(self) -> np.ndarray:
        """X : (m + t, d) training rows then test rows."""
        return np.concatenate([self.X_train, self.X_test])

    @property
    def y(self) -> np.ndarray:
        """y : (m + t,) training labels then test labels."""
        return np.concatenate([self.y_train, self.y_test])

    def select(self, features: Sequence[int]) -> Dataset:
        """A new Dataset keeping only the columns ``features``, in that order."""
        columns = _column_indices(features, self.n_features)
        return replace(
            self,
            X_train=self.X_train[:, columns],
            X_test=self.X_test[:, columns],
            feature_names=[self.feature_names[j] for j in columns],
            mean=self.mean[columns],
            scale=self.scale[columns],
        )


    def standardized(self, raw) -> np.ndarray:
        """Rows in the data's own units -> the standardised space the network reads: ``(raw - mean) / scale``."""
        return (_as_matrix(np.atleast_2d(raw), self.n_features, "raw rows") - self.mean) / self.scale

    def raw(self, X) -> np.ndarray:
        """Standardised rows -> the data's own units: ``X * scale + mean``."""
        return _as_matrix(np.atleast_2d(X), self.n_features, "rows") * self.scale + self.mean

    def with_training_rows(self, X, y) -> Dataset:
        """A new Dataset with the standardised rows ``X : (n, d)`` and their labels (or targets)
        ``y : (n,)`` added to the training rows; the test rows and the standardisation are kept, so a
        network trained on this data reads the new rows in the units it was trained in."""
        X = _as_matrix(np.atleast_2d(X), self.n_features, "added rows")
        return replace(self, X_train=np.concatenate([self.X_train, X]),
                       y_train=np.concatenate([self.y_train, np.asarray(y).reshape(-1)]))

    def without_rows(self, rows: Sequence[int]) -> Dataset:
        """A new Dataset without the rows ``rows``, numbered as in :attr:`X` (training rows, then
        test rows); the standardisation is kept."""
        n_train, n = len(self.y_train), len(self.y_train) + len(self.y_test)
        drop = np.zeros(n, dtype=bool)
        for row in rows:
            if not is_integer(row) or not 0 <= row < n:
                raise ValueError(f"row {row!r} is not in 0..{n - 1}")
            drop[int(row)] = True
        train, test = ~drop[:n_train], ~drop[n_train:]
        return replace(self, X_train=self.X_train[train], y_train=self.y_train[train],
                       X_test=self.X_test[test], y_test=self.y_test[test])


def _as_matrix(X, n_columns: int, what: str) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.size == 0:
        X = X.reshape(0, n_columns)
    if X.ndim != 2 or X.shape[1] != n_columns:
        raise ValueError(f"{what} must have shape (rows, {n_columns}), got {X.shape}")
    return np.ascontiguousarray(X)


def _as_labels(y, n_classes: int, what: str) -> np.ndarray:
    y = np.asarray(y)
    labels = y.astype(np.int64).reshape(-1)
    if y.ndim != 1 or not np.array_equal(labels, y):
        raise ValueError(f"{what} must be a 1-D array of whole-number labels")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"{what} must hold labels 0..{n_classes - 1}")
    return labels


def _as_targets(y, what: str) -> np.ndarray:
    targets = np.asarray(y)
    if targets.ndim != 1 or not np.issubdtype(targets.dtype, np.number) or np.iscomplexobj(targets):
        raise ValueError(f"{what} must be a 1-D array of real target values")
    targets = targets.astype(np.float64)
    if not np.isfinite(targets).all():
        raise ValueError(f"{what} must hold finite target values")
    return targets


def _as_vector(values, length: int, what: str) -> np.ndarray:
    vector = np.array(values, dtype=np.float64)
    if vector.shape != (length,):
        raise ValueError(f"{what} must have shape ({length},), got {vector.shape}")
    return vector


def _column_indices(features: Sequence[int], n_features: int) -> list[int]:
    columns = list(features)
    if not columns:
        raise ValueError("select needs at least one feature index")
    for j in columns:
        if not is_integer(j) or not 0 <= j < n_features:
            raise ValueError(f"feature index {j!r} is not in 0..{n_features - 1}")
    if len(set(columns)) != len(columns):
        raise ValueError(f"feature indices must be distinct, got {columns}")
    return [int(j) for j in columns]
