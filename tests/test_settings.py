"""The control table (playground/settings.py): one declaration per control, the configs built from
it, and the menus built from the engine's registries."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.activations import ACTIVATIONS
from engine.datasets import DATASETS
from playground import settings
from playground.config import DataConfig, NetConfig, TrainConfig, ViewConfig

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")


def test_every_key_and_link_name_is_declared_once():
    keys = [c.key for c in settings.CONTROLS]
    links = [c.link for c in settings.CONTROLS if c.link]
    assert len(keys) == len(set(keys)) and len(links) == len(set(links))
    assert {"dataset", "samples", "noise", "test", "data_seed", "x", "y", "all_features", "hidden", "activation",
            "head", "init", "seed", "lr", "optimizer", "batch", "reg", "reg_rate", "speed", "show_test",
            "discretize"} <= set(links)
    for control in settings.CONTROLS:
        assert control.part in settings.PARTS
        for dataset in DATASETS:
            ctx = settings.Values({"dataset": dataset}).context
            if control.kind in ("slider", "number"):
                low, high = control.limits(ctx)
                assert low <= control.resolve("default", ctx) <= high


def test_defaults_give_the_default_configs():
    data, net, train, view = settings.configs({})
    assert data == DataConfig("moons", 200, 0.2, 0.3, 0, (0, 1), False)
    assert net == NetConfig((8,), "tanh", "sigmoid:log_loss", "xavier", 0)
    assert train == TrainConfig(0.3, "sgd", None, "none", 0.0)
    assert view == ViewConfig(60.0, False, False)


def test_values_follow_the_dataset_and_architecture():
    data, net, train, view = settings.configs({
        "dataset": "iris", "n_samples": 400, "noise": 2.0, "plane_x": "sepal width (cm)", "plane_y": "sepal width (cm)",
        "hidden_layers": 2, "neurons_1": 5, "neurons_2": 3, "neurons_3": 9, "head": "sigmoid:log_loss",
        "reg": "none", "reg_rate": 0.1, "batch": 20, "speed": "max",
    })
    assert data.n_samples == 150  # iris has 150 flowers
    assert data.noise == 0.0  # measured data: no noise added
    assert data.plane[0] == 1 and data.plane[1] != 1  # the same feature twice falls back to another axis
    assert net.hidden == (5, 3)  # layer 3's 9 neurons are not used with 2 hidden layers
    assert net.head == "softmax:cross_entropy"  # a binary head is not offered for 3 classes
    assert train.reg_rate == 0.0 and train.batch_size == 20 and view.speed is None


@pytest.mark.parametrize("bad", [{"lr": 0.5}, {"lr": "fast"}, {"hidden_layers": 99}, {"dataset": "mnist"},
                                 {"n_samples": float("nan")}, {"optimizer": None}, {"activation": "gelu"}])
def test_invalid_values_fall_back_to_valid_ones(bad):
    data, net, train, view = settings.configs(bad)
    assert train.lr in settings.LEARNING_RATES and data.name in DATASETS
    assert len(net.hidden) <= settings.MAX_LAYERS and net.activation in ACTIVATIONS
    assert 20 <= data.n_samples <= 1000


def test_an_engine_registration_reaches_the_app_menus(monkeypatch):
    """Adding an activation or a dataset is a change to one engine file: the menus follow."""
    monkeypatch.setitem(ACTIVATIONS, "softsign", replace(ACTIVATIONS["tanh"], name="softsign", label="softsign"))
    monkeypatch.setitem(DATASETS, "moons_copy", replace(DATASETS["moons"], name="moons_copy", label="Moons again"))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "softsign" in app.selectbox(key="activation").options
    assert "Moons again" in app.selectbox(key="dataset").options
    app.selectbox(key="activation").set_value("softsign").run()
    app.run()  # a control reruns only the live fragment: redraw the page, as test_app's act() does
    app.selectbox(key="dataset").set_value("moons_copy").run()
    app.run()
    assert not app.exception and not app.error
    model = app.session_state["pg"].model
    assert model.net.activation == "softsign" and model.data.name == "moons_copy"
    assert np.isfinite(model.row["train_loss"])


def test_the_bias_control_builds_a_network_without_biases():
    """Biases off (link ``bias=0``): every layer's bias stays zero and is no parameter, as in the
    iris lesson's from-scratch network; on is the default."""
    from playground.model import Model

    on = settings.configs({})
    assert on[1].bias is True
    data_cfg, net_cfg, train_cfg, _ = settings.configs({settings.BIAS.key: False})
    assert net_cfg.bias is False
    model = Model(data_cfg, net_cfg, train_cfg)
    assert model.net.bias is False
    assert model.net.n_params == sum(W.size for W, _ in model.net.params)
    model.train(epochs=5)
    assert all(not b.any() for _, b in model.net.params)
    assert Model(*on[:3]).net.n_params > model.net.n_params
