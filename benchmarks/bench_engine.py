#!/usr/bin/env python
"""Engine speed benchmark: one full-batch training step against scikit-learn and PyTorch.

    python benchmarks/bench_engine.py [--quick] [--markdown] [--json FILE]

Every contender trains a one-hidden-layer tanh network (float64) on the same training rows
(``data.X_train``: moons 200 points / noise 0.2 -> 140 rows; iris -> 105 rows); moons uses
a single sigmoid/logistic output, iris a 3-way softmax.  Contenders per configuration:

* ``net.loss_and_gradients(X, y)``  the engine's public API (loss + gradients, no update)
* ``Trainer.step()``               a full-batch SGD epoch (lr 0.01) incl. test loss/accuracy
* scikit-learn ``MLPClassifier``   solver="sgd", batch = all rows, momentum 0, no shuffle;
                                   time of ``fit()`` over N iterations divided by N
* PyTorch autograd                 forward + loss (BCE-with-logits / cross-entropy)
                                   + backward + ``SGD.step()`` + ``zero_grad()``

Timing, timeit-style: a round runs each contender many times back to back (~50 ms) and
divides; contenders are interleaved round by round, so background load hits all alike.
The figure reported is the MINIMUM over the rounds (9; 3 with --quick) of those per-call
means, in µs; the median over the rounds is kept in the JSON.  It is a report, not a test: the exit
status is 0 unless the benchmark itself fails.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from engine import Network, Trainer, load_dataset  # noqa: E402
from engine.boundary import decision_boundary, plane_for  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None

DATASETS = {"moons": dict(n_samples=200, noise=0.2, test_fraction=0.3, seed=0), "iris": {}}
HIDDEN = (3, 8, 64, 500)
LR = 0.01
CONTENDERS = ("l&g", "step", "sklearn", "torch")
LABELS = {"l&g": "loss_and_gradients", "step": "Trainer.step", "sklearn": "sklearn iter",
          "torch": "torch step"}


def per_call(fn, calls):
    """timeit-style: wall time of ``calls`` back-to-back calls of ``fn`` / calls, in seconds."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def race(contenders, rounds, budget):
    """contenders: name -> (setup() -> fn, iterations per call).  Returns name -> stats (µs)."""
    calls, samples = {}, {name: [] for name in contenders}
    for name, (setup, per) in contenders.items():  # warm up, then size a round to ~budget s
        fn = setup()
        for _ in range(2 if per > 1 else 20):
            fn()
        once = min(per_call(fn, 1) for _ in range(3))
        calls[name] = max(2, min(5000, round(budget / once)))
    names = list(contenders)
    for r in range(rounds):  # interleaved, starting with a different contender each round
        for name in names[r % len(names):] + names[:r % len(names)]:
            setup, per = contenders[name]
            samples[name].append(per_call(setup(), calls[name]) / per * 1e6)
    return {name: {"us": min(m), "median_us": statistics.median(m), "rounds_us": m,
                   "calls_per_round": calls[name]} for name, m in samples.items()}


def engine_contenders(data, hidden, sk_iters):
    X, y = data.X_train, data.y_train
    d, k = X.shape[1], data.n_classes
    sizes = [d, hidden, 1 if k == 2 else k]
    net = Network(sizes, activation="tanh", seed=0)

    def lag():
        return lambda: net.loss_and_gradients(X, y)

    def step():  # a fresh trainer every round: its history stays short, its weights sane
        trainer = Trainer(Network(sizes, activation="tanh", seed=0), data, lr=LR, optimizer="sgd")
        trainer.step()  # allocates the workspaces outside the clock
        return trainer.step

    def sk():
        clf = MLPClassifier((hidden,), activation="tanh", solver="sgd", alpha=0.0, batch_size=len(X),
                            learning_rate="constant", learning_rate_init=LR, momentum=0.0,
                            shuffle=False, tol=0.0, n_iter_no_change=10**9, max_iter=sk_iters,
                            early_stopping=False, random_state=0)
        return lambda: clf.fit(X, y)

    out = {"l&g": (lag, 1), "step": (step, 1), "sklearn": (sk, sk_iters)}
    if torch is not None:
        out["torch"] = (lambda: torch_step(X, y, sizes), 1)
    return out


def torch_step(X, y, sizes):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]), torch.nn.Tanh(),
                                torch.nn.Linear(sizes[1], sizes[2])).double()
    Xt = torch.from_numpy(X)
    if sizes[2] == 1:
        target, loss_fn = torch.from_numpy(y.astype(np.float64)).reshape(-1, 1), torch.nn.BCEWithLogitsLoss()
    else:
        target, loss_fn = torch.from_numpy(y), torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)

    def step():
        loss = loss_fn(model(Xt), target)
        loss.backward()
        opt.step()
        opt.zero_grad()
    return step


def check(results, key, what, value, limit, detail):
    results["targets"].append({"config": key, "target": what, "value": value, "limit": limit,
                               "pass": value <= limit, "detail": detail})


