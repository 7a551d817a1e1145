"""The activation registry: every entry's derivative, the ELU, and what the entries carry."""

import warnings

import numpy as np
import pytest

from engine import ACTIVATIONS, OUTPUTS, Network, Trainer, gradient_check, load_dataset
from engine.activations import elu

ALL = {**ACTIVATIONS, **{f"output {name}": entry for name, entry in OUTPUTS.items()}}


def numerical_vjp(function, Z, delta, eps=1e-6):
    """δ · ∂g(Z)/∂Z row by row, by central differences: ``(n, k)``."""
    out = np.zeros_like(Z)
    for j in range(Z.shape[1]):
        step = np.zeros_like(Z)
        step[:, j] = eps
        plus, minus = function(Z + step), function(Z - step)
        out[:, j] = ((plus - minus) * delta).sum(axis=1) / (2 * eps)
    return out


@pytest.mark.parametrize("name", ALL)
def test_derivative_from_the_output_matches_central_differences(name):
    entry = ALL[name]
    rng = np.random.default_rng(0)
    Z = rng.normal(0, 2, (50, 3))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep relu's kink away from the difference step
    delta = rng.normal(size=Z.shape)
    A = entry.function(Z.copy())
    got = delta.copy()
    entry.derivative(A, got, np.empty_like(A))
    expected = numerical_vjp(lambda M: entry.function(M.copy()), Z, delta)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)


def test_elu_values():
    Z = np.array([[-1000.0, -2.0, -0.5, 0.0, 0.5, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = elu(Z.copy())
    np.testing.assert_allclose(A, [[-1.0, np.exp(-2) - 1, np.exp(-0.5) - 1, 0.0, 0.5, 3.0]], rtol=1e-15)


def test_elu_networks_pass_the_gradient_check():
    iris = load_dataset("iris", seed=1)
    net = Network([4, 6, 5, 3], activation="elu", seed=2)
    assert max(gradient_check(net, iris.X_train[:30], iris.y_train[:30], l2=0.1)) < 1e-7


def test_elu_learns_moons_where_a_linear_network_cannot():
    moons = load_dataset("moons", n_samples=200, noise=0.2, seed=0)
    last = {}
    for activation in ("elu", "linear"):
        trainer = Trainer(Network([2, 8, 8, 1], activation=activation, seed=0), moons, lr=0.3)
        trainer.run(1000)
        assert trainer.diverged is None
        last[activation] = trainer.history[-1]
    assert last["elu"]["train_accuracy"] == 1.0 and last["elu"]["test_accuracy"] >= 0.9
    assert last["linear"]["train_accuracy"] < 0.9


def test_entries_carry_their_labels_and_boundedness():
    assert {name: a.label for name, a in ACTIVATIONS.items()} == {
        "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU", "sigmoid": "sigmoid",
        "linear": "linear"}
    assert {name for name, a in ACTIVATIONS.items() if a.bounded} == {"tanh", "sigmoid"}
    assert all(a.name == name for name, a in {**ACTIVATIONS, **OUTPUTS}.items())
    assert list(OUTPUTS) == ["sigmoid", "softmax", "identity"]


@pytest.mark.parametrize("activation, tip", [("elu", True), ("relu", True), ("linear", True), ("tanh", False)])
def test_divergence_advice_reads_boundedness(activation, tip):
    moons = load_dataset("moons", n_samples=200, noise=0.2, seed=0)
    trainer = Trainer(Network([2, 8, 8, 1], activation=activation, seed=0), moons, lr=50)
    trainer.run(300)
    assert trainer.diverged
    assert ("or use tanh or sigmoid, which saturate" in trainer.diverged.advice) is tip
