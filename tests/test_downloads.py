"""The app's Export section (AppTest): every download exists, and the bytes each button hands the
browser when clicked parse back into the model, its script, history, data and boundary; Import
weights restores a network and its controls, and refuses a bad file keeping the network."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from engine import Network, Trainer, load_dataset
from engine.boundary import decision_boundary, plane_for
from engine.export import from_json
from engine.model_card import ModelCard
from playground import downloads, frames
from playground.palette import THEMES

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")


@pytest.fixture
def deferred(monkeypatch):
    """file_id -> the callable a download button registered (what a click runs)."""
    registered = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        registered[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return registered


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


def clicked(app, deferred):
    """Each download button's key -> the bytes its click gives (text encoded as UTF-8)."""
    out = {}
    for button in app.get("download_button"):
        data = deferred[button.proto.deferred_file_id]()
        out[button.key] = data.encode() if isinstance(data, str) else data
    return out


def test_every_download_is_offered_and_its_bytes_parse(at, deferred, tmp_path):
    for _ in range(5):
        act(at, at.button(key="step").click())
    files = clicked(at, deferred)
    assert sorted(files) == sorted(downloads.DOWNLOADS)
    labels = {button.key: button.label for button in at.get("download_button")}
    assert labels["download_script"] == "NumPy script"
    model = player(at).model
    net, data = model.net, model.data
    assert model.epoch == 5

    for twin in (Network.load(files["download_npz"]), from_json(files["download_json"])):
        assert twin.config() == net.config()
        assert all(W.tobytes() == W2.tobytes() for (W, _), (W2, _) in zip(net.params, twin.params))
        assert twin.card.class_names == tuple(data.class_names)
        assert twin.card.mean.tobytes() == data.mean.tobytes()

    history = list(csv.DictReader(io.StringIO(files["download_history"].decode())))
    assert [int(row["epoch"]) for row in history] == list(range(6))
    assert list(history[0]) == list(frames.HISTORY_COLUMNS)
    assert float(history[-1]["train_loss"]) == pytest.approx(model.curve.rows[-1]["train_loss"], rel=1e-15)

    table = list(csv.reader(io.StringIO(files["download_data"].decode())))
    header, rows = table[0], table[1:]
    assert header == [*data.feature_names, "class", "split"]
    assert [row[-1] for row in rows].count("train") == len(data.y_train)
    assert [row[-1] for row in rows].count("test") == len(data.y_test)
    raw = np.array([row[:-2] for row in rows], dtype=float)
    np.testing.assert_allclose((raw - data.mean) / data.scale, data.X, rtol=0, atol=1e-12)
    assert [row[-2] for row in rows] == [data.class_names[c] for c in data.y]

    script = tmp_path / "predict.py"
    script.write_bytes(files["download_script"])
    points = tmp_path / "data.csv"
    points.write_bytes(files["download_data"])
    printed = subprocess.run([sys.executable, str(script), str(points)], capture_output=True, text=True, timeout=60)
    assert printed.returncode == 0, printed.stderr
    card = ModelCard.of(data)
    assert printed.stdout.splitlines() == [data.class_names[c] for c in net.predict(card.standardise(raw))]

    image = Image.open(io.BytesIO(files["download_boundary"]))
    assert image.format == "PNG" and image.mode == "RGB" and image.size == (downloads.PNG_SIZE,) * 2
    pixels = np.asarray(image).astype(float)
    plane = plane_for(data, downloads.PNG_SIZE, player(at).plane.features)
    probs = decision_boundary(net, plane)
    theme = THEMES["standard"]
    corner = probs[-1, 0]  # the top-left pixel: largest y, smallest x
    top, second = np.sort(corner)[::-1][:2]
    t = theme.shade * (top - second) ** downloads.CONFIDENCE_GAMMA
    expected = np.array(theme.background) + (np.array(theme.classes[corner.argmax()]) - theme.background) * t
    np.testing.assert_allclose(pixels[0, 0], expected, atol=0.51)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 100  # shaded, not flat


def test_downloads_hold_the_weights_of_the_moment_they_are_clicked(at, deferred):
    act(at, at.button(key="step").click())
    buttons = {button.key: button.proto.deferred_file_id for button in at.get("download_button")}
    at.session_state["pg"].model.train(epochs=3)  # training after the page was drawn
    net = Network.load(deferred[buttons["download_npz"]]())
    assert all(W.tobytes() == W2.tobytes() for (W, _), (W2, _) in zip(player(at).model.net.params, net.params))


def model_bytes(net, data=None):
    buffer = io.BytesIO()
    net.save(buffer, data=data)
    return buffer.getvalue()


