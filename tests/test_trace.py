"""One step's record (engine/trace.py), the registries' maths, and the optimizers' preview."""

import itertools

import numpy as np
import pytest

from engine import ACTIVATIONS, HEADS, OPTIMIZERS, OUTPUTS, Network, Trainer, load_dataset
from engine.losses import LOSS_FUNCTIONS
from engine.optimizers import preview
from engine.trace import next_step


def classes_for(head):
    return 3 if not HEADS[head].serves(2) else 2


def network(activation, head, hidden, bias=True, seed=1):
    entry, k = HEADS[head], classes_for(head)
    return Network([3, *[4 + i for i in range(hidden)], entry.units(k)], activation=activation,
                   output=entry.output, loss=entry.loss, bias=bias, seed=seed)


def rows(k, n=17, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)), rng.integers(0, k, n)


def same(a, b):
    return all(np.array_equal(Wa, Wb) and np.array_equal(ba, bb) for (Wa, ba), (Wb, bb) in zip(a, b))


CASES = list(itertools.product(ACTIVATIONS, HEADS, range(4)))


@pytest.mark.parametrize("activation, head, hidden", CASES)
def test_trace_equals_loss_and_gradients_to_the_bit(activation, head, hidden):
    X, y = rows(classes_for(head))
    for l2, l1, bias in ((0.0, 0.0, True), (0.3, 0.0, True), (0.0, 0.2, True), (0.1, 0.1, False)):
        net = network(activation, head, hidden, bias=bias)
        loss, grads = net.loss_and_gradients(X, y, l2=l2, l1=l1)
        trace = net.trace(X, y, l2=l2, l1=l1)
        assert trace.loss == loss
        assert same(trace.grads, grads)
        assert trace.head == head and len(trace.layers) == hidden + 1


