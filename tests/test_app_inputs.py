"""Input features and regression in the app (AppTest): the Input features toggles build the network's
input layer, the classic demos learn through the app's Player, the Problem switch gives regression
data an identity · MSE head and the live view MSE and R², and a head chosen for another class count
goes back to the data's natural one (issue 7)."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from engine import Network, Trainer, load_dataset
from engine.boundary import decision_boundary, plane_for
from engine.datasets import DATASETS, dataset_names
from engine.evaluation import first_row
from engine.export import from_json
from engine.heads import heads_for
from playground import compare, downloads, frames, history, settings
from playground.config import DataConfig, NetConfig, TrainConfig
from playground.palette import THEMES

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")
LIVE_KEY = "nnpg-live"


@pytest.fixture
def at(monkeypatch):
    monkeypatch.setenv("NNPG_EVALUATE", "server")  # these tests read the server's boundary codes
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def act(app, widget):
    """Apply a widget change the way the browser does, then redraw the whole page."""
    widget.run()
    assert not app.exception
    app.run()
    assert not app.exception


def player(app):
    return app.session_state["pg"]


def model(app):
    return player(app).model


def batch(app):
    [element] = [e for e in app.main.get("bidi_component") if e.key == LIVE_KEY]
    return frames.unpack(element.proto.bytes)


def errors(app):
    return " ".join(e.value for e in app.error)


def inputs(app):
    return app.button_group(key="inputs")


def train(app, epochs):
    """Train through the app's Player (as Step does, many epochs at once), then redraw the page."""
    player(app).step(epochs)
    app.run()
    assert not app.exception


def test_input_toggles_rebuild_the_network_with_their_units_and_labels(at):
    assert inputs(at).value == ["x1", "x2"] and model(at).net.inputs is None  # the plain plane
    run = model(at).run
    act(at, inputs(at).set_value(["x1", "x2", "x1sq"]))
    net = model(at).net
    assert net.inputs == ("x1", "x2", "x1sq") and net.sizes == [3, 8, 1] and model(at).run == run + 1
    header, sections = batch(at)
    assert header["input_labels"] == ["x₁", "x₂", "x₁²"] and header["inputs"] == ["x1", "x2", "x1sq"]
    th = header["thumbnail_layout"]["size"]
    thumbnails = np.frombuffer(sections["inputs"], np.uint8).reshape(3, th, th)
    assert 0 < thumbnails[2][0].argmin() < th - 1  # x₁² is a valley across the plane, lowest inside it
    assert (np.diff(thumbnails[0][0].astype(int)) >= 0).all() and thumbnails[0][0, 0] < thumbnails[0][0, -1]  # ramp
    act(at, inputs(at).set_value(["sinx2"]))
    assert model(at).net.sizes == [1, 8, 1] and batch(at)[0]["input_labels"] == ["sin(x₂)"]
    act(at, inputs(at).set_value(["x1", "x2"]))
    assert model(at).net.inputs is None and model(at).net.sizes == [2, 8, 1]


def test_circles_on_squared_inputs_need_no_hidden_layer(at):
    act(at, at.selectbox(key="dataset").set_value("circles"))
    act(at, at.number_input(key="hidden_layers").set_value(0))
    act(at, inputs(at).set_value(["x1sq", "x2sq"]))
    assert model(at).net.sizes == [2, 1] and model(at).net.inputs == ("x1sq", "x2sq")
    train(at, 500)
    row = model(at).row
    assert row["test_accuracy"] >= 0.95 and row["train_accuracy"] >= 0.95
    frame = batch(at)[0]["frames"][-1]
    assert frame["epoch"] == 500 and frame["test_accuracy"] == pytest.approx(row["test_accuracy"], abs=1e-6)


