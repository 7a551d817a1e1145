"""load_csv(..., features=[...]): only the named columns are read, in that order, so a table with
text columns (an id, a name) can be used by choosing its numeric ones (the app's upload does)."""

import numpy as np
import pytest

from engine.datasets import load_csv

TABLE = b"id,a,b,y,name\n" + b"".join(f"r{i},{i},{i * i % 7},{i % 3},n{i}\n".encode() for i in range(30))


def test_only_the_named_columns_are_read_in_their_order():
    data = load_csv(TABLE, target="y", features=["b", "a"], test_fraction=0, standardize=False)
    assert data.feature_names == ["b", "a"] and data.class_names == ["0", "1", "2"]
    rows = sorted(map(tuple, np.column_stack([data.X_train, data.y_train]).tolist()))
    assert rows == sorted((i * i % 7, i, i % 3) for i in range(30))


def test_a_regression_target_with_chosen_features():
    data = load_csv(TABLE, target="a", features=["b"], test_fraction=0, standardize=False, task="regression")
    assert data.feature_names == ["b"] and data.task == "regression"
    assert sorted(zip(data.X_train[:, 0].tolist(), data.y_train.tolist())) == sorted(
        (float(i * i % 7), float(i)) for i in range(30))


def test_without_features_every_other_column_is_read_and_text_is_refused():
    with pytest.raises(ValueError, match="non-numeric value 'r0' in column 'id' on line 2"):
        load_csv(TABLE, target="y")


@pytest.mark.parametrize("features, message", [
    (["id"], "non-numeric value 'r0' in column 'id'"),
    (["y"], "is the target"),
    (["a", "a"], "named twice"),
    ([], "at least one column"),
    ("a", "at least one column"),
    (["zz"], "feature column 'zz' not found"),
])
def test_bad_feature_lists_are_refused(features, message):
    with pytest.raises(ValueError, match=message):
        load_csv(TABLE, target="y", features=features)
