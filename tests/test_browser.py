"""The app in a real browser: a Streamlit server started once for this module, driven through
headless Chromium with Playwright.  Widgets are found by the ``st-key-<key>`` class Streamlit gives
every keyed widget; the live element's own counters are on ``window.__nnpg`` (see
playground/live.py).  Without Chromium these tests skip, unless CI=true: then they fail."""

import base64

import numpy as np
import pytest
from browser_support import APP, CHROMIUM_ARGS, ROOT, START_TIMEOUT, G, assert_no_errors, canvas_png, nnpg  # noqa: F401


def test_page_loads_and_mounts_the_live_element_once(open_page):
    page = open_page()
    for testid in ("nnpg-root", "nnpg-boundary", "nnpg-net", "nnpg-curve", "nnpg-epoch", "nnpg-train-loss"):
        assert page.locator(f'[data-testid="{testid}"]').is_visible(), testid
    assert page.locator('[data-testid="nnpg-root"]').count() == 1
    state = nnpg(page)
    assert state["mounts"] == 1
    assert state["playing"] is False and state["epoch"] == 0
    assert page.locator('[data-testid="nnpg-epoch"]').inner_text().replace(",", "") == "000000"
    assert page.locator(".st-key-play button").inner_text().endswith("Play")
    assert_no_errors(page)


def boundary_colours(page) -> tuple[float, float]:
    """Shares of the boundary canvas that are clearly orange (class 0) and clearly blue (class 1)."""
    return tuple(page.locator('[data-testid="nnpg-boundary"]').evaluate("""c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let orange = 0, blue = 0;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i] > d[i + 2] + 40) orange++; else if (d[i + 2] > d[i] + 40) blue++;
        }
        return [orange / (d.length / 4), blue / (d.length / 4)];
    }"""))


