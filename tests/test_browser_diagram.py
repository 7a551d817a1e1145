"""The network diagram and the cost curve as a teacher uses them, in a real browser (fixtures:
browser_support.py): every architecture the sidebar allows stays readable (no two pieces of text
overlap, none leaves its canvas: window.__nnpg.textBoxes()), the diagram's - and + buttons and a
click on a link edit the network, and on a phone the page is one column with the sidebar closed."""

import base64

import pytest
from browser_support import START_TIMEOUT, G, assert_no_errors, inside, nnpg, overlaps

from playground import live
from playground.settings import MAX_LAYERS, MAX_NEURONS

STATE = "document.getElementById('nnpg-root').__nnpgState"
PROJECTOR, LAPTOP, PHONE = (1920, 1080), (1400, 900), (390, 844)
EXTREMES = ["64,4,64,4,64,4", ",".join([str(MAX_NEURONS)] * MAX_LAYERS), "", "1", "1,1,1,1,1,1", "4,64"]


def open_at(browser, server, size, query=""):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.goto(f"{server.url}/{query}")
    page.wait_for_function(f"{G} && {G}.mounts > 0 && {G}.framesPainted > 0", timeout=START_TIMEOUT * 1000)
    return page


def readable(boxes):
    """The problems with the text boxes: pairs that overlap, boxes outside their canvas, cut titles."""
    problems = [f"outside its canvas: {b['text']!r}" for b in boxes if not inside(b)]
    problems += [f"cut: {b['text']!r}" for b in boxes if b["text"].endswith("…") and b["text"].isupper()]
    for k, a in enumerate(boxes):
        problems += [f"{a['text']!r} overlaps {b['text']!r}" for b in boxes[k + 1:] if overlaps(a, b)]
    return problems


def text_boxes(page):
    page.wait_for_timeout(300)  # a repaint after the last payload
    return page.evaluate(f"{G}.textBoxes()")


def sizes(page):
    return page.evaluate(f"{STATE}.scene.sizes")


# ---- wide networks stay readable ----------------------------------------------------------------
@pytest.mark.parametrize("size", [LAPTOP, PROJECTOR], ids=["1400x900", "1920x1080"])
def test_extreme_architectures_from_links_keep_every_text_apart_and_inside(browser, server, size):
    for hidden in EXTREMES:
        page = open_at(browser, server, size, f"?hidden={hidden}")
        page.locator('[data-testid="nnpg-layers-more"]').wait_for()
        expected = [int(n) for n in hidden.split(",")] if hidden else []
        assert sizes(page)[1:-1] == expected
        boxes = text_boxes(page)
        network = [b["text"] for b in boxes if b["panel"] == "network"]
        labels = page.evaluate(f"{STATE}.scene.input_labels")
        assert set(labels) <= set(network) and "+" in network, (hidden, str(network))  # labels, buttons
        assert readable(boxes) == [], (hidden, readable(boxes))
        wide = [n for n in expected if n > 16]
        assert network.count(f"+{MAX_NEURONS - 15}") == len(wide), network  # 15 drawn, "+49" for the rest
        assert_no_errors(page)
        page.context.close()


