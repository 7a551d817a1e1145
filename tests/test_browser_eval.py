"""The element evaluates the network over the plane in Chromium (playground/static/evaluate.js)
from each frame's weights: its grid matches the engine's decision_boundary on the same weights to
1e-6, and its codes match frames.boundary_codes / value_codes, for every kind of network; a newly
registered activation is evaluated from its registry entry's JavaScript."""

import json

import numpy as np
import pytest
from browser_support import G, assert_no_errors

from engine.activations import ACTIVATIONS, Activation
from engine.boundary import decision_boundary, neuron_maps, plane_for
from engine.tasks import REGRESSION
from playground import frames, links, settings
from playground.live import STATIC, registry_script
from playground.model import load_data, network

CASES = {  # share-link settings -> what the browser's evaluation covers
    "moons, 8 tanh, sigmoid": "",
    "iris, all four features, softmax over 3 classes": "dataset=iris&all_features=1",
    "regression plane, identity output": "problem=regression&dataset=plane",
    "input features x1sq, sinx2": "inputs=x1sq,sinx2",
    "relu": "activation=relu&hidden=8,8",
    "no biases": "bias=0",
}

EVALUATION = f"""(() => {{
  const e = {G}.evaluation;
  return e && {{run: e.run, epoch: e.epoch, where: e.where, k: e.k, resolution: e.resolution,
    weights: Array.from(e.weights), values: Array.from(e.values), codes: Array.from(e.codes)}};
}})()"""


def engine_network(query: str, weights: list[float]):
    """The data, plane features and network the app builds from the link ``query``, with ``weights`` (the
    frame's float32 weights, in weight_layout's order) as its parameters."""
    params = dict(part.split("=", 1) for part in query.split("&") if part)
    data_cfg, net_cfg, _, _ = settings.configs(links.decode(params).updates)
    data, features = load_data(data_cfg)
    net = network(data, net_cfg)
    layout = frames.weight_layout(list(net.sizes))
    flat = np.asarray(weights, dtype=np.float64)
    for (W, b), layer in zip(net.params, layout["layers"]):
        W[:] = flat[layer["W"]: layer["W"] + W.size].reshape(W.shape)
        b[:] = flat[layer["b"]: layer["b"] + b.size]
    return data, features, net


def evaluated_after_training(page, epochs: int) -> dict:
    """The element's latest evaluation, once it is of a network trained ``epochs`` epochs or more."""
    try:
        page.wait_for_function(f"{G}.evaluation && {G}.evaluation.epoch >= {epochs}", timeout=90_000)
    except Exception as error:  # say how far it got
        state = page.evaluate(f"({{epoch: {G}.epoch, evaluations: {G}.evaluations, playing: {G}.playing}})")
        raise AssertionError(f"no evaluation after {epochs} epochs: {state}, errors {page.js_errors}") from error
    return page.evaluate(EVALUATION)


@pytest.mark.parametrize("name", list(CASES))
def test_the_browsers_boundary_is_the_engines(open_page, name):
    query = CASES[name]
    page = open_page(f"?{query}&play=1" if query else "?play=1")
    seen = evaluated_after_training(page, 10)
    assert seen["where"] == "worker"  # painting never waits for it
    data, features, net = engine_network(query, seen["weights"])
    assert net.bias == ("bias=0" not in query)
    plane = plane_for(data, seen["resolution"], features)
    expected = decision_boundary(net, plane)
    got = np.asarray(seen["values"]).reshape(expected.shape)
    assert seen["k"] == expected.shape[2] == (1 if data.task == REGRESSION else max(2, net.sizes[-1]))
    assert np.abs(got - expected).max() <= 1e-6, name
    codes = (frames.value_codes(expected[:, :, 0], frames.value_range(data)) if data.task == REGRESSION
             else frames.boundary_codes(expected))
    differ = np.frombuffer(codes, np.uint8).astype(int) - np.asarray(seen["codes"])
    assert np.count_nonzero(differ) <= 2 and np.abs(differ).max() <= 1  # (a value on a rounding edge)
    assert len(set(seen["codes"])) > 20  # a trained boundary, not a constant picture
    assert_no_errors(page)


def test_a_heavy_network_is_evaluated_in_the_worker_and_painting_goes_on(open_page):
    query = "hidden=64,64,64,64,64,64"
    page = open_page(f"?{query}&play=1")
    seen = evaluated_after_training(page, 3)
    data, features, net = engine_network(query, seen["weights"])
    expected = decision_boundary(net, plane_for(data, seen["resolution"], features))
    assert np.abs(np.asarray(seen["values"]).reshape(expected.shape) - expected).max() <= 1e-6
    painted = page.evaluate(f"{G}.framesPainted")
    page.wait_for_timeout(1000)
    assert page.evaluate(f"{G}.framesPainted") > painted + 5  # frames keep coming while the worker works
    assert_no_errors(page)


def test_a_newly_registered_activation_is_evaluated_from_its_javascript(browser, monkeypatch):
    """An Activation entry with a `javascript` field is all the browser needs: the registry's script
    (what live.py puts in the element) evaluates a network using it as the engine does."""
    def softsign(Z):
        Z /= 1.0 + np.abs(Z)
        return Z

    entry = Activation("softsign", "softsign", softsign, lambda A, delta, work: None, bounded=True,
                       javascript="z / (1 + Math.abs(z))")
    monkeypatch.setitem(ACTIVATIONS, "softsign", entry)
    from engine import Network, load_dataset

    data = load_dataset("moons", n_samples=120, seed=3)
    net = Network.for_data(data, (6, 5), activation="softsign", seed=4)
    for W, b in net.params:  # the weights as the element receives them
        W[:] = W.astype(np.float32)
        b[:] = np.float32(0.25)
    plane, thumbs = plane_for(data, 30), plane_for(data, 20)
    header = frames.scene_header(1, frames.Sources(data, net, plane, thumbs))
    assert header["evaluated_by"] == "browser"
    model = {key: header[key] for key in ("sizes", "activation", "output", "inputs", "bias", "task", "plane_features",
                                          "plane_fill", "plane_extent", "resolution", "weight_layout", "value_range",
                                          "target_scale", "target_mean")}
    model["thumbnail_size"] = header["thumbnail_layout"]["size"]
    weights = np.frombuffer(frames.weight_bytes(net.params), np.float32).tolist()
    script = registry_script()
    assert '"softsign": (Z) => {' in script and "z / (1 + Math.abs(z))" in script
    page = browser.new_page()
    try:
        page.add_script_tag(content=script + "\n" + (STATIC / "evaluate.js").read_text())
        got = page.evaluate(f"""(() => {{
          const r = evaluateNetwork({json.dumps(model)}, Float32Array.from({json.dumps(weights)}));
          return {{values: Array.from(r.values), thumbnails: Array.from(r.thumbnails)}};
        }})()""")
    finally:
        page.close()
    expected = decision_boundary(net, plane)
    assert np.abs(np.asarray(got["values"]).reshape(expected.shape) - expected).max() <= 1e-6
    assert bytes(got["thumbnails"]) == frames.neuron_codes(neuron_maps(net, thumbs))
