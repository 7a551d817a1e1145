#!/usr/bin/env python
"""Live-performance benchmark: NN Playground against the plain st.plotly_chart approach, in headless Chromium.

    python benchmarks/bench_live.py [--seconds N] [--minutes-soak M] [--markdown] [--json FILE]
    python benchmarks/bench_live.py --only nnpg --hidden 64,64,64,64,64,64 --evaluate browser,server --steady-only

Each app runs in its own Streamlit server (its own free port, one after the other, the same browser
settings); both train moons (200 points, noise 0.2), one hidden layer of 8 tanh units, SGD lr 0.3,
and draw a 100 x 100 decision boundary.  The contenders:

* NN Playground      ``playground/app.py``: one persistent Components v2 element that pulls a batch
                     of frames every 0.1 s over the live stream (playground/stream.py), painted
                     with requestAnimationFrame.
* plain plotly_chart ``benchmarks/baseline_plotly_app.py``: ``st.fragment(run_every=0.1)`` that
                     trains and redraws a Plotly heatmap + scatter every run.

Per app, on one page opened with ``?play=1`` (default speed, 60 epochs per second):

1. warm-up, then a window of ``--seconds`` (default 10) of play:
   painted fps   NN Playground: delta of ``window.__nnpg.framesPainted`` (the element counts a frame when
                 its rAF loop paints a new training frame) over the page's own ``performance.now()``;
                 baseline: new figures seen by a rAF poller in the page (a ``.js-plotly-plot`` whose
                 ``_fullLayout.meta.seq`` is newer than any before: Plotly has drawn it into the DOM).
   lag           ``Date.now()`` when a frame is painted minus the unix ms at which the server computed it
                 (NN Playground: the element's ``lastLagMs``, sampled once per painted frame; baseline:
                 ``meta.t`` of each new figure).  Server and browser share the clock: one machine.  For NN
                 Playground it includes the element's deliberate playback buffer (frames are computed a tick
                 ahead and replayed on the play clock).
   server CPU    utime + stime of the Streamlit server process (/proc/PID/stat, all threads) over the
                 window, as % of one core; browser CPU likewise, summed over every Chromium process.
   WebSocket     bytes per second the page received on Streamlit's WebSocket (one page: one session).
   ticks         NN Playground's batches received per second (one per live-fragment run), and the server's
                 CPU per tick: what one rerun of the fragment costs, training and Streamlit included.
2. slider -> new network, ``--changes`` times (default 10) each for two controls, alternately up and
   down, 0.4-0.9 s apart, while playing: from the ``keydown`` (a capturing listener in the page,
   ``performance.now()``) on a focused control to the first paint of the new network
   (NN Playground: ``__nnpg.runShownAt``, stamped by the element when it first paints a frame of a new
   ``run``; baseline: the rAF poller's time when a figure with a new ``meta.run`` appears).  Controls:
   the "Noise" slider (new data and network) in both apps, and the first hidden layer's neuron count
   (NN Playground: the "Layer 1" number input, ArrowUp/ArrowDown; baseline: a "Neurons" slider).
3. the "Speed" slider set to its last stop ("max") with the End key: epochs per second = delta of the
   painted epoch over ``--seconds``/2 (at least 4 s), and the server's CPU meanwhile.
4. soak, on a fresh page: ``--minutes-soak`` (default 1) of play, sampling every few seconds the
   server's RSS (/proc/PID/status VmRSS) and the page's JS heap (Chrome DevTools Protocol
   ``Performance.getMetrics`` JSHeapUsedSize, after ``HeapProfiler.collectGarbage``); the slopes are
   least-squares fits over the samples after the first fifth (warm-up), in MB per minute; "flat" server
   memory: RSS grew less than 10 MB from the end of that warm-up to the end of the soak.

``--hidden 64,8,8,8,8,8`` opens NN Playground with those hidden layers (a share link's ``hidden=``);
``--evaluate browser,server`` runs NN Playground once per side that evaluates the network over the
plane (the app's NNPG_EVALUATE), one after the other, and adds a table of their steady play;
``--steady-only`` measures steady play only (step 1).

Prints metric | NN Playground | plain st.plotly_chart | target | PASS/FAIL (PASS/FAIL judges NN Playground)
and ends with "targets met: X/Y".  It is a report: the exit status is 0 unless the benchmark itself fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = {"nnpg": ROOT / "playground" / "app.py", "plotly": ROOT / "benchmarks" / "baseline_plotly_app.py"}
NAMES = {"nnpg": "NN Playground", "plotly": "plain st.plotly_chart"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Installed before the page's own scripts: one rAF poller that reads either app's counters into
# window.__bench, and the keydown stamp for the slider latency.
PROBE = """
(() => {
  const B = window.__bench = {frames: 0, epoch: 0, run: null, runShownAt: null, mounts: 0, lags: [],
                              inputAt: null, sentAt: null, sentWall: null, seq: null, plots: new WeakSet(), kind: null};
  document.addEventListener("keydown", () => { B.inputAt = performance.now(); B.sentAt = null; }, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {  // the first message to the server after the input
    if (B.inputAt !== null && B.sentAt === null) { B.sentAt = performance.now(); B.sentWall = Date.now(); }
    return send.call(this, data);
  };
  let painted = null, batches = null;
  B.transits = [];
  function poll() {
    const G = window.__nnpg;
    if (G) {
      B.kind = "nnpg";
      if (painted !== null && G.framesPainted > painted && G.lastLagMs != null) B.lags.push(G.lastLagMs);
      painted = G.framesPainted;
      if (batches !== null && G.batches > batches && G.transitMs != null) B.transits.push(G.transitMs);
      batches = G.batches;
      B.frames = G.framesPainted; B.epoch = G.epoch; B.run = G.run; B.runShownAt = G.runShownAt;
      B.mounts = G.mounts;
    } else {
      for (const gd of document.querySelectorAll(".js-plotly-plot")) {
        const m = gd._fullLayout && gd._fullLayout.meta;
        if (!m) continue;
        if (!B.plots.has(gd)) { B.plots.add(gd); B.mounts += 1; B.kind = "plotly"; }
        if (m.run === B.run && m.seq <= B.seq) continue;
        if (m.run !== B.run) { B.run = m.run; B.runShownAt = performance.now(); }
        B.seq = m.seq; B.frames += 1; B.epoch = m.epoch;
        B.lags.push(Date.now() - m.t);
      }
    }
    if (B.lags.length > 5000) B.lags.splice(0, 1000);
    if (B.transits.length > 5000) B.transits.splice(0, 1000);
    requestAnimationFrame(poll);
  }
  requestAnimationFrame(poll);
})();
"""
SNAP = "({t: performance.now(), frames: __bench.frames, epoch: __bench.epoch, run: __bench.run, " \
       "mounts: __bench.mounts, nlags: __bench.lags.length, batches: window.__nnpg ? __nnpg.batches : null})"


# ---- processes ---------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds; 0 if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(text[text.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class CpuMeter:
    """CPU seconds of a set of processes (re-discovered at each reading) over a wall-clock window."""

    def __init__(self, pids):
        self.pids = pids
        self.seen: dict[int, float] = {}

    def _total(self) -> float:
        for pid in self.pids():
            self.seen[pid] = max(self.seen.get(pid, 0.0), cpu_seconds(pid))
        return sum(self.seen.values())

    def start(self) -> None:
        self.c0, self.t0 = self._total(), time.perf_counter()

    def percent(self) -> float:
        return 100.0 * (self._total() - self.c0) / (time.perf_counter() - self.t0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, app: Path, log_dir: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_dir / f"{app.stem}-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"streamlit did not answer on {self.url} within 60 s")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# ---- statistics --------------------------------------------------------------------------
def quantile(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def slope_per_minute(samples):
    """Least-squares slope of (seconds, value) pairs, per minute, after the first fifth."""
    pts = samples[len(samples) // 5:]
    if len(pts) < 3:
        return float("nan")
    ts, vs = [t for t, _ in pts], [v for _, v in pts]
    mt, mv = statistics.fmean(ts), statistics.fmean(vs)
    den = sum((t - mt) ** 2 for t in ts)
    return 60.0 * sum((t - mt) * (v - mv) for t, v in zip(ts, vs)) / den if den else float("nan")


# ---- one app -----------------------------------------------------------------------------
class Bench:
    def __init__(self, kind: str, browser, args, log_dir: Path, side: str | None = None, stream: str | None = None):
        self.kind, self.browser, self.args = kind, browser, args
        env = {"NNPG_EVALUATE": side, "NNPG_STREAM": stream} if side else None
        self.server = Server(APPS[kind], log_dir, env)
        self.out: dict = {"app": NAMES[kind], "evaluated_by": side, "stream": stream}
        self.query = "/?play=1" + (f"&hidden={args.hidden}" if kind == "nnpg" and args.hidden else "")
        self.ws_bytes = 0
        self.driver_pid = os.getpid()

    def open(self):
        context = self.browser.new_context(viewport={"width": 1400, "height": 900})
        context.add_init_script(PROBE)
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", self._count))
        page.goto(self.server.url + self.query)
        page.wait_for_function("window.__bench && __bench.frames > 0", timeout=60_000)
        return context, page

    def _count(self, payload) -> None:
        self.ws_bytes += len(payload)

    def snap(self, page) -> dict:
        return page.evaluate(SNAP)

    def browser_pids(self):
        """Every Chromium process under this one (not the Streamlit server, not Playwright's driver)."""
        out = []
        for pid in descendants(self.driver_pid):
            try:
                if "chrom" in Path(f"/proc/{pid}/comm").read_text():
                    out.append(pid)
            except OSError:
                pass
        return out

    def run(self) -> dict:
        try:
            context, page = self.open()
            self.steady(page)
            if self.args.steady_only:
                context.close()
                return self.out
            self.sliders(page)
            self.max_speed(page)
            self.out["remounts"] = self.snap(page)["mounts"] - 1
            context.close()
            self.soak()
            log = Path(self.server.log.name).read_text()
            self.out["server_tracebacks"] = log.count("Traceback")
        finally:
            self.server.stop()
        return self.out

    def steady(self, page) -> None:
        time.sleep(self.args.warmup)
        server, chrome = CpuMeter(lambda: [self.server.pid]), CpuMeter(self.browser_pids)
        a, b0 = self.snap(page), self.ws_bytes
        n_transits = page.evaluate("__bench.transits.length")
        server.start()
        chrome.start()
        time.sleep(self.args.seconds)
        z = self.snap(page)
        o = self.out
        o["server_cpu"], o["browser_cpu"] = server.percent(), chrome.percent()
        dt = (z["t"] - a["t"]) / 1000
        lags = page.evaluate(f"__bench.lags.slice({a['nlags']}, {z['nlags']})")
        o["fps"] = (z["frames"] - a["frames"]) / dt
        o["epochs_per_s_default"] = (z["epoch"] - a["epoch"]) / dt
        o["lag_median"], o["lag_p95"] = quantile(lags, 0.5), quantile(lags, 0.95)
        o["lag_samples"] = len(lags)
        o["transit_median"] = quantile(page.evaluate(f"__bench.transits.slice({n_transits})"), 0.5)
        o["ws_kb_per_s"] = (self.ws_bytes - b0) / 1024 / dt
        o["load"] = loadavg()
        if z["batches"] is not None:
            o["ticks_per_s"] = (z["batches"] - a["batches"]) / dt
            o["cpu_ms_per_tick"] = 10 * o["server_cpu"] / o["ticks_per_s"] if o["ticks_per_s"] else float("nan")
        o["server_rss_mb"] = rss_mb(self.server.pid)

    def _control(self, page, name):
        """The focusable element of a control, by the st-key-<key> class Streamlit gives keyed widgets."""
        if name == "neurons" and self.kind == "nnpg":
            return page.locator(".st-key-neurons_1 input")
        key = {"nnpg": {"noise": "noise", "speed": "speed"},
               "plotly": {"noise": "noise", "neurons": "neurons", "speed": "speed"}}[self.kind][name]
        return page.locator(f".st-key-{key}").get_by_role("slider")

    def change(self, page, control, key) -> dict:
        """Press key on the focused control; ms from the keydown to the first paint of the new network,
        and the parts: keydown -> first WebSocket message sent; sent -> the element receives the new run
        (NN Playground only: __nnpg.runRecvWall); received -> painted."""
        run = self.snap(page)["run"]
        control.focus()
        page.keyboard.press(key)
        page.wait_for_function(f"__bench.run !== {json.dumps(run)} && __bench.runShownAt >= __bench.inputAt",
                               timeout=15_000)
        return page.evaluate("""() => {
            const B = __bench, G = window.__nnpg;
            return {total: B.runShownAt - B.inputAt, send: B.sentAt === null ? null : B.sentAt - B.inputAt,
                    server: G && B.sentWall ? G.runRecvWall - B.sentWall : null,
                    paint: G ? G.runShownWall - G.runRecvWall : null};
        }""")

    def sliders(self, page) -> None:
        rng = random.Random(0)
        for name in ("noise", "neurons"):
            control = self._control(page, name)
            up, down = ("ArrowUp", "ArrowDown") if name == "neurons" else ("ArrowRight", "ArrowLeft")
            parts = []
            for i in range(self.args.changes):
                parts.append(self.change(page, control, up if i % 2 == 0 else down))
                time.sleep(0.4 + 0.5 * rng.random())
            times = [p["total"] for p in parts]
            self.out[f"{name}_latency"] = parts
            self.out[f"{name}_median"], self.out[f"{name}_p90"] = quantile(times, 0.5), quantile(times, 0.9)
            for part in ("send", "server", "paint"):
                values = [p[part] for p in parts if p[part] is not None]
                self.out[f"{name}_{part}_median"] = quantile(values, 0.5)
        time.sleep(1.0)

    def max_speed(self, page) -> None:
        speed = self._control(page, "speed")
        speed.focus()
        page.keyboard.press("End")
        page.wait_for_function("document.activeElement.getAttribute('aria-valuetext') === 'max'", timeout=5_000)
        time.sleep(2.0)
        server = CpuMeter(lambda: [self.server.pid])
        window = max(4.0, self.args.seconds / 2)
        a = self.snap(page)
        server.start()
        time.sleep(window)
        z = self.snap(page)
        self.out["max_epochs_per_s"] = (z["epoch"] - a["epoch"]) / ((z["t"] - a["t"]) / 1000)
        self.out["max_server_cpu"] = server.percent()
        self.out["max_fps"] = (z["frames"] - a["frames"]) / ((z["t"] - a["t"]) / 1000)
        self.out["max_speed_value"] = speed.get_attribute("aria-valuetext")

    def soak(self) -> None:
        context, page = self.open()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        time.sleep(self.args.warmup)
        seconds = self.args.minutes_soak * 60
        every = max(10.0, seconds / 40)
        server = CpuMeter(lambda: [self.server.pid])
        server.start()
        a, t0 = self.snap(page), time.perf_counter()
        rss, heap = [], []
        while True:
            now = time.perf_counter() - t0
            cdp.send("HeapProfiler.collectGarbage")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            rss.append((now, rss_mb(self.server.pid)))
            heap.append((now, metrics["JSHeapUsedSize"] / 2**20))
            if now >= seconds:
                break
            time.sleep(min(every, seconds - now + 0.01))
        z = self.snap(page)
        o = self.out
        o["soak_minutes"] = self.args.minutes_soak
        o["soak_fps"] = (z["frames"] - a["frames"]) / ((z["t"] - a["t"]) / 1000)
        o["soak_remounts"] = z["mounts"] - 1
        o["soak_server_cpu"] = server.percent()
        o["rss_start"], o["rss_end"], o["rss_slope"] = rss[0][1], rss[-1][1], slope_per_minute(rss)
        o["rss_growth"] = rss[-1][1] - rss[len(rss) // 5][1]
        o["heap_start"], o["heap_end"] = heap[0][1], heap[-1][1]
        o["heap_max"], o["heap_slope"] = max(v for _, v in heap), slope_per_minute(heap)
        o["rss_samples"], o["heap_samples"] = rss, heap
        context.close()


# ---- report ------------------------------------------------------------------------------
def fmt(v, digits=0):
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    return f"{v:,.{digits}f}"


def rows(r: dict):
    """(metric, NN Playground, baseline, target, pass or None) per row."""
    n, b = r["nnpg"], r["plotly"]

    def pair(o, k1, k2, d=0):
        return f"{fmt(o.get(k1), d)} ({fmt(o.get(k2), d)})" if o else "—"

    def one(o, k, d=0):
        return fmt(o.get(k), d) if o else "—"

    out = [
        ("painted frames per second (60 epochs/s)", one(n, "fps", 1), one(b, "fps", 1), "≥ 50", n["fps"] >= 50),
        ("training epochs per second shown (speed 60)", one(n, "epochs_per_s_default", 1),
         one(b, "epochs_per_s_default", 1), "", None),
        ("remounts: live element / new Plotly chart nodes", one(n, "remounts"), one(b, "remounts"), "0",
         n["remounts"] == 0),
        ("lag computation → paint, ms: median (p95)", pair(n, "lag_median", "lag_p95"),
         pair(b, "lag_median", "lag_p95"), "≤ 150 (median)", n["lag_median"] <= 150),
        ("Noise slider → new network painted, ms: median (p90)", pair(n, "noise_median", "noise_p90"),
         pair(b, "noise_median", "noise_p90"), "≤ 150 (median)", n["noise_median"] <= 150),
        ("neurons control → new network painted, ms: median (p90)", pair(n, "neurons_median", "neurons_p90"),
         pair(b, "neurons_median", "neurons_p90"), "≤ 150 (median)", n["neurons_median"] <= 150),
        ("training epochs per second at speed \"max\"", one(n, "max_epochs_per_s"), one(b, "max_epochs_per_s"),
         "≥ 1000", n["max_epochs_per_s"] >= 1000),
        ("server CPU per playing session, % of a core", one(n, "server_cpu", 1), one(b, "server_cpu", 1), "≤ 3",
         n["server_cpu"] <= 3),
        ("server CPU at speed \"max\", % of a core", one(n, "max_server_cpu", 1), one(b, "max_server_cpu", 1), "",
         None),
        ("painted frames per second at speed \"max\"", one(n, "max_fps", 1), one(b, "max_fps", 1), "", None),
        ("browser CPU (all Chromium processes), % of a core", one(n, "browser_cpu", 1), one(b, "browser_cpu", 1),
         "", None),
        ("WebSocket data received, kB/s", one(n, "ws_kb_per_s"), one(b, "ws_kb_per_s"), "≤ 50",
         n["ws_kb_per_s"] <= 50),
        (f"soak ({r['args']['minutes_soak']:g} min): painted fps, remounts",
         f"{one(n, 'soak_fps', 1)}, {one(n, 'soak_remounts')}", f"{one(b, 'soak_fps', 1)}, {one(b, 'soak_remounts')}",
         "≥ 50, 0", n["soak_fps"] >= 50 and n["soak_remounts"] == 0),
        ("soak: browser JS heap after GC, max MB", one(n, "heap_max", 1), one(b, "heap_max", 1), "< 100",
         n["heap_max"] < 100),
        ("soak: browser JS heap slope, MB/min", one(n, "heap_slope", 2), one(b, "heap_slope", 2), "", None),
        ("soak: server RSS start → end, MB", f"{one(n, 'rss_start')} → {one(n, 'rss_end')}",
         f"{one(b, 'rss_start')} → {one(b, 'rss_end')}", "", None),
        ("soak: server RSS growth after warm-up, MB", one(n, "rss_growth", 1), one(b, "rss_growth", 1),
         "flat: < 10", n["rss_growth"] < 10),
        ("soak: server RSS slope, MB/min", one(n, "rss_slope", 2), one(b, "rss_slope", 2), "", None),
        ("soak: server CPU, % of a core", one(n, "soak_server_cpu", 1), one(b, "soak_server_cpu", 1), "≤ 3",
         n["soak_server_cpu"] <= 3),
        ("tracebacks in the server's log", one(n, "server_tracebacks"), one(b, "server_tracebacks"), "", None),
    ]
    return out


def table(r: dict, markdown: bool) -> str:
    head = ("metric", NAMES["nnpg"], NAMES["plotly"], "target", "PASS/FAIL")
    body = [(m, a, b, t, "" if ok is None else ("PASS" if ok else "FAIL")) for m, a, b, t, ok in rows(r)]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join([":---", "---:", "---:", ":---:", ":---:"]) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(5)]
    line = "  ".join("-" * w for w in widths)
    fmt_row = lambda row: "  ".join(c.ljust(w) if i in (0, 3, 4) else c.rjust(w)  # noqa: E731
                                    for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([fmt_row(head), line, *map(fmt_row, body)])


def breakdown(r: dict) -> str:
    """Where the control -> new network time goes (medians, ms)."""
    lines = []
    for kind in ("nnpg", "plotly"):
        o = r[kind]
        for name in ("noise", "neurons"):
            if f"{name}_median" not in o:
                continue
            text = (f"{NAMES[kind]}, {name}: total {fmt(o[f'{name}_median'])} = keydown -> request sent "
                    f"{fmt(o[f'{name}_send_median'])}")
            if kind == "nnpg":
                text += (f" + sent -> element receives the new run {fmt(o[f'{name}_server_median'])}"
                         f" + received -> painted {fmt(o[f'{name}_paint_median'])}")
            else:
                text += " + server, transit and Plotly drawing (the rest)"
            lines.append(text)
    n = r["nnpg"]
    text = "control -> new network, medians in ms:\n  " + "\n  ".join(lines)
    if "transit_median" in n:
        text += (f"\nlag, NN Playground: median {fmt(n['lag_median'])} ms, of which server -> element transit of a "
                 f"batch {fmt(n['transit_median'])} ms; the rest is the element's playback buffer (a tick's frames "
                 "are computed together, then shown on the play clock)")
    return text


def sides_table(sides: dict, markdown: bool) -> str:
    """Steady play of NN Playground per variant: where the network is evaluated over the plane, and
    whether the live stream feeds the element (off: the page's live fragment ticks)."""
    head = ("boundary computed in, stream", "painted fps", "lag ms: median (p95)", "server CPU, % of a core",
            "ticks/s", "server CPU ms a tick", "WebSocket kB/s", "browser CPU, %", "load average")
    body = [(side, fmt(o.get("fps"), 1), f"{fmt(o.get('lag_median'))} ({fmt(o.get('lag_p95'))})",
             fmt(o.get("server_cpu"), 1), fmt(o.get("ticks_per_s"), 1), fmt(o.get("cpu_ms_per_tick"), 1),
             fmt(o.get("ws_kb_per_s"), 1), fmt(o.get("browser_cpu"), 1), o.get("load", "?"))
            for side, o in sides.items()]
    if markdown:
        return "\n".join(["| " + " | ".join(head) + " |", "|" + "|".join([":---"] + ["---:"] * (len(head) - 1)) + "|",
                          *("| " + " | ".join(row) + " |" for row in body)])
    return "\n".join("  ".join(row) for row in [head, *body])


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def find_chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="steady-play window per app (default 10)")
    ap.add_argument("--minutes-soak", type=float, default=1.0, help="soak length per app (default 1)")
    ap.add_argument("--changes", type=int, default=10, help="slider changes per control (default 10)")
    ap.add_argument("--warmup", type=float, default=4.0, help="seconds of play before measuring (default 4)")
    ap.add_argument("--only", choices=sorted(APPS), help="benchmark one app only")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--json", metavar="FILE", help="write every number to FILE")
    ap.add_argument("--hidden", help="NN Playground's hidden layers, e.g. 64,8,8,8,8,8 (default: the app's, 8)")
    ap.add_argument("--evaluate", default="browser",
                    help="where NN Playground evaluates the network over the plane: browser, server, or both "
                         "comma-separated (a run each, compared in a table of steady play; default browser)")
    ap.add_argument("--stream", default="on",
                    help="whether the live stream feeds NN Playground's element (NNPG_STREAM): on, off (the page's "
                         "live fragment ticks instead), or both comma-separated (default on)")
    ap.add_argument("--steady-only", action="store_true", help="measure steady play only: no controls, max, soak")
    args = ap.parse_args(argv)
    streams = [stream.strip() for stream in args.stream.split(",") if stream.strip()]
    sides = [(side.strip(), stream) for side in args.evaluate.split(",") if side.strip() for stream in streams]

    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found (looked for `chromium` on PATH and /usr/bin/chromium)", file=sys.stderr)
        return 1
    result: dict = {"args": vars(args), "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                                    "load_before": loadavg()}, "nnpg": {}, "plotly": {}}
    log_dir = Path(tempfile.mkdtemp(prefix="bench_live_"))
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        result["machine"]["chromium"] = browser.version
        for kind in APPS:
            if args.only and kind != args.only:
                continue
            for side, stream in sides if kind == "nnpg" else [(None, None)]:
                print(f"... {NAMES[kind]} {side or ''} {stream or ''} (load {loadavg()})", file=sys.stderr, flush=True)
                out = Bench(kind, browser, args, log_dir, side, stream).run()
                if side:
                    result.setdefault("sides", {})[f"{side}, {stream}"] = out
                result[kind] = result[kind] or out  # the first side in the main table
        browser.close()
    finally:
        pw.stop()
    result["machine"]["load_after"] = loadavg()
    m = result["machine"]
    print(f"Chromium {m['chromium']} headless, Python {m['python']}, {m['cpus']} CPUs, load average "
          f"{m['load_before']} before / {m['load_after']} after; moons, hidden {args.hidden or '8'} tanh, "
          "100x100 grid; "
          f"{args.seconds:g} s window, {args.changes} changes per control, {args.minutes_soak:g} min soak per app.\n")
    if args.only:
        other = "plotly" if args.only == "nnpg" else "nnpg"
        result[other] = {}
    if len(result.get("sides", {})) > 1 or args.steady_only:
        print(sides_table(result["sides"], args.markdown) + "\n")
    if result["nnpg"] and not args.steady_only:
        print(table(result, args.markdown))
        checks = [ok for *_, ok in rows(result) if ok is not None]
        print("\n" + breakdown(result))
        print(f"\ntargets met: {sum(checks)}/{len(checks)}")
    elif not args.steady_only:
        print(json.dumps(result["plotly"], indent=1, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