def test_the_spiral_learns_with_sine_inputs(at):
    act(at, at.selectbox(key="dataset").set_value("spiral"))
    act(at, inputs(at).set_value(["x1", "x2", "sinx1", "sinx2"]))
    act(at, at.number_input(key="hidden_layers").set_value(2))
    act(at, at.radio(key="optimizer").set_value("adam"))
    act(at, at.select_slider(key="lr").set_value(0.03))
    assert model(at).net.sizes == [4, 8, 4, 1]
    first = model(at).row["train_loss"]
    train(at, 600)
    row = model(at).row
    assert row["train_loss"] < 0.5 * first and row["train_accuracy"] >= 0.85


def test_regression_switches_the_menu_the_head_and_the_figures(at):
    act(at, at.radio(key="problem").set_value("regression"))
    menu = at.selectbox(key="dataset")
    assert menu.options == [DATASETS[name].label for name in dataset_names("regression")]
    assert menu.value == "plane" and at.selectbox(key="head").options == ["identity · squared error"]
    net = model(at).net
    assert model(at).data.task == "regression" and net.task == "regression" and net.head.key == "identity:mse"
    header, sections = batch(at)
    assert header["task"] == "regression" and header["figures"]["score_label"] == "R²"
    assert header["output_labels"] == ["predicted value"]
    low, high = header["value_range"]
    assert low == -high and high == pytest.approx(np.abs(model(at).data.y).max())
    labels = np.frombuffer(sections["points"], np.float32).reshape(-1, 3)[:, 2] % header["test_label"]
    assert 0 <= labels.min() < 0.2 and 0.8 < labels.max() <= 1  # targets' places on the value scale
    act(at, at.radio(key="optimizer").set_value("adam"))
    act(at, at.select_slider(key="lr").set_value(0.03))
    train(at, 300)
    row = model(at).row
    assert row["test_r2"] >= 0.8 and row["train_accuracy"] is None
    frame = batch(at)[0]["frames"][-1]
    assert frame["test_r2"] == pytest.approx(row["test_r2"], abs=1e-6)
    assert frame["test_mse"] == pytest.approx(2 * row["test_loss"], abs=1e-6)  # the loss is half the MSE
    codes = np.frombuffer(batch(at)[1]["boundary"], np.uint8)
    assert codes.min() < 64 and codes.max() > 192  # the tilted plane spans the scale
    assert at.session_state["pg"].model.curve.rows[-1]["test_r2"] == row["test_r2"]


def test_switching_the_problem_back_and_forth_never_mismatches_the_head(at):
    for problem, dataset in (("regression", "multigauss"), ("classification", "iris"), ("regression", "plane"),
                             ("classification", "moons")):
        act(at, at.radio(key="problem").set_value(problem))
        act(at, at.selectbox(key="dataset").set_value(dataset))
        data, net = model(at).data, model(at).net
        assert data.name == dataset and net.task == data.task == problem
        assert net.head.key in heads_for(data.n_classes) and at.selectbox(key="head").value == net.head.key
        assert not at.error, errors(at)


def test_a_head_chosen_for_another_class_count_goes_back_to_the_natural_one(at):
    """Issue 7: softmax with two outputs stayed on moons after it was chosen on iris."""
    act(at, at.selectbox(key="dataset").set_value("iris"))
    act(at, at.selectbox(key="head").set_value("softmax:cross_entropy"))
    assert model(at).net.sizes[-1] == 3
    act(at, at.selectbox(key="dataset").set_value("moons"))
    assert at.session_state["head"] == "sigmoid:log_loss" == at.selectbox(key="head").value
    assert model(at).net.head.key == "sigmoid:log_loss" and model(at).net.sizes[-1] == 1
    act(at, at.selectbox(key="head").set_value("softmax:cross_entropy"))  # chosen on moons: kept on moons' kin
    act(at, at.selectbox(key="dataset").set_value("circles"))
    assert model(at).net.head.key == "softmax:cross_entropy" and model(at).net.sizes[-1] == 2


