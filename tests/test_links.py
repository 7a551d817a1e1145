"""Share links: every control round-trips through a link; a bad link gives notices, never an
exception; locks disable controls; the same link reproduces the same run exactly."""

import random
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground import links, settings

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")


def random_state(rng: random.Random) -> dict:
    """A random valid value for every control that has one (the problem and the dataset first: they
    decide the others)."""
    state = {"problem": rng.choice(list(settings.PROBLEM.resolve("options", None)))}
    state["dataset"] = rng.choice(list(settings.DATASET.resolve("options", settings.Values(state).context)))
    ctx = settings.Values(state).context
    for control in settings.CONTROLS:
        if control.kind in ("button",) or control in (settings.PROBLEM, settings.DATASET):
            continue
        if control.kind == "pills":
            options = list(control.resolve("options", ctx))
            state[control.key] = rng.sample(options, rng.randint(1, len(options)))
        elif control.kind in ("select", "radio", "select_slider"):
            state[control.key] = rng.choice(list(control.resolve("options", ctx)))
        elif control.kind == "toggle":
            state[control.key] = rng.random() < 0.5
        elif control.kind == "slider":
            low, high = control.limits(ctx)
            steps = round((high - low) / control.step)
            state[control.key] = round(low + control.step * rng.randint(0, steps), 10)
        else:
            low, high = control.limits(ctx)
            state[control.key] = rng.randint(int(low), min(int(high), 10_000))
    return state


def test_defaults_make_an_empty_link():
    assert links.encode({}) == {}


@pytest.mark.parametrize("seed", range(40))
def test_every_control_round_trips(seed):
    state = random_state(random.Random(seed))
    params = links.encode(state)
    decoded = links.decode(params)
    assert decoded.notices == []
    assert settings.configs(decoded.updates) == settings.configs(state)
    assert links.encode(decoded.updates) == params


def test_hidden_carries_layers_and_sizes():
    decoded = links.decode({"hidden": "8,4"})
    assert decoded.updates == {"hidden_layers": 2, "neurons_1": 8, "neurons_2": 4}
    assert settings.configs(decoded.updates)[1].hidden == (8, 4)
    assert settings.configs(links.decode({"hidden": ""}).updates)[1].hidden == ()
    assert links.encode({"hidden_layers": 0}) == {"hidden": ""}


@pytest.mark.parametrize("params, name", [
    ({"lr": "fast"}, "lr=fast"), ({"lr": "0.5"}, "lr=0.5"), ({"hidden": "8,x"}, "hidden=8,x"),
    ({"hidden": "1,2,3,4,5,6,7"}, "hidden=1,2,3,4,5,6,7"), ({"hidden": "100"}, "hidden=100"),
    ({"dataset": "mnist"}, "dataset=mnist"), ({"samples": "1e9"}, "samples=1e9"), ({"noise": "nan"}, "noise=nan"),
    ({"seed": "-1"}, "seed=-1"), ({"seed": "1.5"}, "seed=1.5"), ({"show_test": "maybe"}, "show_test=maybe"),
    ({"x": "nope"}, "x=nope"), ({"wibble": "1"}, "'wibble'"),
])
def test_a_bad_value_is_a_notice_naming_it(params, name):
    decoded = links.decode(params)
    assert len(decoded.notices) == 1 and name in decoded.notices[0]
    assert decoded.updates == {}
    settings.configs(decoded.updates)  # and the defaults still make a valid run


def test_feature_names_are_read_for_the_linked_dataset():
    decoded = links.decode({"x": "sepal width (cm)", "dataset": "iris", "y": "petal width (cm)"})
    assert decoded.notices == []
    data = settings.configs(decoded.updates)[0]
    assert data.name == "iris" and data.plane == (1, 3)


def open_link(params: dict) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception
    return app


def step(app, times):
    for _ in range(times):
        app.button(key="step").click().run()
        app.run()
        assert not app.exception


def test_a_link_sets_the_controls_and_the_address_bar_follows():
    app = open_link({"dataset": "spiral", "hidden": "6,3", "lr": "0.03", "optimizer": "adam", "batch": "10",
                     "reg": "l2", "reg_rate": "0.01", "seed": "4", "activation": "relu"})
    model = app.session_state["pg"].model
    assert model.data.name == "spiral" and model.net.sizes == [2, 6, 3, 1] and model.net.activation == "relu"
    assert model.trainer.lr == 0.03 and model.trainer.optimizer == "adam" and model.trainer.batch_size == 10
    assert model.trainer.l2 == 0.01 and model.net.seed == 4
    assert not app.warning
    app.select_slider(key="lr").set_value(0.1).run()
    app.run()
    assert app.query_params["lr"] == "0.1" and app.query_params["hidden"] == "6,3"


def test_a_bad_link_shows_one_line_per_parameter_and_runs():
    app = open_link({"lr": "fast", "hidden": "8,x", "wibble": "1"})
    notices = [w.value for w in app.warning]
    assert len(notices) == 3 and any("lr=fast" in n for n in notices) and any("wibble" in n for n in notices)
    assert app.session_state["pg"].model.net.sizes == [2, 8, 1]


def test_locks_disable_controls_and_lock_all_hides_them():
    app = open_link({"lock": "lr,hidden"})
    assert app.select_slider(key="lr").disabled
    assert app.number_input(key="hidden_layers").disabled and app.number_input(key="neurons_1").disabled
    assert not app.selectbox(key="dataset").disabled
    app = open_link({"lock": "all"})
    assert not app.sidebar.selectbox and app.button(key="play") and app.button(key="step")


def test_the_same_link_reproduces_the_same_losses():
    params = {"dataset": "circles", "hidden": "5", "lr": "1", "batch": "20", "data_seed": "3", "seed": "9"}
    losses = []
    for _ in range(2):
        app = open_link(params)
        step(app, 10)
        model = app.session_state["pg"].model
        losses.append([row["train_loss"] for row in model.trainer.history])
    assert len(losses[0]) == 10 and losses[0] == losses[1]
