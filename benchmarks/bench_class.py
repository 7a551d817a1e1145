#!/usr/bin/env python
"""A class against one server: N real playing sessions in headless Chromium, N = 1, 2, 4, 8.

    python benchmarks/bench_class.py [--sessions 1 2 4 8] [--seconds 10] [--query "hidden=8"] [--markdown]

One Streamlit server runs playground/app.py (as ``streamlit run``, like each replica of
deploy/serve).  For each N, N browser contexts (separate sessions, like N students) open
``/?play=1`` (plus ``--query``: by default the default network, moons with 8 tanh units at 60
epochs per second) and play; after a warm-up, over a window of ``--seconds``:

  painted fps     per session, the delta of ``window.__nnpg.framesPainted`` over the page's own clock
                  (playground/live.py documents the counters); the table gives the slowest session
                  and the mean
  lag             per session, ``__nnpg.avgLagMs`` and ``p95LagMs`` at the end of the window (server
                  compute -> paint, same machine, same clock); the table gives the worst session
  ticks/s         per session, payloads received per second (``__nnpg.batches``): one per answer of the
                  live stream (playground/stream.py), 8 a second when the session is fully served (its
                  browser asks for them)
  server CPU      utime + stime of the server process over the window, % of one core; per session;
                  and per tick (CPU seconds / ticks received by all sessions)
  students/core   1 / (CPU per tick x 8 ticks a second): how many fully served playing sessions one
                  core carries, extrapolated from this N's cost per tick (a starved browser asks for
                  fewer ticks, so CPU per session alone would flatter a busy machine).  One Streamlit
                  process runs its sessions' Python on one core at a time (the GIL), so C cores serve
                  C times that with C replicas behind deploy/serve.

The browsers run on the same machine as the server (here 2 cores shared), so at large N the fps
and lag also measure the browsers fighting the server for the cores; in a classroom each browser
is on its student's own computer.  The load average before and after each N is printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_live import APPS, CHROMIUM_ARGS, CpuMeter, Server, find_chromium, loadavg  # noqa: E402

from playground.stream import TICK  # noqa: E402

G = "window.__nnpg"
SNAP = f"({{t: performance.now(), frames: {G}.framesPainted, batches: {G}.batches, epoch: {G}.epoch, " \
       f"avg: {G}.avgLagMs, p95: {G}.p95LagMs, playing: {G}.playing}})"
TICKS_PER_SECOND = round(1 / TICK)  # the live stream's requests, playground/stream.py


def open_session(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    page.wait_for_function(f"{G} && {G}.framesPainted > 0 && {G}.playing", timeout=120_000)
    return context, page


def measure(browser, server: Server, n: int, args) -> dict:
    url = f"{server.url}/?play=1" + (f"&{args.query}" if args.query else "")
    load_before = loadavg()
    sessions = [open_session(browser, url) for _ in range(n)]
    try:
        time.sleep(args.warmup)
        cpu = CpuMeter(lambda: [server.pid])
        before = [page.evaluate(SNAP) for _, page in sessions]
        cpu.start()
        time.sleep(args.seconds)
        server_cpu = cpu.percent()
        after = [page.evaluate(SNAP) for _, page in sessions]
    finally:
        for context, _ in sessions:
            context.close()
    fps = [(z["frames"] - a["frames"]) / ((z["t"] - a["t"]) / 1000) for a, z in zip(before, after, strict=True)]
    epochs = [(z["epoch"] - a["epoch"]) / ((z["t"] - a["t"]) / 1000) for a, z in zip(before, after, strict=True)]
    ticks = [(z["batches"] - a["batches"]) / ((z["t"] - a["t"]) / 1000) for a, z in zip(before, after, strict=True)]
    per_session = server_cpu / n
    cpu_per_tick_ms = 10 * server_cpu / sum(ticks) if sum(ticks) else float("nan")  # % of a core -> ms/s
    full_rate = cpu_per_tick_ms * TICKS_PER_SECOND / 10  # % of a core for one fully served session
    return {"sessions": n, "fps_min": min(fps), "fps_mean": statistics.fmean(fps),
            "ticks_per_s_mean": statistics.fmean(ticks), "cpu_per_tick_ms": cpu_per_tick_ms,
            "server_cpu_full_rate": full_rate,
            "epochs_per_s_mean": statistics.fmean(epochs),
            "lag_avg_ms_max": max(z["avg"] for z in after), "lag_p95_ms_max": max(z["p95"] for z in after),
            "server_cpu": server_cpu, "server_cpu_per_session": per_session,
            "students_per_core": 100.0 / full_rate if full_rate > 0 else float("inf"),
            "all_playing": all(z["playing"] for z in after),
            "load_before": load_before, "load_after": loadavg()}


HEAD = ["sessions", "painted fps: slowest (mean)", "lag ms: worst mean (worst p95)", "ticks/s (mean)",
        "server CPU, % of a core", "per session", "CPU ms per tick", f"per session at {TICKS_PER_SECOND} ticks/s",
        "students per core", "load average before → after"]


def cells(r: dict) -> list[str]:
    return [str(r["sessions"]), f"{r['fps_min']:.1f} ({r['fps_mean']:.1f})",
            f"{r['lag_avg_ms_max']:.0f} ({r['lag_p95_ms_max']:.0f})", f"{r['ticks_per_s_mean']:.1f}",
            f"{r['server_cpu']:.1f}", f"{r['server_cpu_per_session']:.1f}", f"{r['cpu_per_tick_ms']:.1f}",
            f"{r['server_cpu_full_rate']:.1f}", f"{r['students_per_core']:.0f}",
            f"{r['load_before'].split()[0]} → {r['load_after'].split()[0]}"]


def table(results: list[dict], markdown: bool) -> str:
    lines = [HEAD, *[cells(r) for r in results]]
    if markdown:
        out = ["| " + " | ".join(HEAD) + " |", "|" + "|".join("---:" for _ in HEAD) + "|"]
        out += ["| " + " | ".join(line) + " |" for line in lines[1:]]
        return "\n".join(out)
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEAD))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)) for line in lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 2, 4, 8], help="N values (default 1 2 4 8)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured window per N (default 10)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of play before measuring (default 5)")
    parser.add_argument("--query", default="", help='share-link settings for every session, e.g. "hidden=64,64"')
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", metavar="FILE", help="write every number to FILE")
    args = parser.parse_args(argv)

    chromium = find_chromium()
    if chromium is None:
        print("no Chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as logs, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        server = Server(APPS["nnpg"], Path(logs))
        try:
            for n in args.sessions:
                results.append(measure(browser, server, n, args))
                print(f"N={n}: {cells(results[-1])}", file=sys.stderr, flush=True)
                time.sleep(2)
            tracebacks = Path(server.log.name).read_text().count("Traceback")
        finally:
            server.stop()
            browser.close()
    print(f"network: {args.query or 'the default (moons, 8 tanh, speed 60)'}; window {args.seconds:g} s per N; "
          f"server tracebacks: {tracebacks}")
    print(table(results, args.markdown))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
