"""A regression target in its own units (issue 7): a table of prices in the 100,000s trains at the
app's default learning rate because the network learns the standardised target, and everything the
user reads is in the target's units: predictions, MSE, R², the value scale, the history, the saved
model, the JSON, the exported script and an imported model."""

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import r2_score
from streamlit.testing.v1 import AppTest

from engine import Network, Trainer, load_csv, load_dataset
from engine.boundary import decision_boundary, plane_for
from engine.evaluation import evaluate, first_row
from engine.export import from_json, to_json, to_python
from engine.model_file import FORMAT, VERSION
from playground import downloads, frames, settings
from playground.model import Model
from playground.player import Player

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")
DEFAULT_LR = settings.LR.default  # the app's learning rate before anyone moves it (0.3, SGD, full batch)


def prices_csv(rows: int = 300, seed: int = 0) -> bytes:
    """Prices ~ 2e5 +- 5e4: a noisy linear function of the area and the rooms."""
    rng = np.random.default_rng(seed)
    area, rooms = rng.uniform(50, 250, rows), rng.integers(1, 7, rows)
    price = 2e5 + 800 * (area - 150) + 5000 * (rooms - 3.5) + rng.normal(0, 1e4, rows)
    lines = "".join(f"{a:.1f},{r},{p:.0f}\n" for a, r, p in zip(area, rooms, price))
    return ("area,rooms,price\n" + lines).encode()


@pytest.fixture(scope="module")
def prices():
    return load_csv(prices_csv(), target="price", task="regression")


@pytest.fixture(scope="module")
def trained(prices):
    trainer = Trainer(Network.for_data(prices, (8,), seed=0), prices, lr=DEFAULT_LR)
    trainer.run(200)
    return trainer


def test_the_dataset_carries_the_targets_standardisation_and_keeps_them_in_their_units(prices):
    assert prices.target_mean == pytest.approx(prices.y_train.mean(), rel=1e-12)
    assert prices.target_scale == pytest.approx(prices.y_train.std(), rel=1e-12)
    assert 1.5e5 < prices.target_mean < 2.5e5 and 3e4 < prices.target_scale < 7e4
    assert prices.y.min() > 5e4 and prices.y.max() > 2.5e5  # the targets stay in their own units
    edited = prices.with_training_rows(np.zeros((1, 2)), [123456.0])
    assert (edited.target_mean, edited.target_scale) == (prices.target_mean, prices.target_scale)
    unscaled = load_csv(prices_csv(), target="price", task="regression", standardize=False)
    assert (unscaled.target_mean, unscaled.target_scale) == (0.0, 1.0)
    assert (load_dataset("moons").target_mean, load_dataset("moons").target_scale) == (0.0, 1.0)


def test_a_bad_target_standardisation_is_refused(prices):
    from engine.datasets import Dataset

    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="target_scale finite and > 0"):
        Dataset("r", X, [1, 2, 3, 4], X[:0], [], [], ["a", "b"], np.zeros(2), np.ones(2), "regression", 0.0, 0.0)
    with pytest.raises(ValueError, match="no target standardisation"):
        Dataset("c", X, [0, 1, 0, 1], X[:0], [], ["a", "b"], ["a", "b"], np.zeros(2), np.ones(2), "classification",
                5.0, 2.0)
    with pytest.raises(ValueError, match="only a regression network"):
        Network([2, 1], target_mean=3.0)
    with pytest.raises(ValueError, match="target_scale finite and > 0"):
        Network([2, 1], task="regression", target_scale=-1.0)


def test_prices_train_at_the_apps_default_learning_rate(prices, trained):
    assert trained.diverged is None
    last = trained.history[-1]
    assert last["test_r2"] >= 0.9 and last["train_r2"] >= 0.9
    net = trained.net
    assert (net.target_mean, net.target_scale) == (prices.target_mean, prices.target_scale)
    # without the target's standardisation the same network at the same rate diverges
    raw_target = Trainer(Network([2, 8, 1], task="regression", seed=0), prices, lr=DEFAULT_LR)
    raw_target.run(200)
    assert raw_target.diverged is not None


def test_predictions_mse_loss_and_r2_are_in_the_targets_units(prices, trained):
    net, last = trained.net, trained.history[-1]
    predicted = net.predict(prices.X_test)
    assert 1e5 < np.median(predicted) < 3e5
    assert predicted.tobytes() == net.forward(prices.X_test)[:, 0].tobytes()
    mse = np.mean((predicted - prices.y_test) ** 2)
    assert last["test_mse"] == pytest.approx(mse, rel=1e-9) and mse > 1e7  # squared dollars
    assert last["test_loss"] == pytest.approx(mse / 2, rel=1e-9)  # the loss is half the MSE, in the same units
    assert last["test_r2"] == pytest.approx(r2_score(prices.y_test, predicted), rel=1e-9)
    assert evaluate(net, prices.X_test, prices.y_test) == pytest.approx((mse / 2, mse), rel=1e-9)
    start = first_row(Network.for_data(prices, (8,), seed=0), prices)
    assert start["train_mse"] == pytest.approx(2 * start["train_loss"], rel=1e-12)
    # the loss the network descends is the standardised target's
    assert net.loss_value(prices.X_test, prices.y_test) == pytest.approx(mse / 2 / prices.target_scale ** 2,
                                                                         rel=1e-9)


