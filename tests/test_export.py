"""Exports: the standalone NumPy script gives the engine's predictions on raw points, for every
head and activation; JSON and .npz load back exactly; the command line's export and its exit codes."""

import ast
import csv
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import ACTIVATIONS, OUTPUTS, Network, load_dataset
from engine.cli import main
from engine.export import _body, card_for, from_json, to_json, to_python

ROOT = Path(__file__).resolve().parents[1]
N_POINTS = 1000


def load_module(path, name):
    """Import a generated Python file (as a user running it would)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def randomised(net, scale=1.5, seed=0):
    """``net`` with random weights and biases large enough for confident, varied outputs."""
    rng = np.random.default_rng(seed)
    for W, b in net.params:
        W[...] = rng.normal(0.0, scale, W.shape)
        b[...] = rng.normal(0.0, scale, b.shape)
    return net


def raw_points(data, n=N_POINTS, seed=1):
    """Random points in the raw units of ``data``'s features, spread over ±3 standard deviations."""
    rng = np.random.default_rng(seed)
    return data.mean + data.scale * rng.uniform(-3.0, 3.0, (n, data.n_features))


def write_points(path, names, raw, extra=True):
    """A CSV of ``raw`` under ``names``, its columns reversed and an unused column in front."""
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow((["note"] if extra else []) + list(reversed(names)))
        for row in raw.tolist():
            writer.writerow((["x"] if extra else []) + [repr(v) for v in reversed(row)])
    return path


def run_script(script, *args, stdin=None):
    return subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True,
                          input=stdin, timeout=60)


@pytest.fixture(scope="module")
def moons():
    return load_dataset("moons", n_samples=200, noise=0.2, seed=0)


@pytest.fixture(scope="module")
def iris():
    return load_dataset("iris", seed=0)


# ---- the activations' NumPy source ------------------------------------------------------------

ALL = {**{f"hidden {name}": entry for name, entry in ACTIVATIONS.items()},
       **{f"output {name}": entry for name, entry in OUTPUTS.items()}}


@pytest.mark.parametrize("name", ALL)
def test_every_activation_has_numpy_source_giving_the_engines_bits(tmp_path, name):
    entry = ALL[name]
    assert entry.numpy_source.strip(), f"{name} has no numpy_source"
    path = tmp_path / "g.py"
    path.write_text(f"import numpy as np\n\n\ndef g(Z):\n{_body(entry)}\n")
    g = load_module(path, f"g_{entry.name}").g
    rng = np.random.default_rng(3)
    Z = np.vstack([rng.normal(0.0, 4.0, (200, 3)),
                   [[-800.0, -30.0, -1e-300], [0.0, -0.0, 5e-324], [30.0, 709.0, 800.0]]])
    expected = entry.function(Z.copy())
    got = g(Z.copy())
    assert got.dtype == np.float64 and got.shape == Z.shape
    assert got.tobytes() == expected.tobytes()


# ---- the script against the engine --------------------------------------------------------------

CASES = {
    "binary sigmoid · log loss": ("moons", dict(sizes=[2, 8, 1], activation="tanh")),
    "softmax · cross-entropy": ("iris", dict(sizes=[4, 6, 3], activation="relu")),
    "sigmoid · squared error": ("moons", dict(sizes=[2, 5, 1], output="sigmoid", loss="mse")),
    "softmax · squared error": ("iris", dict(sizes=[4, 5, 3], output="softmax", loss="mse")),
    "identity · squared error": ("iris", dict(sizes=[4, 5, 3], output="identity", loss="mse")),
    "two-unit softmax": ("moons", dict(sizes=[2, 4, 4, 2], activation="elu")),
    "no biases": ("iris", dict(sizes=[4, 7, 3], activation="sigmoid", bias=False)),
    "logistic regression": ("moons", dict(sizes=[2, 1])),
    **{f"activation {name}": ("iris", dict(sizes=[4, 6, 5, 3], activation=name)) for name in ACTIVATIONS},
}


def script_predictions(tmp_path, net, data):
    """(printed class names, printed probabilities and their header) of the exported script on
    N_POINTS raw points, and the engine's (names, outputs) on the same points."""
    script = tmp_path / "predict.py"
    script.write_text(to_python(net, data))
    raw = raw_points(data)
    points = write_points(tmp_path / "points.csv", data.feature_names, raw)
    labels = run_script(script, points)
    proba = run_script(script, "--proba", points)
    assert labels.returncode == proba.returncode == 0, labels.stderr + proba.stderr
    assert labels.stderr == proba.stderr == ""
    header, *rows = list(csv.reader(io.StringIO(proba.stdout)))
    P = net.forward((raw - data.mean) / data.scale)
    engine_P = np.hstack([1.0 - P, P]) if P.shape[1] == 1 else P
    engine_names = [data.class_names[c] for c in net.predict((raw - data.mean) / data.scale)]
    return (labels.stdout.splitlines(), header, np.array(rows, dtype=np.float64)), (engine_names, engine_P)


