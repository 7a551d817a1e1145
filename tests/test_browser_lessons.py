"""A lesson in a real browser: ``?lesson=xor`` opens it, Run lesson trains it on the server and the
verdict appears in the ``lesson-verdict`` container; the live view then shows the trained network
and keeps it while the timer ticks on. Fixtures from browser_support.py (a Streamlit server for this
module, headless Chromium); without Chromium these tests skip, unless CI=true: then they fail."""

from browser_support import START_TIMEOUT, G, assert_no_errors, nnpg  # fixtures: conftest.py
from playwright.sync_api import TimeoutError as PlaywrightTimeout


def test_a_link_opens_the_xor_lesson_and_running_it_shows_the_verdict(open_page):
    page = open_page("?lesson=xor")
    lesson = page.locator(".st-key-lesson-verdict")
    assert "XOR needs a hidden layer" in page.locator("body").inner_text()
    assert "once the lesson has run" in lesson.inner_text()
    assert nnpg(page)["epoch"] == 0
    page.locator(".st-key-lesson_run button").click()
    page.wait_for_function(
        "() => (document.querySelector('.st-key-lesson-verdict') || {}).innerText?.includes('Passed')",
        timeout=START_TIMEOUT * 1000)
    words = lesson.inner_text()
    assert "Not yet" not in words
    assert "3 hidden neurons: predictions [0, 1, 1, 0]" in words
    assert "no hidden layer: final train loss 0.693" in words
    assert "truth table" in words
    page.wait_for_function(f"{G}.epoch === 1000", timeout=15_000)  # the live view shows the trained run
    run = nnpg(page)["run"]
    page.wait_for_timeout(2000)  # eight timer ticks later: still the lesson's trained network
    state = nnpg(page)
    assert (state["run"], state["epoch"]) == (run, 1000)
    assert page.locator(".st-key-hidden_layers input").input_value() == "1"
    assert page.locator(".st-key-neurons_1 input").input_value() == "3"
    assert "lesson=xor" in page.url
    assert_no_errors(page)


def test_the_menu_opens_a_lesson_with_its_controls(open_page):
    page = open_page()
    page.locator("summary", has_text="Lessons").click()  # the section starts closed when no lesson is open
    menu = page.locator(".st-key-lesson_pick")
    menu.wait_for(state="visible")
    page.wait_for_timeout(300)  # the section's opening animation
    option = page.get_by_role("option", name="The learning rate")
    for _ in range(3):  # a rerun still drawing the opened section can close the list: open it again, as a person would
        menu.click()
        try:
            option.wait_for(timeout=4_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    option.click()
    page.wait_for_function(
        "() => document.querySelector('.st-key-hidden_layers input')?.value === '3'", timeout=15_000)
    page.wait_for_timeout(1500)  # timer ticks carry the new values, not the old ones
    assert page.locator(".st-key-hidden_layers input").input_value() == "3"
    assert page.locator(".st-key-neurons_3 input").input_value() == "8"
    assert "The learning rate" in page.locator("body").inner_text()
    page.wait_for_function("() => location.search.includes('lesson=learning_rate')", timeout=5_000)
    assert_no_errors(page)
