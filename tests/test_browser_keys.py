"""Keyboard shortcuts in Chromium: s and → step, space plays and pauses, r resets, f toggles
presenter mode; nothing fires while typing in a field (fixtures: browser_support.py)."""

from browser_support import G, assert_no_errors, nnpg


def test_shortcuts_press_the_controls(open_page):
    page = open_page()
    page.locator(".st-key-step button").wait_for()
    page.locator(".st-key-present input").wait_for(state="attached")
    page.evaluate("document.activeElement && document.activeElement.blur()")  # the page, not a widget, has focus
    page.keyboard.press("s")
    page.wait_for_function(f"{G}.epoch === 1", timeout=15_000)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"{G}.epoch === 2", timeout=15_000)
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
