"""The views below the live view (playground/inspector.py and its *_view modules), driven by AppTest,
and their computations on their own.

A view opens by setting its expander's key in session state (what a click on it does). The step
inspector's tables keep full float64 precision in the page (only their display is rounded), so
the tests read them back and compare them with the engine bit for bit."""

from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from streamlit.testing.v1 import AppTest

from engine import ACTIVATIONS, HEADS, Network, load_dataset
from engine.datasets import dataset_names
from playground import activation_view, confusion_view, gradcheck_view, hidden_view, inspector, step_view

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")
ALL = tuple(inspector.PANELS)
STEP, HIDDEN, ACTIVATION = "inside_step", "inside_hidden", "inside_activation"


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def model(app):
    return app.session_state["pg"].model


def act(app, widget):
    widget.run()
    assert not app.exception
    app.run()
    assert not app.exception


def open_views(app, *keys):
    for key in keys:
        app.session_state[key] = True
    app.run()
    assert not app.exception
    assert not app.error, " ".join(e.value for e in app.error)


def frame(app, key):
    """The dataframe in the container of ``key``, full precision."""
    [found] = app.main.get_by_key(key).dataframe
    return found.value


def table(app, key) -> np.ndarray:
    return frame(app, key).to_numpy()


def step(app):
    act(app, app.button(key="step").click())


def text(app) -> str:
    return " ".join(m.value for m in [*app.markdown, *app.caption, *app.info, *app.success, *app.warning])


# ---- every view, every dataset and architecture ---------------------------------------------------
def test_closed_views_compute_nothing(at, monkeypatch):
    calls = []
    monkeypatch.setattr(step_view, "next_step", lambda trainer: calls.append(trainer))
    at.run()
    step(at)
    assert calls == [] and inspector.DRAWN not in at.session_state
    assert not at.dataframe and not at.latex
    assert len(at.expander) >= len(ALL)  # the closed views' expanders are there, empty


def test_every_view_opens_on_every_dataset(at):
    open_views(at, *ALL)
    for name in dataset_names("classification"):  # what the menu offers
        act(at, at.selectbox(key="dataset").set_value(name))
        assert not at.error, (name, [e.value for e in at.error])
        m = model(at)
        assert m.data.name == name
        assert table(at, "inside_step_X").shape == (min(5, len(m.data.y_train)), m.data.n_features)
        k = m.data.n_classes
        counts = table(at, "inside_confusion_train")
        assert counts.shape == (k, k) and counts.sum() == len(m.data.y_train)
        assert np.trace(counts) / counts.sum() == m.net.accuracy(m.data.X_train, m.data.y_train)
        assert any(c.type == "plotly_chart" for c in at.get("plotly_chart"))
        assert at.session_state[inspector.DRAWN] == inspector.signature(at.session_state["pg"])


@pytest.mark.parametrize("hidden", [0, 1, 2, 3])
def test_views_open_on_every_depth_and_activation(at, hidden):
    act(at, at.number_input(key="hidden_layers").set_value(hidden))
    open_views(at, STEP, HIDDEN, ACTIVATION)
    for activation in ACTIVATIONS:
        act(at, at.selectbox(key="activation").set_value(activation))
        assert not at.error, (hidden, activation, [e.value for e in at.error])
        m = model(at)
        assert m.net.activation == activation and len(m.net.sizes) == hidden + 2
        for l in range(1, hidden + 2):
            assert table(at, f"inside_step_W_{l}").shape == m.net.params[l - 1][0].shape
        assert any(ACTIVATIONS[activation].formula in latex.value for latex in at.latex) or hidden == 0
        assert ("no hidden layer" in text(at)) == (hidden == 0)


@pytest.mark.parametrize("dataset", ["moons", "iris"])
def test_step_inspector_on_every_head(at, dataset):
    act(at, at.selectbox(key="dataset").set_value(dataset))
    open_views(at, STEP)
    heads = at.selectbox(key="head").options
    assert len(heads) >= 2
    for label in heads:
        act(at, at.selectbox(key="head").set_value(next(k for k, h in HEADS.items() if h.label == label)))
        m = model(at)
        assert m.net.head.label == label and not at.error
        assert any(m.net.head.loss_formula in latex.value for latex in at.latex)
        assert any(m.net.head.delta_formula in latex.value for latex in at.latex)
        _assert_dW_is_the_engines_gradient(at)