@pytest.mark.parametrize("case", CASES)
def test_the_script_predicts_what_the_engine_predicts(tmp_path, case, moons, iris):
    name, config = CASES[case]
    data = {"moons": moons, "iris": iris}[name]
    net = randomised(Network(**config, seed=2))
    (names, header, probabilities), (engine_names, engine_P) = script_predictions(tmp_path, net, data)
    assert len(names) == N_POINTS and names == engine_names
    assert len(set(names)) >= 2, "a test whose points all fall in one class proves little"
    assert header == list(data.class_names)
    assert probabilities.shape == engine_P.shape == (N_POINTS, data.n_classes)
    np.testing.assert_allclose(probabilities, engine_P, rtol=0, atol=1e-12)


def test_a_no_bias_script_ignores_the_bias_arrays(tmp_path, iris):
    """The engine never adds b without biases: nonzero b arrays must not reach the script."""
    net = randomised(Network([4, 5, 3], bias=False, seed=1))
    assert all(np.abs(b).sum() > 0 for _, b in net.params)
    script = to_python(net, iris)
    assert "b0 =" not in script and "(W0, None)" in script


def test_the_weights_are_inlined_exactly_and_only_numpy_is_imported(tmp_path, iris):
    net = Network([4, 3, 3], seed=0)
    rng = np.random.default_rng(5)
    for W, b in net.params:  # every exponent: repr must give back the same bits
        W[...] = rng.standard_normal(W.shape) * 10.0 ** rng.integers(-300, 300, W.shape)
        b[...] = rng.standard_normal(b.shape) * 10.0 ** rng.integers(-300, 300, b.shape)
    source = to_python(net, iris)
    imported = {alias.name.split(".")[0] for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module)])}
    assert imported == {"csv", "sys", "numpy"}
    path = tmp_path / "exact.py"
    path.write_text(source)
    module = load_module(path, "exact")
    for (W, b), (W2, b2) in zip(net.params, module.LAYERS):
        assert W.tobytes() == W2.tobytes() and b.tobytes() == b2.tobytes()
    assert module.MEAN.tobytes() == iris.mean.tobytes() and module.SCALE.tobytes() == iris.scale.tobytes()
    assert module.FEATURES == list(iris.feature_names) and module.CLASSES == list(iris.class_names)


def test_a_network_without_a_card_reads_plain_names(tmp_path):
    net = randomised(Network([2, 3, 1], seed=0))
    assert card_for(net).feature_names == ("x1", "x2")
    script = tmp_path / "predict.py"
    script.write_text(to_python(net))
    result = run_script(script, "--proba", "-", stdin="x2;x1\n0.5;-1\n\n2;3\n")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    P = net.forward(np.array([[-1.0, 0.5], [3.0, 2.0]]))[:, 0]
    assert rows[0] == ["0", "1"]
    np.testing.assert_allclose(np.array(rows[1:], dtype=float)[:, 1], P, rtol=0, atol=1e-15)


@pytest.mark.parametrize("text, message", [
    ("x1,y\n1,2\n", "has no column 'x2'; the columns needed are x1, x2"),
    ("x1,x2\n1,2\n3,abc\n", "line 3, column 'x2': 'abc' is not a number"),
    ("x1,x2\n1,nan\n", "line 2, column 'x2': 'nan' is not a finite number"),
    ("x1,x2\n1,2,3\n", "line 2 has 3 values but the header has 2 columns"),
    ("", "is empty"),
    ('x1,x2\n"1,2\n', "is not a valid CSV file"),
])
def test_bad_points_get_one_line_and_exit_status_2(tmp_path, text, message):
    script = tmp_path / "predict.py"
    script.write_text(to_python(Network([2, 3, 1])))
    points = tmp_path / "points.csv"
    points.write_text(text)
    for args in ((points,), ("--proba", points)):
        result = run_script(script, *args)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr


def test_script_usage_and_missing_file(tmp_path):
    script = tmp_path / "predict.py"
    script.write_text(to_python(Network([2, 1])))
    for args in ((), ("a.csv", "b.csv"), ("--probs", "a.csv")):
        result = run_script(script, *args)
        assert result.returncode == 2 and result.stderr.startswith("usage: ")
    missing = run_script(script, tmp_path / "absent.csv")
    assert missing.returncode == 2 and "cannot read" in missing.stderr and missing.stderr.count("\n") == 1
    assert run_script(script, "--help").stdout.startswith("Predictions of a neural network")


def test_non_finite_weights_are_not_exported():
    net = Network([2, 3, 1])
    net.params[1][0][0, 1] = np.nan
    for export in (to_python, to_json):
        with pytest.raises(ValueError, match="layer 1 has weights that are not finite"):
            export(net)


# ---- JSON and .npz load back ---------------------------------------------------------------------

