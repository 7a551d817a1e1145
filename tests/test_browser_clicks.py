"""One action per click, in a real browser (fixtures: browser_support.py). Streamlit sends a click
that coincides with the live view's timer tick twice (playground/clicks.py); before the fix, 60
clicks on Step made 62–66 steps and a Play click could play and pause at once. Clicks here come at
random moments against the ticking live view, many of them, so that a duplicate would show."""

import random

from browser_support import assert_no_errors, nnpg

CLICKS = 40


def settle(page, key: str = "epoch"):
    """Wait until the shown value stops changing (the last click's payload has been painted)."""
    last, still = None, 0
    for _ in range(60):
        now = nnpg(page)[key]
        still = still + 1 if now == last else 0
        if still >= 4:
            return now
        last = now
        page.wait_for_timeout(250)
    return last


def test_every_step_click_is_one_epoch(open_page):
    page = open_page()
    rng = random.Random(3)
    start = settle(page)
    for _ in range(CLICKS):
        page.locator(".st-key-step button").click()
        page.wait_for_timeout(rng.uniform(60, 400))
    page.wait_for_function(f"window.__nnpg.epoch >= {start + CLICKS}", timeout=30_000)
    assert settle(page) == start + CLICKS
    assert_no_errors(page)


def test_every_play_click_toggles_once(open_page):
    """Each click flips Play/Pause once and it stays flipped: a duplicate would flip it back."""
    page = open_page()
    rng = random.Random(5)
    for k in range(1, CLICKS // 2 + 1):
        playing = k % 2 == 1
        page.wait_for_timeout(rng.uniform(0, 250))  # a random moment against the 0.25 s tick
        page.locator(".st-key-play button").click()
        page.wait_for_function(f"window.__nnpg.playing === {str(playing).lower()}", timeout=15_000)
        page.wait_for_timeout(700)  # a duplicate would have flipped it back by now
        assert nnpg(page)["playing"] is playing, k
        label = "Pause" if playing else "Play"
        page.wait_for_function(f"document.querySelector('.st-key-play button').innerText.trim().endsWith('{label}')",
                               timeout=5_000)
    epoch = settle(page)
    page.wait_for_timeout(1000)
    assert nnpg(page)["epoch"] == epoch and nnpg(page)["playing"] is False
    assert_no_errors(page)


def test_a_link_that_diverges_at_once_shows_it_and_offers_play(open_page):
    """A run that stops itself on its first ticks: the element is left a full batch (player.payload)
    and the Play button, drawn by the controls, is redrawn to say Play (the "stopped" event)."""
    page = open_page("?lr=10&play=1&activation=relu&hidden=8,8,8")
    page.wait_for_function("document.querySelector('#nnpg-state')?.textContent.includes('diverged')", timeout=30_000)
    page.wait_for_function("document.querySelector('.st-key-play button').innerText.trim().endsWith('Play')",
                           timeout=10_000)
    assert nnpg(page)["playing"] is False
    assert "hidden=8%2C8%2C8" in page.url or "hidden=8,8,8" in page.url  # the link's settings stayed
    assert_no_errors(page)