# ---- the step inspector's numbers ------------------------------------------------------------------
def _assert_dW_is_the_engines_gradient(app):
    m = model(app)
    _, grads = m.net.loss_and_gradients(m.data.X_train, m.data.y_train, l2=m.trainer.l2, l1=m.trainer.l1)
    for l, (dW, db) in enumerate(grads, start=1):
        assert np.array_equal(table(app, f"inside_step_dW_{l}"), dW)
        assert np.array_equal(table(app, f"inside_step_db_{l}")[0], db)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_after_is_what_step_produces_to_the_bit(at, optimizer):
    act(at, at.number_input(key="hidden_layers").set_value(2))
    act(at, at.radio(key="optimizer").set_value(optimizer))
    act(at, at.selectbox(key="reg").set_value("l2"))
    open_views(at, STEP)
    for _ in range(3):  # momentum and Adam's moments build up over the steps
        _assert_dW_is_the_engines_gradient(at)
        m = model(at)
        epoch, layers = m.epoch, len(m.net.params)
        after = [(table(at, f"inside_step_W_after_{l}"), table(at, f"inside_step_b_{l}_update")[1])
                 for l in range(1, layers + 1)]
        assert f"epoch {epoch} → {epoch + 1}" in text(at)
        step(at)
        assert m.epoch == epoch + 1
        for (W_shown, b_shown), (W, b) in zip(after, m.net.params):
            assert np.array_equal(W_shown, W) and np.array_equal(b_shown, b)


