"""Input features (issue 7): TensorFlow Playground's x1², x1·x2, sin(x1), ... computed by the network
from the plane coordinates, and respected by training, the boundary, save/load, export and the CLI."""

import csv
import importlib.util
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from engine import Network, Trainer, gradient_check, load_dataset
from engine.boundary import decision_boundary, input_maps, neuron_maps, plane_for
from engine.cli import main
from engine.export import from_json, to_json, to_python
from engine.features import INPUTS, check_inputs, input_values
from engine.model_file import FORMAT, VERSION

ALL = list(INPUTS)


@pytest.fixture(scope="module")
def circles():
    return load_dataset("circles", seed=0)


def randomised(net, seed=0):
    rng = np.random.default_rng(seed)
    for W, b in net.params:
        W[...] = rng.normal(0.0, 1.0, W.shape)
        b[...] = rng.normal(0.0, 1.0, b.shape)
    return net


def twin_without_inputs(net):
    """The same weights in a network that reads its input layer directly."""
    twin = Network(net.sizes, activation=net.activation, output=net.output, loss=net.loss)
    twin.params = [(W.copy(), b.copy()) for W, b in net.params]
    return twin


# --- the registry ---------------------------------------------------------------------------


def test_the_registry_holds_tensorflow_playgrounds_inputs():
    assert {name: entry.label for name, entry in INPUTS.items()} == {
        "x1": "x₁", "x2": "x₂", "x1sq": "x₁²", "x2sq": "x₂²", "x1x2": "x₁·x₂", "sinx1": "sin(x₁)",
        "sinx2": "sin(x₂)"}
    x1, x2 = np.array([-2.0, 0.5, 3.0]), np.array([1.0, -4.0, 0.25])
    expected = {"x1": x1, "x2": x2, "x1sq": x1**2, "x2sq": x2**2, "x1x2": x1 * x2, "sinx1": np.sin(x1),
                "sinx2": np.sin(x2)}
    for name, entry in INPUTS.items():
        np.testing.assert_allclose(entry.function(x1, x2), expected[name], rtol=1e-15)


@pytest.mark.parametrize("name", ALL)
def test_every_input_has_numpy_source_giving_the_engines_bits(tmp_path, name):
    rng = np.random.default_rng(1)
    x1, x2 = rng.normal(0.0, 2.0, 1000), rng.normal(0.0, 2.0, 1000)
    path = tmp_path / f"feature_{name}.py"
    path.write_text(f"import numpy as np\n\n\ndef f(x1, x2):\n    return {INPUTS[name].numpy_source}\n")
    module = load_module(path)  # the exported script's line, imported as the script would run it
    assert np.asarray(module.f(x1, x2)).tobytes() == np.asarray(INPUTS[name].function(x1, x2)).tobytes()


def test_input_values_are_the_columns_of_the_features_in_order():
    X = np.array([[1.0, 2.0], [-0.5, 3.0]])
    F = input_values(("x2sq", "x1", "sinx2"), X)
    assert F.shape == (2, 3) and F.flags.c_contiguous
    np.testing.assert_array_equal(F, np.column_stack([X[:, 1] ** 2, X[:, 0], np.sin(X[:, 1])]))


@pytest.mark.parametrize("inputs, message", [
    (["x1", "cosx1"], "unknown input feature 'cosx1'; choose from: x1, x2, x1sq"),
    (["x1", "x1"], "inputs list 'x1' twice"),
    ([], "at least one input feature"),
    ("x1", "must be a list"),
])
def test_bad_inputs_are_refused_by_name(inputs, message):
    with pytest.raises(ValueError, match=message):
        check_inputs(inputs)
    with pytest.raises(ValueError, match=message):
        Network([max(len(inputs), 1), 1], inputs=inputs)


def test_the_input_layer_must_have_a_unit_per_feature():
    with pytest.raises(ValueError, match="the input layer has 2 units but inputs lists 3 features"):
        Network([2, 1], inputs=["x1", "x2", "x1x2"])


