"""The output/loss heads: the one rule for k classes, and each head's output delta."""

import numpy as np
import pytest

from engine import HEADS, Network, gradient_check, head_of, heads_for, load_dataset, output_units


def test_heads_for_two_and_more_classes():
    assert heads_for(2) == ["sigmoid:log_loss", "softmax:cross_entropy", "sigmoid:mse"]
    assert heads_for(3) == heads_for(7) == ["softmax:cross_entropy", "sigmoid:mse", "softmax:mse"]


def test_output_units():
    assert output_units("sigmoid:log_loss", 2) == output_units("sigmoid:mse", 2) == 1
    assert output_units("softmax:cross_entropy", 2) == 2
    assert output_units("softmax:mse", 3) == output_units("identity:mse", 3) == 3
    assert output_units("sigmoid:mse", 3) == 3  # one independent sigmoid per class beyond two


def test_sigmoid_outputs_per_class_without_biases_learn_iris():
    """The classic from-scratch iris network: sigmoid units, no biases, one sigmoid output per
    species scored by squared error; its gradients match central differences and it learns."""
    from engine import Trainer

    data = load_dataset("iris", n_samples=150, test_fraction=0.3, seed=0)
    net = Network([4, 4, 3], activation="sigmoid", output="sigmoid", loss="mse", bias=False, seed=0)
    assert net.n_params == 4 * 4 + 4 * 3  # weights only
    assert max(gradient_check(net, data.X_train[:20], data.y_train[:20])) < 1e-7
    trainer = Trainer(net, data, lr=3.0)
    first = trainer.step()["train_loss"]
    trainer.run(epochs=499)
    last = trainer.history[-1]
    assert last["train_loss"] < first / 2
    assert last["test_accuracy"] >= 0.93
    assert all(b.size == 0 or not b.any() for _, b in net.params)  # no bias ever moved


def test_labels_and_keys():
    assert {key: head.label for key, head in HEADS.items()} == {
        "sigmoid:log_loss": "sigmoid · log loss", "softmax:cross_entropy": "softmax · cross-entropy",
        "sigmoid:mse": "sigmoid · squared error", "softmax:mse": "softmax · squared error",
        "identity:mse": "identity · squared error"}
    assert all(key == f"{h.output}:{h.loss}" for key, h in HEADS.items())
    assert {key for key, h in HEADS.items() if h.canonical} == {
        "sigmoid:log_loss", "softmax:cross_entropy", "identity:mse"}


@pytest.mark.parametrize("output, loss, n_classes, units, key", [
    (None, None, 2, None, "sigmoid:log_loss"),
    (None, None, 3, None, "softmax:cross_entropy"),
    (None, None, 2, 2, "softmax:cross_entropy"),  # Network([2, 8, 2]): two units -> softmax
    (None, "mse", 2, None, "sigmoid:mse"),
    (None, "mse", 4, None, "softmax:mse"),
    ("softmax", None, 2, None, "softmax:cross_entropy"),
    ("identity", None, 3, None, "identity:mse"),
    ("sigmoid", "mse", 2, None, "sigmoid:mse"),
])
def test_head_of_resolves_optional_names(output, loss, n_classes, units, key):
    assert head_of(output, loss, n_classes, units=units).key == key


@pytest.mark.parametrize("output, loss, match", [
    ("tanh", None, "unknown output"), (None, "hinge", "unknown loss"),
    ("identity", "cross_entropy", "cannot be trained"), (None, "log_loss", None),
])
def test_head_of_refuses_bad_names(output, loss, match):
    if match is None:  # log_loss pairs with the natural sigmoid on 2 classes, not the softmax on 3
        assert head_of(output, loss, 2).key == "sigmoid:log_loss"
        with pytest.raises(ValueError, match="cannot be trained"):
            head_of(output, loss, 3)
        return
    with pytest.raises(ValueError, match=match):
        head_of(output, loss, 2)


def test_non_canonical_deltas_are_the_chain_rule_through_the_output():
    rng = np.random.default_rng(0)
    P = rng.uniform(0.05, 0.95, (6, 1))
    Y = rng.integers(0, 2, (6, 1)).astype(float)
    np.testing.assert_allclose(HEADS["sigmoid:mse"].delta(Y, P), (P - Y) * P * (1 - P), rtol=1e-15)
    Z = rng.normal(size=(6, 3))
    S = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    Y = np.eye(3)[rng.integers(0, 3, 6)]
    jacobian = np.einsum("ni,ij->nij", S, np.eye(3)) - np.einsum("ni,nj->nij", S, S)
    np.testing.assert_allclose(HEADS["softmax:mse"].delta(Y, S), np.einsum("nij,nj->ni", jacobian, S - Y),
                               rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("key", HEADS)
def test_every_head_trains_with_correct_gradients(key):
    iris = load_dataset("iris", seed=0)
    head, k = HEADS[key], iris.n_classes
    if not head.serves(k):
        iris = iris.select([2, 3])
        iris = type(iris)(iris.name, iris.X_train, (iris.y_train > 0).astype(int), iris.X_test,
                          (iris.y_test > 0).astype(int), ["setosa", "other"], iris.feature_names,
                          iris.mean, iris.scale)
        k = 2
    net = Network([iris.n_features, 5, output_units(key, k)], output=head.output, loss=head.loss, seed=1)
    assert net.head is head
    assert max(gradient_check(net, iris.X_train[:20], iris.y_train[:20])) < 1e-7
