"""Classification data for the playground: toy generators, iris, and CSV files.

Rows are samples: ``X : (n_samples, n_features)`` float64 and
``y : (n_samples,)`` int64 with classes ``0..k-1``. Every dataset is split
(stratified) into training and test rows and, optionally, standardised with
the mean and scale of the training rows. Everything random comes from
``seed``, so the same arguments give bit-identical arrays.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = ["DATASETS", "DEFAULTS", "Dataset", "load_csv", "load_dataset"]

MIN_SAMPLES = 10
MAX_SAMPLES = 100_000
MAX_TEST_FRACTION = 0.9
MAX_CSV_ROWS = 100_000
MAX_CSV_COLUMNS = 1_000
MAX_CLASSES = 50
IRIS_ROWS = 150
XOR_MARGIN = 0.05
SPIRAL_TURNS = 1.75
CIRCLES_FACTOR = 0.5
BINARY_CLASSES = ("0", "1")
PLANE_FEATURES = ("x1", "x2")
MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
DELIMITERS = (",", ";", "\t")
GENERATE, SPLIT = 0, 1


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A classification dataset split into training and test rows.

    X_train : (m, d) float64, standardised as ``(raw - mean) / scale``
    y_train : (m,) int64 in ``0..k-1``
    X_test : (t, d) float64, ``t`` may be 0
    y_test : (t,) int64
    class_names : k >= 2 names, ``class_names[c]`` names label ``c``
    feature_names : d names
    mean, scale : (d,) the standardisation (zeros and ones when not standardised)
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

    def __post_init__(self):
        self._set("class_names", [str(name) for name in self.class_names])
        self._set("feature_names", [str(name) for name in self.feature_names])
        if self.n_classes < 2:
            raise ValueError(f"a Dataset needs at least 2 classes, got {self.n_classes}")
        if self.n_features < 1:
            raise ValueError("a Dataset needs at least 1 feature")
        for part in ("train", "test"):
            X = _as_matrix(getattr(self, f"X_{part}"), self.n_features, f"X_{part}")
            y = _as_labels(getattr(self, f"y_{part}"), self.n_classes, f"y_{part}")
            if len(X) != len(y):
                raise ValueError(f"X_{part} has {len(X)} rows but y_{part} has {len(y)} labels")
            self._set(f"X_{part}", X)
            self._set(f"y_{part}", y)
        self._set("mean", _as_vector(self.mean, self.n_features, "mean"))
        self._set("scale", _as_vector(self.scale, self.n_features, "scale"))

    def _set(self, field: str, value) -> None:
        object.__setattr__(self, field, value)

    def __repr__(self) -> str:
        return (f"Dataset({self.name!r}, train={self.X_train.shape}, test={self.X_test.shape}, "
                f"classes={self.class_names})")

    @property
    def n_classes(self) -> int:
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
        if not _is_integer(j) or not 0 <= j < n_features:
            raise ValueError(f"feature index {j!r} is not in 0..{n_features - 1}")
    if len(set(columns)) != len(columns):
        raise ValueError(f"feature indices must be distinct, got {columns}")
    return [int(j) for j in columns]


# --- generated datasets -----------------------------------------------------


class _Raw(NamedTuple):
    """Unsplit data: X : (n, d), y : (n,) int in 0..k-1, and the names."""

    X: np.ndarray
    y: np.ndarray
    class_names: Sequence[str]
    feature_names: Sequence[str]


def _plane(X: np.ndarray, y: np.ndarray) -> _Raw:
    return _Raw(X, y, BINARY_CLASSES, PLANE_FEATURES)


def _generator(seed: int) -> np.random.Generator:
    return np.random.default_rng([GENERATE, seed])


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    order = rng.permutation(len(y))
    return X[order], y[order]


def _xor(n_samples: int, noise: float, seed: int) -> _Raw:
    """Uniform points in the square [-1, 1]², kept off the axes; label 1 where x1·x2 < 0."""
    rng = _generator(seed)
    magnitude = rng.uniform(XOR_MARGIN, 1.0, size=(n_samples, 2))
    X = magnitude * rng.choice([-1.0, 1.0], size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return _plane(X + noise * rng.standard_normal(X.shape), y)


def _moons(n_samples: int, noise: float, seed: int) -> _Raw:
    """scikit-learn's two interleaving half circles."""
    from sklearn.datasets import make_moons

    return _plane(*make_moons(n_samples, noise=noise, random_state=seed))


