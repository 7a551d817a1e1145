"""Share links in a real browser: the same link opened in two browser contexts gives the same
losses after the same steps; the address bar follows the controls; a locked control is disabled
and a bad parameter gets its notice (fixtures: browser_support.py)."""

from browser_support import assert_no_errors, nnpg

LINK = "?dataset=circles&hidden=5,3&lr=0.3&batch=20&data_seed=3&seed=9&activation=relu"


def steps(page, times: int) -> dict:
    for done in range(1, times + 1):
        page.locator(".st-key-step button").click()
        page.wait_for_function(f"window.__nnpg.epoch >= {done}", timeout=15_000)
    return nnpg(page)


def test_the_same_link_gives_the_same_run_in_two_browsers(open_page):
    first, second = open_page(LINK), open_page(LINK)
    a, b = steps(first, 10), steps(second, 10)
    assert a["epoch"] == b["epoch"] == 10
    assert a["loss"] == b["loss"] and a["testLoss"] == b["testLoss"]
    other = open_page(LINK.replace("seed=9", "seed=8"))
    assert steps(other, 10)["loss"] != a["loss"]  # the link, not chance, made them equal
    for page in (first, second, other):
        assert_no_errors(page)


def test_the_address_bar_follows_the_controls(open_page):
    page = open_page("?lr=0.03")
    assert "lr=0.03" in page.url
    page.locator(".st-key-seed input").fill("5")
    page.locator(".st-key-seed input").press("Enter")
    page.wait_for_function("location.search.includes('seed=5')", timeout=15_000)
    assert "lr=0.03" in page.url


def test_locks_and_notices(open_page):
    page = open_page("?lock=lr,hidden&lr=fast")
    assert page.locator(".st-key-hidden_layers input").is_disabled()
    assert page.locator(".st-key-lr [disabled]").count() > 0
    assert page.locator(".st-key-dataset input").is_enabled()
    notice = page.get_by_text("Link parameter 'lr=fast'")
    assert notice.is_visible()
    assert_no_errors(page)
