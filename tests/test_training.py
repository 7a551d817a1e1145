import warnings

import numpy as np
import pytest

from engine import Network, Trainer, load_dataset
from engine.trainer import Divergence


@pytest.fixture(scope="module")
def moons():
    return load_dataset("moons", n_samples=200, noise=0.2, test_fraction=0.3, seed=0)


@pytest.fixture(scope="module")
def iris():
    return load_dataset("iris", test_fraction=0.3, seed=0)


def test_one_full_batch_sgd_step_by_hand():
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.0]])
    y = np.array([1, 0, 1])
    net = Network([2, 2, 1], activation="tanh", seed=0)
    (W1, b1), (W2, b2) = [(W.copy(), b.copy()) for W, b in net.params]
    H = np.tanh(X @ W1.T + b1)
    p = 1 / (1 + np.exp(-(H @ W2.T + b2)))
    d2 = (p - y[:, None]) / 3
    d1 = (d2 @ W2) * (1 - H**2)
    lr = 0.3
    expected = [(W1 - lr * d1.T @ X, b1 - lr * d1.sum(0)), (W2 - lr * d2.T @ H, b2 - lr * d2.sum(0))]
    data = load_dataset("xor", n_samples=4)
    data = type(data)(name="hand", X_train=X, y_train=y, X_test=X[:0], y_test=y[:0], class_names=["0", "1"],
                      feature_names=["a", "b"], mean=np.zeros(2), scale=np.ones(2))
    row = Trainer(net, data, lr=lr).step()
    for (W, b), (eW, eb) in zip(net.params, expected):
        np.testing.assert_allclose(W, eW, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(b, eb, rtol=1e-14, atol=1e-15)
    assert row["epoch"] == 1 and row["test_loss"] is None and row["test_accuracy"] is None
    assert row["train_loss"] == pytest.approx(-np.mean(y * np.log(p[:, 0]) + (1 - y) * np.log(1 - p[:, 0])))


@pytest.mark.parametrize("hidden,activation,alpha", [(6, "tanh", 0.01), (10, "relu", 0.0), (5, "logistic", 0.1)])
def test_hundred_steps_equal_scikit_learn(iris, hidden, activation, alpha):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = iris.X_train, iris.y_train
    net = Network([4, hidden, 3], activation="sigmoid" if activation == "logistic" else activation, seed=0)
    clf = MLPClassifier((hidden,), activation=activation, solver="sgd", learning_rate_init=0.1, momentum=0.0,
                        alpha=alpha, batch_size=len(X), shuffle=False, max_iter=1, warm_start=True, tol=0,
                        n_iter_no_change=10**9, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
        clf.coefs_ = [W.T.copy() for W, _ in net.params]
        clf.intercepts_ = [b.copy() for _, b in net.params]
        clf.max_iter = 100
        clf.fit(X, y)
    trainer = Trainer(net, iris, lr=0.1, l2=alpha)
    trainer.run(100)
    assert clf.n_iter_ == trainer.epoch == 100
    for (W, b), cW, cb in zip(net.params, clf.coefs_, clf.intercepts_):
        np.testing.assert_allclose(W, cW.T, rtol=0, atol=1e-10)
        np.testing.assert_allclose(b, cb, rtol=0, atol=1e-10)
    if not alpha:
        assert trainer.history[-1]["train_loss"] == pytest.approx(clf.loss_curve_[-1], rel=1e-9)


@pytest.mark.parametrize("optimizer,activation,k,lr", [("momentum", "tanh", 1, 0.05), ("adam", "relu", 2, 0.01)])
def test_optimizers_equal_pytorch(moons, optimizer, activation, k, lr):
    torch = pytest.importorskip("torch")
    net = Network([2, 5, k], activation=activation, seed=1)
    act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[activation]
    model = torch.nn.Sequential(torch.nn.Linear(2, 5), act(), torch.nn.Linear(5, k)).double()
    with torch.no_grad():
        for layer, (W, b) in zip([model[0], model[2]], net.params):
            layer.weight.copy_(torch.from_numpy(W))
            layer.bias.copy_(torch.from_numpy(b))
    if optimizer == "momentum":
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        y = torch.from_numpy(moons.y_train.astype(np.float64))[:, None]
        loss = torch.nn.functional.binary_cross_entropy_with_logits
    else:
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        y, loss = torch.from_numpy(moons.y_train), torch.nn.functional.cross_entropy
    X = torch.from_numpy(moons.X_train)
    for _ in range(50):
        opt.zero_grad()
        loss(model(X), y).backward()
        opt.step()
    Trainer(net, moons, lr=lr, optimizer=optimizer).run(50)
    for (W, b), layer in zip(net.params, [model[0], model[2]]):
        np.testing.assert_allclose(W, layer.weight.detach().numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(b, layer.bias.detach().numpy(), rtol=0, atol=1e-12)


def test_xor_2_3_1_learns_the_truth_table():
    xor = load_dataset("xor", n_samples=4)
    net = Network([2, 3, 1], activation="tanh", output="sigmoid", seed=1)
    trainer = Trainer(net, xor, lr=1.0)
    trainer.run(2000)
    assert net.predict(xor.X_train).tolist() == [0, 1, 1, 0]
    assert trainer.history[-1]["train_loss"] < 0.05 < trainer.history[0]["train_loss"]
    learned = sum(_xor_learned(seed) for seed in range(10))
    assert learned >= 8, f"only {learned}/10 seeds learned XOR"


def _xor_learned(seed):
    xor = load_dataset("xor", n_samples=4)
    net = Network([2, 3, 1], activation="tanh", seed=seed)
    Trainer(net, xor, lr=1.0).run(2000)
    return net.predict(xor.X_train).tolist() == [0, 1, 1, 0]


def test_moons_hidden_layer_of_three_beats_logistic_regression(moons):
    accuracy = {}
    for sizes in ([2, 1], [2, 3, 1]):
        trainer = Trainer(Network(sizes, activation="tanh", seed=0), moons, lr=0.5)
        trainer.run(3000)
        accuracy[len(sizes)] = trainer.history[-1]["train_accuracy"]
    assert accuracy[3] >= 0.95 and accuracy[2] <= 0.90


def test_iris_three_classes_reach_test_accuracy(iris):
    net = Network([4, 8, 3], activation="tanh", output="softmax", seed=0)
    trainer = Trainer(net, iris, lr=0.1)
    trainer.run(500)
    assert iris.n_classes == 3
    assert trainer.history[-1]["test_accuracy"] >= 0.93


def test_iris_mse_without_biases_as_in_the_tutorial(iris):
    net = Network([4, 4, 3], activation="sigmoid", output="softmax", loss="mse", bias=False, init="uniform", seed=0)
    trainer = Trainer(net, iris, lr=3.0)
    trainer.run(1000)
    assert not any(b.any() for _, b in net.params)
    assert trainer.history[-1]["test_accuracy"] >= 0.9


@pytest.mark.parametrize("optimizer,lr,batch_size", [("sgd", 0.5, None), ("momentum", 0.05, 32), ("adam", 0.01, 16)])
def test_a_multi_layer_network_trains(moons, optimizer, lr, batch_size):
    net = Network([2, 8, 8, 8, 1], activation="relu", init="he", seed=0)
    trainer = Trainer(net, moons, lr=lr, optimizer=optimizer, batch_size=batch_size, seed=0)
    trainer.run(400)
    losses = [row["train_loss"] for row in trainer.history]
    assert losses[-1] < 0.3 * losses[0]
    assert trainer.history[-1]["train_accuracy"] >= 0.95


def test_the_same_seed_gives_bit_identical_histories(moons):
    def history(seed):
        net = Network([2, 6, 6, 2], activation="tanh", seed=seed)
        trainer = Trainer(net, moons, lr=0.05, optimizer="adam", batch_size=20, l2=0.01, seed=seed)
        trainer.run(50)
        return trainer.history, [W.tobytes() for W, _ in net.params]

    assert history(3) == history(3)
    assert history(3) != history(4)


def test_learning_rate_and_optimizer_change_between_steps_keep_the_weights(moons):
    net = Network([2, 8, 1], seed=0)
    trainer = Trainer(net, moons, lr=0.1)
    trainer.run(10)
    before = [W.copy() for W, _ in net.params]
    trainer.lr, trainer.optimizer, trainer.l2, trainer.batch_size = 0.01, "adam", 0.1, 50
    for W, W0 in zip((W for W, _ in net.params), before):
        np.testing.assert_array_equal(W, W0)
    trainer.run(5)
    assert trainer.epoch == 15 and [r["epoch"] for r in trainer.history] == list(range(1, 16))


def test_divergence_at_learning_rate_ten_is_reported_not_warned(moons):
    net = Network([2, 8, 8, 1], activation="linear", seed=0)
    trainer = Trainer(net, moons, lr=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows = trainer.run(1000)
    assert isinstance(trainer.diverged, Divergence)
    assert trainer.epoch < 20 and len(rows) == len(trainer.history) < trainer.epoch
    message = trainer.diverged.message
    assert f"epoch {trainer.epoch}" in message and "learning rate" in message
    assert all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in net.params)
    assert all(np.isfinite(r["train_loss"]) for r in trainer.history)
    assert trainer.step() is None and trainer.epoch == trainer.diverged.epoch


def test_a_loss_that_explodes_without_overflow_is_divergence(moons):
    trainer = Trainer(Network([2, 8, 8, 2], activation="tanh", seed=0), moons, lr=10)
    trainer.run(300)
    assert trainer.diverged and "shot up" in trainer.diverged.message
    calm = Trainer(Network([2, 8, 8, 2], activation="tanh", seed=0), moons, lr=0.3)
    calm.run(300)
    assert calm.diverged is None


def test_mini_batches_shuffle_each_epoch_and_cover_every_row(moons):
    net = Network([2, 4, 1], seed=0)
    trainer = Trainer(net, moons, lr=0.1, batch_size=32, seed=0)
    row = trainer.step()
    full = Network([2, 4, 1], seed=0)
    Trainer(full, moons, lr=0.1).step()
    assert not np.array_equal(net.params[0][0], full.params[0][0])
    assert 0 <= row["train_accuracy"] <= 1 and row["train_loss"] > 0


def test_run_by_time_budget(moons):
    trainer = Trainer(Network([2, 8, 1], seed=0), moons, lr=0.1)
    rows = trainer.run(seconds=0.05)
    assert len(rows) > 10 and trainer.epoch == len(rows)


@pytest.mark.parametrize("kwargs,match", [
    (dict(lr=0), "learning rate"), (dict(lr=float("nan")), "learning rate"), (dict(lr="fast"), "learning rate"),
    (dict(optimizer="rmsprop"), "optimizer"), (dict(batch_size=0), "batch size"), (dict(l2=-1.0), "l2"),
])
def test_bad_training_settings_are_refused(moons, kwargs, match):
    with pytest.raises(ValueError, match=match):
        Trainer(Network([2, 3, 1]), moons, **kwargs)


def test_data_that_does_not_fit_the_network_is_refused(moons, iris):
    with pytest.raises(ValueError, match="features"):
        Trainer(Network([4, 3, 1]), moons)
    with pytest.raises(ValueError, match="classes"):
        Trainer(Network([4, 3, 1]), iris)