def run(args):
    rounds, budget, sk_iters = (3, 0.01, 50) if args.quick else (9, 0.05, 200)
    results = {"environment": environment(), "rounds": rounds,
               "method": "min over rounds of the per-call mean of a round (timeit-style), µs",
               "sklearn_iterations_per_fit": sk_iters, "rows": [], "boundary": [],
               "targets": []}
    warnings.simplefilter("ignore", ConvergenceWarning)
    for name, kwargs in DATASETS.items():
        data = load_dataset(name, **kwargs)
        for hidden in HIDDEN:
            stats = race(engine_contenders(data, hidden, sk_iters), rounds, budget)
            us = {c: s["us"] for c, s in stats.items()}
            row = {"dataset": name, "rows": len(data.X_train), "hidden": hidden, "stats": stats,
                   "lag_vs_sklearn": us["l&g"] / us["sklearn"], "step_vs_sklearn": us["step"] / us["sklearn"],
                   "lag_vs_torch": us["l&g"] / us["torch"] if "torch" in us else None}
            results["rows"].append(row)
            key = f"{name} h={hidden}"
            if hidden <= 64:
                check(results, key, "loss_and_gradients / sklearn", row["lag_vs_sklearn"], 0.55,
                      f"{us['l&g']:.1f} µs vs {us['sklearn']:.1f} µs")
                if "torch" in us:
                    check(results, key, "loss_and_gradients / torch", row["lag_vs_torch"], 0.35,
                          f"{us['l&g']:.1f} µs vs {us['torch']:.1f} µs")
            check(results, key, "Trainer.step / sklearn", row["step_vs_sklearn"], 1.0,
                  f"{us['step']:.1f} µs vs {us['sklearn']:.1f} µs")
            if hidden == 500:
                check(results, key, "Trainer.step µs", us["step"], 400.0, f"{us['step']:.1f} µs")
            print(f"  done {key}", file=sys.stderr, flush=True)
    data = load_dataset("moons", **DATASETS["moons"])
    net = Network([2, 8, 1], activation="tanh", seed=0)
    for resolution in (100, 200):
        plane = plane_for(data, resolution=resolution)
        stats = race({"boundary": (lambda plane=plane: lambda: decision_boundary(net, plane), 1)},
                     rounds, budget)["boundary"]
        results["boundary"].append({"resolution": resolution, "hidden": 8, **stats})
        if resolution == 100:
            check(results, "moons h=8", "decision_boundary 100x100 µs", stats["us"], 1000.0,
                  f"{stats['us']:.1f} µs")
    return results


def environment():
    env = {"python": platform.python_version(), "numpy": np.__version__, "sklearn": sklearn.__version__,
           "torch": torch.__version__ if torch else None,
           "torch_threads": torch.get_num_threads() if torch else None,
           "cpus": os.cpu_count(), "load_average": os.getloadavg(), "machine": platform.machine()}
    try:
        from threadpoolctl import threadpool_info
        env["blas"] = [f"{p['internal_api']} {p.get('version')} x{p['num_threads']}"
                       for p in threadpool_info() if p["user_api"] == "blas"]
    except ImportError:
        pass
    return env


def table(results, markdown):
    head = ["dataset", "rows", "hidden"] + [LABELS[c] + " µs" for c in CONTENDERS] + \
           ["l&g/sklearn", "l&g/torch", "step/sklearn"]
    body = []
    for r in results["rows"]:
        us = {c: r["stats"][c]["us"] if c in r["stats"] else None for c in CONTENDERS}
        ratios = (r["lag_vs_sklearn"], r["lag_vs_torch"], r["step_vs_sklearn"])
        body.append([r["dataset"], str(r["rows"]), str(r["hidden"])] +
                    [f"{us[c]:.1f}" if us[c] is not None else "-" for c in CONTENDERS] +
                    [f"{x:.2f}" if x is not None else "-" for x in ratios])
    bhead = ["decision_boundary", "hidden", "min µs", "median µs"]
    bbody = [[f"{b['resolution']}x{b['resolution']}", "8", f"{b['us']:.1f}", f"{b['median_us']:.1f}"]
             for b in results["boundary"]]
    thead = ["", "config", "target", "measured", "limit", "numbers"]
    tbody = [["PASS" if t["pass"] else "FAIL", t["config"], t["target"], f"{t['value']:.2f}",
              f"{t['limit']:g}", t["detail"]] for t in results["targets"]]
    return "\n\n".join(render(h, b, markdown) for h, b in ((head, body), (bhead, bbody), (thead, tbody)))


def render(head, body, markdown):
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    fmt = "  ".join(f"{{:{'<' if i < 3 else '>'}{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*head), "  ".join("-" * w for w in widths)] + [fmt.format(*r) for r in body])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and shorter ones (smoke run)")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--json", metavar="FILE", help="also write every measurement to FILE")
    parser.add_argument("--torch-threads", type=int, metavar="N",
                        help="torch.set_num_threads(N) first (default: leave PyTorch's own setting)")
    args = parser.parse_args(argv)
    if args.torch_threads and torch is not None:
        torch.set_num_threads(args.torch_threads)
    results = run(args)
    env = results["environment"]
    env["load_average_end"] = os.getloadavg()
    print(f"NN Playground engine benchmark{' (quick)' if args.quick else ''}: Python {env['python']}, "
          f"numpy {env['numpy']}, scikit-learn {env['sklearn']}, torch {env['torch'] or 'not installed'}"
          f" ({env['torch_threads']} threads); BLAS {', '.join(env.get('blas', [])) or '?'}; "
          f"{env['cpus']} CPUs, load average {' '.join(f'{x:.2f}' for x in env['load_average'])} "
          f"(start) / {' '.join(f'{x:.2f}' for x in env['load_average_end'])} (end)")
    if max(env["load_average"][0], env["load_average_end"][0]) > 0.75 * (env["cpus"] or 1):
        print("Note: the machine is busy (load average vs CPUs); absolute times are inflated, "
              "ratios less so (contenders are interleaved).")
    print(f"Times: {results['method']} ({results['rounds']} interleaved rounds); sklearn = fit() of "
          f"{results['sklearn_iterations_per_fit']} iterations / {results['sklearn_iterations_per_fit']}.\n")
    print(table(results, args.markdown))
    met = sum(t["pass"] for t in results["targets"])
    print(f"\ntargets met: {met}/{len(results['targets'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