def test_input_features_need_plane_data():
    iris = load_dataset("iris")
    with pytest.raises(ValueError, match="computed from the two plane coordinates x1, x2; iris has 4 features"):
        Trainer(Network([2, 3], inputs=["x1sq", "x2sq"]), iris)
    with pytest.raises(ValueError, match="iris has 4 features"):
        Network.for_data(iris, (4,), inputs=["x1", "sinx1"])
    flat = iris.select([2, 3])  # two of its features chosen: a plane
    net = Network.for_data(flat, (4,), inputs=["x1", "x2", "x1x2"])
    assert net.sizes == [3, 4, 3] and net.n_features == 2
    Trainer(net, flat).run(5)


# --- the network computes them ----------------------------------------------------------------


def test_a_network_with_inputs_is_the_plain_network_on_the_features(circles):
    net = randomised(Network([len(ALL), 5, 1], inputs=ALL, seed=0))
    twin = twin_without_inputs(net)
    F = input_values(ALL, circles.X)
    assert net.forward(circles.X).tobytes() == twin.forward(F).tobytes()
    assert net.forward_all(circles.X)[0].tobytes() == F.tobytes()
    assert net.input_values(circles.X).tobytes() == F.tobytes()
    loss, grads = net.loss_and_gradients(circles.X, circles.y)
    twin_loss, twin_grads = twin.loss_and_gradients(F, circles.y)
    assert loss == twin_loss
    for (dW, db), (tW, tb) in zip(grads, twin_grads, strict=True):
        assert dW.tobytes() == tW.tobytes() and db.tobytes() == tb.tobytes()
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\), the plane coordinates"):
        net.forward(F)


@pytest.mark.parametrize("inputs, hidden", [
    (["x1sq", "x2sq"], ()), (ALL, (4,)), (["sinx1", "x1x2", "sinx2"], (3, 3)), (["x2", "x1"], (5,)),
])
def test_gradients_with_feature_maps_agree_with_central_differences(circles, inputs, hidden):
    net = Network([len(inputs), *hidden, 1], inputs=inputs, seed=3)
    X, y = circles.X_train[:20], circles.y_train[:20]
    errors = gradient_check(net, X, y, l2=0.1)
    assert max(errors) < 1e-7, errors


def test_trace_records_the_input_layer(circles):
    net = randomised(Network([3, 4, 1], inputs=["x1sq", "x2sq", "x1x2"], seed=0))
    trace = net.trace(circles.X_train[:6], circles.y_train[:6])
    assert trace.X.tobytes() == input_values(net.inputs, circles.X_train[:6]).tobytes()
    _, grads = net.loss_and_gradients(circles.X_train[:6], circles.y_train[:6])
    assert all(a.tobytes() == b.tobytes() for (a, _), (b, _) in zip(trace.grads, grads, strict=True))


# --- the classic demos --------------------------------------------------------------------------


def test_circles_need_no_hidden_layer_on_the_squared_inputs(circles):
    """A line in (x1², x2²) is a circle in the plane; in (x1, x2) no line separates the rings."""
    squared = Trainer(Network.for_data(circles, (), inputs=["x1sq", "x2sq"]), circles, lr=0.5)
    squared.run(500)
    plain = Trainer(Network.for_data(circles, (), inputs=["x1", "x2"]), circles, lr=0.5)
    plain.run(500)
    assert squared.history[-1]["test_accuracy"] >= 0.95 and squared.history[-1]["train_accuracy"] >= 0.95
    assert plain.history[-1]["test_accuracy"] <= 0.7
    assert squared.net.sizes == [2, 1]


def test_the_spiral_is_learnable_with_sine_inputs():
    spiral = load_dataset("spiral", seed=0)
    trainer = Trainer(Network.for_data(spiral, (8, 8), inputs=["x1", "x2", "sinx1", "sinx2"], seed=0), spiral,
                      lr=0.03, optimizer="adam")
    trainer.run(1000)
    assert trainer.diverged is None
    assert trainer.history[-1]["test_accuracy"] >= 0.85


# --- the boundary is drawn over x1/x2 through the same map -----------------------------------------


