"""The Streamlit app, driven headless by AppTest.

AppTest runs neither the fragments' timers nor the live element's JavaScript, so these tests press
Step and inspect session state and the byte batch handed to the element. A control reruns only
the live fragment (its tree then holds just that fragment), so `act` follows with a full run."""

import math
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.datasets import dataset_names
from playground import frames
from playground import model as model_module
from playground import player as player_module
from playground.config import ViewConfig
from playground.settings import REG_RATE

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")
LIVE_KEY = "nnpg-live"


@pytest.fixture
def at(monkeypatch):
    monkeypatch.setenv("NNPG_EVALUATE", "server")  # these tests read the server's boundary codes
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def player(app):
    """The session's player (play clock, frames); ``session(app)`` is the model it plays."""
    return app.session_state["pg"]


def session(app):
    return player(app).model


def weights(app):
    return [(W.copy(), b.copy()) for W, b in session(app).net.params]


def same(a, b):
    return all(np.array_equal(Wa, Wb) and np.array_equal(ba, bb) for (Wa, ba), (Wb, bb) in zip(a, b))


def batch(app):
    """The header and sections of the payload the live element received in the last run."""
    [element] = [e for e in app.main.get("bidi_component") if e.key == LIVE_KEY]
    return frames.unpack(element.proto.bytes)


def errors(app):
    return " ".join(e.value for e in app.error)


def act(app, widget):
    """Apply a widget change the way the browser does, then redraw the whole page."""
    widget.run()
    assert not app.exception
    app.run()
    assert not app.exception


def step(app, times):
    for _ in range(times):
        act(app, app.button(key="step").click())


def test_runs_on_every_dataset_and_draws_it(at):
    for name in dataset_names("classification"):  # what the menu offers
        act(at, at.selectbox(key="dataset").set_value(name))
        assert not at.exception, name
        assert not at.error, (name, errors(at))
        sess = session(at)
        assert sess.data.name == name
        header, sections = batch(at)
        assert header["class_names"] == sess.data.class_names
        res = header["resolution"]
        assert len(sections["boundary"]) == res * res * len(header["frames"])
        assert len(sections["points"]) == 12 * (len(sess.data.y_train) + len(sess.data.y_test))


def test_every_control_exists(at):
    for key in ("dataset", "plane_x", "plane_y", "activation", "head", "init", "reg"):
        assert at.selectbox(key=key).value is not None
    for key in ("n_samples", "noise", "test_fraction"):
        assert at.slider(key=key).value is not None
    for key in ("lr", "batch", "reg_rate", "speed"):
        assert at.select_slider(key=key).value is not None
    for key in ("hidden_layers", "seed", *(f"neurons_{i}" for i in range(1, 7))):
        assert at.number_input(key=key).value is not None
    for key in ("play", "step", "reset", "regenerate"):
        assert at.button(key=key)
    for key in ("show_test", "discretize", "all_features"):
        assert at.toggle(key=key).value is False
    assert at.radio(key="optimizer").options == ["SGD", "Momentum", "Adam"]
    assert at.select_slider(key="lr").options == [f"{v:g}" for v in
                                                  (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)]
    assert at.select_slider(key="batch").options[0] == "full batch"
    assert at.select_slider(key="speed").options[-1] == "max"
    assert at.selectbox(key="plane_x").disabled and at.toggle(key="all_features").disabled
    act(at, at.number_input(key="hidden_layers").set_value(3))
    assert [at.number_input(key=f"neurons_{i}").disabled for i in range(1, 7)] == [False] * 3 + [True] * 3
    assert session(at).net.sizes == [2, 8, 4, 4, 1]
    act(at, at.number_input(key="hidden_layers").set_value(0))
    assert session(at).net.sizes == [2, 1]  # logistic regression


def test_data_controls_reach_the_data(at):
    act(at, at.slider(key="n_samples").set_value(400))
    act(at, at.slider(key="test_fraction").set_value(0.5))
    data = session(at).data
    assert len(data.y_train) == 200 and len(data.y_test) == 200
    act(at, at.slider(key="noise").set_value(0.0))
    assert session(at).data_cfg.noise == 0.0
    act(at, at.selectbox(key="dataset").set_value("gaussian"))
    act(at, at.slider(key="noise").set_value(2.0))
    assert session(at).data_cfg.noise == 2 * 0.5  # relative to the dataset's usual noise


def test_step_advances_the_epoch_and_lowers_the_loss(at):
    first = session(at).row["train_loss"]
    assert session(at).epoch == 0
    step(at, 25)
    sess = session(at)
    assert sess.epoch == 25
    assert sess.row["train_loss"] < first
    header, _ = batch(at)
    assert header["frames"][-1]["epoch"] == 25
    assert not header["live"] and not header["playing"]


def test_reset_restarts_from_the_same_weights(at):
    start = weights(at)
    step(at, 5)
    assert not same(start, weights(at))
    act(at, at.button(key="reset").click())
    assert session(at).epoch == 0
    assert same(start, weights(at))


