"""``load_dataset``: a built-in dataset by name, generated, split and standardised."""

from __future__ import annotations

import numpy as np

from .checks import check_flag, check_seed, check_test_fraction, is_integer, is_real
from .dataset import Dataset, Raw
from .generators import DATASETS, DatasetSpec
from .split import make_dataset

MIN_SAMPLES = 10
MAX_SAMPLES = 100_000
MAX_NOISE = 10.0  # the planes span about 2 units: noise 10 hides any pattern; 1e154 overflowed into NaN


def load_dataset(name: str, n_samples: int | None = None, noise: float | None = None,
                 test_fraction: float = 0.3, seed: int = 0, standardize: bool = True) -> Dataset:
    """Generate (or load) the dataset ``name``, split it and standardise it.

    name : one of DATASETS (any case)
    n_samples : rows in total, MIN_SAMPLES..MAX_SAMPLES (None: the dataset's default). A real
        table (iris) allows at most its ``max_rows`` and keeps a stratified subset below
        that. ``xor`` with ``n_samples=4`` is the truth table X = [[0,0],[0,1],[1,0],[1,1]],
        y = [0,1,1,0], with no test rows and not standardised (noise,
        test_fraction and standardize are then ignored).
    noise : 0..MAX_NOISE, the dataset's jitter (None: the dataset's default); ignored for iris
    test_fraction : 0..0.9, the share of rows held out (stratified); 0 keeps no test rows
    seed : makes everything reproducible
    standardize : scale by the training rows' mean and standard deviation
    """
    spec = dataset_spec(name)
    n_samples = _n_samples(spec, n_samples)
    noise = _noise(spec, noise)
    test_fraction = check_test_fraction(test_fraction)
    seed = check_seed(seed)
    standardize = check_flag("standardize", standardize)
    if _is_truth_table(spec, n_samples):
        return _truth_table(spec)
    X, y = spec.generate(n_samples, noise, seed)
    raw = Raw(X, y, spec.class_names, spec.feature_names)
    return make_dataset(spec.name, raw, test_fraction, seed, standardize, spec.task)


def dataset_spec(name) -> DatasetSpec:
    """The :class:`DatasetSpec` called ``name`` (any case); ValueError naming the choices."""
    key = name.strip().lower() if isinstance(name, str) else None
    if key not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    return DATASETS[key]


def _is_truth_table(spec: DatasetSpec, n_samples: int) -> bool:
    return spec.truth_table is not None and n_samples == len(spec.truth_table[1])


def _truth_table(spec: DatasetSpec) -> Dataset:
    rows, labels = spec.truth_table
    d = spec.n_features
    return Dataset(spec.name, np.array(rows, dtype=np.float64), list(labels), np.empty((0, d)),
                   np.empty(0, dtype=np.int64), list(spec.class_names), list(spec.feature_names),
                   np.zeros(d), np.ones(d))


def _n_samples(spec: DatasetSpec, n_samples) -> int:
    if n_samples is None:
        return spec.n_samples
    if not is_integer(n_samples):
        raise ValueError(f"n_samples must be a whole number, got {n_samples!r}")
    if _is_truth_table(spec, n_samples):
        return int(n_samples)
    most = spec.max_rows or MAX_SAMPLES
    if not MIN_SAMPLES <= n_samples <= most:
        size = "small" if n_samples < MIN_SAMPLES else "large"
        truth_table = (f" (or {len(spec.truth_table[1])} for the {spec.label} truth table)"
                       if spec.truth_table is not None else "")
        raise ValueError(f"n_samples={n_samples} is too {size} for {spec.name}: "
                         f"use {MIN_SAMPLES} to {most}{truth_table}")
    return int(n_samples)


def _noise(spec: DatasetSpec, noise) -> float:
    if noise is None:
        return spec.noise
    if not is_real(noise) or not 0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be a number from 0 to {MAX_NOISE:g} (the dataset's "
                         f"default is {spec.noise:g}), got {noise!r}")
    return float(noise)
