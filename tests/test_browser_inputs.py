"""Regression and input features in Chromium: the live view paints a regression run on the diverging
value scale with MSE and R² in the stats, and the diagram labels the chosen input features
(fixtures: browser_support.py)."""

import io

import numpy as np
from browser_support import G, assert_no_errors, canvas_png, nnpg
from PIL import Image

from playground.palette import THEMES, separation

REGRESSION_RUN = "?problem=regression&dataset=multigauss&hidden=8,8&optimizer=adam&lr=0.03&play=1"


def pixels(page, testid):
    return np.asarray(Image.open(io.BytesIO(canvas_png(page, testid))).convert("RGB")).reshape(-1, 3)


def share_near(colours, target, within=30.0):
    """The share of the pixels within ``within`` (CIELAB ΔE under normal vision) of ``target``."""
    sample = colours[:: max(1, len(colours) // 4000)]
    return float(np.mean([separation((tuple(int(v) for v in c),), (target,)) < within for c in sample]))


def test_a_regression_run_paints_values_mse_and_r2(open_page):
    page = open_page(REGRESSION_RUN)
    page.wait_for_function(f"{G}.task === 'regression' && {G}.playing && {G}.epoch > 60 && {G}.framesPainted > 10",
                           timeout=60_000)
    counters = nnpg(page)
    assert counters["loss"] > 0 and counters["inputLabels"] == ["x₁", "x₂"]
    captions = page.locator(".nnpg-k").all_inner_texts()
    assert [c.lower() for c in captions[1:5]] == ["train mse", "test mse", "train r²", "test r²"]
    r2 = page.locator("#nnpg-test-acc").inner_text()
    assert "%" not in r2 and -10 < float(r2) <= 1  # R² as a number, not a percentage
    mse = page.locator("#nnpg-train-loss").inner_text()
    assert float(mse) > 0 and mse != "0.000"  # a small MSE keeps its significant digits
    scale = THEMES["standard"].value_scale
    shares = []
    for _ in range(20):  # the worker draws the boundary a few frames behind: wait for a trained one
        boundary = pixels(page, "nnpg-boundary")
        shares = [share_near(boundary, scale[1]), share_near(boundary, scale[-2])]
        if min(shares) > 0.02:
            break
        page.wait_for_timeout(500)
    assert min(shares) > 0.02, shares  # both signs drawn
    assert page.locator(".nnpg-scale").inner_text().startswith("target")
    box = page.locator('[data-testid="nnpg-boundary"]').bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".nnpg-tip").inner_text()
    assert tip.startswith("predicted ") and "x1 = " in tip  # the value under the pointer, not a class
    float(tip.split()[1])
    assert_no_errors(page)


def test_the_diagram_names_the_chosen_input_features(open_page):
    page = open_page("?dataset=spiral&inputs=x1,sinx1,sinx2&hidden=6")
    page.wait_for_function(f"{G}.inputLabels && {G}.inputLabels.length === 3", timeout=30_000)
    assert nnpg(page)["inputLabels"] == ["x₁", "sin(x₁)", "sin(x₂)"] and nnpg(page)["task"] == "classification"
    network = np.asarray(Image.open(io.BytesIO(canvas_png(page, "nnpg-net"))).convert("L"))
    left = network[:, : network.shape[1] // 8]
    assert (left < 90).sum() > 40  # the labels' ink left of the input neurons
    assert page.locator(".st-key-inputs").inner_text().count("sin") == 2  # the toggles
    assert_no_errors(page)