def _circles(n_samples: int, noise: float, seed: int) -> _Raw:
    """scikit-learn's circle (class 1) inside a larger circle (class 0)."""
    from sklearn.datasets import make_circles

    return _plane(*make_circles(n_samples, noise=noise, factor=CIRCLES_FACTOR, random_state=seed))


def _spiral_arm(n_points: int, phase: float) -> np.ndarray:
    """X : (n_points, 2) along an arm of radius 0 to 1 turning SPIRAL_TURNS times."""
    radius = np.arange(n_points) / n_points
    angle = 2 * np.pi * SPIRAL_TURNS * radius + phase
    return radius[:, None] * np.column_stack([np.sin(angle), np.cos(angle)])


def _spiral(n_samples: int, noise: float, seed: int) -> _Raw:
    """Two interleaved spirals (TensorFlow Playground's); noise is gaussian jitter."""
    rng = _generator(seed)
    sizes = (n_samples - n_samples // 2, n_samples // 2)
    X = np.concatenate([_spiral_arm(size, np.pi * label) for label, size in enumerate(sizes)])
    y = np.repeat([0, 1], sizes)
    return _plane(*_shuffled(X + noise * rng.standard_normal(X.shape), y, rng))


def _gaussian(n_samples: int, noise: float, seed: int) -> _Raw:
    """Two gaussian blobs centred on (-1, -1) and (1, 1) with standard deviation noise."""
    rng = _generator(seed)
    y = rng.permutation(np.arange(n_samples) % 2)
    centres = np.array([[-1.0, -1.0], [1.0, 1.0]])
    return _plane(centres[y] + noise * rng.standard_normal((n_samples, 2)), y)


def _iris(n_samples: int, noise: float, seed: int) -> _Raw:
    """Fisher's iris (scikit-learn's shipped copy): 3 species, 4 measurements in cm.

    n_samples below 150 keeps a stratified random subset; noise is ignored.
    """
    from sklearn.datasets import load_iris

    iris = load_iris()
    rng = _generator(seed)
    X, y = _shuffled(iris.data, iris.target, rng)
    keep = np.sort(_stratified_pick(y, n_samples, rng))
    class_names = [str(name) for name in iris.target_names]
    return _Raw(X[keep], y[keep], class_names, list(iris.feature_names))


def _xor_truth_table() -> Dataset:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return Dataset("xor", X, [0, 1, 1, 0], np.empty((0, 2)), np.empty(0, dtype=np.int64),
                   list(BINARY_CLASSES), list(PLANE_FEATURES), np.zeros(2), np.ones(2))


GENERATORS: dict[str, Callable[[int, float, int], _Raw]] = {
    "xor": _xor,
    "moons": _moons,
    "iris": _iris,
    "circles": _circles,
    "spiral": _spiral,
    "gaussian": _gaussian,
}
DATASETS: tuple[str, ...] = tuple(GENERATORS)
DEFAULTS: dict[str, dict] = {
    "xor": {"n_samples": 200, "noise": 0.1},
    "moons": {"n_samples": 200, "noise": 0.2},
    "iris": {"n_samples": IRIS_ROWS, "noise": 0.0},
    "circles": {"n_samples": 200, "noise": 0.1},
    "spiral": {"n_samples": 200, "noise": 0.05},
    "gaussian": {"n_samples": 200, "noise": 0.5},
}


def load_dataset(name: str, n_samples: int | None = None, noise: float | None = None,
                 test_fraction: float = 0.3, seed: int = 0, standardize: bool = True) -> Dataset:
    """Generate (or load) the dataset ``name``, split it and standardise it.

    name : one of DATASETS
    n_samples : rows in total, MIN_SAMPLES..MAX_SAMPLES (None: DEFAULTS). iris allows
        at most 150 and keeps a stratified subset below that. ``xor`` with
        ``n_samples=4`` is the truth table X = [[0,0],[0,1],[1,0],[1,1]],
        y = [0,1,1,0], with no test rows and not standardised (noise,
        test_fraction and standardize are then ignored).
    noise : >= 0, the dataset's jitter (None: DEFAULTS); ignored for iris
    test_fraction : 0..0.9, the share of rows held out (stratified); 0 keeps no test rows
    seed : makes everything reproducible
    standardize : scale by the training rows' mean and standard deviation
    """
    name = _dataset_name(name)
    n_samples = _n_samples(name, n_samples)
    noise = _noise(name, noise)
    test_fraction = _test_fraction(test_fraction)
    seed = _seed(seed)
    if name == "xor" and n_samples == 4:
        return _xor_truth_table()
    raw = GENERATORS[name](n_samples, noise, seed)
    return _make_dataset(name, raw, test_fraction, seed, standardize)


# --- argument checks --------------------------------------------------------


def _is_integer(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _dataset_name(name) -> str:
    key = name.strip().lower() if isinstance(name, str) else None
    if key not in GENERATORS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    return key


def _n_samples(name: str, n_samples) -> int:
    if n_samples is None:
        return DEFAULTS[name]["n_samples"]
    if not _is_integer(n_samples):
        raise ValueError(f"n_samples must be a whole number, got {n_samples!r}")
    if name == "xor" and n_samples == 4:
        return 4
    most = IRIS_ROWS if name == "iris" else MAX_SAMPLES
    if not MIN_SAMPLES <= n_samples <= most:
        size = "small" if n_samples < MIN_SAMPLES else "large"
        truth_table = " (or 4 for the XOR truth table)" if name == "xor" else ""
        raise ValueError(f"n_samples={n_samples} is too {size} for {name}: "
                         f"use {MIN_SAMPLES} to {most}{truth_table}")
    return int(n_samples)


def _noise(name: str, noise) -> float:
    if noise is None:
        return DEFAULTS[name]["noise"]
    if not _is_real(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return float(noise)


def _test_fraction(test_fraction) -> float:
    if not _is_real(test_fraction) or not 0 <= test_fraction <= MAX_TEST_FRACTION:
        raise ValueError(f"test_fraction must be between 0 and {MAX_TEST_FRACTION}, "
                         f"got {test_fraction!r}")
    return float(test_fraction)


def _seed(seed) -> int:
    if not _is_integer(seed) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {seed!r}")
    return int(seed)


# --- splitting and standardising --------------------------------------------


def _stratified_counts(class_sizes: np.ndarray, n_take: int) -> np.ndarray:
    """Share n_take rows among classes in proportion to their sizes (largest remainder)."""
    exact = class_sizes * n_take / class_sizes.sum()
    counts = np.floor(exact).astype(np.int64)
    by_remainder = np.argsort(counts - exact, kind="stable")
    counts[by_remainder[: n_take - counts.sum()]] += 1
    return counts


def _stratified_pick(y: np.ndarray, n_take: int, rng: np.random.Generator) -> np.ndarray:
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


def _split(X: np.ndarray, y: np.ndarray, n_test: int, seed: int):
    """Stratified split: X_train (m, d), y_train (m,), X_test (t, d), y_test (t,)."""
    rng = np.random.default_rng([SPLIT, seed])
    is_test = np.zeros(len(y), dtype=bool)
    is_test[_stratified_pick(y, n_test, rng)] = True
    train = rng.permutation(np.flatnonzero(~is_test))
    test = rng.permutation(np.flatnonzero(is_test))
    return X[train], y[train], X[test], y[test]


def _standardisation(X_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mean, scale : (d,) of the training rows; a constant column gets scale 1."""
    mean = X_train.mean(axis=0)
    scale = X_train.std(axis=0)
    constant = scale <= 1e-12 * np.maximum(np.abs(mean), 1.0)
    return mean, np.where(constant, 1.0, scale)


def _make_dataset(name: str, raw: _Raw, test_fraction: float, seed: int,
                  standardize: bool) -> Dataset:
    X = np.asarray(raw.X, dtype=np.float64)
    y = np.asarray(raw.y, dtype=np.int64)
    class_names = [str(name) for name in raw.class_names]
    n_test = _test_size(len(y), test_fraction)
    _check_training_rows(y, n_test, class_names)
    X_train, y_train, X_test, y_test = _split(X, y, n_test, seed)
    d = X.shape[1]
    mean, scale = _standardisation(X_train) if standardize else (np.zeros(d), np.ones(d))
    return Dataset(name, (X_train - mean) / scale, y_train, (X_test - mean) / scale, y_test,
                   class_names, list(raw.feature_names), mean, scale)


# --- CSV files --------------------------------------------------------------


def load_csv(source, target: str | int | None = None, test_fraction: float = 0.3,
             seed: int = 0, standardize: bool = True) -> Dataset:
    """Load a classification table from a CSV file with a header row.

    source : a path (str or Path), bytes, or a binary or text file object
        (e.g. Streamlit's UploadedFile), read from its start
    target : the label column's name (or index); None means the last column.
        Every other column is a numeric feature. Labels may be anything: numbers
        become classes in numeric order, anything else in string order.
    Delimiter ',' (or ';' / tab, sniffed from the header); UTF-8, BOM allowed.
    Raises ValueError naming the problem (and its line and column) for a bad file.
    """
    test_fraction = _test_fraction(test_fraction)
    seed = _seed(seed)
    header, lines, rows = _read_table(_read_text(source))
    label_column = _target_index(header, target)
    feature_columns = [j for j in range(len(header)) if j != label_column]
    feature_names = [header[j] for j in feature_columns]
    _check_header_is_names(feature_names)
    X = _feature_matrix(rows, lines, header, feature_columns)
    labels = [row[label_column] for row in rows]
    y, class_names = _encode_labels(labels, lines, header[label_column])
    raw = _Raw(X, y, class_names, feature_names)
    return _make_dataset(_source_name(source), raw, test_fraction, seed, standardize)


def _read_text(source) -> str:
    data = _read_source(source)
    text = data if isinstance(data, str) else _decode(bytes(data))
    if "\x00" in text:
        raise ValueError("not a CSV text file: it contains NUL characters (binary data)")
    return text.removeprefix("\ufeff")


def _read_source(source) -> str | bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        return _read_path(source)
    if hasattr(source, "read"):
        if getattr(source, "seekable", lambda: False)():
            source.seek(0)
        data = source.read()
        if isinstance(data, (str, bytes, bytearray)):
            return data
    raise ValueError(f"source must be a path, bytes or a file object, not {type(source).__name__}")


def _read_path(path: str | os.PathLike) -> bytes:
    try:
        return Path(path).read_bytes()
    except (OSError, ValueError) as error:
        hint = " (pass CSV text as bytes or io.StringIO, not str)" if "\n" in str(path) else ""
        reason = getattr(error, "strerror", None) or error
        raise ValueError(f"cannot read the file {str(path)[:200]!r}: {reason}{hint}") from None


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ValueError("not a CSV text file: it contains NUL bytes (binary data such as an "
                         "image, or UTF-16 text); save it as CSV UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(f"not a CSV text file: byte {error.start} (line {line}) is not valid "
                         "UTF-8 (binary data or another encoding); save it as CSV UTF-8") from None


def _delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first_line.count)


def _read_table(text: str) -> tuple[list[str], list[int], list[list[str]]]:
    """header : n names, lines : (r,) line numbers, rows : r lists of n stripped cells."""
    if not text.strip():
        raise ValueError("the CSV file is empty")
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise ValueError("the CSV file is empty (only blank rows)")
    header = _header(first[1])
    lines, rows = [], []
    for line, cells in records:
        if len(cells) != len(header):
            raise ValueError(f"line {line} has {len(cells)} values but the header has "
                             f"{len(header)} columns (ragged rows)")
        if len(rows) == MAX_CSV_ROWS:
            raise ValueError(f"too many rows: the CSV file has more than {MAX_CSV_ROWS:,} "
                             "data rows")
        lines.append(line)
        rows.append(cells)
    if not rows:
        raise ValueError("the CSV file has a header row but no data rows")
    return header, lines, rows


def _records(text: str):
    """(line number, stripped cells) for every non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            if any(cells):
                yield reader.line_num, cells
    except csv.Error as error:
        raise ValueError(f"not a valid CSV file: {error} (line {reader.line_num})") from None


def _header(names: list[str]) -> list[str]:
    if len(names) > MAX_CSV_COLUMNS:
        raise ValueError(f"too many columns: {len(names):,} (at most {MAX_CSV_COLUMNS:,})")
    if len(names) < 2:
        raise ValueError(f"the CSV file needs at least 1 feature column and a label column, "
                         f"found 1 column ({names[0]!r}); is it comma-separated?")
    for j, name in enumerate(names):
        if not name:
            raise ValueError(f"column {j + 1} has no name in the header row")
        if name in names[:j]:
            first = names.index(name) + 1
            raise ValueError(f"duplicate column name {name!r} (columns {first} and {j + 1})")
    return names


def _check_header_is_names(feature_names: list[str]) -> None:
    if all(_parse_number(name) is not None for name in feature_names):
        raise ValueError(f"the first row looks like data ({', '.join(feature_names[:5])}), "
                         "but a header row with column names is required")


def _listing(names: Sequence[str], limit: int = 20) -> str:
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f", ... ({len(names)} columns)" if len(names) > limit else "")


def _target_index(header: list[str], target) -> int:
    if target is None:
        return len(header) - 1
    if isinstance(target, str) and target.strip() in header:
        return header.index(target.strip())
    if _is_integer(target) and -len(header) <= target < len(header):
        return int(target) % len(header)
    raise ValueError(f"target column {target!r} not found; the columns are {_listing(header)}")


def _parse_number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _feature_matrix(rows, lines, header, columns) -> np.ndarray:
    """X : (r, len(columns)) float64; every cell must be a finite number."""
    cells = [[row[j] for j in columns] for row in rows]
    try:
        X = np.array(cells, dtype=np.float64)
    except ValueError:
        X = np.array([_feature_row(row, line, header, columns)
                      for row, line in zip(cells, lines, strict=True)])
    bad = np.argwhere(~np.isfinite(X))
    if len(bad):
        i, k = bad[0]
        _feature_value(cells[i][k], lines[i], header[columns[k]])
    return X


def _feature_row(cells: list[str], line: int, header: list[str], columns: list[int]) -> list[float]:
    return [_feature_value(cell, line, header[j]) for cell, j in zip(cells, columns, strict=True)]


def _feature_value(cell: str, line: int, column: str) -> float:
    where = f"in column {column!r} on line {line}"
    if cell.lower() in MISSING_MARKERS:
        raise ValueError(f"missing value {cell!r} (empty or NaN) {where}")
    value = _parse_number(cell)
    if value is None:
        hint = "; use '.' as the decimal point" if "," in cell else ""
        raise ValueError(f"non-numeric value {cell!r} {where}; features must be numbers{hint}")
    if not math.isfinite(value):
        raise ValueError(f"infinite value {cell!r} {where}; features must be finite numbers")
    return value


def _encode_labels(labels: list[str], lines: list[int], column: str):
    """y : (r,) int64 in 0..k-1 and the k class names, numbers in numeric order."""
    for label, line in zip(labels, lines, strict=True):
        if not label:
            raise ValueError(f"missing label in column {column!r} on line {line}")
    values = [_parse_number(label) for label in labels]
    if all(value is not None and math.isfinite(value) for value in values):
        classes, y = np.unique(np.array(values), return_inverse=True)
        class_names = [_number_name(value) for value in classes]
    else:
        classes, y = np.unique(np.array(labels, dtype=str), return_inverse=True)
        class_names = [str(name) for name in classes]
    _check_class_count(class_names, column)
    return y.astype(np.int64).reshape(-1), class_names


def _number_name(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(float(value))


def _check_class_count(class_names: list[str], column: str) -> None:
    if len(class_names) < 2:
        raise ValueError(f"the target column {column!r} has a single class ({class_names[0]!r}); "
                         "a classifier needs at least 2 classes")
    if len(class_names) > MAX_CLASSES:
        raise ValueError(f"the target column {column!r} has {len(class_names)} classes, more than "
                         f"{MAX_CLASSES}; is it really the label column?")


def _source_name(source) -> str:
    path = source if isinstance(source, (str, os.PathLike)) else getattr(source, "name", None)
    return Path(path).name if isinstance(path, (str, os.PathLike)) and str(path) else "csv"
