"""Controls that must never disagree with what the model does (bugs seen by a new user)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def act(app, widget):
    widget.run()
    assert not app.exception
    app.run()
    assert not app.exception


def model(app):
    return app.session_state["pg"].model


def test_iris_axes_never_show_one_feature_twice(at):
    act(at, at.selectbox(key="dataset").set_value("iris"))
    y_now = at.selectbox(key="plane_y").value
    assert at.selectbox(key="plane_x").value not in at.selectbox(key="plane_y").options
    act(at, at.selectbox(key="plane_x").set_value(y_now))  # the horizontal axis takes the vertical one's feature
    x, y = at.selectbox(key="plane_x").value, at.selectbox(key="plane_y").value
    assert x == y_now and y != x
    assert x not in at.selectbox(key="plane_y").options
    assert model(at).data.feature_names == [x, y]  # the plot shows what the boxes say


def test_iris_offers_only_the_flowers_it_has(at):
    act(at, at.selectbox(key="dataset").set_value("iris"))
    samples = at.slider(key="n_samples")
    assert samples.max == 150 and samples.value == 150
    assert "150" in samples.label
    assert len(model(at).data.y) == 150
    act(at, at.selectbox(key="dataset").set_value("moons"))
    assert at.slider(key="n_samples").max == 1000


def test_step_while_playing_pauses_and_steps(at):
    act(at, at.button(key="play").click())
    player = at.session_state["pg"]
    assert player.playing
    epoch = player.model.epoch
    act(at, at.button(key="step").click())
    assert not player.playing and player.model.epoch == epoch + 1
