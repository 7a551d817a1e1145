"""deploy/serve: two replicas behind nginx on loopback, several browser sessions.

The sessions spread over both replicas (by the route cookie nginx gives each browser), each stays
on its replica (every request of a browser, its WebSocket included, and its reloads), all play;
when one replica stops, its students see the app's message that they were moved and the others
go on playing.  Skips when nginx is missing, unless CI=true (then it fails: .ci/run installs it)."""

import random
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from browser_support import START_TIMEOUT, G, assert_no_errors, nnpg, unavailable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy"))
import serve  # noqa: E402  (deploy/serve.py: not a package)

from playground.replica import MESSAGE, moved  # noqa: E402

SESSIONS = (2, 1)  # browser sessions wanted on the first replica, on the second
QUERY = "?play=1&speed=10"  # 10 frames a second: three playing pages on a shared 2-core machine
MOVED_WITHIN = 60  # seconds: Streamlit's reconnection backs off between tries


def test_a_session_moved_when_another_replica_served_its_page():
    assert moved("8641", 8642)
    assert moved("127.0.0.1:8641", 8642)
    assert not moved("8642", 8642)
    assert not moved(None, 8642) and not moved("", 8642)  # no nginx in front: nothing to say


def test_the_nginx_config_is_sticky_by_cookie_and_proxies_websockets(tmp_path):
    config = serve.nginx_config("127.0.0.1", 8080, [8081, 8082, 8083], tmp_path)
    assert "hash $route_key consistent;" in config
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", config) == ["8081", "8082", "8083"]
    assert "listen 127.0.0.1:8080;" in config
    assert "proxy_set_header Upgrade $http_upgrade;" in config and "Connection $connection_upgrade" in config
    assert f"client_max_body_size {serve.max_upload_mb() + 1}m;" in config
    assert "$$" not in config and f"pid {tmp_path}/nginx.pid;" in config  # every placeholder filled
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        return
    (tmp_path / "nginx.conf").write_text(config)
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                              "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def _free_ports(count):
    """``count`` consecutive free loopback ports."""
    for _ in range(200):
        base = random.randint(20000, 40000)
        if not any(serve.port_taken("127.0.0.1", base + i) for i in range(count)):
            return base
    pytest.fail("no free ports")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        unavailable("nginx is not installed (apt-get install nginx)")
    port = _free_ports(3)
    served = serve.Deployment(2, port, workdir=tmp_path_factory.mktemp("serve"))
    try:
        served.start()
    except SystemExit as error:
        pytest.fail(str(error))
    yield served
    served.stop()


def _replica(response):
    """The replica that answered: X-NNPG-Upstream holds the addresses tried, the last one answered."""
    return int(response.headers["x-nnpg-upstream"].split(",")[-1].rsplit(":", 1)[1])


def _route(context):
    return {c["name"]: c["value"] for c in context.cookies()}["nnpg_route"]


def _routes_in_log(deployment):
    """route -> {replica port: [paths]} from nginx's access log."""
    seen = defaultdict(lambda: defaultdict(list))
    for line in (deployment.workdir / "access.log").read_text().splitlines():
        found = re.search(r'"GET (\S+) [^"]*" (\d+) \d+ upstream=(\S+(?:, \S+)*) route=(\S+)', line)
        if found:
            path, _, upstreams, route = found.groups()
            seen[route][int(upstreams.split(",")[-1].rsplit(":", 1)[1])].append(path)
    return seen


def _play(page, tries=3):
    """Press Play (again if a click lands while the page is still rendering) until epochs are painted."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_function(f"{G} && {G}.mounts > 0", timeout=START_TIMEOUT * 1000)
    for _ in range(tries):
        page.locator(".st-key-play button").click()
        try:
            page.wait_for_function(f"{G}.playing && {G}.epoch > 0", timeout=START_TIMEOUT * 1000 / tries)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"Play did not start after {tries} clicks")


def _all_advance(pages, seconds=6):
    """Every page paints new frames of later epochs over ``seconds``."""
    before = [nnpg(page) for page in pages]
    time.sleep(seconds)
    after = [nnpg(page) for page in pages]
    for b, a in zip(before, after, strict=True):
        assert a["playing"] and a["framesPainted"] >= b["framesPainted"] + 5 and a["epoch"] > b["epoch"], (b, a)


def test_sessions_spread_stick_play_and_survive_a_stopped_replica(deployment, browser):
    url = deployment.url
    by_replica = defaultdict(list)  # replica port -> [(context, route)]
    contexts = []
    for _ in range(40):  # new browsers until each replica has its sessions: the route is random
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        reply = context.request.get(url)
        replica = _replica(reply)
        wanted = dict(zip(deployment.replica_ports, SESSIONS, strict=True))
        if len(by_replica[replica]) < wanted[replica]:
            by_replica[replica].append((context, _route(context)))
        if all(len(by_replica[p]) == wanted[p] for p in deployment.replica_ports):
            break
    assert sorted(by_replica) == deployment.replica_ports, "the route cookies all hashed to one replica"
    assert len(contexts) < 40
    try:
        pages = {}
        for replica, sessions in by_replica.items():
            for context, route in sessions:
                page = context.new_page()
                page.set_default_timeout(20_000)
                page.js_errors = []
                page.on("pageerror", lambda error, page=page: page.js_errors.append(str(error)))
                response = page.goto(url + QUERY)
                assert _replica(response) == replica, "the page went to another replica than its cookie's"
                assert _route(context) == route  # the cookie is not replaced
                pages[page] = replica
        for page in pages:
            page.wait_for_function(f"{G} && {G}.framesPainted > 0 && {G}.epoch > 0", timeout=START_TIMEOUT * 1000)
            assert_no_errors(page)

        # each stays on its replica: a reload goes back to it, and it plays again
        for page, replica in pages.items():
            assert _replica(page.reload()) == replica
        for page in pages:
            _play(page)
        _all_advance(list(pages))
        log = _routes_in_log(deployment)
        for (_context, route), replica in ((s, r) for r, ss in by_replica.items() for s in ss):
            assert set(log[route]) == {replica}, f"route {route} was served by {set(log[route])}"
            assert any(path.startswith("/_stcore/") for path in log[route][replica])

        # one replica stops: its students are told, the others go on
        stopped, running = deployment.replica_ports
        deployment.replicas[stopped].terminate()
        deployment.replicas[stopped].wait(15)
        moved_pages = [p for p, r in pages.items() if r == stopped]
        staying = [p for p, r in pages.items() if r == running]
        for page in moved_pages:
            page.get_by_text(MESSAGE).wait_for(timeout=MOVED_WITHIN * 1000)
        _all_advance(staying)
        for page in staying:
            assert page.get_by_text(MESSAGE).count() == 0
            assert nnpg(page)["playing"]
        for page in moved_pages:  # a working app on the replica still running: Play trains again
            _play(page)
            assert_no_errors(page)
        assert deployment.nginx.poll() is None
    finally:
        for context in contexts:
            context.close()