@pytest.mark.parametrize("activation, head, hidden", CASES)
def test_trace_records_each_layer_by_its_equations(activation, head, hidden):
    net = network(activation, head, hidden)
    X, y = rows(classes_for(head))
    trace = net.trace(X, y, l2=0.2)
    n = len(X)
    A_prev = X
    for l, (layer, (W, b)) in enumerate(zip(trace.layers, net.params)):
        assert layer.A_prev is A_prev or np.array_equal(layer.A_prev, A_prev)
        assert np.array_equal(layer.W, W) and np.array_equal(layer.b, b) and layer.W is not W
        assert layer.Z.shape == layer.A.shape == layer.dZ.shape == (n, W.shape[0])
        np.testing.assert_allclose(layer.Z, A_prev @ W.T + b, rtol=1e-12, atol=1e-12)
        entry = OUTPUTS[net.output] if l == hidden else ACTIVATIONS[activation]
        assert layer.function == entry.name
        np.testing.assert_allclose(layer.A, entry.function(layer.Z.copy()), rtol=1e-14)
        np.testing.assert_allclose(layer.dW, layer.dZ.T @ A_prev + 0.2 / n * W, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer.db, layer.dZ.sum(axis=0), rtol=1e-12, atol=1e-15)
        if l < hidden:  # hidden: dZ = dA ⊙ g'(Z), with g' from the registry; dA = dZ_next W_next
            following = trace.layers[l + 1]
            np.testing.assert_allclose(layer.dA, following.dZ @ net.params[l + 1][0], rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(layer.dZ, layer.dA * entry.derivative_of_z(layer.Z),
                                       rtol=1e-9, atol=1e-15)
        A_prev = layer.A
    assert trace.layers[-1].dA is None
    np.testing.assert_allclose(trace.P, net.forward(X), rtol=1e-14)


@pytest.mark.parametrize("head", HEADS)
def test_output_dZ_is_the_slope_of_the_mean_loss(head):
    """The head's delta, over n: central differences of the loss in each output pre-activation."""
    net = network("tanh", head, 1)
    X, y = rows(classes_for(head), n=6)
    trace = net.trace(X, y)
    last = trace.layers[-1]
    output, loss = OUTPUTS[net.output].function, LOSS_FUNCTIONS[net.loss]
    numeric = np.zeros_like(last.Z)
    for i in np.ndindex(last.Z.shape):
        values = []
        for sign in (1, -1):
            Z = last.Z.copy()
            Z[i] += sign * 1e-6
            values.append(loss(trace.Y, Z, output(Z.copy())))
        numeric[i] = (values[0] - values[1]) / 2e-6
    np.testing.assert_allclose(last.dZ, numeric, rtol=1e-6, atol=1e-9)


def test_trace_leaves_the_network_alone():
    net = network("relu", "softmax:cross_entropy", 2)
    X, y = rows(2)
    start = [(W.copy(), b.copy()) for W, b in net.params]
    first = net.trace(X, y)
    net.loss_and_gradients(X[:5], y[:5])  # reuses the network's buffers
    again = net.trace(X, y)
    assert same(start, net.params)
    assert same(first.grads, again.grads) and all(np.array_equal(a.Z, b.Z) for a, b in zip(first.layers, again.layers))


# ---- the registries carry the maths ------------------------------------------------------------
def test_every_activation_and_output_states_its_formula_and_derivative():
    for name, entry in {**ACTIVATIONS, **OUTPUTS}.items():
        assert entry.formula and entry.derivative_formula, name
        if name == "softmax":
            assert entry.derivative_of_z is None  # a Jacobian, not a curve
            continue
        Z = np.linspace(-6, 6, 241).reshape(-1, 1)
        Z[np.abs(Z) < 1e-9] = 1e-3  # away from the ReLU's kink
        A = entry.function(Z.copy())
        from_output = np.ones_like(Z)
        entry.derivative(A, from_output, np.empty_like(Z))
        np.testing.assert_allclose(entry.derivative_of_z(Z), from_output, rtol=1e-12, atol=1e-15)
        assert entry.flat is not None


def test_flat_regions():
    z = np.array([-5.0, -1.0, 0.0, 1.0, 5.0])
    assert ACTIVATIONS["tanh"].flat(z).tolist() == ACTIVATIONS["sigmoid"].flat(z).tolist() == [
        True, False, False, False, True]
    assert ACTIVATIONS["relu"].flat(z).tolist() == [True, True, True, False, False]
    assert ACTIVATIONS["relu"].flat_word == "dead" and ACTIVATIONS["tanh"].flat_word == "saturated"
    assert not ACTIVATIONS["leaky_relu"].flat(z).any() and not ACTIVATIONS["linear"].flat(z).any()
    wide = np.linspace(-50, 50, 1001)
    for name, entry in ACTIVATIONS.items():  # the words name a region exactly when there is one
        assert (entry.flat_rule is None) == (not entry.flat(wide).any()), name


def test_every_head_and_optimizer_states_its_maths():
    assert all(head.loss_formula and head.delta_formula for head in HEADS.values())
    assert all(spec.rule for spec in OPTIMIZERS.values())


# ---- the optimizers' preview: the next update, to the bit, without making it ---------------------
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_preview_is_the_real_update_to_the_bit(name):
    net = network("tanh", "softmax:cross_entropy", 2)
    X, y = rows(2)
    optimizer = OPTIMIZERS[name].make(net.params, 0.9)
    for _ in range(4):  # momentum and moments built up, Adam's t advanced
        _, grads = net.loss_and_gradients(X, y, l2=0.1)
        state = {key: value.copy() for key, value in optimizer.layer_state(1).items()}
        constants = optimizer.constants()
        before = [(W.copy(), b.copy()) for W, b in net.params]
        after, twin = preview(optimizer, net.params, grads, 0.05)
        assert same(before, net.params) and optimizer.constants() == constants
        assert all(np.array_equal(v, optimizer.layer_state(1)[k]) for k, v in state.items())
        optimizer.update(net.params, grads, 0.05)
        assert same(after, net.params)
        assert not same(after, before)
        assert twin.constants() == optimizer.constants()
        assert all(np.array_equal(v, optimizer.layer_state(1)[k]) for k, v in twin.layer_state(1).items())


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_next_step_full_batch_is_what_step_does(name):
    data = load_dataset("moons", n_samples=120, noise=0.2, seed=3)
    trainer = Trainer(Network([2, 6, 1], seed=0), data, lr=0.3, optimizer=name, l2=0.01)
    trainer.run(epochs=3)
    plan = next_step(trainer)
    assert plan.full_batch and plan.updates == 1 and plan.rows.tolist() == list(range(len(data.y_train)))
    assert plan.lr == 0.3 and plan.optimizer_name == name
    loss, grads = trainer.net.loss_and_gradients(data.X_train, data.y_train, l2=0.01)
    assert plan.trace.loss == loss and same(plan.trace.grads, grads)
    trainer.step()
    assert same(plan.after, trainer.net.params)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_next_step_mini_batch_is_the_first_update_of_the_next_epoch(name):
    data = load_dataset("moons", n_samples=120, noise=0.2, seed=3)
    twin_data = load_dataset("moons", n_samples=120, noise=0.2, seed=3)
    trainer = Trainer(Network([2, 6, 1], seed=0), data, lr=0.3, optimizer=name, batch_size=20)
    untouched = Trainer(Network([2, 6, 1], seed=0), twin_data, lr=0.3, optimizer=name, batch_size=20)
    trainer.run(epochs=2)
    untouched.run(epochs=2)
    plan = next_step(trainer)
    n = len(data.y_train)
    assert not plan.full_batch and plan.updates == -(-n // 20) and len(plan.rows) == 20
    updates = []
    optimizer = trainer.optimizer_state
    real_update = optimizer.update

    def update(params, grads, lr):
        real_update(params, grads, lr)
        updates.append([(W.copy(), b.copy()) for W, b in params])

    optimizer.update = update
    trainer.step()
    untouched.step()
    assert len(updates) == plan.updates
    assert same(plan.after, updates[0])
    assert same(trainer.net.params, untouched.net.params)  # looking ahead did not change the epoch