def test_import_weights_restores_the_network_and_its_controls(at):
    data = player(at).model.data
    trained = Network([2, 5, 3, 1], activation="relu", init="he", seed=7)
    Trainer(trained, data, lr=0.3, seed=7).run(epochs=40)
    act(at, at.get("file_uploader")[0].set_value(("mine.npz", model_bytes(trained, data), "application/octet-stream")))
    assert not at.error
    state = at.session_state
    assert (state["hidden_layers"], state["neurons_1"], state["neurons_2"]) == (2, 5, 3)
    assert (state["activation"], state["init"], state["seed"], state["head"]) == ("relu", "he", 7, "sigmoid:log_loss")
    model = player(at).model
    assert model.net.sizes == [2, 5, 3, 1] and model.epoch == 0 and not player(at).playing
    assert all(W.tobytes() == W2.tobytes() and b.tobytes() == b2.tobytes()
               for (W, b), (W2, b2) in zip(trained.params, model.net.params))
    assert model.row["train_accuracy"] == trained.accuracy(data.X_train, data.y_train)
    assert "Imported mine.npz" in " ".join(s.value for s in at.success)
    at.run()  # a later run keeps the imported weights
    assert same_weights(trained, player(at).model.net)
    act(at, at.button(key="step").click())
    assert player(at).model.epoch == 1 and not same_weights(trained, player(at).model.net)
    act(at, at.button(key="reset").click())  # Reset: back to the imported weights
    assert player(at).model.epoch == 0 and same_weights(trained, player(at).model.net)


def test_a_model_without_biases_imports_with_the_biases_control_off(at):
    """The iris tutorial's kind of network: no biases. Importing it turns Biases off, so the
    network built (and Reset, and Step) has none, and its outputs are the saved model's."""
    data = player(at).model.data
    trained = Network([2, 4, 1], activation="sigmoid", bias=False, seed=2)
    Trainer(trained, data, lr=1.0, seed=2).run(epochs=30)
    upload = ("nobias.npz", model_bytes(trained, data), "application/octet-stream")
    act(at, at.get("file_uploader")[0].set_value(upload))
    assert not at.error and at.session_state["bias"] is False
    model = player(at).model
    assert model.net.bias is False and model.net.n_params == trained.n_params
    assert np.array_equal(model.net.forward(data.X_test), trained.forward(data.X_test))
    act(at, at.button(key="step").click())
    assert all(not b.any() for _, b in player(at).model.net.params)


def same_weights(net, other):
    return net.sizes == other.sizes and all(W.tobytes() == W2.tobytes() and b.tobytes() == b2.tobytes()
                                            for (W, b), (W2, b2) in zip(net.params, other.params))


def test_imported_weights_come_back_with_the_imported_architecture(at, monkeypatch):
    """A live tick carrying the controls' values from before the import is put back (the imported
    network stays); later, the user's own change builds another network, and the imported one,
    with its weights, returns as soon as the controls say so again."""
    from playground import control_writes

    clock = [1000.0]
    monkeypatch.setattr(control_writes.time, "monotonic", lambda: clock[0])
    data = player(at).model.data
    trained = Network([2, 6, 1], activation="sigmoid", seed=3)
    Trainer(trained, data, lr=0.5, seed=3).run(epochs=20)
    act(at, at.get("file_uploader")[0].set_value(("m.npz", model_bytes(trained, data), "application/octet-stream")))
    act(at, at.number_input(key="neurons_1").set_value(8))  # a stale tick: the old architecture
    assert player(at).model.net.sizes == [2, 6, 1] and at.session_state["neurons_1"] == 6
    assert same_weights(trained, player(at).model.net)
    clock[0] += control_writes.STALE_SECONDS + 1
    act(at, at.number_input(key="neurons_1").set_value(8))  # the user's own change, seconds later
    assert player(at).model.net.sizes == [2, 8, 1]
    assert "differ from the imported model (m.npz" in " ".join(i.value for i in at.info)
    act(at, at.number_input(key="neurons_1").set_value(6))
    assert same_weights(trained, player(at).model.net) and player(at).model.epoch == 0
    assert "Imported m.npz" in " ".join(s.value for s in at.success)


@pytest.mark.parametrize("content, message", [
    (b"PK\x05\x06" + bytes(18), "not an NN Playground model"),
    (b"hello", "not an NN Playground model (.npz) file: it is not a zip archive"),
    (model_bytes(Network([4, 3, 3]), load_dataset("iris", seed=0)), "this model reads sepal length (cm)"),
    (model_bytes(Network([2, 3, 2], output="identity", loss="mse")), "'identity:mse' is not one the playground"),
    (model_bytes(Network([2, 70, 1])), "do not fit the playground: at most 6 layers of 1..64 neurons"),
    (model_bytes(Network([2, 3, 3])), "tells 3 classes apart; the current data has 2"),
])
def test_a_bad_import_says_why_and_keeps_the_network(at, content, message):
    before = player(at).model.net
    weights = [W.copy() for W, _ in before.params]
    controls = {key: at.session_state[key] for key in ("hidden_layers", "activation", "head", "init", "seed")}
    act(at, at.get("file_uploader")[0].set_value(("bad.npz", content, "application/octet-stream")))
    shown = " ".join(e.value for e in at.error)
    assert "bad.npz was not imported" in shown and message in shown
    assert player(at).model.net is before
    assert all(np.array_equal(W, W2) for W, (W2, _) in zip(weights, before.params))
    assert {key: at.session_state[key] for key in controls} == controls
