"""Lessons and Compare runs in the app, driven headless by AppTest: each lesson opens, runs to its
end and its verdict (measured on the app's own trained networks) passes and agrees with the
engine's; opening one sets the controls; runs can be pinned and compared."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from engine.lessons import lessons, run_lesson
from playground import compare

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")
LESSONS = lessons()


def start(**query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception
    return app


def block(app: AppTest, key: str) -> Block:
    """The container with ``key``."""

    def find(node):
        if isinstance(node, Block) and getattr(getattr(node, "proto", None), "id", "").endswith(f"-{key}"):
            return node
        for child in getattr(node, "children", {}).values():
            found = find(child)
            if found is not None:
                return found
        return None

    found = find(app._tree)
    assert found is not None, f"no container {key!r}"
    return found


def text(node) -> str:
    """The words of every element inside ``node``."""
    if isinstance(node, Block):
        return "\n".join(text(child) for child in node.children.values())
    value = getattr(node, "value", None)
    return value if isinstance(value, str) else ""


def verdict_text(app: AppTest) -> str:
    return text(block(app, "lesson-verdict"))


def act(app: AppTest, widget) -> None:
    """A widget change as the browser makes it, then the whole page (a control reruns only the live view)."""
    widget.run()
    assert not app.exception
    app.run()
    assert not app.exception


def run(app: AppTest) -> None:
    act(app, app.button(key="lesson_run").click())


def model(app: AppTest):
    return app.session_state["pg"].model


@pytest.mark.parametrize("name", list(LESSONS))
def test_each_lesson_runs_in_the_app_and_its_verdict_passes(name):
    app = start()
    app.selectbox(key="lesson_pick").set_value(name).run()
    assert not app.exception
    assert "once the lesson has run" in verdict_text(app)
    run(app)
    words = verdict_text(app)
    assert "Passed" in words and "Not yet" not in words, words
    shown = app.session_state["lesson_result"]
    assert shown.verdict.passed
    engine = run_lesson(LESSONS[name]).verdict
    assert shown.verdict.measured == engine.measured  # the app's trained networks measure as the engine's
    for outcome in shown.verdict.outcomes:
        assert outcome.text in words  # each measured figure is on the page
    if len(LESSONS[name].runs) > 1:
        assert [pin.name for pin in app.session_state[compare.PINS]] == [r.name for r in LESSONS[name].runs]
    last = LESSONS[name].runs[-1]
    assert model(app).epoch == last.values["epochs"] or model(app).diverged


def test_a_link_opens_xor_on_its_truth_table_and_the_data_stays_after_reruns():
    app = start(lesson="xor")
    assert app.selectbox(key="lesson_pick").value == "xor"
    assert app.session_state["dataset"] == "xor" and app.session_state["hidden_layers"] == 0
    data = model(app).data
    assert data.X_train.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and data.y_train.tolist() == [0, 1, 1, 0]
    run(app)
    assert "Passed" in verdict_text(app)
    trained = model(app)
    assert trained.net.sizes == [2, 3, 1] and trained.epoch == 1000
    assert trained.net.predict(trained.data.X_train).tolist() == [0, 1, 1, 0]
    app.run()
    assert model(app) is trained and model(app).epoch == 1000  # a rerun keeps the lesson's network
    assert "[0, 1, 1, 0]" in verdict_text(app)
    act(app, app.selectbox(key="dataset").set_value("moons"))
    assert model(app).data.name == "moons" and len(model(app).data.X_train) > 4  # a data control rebuilds


def test_opening_a_lesson_from_the_menu_sets_the_controls_to_its_first_run():
    app = start()
    app.session_state["lr"] = 3.0
    app.selectbox(key="lesson_pick").set_value("learning_rate").run()
    assert not app.exception
    state = app.session_state
    assert (state["dataset"], state["hidden_layers"], state["neurons_1"], state["neurons_2"], state["neurons_3"]) == \
        ("moons", 3, 8, 8, 8)
    assert state["lr"] == 0.001
    net_cfg, train_cfg = model(app).net_cfg, model(app).train_cfg
    assert net_cfg.hidden == (8, 8, 8) and train_cfg.lr == 0.001 and model(app).epoch == 0
    assert app.select_slider(key="lr").value == 0.001
    assert "The learning rate" in text(app.main)


def test_the_learning_rate_lesson_ends_on_the_divergence_message():
    app = start(lesson="learning_rate")
    run(app)
    assert model(app).diverged
    assert "diverged" in " ".join(e.value for e in app.error)


def test_an_unknown_lesson_in_a_link_is_a_notice():
    app = start(lesson="nonsense")
    assert any("lesson=nonsense" in w.value for w in app.warning)
    assert app.selectbox(key="lesson_pick").value == ""


def test_pin_this_run_then_another_lr_overlays_curves_labelled_by_what_differs():
    app = start()
    for _ in range(3):
        act(app, app.button(key="step").click())
    act(app, app.button(key="compare_pin").click())
    pins = app.session_state[compare.PINS]
    assert len(pins) == 1 and pins[0].epochs == (0, 1, 2, 3)
    act(app, app.select_slider(key="lr").set_value(0.03))
    act(app, app.button(key="reset").click())
    for _ in range(2):
        act(app, app.button(key="step").click())
    [figure] = [chart for chart in app.get("plotly_chart") if chart.proto.id.endswith("compare_chart")]
    names = [trace["name"] for trace in json.loads(figure.proto.spec)["data"]]
    assert names[0] == "lr=0.3 · train" and names[-2] == "now: lr=0.03 · train"
    act(app, app.button(key="compare_clear").click())
    assert app.session_state[compare.PINS] == []


def test_labels_name_only_the_settings_that_differ():
    base = {"dataset": "moons", "lr": "0.3", "optimizer": "sgd"}
    pins = [compare.Pin({**base, "optimizer": name}, None, (0,), (0.7,), (None,)) for name in ("sgd", "adam")]
    pins.append(compare.Pin(dict(base), "lesson run", (0,), (0.7,), (None,)))
    assert compare.labels(pins) == ["optimizer=sgd", "optimizer=adam", "lesson run: optimizer=sgd"]
    same = [compare.Pin(dict(base), None, (0,), (0.7,), (None,))] * 2
    assert compare.labels(same) == ["run 1", "run 2"]


def test_small_multiples_show_each_run_with_its_accuracies():
    app = start(lesson="hidden_units")
    run(app)
    pictures = app.session_state["lesson_result"].pictures
    assert [p.name for p in pictures] == [r.name for r in LESSONS["hidden_units"].runs]
    assert all(p.probs.shape[:2] == (len(p.ys), len(p.xs)) for p in pictures)
    assert np.allclose(pictures[0].probs.sum(axis=-1), 1.0)
    assert pictures[0].train_accuracy <= 0.9 and pictures[-1].train_accuracy >= 0.99