def test_every_architecture_on_the_bare_element_keeps_text_apart(browser):
    """Every number of hidden layers with narrow, mixed and the widest layers, at the element widths
    of a phone, a laptop and a projector (payloads made by the app's own Player; no server)."""
    from playground.config import DataConfig, NetConfig, TrainConfig, ViewConfig
    from playground.model import Model
    from playground.player import Player

    context = browser.new_context(viewport={"width": 1600, "height": 1200})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.set_content(f"<style>{(live.STATIC / 'live.css').read_text()}</style><div id='host'></div>")
    page.evaluate("""async (js) => {
        const url = URL.createObjectURL(new Blob([js], {type: "text/javascript"}));
        window.__element = (await import(url)).default;
    }""", live.script())
    from engine.features import INPUTS

    shapes = [()] + [tuple(pattern[k % len(pattern)] for k in range(layers))
                     for layers in range(1, MAX_LAYERS + 1) for pattern in ((1,), (MAX_NEURONS,), (MAX_NEURONS, 3))]
    every_input = tuple(INPUTS)  # the input layer at its widest: all seven features, labelled
    cases = [(hidden, NetConfig(hidden=hidden)) for hidden in shapes]
    cases += [(hidden, NetConfig(hidden=hidden, inputs=every_input)) for hidden in ((), (MAX_NEURONS,) * MAX_LAYERS)]
    run = 0
    for width in (358, 940, 1460):
        page.evaluate(f"document.getElementById('host').style.width = '{width}px'")
        for hidden, net_config in cases:
            model = Model(DataConfig(), net_config, TrainConfig())
            run += 1
            model.run = run  # each a new network to the element
            payload = Player(model).payload([], ViewConfig())
            page.evaluate("""b64 => window.__element({parentElement: document.getElementById("host"),
                data: Uint8Array.from(atob(b64), c => c.charCodeAt(0))})""", base64.b64encode(payload).decode())
            page.wait_for_function(f"{STATE}.scene.sizes.join() === '{','.join(map(str, model.net.sizes))}'"
                                   f" && {G}.framesPainted > 0")
            boxes = text_boxes(page)
            assert readable(boxes) == [], (width, hidden, readable(boxes))
            assert len([b for b in boxes if b["panel"] == "network"]) >= 2 * len(model.net.sizes)
    assert page.js_errors == []
    context.close()


# ---- the cost curve ------------------------------------------------------------------------------
def test_the_curve_is_a_legible_panel_with_train_and_test_told_apart(browser, server):
    page = open_at(browser, server, LAPTOP, "?play=1")
    page.wait_for_function(f"{G}.epoch > 30")
    curve = page.locator('[data-testid="nnpg-curve"]').bounding_box()
    assert curve["width"] >= 330 and curve["height"] >= 200  # was 270 x 90
    boxes = [b for b in text_boxes(page) if b["panel"] == "curve"]
    figures = page.evaluate(f"{STATE}.scene.figures")
    texts = [b["text"] for b in boxes]
    for label in ("train", "test", figures["loss_label"], figures["score_label"], "100%", "0%"):
        assert texts.count(label) == 1, (label, texts)  # a legend entry each; the score on its own axis
    sizes = {b["text"]: float(b["font"].split("px")[0].split()[-1]) for b in boxes}
    assert min(sizes.values()) >= 13, sizes
    assert readable(boxes) == []
    # The two splits are drawn differently: the pixels along the legend's two line samples.
    samples = page.evaluate("""() => {
        const c = document.getElementById('nnpg-curve'), ctx = c.getContext('2d'), k = c.width / c.clientWidth;
        const words = window.__nnpg.textBoxes().filter(b => b.panel === 'curve' && ['train', 'test'].includes(b.text));
        const r = c.getBoundingClientRect();
        return words.map(b => {  // the 24 px line sample left of each legend word: its fullest row
            let best = [];
            for (let y = Math.floor((b.y0 - r.top) * k); y <= Math.ceil((b.y1 - r.top) * k); y++) {
                const x = Math.round((b.x0 - r.left - 30) * k), px = ctx.getImageData(x, y, Math.round(24 * k), 1).data;
                const seen = [];
                for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 200) seen.push([px[i], px[i + 1], px[i + 2]]);
                if (seen.length > best.length) best = seen;
            }
            return {text: b.text, seen: best};
        });
    }""")
    drawn = {s["text"]: s["seen"] for s in samples}
    assert len(drawn["train"]) > len(drawn["test"]), samples  # solid against dashed
    assert drawn["train"][0] != drawn["test"][0]  # and another colour
    assert_no_errors(page)
    page.context.close()


