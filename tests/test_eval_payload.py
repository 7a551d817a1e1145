"""Where the network is evaluated over the plane (frames.evaluation_side), what a payload then carries,
full and lighter batches (player.FULL_SECONDS), and the registries' JavaScript (live.registry_script)."""

import numpy as np
import pytest

from engine import Network, load_dataset
from engine.activations import ACTIVATIONS, OUTPUTS, Activation
from engine.boundary import plane_for
from engine.features import INPUTS
from playground import frames as fr
from playground import player as player_module
from playground.config import DataConfig, NetConfig, TrainConfig, ViewConfig
from playground.live import registry_script, script
from playground.model import Model
from playground.player import Player


def playing(monkeypatch, side=None, **net) -> Player:
    if side:
        monkeypatch.setenv(player_module.EVALUATE, side)
    else:
        monkeypatch.delenv(player_module.EVALUATE, raising=False)
    sess = Player(Model(DataConfig(), NetConfig(**net), TrainConfig()))
    sess.toggle()
    return sess


def ticks(sess, count, start=0):
    """``count`` ticks of play at 60 epochs a second: each tick's payload, unpacked."""
    return [fr.unpack(sess.payload(sess.advance(60.0, now=(start + i) * player_module.TICK), ViewConfig()))
            for i in range(count)]


def test_the_browser_evaluates_by_default_and_gets_weights_not_pictures(monkeypatch):
    sess = playing(monkeypatch)
    batches = ticks(sess, 3)
    first, (header, sections) = batches[0][0], batches[-1]  # the first batch is full: the scene's keys
    assert first["evaluated_by"] == "browser"
    assert {"boundary", "thumbnails", "inputs"}.isdisjoint(sections)
    n_params = first["weight_layout"]["size"]
    assert n_params == sum(W.size + b.size for W, b in sess.model.net.params) == 33
    assert len(sections["weights"]) == 4 * n_params * len(header["frames"])  # every frame's own weights
    weights = np.frombuffer(sections["weights"], np.float32)[-n_params:]
    assert np.array_equal(weights, np.frombuffer(fr.weight_bytes(sess.model.net.params), np.float32))
    for key in ("bias", "plane_fill", "plane_extent", "plane_features", "resolution", "activation", "output",
                "inputs", "thumbnail_layout", "target_scale", "target_mean"):
        assert key in first, key
    assert first["plane_fill"] == pytest.approx([0.0, 0.0], abs=1e-12)  # standardised: the mean is 0


def test_the_server_side_is_a_real_mode_and_a_bad_side_is_refused(monkeypatch):
    sess = playing(monkeypatch, "server")
    header, sections = fr.unpack(sess.payload([], ViewConfig()))
    assert header["evaluated_by"] == "server"
    assert len(sections["boundary"]) == header["resolution"] ** 2 and sections["inputs"] and sections["thumbnails"]
    monkeypatch.setenv(player_module.EVALUATE, "gpu")
    with pytest.raises(ValueError, match="browser or on the server"):
        Player(Model(DataConfig(), NetConfig(), TrainConfig()))


def test_an_activation_without_javascript_is_evaluated_on_the_server(monkeypatch):
    plain = ACTIVATIONS["tanh"]
    monkeypatch.setitem(ACTIVATIONS, "tanh_no_js", Activation("tanh_no_js", "tanh", plain.function,
                                                               plain.derivative, bounded=True))
    data = load_dataset("moons", n_samples=60)
    net = Network.for_data(data, (4,), activation="tanh_no_js")
    assert not fr.in_javascript(net) and fr.evaluation_side(net, fr.BROWSER) == fr.SERVER
    src = fr.Sources(data, net, plane_for(data, 10), plane_for(data, 5))
    scene = fr.scene(1, src, evaluate=fr.BROWSER)
    assert scene.header["evaluated_by"] == "server" and "inputs" in scene.sections
    assert "boundary" in fr.due(scene, 0, 1, 10_000)
    assert '"tanh_no_js": null' in registry_script()


def test_light_batches_between_full_ones_leave_out_the_scene_and_the_history(monkeypatch):
    sess = playing(monkeypatch)
    assert sess.full_every == 8  # 2 s of 0.25 s ticks
    batches = ticks(sess, 2 * sess.full_every + 1)
    full = [h["full"] for h, _ in batches]
    assert [i for i, f in enumerate(full) if f] == [0, 8, 16]  # the first (a new scene), then every 2 s
    for header, sections in batches:
        if header["full"]:
            assert {"points", "history", "weights"} <= set(sections) and "sizes" in header and "palette" in header
        else:
            assert set(sections) == {"weights"} and set(header) == {*fr.BATCH_KEYS, "sections"}
            assert header["sections"]["weights"]["item"] == 33  # sized from the scene the element kept
    light = [len(sess.payload(sess.advance(60.0, now=(40 + i) * player_module.TICK), ViewConfig()))
             for i in range(4)]
    assert max(light) < 8_000  # bytes a tick at 15 frames: ~30 kB/s on the default network
    view = ViewConfig(show_test=True)  # the view changed: the element rebuilds its scene from a full batch
    header, _ = fr.unpack(sess.payload(sess.advance(60.0, now=50 * player_module.TICK), view))
    assert header["full"]


def test_every_registry_entry_has_javascript_in_the_elements_script():
    text = script()
    for name, entry in {**ACTIVATIONS, **OUTPUTS}.items():
        assert entry.javascript or entry.javascript_row, name
        assert (entry.javascript or entry.javascript_row.splitlines()[0]) in text, name
    for name, feature in INPUTS.items():
        assert f'"{name}": (x1, x2) => {feature.javascript}' in text
    assert "const EVALUATOR_SOURCE = " in text and "self.onmessage" in text  # the worker's, inlined, no URL


def test_a_tick_keeps_its_budget_a_wide_network_sends_its_weights_once(monkeypatch):
    light = playing(monkeypatch).scene()
    budget = player_module.EXTRA_RATE * player_module.TICK  # a 0.25 s tick's
    assert all("weights" in fr.due(light, j, 15, budget) for j in range(15))  # 132 B each
    wide = playing(monkeypatch, hidden=(64,) * 6).scene()
    item = 4 * wide.header["weight_layout"]["size"]
    assert 80_000 < item <= budget
    carried = [j for j in range(15) if "weights" in fr.due(wide, j, 15, budget)]
    assert carried == [14]  # the last frame only: 84 kB a tick, not 169
    assert [j for j in range(15) if "weights" in fr.due(wide, j, 15, item - 1, over_budget=False)] == []
    half = [j for j in range(15) if "weights" in fr.due(wide, j, 15, 2 * item)]
    assert half == [6, 14] and len(half) * item <= 2 * item


def test_a_run_that_stops_itself_leaves_the_element_a_full_batch(monkeypatch):
    """A network that diverges on its first ticks: the tick that diverged sent a light batch; the element
    may never have received the first full one (Streamlit delivers only a component's latest data), so the
    paused batch that follows, and every one re-sent while paused, is full."""
    monkeypatch.delenv(player_module.EVALUATE, raising=False)
    train = TrainConfig(lr=10.0)
    sess = Player(Model(DataConfig(), NetConfig(hidden=(8, 8, 8), activation="relu"), train))
    sess.toggle()
    batches = ticks(sess, 6)
    assert sess.model.message and not sess.playing  # it diverged
    stopped = next(i for i, (h, _) in enumerate(batches) if not h["playing"])
    assert any(not h["full"] for h, _ in batches[:stopped + 1])  # a light batch came before or at the stop
    for header, sections in batches[stopped + 1:]:
        assert header["full"] and header["message"] and "points" in sections
