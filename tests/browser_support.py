"""What the real-browser tests share: a Streamlit server for a test module, Debian's headless
Chromium driven by Playwright, and a page on the app once the live element has painted. Without
Chromium these tests skip, unless CI=true: then they fail. conftest.py makes the fixtures
available to every test module."""

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "playground" / "app.py"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
START_TIMEOUT = 60  # seconds: a cold first start imports Streamlit, NumPy and the engine
G = "window.__nnpg"


def unavailable(reason: str):
    """Skip, or fail when CI=true: on CI a missing browser is a broken build, not a missing extra."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def find_chromium():
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within {START_TIMEOUT} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield SimpleNamespace(url=url, log=log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    chromium = find_chromium()
    if chromium is None:
        unavailable("no Chromium: neither `chromium` on PATH nor /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
    except Exception as error:
        pw.stop()
        unavailable(f"Chromium at {chromium} did not start: {error}")
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def open_page(browser, server):
    """open_page(query) -> a page on the app, once the live element has painted; its uncaught JS
    errors collect in page.js_errors."""
    contexts = []

    def open_(query: str = ""):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        page.goto(f"{server.url}/{query}")
        page.wait_for_function(f"{G} && {G}.mounts > 0 && {G}.framesPainted > 0", timeout=START_TIMEOUT * 1000)
        return page

    yield open_
    for context in contexts:
        context.close()


def nnpg(page) -> dict:
    return page.evaluate(G)


def canvas_png(page, testid: str) -> bytes:
    url = page.locator(f'[data-testid="{testid}"]').evaluate("c => c.toDataURL('image/png')")
    return base64.b64decode(url.split(",", 1)[1])


def assert_no_errors(page):
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Something went wrong" not in body, body[:2000]
    assert not page.js_errors, page.js_errors


# ---- text boxes (window.__nnpg.textBoxes()) ----------------------------------------------------
def overlaps(a, b, slack=0.5):
    """Two text boxes share more than ``slack`` pixels both ways."""
    side_by_side = a["x1"] - slack <= b["x0"] or b["x1"] - slack <= a["x0"]
    one_above = a["y1"] - slack <= b["y0"] or b["y1"] - slack <= a["y0"]
    return not (side_by_side or one_above)


def inside(box, slack=0.5):
    """A text box stays within its canvas (or area), to ``slack`` pixels."""
    c = box["canvas"]
    return (box["x0"] >= c["x0"] - slack and box["x1"] <= c["x1"] + slack
            and box["y0"] >= c["y0"] - slack and box["y1"] <= c["y1"] + slack)
