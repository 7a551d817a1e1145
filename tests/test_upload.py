"""Your own data in the app (issue 7): a CSV uploaded in the sidebar trains like a built-in table,
every bad file says why and keeps the data that was loaded, and points clicked on the plane change
the data while the network keeps its weights. AppTest drives the uploader; the clicks go through
points.edit, as the element's "points" event does (the browser test clicks for real)."""

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.datasets import preview_csv
from playground import frames, points, settings, user_data
from playground.model import Model
from playground.plain import JOINER, literal
from playground.player import Player

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")


def separable_csv(rows: int = 150, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 3)) * [1.0, 2.0, 1.0] + [5.0, -3.0, 0.0]
    label = np.where(X[:, 0] - 5.0 + 0.5 * (X[:, 1] + 3.0) > 0, "pass", "fail")
    lines = ["hours,score,noise,result"] + [f"{a:.4f},{b:.4f},{c:.4f},{y}" for (a, b, c), y in zip(X, label)]
    return ("\n".join(lines) + "\n").encode()


BAD_FILES = {
    "empty": (b"", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "NUL bytes"),
    "too_many_rows": (b"a,b,label\n" + b"1,2,x\n3,4,y\n" * 50_001, "too many rows"),
    "one_class": (b"a,b,label\n" + b"1,2,same\n3,4,same\n" * 10, "single class"),
    "huge_values": (b"a,b,label\n" + b"1,2,x\n3,4,y\n" * 10 + b"1e308,-1e308,x\n", "too large"),
    "headerless": (b"0,0,0\n1,1,1\n" * 10, "headerless"),
}


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def upload(app, name: str, content: bytes):
    app.file_uploader(key="upload_file").set_value((name, content, "text/csv")).run()
    assert not app.exception
    app.run()
    assert not app.exception


def model(app) -> Model:
    return app.session_state["pg"].model


def errors(app) -> str:
    """The page's error messages as they read (their Markdown escapes and joiners removed: plain.literal)."""
    return " ".join(re.sub(r"\\(.)", r"\1", e.value).replace(JOINER, "") for e in app.error)


def test_a_good_file_becomes_the_dataset_and_trains(at):
    upload(at, "exam.csv", separable_csv())
    assert at.session_state["dataset"] == user_data.UPLOAD
    assert "Your data: exam.csv" in at.selectbox(key="dataset").options
    data = model(at).data
    assert data.name == "exam.csv" and data.class_names == ["fail", "pass"]
    assert data.feature_names == ["hours", "score"]  # the plane's two of three features (as for iris)
    assert len(data.y_train) + len(data.y_test) == 150
    at.button(key="step").click().run()
    at.run()
    assert model(at).epoch == 1 and not errors(at)
    model(at).train(epochs=400)
    assert model(at).net.accuracy(data.X_test, data.y_test) >= 0.9
    header, _ = frames.unpack(model_payload(at))
    assert header["class_names"] == ["fail", "pass"] and header["axis_names"] == ["hours", "score"]


def model_payload(app) -> bytes:
    [element] = [e for e in app.main.get("bidi_component") if e.key == "nnpg-live"]
    return element.proto.bytes


def test_the_label_features_and_problem_can_be_chosen(at):
    upload(at, "exam.csv", separable_csv())
    at.selectbox(key="upload_label").set_value("score").run()
    at.multiselect(key="upload_features").set_value(["hours", "noise"]).run()
    at.radio(key="upload_problem").set_value("regression").run()
    at.button(key="upload_use").click().run()
    at.run()
    assert not at.exception and not errors(at)
    data = model(at).data
    assert data.task == "regression" and data.feature_names == ["hours", "noise"]
    assert at.session_state["problem"] == "regression" and model(at).net.task == "regression"


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_says_why_and_keeps_the_data(at, kind):
    upload(at, "good.csv", separable_csv())
    before_data, before_upload = model(at).data, at.session_state[user_data.SESSION_KEY]
    at.button(key="step").click().run()
    at.run()
    content, reason = BAD_FILES[kind]
    upload(at, f"file-{len(kind)}.csv", content)
    message = errors(at)
    assert reason in message and f"file-{len(kind)}.csv" in message and "still loaded" in message, message
    assert len(at.error) == 1  # one message
    assert model(at).data is before_data and model(at).epoch == 1
    assert at.session_state[user_data.SESSION_KEY] is before_upload
    assert at.session_state["dataset"] == user_data.UPLOAD


def test_a_bad_first_file_keeps_the_built_in_dataset(at):
    upload(at, "flat.csv", BAD_FILES["one_class"][0])
    assert "single class" in errors(at)
    assert at.session_state.get("dataset", "moons") == "moons" and model(at).data.name == "moons"
    assert "Your data" not in " ".join(at.selectbox(key="dataset").options)


def test_the_preview_is_text_and_bounded():
    header, rows = preview_csv(separable_csv(), 3)
    assert header == ["hours", "score", "noise", "result"] and len(rows) == 3
    assert all(isinstance(cell, str) for row in rows for cell in row)


def test_blank_starts_empty_and_draws():
    data_cfg, net_cfg, train_cfg, _ = settings.configs({"dataset": "blank"})
    player = Player(Model(data_cfg, net_cfg, train_cfg))
    assert len(player.model.data.y) == 0 and player.model.train(epochs=5) == [] and player.model.epoch == 0
    run = player.model.run
    for u, v, label in [(0.2, 0.2, 0), (0.25, 0.3, 0), (0.8, 0.7, 1), (0.7, 0.8, 1)]:
        assert points.edit(player, {"op": "add", "u": u, "v": v, "label": label, "run": run}, False)
    data = player.model.data
    assert data.y_train.tolist() == [0, 0, 1, 1]
    assert np.allclose(data.X_train[0], [-1.2 + 0.2 * 2.4, -1.2 + 0.2 * 2.4])  # the plane is -1.2..1.2
    player.model.train(epochs=300)
    assert player.model.epoch == 300 and player.model.net.accuracy(data.X_train, data.y_train) == 1.0