def test_no_input_feature_is_a_message_and_the_network_stays(at):
    act(at, inputs(at).set_value(["x1", "x2", "x1x2"]))
    net = model(at).net
    act(at, inputs(at).set_value([]))
    assert "at least one input feature" in errors(at)
    assert model(at).net is net and net.inputs == ("x1", "x2", "x1x2")
    act(at, inputs(at).set_value(["x1"]))
    assert not at.error and model(at).net.sizes[0] == 1


def test_a_bad_inputs_link_is_a_notice_and_the_default_inputs(at):
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update({"inputs": "x1,cosx1"})
    app.run()
    assert not app.exception
    assert any("inputs=x1,cosx1" in w.value for w in app.warning)
    assert app.session_state["pg"].model.net.inputs is None


def test_input_features_are_off_while_training_on_all_of_irises_features(at):
    act(at, at.selectbox(key="dataset").set_value("iris"))
    act(at, inputs(at).set_value(["x1sq", "x2sq"]))
    assert model(at).net.inputs == ("x1sq", "x2sq")  # on the plane of two petal features
    act(at, at.toggle(key="all_features").set_value(True))
    assert inputs(at).disabled and not at.error
    assert model(at).net.inputs is None and model(at).net.sizes[0] == 4


@pytest.fixture
def deferred(monkeypatch):
    registered = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        registered[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return registered


def clicked(app, deferred):
    out = {}
    for button in app.get("download_button"):
        data = deferred[button.proto.deferred_file_id]()
        out[button.key] = data.encode() if isinstance(data, str) else data
    return out


def test_a_regression_exports_its_values(at, deferred, tmp_path):
    act(at, at.radio(key="problem").set_value("regression"))
    act(at, inputs(at).set_value(["x1", "sinx2"]))
    train(at, 20)
    files = clicked(at, deferred)
    net, data = model(at).net, model(at).data
    twin = Network.load(files["download_npz"])
    assert twin.config() == net.config() and twin.inputs == ("x1", "sinx2") and twin.task == "regression"
    assert from_json(files["download_json"]).config() == net.config()
    history = list(csv.DictReader(io.StringIO(files["download_history"].decode())))
    assert list(history[0]) == ["epoch", "train_loss", "test_loss", "train_mse", "test_mse", "train_r2", "test_r2"]
    assert float(history[-1]["test_r2"]) == pytest.approx(model(at).row["test_r2"], rel=1e-12)
    rows = list(csv.reader(io.StringIO(files["download_data"].decode())))
    assert rows[0] == ["x1", "x2", "target", "split"]
    assert [float(row[2]) for row in rows[1:]] == pytest.approx(data.y.tolist(), rel=1e-12)
    script, points = tmp_path / "predict.py", tmp_path / "data.csv"
    script.write_bytes(files["download_script"])
    points.write_bytes(files["download_data"])
    printed = subprocess.run([sys.executable, str(script), str(points)], capture_output=True, text=True, timeout=60)
    assert printed.returncode == 0, printed.stderr  # the script computes sin(x₂) from the raw columns itself
    np.testing.assert_allclose([float(v) for v in printed.stdout.split()], net.predict(data.X), rtol=1e-12, atol=1e-12)
    from PIL import Image
    pixels = np.asarray(Image.open(io.BytesIO(files["download_boundary"]))).astype(float)
    plane = plane_for(data, downloads.PNG_SIZE, player(at).plane.features)
    corner = decision_boundary(net, plane)[-1, 0, 0]  # top-left: largest y, smallest x
    place = frames.scale_place(np.array([corner]), frames.value_range(data))[0]
    expected = THEMES["standard"].value_colour(np.rint(place * 255) / 255)
    np.testing.assert_allclose(pixels[0, 0], expected, atol=0.51)


def test_importing_a_model_with_sine_inputs_restores_them(at):
    data = load_dataset("spiral")
    act(at, at.selectbox(key="dataset").set_value("spiral"))
    trained = Network.for_data(data, hidden=(6,), inputs=["x1", "sinx1", "sinx2"], seed=3)
    Trainer(trained, data, lr=0.1, seed=3).run(epochs=30)
    buffer = io.BytesIO()
    trained.save(buffer, data=data)
    act(at, at.get("file_uploader")[0].set_value(("sines.npz", buffer.getvalue(), "application/octet-stream")))
    assert not at.error, errors(at)
    assert at.session_state["inputs"] == ["x1", "sinx1", "sinx2"]
    assert inputs(at).value == ["x1", "sinx1", "sinx2"]
    net = model(at).net
    assert net.inputs == ("x1", "sinx1", "sinx2") and net.sizes == [3, 6, 1]
    assert all(W.tobytes() == W2.tobytes() for (W, _), (W2, _) in zip(trained.params, net.params))
    assert model(at).row["train_accuracy"] == trained.accuracy(data.X_train, data.y_train)
    assert batch(at)[0]["input_labels"] == ["x₁", "sin(x₁)", "sin(x₂)"]


def test_the_step_inspector_shows_the_input_layer_and_a_regression_target(at):
    act(at, at.selectbox(key="dataset").set_value("spiral"))
    act(at, inputs(at).set_value(["x1", "sinx1", "sinx2"]))
    at.session_state["inside_step"] = True
    at.run()
    assert not at.error, errors(at)
    [table] = at.main.get_by_key("inside_step_X").dataframe
    assert list(table.value.columns) == ["x₁", "sin(x₁)", "sin(x₂)"]
    X = table.value.to_numpy()
    np.testing.assert_array_equal(X[:, 1], np.sin(X[:, 0]))  # the network's input layer, computed from x₁
    act(at, at.radio(key="problem").set_value("regression"))
    assert not at.error, errors(at)
    [targets] = at.main.get_by_key("inside_step_Y").dataframe
    assert list(targets.value.columns) == ["predicted value"]
    rows = [int(name.split()[1]) for name in targets.value.index]
    np.testing.assert_array_equal(targets.value.to_numpy()[:, 0], model(at).data.y_train[rows])
    for key in ("inside_confusion", "inside_baseline"):  # classifiers' views say so, and fail nothing
        at.session_state[key] = True
    at.run()
    assert not at.error, errors(at)
    assert sum("regression" in box.value for box in at.info) == 2


def test_the_history_chart_and_pinned_runs_know_regression_and_inputs():
    data = load_dataset("plane")
    net = Network.for_data(data, hidden=(4,))
    rows = Trainer(net, data, lr=0.1, seed=0).run(epochs=5)
    curve = frames.Curve(first_row(net, data))
    for row in rows:
        curve.add(row)
    chart = history.figure(curve)
    assert [trace.name for trace in chart.data] == ["train MSE", "test MSE", "train R²", "test R²"]
    assert list(chart.data[3].y) == [r["test_r2"] for r in curve.rows] and chart.layout.yaxis2.title.text == "R²"
    plain, squares = NetConfig(), NetConfig(inputs=("x1sq", "x2sq"))
    pins = [compare.Pin(compare.describe(DataConfig(), cfg, TrainConfig()), None, (0,), (1.0,), (1.0,))
            for cfg in (plain, squares)]
    assert compare.labels(pins) == ["inputs=x1,x2", "inputs=x1sq,x2sq"]


def test_a_value_chosen_for_another_class_count_is_reset_to_the_natural_one():
    mark, softmax = settings.HEAD.mark, "softmax:cross_entropy"
    assert settings.resets({"dataset": "moons", "head": softmax, mark: 3}) == {"head": "sigmoid:log_loss"}
    assert settings.resets({"dataset": "circles", "head": softmax, mark: 2}) == {}  # the same count: kept
    assert settings.resets({"problem": "regression", "head": "sigmoid:log_loss", mark: 2}) == {"head": "identity:mse"}
    assert settings.resets({"dataset": "iris", "head": "softmax:mse"}) == {}  # never drawn: a link's choice stays
    assert settings.marks(settings.Values({"dataset": "iris"}).context) == {mark: 3}
