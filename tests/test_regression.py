"""Regression (issue 7): the plane and multigauss datasets, an identity output with squared error, MSE and
R² in the history, the divergence reference, the boundary, save/load, export, CSV targets and the CLI."""

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.metrics import r2_score

from engine import DATASETS, Network, Trainer, gradient_check, load_csv, load_dataset
from engine.boundary import decision_boundary, plane_for
from engine.cli import main
from engine.datasets import dataset_names
from engine.evaluation import REGRESSION_METRICS, evaluate, evaluate_row, first_row
from engine.export import from_json, to_json, to_python
from engine.heads import heads_for, output_units
from engine.tasks import TASKS
from engine.trainer import chance_loss

REGRESSIONS = ["plane", "multigauss"]


@pytest.fixture(scope="module")
def plane():
    return load_dataset("plane", seed=0)


@pytest.fixture(scope="module")
def multigauss():
    return load_dataset("multigauss", seed=0)


def randomised(net, seed=0):
    rng = np.random.default_rng(seed)
    for W, b in net.params:
        W[...] = rng.normal(0.0, 1.0, W.shape)
        b[...] = rng.normal(0.0, 1.0, b.shape)
    return net


# --- the datasets -----------------------------------------------------------------------------------


def test_the_registry_says_which_datasets_are_regressions():
    assert dataset_names("regression") == REGRESSIONS
    assert set(dataset_names("classification")) == set(DATASETS) - set(REGRESSIONS)
    for name in REGRESSIONS:
        spec = DATASETS[name]
        assert spec.task == "regression" and spec.class_names == () and spec.n_classes == 0
        assert spec.feature_names == ("x1", "x2")
    assert {name: task.figures for name, task in TASKS.items()} == {"classification": ("accuracy",),
                                                                    "regression": ("mse", "r2")}


@pytest.mark.parametrize("name", REGRESSIONS)
def test_regression_data_has_float_targets_and_no_classes(name):
    data = load_dataset(name, n_samples=150, seed=4, test_fraction=0.2)
    assert data.task == "regression" and data.class_names == [] and data.n_classes == 0
    assert data.y_train.dtype == data.y_test.dtype == np.float64
    assert len(data.y_train) == 120 and len(data.y_test) == 30
    assert len(np.unique(data.y)) == 150  # real values, not labels
    assert -1.5 < data.y.min() < -0.3 and 0.3 < data.y.max() < 1.5
    again = load_dataset(name, n_samples=150, seed=4, test_fraction=0.2)
    assert again.y_train.tobytes() == data.y_train.tobytes() and again.X_test.tobytes() == data.X_test.tobytes()
    assert "regression" in repr(data)


def test_the_plane_is_a_tilted_plane_plus_noise():
    data = load_dataset("plane", noise=0.0, standardize=False)
    coefficients, *_ = np.linalg.lstsq(np.column_stack([data.X, np.ones(len(data.y))]), data.y, rcond=None)
    np.testing.assert_allclose(coefficients, [0.6, -0.4, 0.0], atol=1e-12)
    noisy = load_dataset("plane", noise=0.1, standardize=False)
    residual = noisy.y - noisy.X @ np.array([0.6, -0.4])
    assert 0.08 < residual.std() < 0.12


def test_multigauss_is_a_sum_of_bumps_up_and_down():
    data = load_dataset("multigauss", noise=0.0, standardize=False, n_samples=2000)
    near = lambda cx, cy: np.argmin((data.X[:, 0] - cx) ** 2 + (data.X[:, 1] - cy) ** 2)  # noqa: E731
    assert data.y[near(0.0, 0.5)] < -0.8 and data.y[near(0.0, -0.5)] > 0.8
    assert data.y[near(-2 / 3, 0.5)] > 0.8 and data.y[near(2 / 3, -0.5)] < -0.8
    assert abs(data.y[near(-1.0, 0.0)]) < 0.35


