"""A saved model carries its card (feature names, standardisation, class names): written exactly,
checked on load like every other field, absent from old files."""

import io
import json

import numpy as np
import pytest

from engine import Network, load_dataset, model_file
from engine.model_card import ModelCard


def saved(net, data=None):
    buffer = io.BytesIO()
    net.save(buffer, data=data)
    return buffer.getvalue()


def with_header(net, **fields):
    """A model file of ``net`` whose header has ``fields`` changed (None: removed)."""
    header = dict(net.config(), format=model_file.FORMAT, version=model_file.VERSION)
    header.update(fields)
    header = {name: value for name, value in header.items() if value is not None}
    arrays = {"config": np.array(json.dumps(header))}
    for l, (W, b) in enumerate(net.params):
        arrays[f"W{l}"], arrays[f"b{l}"] = W, b
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def iris():
    return load_dataset("iris", seed=3)


def test_the_card_of_the_data_round_trips_exactly(iris):
    net = Network([4, 6, 3], seed=1)
    card = Network.load(saved(net, iris)).card
    assert card.feature_names == tuple(iris.feature_names)
    assert card.class_names == ("setosa", "versicolor", "virginica")
    assert card.mean.tobytes() == iris.mean.tobytes() and card.scale.tobytes() == iris.scale.tobytes()
    raw = card.raw(iris.X_test)
    np.testing.assert_allclose(card.standardise(raw), iris.X_test, rtol=0, atol=1e-14)


def test_a_file_without_a_card_loads_with_none_and_a_loaded_card_is_saved_again(iris):
    net = Network([4, 3], seed=0)
    assert Network.load(saved(net)).card is None
    twin = Network.load(saved(net, iris))
    again = Network.load(saved(twin))  # no data: the card it was loaded with
    assert again.card.class_names == twin.card.class_names
    assert again.card.mean.tobytes() == iris.mean.tobytes()


def test_a_one_unit_network_names_two_classes():
    moons = load_dataset("moons", seed=0)
    net = Network([2, 4, 1], seed=0)
    assert Network.load(saved(net, moons)).card.class_names == tuple(moons.class_names)
    assert len(moons.class_names) == 2


def test_a_card_that_does_not_fit_is_refused_on_save(iris):
    with pytest.raises(ValueError, match="card does not fit the network: feature_names lists 4 names for 2 inputs"):
        Network([2, 3]).save(io.BytesIO(), data=iris)
    card = ModelCard(("a", "b"), ("x", "y", "z"))
    with pytest.raises(ValueError, match="class_names lists 3 names for 2 classes"):
        Network([2, 1]).save(io.BytesIO(), data=card)


@pytest.mark.parametrize("fields, message", [
    ({"feature_names": ["a"]}, "feature_names lists 1 names for 2 inputs"),
    ({"feature_names": ["a", 3]}, "feature_names must be a list of text strings"),
    ({"feature_names": "ab"}, "feature_names must be a list of text strings"),
    ({"class_names": ["a", "a"]}, "class_names lists 'a' twice"),
    ({"class_names": ["a", "b", "c"]}, "class_names lists 3 names for 2 classes"),
    ({"standardisation": {"mean": [0, 0]}}, r"standardisation must be \{\"mean\""),
    ({"standardisation": {"mean": [0, 0], "scale": [1, 0]}}, "standardisation scale must be > 0"),
    ({"standardisation": {"mean": [0, 0], "scale": [1, -2]}}, "standardisation scale must be > 0"),
    ({"standardisation": {"mean": [0, True], "scale": [1, 1]}}, "standardisation mean must be a list of 2 finite"),
    ({"standardisation": {"mean": [0], "scale": [1, 1]}}, "standardisation mean must be a list of 2 finite"),
    ({"standardisation": {"mean": [0, 1e999], "scale": [1, 1]}}, "not a number JSON allows"),
])
def test_a_bad_card_field_is_refused_on_load(fields, message):
    with pytest.raises(ValueError, match=message):
        Network.load(with_header(Network([2, 3, 1]), **fields))


def test_a_partial_card_loads_and_is_completed_for_use():
    net = Network([2, 3, 3])
    card = Network.load(with_header(net, class_names=["r", "g", "b"])).card
    assert card.feature_names is None and card.mean is None and card.class_names == ("r", "g", "b")
    full = card.complete(2, 3)
    assert full.feature_names == ("x1", "x2") and full.class_names == ("r", "g", "b")
    assert full.mean.tolist() == [0.0, 0.0] and full.scale.tolist() == [1.0, 1.0]
