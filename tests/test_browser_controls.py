"""Controls at their limits in Chromium (issue 7's bugs): typing past a number's maximum says so
next to the field and changes nothing (fixtures: browser_support.py)."""

from browser_support import G, assert_no_errors, nnpg


def test_typing_more_hidden_layers_than_allowed_says_the_range_and_keeps_the_network(open_page):
    page = open_page()
    run = nnpg(page)["run"]
    field = page.locator(".st-key-hidden_layers input")
    field.click()
    field.fill("7")
    field.press("Enter")
    alert = page.locator(".st-key-hidden_layers [role=alert]")
    alert.wait_for(state="attached")
    assert "between 0 and 6" in alert.inner_text()
    assert field.get_attribute("aria-invalid") == "true"
    page.wait_for_timeout(1500)
    assert nnpg(page)["run"] == run  # no new network was built
    field.fill("2")
    field.press("Enter")
    page.wait_for_function(f"{G}.run > {run}", timeout=10_000)  # a valid value does build one
    assert page.locator(".st-key-hidden_layers [role=alert]").count() == 0
    assert_no_errors(page)
