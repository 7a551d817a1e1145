"""The live stream in a real browser (fixtures: browser_support.py; playground/stream.py): while the
network plays its batches come over the element's own WebSocket, not from reruns of the page; Pause
stops the asking at once, Play resumes it, and a control moved while playing shows a new network
that plays on over the stream."""

from browser_support import assert_no_errors, nnpg


def stream(page) -> dict:
    return nnpg(page).get("stream") or {}


def test_a_playing_network_is_fed_by_the_stream_not_by_reruns(open_page):
    page = open_page("?play=1")
    page.wait_for_function("(window.__nnpg.stream || {}).answered > 5", timeout=30_000)
    before = nnpg(page)
    page.wait_for_timeout(3000)
    after = nnpg(page)
    assert after["pageUpdates"] == before["pageUpdates"]  # no rerun of the live fragment while it plays
    answered = after["stream"]["answered"] - before["stream"]["answered"]
    assert 8 <= answered <= 25, (before, after)  # 8 a second (stream.TICK), never more than asked
    assert after["stream"]["asked"] - after["stream"]["answered"] - after["stream"]["empty"] <= 1
    assert after["epoch"] - before["epoch"] >= 60, (before, after)  # 60 a second, room for a busy machine
    assert after["stream"]["opened"] == 1 and after["stream"]["closed"] == 0
    assert after["avgLagMs"] < 400  # bench_live measures it: ~75 ms on a quiet machine
    assert_no_errors(page)


def test_pause_stops_the_stream_and_play_resumes_it(open_page):
    page = open_page("?play=1")
    page.wait_for_function("(window.__nnpg.stream || {}).answered > 3", timeout=30_000)
    page.locator(".st-key-play button").click()
    page.wait_for_function("window.__nnpg.playing === false", timeout=15_000)
    page.wait_for_timeout(500)
    paused = nnpg(page)
    page.wait_for_timeout(1500)
    still = nnpg(page)
    assert still["epoch"] == paused["epoch"] and still["stream"]["asked"] == paused["stream"]["asked"]
    page.locator(".st-key-play button").click()
    page.wait_for_function(f"window.__nnpg.epoch > {still['epoch'] + 30}", timeout=15_000)
    assert stream(page)["answered"] > still["stream"]["answered"] and stream(page)["opened"] == 1
    assert_no_errors(page)


def test_a_control_moved_while_playing_plays_on_over_the_stream(open_page):
    page = open_page("?play=1")
    page.wait_for_function("(window.__nnpg.stream || {}).answered > 3", timeout=30_000)
    run = nnpg(page)["run"]
    page.locator(".st-key-regenerate button").click()
    page.wait_for_function(f"window.__nnpg.run !== {run!r}", timeout=15_000)
    answered = stream(page)["answered"]
    page.wait_for_function(f"window.__nnpg.stream.answered > {answered + 10} && window.__nnpg.epoch > 30",
                           timeout=15_000)
    assert nnpg(page)["playing"] is True
    assert_no_errors(page)


def test_where_the_websocket_cannot_get_through_the_page_feeds_the_element(browser, server):
    """A proxy that passes only Streamlit's own WebSocket: the element gives up on the stream after two
    failed attempts, says so, and asks the page for each tick; the network plays on."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        page.route_web_socket("**/nnpg/stream*", lambda socket: socket.close(code=1002, reason="blocked"))
        page.goto(f"{server.url}/?play=1")
        page.wait_for_function("window.__nnpg && (window.__nnpg.stream || {}).viaPage > 8", timeout=60_000)
        before = nnpg(page)
        page.wait_for_timeout(3000)
        after = nnpg(page)
        assert after["stream"]["opened"] == 0 and after["stream"]["answered"] == 0, after
        # ~4 page runs a second and 60 epochs a second on a quiet machine; a busy one asks less often
        assert after["pageUpdates"] - before["pageUpdates"] >= 4, (before, after)
        assert after["epoch"] - before["epoch"] >= 30 and after["playing"] is True, (before, after)
        page.locator(".st-key-play button").click()  # Pause still pauses
        page.wait_for_function("window.__nnpg.playing === false", timeout=15_000)
        page.wait_for_timeout(800)
        asked = nnpg(page)["stream"]["viaPage"]
        page.wait_for_timeout(1000)
        assert nnpg(page)["stream"]["viaPage"] == asked
        assert_no_errors(page)
    finally:
        context.close()