def test_mini_batch_after_is_the_first_update_of_the_epoch(at, monkeypatch):
    act(at, at.select_slider(key="batch").set_value(20))
    open_views(at, STEP)
    m = model(at)
    assert m.trainer.batch_size == 20
    n = len(m.data.y_train)
    assert f"{-(-n // 20)} updates" in text(at) and "first" in text(at)
    shown = [table(at, f"inside_step_W_after_{l}") for l in (1, 2)]
    rows = [int(name.split()[1]) for name in frame(at, "inside_step_X").index]
    assert np.array_equal(m.data.X_train[rows], table(at, "inside_step_X"))
    updates = []
    optimizer = m.trainer.optimizer_state
    real = type(optimizer).update

    def update(self, params, grads, lr):  # the trainer's own updates, not the inspector's preview copies
        real(self, params, grads, lr)
        if self is optimizer:
            updates.append([W.copy() for W, _ in params])

    monkeypatch.setattr(type(optimizer), "update", update)
    step(at)
    assert len(updates) == -(-n // 20)
    assert all(np.array_equal(a, b) for a, b in zip(shown, updates[0]))
    assert not all(np.array_equal(a, W) for a, (W, _) in zip(shown, m.net.params))  # Step went further


def test_download_has_every_array_in_full_precision(at):
    open_views(at, STEP)
    m = model(at)
    import json

    from engine.trace import next_step
    document = json.loads(step_view.to_json(next_step(m.trainer), m))
    _, grads = m.net.loss_and_gradients(m.data.X_train, m.data.y_train)
    assert document["full_batch"] and len(document["rows"]) == len(m.data.y_train)
    for layer, (dW, db) in zip(document["layers"], grads):
        assert np.array_equal(np.array(layer["dW"]), dW) and np.array_equal(np.array(layer["db"]), db)


def test_step_inspector_waits_for_a_pause(at):
    open_views(at, STEP)
    at.session_state["pg"].playing = True
    at.run()
    assert "Pause to see" in text(at)
    assert not at.dataframe


# ---- gradient check -------------------------------------------------------------------------------
def test_gradient_check_agrees_to_better_than_1e_7(at):
    act(at, at.number_input(key="hidden_layers").set_value(2))
    open_views(at, "inside_gradcheck")
    step(at)
    act(at, at.button(key="inside_gradcheck_run").click())
    errors = table(at, "inside_gradcheck_errors")[0]
    assert len(errors) == 3 and max(errors) < 1e-7
    assert "agrees with the slope measured numerically to" in text(at)
    assert len(at.success) >= 1


def test_gradcheck_verdicts():
    assert "to 9 digits" in gradcheck_view.verdict([3e-10, 4e-10])
    assert "to 8 digits" in gradcheck_view.verdict([3e-10, 2e-9])
    assert "kink" in gradcheck_view.verdict([1e-6])
    assert "disagree" in gradcheck_view.verdict([0.2])
    assert gradcheck_view.rows_for(100, 140) == 140 and gradcheck_view.rows_for(10**6, 140) == 4


# ---- activation explorer, hidden space, confusion, baseline: their computations -------------------
def test_activation_stats_count_dead_and_saturated_units():
    data = load_dataset("moons", n_samples=100, seed=0)
    net = Network([2, 4, 1], activation="relu", seed=0)
    W, b = net.params[0]
    b[:2] = -100.0  # two units below zero on every row: dead
    b[2:] = 100.0
    [stats] = activation_view.layer_stats(net, data.X_train, data.y_train)
    assert stats.flat_units == 2 and stats.flat_fraction == 0.5
    assert "2 of its 4 units are dead" in activation_view.summary("relu", stats)
    net = Network([2, 3, 1], activation="tanh", seed=0)
    net.params[0][1][:] = [10.0, 0.0, -10.0]
    net.params[0][0][:] = 0.0
    [stats] = activation_view.layer_stats(net, data.X_train, data.y_train)
    assert stats.flat_units == 2 and abs(stats.flat_fraction - 2 / 3) < 1e-12
    assert "no flat region" in activation_view.summary("leaky_relu", stats)


def test_hidden_space_projection():
    data = load_dataset("moons", n_samples=100, seed=0)
    net = Network([2, 5, 2, 1], seed=0)
    lines = hidden_view.grid_lines(data, (0, 1))
    assert len(lines) == 2 * hidden_view.GRID_LINES and lines[0].shape == (hidden_view.LINE_POINTS, 2)
    assert np.ptp(lines[0][:, 0]) == 0 and np.ptp(lines[-1][:, 1]) == 0  # vertical, then horizontal lines
    units = hidden_view.project(net, data, (0, 1), 1, "units", (3, 4))
    A1 = net.forward_all(data.X_train)[1]
    assert np.array_equal(units.points, A1[:, [3, 4]]) and units.decision is None
    pca = hidden_view.project(net, data, (0, 1), 1, "pca")
    centred = A1 - A1.mean(axis=0)
    assert abs(np.abs(pca.points).sum() - np.abs(centred @ np.linalg.svd(centred)[2][:2].T).sum()) < 1e-9
    last = hidden_view.project(net, data, (0, 1), 2)  # two units feeding one sigmoid: a straight line
    W, b = net.params[-1]
    ends = last.decision
    assert ends is not None and np.allclose(ends @ W[0] + b[0], 0.0, atol=1e-9)


def test_confusion_counts_and_scores():
    counts = confusion_view.confusion(np.array([0, 0, 1, 1, 2]), np.array([0, 1, 1, 1, 0]), 3)
    assert counts.tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]
    precision, recall = confusion_view.precision_recall(counts)
    assert precision[:2].tolist() == [0.5, 2 / 3] and np.isnan(precision[2])
    assert recall.tolist() == [0.5, 1.0, 0.0]


def test_baseline_is_scikit_learns_logistic_regression_on_the_same_split(at):
    act(at, at.selectbox(key="dataset").set_value("circles"))
    open_views(at, "inside_baseline")
    m = model(at)
    reference = LogisticRegression(max_iter=1000).fit(m.data.X_train, m.data.y_train)
    scores = frame(at, "inside_baseline_scores").set_index("model")
    assert scores.loc["Logistic regression", "train accuracy"] == reference.score(m.data.X_train, m.data.y_train)
    assert scores.loc["Logistic regression", "test accuracy"] == reference.score(m.data.X_test, m.data.y_test)
    assert scores.loc["This network", "train accuracy"] == m.net.accuracy(m.data.X_train, m.data.y_train)
    assert len(at.get("plotly_chart")) >= 2


