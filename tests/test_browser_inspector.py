"""The views below the live view in a real browser: the step inspector and the hidden space open,
render (KaTeX equations, tables, a Plotly chart) and follow Step, Play and Pause, with no exception
and without remounting the live element. Fixtures (a Streamlit server for this module, headless
Chromium, skip without it unless CI=true) are browser_support.py's (via conftest.py)."""

import re

import test_browser as base

G, nnpg, press_play, assert_no_errors = base.G, base.nnpg, base.press_play, base.assert_no_errors


def open_view(page, key: str):
    page.locator(f".st-key-{key} summary").click()
    return page.locator(f".st-key-{key}")


def next_epoch(view) -> tuple[int, int] | None:
    found = re.search(r"epoch (\d+) → (\d+)", view.inner_text())
    return (int(found.group(1)), int(found.group(2))) if found else None


def test_step_inspector_renders_and_follows_step(open_page):
    page = open_page()
    view = open_view(page, "inside_step")
    view.locator(".katex").first.wait_for()
    view.locator('[data-testid="stDataFrame"]').first.wait_for()
    assert next_epoch(view) == (0, 1)
    assert view.locator(".katex").count() >= 4
    page.get_by_role("tab", name="Update").click()
    view.locator(".st-key-inside_step_W_after_1").wait_for()
    page.locator(".st-key-step button").click()
    page.wait_for_function("() => /epoch 1 → 2/.test(document.querySelector('.st-key-inside_step').innerText)",
                           timeout=10_000)
    assert nnpg(page)["mounts"] == 1
    assert_no_errors(page)


def test_hidden_space_renders_and_plays_live(open_page):
    page = open_page()
    view = open_view(page, "inside_hidden")
    view.locator(".js-plotly-plot").first.wait_for()
    assert "paused" in view.inner_text()
    press_play(page)
    page.wait_for_function(
        "() => /live while training plays/.test(document.querySelector('.st-key-inside_hidden').innerText)",
        timeout=10_000)
    first = int(re.search(r"Epoch (\d+)", view.inner_text()).group(1))
    page.wait_for_function(
        f"""() => {{
            const m = /Epoch (\\d+)/.exec(document.querySelector('.st-key-inside_hidden').innerText);
            return m && Number(m[1]) > {first};
        }}""", timeout=10_000)  # it redraws while training plays
    # ... on one persistent canvas, not a picture fetched on every redraw
    page.wait_for_function("window.__nnpgHidden && window.__nnpgHidden.draws >= 3", timeout=10_000)
    assert page.evaluate("window.__nnpgHidden.mounts") == 1
    assert view.locator("img").count() == 0 and view.locator('[data-testid="nnpg-hidden-space"]').count() == 1
    start = page.evaluate(f"({{t: performance.now(), frames: {G}.framesPainted}})")
    page.wait_for_timeout(3000)
    end = page.evaluate(f"({{t: performance.now(), frames: {G}.framesPainted}})")
    fps = (end["frames"] - start["frames"]) / ((end["t"] - start["t"]) / 1000)
    assert fps >= 20, f"only {fps:.1f} frames painted per second with the hidden space open"
    view.get_by_text("its first two principal components").click()
    page.wait_for_function(
        "() => /first principal component/.test(document.querySelector('.st-key-inside_hidden').innerText)",
        timeout=10_000)
    assert nnpg(page)["mounts"] == 1
    assert_no_errors(page)