def press_play(page, tries=3):
    """Click Play until the element reports playing. A click that lands while Streamlit is still
    rendering the page's first runs can be lost (seen once in ~10 clean-clone runs); a person
    clicks again, and so does this, at most `tries` times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(tries):
        page.locator(".st-key-play button").click()
        try:
            page.wait_for_function(f"{G}.playing", timeout=4_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"Play did not start after {tries} clicks")


def test_play_animates_trains_and_looks_right(open_page, tmp_path):
    page = open_page()
    press_play(page)
    page.wait_for_function(f"{G}.playing && {G}.epoch >= 20", timeout=15_000)
    snap = "({t: performance.now(), frames: window.__nnpg.framesPainted, epoch: window.__nnpg.epoch, " \
           "loss: window.__nnpg.loss})"
    early = page.evaluate(snap)
    page.wait_for_function(f"{G}.epoch >= {early['epoch'] + 150}", timeout=15_000)
    late = page.evaluate(snap)
    seconds = (late["t"] - early["t"]) / 1000
    fps = (late["frames"] - early["frames"]) / seconds
    assert fps >= 20, f"only {fps:.1f} frames painted per second"
    assert late["loss"] < early["loss"], (early, late)
    assert nnpg(page)["mounts"] == 1
    shown = int(page.locator('[data-testid="nnpg-epoch"]').inner_text().replace(",", ""))
    assert shown >= late["epoch"]
    assert page.locator(".st-key-play button").inner_text().endswith("Pause")
    orange, blue = boundary_colours(page)
    assert orange > 0.15 and blue > 0.15, (orange, blue)
    shot = tmp_path / "playing.png"
    page.screenshot(path=shot)
    assert shot.stat().st_size > 20_000
    assert_no_errors(page)


def test_pause_stops_painting(open_page):
    page = open_page("?play=1")
    page.wait_for_function(f"{G}.playing && {G}.framesPainted > 30", timeout=15_000)
    page.locator(".st-key-play button").click()
    # Frames already buffered when Pause arrives play out; then painting stops.
    page.wait_for_function(f"!{G}.playing && {G}.queued === 0", timeout=10_000)
    # A tick already under way when Pause arrived may still deliver its batch: wait for 0.5 s
    # without a new frame (at most 5 s), then painting must stay stopped.
    page.wait_for_function(
        f"""() => {{
            const w = window.__pauseWatch = window.__pauseWatch || {{n: -1, t: 0}};
            const now = performance.now();
            if ({G}.framesPainted !== w.n) {{ w.n = {G}.framesPainted; w.t = now; }}
            return now - w.t > 500;
        }}""", polling=50, timeout=5_000)
    before = nnpg(page)
    page.wait_for_timeout(1500)
    after = nnpg(page)
    assert after["framesPainted"] - before["framesPainted"] <= 1, (before, after)
    assert after["epoch"] == before["epoch"]
    assert after["mounts"] == 1
    assert page.locator(".st-key-play button").inner_text().endswith("Play")


def wait_new_run(page, run: int):
    page.wait_for_function(f"{G}.run !== {run} && {G}.runShownAt !== null", timeout=10_000)
    return nnpg(page)


def test_controls_show_a_new_network_without_remounting(open_page):
    page = open_page()
    run0 = nnpg(page)["run"]
    net0, bnd0 = canvas_png(page, "nnpg-net"), canvas_png(page, "nnpg-boundary")

    # Paused: type a neuron count; the diagram is redrawn for the new network, the boundary too.
    field = page.locator(".st-key-neurons_1 input")
    field.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    state = wait_new_run(page, run0)
    page.wait_for_function("png => document.querySelector('[data-testid=\"nnpg-net\"]').toDataURL() !== png",
                           arg="data:image/png;base64," + base64.b64encode(net0).decode(), timeout=5_000)
    assert canvas_png(page, "nnpg-net") != net0
    assert canvas_png(page, "nnpg-boundary") != bnd0
    assert state["mounts"] == 1 and state["epoch"] == 0

    # The Noise slider by keyboard: new points, so a new network and a new picture.
    run1, bnd1 = state["run"], canvas_png(page, "nnpg-boundary")
    page.locator(".st-key-noise").get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    state = wait_new_run(page, run1)
    page.wait_for_timeout(100)
    assert canvas_png(page, "nnpg-boundary") != bnd1
    assert state["mounts"] == 1

    # Playing: pick another dataset from the select; training restarts on it in the same element.
    press_play(page)
    page.wait_for_function(f"{G}.playing && {G}.epoch >= 30", timeout=15_000)
    run2 = nnpg(page)["run"]
    page.locator(".st-key-dataset").click()
    page.get_by_role("option", name="Circles").click()
    state = wait_new_run(page, run2)
    assert state["mounts"] == 1
    page.wait_for_function(f"{G}.playing && {G}.framesPainted > {state['framesPainted'] + 10}", timeout=10_000)
    assert nnpg(page)["mounts"] == 1
    assert_no_errors(page)


def test_server_log_has_no_traceback(server):
    """Runs last: whatever the pages above did, the server logged no exception."""
    text = server.log.read_text()
    assert "Traceback" not in text, text[-3000:]


# ---- the element alone, on a bare page ------------------------------------------------------
# The live element's bundle (playground/live.py) imported into an empty page and handed payloads
# made by the app's own Player: no Streamlit server, so what the element does with a payload can
# be checked exactly.
HOSTILE_NAMES = ["<img src=x onerror=alert(1)>", "<script>window.__ran = 1</script>"]
HOSTILE_FEATURES = ["[click](javascript:alert(2))", "<b onmouseover=alert(3)>x2</b>"]


def paused_model(hidden=(8,), data_names=None, feature_names=None, distinct_biases=False):
    """The app's model of moons (names optionally replaced, biases optionally all different) and
    the paused payload it shows."""
    from dataclasses import replace

    from playground.config import DataConfig, NetConfig, TrainConfig, ViewConfig
    from playground.model import Model
    from playground.player import Player

    model = Model(DataConfig(), NetConfig(hidden=hidden), TrainConfig())
    if data_names or feature_names:
        model.data = replace(model.data, class_names=data_names or model.data.class_names,
                             feature_names=feature_names or model.data.feature_names)
    if distinct_biases:
        for layer, (_, b) in enumerate(model.net.params):
            b[:] = (layer + 1) * 0.1 + 0.01 * np.arange(len(b))
    return model, Player(model).payload([], ViewConfig())


def payload_for(data_names=None, feature_names=None) -> bytes:
    return paused_model(data_names=data_names, feature_names=feature_names)[1]


@pytest.fixture
def element_page(browser):
    """element_page(payload) -> a bare page with the element mounted and its first frame painted;
    dialogs (alert) are counted in page.dialogs, uncaught errors in page.js_errors."""
    from playground import live

    contexts = []

    def open_(payload: bytes):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.js_errors, page.dialogs = [], []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        css = (live.STATIC / "live.css").read_text()
        page.set_content(f"<style>{css}</style><div id='host' style='width: 1200px'></div>")
        page.evaluate("""async (js) => {
            const url = URL.createObjectURL(new Blob([js], {type: "text/javascript"}));
            window.__element = (await import(url)).default;
        }""", live.script())
        give(page, payload)
        page.wait_for_function(f"{G}.framesPainted > 0")
        # The boundary's tooltip reads the browser's evaluation (a worker's, a few ms; longer on a busy
        # machine, where a hover before it found no values and left the tip empty).
        page.wait_for_function(f"{G}.evaluations > 0")
        return page

    yield open_
    for context in contexts:
        context.close()


def give(page, payload: bytes) -> None:
    page.evaluate("""b64 => window.__element({parentElement: document.getElementById("host"),
        data: Uint8Array.from(atob(b64), c => c.charCodeAt(0))})""", base64.b64encode(payload).decode())


def hover_tip(page, testid: str, x: float, y: float) -> dict:
    """Move the mouse to (x, y) in the canvas: the tooltip's text and the tags of its elements."""
    box = page.locator(f'[data-testid="{testid}"]').bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    return page.locator(".nnpg-tip").evaluate(
        "tip => ({text: tip.innerText, tags: [...tip.querySelectorAll('*')].map(e => e.tagName)})")


