"""The command line, ``python -m engine train``: output, saving, CSV input and bad arguments."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import Network, load_dataset
from engine.cli import main

REPO = Path(__file__).resolve().parents[1]
MOONS = ["train", "--dataset", "moons", "--hidden", "8", "--activation", "tanh", "--lr", "0.5", "--seed", "0"]
KEYS = {"train_loss", "test_loss", "train_accuracy", "test_accuracy", "epochs", "diverged"}


def run_json(capsys, *argv):
    status = main(list(argv) + ["--json"])
    out, err = capsys.readouterr()
    assert err == ""
    assert out.count("\n") == 1
    return status, json.loads(out)


def test_json_has_the_keys_and_learns_moons(capsys):
    status, result = run_json(capsys, *MOONS, "--epochs", "300")
    assert status == 0
    assert KEYS <= set(result)
    assert result["diverged"] is None
    assert result["epochs"] == 300
    assert result["train_accuracy"] >= 0.9
    assert 0.5 <= result["test_accuracy"] <= 1.0
    assert 0 < result["train_loss"] < 0.5 and 0 < result["test_loss"] < 1.0
    assert result["dataset"] == "moons" and result["sizes"] == [2, 8, 1]
    assert (result["n_train"], result["n_test"]) == (140, 60)


def test_text_output_names_losses_and_accuracies(capsys):
    assert main([*MOONS, "--epochs", "50"]) == 0
    out, err = capsys.readouterr()
    assert err == ""  # capsys' stderr is not a terminal: no progress bar
    lines = out.splitlines()
    assert any("loss" in line and "accuracy" in line for line in lines)
    train = next(line for line in lines if line.startswith("train "))
    test = next(line for line in lines if line.startswith("test "))
    assert "%" in train and "%" in test
    assert "moons" in out and "[2, 8, 1]" in out


def test_default_output_layers(capsys):
    _, binary = run_json(capsys, "train", "--dataset", "xor", "--hidden", "--epochs", "1")
    assert binary["sizes"] == [2, 1] and binary["output"] == "sigmoid" and binary["loss"] == "log_loss"
    _, iris = run_json(capsys, "train", "--dataset", "iris", "--hidden", "0", "--epochs", "1")
    assert iris["sizes"] == [4, 3] and iris["output"] == "softmax" and iris["loss"] == "cross_entropy"
    _, softmax = run_json(capsys, "train", "--output", "softmax", "--hidden", "4", "4", "--epochs", "1")
    assert softmax["sizes"] == [2, 4, 4, 2]


def test_options_reach_the_trainer(capsys):
    status, result = run_json(capsys, *MOONS, "--epochs", "5", "--optimizer", "adam", "--lr", "0.01",
                              "--batch-size", "32", "--l2", "0.1", "--l1", "0.01", "--init", "he",
                              "--no-bias", "--samples", "100", "--noise", "0.1", "--test-fraction", "0")
    assert status == 0
    assert (result["optimizer"], result["lr"], result["batch_size"]) == ("adam", 0.01, 32)
    assert (result["l2"], result["l1"], result["init"], result["bias"]) == (0.1, 0.01, "he", False)
    assert (result["n_train"], result["n_test"]) == (100, 0)
    assert result["test_loss"] is None and result["test_accuracy"] is None


def test_save_writes_a_model_that_reproduces_the_accuracy(capsys, tmp_path):
    path = tmp_path / "moons.npz"
    status, result = run_json(capsys, *MOONS, "--epochs", "100", "--save", str(path))
    assert status == 0 and result["saved"] == str(path)
    net = Network.load(path)
    assert net.sizes == result["sizes"]
    data = load_dataset("moons", seed=0)
    assert net.accuracy(data.X_train, data.y_train) == result["train_accuracy"]
    assert net.accuracy(data.X_test, data.y_test) == result["test_accuracy"]
    assert net.loss_value(data.X_test, data.y_test) == pytest.approx(result["test_loss"])


def test_save_adds_the_npz_suffix(capsys, tmp_path):
    status, result = run_json(capsys, *MOONS, "--epochs", "1", "--save", str(tmp_path / "model"))
    assert status == 0 and Path(result["saved"]) == tmp_path / "model.npz"
    assert (tmp_path / "model.npz").is_file()


def test_csv_with_a_target_column(capsys, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    label = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    rows = [f"{a:.4f},{label[i]},{b:.4f},{c:.4f}" for i, (a, b, c) in enumerate(X)]
    path = tmp_path / "table.csv"
    path.write_text("a,label,b,c\n" + "\n".join(rows) + "\n")
    status, result = run_json(capsys, "train", "--csv", str(path), "--target", "label", "--hidden", "4",
                              "--epochs", "200", "--lr", "0.5")
    assert status == 0
    assert result["dataset"] == "table.csv" and result["class_names"] == ["no", "yes"]
    assert result["sizes"] == [3, 4, 1] and result["n_train"] + result["n_test"] == 60
    assert result["train_accuracy"] >= 0.9


def test_diverging_run_reports_it_and_exits_1(capsys, tmp_path):
    path = tmp_path / "diverged.npz"
    status, result = run_json(capsys, *MOONS, "--activation", "linear", "--lr", "10", "--epochs", "100",
                              "--save", str(path))
    assert status == 1
    assert isinstance(result["diverged"], str) and "diverged" in result["diverged"]
    assert result["epochs"] < 100
    assert result["saved"] is None and not path.exists()


def test_diverging_run_text_says_so(capsys):
    assert main([*MOONS, "--activation", "linear", "--lr", "10", "--epochs", "100"]) == 1
    assert "diverged" in capsys.readouterr().out


@pytest.fixture
def bad_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x,y,label\n1,2,a\n3,oops,b\n")
    return str(path)


@pytest.mark.parametrize("argv, word", [
    (["--dataset", "nope"], "dataset"),
    (["--lr", "0"], "--lr"),
    (["--lr", "-0.5"], "--lr"),
    (["--lr", "inf"], "--lr"),
    (["--epochs", "-1"], "--epochs"),
    (["--csv"], "--csv"),
    (["--csv", "/no/such/file.csv"], "cannot read"),
    (["--csv", "BAD_CSV"], "non-numeric"),
    (["--csv", "BAD_CSV", "--target", "nope"], "target"),
    (["--hidden", "8", "0"], "--hidden"),
    (["--hidden", "4097"], "--hidden"),
    (["--hidden", *["2"] * 21], "layers"),
    (["--hidden", "x"], "--hidden"),
    (["--save", "/no/such/dir/model.npz"], "directory"),
    (["--samples", "3"], "n_samples"),
    (["--test-fraction", "1.5"], "test_fraction"),
    (["--target", "label"], "--csv"),
    (["--output", "identity", "--loss", "log_loss"], "loss"),
    (["--batch-size", "0"], "--batch-size"),
    (["--dataset", "moons", "--csv", "x.csv"], "not allowed"),
    (["--frobnicate"], "unrecognized"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, bad_csv, argv, word):
    argv = [bad_csv if arg == "BAD_CSV" else arg for arg in argv]
    if "--epochs" not in argv:
        argv += ["--epochs", "1"]
    assert main(["train", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert word in err and "Traceback" not in err


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_help_exits_0(capsys):
    assert main(["train", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--dataset" in out and "exit status" in out


def test_module_entry_point():
    """One real ``python -m engine`` (the import of scikit-learn makes it the slowest test)."""
    done = subprocess.run([sys.executable, "-m", "engine", "train", "--epochs", "20", "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert KEYS <= set(json.loads(done.stdout))


# --- registries: an activation and a dataset added at run time reach the command line ----------


def softsign(Z):
    Z /= 1.0 + np.abs(Z)
    return Z


def softsign_derivative(A, delta, work):
    """g'(z) = 1 / (1 + |z|)² = (1 - |A|)²."""
    np.abs(A, out=work)
    np.subtract(1.0, work, out=work)
    work *= work
    delta *= work


