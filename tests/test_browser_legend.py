"""The legend and the stats row stay readable whatever the data (issue 7), at 1400x900, 1920x1080
and on a 390x844 phone: an upload whose class names are 30-odd characters long keeps its legend on
one line under the plane (each name cut with "…", in full on hover), and a table of prices in the
100,000s (MSE in the billions) keeps every figure of the stats on one line in its row (on a phone,
the stats' grid). The HTML texts come from window.__nnpg.textBoxes(), with the canvases' texts."""

import re

import numpy as np
from browser_support import G, assert_no_errors, inside, overlaps

SIZES = [(1400, 900), (1920, 1080), (390, 844)]
STATE = "document.querySelector('#nnpg-root').__nnpgState"
LONG_NAMES = ("Iris-versicolor-long-name-here", "Iris-setosa-with-an-even-longer-name-x",
              "Iris-virginica-long-name-here-too")


def long_names_csv(path):
    rng = np.random.default_rng(0)
    rows = [f"{rng.normal() + 2 * (i % 3):.3f},{rng.normal():.3f},{LONG_NAMES[i % 3]}" for i in range(90)]
    path.write_text("petal,sepal,species\n" + "\n".join(rows) + "\n")
    return path


def prices_csv(path):
    rng = np.random.default_rng(0)
    area, rooms = rng.uniform(50, 250, 300), rng.integers(1, 7, 300)
    price = 2e5 + 800 * (area - 150) + 5000 * (rooms - 3.5) + rng.normal(0, 1e4, 300)
    path.write_text("area,rooms,price\n" + "".join(f"{a:.1f},{r},{p:.0f}\n" for a, r, p in zip(area, rooms, price)))
    return path


def upload(page, path, regression=False):
    page.get_by_text("Your own data (CSV)").click()
    page.locator("section[data-testid='stSidebar'] input[type=file]").set_input_files(str(path))
    if regression:  # a numeric label is refused as classes; choose Regression and use the columns
        page.locator(".st-key-upload_use button").wait_for(timeout=30_000)
        page.locator(".st-key-upload_problem").get_by_text("Regression").click()
        page.wait_for_timeout(1000)
        page.locator(".st-key-upload_use button").click()
    shown = f"{STATE}.scene && {STATE}.scene.dataset === {path.name!r}"
    page.wait_for_function(shown, timeout=30_000)
    page.wait_for_timeout(6000)  # past control_writes.STALE_SECONDS: a stale tick did not take the upload away
    assert page.evaluate(shown), page.evaluate(f"{STATE}.scene.dataset")


def boxes_at(page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.wait_for_timeout(1200)  # the element measures itself on resize, then repaints
    return page.evaluate(f"{G}.textBoxes()")


def problems(boxes, panel):
    """What is wrong with ``panel``'s HTML texts: a second line, a box outside its area, a cut text
    without its full name on hover, a box over any other text of the live view."""
    own = [b for b in boxes if b["panel"] == panel and "lines" in b]
    found = [f"{b['text']!r} takes {b['lines']} lines" for b in own if b["lines"] != 1]
    found += [f"{b['text']!r} leaves its area" for b in own if not inside(b)]
    found += [f"{b['text']!r} is cut without its name on hover" for b in own if b["cut"] and b["title"] != b["text"]]
    for a in own:
        found += [f"{a['text']!r} overlaps {b['text']!r}" for b in boxes if b is not a and overlaps(a, b)]
    return own, found


def test_long_class_names_keep_the_legend_on_one_line(open_page, tmp_path):
    page = open_page()
    upload(page, long_names_csv(tmp_path / "flowers.csv"))
    for size in SIZES:
        names, found = problems(boxes_at(page, size), "boundary")
        assert not found, (size, found)
        assert sorted(b["text"] for b in names) == sorted(LONG_NAMES), size
        assert max(b["y0"] for b in names) - min(b["y0"] for b in names) < 1, size  # one row
        assert any(b["cut"] for b in names), size  # the names are cut to fit, not wrapped or spilled
        chips = page.locator(".nnpg-class .nnpg-name")
        assert sorted(chips.evaluate_all("nodes => nodes.map(n => n.title)")) == sorted(LONG_NAMES)
    page.locator(".nnpg-class").nth(2).click()  # still a chip to click: it selects its class
    assert page.evaluate(f"{STATE}.panels.boundary.selected") == 2
    assert_no_errors(page)


def test_a_price_table_keeps_every_figure_on_one_line(open_page, tmp_path):
    page = open_page()
    upload(page, prices_csv(tmp_path / "houses.csv"), regression=True)
    for size in SIZES:
        boxes = boxes_at(page, size)
        stats, found = problems(boxes, "stats")
        assert not found, (size, found)
        assert not [b["text"] for b in stats if b["cut"]], size
        texts = {b["text"] for b in stats}
        assert {"Train MSE", "Test MSE", "Train R²", "Test R²"} <= texts, texts
        mse = page.locator("#nnpg-train-loss").inner_text()
        assert "e" in mse and len(mse) <= 7 and float(mse) > 1e8, mse  # 4.25e9, not 4245125759.632
        float(page.locator("#nnpg-test-acc").inner_text())
        if size[0] > 620:  # a wide window: one row, every box as high as the others
            assert max(b["y0"] for b in stats) - min(b["y0"] for b in stats) < 40, size
        ticks = [b["text"] for b in boxes if b["panel"] == "curve" and re.fullmatch(r"[\d.e]+", b["text"])]
        assert ticks and max(map(len, ticks)) <= 5, ticks  # the curve's MSE axis: 6e9, not 6000000000
        curve = [b for b in boxes if b["panel"] == "curve"]
        assert not [(a["text"], b["text"]) for k, a in enumerate(curve) for b in curve[k + 1:] if overlaps(a, b)], size
        scale, found = problems(boxes, "boundary")
        assert not found, (size, found)
        low, high = (b["text"] for b in scale)
        assert low.startswith("target ") and float(low.split()[1]) > 5e4 and float(high) > 2.5e5, (low, high)
    assert_no_errors(page)
