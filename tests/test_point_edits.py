"""Clicked points survive what does not change the dataset (issue 7): the points a learner added or
removed are kept as edits and replayed on the rebuilt data after Reset, a new network, noise, number
of points, test fraction or Regenerate; picking another dataset drops them with a one-line notice.
AppTest drives the controls; the clicks go through points.edit, as the element's "points" event does."""

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.datasets import load_dataset
from playground import point_edits, points
from playground.model import load_data

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")
CLICKS = [(0.05, 0.95, 0), (0.1, 0.9, 1), (0.95, 0.05, 1)]  # corners of the plane moons leaves empty


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


def player(app):
    return app.session_state["pg"]


def click(app, op, u, v, label=None):
    model = player(app).model
    event = {"op": op, "u": u, "v": v, "run": model.run, **({"label": label} if label is not None else {})}
    assert points.edit(player(app), event, True)
    app.run()
    assert not app.exception


def dropped(app):
    """The page's notices of dropped points, as they read (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", box.value) for box in app.info if "were dropped" in box.value]


def raw_rows(data):
    return data.raw(data.X) if len(data.y) else np.empty((0, data.n_features))


def has_row(data, raw, label):
    return point_edits.find(data, point_edits.PointEdit(point_edits.REMOVE, raw, label)) is not None


def add_clicks(app):
    """Three points added and one of moons's own removed; their raw rows and labels."""
    for u, v, label in CLICKS:
        click(app, "add", u, v, label)
    data = player(app).model.data
    new_rows = raw_rows(data)[len(data.y_train) - len(CLICKS):len(data.y_train)]
    added = [(raw, label) for raw, (_, _, label) in zip(new_rows, CLICKS)]
    victim = data.raw(data.X[0])[0], int(data.y[0])
    click(app, "remove", *_place(player(app).plane, data.X[0]))
    assert not has_row(player(app).model.data, *victim)
    return added, victim


def _place(plane, row):
    fx, fy = plane.features
    return ((row[fx] - plane.xs[0]) / (plane.xs[-1] - plane.xs[0]),
            (row[fy] - plane.ys[0]) / (plane.ys[-1] - plane.ys[0]))


def check_replayed(app, added, victim, victim_gone=True):
    model = player(app).model
    fresh, _ = load_data(model.data_cfg)
    removed = 1 if has_row(fresh, *victim) else 0
    assert len(model.data.y) == len(fresh.y) + len(added) - removed
    assert len(model.data.y_train) == len(fresh.y_train) + len(added) - (removed and victim_in_train(fresh, victim))
    for raw, label in added:
        assert has_row(model.data, raw, label)
        assert has_row(model.trainer.data, raw, label)  # the network trains on them
    assert not has_row(model.data, *victim)
    assert model.notice is None and not dropped(app)
    if victim_gone:
        assert removed == 1  # the same rows: the removed one was there to remove again
    return model


def victim_in_train(data, victim):
    return point_edits.find(data, point_edits.PointEdit(point_edits.REMOVE, *victim)) < len(data.y_train)


def test_points_survive_the_test_fraction_reset_and_a_new_network(at):
    added, victim = add_clicks(at)
    act(at, at.slider(key="test_fraction").set_value(0.5))
    model = check_replayed(at, added, victim)
    assert model.data_cfg.test_fraction == 0.5
    act(at, at.button(key="reset").click())
    check_replayed(at, added, victim)
    act(at, at.number_input(key="hidden_layers").set_value(2))
    model = check_replayed(at, added, victim)
    assert model.net.sizes == [2, 8, 4, 1]
    act(at, at.number_input(key="seed").set_value(3))
    check_replayed(at, added, victim)
    model.train(epochs=3)
    assert model.epoch == 3


def test_points_survive_noise_samples_and_regenerate(at):
    added, victim = add_clicks(at)
    act(at, at.slider(key="noise").set_value(1.5))
    check_replayed(at, added, victim, victim_gone=False)  # other rows now: the removed one is gone anyway
    act(at, at.slider(key="n_samples").set_value(300))
    model = check_replayed(at, added, victim, victim_gone=False)
    assert len(model.data.y) == 300 + 3
    act(at, at.button(key="regenerate").click())
    model = check_replayed(at, added, victim, victim_gone=False)
    assert model.data_cfg.seed != 0
    act(at, at.slider(key="noise").set_value(1.0))
    act(at, at.slider(key="n_samples").set_value(200))
    act(at, at.button(key="regenerate").click())