def test_a_regression_dataset_refuses_classes_and_labels_refuse_fractions():
    from engine.datasets import Dataset

    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="a regression Dataset has no classes"):
        Dataset("r", X, [0.5, 1, 2, 3], X[:0], [], ["a", "b"], ["x1", "x2"], np.zeros(2), np.ones(2), "regression")
    with pytest.raises(ValueError, match="finite target values"):
        Dataset("r", X, [0.5, np.nan, 2, 3], X[:0], [], [], ["x1", "x2"], np.zeros(2), np.ones(2), "regression")
    with pytest.raises(ValueError, match="whole-number labels"):
        Dataset("c", X, [0.5, 1, 0, 1], X[:0], [], ["a", "b"], ["x1", "x2"], np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="unknown task 'ranking'"):
        Dataset("r", X, [0.5, 1, 2, 3], X[:0], [], [], ["x1", "x2"], np.zeros(2), np.ones(2), "ranking")


# --- the head and the network --------------------------------------------------------------------------


def test_a_regression_target_gets_the_identity_head_with_one_unit():
    assert heads_for(0) == ["identity:mse"] and output_units("identity:mse", 0) == 1
    assert heads_for(2)[0] == "sigmoid:log_loss" and "identity:mse" not in heads_for(2)


def test_for_data_builds_a_regression_network(plane):
    net = Network.for_data(plane, (4,), seed=0)
    assert net.sizes == [2, 4, 1] and net.task == "regression" and net.head.key == "identity:mse"
    assert net.n_classes == 0
    with pytest.raises(ValueError, match="head 'sigmoid:log_loss' does not fit plane's target"):
        Network.for_data(plane, (4,), head="sigmoid:log_loss")


