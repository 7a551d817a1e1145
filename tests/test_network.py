import dataclasses
import io
import itertools
import json

import numpy as np
import pytest

from engine import ACTIVATIONS, INITIALIZERS, Network, gradient_check, load_dataset
from engine.activations import sigmoid, softmax

PAIRS = [("sigmoid", "log_loss"), ("softmax", "cross_entropy"), ("identity", "mse"),
         ("sigmoid", "mse"), ("softmax", "mse")]


@pytest.fixture(scope="module")
def moons():
    return load_dataset("moons", n_samples=200, noise=0.2, seed=0)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output,loss", PAIRS)
@pytest.mark.parametrize("bias,l2,l1", [(True, 0.0, 0.0), (False, 0.0, 0.0), (True, 0.7, 0.0), (True, 0.3, 0.2)])
def test_backprop_matches_central_differences(moons, activation, output, loss, bias, l2, l1):
    k = 1 if output == "sigmoid" else 2
    net = Network([2, 5, 4, k], activation=activation, output=output, loss=loss, bias=bias, seed=3)
    X, y = moons.X_train[:25], moons.y_train[:25]
    errors = gradient_check(net, X, y, l2=l2, l1=l1)
    assert len(errors) == 3
    assert max(errors) < 1e-7, errors


def test_gradient_check_catches_a_wrong_gradient(moons, monkeypatch):
    net = Network([2, 4, 1], activation="tanh", seed=0)
    from engine import activations
    broken = dataclasses.replace(activations.ACTIVATIONS["tanh"], derivative=lambda A, delta, work: None)
    monkeypatch.setitem(activations.ACTIVATIONS, "tanh", broken)
    errors = gradient_check(net, moons.X_train[:20], moons.y_train[:20])
    assert errors[1] < 1e-7 and errors[0] > 1e-3


def test_three_class_softmax_gradients():
    iris = load_dataset("iris", seed=1)
    net = Network([4, 6, 3], activation="relu", seed=2)
    assert max(gradient_check(net, iris.X_train[:30], iris.y_train[:30], l2=0.1)) < 1e-7


def test_shapes_and_orientation(moons):
    net = Network([2, 8, 3], seed=0)
    (W1, b1), (W2, b2) = net.params
    assert W1.shape == (8, 2) and b1.shape == (8,) and W2.shape == (3, 8) and b2.shape == (3,)
    P = net.forward(moons.X_train)
    assert P.shape == (len(moons.X_train), 3)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    acts = net.forward_all(moons.X_train)
    assert [a.shape[1] for a in acts] == [2, 8, 3]
    np.testing.assert_allclose(acts[1], np.tanh(moons.X_train @ W1.T + b1))
    assert net.predict(moons.X_train).shape == (len(moons.X_train),)
    assert Network([2, 1]).forward(moons.X_train).shape == (len(moons.X_train), 1)
    assert Network([2, 1]).n_classes == 2 and net.n_classes == 3


def test_loss_and_gradients_is_the_mean_loss(moons):
    net = Network([2, 3, 1], seed=0)
    X, y = moons.X_train, moons.y_train
    p = net.forward(X)[:, 0]
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    loss, grads = net.loss_and_gradients(X, y)
    assert loss == pytest.approx(expected, rel=1e-12)
    assert [(g.shape, h.shape) for g, h in grads] == [(W.shape, b.shape) for W, b in net.params]
    W = net.params[0][0]
    l2_loss, _ = net.loss_and_gradients(X, y, l2=0.5)
    assert l2_loss - loss == pytest.approx(0.5 / (2 * len(X)) * (np.sum(W**2) + np.sum(net.params[1][0] ** 2)))


def test_returned_gradients_are_not_overwritten(moons):
    net = Network([2, 3, 1], seed=0)
    _, first = net.loss_and_gradients(moons.X_train, moons.y_train)
    kept = first[0][0].copy()
    net.loss_and_gradients(moons.X_test, moons.y_test)
    np.testing.assert_array_equal(first[0][0], kept)


def test_without_bias_the_biases_stay_zero(moons):
    net = Network([2, 4, 1], bias=False, seed=0)
    _, grads = net.loss_and_gradients(moons.X_train, moons.y_train)
    assert all(not db.any() for _, db in grads)


def test_stable_sigmoid_and_softmax_never_warn():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        z = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]])
        s = sigmoid(z.copy())
        assert s[0, 0] == 0.0 and s[0, -1] == 1.0 and s[0, 2] == 0.5
        p = softmax(np.array([[1000.0, 0.0, -1000.0]]))
        np.testing.assert_allclose(p, [[1.0, 0.0, 0.0]])
    net = Network([1, 1], seed=0)
    net.params = [(np.array([[1e4]]), np.array([0.0]))]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = net.loss_value(np.array([[1.0], [-1.0]]), np.array([0, 1]))
    assert loss == pytest.approx(1e4)