def test_another_dataset_drops_the_points_with_a_notice(at):
    add_clicks(at)
    act(at, at.selectbox(key="dataset").set_value("circles"))
    model = player(at).model
    assert len(model.data.y) == len(load_dataset("circles").y) and model.point_edits == []
    notices = dropped(at)
    assert len(notices) == 1 and "moons (3 added, 1 removed)" in notices[0], notices
    act(at, at.selectbox(key="dataset").set_value("moons"))  # back: the edits went with the switch
    assert len(player(at).model.data.y) == 200 and not dropped(at)


def test_a_drawn_plane_keeps_its_points_across_everything_but_a_dataset_switch(at):
    act(at, at.selectbox(key="dataset").set_value("blank"))
    drawn = [(0.2, 0.2, 0), (0.25, 0.3, 0), (0.8, 0.7, 1), (0.7, 0.8, 1)]
    for u, v, label in drawn:
        click(at, "add", u, v, label)
    click(at, "remove", 0.25, 0.3)
    expected = player(at).model.data.X_train.copy()
    assert player(at).model.data.y_train.tolist() == [0, 1, 1]  # (0.25, 0.3) took the second class-0 point
    for widget in (at.button(key="reset").click(), at.number_input(key="hidden_layers").set_value(2),
                   at.select_slider(key="lr").set_value(0.1), at.button(key="regenerate").click()):
        act(at, widget)
        model = player(at).model
        np.testing.assert_allclose(model.data.X_train, expected, rtol=0, atol=1e-12)
        assert model.data.y_train.tolist() == [0, 1, 1] and model.trainer.data is model.data
    player(at).model.train(epochs=5)
    assert player(at).model.epoch == 5
    act(at, at.selectbox(key="dataset").set_value("moons"))
    notices = dropped(at)
    assert len(notices) == 1 and "blank (4 added, 1 removed)" in notices[0], notices
    act(at, at.selectbox(key="dataset").set_value("blank"))
    assert len(player(at).model.data.y) == 0


def test_a_replayed_removal_finds_its_row_after_a_new_split_and_nothing_else():
    data = load_dataset("moons", test_fraction=0.3, seed=0)
    edit = point_edits.removed(data, 5)
    again = load_dataset("moons", test_fraction=0.6, seed=0)  # the same rows, standardised otherwise
    index = point_edits.find(again, edit)
    assert index is not None and again.y[index] == data.y[5]
    np.testing.assert_allclose(again.raw(again.X[index])[0], data.raw(data.X[5])[0], rtol=1e-12)
    assert len(point_edits.apply(again, edit).y) == len(again.y) - 1
    other = load_dataset("moons", noise=0.3, seed=0)
    assert point_edits.find(other, edit) is None and point_edits.apply(other, edit) is other
    wrong_class = point_edits.PointEdit(point_edits.REMOVE, edit.raw, 1 - edit.label)
    assert point_edits.find(again, wrong_class) is None


def test_importing_weights_keeps_the_points_clicked_on_the_same_data():
    from playground import downloads, settings
    from playground.model import Model
    from playground.player import Player

    data_cfg, net_cfg, train_cfg, _ = settings.configs({})
    player = Player(Model(data_cfg, net_cfg, train_cfg))
    for u, v, label in CLICKS:
        assert points.edit(player, {"op": "add", "u": u, "v": v, "label": label, "run": player.model.run}, False)
    clicked = player.model.data
    imported = player.model.net.copy()
    fresh = downloads.install(player, imported, downloads.control_values(imported, clicked, {})).model
    assert len(fresh.data.y_train) == len(clicked.y_train) and len(fresh.point_edits) == len(CLICKS)
    for raw, (_, _, label) in zip(raw_rows(clicked)[len(clicked.y_train) - 3:len(clicked.y_train)], CLICKS):
        assert has_row(fresh.data, raw, label) and has_row(fresh.trainer.data, raw, label)