def test_clicks_change_the_points_and_the_data_but_keep_the_weights():
    data_cfg, net_cfg, train_cfg, _ = settings.configs({})
    player = Player(Model(data_cfg, net_cfg, train_cfg))
    model = player.model
    model.train(epochs=20)
    weights = [(W.copy(), b.copy()) for W, b in model.net.params]
    n_train, run = len(model.data.y_train), model.run
    header, _ = frames.unpack(player.payload([], settings.configs({})[3]))
    assert header["n_train"] == n_train and header["edits"] == 0
    assert points.edit(player, {"op": "add", "u": 0.5, "v": 0.5, "label": 1, "run": run}, False)
    assert points.edit(player, {"op": "add", "u": 0.1, "v": 0.9, "label": 0, "run": run}, False)
    assert len(model.data.y_train) == n_train + 2 and model.trainer.data is model.data
    assert model.run == run and model.epoch == 20
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0) for (W, b), (W0, b0) in zip(model.net.params, weights))
    header, sections = frames.unpack(player.payload([], settings.configs({})[3]))
    assert header["n_train"] == n_train + 2 and header["edits"] == 2 and header["run"] == run
    assert len(sections["points"]) == 12 * (len(model.data.y))  # three float32 columns per point
    corner = model.data.X_train[-1]
    assert points.edit(player, {"op": "remove", "u": 0.1, "v": 0.9, "run": run}, False)
    assert len(model.data.y_train) == n_train + 1
    assert not any(np.array_equal(row, corner) for row in model.data.X_train)
    model.train(epochs=1)
    assert model.epoch == 21  # trains on from the same weights, on the changed data


@pytest.mark.parametrize("event", [
    {"op": "add", "u": 0.5, "v": 0.5, "label": 1, "run": 999},  # a network since replaced
    {"op": "add", "u": 1.5, "v": 0.5, "label": 1, "run": 1},  # off the plane
    {"op": "add", "u": 0.5, "v": 0.5, "label": 2, "run": 1},  # no such class
    {"op": "add", "u": 0.5, "v": 0.5, "label": True, "run": 1},
    {"op": "paint", "u": 0.5, "v": 0.5, "label": 1, "run": 1},
])
def test_a_malformed_click_changes_nothing(event):
    data_cfg, net_cfg, train_cfg, _ = settings.configs({})
    player = Player(Model(data_cfg, net_cfg, train_cfg))
    before = player.model.data
    assert not points.edit(player, event, False)
    assert player.model.data is before and player.model.edits == 0


def test_a_link_made_with_an_upload_opens_the_default_dataset_with_a_notice():
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update({"dataset": "upload", "x": "hours", "y": "score", "lr": "0.1"})
    app.run()
    assert not app.exception and not app.error
    notices = " ".join(w.value for w in app.warning)
    assert "uploaded dataset" in notices and "default dataset" in notices
    assert "hours" not in notices  # the upload's axes went with it, without a notice each
    assert model(app).data.name == "moons" and model(app).train_cfg.lr == 0.1  # the rest of the link holds


def test_literal_markdown_escapes_every_mark_and_breaks_autolinks():
    text = "[x](http://e.com) www.e.com a@b.com <b>h</b> **b** :red[r] $x$"
    escaped = literal(text)
    assert re.sub(r"\\(.)", r"\1", escaped).replace(JOINER, "") == text
    assert "http:" not in escaped and "www." not in escaped and "@b" not in escaped
    assert not re.search(r"(?<!\\)[\[\]()<>*:$]", escaped)  # no mark left unescaped


def test_an_id_column_is_left_out_of_the_features_it_guesses(at):
    rows = [f"s{i},{i % 10},{(i * 7) % 5},{'pass' if i % 10 > 4 else 'fail'}" for i in range(40)]
    upload(at, "ids.csv", ("id,hours,sleep,result\n" + "\n".join(rows) + "\n").encode())
    assert not errors(at)
    assert model(at).data.feature_names == ["hours", "sleep"]
    assert at.multiselect(key="upload_features").value == ["hours", "sleep"]
    assert "Loaded: 40 rows, 2 features, 2 classes." in " ".join(c.value for c in at.caption)


def test_a_numeric_label_refused_as_classes_suggests_regression(at):
    rows = [f"{i},{i % 4},{1000 * i + 7}" for i in range(80)]
    upload(at, "houses.csv", ("area,rooms,price\n" + "\n".join(rows) + "\n").encode())
    message = errors(at)
    assert "80 classes, more than 50; is it really the label column? If 'price' is a number to predict, " \
           "choose Regression" in message and "?." not in message
    at.radio(key="upload_problem").set_value("regression").run()
    at.button(key="upload_use").click().run()
    at.run()
    assert not errors(at) and model(at).data.task == "regression" and model(at).data.feature_names == ["area", "rooms"]


def test_the_upload_limit_is_set_deliberately_and_said_next_to_the_uploader(at):
    """issue 7: server.maxUploadSize is set in .streamlit/config.toml and the sidebar says it."""
    config = (Path(APP).parents[1] / ".streamlit" / "config.toml").read_text()
    limit = int(re.search(r"^maxUploadSize = (\d+)$", config, re.M)[1])
    uploader = at.file_uploader(key="upload_file")
    assert f"at most {limit} MB" in uploader.label
    assert any(f"Limit {limit} MB per file" in caption.value for caption in at.sidebar.caption)