def test_the_boundary_and_the_neurons_evaluate_the_grid_through_the_map(circles):
    net = randomised(Network([3, 4, 1], inputs=["x1sq", "x2sq", "sinx1"], seed=0))
    twin = twin_without_inputs(net)
    plane = plane_for(circles, resolution=30)
    assert plane.points.shape == (900, 2)  # the plane's axes stay x1 and x2
    features = input_values(net.inputs, plane.points)
    P = twin.forward(features)[:, 0].reshape(30, 30)
    probabilities = decision_boundary(net, plane)
    assert probabilities.shape == (30, 30, 2)
    np.testing.assert_array_equal(probabilities[:, :, 1], P)
    (hidden,) = neuron_maps(net, plane)
    np.testing.assert_array_equal(hidden, neuron_maps(twin, plane_with(plane, features))[0])
    maps = input_maps(net, plane)
    assert maps.shape == (3, 30, 30)
    np.testing.assert_array_equal(maps[0], (plane.points[:, 0] ** 2).reshape(30, 30))
    np.testing.assert_array_equal(maps[2], np.sin(plane.points[:, 0]).reshape(30, 30))
    np.testing.assert_array_equal(maps[0][0], plane.xs**2)  # row 0 of the image is ys[0]: x1 varies along it


def test_the_grid_computes_its_input_layer_once_per_set_of_inputs(circles, monkeypatch):
    import engine.network

    calls = []
    real = engine.network.input_values
    monkeypatch.setattr(engine.network, "input_values", lambda inputs, X: calls.append(inputs) or real(inputs, X))
    plane = plane_for(circles, resolution=40)
    net = Network([3, 4, 1], inputs=["x1", "x2", "sinx1"], seed=0)
    first = decision_boundary(net, plane)
    for _ in range(3):
        neuron_maps(net, plane)
        assert decision_boundary(net, plane).tobytes() == first.tobytes()
    other = Network([2, 1], inputs=["x1sq", "x2sq"])
    decision_boundary(other, plane)
    assert calls == [("x1", "x2", "sinx1"), ("x1sq", "x2sq")]
    assert first.tobytes() == decision_boundary(net, plane_for(circles, resolution=40)).tobytes()


def plane_with(plane, points):
    from dataclasses import replace

    return replace(plane, points=points)


# --- save, load and export ----------------------------------------------------------------------------


def test_a_saved_model_records_its_inputs_and_applies_them_when_loaded(tmp_path, circles):
    net = randomised(Network([4, 3, 1], inputs=["x1", "x2", "x1sq", "sinx2"], seed=0))
    net.save(tmp_path / "m.npz", data=circles)
    twin = Network.load(tmp_path / "m.npz")
    assert twin.inputs == ("x1", "x2", "x1sq", "sinx2") and twin.config() == net.config()
    assert twin.card.feature_names == ("x1", "x2")  # the raw columns it reads
    assert twin.predict(circles.X).tolist() == net.predict(circles.X).tolist()
    assert twin.forward(circles.X).tobytes() == net.forward(circles.X).tobytes()
    plain = Network.load(_saved(tmp_path, Network([2, 1])))
    assert plain.inputs is None and plain.n_features == 2


def _saved(tmp_path, net):
    net.save(tmp_path / "plain.npz")
    return tmp_path / "plain.npz"


def _with_header(tmp_path, net, **changes):
    arrays = {"config": np.array(json.dumps(dict(net.config(), format=FORMAT, version=VERSION, **changes)))}
    for l, (W, b) in enumerate(net.params):
        arrays[f"W{l}"], arrays[f"b{l}"] = W, b
    np.savez(tmp_path / "h.npz", **arrays)
    return tmp_path / "h.npz"


def test_a_file_written_before_inputs_and_tasks_loads_as_before(tmp_path, circles):
    net = randomised(Network([2, 3, 1], seed=0))
    header = {key: value for key, value in net.config().items() if key not in ("inputs", "task")}
    arrays = {"config": np.array(json.dumps(dict(header, format=FORMAT, version=VERSION)))}
    for l, (W, b) in enumerate(net.params):
        arrays[f"W{l}"], arrays[f"b{l}"] = W, b
    np.savez(tmp_path / "old.npz", **arrays)
    old = Network.load(tmp_path / "old.npz")
    assert old.inputs is None and old.task == "classification" and old.config() == net.config()
    assert old.forward(circles.X).tobytes() == net.forward(circles.X).tobytes()


