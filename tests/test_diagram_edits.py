"""Editing the network on its diagram (playground/diagram_edits.py): the - and + buttons change the
hidden-layer controls the sidebar shows and a new network is built from them; a weight typed on a
link goes into the network, which trains on from it. The live element's events are sent here as the
browser sends them: the page's widget states plus the element's trigger value (AppTest has no call
for a component's trigger, hence its private _tree and _run)."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.testing.v1 import AppTest

from engine import Network, Trainer
from engine.evaluation import evaluate_row
from playground.diagram_edits import hidden_after

APP = str(Path(__file__).resolve().parents[1] / "playground" / "page.py")
LIVE_KEY = "nnpg-live"


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    return app


def model(app):
    return app.session_state["pg"].model


def send(app, value, name="diagram"):
    """The element sends event ``name`` with ``value``; then the page is redrawn as a whole."""
    [element] = [e for e in app.main.get("bidi_component") if e.key == LIVE_KEY]
    states = app._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(element.proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": name, "value": value}])
    app._run(states)
    assert not app.exception
    app.run()
    assert not app.exception


# ---- the engine: one weight, set in place ----------------------------------------------------
def test_set_weight_changes_exactly_that_weight():
    net = Network([2, 3, 1], seed=0)
    before = [(W.copy(), b.copy()) for W, b in net.params]
    net.set_weight(0, 2, 1, 1.25)
    assert net.params[0][0][2, 1] == 1.25
    changed = [np.argwhere(W != W0).tolist() for (W, _), (W0, _) in zip(net.params, before)]
    assert changed == [[[2, 1]], []]
    assert all(np.array_equal(b, b0) for (_, b), (_, b0) in zip(net.params, before))


@pytest.mark.parametrize("args", [(2, 0, 0, 1.0), (0, 3, 0, 1.0), (0, 0, 2, 1.0), (0, -1, 0, 1.0),
                                  (0, 0, 0, float("nan")), (0, 0, 0, float("inf"))])
def test_set_weight_refuses_a_bad_index_or_value(args):
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError):
        net.set_weight(*args)


# ---- the controls an edit gives ---------------------------------------------------------------
def test_hidden_after_stays_within_the_controls_limits():
    state = {"hidden_layers": 2, "neurons_1": 8, "neurons_2": 64}
    assert hidden_after(state, "layers", 1) == {"hidden_layers": 3}
    assert hidden_after(state, "layers", -1) == {"hidden_layers": 1}
    assert hidden_after({**state, "hidden_layers": 6}, "layers", 1) == {}
    assert hidden_after({**state, "hidden_layers": 0}, "layers", -1) == {}
    assert hidden_after(state, "neurons", 1, layer=1) == {"neurons_1": 9}
    assert hidden_after(state, "neurons", 1, layer=2) == {}  # 64 is the most
    assert hidden_after({**state, "neurons_1": 1}, "neurons", -1, layer=1) == {}
    assert hidden_after(state, "neurons", 1, layer=3) == {}  # not a layer of this network
    assert hidden_after(state, "rename", 1) == {}


# ---- the app ----------------------------------------------------------------------------------
def test_plus_and_minus_on_the_diagram_set_the_sidebar_and_build_the_network(at):
    assert model(at).net.sizes == [2, 8, 1]
    run = model(at).run
    send(at, {"op": "layers", "delta": 1})
    assert at.number_input(key="hidden_layers").value == 2  # the sidebar shows it
    assert model(at).net.sizes == [2, 8, 4, 1] and model(at).run == run + 1
    send(at, {"op": "neurons", "layer": 2, "delta": 1})
    send(at, {"op": "neurons", "layer": 1, "delta": -1})
    assert at.number_input(key="neurons_2").value == 5 and at.number_input(key="neurons_1").value == 7
    assert model(at).net.sizes == [2, 7, 5, 1]
    send(at, {"op": "layers", "delta": -1})
    send(at, {"op": "layers", "delta": -1})
    assert model(at).net.sizes == [2, 1] and at.number_input(key="hidden_layers").value == 0
    assert "hidden=" in "&".join(f"{k}={v}" for k, v in at.query_params.items())  # the address follows


def test_a_tick_that_still_carries_the_old_values_does_not_undo_the_edit(at):
    send(at, {"op": "layers", "delta": 1})
    assert model(at).net.sizes == [2, 8, 4, 1]
    stale = at._tree.get_widget_states()  # a timer tick sent before the browser saw the new value:
    [layers] = [w for w in stale.widgets if w.id.endswith("-hidden_layers")]
    layers.double_value = layers.int_value = 1  # its hidden_layers is the old one
    at._run(stale)  # its callback reruns the live and controls fragments, and the live one puts 2 back
    assert not at.exception
    assert at.session_state["hidden_layers"] == 2
    at.run()
    assert at.session_state["hidden_layers"] == 2 and model(at).net.sizes == [2, 8, 4, 1]


def test_a_typed_weight_is_that_weight_and_training_continues_from_it(at):
    net = model(at).net
    before = [(W.copy(), b.copy()) for W, b in net.params]
    send(at, {"op": "weight", "run": model(at).run, "layer": 1, "out": 0, "in": 3, "value": -2.5})
    assert model(at).net is net
    assert net.params[1][0][0, 3] == -2.5
    changed = [np.argwhere(W != W0).tolist() for (W, _), (W0, _) in zip(net.params, before)]
    assert changed == [[], [[0, 3]]]
    row = model(at).row  # the figures shown are the edited network's
    assert row["train_loss"] == evaluate_row(net, model(at).data, 0)["train_loss"]
    twin = net.copy()  # what the engine does from the edited weights: one full-batch SGD epoch
    expected = Trainer(twin, model(at).data, lr=0.3, optimizer="sgd", seed=0).step()
    at.button(key="step").click().run()
    at.run()
    assert model(at).epoch == 1
    for (W, b), (W2, b2) in zip(net.params, twin.params):
        np.testing.assert_allclose(W, W2, rtol=0, atol=1e-12)
        np.testing.assert_allclose(b, b2, rtol=0, atol=1e-12)
    assert model(at).row["train_loss"] == pytest.approx(expected["train_loss"], abs=1e-12)


def test_an_edit_for_a_replaced_network_or_a_bad_one_changes_nothing(at):
    net = model(at).net
    before = [W.copy() for W, _ in net.params]
    send(at, {"op": "weight", "run": model(at).run - 1, "layer": 0, "out": 0, "in": 0, "value": 3.0})
    send(at, {"op": "weight", "run": model(at).run, "layer": 5, "out": 0, "in": 0, "value": 3.0})
    assert all(np.array_equal(W, W0) for (W, _), W0 in zip(net.params, before))
    assert "That weight was not set" in " ".join(e.value for e in at.error)
    send(at, {"op": "layers", "delta": "many"})
    assert model(at).net.sizes == [2, 8, 1]


def test_a_link_that_locks_the_hidden_layers_refuses_the_edit():
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["lock"] = "hidden"
    app.run()
    send(app, {"op": "layers", "delta": 1})
    assert model(app).net.sizes == [2, 8, 1] and app.session_state["hidden_layers"] == 1