@pytest.mark.parametrize("init", INITIALIZERS)
def test_initialisations_are_seeded(init):
    a, b, c = (Network([4, 16, 3], init=init, seed=s) for s in (5, 5, 6))
    for (Wa, _), (Wb, _), (Wc, _) in zip(a.params, b.params, c.params):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)


def test_initialisation_scales():
    W = Network([400, 300], init="small_normal", seed=0).params[0][0]
    assert W.std() == pytest.approx(0.01, rel=0.05)
    W = Network([400, 300], init="uniform", seed=0).params[0][0]
    assert 0 <= W.min() and W.max() < 1 and W.mean() == pytest.approx(0.5, abs=0.01)
    W = Network([400, 300], init="xavier", seed=0).params[0][0]
    assert np.abs(W).max() <= np.sqrt(6 / 700) and W.std() == pytest.approx(np.sqrt(2 / 700), rel=0.05)
    W = Network([400, 300], init="he", seed=0).params[0][0]
    assert W.std() == pytest.approx(np.sqrt(2 / 400), rel=0.05)


@pytest.mark.parametrize("kwargs,match", [
    (dict(sizes=[2]), "sizes"),
    (dict(sizes=[2, 0, 1]), "sizes"),
    (dict(sizes=[2, 1], activation="swish"), "activation"),
    (dict(sizes=[2, 1], output="tanh"), "output"),
    (dict(sizes=[2, 1], loss="hinge"), "loss"),
    (dict(sizes=[2, 2], output="identity", loss="cross_entropy"), "cannot be trained"),
    (dict(sizes=[2, 1], output="softmax"), "softmax"),
    (dict(sizes=[2, 1], init="zeros"), "init"),
])
def test_bad_configurations_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Network(**kwargs)


def test_bad_inputs_are_refused():
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="labels"):
        net.loss_and_gradients(np.zeros((2, 2)), np.array([0, 2]))
    with pytest.raises(ValueError, match="integer"):
        net.loss_and_gradients(np.zeros((2, 2)), np.array([0.5, 1.0]))


@pytest.mark.parametrize("config", [
    dict(sizes=[2, 8, 8, 2], activation="relu", init="he", seed=4),
    dict(sizes=[4, 3], output="sigmoid", loss="mse", bias=False, init="uniform", seed=1),
])
def test_save_and_load_round_trip_exactly(tmp_path, config):
    net = Network(**config)
    for _, b in net.params:
        b += 0.25
    path = tmp_path / "model.npz"
    net.save(path)
    twin = Network.load(path)
    assert twin.config() == net.config()
    for (W, b), (W2, b2) in zip(net.params, twin.params):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)
    buffer = io.BytesIO()
    net.save(buffer)
    assert Network.load(buffer.getvalue()).config() == net.config()


def _npz(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _header(**changes):
    header = dict(Network([2, 1]).config(), format="nn-playground-model", version=1)
    header.update(changes)
    return np.array(json.dumps(header))


@pytest.mark.parametrize("blob,match", [
    (b"not a zip at all", "not an NN Playground model"),
    (b"", "not an NN Playground model"),
    (_npz(W0=np.zeros((1, 2))), "no 'config'"),
    (_npz(config=np.array("{nope"), W0=np.zeros((1, 2)), b0=np.zeros(1)), "not valid JSON"),
    (_npz(config=np.array(json.dumps({"sizes": [2, 1]})), W0=np.zeros((1, 2)), b0=np.zeros(1)), "format tag"),
    (_npz(config=_header(version=9), W0=np.zeros((1, 2)), b0=np.zeros(1)), "version"),
    (_npz(config=_header(activation="swish"), W0=np.zeros((1, 2)), b0=np.zeros(1)), "config is invalid"),
    (_npz(config=_header(), W0=np.zeros((1, 2))), "do not match"),
    (_npz(config=_header(), W0=np.zeros((2, 2)), b0=np.zeros(1)), "do not fit"),
    (_npz(config=_header(), W0=np.full((1, 2), np.nan), b0=np.zeros(1)), "NaN"),
    (_npz(config=_header(), W0=np.zeros((1, 2), dtype=int), b0=np.zeros(1)), "floating"),
    (_npz(config=_header(), W0=np.array([[None, None]], dtype=object), b0=np.zeros(1)), "not an NN Playground"),
])
def test_load_refuses_malformed_or_foreign_files(blob, match):
    with pytest.raises(ValueError, match=match):
        Network.load(blob)


def test_copy_is_independent():
    net = Network([2, 3, 1], seed=0)
    twin = net.copy()
    twin.params[0][0][:] = 0
    assert net.params[0][0].any()


def test_every_activation_output_pair_predicts_labels(moons):
    for activation, (output, loss) in itertools.product(ACTIVATIONS, PAIRS):
        k = 1 if output == "sigmoid" else 2
        labels = Network([2, 3, k], activation=activation, output=output, loss=loss).predict(moons.X_train)
        assert set(np.unique(labels)) <= {0, 1}