@pytest.mark.parametrize("inputs, message", [
    (["x1", "tanx2"], "unknown input feature 'tanx2'"),
    (["x1"], "inputs lists 1 features for 2 input units"),
    ("x1x2", "must be null or a list of input feature names"),
    (["x1", "x1"], "inputs list 'x1' twice"),
])
def test_a_model_file_with_bad_inputs_is_refused(tmp_path, inputs, message):
    with pytest.raises(ValueError, match=message):
        Network.load(_with_header(tmp_path, Network([2, 1], inputs=["x1sq", "x2sq"]), inputs=inputs))


def test_a_card_of_four_features_does_not_fit_a_network_on_the_plane(tmp_path):
    iris = load_dataset("iris")
    with pytest.raises(ValueError, match="feature_names lists 4 names for 2 inputs"):
        Network([3, 3], inputs=["x1", "x2", "x1x2"]).save(tmp_path / "m.npz", data=iris)


def load_module(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_exported_script_computes_the_inputs_from_the_raw_columns(tmp_path, circles):
    net = randomised(Network([len(ALL), 6, 1], inputs=ALL, seed=2))
    script = tmp_path / "predict.py"
    script.write_text(to_python(net, circles), encoding="utf-8")
    rng = np.random.default_rng(5)
    raw = circles.mean + circles.scale * rng.uniform(-3, 3, (500, 2))
    points = tmp_path / "points.csv"
    with open(points, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["x2", "x1"])
        writer.writerows([repr(b), repr(a)] for a, b in raw.tolist())
    result = subprocess.run([sys.executable, str(script), "--proba", str(points)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == list(circles.class_names)
    P = net.forward((raw - circles.mean) / circles.scale)[:, 0]
    assert np.array(rows[1:], dtype=float)[:, 1].tobytes() == P.tobytes()
    module = load_module(script)
    assert module.INPUTS == ALL
    assert module.input_layer(circles.X).tobytes() == net.input_values(circles.X).tobytes()


def test_json_export_keeps_the_inputs(circles):
    net = randomised(Network([2, 2, 1], inputs=["x1sq", "x2sq"], seed=0))
    text = to_json(net, circles)
    assert json.loads(text)["inputs"] == ["x1sq", "x2sq"]
    twin = from_json(text)
    assert twin.inputs == ("x1sq", "x2sq") and twin.forward(circles.X).tobytes() == net.forward(circles.X).tobytes()


# --- the command line ---------------------------------------------------------------------------------


def test_cli_trains_on_the_inputs_and_saves_them(tmp_path, capsys):
    code = main(["train", "--dataset", "spiral", "--inputs", "x1", "x2", "sinx1", "sinx2", "--hidden", "8", "8",
                 "--optimizer", "adam", "--lr", "0.03", "--epochs", "1000", "--json", "--save", str(tmp_path / "s")])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["inputs"] == ["x1", "x2", "sinx1", "sinx2"] and result["sizes"] == [4, 8, 8, 1]
    assert result["test_accuracy"] >= 0.85
    assert Network.load(tmp_path / "s.npz").inputs == ("x1", "x2", "sinx1", "sinx2")


@pytest.mark.parametrize("argv, message", [
    (["--inputs", "x1", "cosx2"], "error: argument --inputs: invalid choice: 'cosx2'"),
    (["--dataset", "iris", "--inputs", "x1sq", "x2sq"], "error: input features (x1sq, x2sq) are computed from the "
                                                        "two plane coordinates x1, x2; iris has 4 features"),
    (["--inputs", "x1", "x1"], "error: inputs list 'x1' twice"),
    (["--inputs"], "error: argument --inputs: expected at least one argument"),
])
def test_cli_refuses_bad_inputs_with_one_line_and_exit_2(capsys, argv, message):
    assert main(["train", "--epochs", "1", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_cli_inputs_run_as_a_subprocess():
    result = subprocess.run([sys.executable, "-m", "engine", "train", "--dataset", "circles", "--inputs", "x1sq",
                             "x2sq", "--hidden", "--lr", "0.5", "--epochs", "500"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "network [2, 1], inputs x1sq x2sq" in result.stdout
    test_line = next(line for line in result.stdout.splitlines() if line.startswith("test"))
    assert float(test_line.split()[-1].rstrip("%")) >= 95
