"""The learner's own data: a table they uploaded, or a blank plane to draw points on.

A :class:`UserData` is one browser session's (kept in its session state by upload.py, never in a
module global; the blank plane has no rows, so one immutable BLANK serves every session). It
gives the dataset menu an entry (``spec``, a DatasetSpec the settings read as they read a built-in
one's) and the model its Dataset (``dataset``), subsampled, split and standardised as a built-in
table is. Streamlit-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from engine.datasets import Dataset, DatasetSpec, Raw, load_csv
from engine.datasets.split import make_dataset, stratified_pick
from engine.tasks import CLASSIFICATION, REGRESSION

UPLOAD, BLANK_NAME = "upload", "blank"  # the dataset menu's values
BLANK_CLASSES = ("class A", "class B")
BLANK_FEATURES = ("x1", "x2")
MIN_ROWS = 10  # an uploaded table's rows at least (the engine's smallest dataset)
SUBSAMPLE = 2  # the subsample's random stream (the split draws from stream 1)


@dataclass(frozen=True, eq=False)
class UserData:
    """Rows in the file's own units (``raw``), what the menu calls them, and the task."""

    name: str  # UPLOAD or BLANK_NAME
    label: str  # what the dataset menu shows
    raw: Raw = field(repr=False)
    task: str = CLASSIFICATION
    file_name: str = ""

    @property
    def rows(self) -> int:
        return len(self.raw.y)

    @property
    def drawn(self) -> bool:
        """A plane to draw on: every point is one the learner added, and all of them train."""
        return self.name == BLANK_NAME

    @cached_property
    def spec(self) -> DatasetSpec:
        """The menu's entry: the names, the row count (as a real table's cap) and the task."""
        return DatasetSpec(self.name, self.label, self._subsample, self.rows, 0.0, self.rows,
                           tuple(self.raw.class_names), tuple(self.raw.feature_names), task=self.task)

    def _subsample(self, n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """``n_samples`` of the rows (stratified by class), or all of them; noise is ignored."""
        X, y = np.asarray(self.raw.X, dtype=np.float64), np.asarray(self.raw.y)
        if n_samples >= len(y):
            return X, y
        rng = np.random.default_rng([SUBSAMPLE, seed])
        keep = stratified_pick(y, n_samples, rng) if self.task == CLASSIFICATION else rng.choice(
            len(y), n_samples, replace=False)
        return X[np.sort(keep)], y[np.sort(keep)]

    def dataset(self, n_samples: int, test_fraction: float, seed: int) -> Dataset:
        """The Dataset the network trains on: a drawn plane as it is (all training rows, not
        standardised); an uploaded table subsampled, split and standardised by ``seed``."""
        if self.drawn:
            d = len(self.raw.feature_names)
            return Dataset(self.name, self.raw.X, self.raw.y, np.empty((0, d)), np.empty(0, dtype=np.int64),
                           list(self.raw.class_names), list(self.raw.feature_names), np.zeros(d), np.ones(d))
        X, y = self._subsample(n_samples, 0.0, seed)
        raw = Raw(X, y, self.raw.class_names, self.raw.feature_names)
        return make_dataset(self.file_name or self.name, raw, test_fraction, seed, True, self.task)


BLANK = UserData(BLANK_NAME, "Blank — draw your own",
                 Raw(np.empty((0, 2)), np.empty(0, dtype=np.int64), BLANK_CLASSES, BLANK_FEATURES))


def read_upload(file_name: str, content: bytes, target: str | None = None, task: str = CLASSIFICATION,
                features: list[str] | None = None) -> UserData:
    """An uploaded CSV file as the session's data: the engine's ``load_csv`` reads it (streamed,
    within its limits, refusing a bad file with a ValueError that names the problem); the label
    column is ``target`` (None: the last), the features ``features`` (None or empty: all the other
    columns; the others are not read)."""
    whole = load_csv(content, target=target, test_fraction=0.0, seed=0, standardize=False, task=task,
                     features=features or None)
    raw = Raw(whole.X_train, whole.y_train, whole.class_names, whole.feature_names)
    if len(raw.y) < MIN_ROWS:
        raise ValueError(f"the CSV file has {len(raw.y)} data rows; the playground needs at least {MIN_ROWS} "
                         "to train and test on")
    return UserData(UPLOAD, f"Your data: {file_name}", raw, task, file_name)


def class_counts(data: UserData) -> dict[str, int]:
    """Rows per class (a regression has none)."""
    if data.task == REGRESSION:
        return {}
    counts = np.bincount(np.asarray(data.raw.y, dtype=np.int64), minlength=len(data.raw.class_names))
    return {name: int(count) for name, count in zip(data.raw.class_names, counts)}


SESSION_KEY = "user_upload"  # session state: the session's uploaded UserData


def own(name: str, uploaded: UserData | None) -> UserData | None:
    """The UserData the dataset menu's value ``name`` stands for: the blank plane, the session's
    upload, or None (a built-in dataset)."""
    if name == BLANK_NAME:
        return BLANK
    return uploaded if name == UPLOAD and uploaded is not None else None


def names(task: str, uploaded: UserData | None) -> list[str]:
    """The dataset menu's own entries for ``task``: the upload (when its task is that one), the blank plane."""
    entries = [UPLOAD] if uploaded is not None and uploaded.task == task else []
    return entries + ([BLANK_NAME] if task == BLANK.task else [])


@dataclass
class NoRows:
    """The trainer of data without training rows (a blank plane before its first point): it has
    the settings and the epoch count of a Trainer and trains nothing until points are added."""

    lr: float
    optimizer: str
    batch_size: int | None
    l1: float
    l2: float
    epoch: int = 0
    history: list = field(default_factory=list)
    diverged: None = None
    batches_per_epoch: int = 1  # the partial-epoch figures of a Trainer: nothing in progress
    batches_left: int = 1
    epoch_progress: float = 0.0

    def run(self, epochs: int | None = None, seconds: float | None = None) -> list:
        return []

    def train_batches(self, count: int | None = None, seconds: float | None = None) -> list:
        return []