def test_an_overflowing_update_is_called_what_step_will_do_with_it(at):
    open_views(at, STEP)
    trainer = model(at).trainer
    trainer.lr, trainer.l2 = 1e308, 1e6  # no slider goes there: the weights overflow in one update
    at.run()
    assert "overflows" in text(at) and "become exactly these" not in text(at)
    before = [W.copy() for W, _ in model(at).net.params]
    step(at)
    assert model(at).trainer.diverged is not None
    assert all(np.array_equal(a, W) for a, (W, _) in zip(before, model(at).net.params))


def hidden_chart(app):
    return [c for c in app.get("plotly_chart") if c.key == "inside_hidden_chart"]


def hidden_live(app):
    return [e for e in app.main.get("bidi_component") if e.key == "inside_hidden_live"]


def unpack_hidden(data: bytes) -> tuple[dict, np.ndarray]:
    """The hidden-space element's bytes -> (header, float32 values)."""
    import json
    import struct

    assert data[:4] == b"HSPC"
    (length,) = struct.unpack("<I", data[4:8])
    return json.loads(data[8:8 + length]), np.frombuffer(data[8 + length:], np.float32)


def test_hidden_space_while_playing_is_a_live_canvas(at):
    act(at, at.number_input(key="hidden_layers").set_value(2))
    act(at, at.number_input(key="neurons_2").set_value(2))
    open_views(at, HIDDEN)
    assert hidden_chart(at) and not hidden_live(at)  # paused: axes and hover
    at.session_state["pg"].playing = True
    at.run()
    assert not at.exception and not at.error
    assert not hidden_chart(at) and not at.get("image")  # playing: no chart, no picture to fetch
    [element] = hidden_live(at)
    header, values = unpack_hidden(element.proto.bytes)
    m = model(at)
    n = len(m.data.X_train)
    assert header["n_points"] == n and header["epoch"] == m.epoch and header["decision"]
    assert len(values) == 3 * n + 2 * header["n_line_rows"] + 4
    assert "live while training plays" in text(at)


def test_hidden_space_choices_fall_back_to_what_the_network_has(at):
    act(at, at.number_input(key="hidden_layers").set_value(3))
    open_views(at, HIDDEN)
    act(at, at.selectbox(key="inside_hidden_layer").set_value(1))
    act(at, at.selectbox(key="inside_hidden_x").set_value(7))
    assert hidden_view.choices(model(at).net, at.session_state) == (1, "units", (7, 1))
    act(at, at.number_input(key="hidden_layers").set_value(1))
    act(at, at.number_input(key="neurons_1").set_value(3))
    assert not at.error
    layer, axes, (x, y) = hidden_view.choices(model(at).net, at.session_state)
    assert layer == 1 and axes == "units" and x <= 2 and y <= 2


def test_packed_hidden_space_holds_the_projection():
    """What the live canvas receives is the projection itself: points, classes, every grid line
    (NaN between lines) and the decision line, as float32, with the bounds and colours."""
    data = load_dataset("moons", n_samples=100, seed=0)
    net = Network([2, 6, 2, 1], seed=0)
    projection = hidden_view.project(net, data, (0, 1), 2)
    colours = [(230, 159, 0), (0, 114, 178)]
    header, values = unpack_hidden(hidden_view.packed(projection, colours, epoch=7))
    n = len(projection.points)
    assert header["epoch"] == 7 and header["colours"] == [list(c) for c in colours]
    points, classes = values[:2 * n].reshape(n, 2), values[2 * n:3 * n]
    np.testing.assert_allclose(points, projection.points, rtol=1e-6, atol=1e-6)
    assert np.array_equal(classes, projection.labels)
    rows = header["n_line_rows"]
    grid = values[3 * n:3 * n + 2 * rows].reshape(rows, 2)
    assert np.isnan(grid[:, 0]).sum() == len(projection.lines)  # one gap after each line
    np.testing.assert_allclose(grid[~np.isnan(grid[:, 0])], np.vstack(projection.lines), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(values[-4:].reshape(2, 2), projection.decision, rtol=1e-6, atol=1e-6)
    (lo_x, hi_x, lo_y, hi_y) = header["bounds"]
    assert lo_x < points[:, 0].min() and hi_x > points[:, 0].max() and lo_y < points[:, 1].min()