@pytest.mark.parametrize("case", ["binary sigmoid · log loss", "identity · squared error", "no biases"])
def test_json_and_npz_exports_load_back_exactly(case, moons, iris):
    name, config = CASES[case]
    data = {"moons": moons, "iris": iris}[name]
    net = randomised(Network(**config, seed=4))
    buffer = io.BytesIO()
    net.save(buffer, data=data)
    for twin in (from_json(to_json(net, data)), Network.load(buffer.getvalue())):
        assert twin.config() == net.config()
        for (W, b), (W2, b2) in zip(net.params, twin.params):
            assert W.tobytes() == W2.tobytes() and b.tobytes() == b2.tobytes()
        assert twin.card.feature_names == tuple(data.feature_names)
        assert twin.card.class_names == tuple(data.class_names)
        assert twin.card.mean.tobytes() == data.mean.tobytes()
        assert twin.card.scale.tobytes() == data.scale.tobytes()


def test_json_says_what_the_model_is():
    exported = json.loads(to_json(Network([2, 3, 1], activation="relu")))
    assert exported["format"] == "nn-playground-model" and exported["sizes"] == [2, 3, 1]
    assert exported["activation"] == "relu" and "feature_names" not in exported  # no card: none invented
    assert [np.shape(layer["W"]) for layer in exported["layers"]] == [(3, 2), (1, 3)]


@pytest.mark.parametrize("change, message", [
    (lambda j: "[1, 2]", "the JSON is not an object"),
    (lambda j: "{", "not valid JSON"),
    (lambda j: j.replace("nn-playground-model", "other"), "no NN Playground format tag"),
    (lambda j: j.replace('"layers"', '"weights"'), "unknown fields"),
    (lambda j: j.replace('"sizes": [\n  2,', '"sizes": [\n  3,'), r"layer 0: weights W0 \(3, 2\) do not fit"),
    (lambda j: json.dumps({**json.loads(j), "layers": []}), "must list 2 layers"),
    (lambda j: json.dumps({**json.loads(j), "class_names": ["a"]}), "class_names lists 1 names for 2 classes"),
])
def test_a_bad_json_model_is_refused(change, message):
    text = to_json(Network([2, 3, 1]), data=None)
    with pytest.raises(ValueError, match=message):
        from_json(change(text))
    json_nan = text.replace("0.0", "NaN", 1)
    with pytest.raises(ValueError, match="not a number JSON allows"):
        from_json(json_nan)


# ---- the command line ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "moons.npz"
    assert main(["train", "--dataset", "moons", "--hidden", "6", "--epochs", "200", "--lr", "0.5",
                 "--save", str(path), "--json"]) == 0
    return path


def test_train_save_writes_the_card(saved_model, moons):
    card = Network.load(saved_model).card
    assert card.feature_names == tuple(moons.feature_names) and card.class_names == tuple(moons.class_names)
    assert card.mean.tobytes() == moons.mean.tobytes() and card.scale.tobytes() == moons.scale.tobytes()


def test_cli_exports_a_script_that_runs(saved_model, tmp_path, moons, capsys):
    script = tmp_path / "predict.py"
    assert main(["export", str(saved_model), "--format", "python", "-o", str(script)]) == 0
    net = Network.load(saved_model)
    raw = raw_points(moons, n=50)
    result = run_script(script, write_points(tmp_path / "p.csv", moons.feature_names, raw))
    assert result.returncode == 0
    assert result.stdout.splitlines() == [moons.class_names[c] for c in net.predict(net.card.standardise(raw))]


def test_cli_exports_json_to_stdout_as_a_subprocess(saved_model):
    result = subprocess.run([sys.executable, "-m", "engine", "export", str(saved_model), "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    twin, net = from_json(result.stdout), Network.load(saved_model)
    assert all(W.tobytes() == W2.tobytes() for (W, _), (W2, _) in zip(net.params, twin.params))


@pytest.mark.parametrize("write, message", [
    (lambda path: path.write_text("sepal,label\n1,a\n"), "not an NN Playground model (.npz) file: it is not a zip"),
    (lambda path: None, "not an NN Playground model (.npz) file: [Errno 2] No such file"),
    (lambda path: np.savez(path, config=np.array("{}")), "not an NN Playground model: the config has no"),
])
def test_cli_export_of_a_bad_model_file_exits_2_with_one_line(tmp_path, capsys, write, message):
    path = tmp_path / "model.npz"
    write(path)
    assert main(["export", str(path), "-o", str(tmp_path / "out.py")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: " + message) and err.count("\n") == 1
    assert not (tmp_path / "out.py").exists()


def test_cli_export_usage_errors_exit_2(saved_model, tmp_path, capsys):
    assert main(["export", str(saved_model), "--format", "onnx"]) == 2
    assert main(["export", str(saved_model), "-o", str(tmp_path / "absent" / "p.py")]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'onnx'" in err and "directory" in err and "does not exist" in err
