"""Points added to and removed from a Dataset (click to add points): the standardisation is kept,
so a network goes on reading the data in the units it was trained in; and the plane of data
without rows (a blank plane to draw on)."""

import numpy as np
import pytest

from engine import load_dataset
from engine.boundary import plane_for
from engine.datasets import Dataset


@pytest.fixture
def moons():
    return load_dataset("moons", n_samples=100, test_fraction=0.2, seed=3)


def test_standardized_and_raw_are_inverse_and_use_the_training_mean_and_scale(moons):
    raw = np.array([[0.5, -0.25], [2.0, 1.0]])
    X = moons.standardized(raw)
    assert np.allclose(X, (raw - moons.mean) / moons.scale)
    assert np.allclose(moons.raw(X), raw)
    assert moons.standardized([0.5, -0.25]).shape == (1, 2)
    with pytest.raises(ValueError, match="raw rows"):
        moons.standardized([[1.0, 2.0, 3.0]])


def test_with_training_rows_appends_and_keeps_the_rest(moons):
    added = moons.with_training_rows([[0.1, 0.2], [0.3, 0.4]], [1, 0])
    assert len(added.y_train) == len(moons.y_train) + 2
    assert added.X_train[-2:].tolist() == [[0.1, 0.2], [0.3, 0.4]]
    assert added.y_train[-2:].tolist() == [1, 0]
    assert np.array_equal(added.X_test, moons.X_test) and np.array_equal(added.mean, moons.mean)
    assert np.array_equal(added.scale, moons.scale) and added.class_names == moons.class_names
    assert len(moons.y_train) == 80  # the original is unchanged
    with pytest.raises(ValueError, match="labels 0..1"):
        moons.with_training_rows([[0.0, 0.0]], [2])


def test_without_rows_numbers_rows_as_X_training_then_test(moons):
    last_train, first_test = len(moons.y_train) - 1, len(moons.y_train)
    kept = moons.without_rows([0, last_train, first_test])
    assert len(kept.y_train) == len(moons.y_train) - 2 and len(kept.y_test) == len(moons.y_test) - 1
    assert np.array_equal(kept.X_train, moons.X_train[1:-1])
    assert np.array_equal(kept.X_test, moons.X_test[1:])
    with pytest.raises(ValueError, match="not in 0..99"):
        moons.without_rows([100])


def test_a_dataset_without_rows_has_a_plane_from_minus_one_to_one():
    empty = Dataset("blank", np.empty((0, 2)), np.empty(0, dtype=int), np.empty((0, 2)), np.empty(0, dtype=int),
                    ["class A", "class B"], ["x1", "x2"], np.zeros(2), np.ones(2))
    plane = plane_for(empty, resolution=11)
    assert plane.xs[0] == pytest.approx(-1.2) and plane.xs[-1] == pytest.approx(1.2)
    assert np.array_equal(plane.fill, np.zeros(2)) and np.isfinite(plane.points).all()
    drawn = empty.with_training_rows([[0.5, 0.5]], [1])
    assert drawn.y_train.tolist() == [1] and drawn.X_train.tolist() == [[0.5, 0.5]]