# ---- editing on the diagram -----------------------------------------------------------------------
def test_plus_minus_and_a_typed_weight_edit_the_network(browser, server):
    page = open_at(browser, server, LAPTOP, "?hidden=3")
    sidebar = lambda key: page.locator(f".st-key-{key} input")  # noqa: E731

    def shows(key, value):  # the sidebar's control shows the diagram's edit
        page.wait_for_function(f"document.querySelector('.st-key-{key} input').value === '{value}'")
        return True

    page.locator('[data-testid="nnpg-neurons-1-more"]').click()
    page.wait_for_function(f"{STATE}.scene.sizes.join() === '2,4,1'")
    assert shows("neurons_1", 4)
    page.locator('[data-testid="nnpg-layers-more"]').click()
    page.wait_for_function(f"{STATE}.scene.sizes.join() === '2,4,4,1'")
    assert shows("hidden_layers", 2)
    page.locator('[data-testid="nnpg-neurons-2-less"]').click()
    page.wait_for_function(f"{STATE}.scene.sizes.join() === '2,4,3,1'")
    page.wait_for_timeout(1500)  # ticks carrying the old values have come and gone
    assert shows("neurons_2", 3) and sizes(page) == [2, 4, 3, 1] and sidebar("neurons_1").input_value() == "4"
    assert "hidden=4%2C3" in page.url or "hidden=4,3" in page.url
    # A click on the link from hidden neuron 2 to hidden-2 neuron 3: type its weight.
    link = page.evaluate(f"{STATE}.panels.network.geometry.links.find(k => k.l === 1 && k.i === 1 && k.j === 2)")
    box = page.locator('[data-testid="nnpg-net"]').bounding_box()
    t, u, xm = 0.3, 0.7, (link["x0"] + link["x1"]) / 2  # a point on the link's Bezier curve (as the panel draws it)
    x = u**3 * link["x0"] + 3 * u * u * t * xm + 3 * u * t * t * xm + t**3 * link["x1"]
    y = u**3 * link["y0"] + 3 * u * u * t * link["y0"] + 3 * u * t * t * link["y1"] + t**3 * link["y1"]
    page.mouse.click(box["x"] + x, box["y"] + y)
    editor = page.locator('[data-testid="nnpg-weight-input"]')
    editor.fill("-1.75")
    editor.press("Enter")
    seq = nnpg(page)["lastSeq"]
    page.wait_for_function(f"{G}.lastSeq > {seq} && Math.abs({STATE}.shown.weights[{link['w']}] + 1.75) < 1e-6")
    assert editor.count() == 0
    page.locator(".st-key-step button").click()  # training continues from the typed weight
    page.wait_for_function(f"{G}.epoch >= 1")
    after = page.evaluate(f"{STATE}.shown.weights[{link['w']}]")
    assert after != -1.75 and abs(after + 1.75) < 0.5
    assert nnpg(page)["mounts"] == 1
    assert_no_errors(page)
    page.context.close()


# ---- the phone ------------------------------------------------------------------------------------
def test_a_phone_gets_one_column_and_a_closed_sidebar(browser, server):
    page = open_at(browser, server, PHONE)
    sidebar = page.locator('section[data-testid="stSidebar"]').bounding_box()
    assert sidebar is None or sidebar["x"] + sidebar["width"] <= 0  # closed: off the screen
    boxes = {k: page.locator(f'[data-testid="nnpg-{k}"]').bounding_box() for k in ("net", "boundary", "curve")}
    for k, a in boxes.items():
        assert a["x"] >= 0 and a["x"] + a["width"] <= PHONE[0], (k, a)
        for other, b in boxes.items():
            if other != k:
                box = lambda r: {"x0": r["x"], "y0": r["y"], "x1": r["x"] + r["width"], "y1": r["y"] + r["height"]}  # noqa: E731
                assert not overlaps(box(a), box(b), slack=0), (k, other, a, b)
    assert readable(text_boxes(page)) == []
    assert_no_errors(page)
    page.context.close()