def test_names_from_the_data_show_literally_and_never_run(element_page):
    page = element_page(payload_for(HOSTILE_NAMES, HOSTILE_FEATURES))
    legend = page.locator(".nnpg-legend").inner_text()
    assert HOSTILE_NAMES[0] in legend and HOSTILE_NAMES[1] in legend
    side = page.locator('[data-testid="nnpg-boundary"]').bounding_box()["width"]
    top, bottom = hover_tip(page, "nnpg-boundary", side / 2, 5), hover_tip(page, "nnpg-boundary", side / 2, side - 5)
    shown = top["text"] + "\n" + bottom["text"]
    assert HOSTILE_NAMES[0] in shown and HOSTILE_NAMES[1] in shown, shown
    assert f"{HOSTILE_FEATURES[0]} = " in top["text"] and f"{HOSTILE_FEATURES[1]} = " in top["text"]
    assert set(top["tags"]) | set(bottom["tags"]) <= {"B", "BR"}
    # The first input neuron: its tooltip names the feature, bold, as text.
    node = page.evaluate("document.getElementById('nnpg-root').__nnpgState.panels.network.geometry.cols[0].nodes[0]")
    tip = hover_tip(page, "nnpg-net", node["x"] + node["s"] / 2, node["y"] + node["s"] / 2)
    assert tip["text"] == f"input {HOSTILE_FEATURES[0]}" and tip["tags"] == ["B"]
    page.wait_for_timeout(300)
    assert page.locator("#host img, #host script").count() == 0
    assert page.evaluate("window.__ran") is None and page.dialogs == [] and page.js_errors == []


def on_link(x0, y0, x1, y1, t=0.3):
    """The point at t along a link as the network panel draws it: a cubic Bezier with both control
    points at the middle x. At t = 0.3 the links from one neuron have parted, and few cross."""
    u, xm = 1 - t, (x0 + x1) / 2
    x = u**3 * x0 + 3 * u * u * t * xm + 3 * u * t * t * xm + t**3 * x1
    y = u**3 * y0 + 3 * u * u * t * y0 + 3 * u * t * t * y1 + t**3 * y1
    return x, y


def test_the_element_finds_each_weight_and_bias_where_the_header_layout_says(element_page):
    model, payload = paused_model(hidden=(3, 4), distinct_biases=True)
    page = element_page(payload)
    geometry = "document.getElementById('nnpg-root').__nnpgState.panels.network.geometry"
    links = page.evaluate(f"{geometry}.links.map(k => [k.l, k.i, k.j, k.x0, k.y0, k.x1, k.y1])")
    assert len(links) == 2 * 3 + 3 * 4 + 4 * 1
    for layer, i, j in ((1, 0, 1), (1, 2, 0), (0, 0, 1), (2, 3, 0)):
        x, y = on_link(*next(k[3:] for k in links if tuple(k[:3]) == (layer, i, j)))
        W = model.net.params[layer][0]
        tip = hover_tip(page, "nnpg-net", x, y)["text"]
        assert tip.startswith(f"weight {W[j, i]:.3f}\n"), (layer, i, j, tip)
    node = page.evaluate(f"{geometry}.cols[2].nodes[3]")  # hidden layer 2, neuron 4
    tip = hover_tip(page, "nnpg-net", node["x"] + node["s"] / 2, node["y"] + node["s"] / 2)["text"]
    assert tip == "hidden layer 2, neuron 4 (tanh)\nbias 0.230"  # layer 2's b[3]


def test_p95_lag_is_sorted_when_read_over_the_last_240_frames(element_page):
    page = element_page(payload_for())
    getter = page.evaluate(f"typeof Object.getOwnPropertyDescriptor({G}, 'p95LagMs').get")
    assert getter == "function"
    p95 = page.evaluate(f"""() => {{
        for (let lag = 1; lag <= 240; lag++) {G}.recordLag(lag);
        const first = {G}.p95LagMs;
        for (let i = 0; i < 120; i++) {G}.recordLag(1000);
        return [first, {G}.p95LagMs];
    }}""")
    assert p95 == [229, 1000]