def test_the_boundary_and_its_value_scale_are_in_the_targets_units(prices, trained):
    net = trained.net
    grid = plane_for(prices, resolution=12)
    values = decision_boundary(net, grid)[:, :, 0]
    assert values.tobytes() == net.predict(grid.points).reshape(12, 12).tobytes()
    low, high = frames.value_range(prices)
    assert (low, high) == (prices.y.min(), prices.y.max())
    assert low <= np.median(values) <= high


def test_the_saved_model_json_and_script_carry_the_target(tmp_path, prices, trained):
    net = trained.net
    buffer = io.BytesIO()
    net.save(buffer, data=prices)
    twin = Network.load(buffer.getvalue())
    assert (twin.target_mean, twin.target_scale) == (net.target_mean, net.target_scale)
    assert twin.config() == net.config() and twin.config()["target_scale"] == prices.target_scale
    assert twin.predict(prices.X).tobytes() == net.predict(prices.X).tobytes()
    from_text = from_json(to_json(net, prices))
    assert json.loads(to_json(net, prices))["target_mean"] == prices.target_mean
    assert from_text.predict(prices.X).tobytes() == net.predict(prices.X).tobytes()
    script = tmp_path / "predict.py"
    script.write_text(to_python(net, prices))
    raw = prices.raw(prices.X)
    text = "area,rooms\n" + "".join(f"{a!r},{b!r}\n" for a, b in raw.tolist())
    printed = subprocess.run([sys.executable, str(script), "-"], input=text, capture_output=True, text=True,
                             timeout=60)
    assert printed.returncode == 0, printed.stderr
    values = np.array(printed.stdout.split(), dtype=float)
    assert values.tobytes() == net.predict(prices.standardized(raw)).tobytes()
    assert 1e5 < np.median(values) < 3e5


def test_a_model_file_refuses_a_target_where_it_does_not_belong(prices):
    from engine import model_file

    def header(**changes):
        return dict(Network([2, 1]).config(), format=FORMAT, version=VERSION, **changes)

    with pytest.raises(ValueError, match="target_mean belongs to a regression network only"):
        model_file.check_header(header(target_mean=1.0))
    regression = dict(Network([2, 1], task="regression").config(), format=FORMAT, version=VERSION)
    with pytest.raises(ValueError, match="target_scale must be > 0"):
        model_file.check_header({**regression, "target_scale": 0})
    with pytest.raises(ValueError, match="target_mean must be a finite number"):
        model_file.check_header({**regression, "target_mean": "lots"})
    old = {key: value for key, value in regression.items() if not key.startswith("target")}
    assert "target_mean" not in model_file.check_header(old)  # a file from before loads as unscaled


def test_an_imported_regression_keeps_its_files_target_standardisation(prices):
    """Import weights: the network answers with the file's target mean and scale, even on data
    whose split fitted others."""
    data_cfg, net_cfg, train_cfg, _ = settings.configs({"problem": "regression", "dataset": "plane"})
    player = Player(Model(data_cfg, net_cfg, train_cfg))
    saved = player.model.net.copy()
    saved.target_mean, saved.target_scale = 1000.0, 250.0
    state = {"problem": "regression", "dataset": "plane"}
    model = downloads.install(player, saved, {**state, **downloads.control_values(saved, player.model.data, state)})
    model = model.model
    assert (model.net.target_mean, model.net.target_scale) == (1000.0, 250.0)
    X = model.data.X_test
    assert model.net.predict(X).tobytes() == saved.predict(X).tobytes()
    assert model.trainer.net is model.net
    assert model.row["test_mse"] == pytest.approx(np.mean((saved.predict(X) - model.data.y_test) ** 2), rel=1e-9)


# --- the app, through the upload -------------------------------------------------------------------------


def test_an_uploaded_price_table_trains_at_the_default_settings_without_diverging():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.file_uploader(key="upload_file").set_value(("houses.csv", prices_csv(), "text/csv")).run()
    at.run()
    at.radio(key="upload_problem").set_value("regression").run()
    at.button(key="upload_use").click().run()
    at.run()
    assert not at.exception and not at.error
    model = at.session_state["pg"].model
    assert model.data.task == "regression" and model.data.feature_names == ["area", "rooms"]
    assert model.train_cfg.lr == DEFAULT_LR
    model.train(epochs=200)
    assert model.message is None and not model.diverged
    assert model.row["test_r2"] >= 0.9
    predicted = model.net.predict(model.data.X_test)
    assert model.row["test_mse"] == pytest.approx(np.mean((predicted - model.data.y_test) ** 2), rel=1e-9)
    history = downloads.history_csv(at.session_state["pg"], None).splitlines()
    columns = history[0].split(",")
    last = dict(zip(columns, history[-1].split(",")))
    assert float(last["test_mse"]) == pytest.approx(model.row["test_mse"], rel=1e-6)
    at.run()
    assert not at.exception and not at.error
    header, _ = frames.unpack(model_payload(at))
    assert header["value_range"] == [model.data.y.min(), model.data.y.max()]


def model_payload(app) -> bytes:
    [element] = [e for e in app.main.get("bidi_component") if e.key == "nnpg-live"]
    return element.proto.bytes
