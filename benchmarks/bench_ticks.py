#!/usr/bin/env python
"""How long one tick of play takes, without a browser: the Player alone, on the heaviest
configuration the sidebar allows and on the default one.

    python benchmarks/bench_ticks.py [--ticks N] [--tick SECONDS] [--markdown]

Each case builds the app's Model and Player from its configs, presses Play and then, every tick
(by default the live stream's, playground/stream.py TICK = 0.125 s; 0.25 s is the page's, where there
is no stream) of wall time, does what the stream does per request: ``advance(speed)`` (train what is
due and record frames) and ``payload(frames, view)`` (encode them for the element).  A tick's time
is the wall time of those two calls (and, to tell work from waiting for a busy machine's cores,
the process CPU time of the slowest); the target is that no tick takes more than 1.5 x its period.
Reported per case: median, 95th percentile and maximum tick time, frames per tick and the epochs
trained per second of play.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.config import DataConfig, NetConfig, TrainConfig, ViewConfig  # noqa: E402
from playground.model import Model  # noqa: E402
from playground.player import Player  # noqa: E402
from playground.stream import TICK  # noqa: E402

LIMIT = 1.5  # x the tick
HEAVIEST = (DataConfig(name="spiral", n_samples=1000), NetConfig(hidden=(64,) * 6), TrainConfig(batch_size=1))
DEFAULT = (DataConfig(), NetConfig(), TrainConfig())
CASES = [
    ("spiral 1000, 6x64, batch 1", HEAVIEST, "max"),
    ("spiral 1000, 6x64, batch 1", HEAVIEST, 60),
    ("spiral 1000, 6x64, batch 1", HEAVIEST, 1),
    ("moons 200, 8, full batch (default)", DEFAULT, 60),
    ("moons 200, 8, full batch (default)", DEFAULT, "max"),
]


def measure(configs, speed, ticks, tick=TICK):
    player = Player(Model(*configs))
    player.tick = tick
    view = ViewConfig(speed=None if speed == "max" else float(speed))
    player.payload(player.advance(view.speed), view)  # the fresh tick: epoch 0 shown
    player.toggle()
    times, cpu, frames = [], [], []
    start_epoch, start = player.model.epoch, time.perf_counter()
    next_tick = start
    for _ in range(ticks):
        next_tick += tick
        begin, begin_cpu = time.perf_counter(), time.process_time()
        shown = player.advance(view.speed)
        player.payload(shown, view)
        times.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
        frames.append(len(shown))
        time.sleep(max(0.0, next_tick - time.perf_counter()))
    elapsed = time.perf_counter() - start
    times.sort()
    return {"median_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
            "max_ms": 1000 * times[-1], "cpu_max_ms": 1000 * max(cpu),
            "over_limit": sum(t > LIMIT * tick for t in times), "ticks": len(times),
            "frames_per_tick": statistics.mean(frames), "epochs_per_s": (player.model.epoch - start_epoch) / elapsed}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ticks", type=int, default=40, help="ticks measured per case (default 40)")
    parser.add_argument("--tick", type=float, default=TICK, help=f"seconds a tick (default {TICK}: the stream's)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    limit = LIMIT * args.tick
    rows = [(name, speed, measure(configs, speed, args.ticks, args.tick)) for name, configs, speed in CASES]
    head = ["configuration", "speed", "tick ms: median", "p95", "max", "max CPU ms", f"ticks > {1000 * limit:.0f} ms",
            "frames/tick", "epochs/s"]
    lines = [[name, str(speed), f"{r['median_ms']:.0f}", f"{r['p95_ms']:.0f}", f"{r['max_ms']:.0f}",
              f"{r['cpu_max_ms']:.0f}",
              f"{r['over_limit']}/{r['ticks']}", f"{r['frames_per_tick']:.1f}", f"{r['epochs_per_s']:.1f}"]
             for name, speed, r in rows]
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join(":---" if i < 2 else "---:" for i in range(len(head))) + "|")
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        for line in [head, *lines]:
            print("  ".join(f"{cell:>14}" for cell in line))
    worst = max(r["max_ms"] for _, _, r in rows)
    print(f"slowest tick: {worst:.0f} ms (limit {1000 * limit:.0f} ms, tick {1000 * args.tick:.0f} ms)")


if __name__ == "__main__":
    main()
