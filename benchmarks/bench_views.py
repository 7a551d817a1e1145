"""The live view with the views below it open: painted frames per second and server CPU while
training plays, each view open against all closed, measured in the same run (interleaved rounds).

    python benchmarks/bench_views.py [--seconds 6] [--rounds 3] [--views inside_hidden ...] [--markdown]

Target (issue 8): with the hidden space open while training plays — the one view that follows
training live — the live view still paints >= 50 frames per second; its extra server CPU is stated.
The other views draw once when training pauses, so they cost nothing while it plays.
Needs Debian's Chromium (/usr/bin/chromium); the default network (moons, 8 tanh units, speed 60)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_live import APPS, CHROMIUM_ARGS, CpuMeter, Server, descendants, find_chromium, loadavg  # noqa: E402

G = "window.__nnpg"
TARGET_FPS = 50.0


def painted(page) -> dict:
    return page.evaluate(f"({{t: performance.now(), frames: {G}.framesPainted}})")


def measure(page, server, seconds: float) -> tuple[float, float]:
    """Painted fps and server CPU (% of a core) over ``seconds`` of play."""
    meter = CpuMeter(lambda: [server.pid, *descendants(server.pid)])
    start = painted(page)
    meter.start()
    page.wait_for_timeout(seconds * 1000)
    end = painted(page)
    cpu = meter.percent()
    return (end["frames"] - start["frames"]) / ((end["t"] - start["t"]) / 1000), cpu


def toggle(page, key: str) -> None:
    page.locator(f".st-key-{key} summary").click()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=6.0, help="window per measurement (default 6)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    ap.add_argument("--views", nargs="+", default=["inside_hidden"], help="expander keys to open, one at a time")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found (/usr/bin/chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    load_before = loadavg()
    results: dict[str, list[tuple[float, float]]] = {"all closed": [], **{v: [] for v in args.views}}
    with tempfile.TemporaryDirectory() as logs, sync_playwright() as pw:
        server = Server(APPS["nnpg"], Path(logs))
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(server.url + "/?play=1")
            page.wait_for_function(f"{G} && {G}.playing && {G}.framesPainted > 30", timeout=60_000)
            page.wait_for_timeout(3000)
            for _ in range(args.rounds):
                results["all closed"].append(measure(page, server, args.seconds))
                for view in args.views:
                    toggle(page, view)
                    page.wait_for_timeout(2500)  # opened, drawn, following training
                    results[view].append(measure(page, server, args.seconds))
                    toggle(page, view)
                    page.wait_for_timeout(1500)
            assert page.evaluate(f"{G}.mounts") == 1, "the live element remounted"
        finally:
            browser.close()
            server.stop()
    closed_fps = statistics.median(f for f, _ in results["all closed"])
    closed_cpu = statistics.median(c for _, c in results["all closed"])
    rows = []
    met = 0
    for name, samples in results.items():
        fps = statistics.median(f for f, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        verdict = ""
        if name != "all closed":
            ok = fps >= TARGET_FPS
            met += ok
            verdict = "PASS" if ok else "FAIL"
        rows.append((name, f"{fps:.1f}", f"{cpu:.1f}", f"{cpu - closed_cpu:+.1f}" if name != "all closed" else "",
                     f"{fps / closed_fps:.2f}", verdict))
    head = ("open", "painted fps (median)", "server CPU %", "extra CPU %", "fps / all closed", "≥ 50 fps")
    print(f"Chromium headless, {args.rounds} rounds of {args.seconds:g} s, load {load_before} before / "
          f"{loadavg()} after; moons, 8 tanh units, speed 60, 1400×900")
    if args.markdown:
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        for row in (head, *rows):
            print("  ".join(f"{cell:>20}" for cell in row))
    print(f"targets met: {met}/{len(args.views)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
