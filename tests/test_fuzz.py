"""A seeded random walk over every control of the app (AppTest): no action may raise or leave the
state inconsistent — extreme values, dataset switches while playing, Play/Step/Reset in any order,
uploads of good and bad files."""

import math
import random
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.heads import output_units
from playground import settings, user_data

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")
ACTIONS = 500
UPLOAD = "upload"  # an action besides the controls: a file into the sidebar's uploader, good or bad
_ROWS = [(i % 7 - 3, (i * 5) % 11 - 5, i % 3) for i in range(60)]
UPLOADS = (
    ("three.csv", ("a,b,kind\n" + "".join(f"{a},{b},k{c}\n" for a, b, c in _ROWS)).encode()),
    ("two.csv", ("id,x,y,label\n" + "".join(f"r{i},{a},{b},{c % 2}\n" for i, (a, b, c) in enumerate(_ROWS))).encode()),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256))),
    ("headerless.csv", b"0,0,0\n1,1,1\n" * 20),
)


def widget(app, control):
    finder = {"select": app.selectbox, "radio": app.radio, "slider": app.slider, "select_slider": app.select_slider,
              "number": app.number_input, "toggle": app.toggle, "button": app.button,
              "pills": app.button_group}[control.kind]
    return finder(key=control.key)


def random_value(rng, control, ctx):
    """A valid value, biased to the extremes of the control's domain."""
    if control.kind in ("select", "radio", "select_slider"):
        options = list(control.resolve("options", ctx))
        return rng.choice([options[0], options[-1], rng.choice(options)])
    if control.kind == "toggle":
        return rng.random() < 0.5
    if control.kind == "pills":  # several options, at least one
        options = list(control.resolve("options", ctx))
        return rng.sample(options, rng.choice([1, len(options), rng.randint(1, len(options))]))
    low, high = control.limits(ctx)
    if control.kind == "slider":
        steps = round((high - low) / control.step)
        return round(low + control.step * rng.choice([0, steps, rng.randint(0, steps)]), 10)
    return rng.choice([int(low), int(min(high, 64)), rng.randint(int(low), int(min(high, 64)))])


def check_consistent(app):
    assert not app.exception, [e.value for e in app.exception]
    player = app.session_state["pg"]
    model = player.model
    data_cfg, net_cfg, train_cfg, _ = settings.configs(app.session_state)
    if model.data_cfg == data_cfg:  # the model follows the controls (unless the controls' data was refused)
        inputs = len(net_cfg.inputs) if net_cfg.feature_map else model.data.n_features  # input features or the data's
        assert model.net.sizes == [inputs, *net_cfg.hidden, output_units(net_cfg.head, model.data.n_classes)]
        assert model.net.inputs == net_cfg.feature_map and model.net.task == model.data.task
        assert (model.net.activation, model.net.init) == (net_cfg.activation, net_cfg.init)
    history = model.trainer.history
    last = history[-1]["epoch"] if history else 0
    assert model.epoch == last + (1 if model.diverged else 0)  # the trainer counts the epoch that diverged
    assert [row["epoch"] for row in history] == list(range(last - len(history) + 1, last + 1))
    assert model.row["epoch"] == last
    assert model.curve.rows[0]["epoch"] == 0 and model.curve.rows[-1]["epoch"] <= model.epoch
    assert all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in model.net.params)
    if model.diverged:
        assert not player.playing and model.message
    if len(model.data.y_train):
        assert math.isfinite(model.row["train_loss"])
    else:  # a blank plane before its first point (user_data.BLANK): nothing trains, nothing is measured
        assert model.data.name == "blank" and model.row["train_loss"] is None and model.epoch == 0


@pytest.mark.parametrize("seed", [0])
def test_a_random_walk_over_every_control(seed):
    rng = random.Random(seed)
    app = AppTest.from_file(APP, default_timeout=60).run()
    check_consistent(app)
    controls = [c for c in settings.CONTROLS if c.kind != "state" and c.place]
    buttons = [settings.PLAY, settings.STEP, settings.RESET]
    done = 0
    while done < ACTIONS:
        ctx = settings.Values(app.session_state).context
        control = rng.choice(controls + buttons * 3 + [UPLOAD] * 2)
        if control == UPLOAD:
            name, content = rng.choice(UPLOADS)
            before = app.session_state[user_data.SESSION_KEY] if user_data.SESSION_KEY in app.session_state else None
            app.file_uploader(key="upload_file").set_value((name, content, "text/csv")).run()
            app.run()
            check_consistent(app)
            now = app.session_state[user_data.SESSION_KEY] if user_data.SESSION_KEY in app.session_state else None
            if name.endswith("ary.csv") or name.startswith("headerless"):  # refused: said, and nothing lost
                assert now is before and any(name in e.value.replace("\\", "") for e in app.error)
            else:
                assert now is not None and now.file_name == name
            done += 1
            continue
        found = widget(app, control)
        if found.disabled:
            continue
        if control.kind == "button":
            found.click().run()
        else:
            found.set_value(random_value(rng, control, ctx)).run()
        app.run()
        check_consistent(app)
        done += 1