def stripes(n_samples, noise, seed):
    """Four vertical stripes on [-1, 1]², alternating classes."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = np.floor((X[:, 0] + 1.0) * 2).astype(np.int64) % 2
    return X + noise * rng.standard_normal(X.shape), y


@pytest.fixture
def registered(monkeypatch):
    from engine.activations import ACTIVATIONS, Activation
    from engine.datasets import DATASETS, DatasetSpec

    monkeypatch.setitem(ACTIVATIONS, "softsign",
                        Activation("softsign", "softsign", softsign, softsign_derivative, bounded=True))
    monkeypatch.setitem(DATASETS, "stripes",
                        DatasetSpec("stripes", "Stripes", stripes, 300, 0.02, None, ("0", "1"), ("x1", "x2")))


def test_a_registered_activation_and_dataset_appear_in_the_help(capsys, registered):
    assert main(["train", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "{tanh,relu,leaky_relu,elu,sigmoid,linear,softsign}" in out
    assert "stripes: Stripes, 300 rows, noise 0.02" in out
    assert "tanh, sigmoid and softsign are bounded" in out


def test_a_registered_activation_and_dataset_train(capsys, registered):
    from engine import Network, gradient_check, load_dataset

    data = load_dataset("stripes", seed=0)
    net = Network([2, 5, 1], activation="softsign", seed=0)
    assert max(gradient_check(net, data.X_train[:20], data.y_train[:20])) < 1e-7
    status, result = run_json(capsys, "train", "--dataset", "stripes", "--activation", "softsign", "--hidden", "16",
                              "--optimizer", "adam", "--lr", "0.03", "--epochs", "400")
    assert status == 0 and result["dataset"] == "stripes" and result["activation"] == "softsign"
    assert result["n_train"] + result["n_test"] == 300
    assert result["train_accuracy"] > 0.95 and result["test_accuracy"] > 0.9


def test_without_registration_the_names_are_refused(capsys):
    assert main(["train", "--dataset", "stripes", "--epochs", "1"]) == 2
    assert main(["train", "--activation", "softsign", "--epochs", "1"]) == 2
    assert "invalid choice" in capsys.readouterr().err