@pytest.mark.parametrize("kwargs, message", [
    (dict(sizes=[2, 2], task="regression"), "one output unit"),
    (dict(sizes=[2, 1], output="sigmoid", task="regression"), "sigmoid:log_loss"),
    (dict(sizes=[2, 1], task="ranking"), "unknown task 'ranking'"),
])
def test_a_regression_network_has_one_value_out(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network(**kwargs)


def test_predict_gives_values_and_there_is_no_accuracy(plane):
    net = randomised(Network([2, 3, 1], task="regression"))
    values = net.predict(plane.X_test)
    assert values.dtype == np.float64 and values.shape == (len(plane.X_test),)
    assert values.tobytes() == net.forward(plane.X_test)[:, 0].tobytes()
    with pytest.raises(ValueError, match="no accuracy"):
        net.accuracy(plane.X_test, plane.y_test)
    with pytest.raises(ValueError, match="finite target values"):
        net.loss_value(plane.X_test[:2], [0.5, np.inf])


@pytest.mark.parametrize("hidden, activation", [((), "tanh"), ((5,), "tanh"), ((4, 3), "relu"), ((3,), "elu")])
def test_identity_and_squared_error_gradients_agree_with_central_differences(multigauss, hidden, activation):
    net = Network([2, *hidden, 1], activation=activation, task="regression", seed=1)
    errors = gradient_check(net, multigauss.X_train[:25], multigauss.y_train[:25], l2=0.3, l1=0.05)
    assert max(errors) < 1e-7, errors


def test_the_trainer_refuses_a_network_made_for_the_other_task(plane):
    with pytest.raises(ValueError, match="the data is a regression problem but the network is made for classification"):
        Trainer(Network([2, 3, 2], output="identity", loss="mse"), plane)
    moons = load_dataset("moons")
    with pytest.raises(ValueError, match="classification problem but the network is made for regression"):
        Trainer(Network([2, 1], task="regression"), moons)


# --- learning the two datasets, and the figures of each epoch --------------------------------------------


@pytest.mark.parametrize("name, hidden, settings, epochs", [
    ("plane", (), dict(lr=0.1), 300),
    ("multigauss", (8, 8), dict(lr=0.01, optimizer="adam"), 1000),
])
def test_plane_and_multigauss_are_learned_to_an_r2_of_at_least_0_8_on_test(name, hidden, settings, epochs):
    data = load_dataset(name, seed=0)
    trainer = Trainer(Network.for_data(data, hidden, seed=0), data, **settings)
    trainer.run(epochs)
    last = trainer.history[-1]
    assert trainer.diverged is None
    assert last["test_r2"] >= 0.8 and last["train_r2"] >= 0.8
    assert last["test_r2"] == pytest.approx(r2_score(data.y_test, trainer.net.predict(data.X_test)), abs=1e-12)


def test_history_rows_carry_mse_and_r2_and_no_accuracy(plane):
    trainer = Trainer(Network.for_data(plane, (3,), seed=0), plane, lr=0.1)
    rows = trainer.run(20)
    net = trainer.net
    row = evaluate_row(net, plane, trainer.epoch)
    assert list(row) == ["epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy", *REGRESSION_METRICS]
    assert row["train_accuracy"] is None and row["test_accuracy"] is None
    for split, X, y in (("train", plane.X_train, plane.y_train), ("test", plane.X_test, plane.y_test)):
        predicted = net.predict(X)
        assert row[f"{split}_mse"] == pytest.approx(np.mean((predicted - y) ** 2), rel=1e-12)
        assert row[f"{split}_r2"] == pytest.approx(r2_score(y, predicted), rel=1e-12)
        assert row[f"{split}_mse"] == pytest.approx(2 * row[f"{split}_loss"], rel=1e-12)  # loss: half the MSE
    for earlier in rows:  # the training figures are those of the epoch's pass; mse is twice its loss
        assert earlier["train_mse"] == pytest.approx(2 * earlier["train_loss"], rel=1e-12)
        assert earlier["test_r2"] == pytest.approx(1 - earlier["test_mse"] / np.var(plane.y_test), rel=1e-12)
    assert evaluate(net, plane.X_test, plane.y_test)[1] == row["test_mse"]
    start = first_row(Network.for_data(plane, (3,), seed=0), plane)
    assert start.epoch == 0 and start["train_r2"] < rows[-1]["train_r2"]


def test_mini_batches_score_the_pass_too(multigauss):
    trainer = Trainer(Network.for_data(multigauss, (6,), seed=0), multigauss, lr=0.05, batch_size=16)
    (row,) = trainer.run(1)
    assert row["train_mse"] == pytest.approx(2 * row["train_loss"], rel=1e-12)
    assert row["train_accuracy"] is None and -5 < row["train_r2"] < 1


def test_no_test_rows_gives_no_test_figures():
    data = load_dataset("plane", test_fraction=0)
    (row,) = Trainer(Network.for_data(data, ()), data).run(1)
    assert row["test_loss"] is None and row["test_mse"] is None and row["test_r2"] is None


# --- divergence: guessing is predicting the mean ------------------------------------------------------------


def test_chance_is_predicting_the_mean(plane):
    net = Network.for_data(plane, ())
    Y = net.targets(plane.y_train)
    assert chance_loss(net, Y) == pytest.approx(np.var(plane.y_train) / 2, rel=1e-12)
    shifted = Network.for_data(plane, ()).targets(plane.y_train + 5.0)  # targets outside [0, 1] are not clipped
    assert chance_loss(net, shifted) == pytest.approx(np.var(plane.y_train) / 2, rel=1e-9)


def test_a_diverging_regression_is_stopped_and_rolled_back(plane):
    trainer = Trainer(Network.for_data(plane, (8,), seed=0), plane, lr=10)
    trainer.run(100)
    divergence = trainer.diverged
    assert divergence is not None
    assert "predicting the mean of the targets costs" in divergence.message
    assert f"R² {divergence.restored['train_r2']:.3f}" in divergence.message
    assert evaluate(trainer.net, plane.X_train, plane.y_train) == (divergence.restored.train_loss,
                                                                   divergence.restored["train_mse"])


# --- the boundary is the predicted value ---------------------------------------------------------------------


def test_the_boundary_of_a_regression_is_its_predicted_value(plane):
    net = randomised(Network([2, 4, 1], task="regression"))
    grid = plane_for(plane, resolution=20)
    values = decision_boundary(net, grid)
    assert values.shape == (20, 20, 1)
    assert values[:, :, 0].tobytes() == net.predict(grid.points).reshape(20, 20).tobytes()


# --- save, load, export ---------------------------------------------------------------------------------------


def test_a_saved_regression_loads_as_one(tmp_path, plane):
    net = randomised(Network([2, 3, 1], task="regression"))
    net.save(tmp_path / "r.npz", data=plane)
    twin = Network.load(tmp_path / "r.npz")
    assert twin.task == "regression" and twin.config() == net.config()
    assert twin.card.class_names == () and twin.card.feature_names == ("x1", "x2")
    assert twin.predict(plane.X).tobytes() == net.predict(plane.X).tobytes()
    assert from_json(to_json(net, plane)).predict(plane.X).tobytes() == net.predict(plane.X).tobytes()


def test_a_model_file_with_class_names_for_a_regression_is_refused(tmp_path):
    net = Network([2, 1], task="regression")
    from engine.model_card import ModelCard

    with pytest.raises(ValueError, match="class_names lists 2 names for 0 classes"):
        net.save(tmp_path / "r.npz", data=ModelCard(class_names=("a", "b")))


def test_the_exported_script_prints_the_predicted_values(tmp_path, multigauss):
    net = randomised(Network([2, 5, 1], task="regression", seed=0))
    script = tmp_path / "predict.py"
    script.write_text(to_python(net, multigauss), encoding="utf-8")
    raw = multigauss.mean + multigauss.scale * np.random.default_rng(2).uniform(-2, 2, (200, 2))
    text = "x1,x2\n" + "".join(f"{a!r},{b!r}\n" for a, b in raw.tolist())
    expected = net.predict((raw - multigauss.mean) / multigauss.scale)
    lines = subprocess.run([sys.executable, str(script), "-"], input=text, capture_output=True, text=True,
                           timeout=60)
    assert lines.returncode == 0, lines.stderr
    assert np.array(lines.stdout.split(), dtype=float).tobytes() == expected.tobytes()
    proba = subprocess.run([sys.executable, str(script), "--proba", "-"], input=text, capture_output=True,
                           text=True, timeout=60)
    rows = list(csv.reader(io.StringIO(proba.stdout)))
    assert rows[0] == ["value"] and np.array(rows[1:], dtype=float)[:, 0].tobytes() == expected.tobytes()


# --- CSV -------------------------------------------------------------------------------------------------------

HOUSES = "rooms,age,price\n" + "".join(f"{r},{a},{50 + 20 * r - a / 2}\n" for r, a in
                                          [(1 + i % 5, (7 * i) % 40) for i in range(40)])


def test_load_csv_reads_a_numeric_target_for_regression():
    data = load_csv(io.StringIO(HOUSES), target="price", task="regression", test_fraction=0.25)
    assert data.task == "regression" and data.class_names == [] and data.feature_names == ["rooms", "age"]
    assert data.y.dtype == np.float64 and len(data.y_test) == 10
    raw = data.X * data.scale + data.mean
    np.testing.assert_allclose(data.y, 50 + 20 * raw[:, 0] - raw[:, 1] / 2, rtol=1e-12)
    classes = load_csv(io.StringIO(HOUSES), target="rooms")
    assert classes.task == "classification" and classes.class_names == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("text, message", [
    ("a,y\n1,2\n2,cheap\n", "non-numeric value 'cheap' in column 'y' on line 3"),
    ("a,y\n1,2\n2,\n3,4\n", "missing value '' (empty or NaN) in column 'y' on line 3"),
    ("a,y\n1,2\n2,NA\n", "missing value 'NA' (empty or NaN) in column 'y' on line 3"),
    ("a,y\n1,3\n2,3\n3,3\n", "the target column 'y' has a single value (3); a regression needs targets that vary"),
    ("a,y\n1,2\n2,1e300\n", "value '1e300' in column 'y' on line 3 is too large"),
    ("a,y\n", "header row but no data rows"),
    ("a,y\n1,2,3\n", "line 2 has 3 values but the header has 2 columns"),
])
def test_bad_regression_targets_are_refused_by_line_and_column(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_csv(io.StringIO(text), task="regression")


def test_load_csv_refuses_an_unknown_task():
    with pytest.raises(ValueError, match="unknown task 'clustering'"):
        load_csv(io.StringIO(HOUSES), task="clustering")


# --- the command line ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["--dataset", "plane", "--hidden", "--epochs", "300"],
    ["--dataset", "multigauss", "--hidden", "8", "8", "--optimizer", "adam", "--lr", "0.01", "--epochs", "1000"],
])
def test_cli_json_prints_mse_and_r2(capsys, argv):
    assert main(["train", *argv, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(REGRESSION_METRICS) <= set(result)
    assert result["test_r2"] >= 0.8 and result["train_r2"] >= 0.8
    assert result["train_mse"] == pytest.approx(2 * result["train_loss"], rel=1e-12)
    assert result["train_accuracy"] is None and result["test_accuracy"] is None
    assert result["task"] == "regression" and result["output"] == "identity" and result["loss"] == "mse"
    assert result["sizes"][-1] == 1 and result["class_names"] == []


def test_cli_json_of_a_classification_has_no_regression_figures(capsys):
    assert main(["train", "--epochs", "3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["task"] == "classification" and not set(REGRESSION_METRICS) & set(result)


def test_cli_table_shows_mse_and_r2_and_trains_a_csv_regression(tmp_path):
    path = tmp_path / "houses.csv"
    path.write_text(HOUSES)
    result = subprocess.run([sys.executable, "-m", "engine", "train", "--csv", str(path), "--target", "price",
                             "--task", "regression", "--hidden", "--lr", "0.1", "--epochs", "2000"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "a value to predict (regression)" in result.stdout
    header = next(line for line in result.stdout.splitlines() if "loss" in line and "MSE" in line)
    assert header.split() == ["loss", "MSE", "R²"]
    test_line = next(line for line in result.stdout.splitlines() if line.startswith("test"))
    assert float(test_line.split()[-1]) > 0.99  # a linear target, learned by a linear model


@pytest.mark.parametrize("argv, message", [
    (["--dataset", "plane", "--task", "classification"], "error: argument --task: plane is a regression dataset"),
    (["--dataset", "plane", "--output", "sigmoid"], "error: head 'sigmoid:log_loss' does not fit plane's target"),
    (["--task", "ranking"], "error: argument --task: invalid choice: 'ranking'"),
])
def test_cli_refuses_a_task_or_head_that_does_not_fit(capsys, argv, message):
    assert main(["train", "--epochs", "1", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_cli_saves_and_exports_a_regression(tmp_path, capsys, plane):
    assert main(["train", "--dataset", "plane", "--hidden", "--epochs", "50", "--save", str(tmp_path / "p")]) == 0
    net = Network.load(tmp_path / "p.npz")
    assert net.task == "regression" and net.card.class_names == ()
    assert main(["export", str(tmp_path / "p.npz"), "-o", str(tmp_path / "predict.py")]) == 0
    raw = plane.X * plane.scale + plane.mean
    text = "x1,x2\n" + "".join(f"{a!r},{b!r}\n" for a, b in raw.tolist())
    printed = subprocess.run([sys.executable, str(tmp_path / "predict.py"), "-"], input=text, capture_output=True,
                             text=True, timeout=60)
    assert np.array(printed.stdout.split(), dtype=float).tobytes() == net.predict(net.card.standardise(raw)).tobytes()