def test_architecture_makes_a_new_network_learning_rate_keeps_the_weights(at):
    step(at, 5)
    sess, run, trained = session(at), session(at).run, weights(at)
    act(at, at.select_slider(key="lr").set_value(0.03))
    act(at, at.radio(key="optimizer").set_value("adam"))
    act(at, at.selectbox(key="reg").set_value("l2"))
    assert session(at) is sess and sess.run == run and sess.epoch == 5
    assert same(trained, weights(at))
    assert sess.trainer.lr == 0.03 and sess.trainer.optimizer == "adam" and sess.trainer.l2 == REG_RATE.default
    act(at, at.number_input(key="neurons_1").set_value(5))
    assert sess.run == run + 1 and sess.epoch == 0
    assert sess.net.sizes == [2, 5, 1]
    act(at, at.selectbox(key="activation").set_value("relu"))
    assert sess.run == run + 2 and sess.net.activation == "relu"


def test_same_seed_same_start_new_seed_new_start(at):
    start = weights(at)
    act(at, at.number_input(key="seed").set_value(7))
    assert not same(start, weights(at))
    act(at, at.number_input(key="seed").set_value(0))
    assert same(start, weights(at))


def test_regenerate_draws_new_points(at):
    before = session(at).data.X_train.copy()
    act(at, at.button(key="regenerate").click())
    assert session(at).epoch == 0
    assert not np.array_equal(before, session(at).data.X_train)


def test_iris_shows_three_classes_on_a_chosen_plane(at):
    act(at, at.selectbox(key="dataset").set_value("iris"))
    sess = session(at)
    assert sess.data.n_classes == 3 and sess.net.sizes == [2, 8, 3]
    assert len(sess.data.y) == 150  # the slider's 200 is capped at iris's 150 flowers
    header, sections = batch(at)
    assert header["class_names"] == ["setosa", "versicolor", "virginica"]
    assert header["axis_names"] == ["petal length (cm)", "petal width (cm)"]
    assert set(np.frombuffer(sections["boundary"], np.uint8) // header["confidence_levels"]) <= {0, 1, 2}
    act(at, at.selectbox(key="plane_x").set_value("sepal length (cm)"))
    assert session(at).data.feature_names == ["sepal length (cm)", "petal width (cm)"]
    act(at, at.toggle(key="all_features").set_value(True))
    assert session(at).net.sizes[0] == 4
    header, _ = batch(at)
    assert header["plane_features"] == [0, 3] and header["sizes"][0] == 4
    step(at, 30)
    assert not at.error
    assert set(np.frombuffer(batch(at)[1]["boundary"], np.uint8) // header["confidence_levels"]) == {0, 1, 2}


def test_learning_rate_10_diverges_into_words_not_a_traceback(at):
    act(at, at.radio(key="optimizer").set_value("adam"))
    act(at, at.select_slider(key="lr").set_value(10.0))
    step(at, 6)
    sess = session(at)
    assert sess.trainer.diverged is not None and not player(at).playing
    assert "diverged" in errors(at)
    header, _ = batch(at)
    assert "diverged" in header["message"]
    assert all(math.isfinite(v) for f in header["frames"] for v in (f["train_loss"], f["train_accuracy"]))
    run = sess.run
    act(at, at.select_slider(key="lr").set_value(0.01))
    assert sess.trainer.diverged is not None  # a new learning rate alone does not undo it
    act(at, at.button(key="play").click())  # Play starts again from fresh weights
    assert sess.run == run + 1 and sess.trainer.diverged is None and player(at).playing
    assert sess.message is None and "diverged" not in errors(at)


def test_engine_errors_become_messages(at, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValueError("n_samples=5 is too small for moons")

    monkeypatch.setattr(model_module, "load_dataset", refuse)
    act(at, at.slider(key="n_samples").set_value(30))
    assert not at.exception
    assert "too small" in errors(at)
    assert batch(at)  # the last good network stays on screen


def test_play_ticks_produce_evenly_timed_frames(at):
    sess, model = player(at), session(at)
    act(at, at.button(key="play").click())
    assert sess.playing
    tick, per_tick = player_module.TICK, sess.frames_per_tick
    assert per_tick / tick >= 50  # frames a second
    start, now, out = model.epoch, 1000.0, []
    sess.origin = None
    for _ in range(4):  # one second of play at 60 epochs a second: a frame per epoch, evenly timed
        now += tick
        out += sess.advance(60, now=now)
    assert model.epoch == start + round(4 * tick * 60) and len(out) == model.epoch - start
    assert np.allclose(np.diff([f.play_time for f in out]), 1 / 60, atol=1e-3)
    header, sections = frames.unpack(sess.payload(out[-per_tick:], ViewConfig()))
    assert header["live"] and len(header["frames"]) == per_tick
    n_params = sum(W.size + b.size for W, b in model.net.params)
    assert sections["weights"] and len(sections["weights"]) % (4 * n_params) == 0
    act(at, at.button(key="play").click())
    assert not player(at).playing
