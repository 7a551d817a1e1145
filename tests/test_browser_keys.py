"""Keyboard shortcuts in Chromium: s and → step, space plays and pauses, r resets, f toggles
presenter mode; nothing fires while typing in a field (fixtures: browser_support.py)."""

from browser_support import G, assert_no_errors, nnpg


def press_until(page, key, condition, tries=3):
    """Press ``key`` until ``condition`` holds in the page. A click that lands while Streamlit is
    still rendering the page's first runs can be lost (as in test_browser.press_play); a person
    presses again, and so does this, at most ``tries`` times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(tries):
        page.keyboard.press(key)
        try:
            page.wait_for_function(condition, timeout=4_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"{key!r} did not make {condition} true after {tries} presses")


def test_shortcuts_press_the_controls(open_page):
    page = open_page()
    page.locator(".st-key-step button").wait_for()
    page.locator(".st-key-present input").wait_for(state="attached")
    page.evaluate("document.activeElement && document.activeElement.blur()")  # the page, not a widget, has focus
    press_until(page, "s", f"{G}.epoch >= 1")  # the first press may land during the first render
    stepped = nnpg(page)["epoch"]
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"{G}.epoch === {stepped + 1}", timeout=15_000)
    page.keyboard.press(" ")
    page.wait_for_function(f"{G}.playing && {G}.epoch > 5", timeout=15_000)
    page.keyboard.press(" ")
    page.wait_for_function(f"!{G}.playing", timeout=15_000)
    page.keyboard.press("r")
    page.wait_for_function(f"{G}.epoch === 0", timeout=15_000)
    page.keyboard.press("f")
    page.wait_for_function("location.search.includes('present=1')", timeout=15_000)
    assert page.locator(".st-key-present input").is_checked()
    assert_no_errors(page)


def test_typing_in_a_field_fires_nothing(open_page):
    page = open_page()
    seed = page.locator(".st-key-seed input")
    seed.click()
    seed.press("s")
    seed.press("r")
    seed.press("ArrowRight")
    page.wait_for_timeout(1500)
    assert nnpg(page)["epoch"] == 0 and not nnpg(page)["playing"]
