"""The command line: ``python -m engine train ...`` trains a network and reports its loss and accuracy;
``python -m engine export MODEL.npz --format python -o predict.py`` writes a saved model as a
standalone NumPy script (or ``--format json``).

Exit status: 0 after a successful run, 1 when training diverged, 2 for a bad argument or
input (one ``error: ...`` line on stderr, never a traceback), 130 when interrupted.
"""

import argparse
import json
import math
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

from .activations import ACTIVATIONS, OUTPUTS
from .datasets import DATASETS, load_csv, load_dataset
from .evaluation import METRICS, REGRESSION_METRICS, evaluate_row
from .export import FORMATS
from .features import INPUTS
from .heads import HEADS, head_of, heads_for
from .initializers import INITIALIZERS
from .lesson_cli import add_command as add_lesson_command
from .lesson_cli import run as run_lesson
from .losses import LOSS_FUNCTIONS
from .network import Network
from .optimizers import OPTIMIZERS
from .tasks import CLASSIFICATION, REGRESSION, TASKS
from .trainer import Trainer

MAX_UNITS = 4096
MAX_LAYERS = 20
BAR_WIDTH = 30
EXIT_OK, EXIT_DIVERGED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_DATASET = "moons"

EPILOG = """\
exit status: 0 on success, 1 when training diverged (the report says why and what to try),
2 for a bad argument or input file, 130 when interrupted.

examples:
  python -m engine train --dataset moons --hidden 8 8 --activation tanh --lr 0.5 --epochs 2000
  python -m engine train --dataset iris --hidden --epochs 500          # logistic regression
  python -m engine train --csv data.csv --target label --optimizer adam --lr 0.01 --json
  python -m engine train --dataset circles --inputs x1sq x2sq --hidden --lr 0.5   # a circle, no hidden layer
  python -m engine train --dataset multigauss --hidden 8 8 --optimizer adam --lr 0.01 --json  # regression
  python -m engine train --csv houses.csv --target price --task regression
"""


EXPORT_EPILOG = """\
exit status: 0 on success, 2 for a bad argument or model file (one line on stderr).

examples:
  python -m engine export moons.npz --format python -o predict.py
  python predict.py points.csv            # one predicted class name per line
  python predict.py --proba points.csv    # class probabilities as CSV
  python -m engine export moons.npz --format json -o moons.json
"""


class UsageError(Exception):
    """A bad argument found after parsing (reported like argparse's own errors)."""


class ArgumentParser(argparse.ArgumentParser):
    """Reports a usage error as one line, ``error: <message>``, and exits with status 2."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"error: {message}\n")


# ---- argument types ----------------------------------------------------------
def _number(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def positive_float(text):
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def nonnegative_float(text):
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _integer(text, least):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be >= {least}, got {text}")
    return value


def nonnegative_int(text):
    return _integer(text, 0)


def positive_int(text):
    return _integer(text, 1)


def labelled(registry):
    """``name = Label, ...`` for a registry's entries, the label only where it says more than the name."""
    return ", ".join(name if entry.label == name else f"{name} = {entry.label}" for name, entry in registry.items())


def build_parser():
    """The parser, its choices and help built from the registries as they are now."""
    parser = ArgumentParser(prog="python -m engine", description="NN Playground's NumPy engine.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    train = commands.add_parser(
        "train", help="train a network on a dataset and report loss and accuracy",
        description="Train a fully connected network on a built-in dataset or a CSV file and print the\n"
                    "train/test loss and accuracy (a progress bar goes to stderr when it is a terminal).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)

    data = train.add_argument_group("data")
    source = data.add_mutually_exclusive_group()
    source.add_argument("--dataset", choices=DATASETS, help=f"built-in dataset (default: {DEFAULT_DATASET}): " +
                        "; ".join(f"{name}: {spec.label}, {spec.n_samples} rows, noise {spec.noise:g}"
                                  for name, spec in DATASETS.items()))
    source.add_argument("--csv", metavar="FILE", help="CSV file with a header row, numeric features and a label column")
    data.add_argument("--target", metavar="COL", help="label column of --csv, by name (default: the last column)")
    data.add_argument("--task", choices=TASKS,
                      help="what --csv's label column is: classes (classification, the default) or a number "
                           "to predict (regression); a built-in dataset says its own: " +
                           ", ".join(f"{name} ({spec.task})" for name, spec in DATASETS.items()
                                     if spec.task != CLASSIFICATION))
    data.add_argument("--samples", type=int, metavar="N", help="rows to generate (default: per dataset)")
    data.add_argument("--noise", type=nonnegative_float, metavar="X", help="noise of the generated data")
    data.add_argument("--test-fraction", type=float, default=0.3, metavar="F",
                      help="share of rows held out for testing, 0..0.9 (default: 0.3)")

    model = train.add_argument_group("network")
    model.add_argument("--inputs", nargs="+", choices=INPUTS, metavar="NAME",
                       help="input features computed from the two plane coordinates (a dataset with 2 features), "
                            f"as TensorFlow Playground's: {labelled(INPUTS)} (default: the features as they are)")
    model.add_argument("--hidden", type=nonnegative_int, nargs="*", default=[8], metavar="N",
                       help=f"hidden layer sizes, 1..{MAX_UNITS} units, at most {MAX_LAYERS} layers "
                            "(default: 8); none, or 0, = logistic regression")
    bounded = [name for name, activation in ACTIVATIONS.items() if activation.bounded]
    bounded = " and ".join([", ".join(bounded[:-1]), bounded[-1]] if len(bounded) > 1 else bounded)
    model.add_argument("--activation", choices=ACTIVATIONS, default="tanh",
                       help=f"hidden activation (default: tanh): {labelled(ACTIVATIONS)}; {bounded} are bounded")
    two, more = (HEADS[heads_for(k)[0]].output for k in (2, 3))
    model.add_argument("--output", choices=OUTPUTS,
                       help=f"output layer (default: {two} for 2 classes, {more} for more)")
    model.add_argument("--loss", choices=LOSS_FUNCTIONS,
                       help="loss (default: the one that pairs with the output); pairs: " +
                            ", ".join(f"{head.output}+{head.loss}" for head in HEADS.values()))
    model.add_argument("--init", choices=INITIALIZERS, default="xavier",
                       help=f"weight init (default: xavier): {labelled(INITIALIZERS)}")
    model.add_argument("--no-bias", dest="bias", action="store_false", help="layers without biases")

    training = train.add_argument_group("training")
    training.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                          help=f"update rule (default: sgd): {labelled(OPTIMIZERS)}")
    training.add_argument("--lr", type=positive_float, default=0.1, help="learning rate, > 0 (default: 0.1)")
    training.add_argument("--epochs", type=nonnegative_int, default=1000, metavar="N",
                          help="epochs (passes over the training rows) to train (default: 1000)")
    training.add_argument("--batch-size", type=positive_int, metavar="N", help="mini-batch size (default: full batch)")
    training.add_argument("--l2", type=nonnegative_float, default=0.0, metavar="A", help="L2 penalty (default: 0)")
    training.add_argument("--l1", type=nonnegative_float, default=0.0, metavar="A", help="L1 penalty (default: 0)")
    training.add_argument("--seed", type=nonnegative_int, default=0, help="seeds data, weights, shuffling (default: 0)")

    report = train.add_argument_group("output")
    report.add_argument("--save", metavar="FILE.npz", help="write the trained model (Network.load reads it)")
    report.add_argument("--json", action="store_true", help="print one JSON object, no table or bar")
    add_export_command(commands)
    add_lesson_command(commands)
    return parser


def add_export_command(commands):
    export = commands.add_parser(
        "export", help="write a saved model as a standalone NumPy script or as JSON",
        description="Write a model saved by 'train --save' (or downloaded from the app) as a standalone\n"
                    "NumPy script with the weights inlined, or as JSON (config, feature and class names,\n"
                    "standardisation, weights).",
        epilog=EXPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("model", metavar="MODEL.npz", help="the saved model")
    export.add_argument("--format", choices=FORMATS, default="python", help="python (default) or json")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")


# ---- the pieces of a run -------------------------------------------------------
def hidden_sizes(hidden):
    if hidden == [0]:
        return []
    if len(hidden) > MAX_LAYERS:
        raise UsageError(f"argument --hidden: at most {MAX_LAYERS} layers, got {len(hidden)}")
    for units in hidden:
        if not 1 <= units <= MAX_UNITS:
            hint = " (--hidden alone or --hidden 0 is logistic regression)" if units == 0 else ""
            raise UsageError(f"argument --hidden: layer sizes must be 1..{MAX_UNITS}, got {units}{hint}")
    return hidden


def save_path(save):
    if save is None:
        return None
    path = Path(save if save.endswith(".npz") else save + ".npz")
    if not path.parent.is_dir():
        raise UsageError(f"argument --save: directory {str(path.parent)!r} does not exist")
    return path


def load_data(args):
    if args.csv is None:
        if args.target is not None:
            raise UsageError("argument --target: only with --csv")
        name = args.dataset or DEFAULT_DATASET
        if args.task is not None and args.task != DATASETS[name].task:
            raise UsageError(f"argument --task: {name} is a {DATASETS[name].task} dataset")
        return load_dataset(name, n_samples=args.samples, noise=args.noise,
                            test_fraction=args.test_fraction, seed=args.seed)
    for option in ("samples", "noise"):
        if getattr(args, option) is not None:
            raise UsageError(f"argument --{option}: only with --dataset, not --csv")
    return load_csv(args.csv, target=args.target, test_fraction=args.test_fraction, seed=args.seed,
                    task=args.task or CLASSIFICATION)


def build_network(args, data):
    head = head_of(args.output, args.loss, data.n_classes)
    return Network.for_data(data, hidden_sizes(args.hidden), head.key, inputs=args.inputs,
                            activation=args.activation, init=args.init, bias=args.bias, seed=args.seed)


class Progress:
    """A one-line bar on a terminal stream, redrawn with ``\\r`` at most ~20 times a second."""

    def __init__(self, stream, total):
        self.stream, self.total, self.last = stream, total, 0.0

    def update(self, row, force=False):
        now = time.perf_counter()
        if not force and now - self.last < 0.05:
            return
        self.last = now
        done = row["epoch"] if row else 0
        filled = BAR_WIDTH * done // self.total if self.total else BAR_WIDTH
        score = "" if row is None else (f"acc {row['train_accuracy']:.1%}" if row["train_accuracy"] is not None
                                        else f"R² {row['train_r2']:.3f}" if row.get("train_r2") is not None else "")
        loss = f"  loss {row['train_loss']:.4f}  {score}" if row else ""
        self.stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{self.total}{loss}\x1b[K")
        self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()


def train(trainer, epochs, progress):
    row = None
    for _ in range(epochs):
        step = trainer.step()
        if step is None:
            break
        row = step
        if progress:
            progress.update(row)
    if progress:
        progress.update(row, force=True)
        progress.close()


def summary(args, data, net, trainer, seconds, saved):
    """The final weights' figures (one :class:`EpochRow`) and what was trained, as a dict."""
    with np.errstate(all="ignore"):
        final = evaluate_row(net, data, trainer.epoch)
    regression = data.task == REGRESSION
    return {
        **{metric: final[metric] for metric in METRICS + (REGRESSION_METRICS if regression else ())},
        "epochs": len(trainer.history), "epochs_requested": args.epochs,
        "diverged": trainer.diverged and trainer.diverged.message,
        "dataset": data.name, "task": data.task, "n_train": len(data.X_train), "n_test": len(data.X_test),
        "n_features": data.n_features, "n_classes": data.n_classes, "class_names": data.class_names,
        "inputs": None if net.inputs is None else list(net.inputs),
        "sizes": net.sizes, "activation": net.activation, "output": net.output, "loss": net.loss,
        "init": net.init, "bias": net.bias, "n_params": net.n_params,
        "optimizer": trainer.optimizer, "lr": trainer.lr, "batch_size": trainer.batch_size,
        "l2": trainer.l2, "l1": trainer.l1, "seed": args.seed,
        "seconds": round(seconds, 3), "saved": saved,
    }


def _cell(value, form):
    return f"{'-':>10}" if value is None or not math.isfinite(value) else format(value, form)


def table(result, save_requested=False):
    r = result
    batch = "full batch" if r["batch_size"] is None else f"batches of {r['batch_size']}"
    target = "a value to predict (regression)" if r["task"] == REGRESSION else f"{r['n_classes']} classes"
    inputs = f", inputs {' '.join(r['inputs'])}" if r["inputs"] else ""
    lines = [
        f"{r['dataset']}: {r['n_train']} train / {r['n_test']} test rows, "
        f"{r['n_features']} features, {target}",
        f"network {r['sizes']}{inputs}: {r['activation']} -> {r['output']}, {r['loss']}, "
        f"{r['n_params']} parameters",
        f"{r['optimizer']}, lr {r['lr']:g}, {batch}: {r['epochs']} epochs in {r['seconds']:.2f} s",
        "",
        *_figure_lines(r),
    ]
    if r["diverged"]:
        lines += ["", textwrap.fill(r["diverged"], width=88)]
    if r["saved"]:
        lines += ["", f"model saved to {r['saved']}"]
    elif save_requested:
        lines += ["", "model not saved: training diverged"]
    return "\n".join(lines)


def _figure_lines(r):
    """The train and test rows of the figures: loss and accuracy, or for regression loss, MSE and R²."""
    columns = ((("mse", "MSE", "10.4f"), ("r2", "R²", "10.4f")) if r["task"] == REGRESSION
               else (("accuracy", "accuracy", "10.2%"),))
    lines = [f"{'':6} {'loss':>10}" + "".join(f" {title:>10}" for _, title, _ in columns)]
    for split in ("train", "test"):
        lines.append(f"{split:6} {_cell(r[f'{split}_loss'], '10.4f')}" +
                     "".join(f" {_cell(r[f'{split}_{name}'], form)}" for name, _, form in columns))
    return lines


def json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def run_train(args):
    path = save_path(args.save)
    data = load_data(args)
    net = build_network(args, data)
    trainer = Trainer(net, data, lr=args.lr, optimizer=args.optimizer, batch_size=args.batch_size,
                      l2=args.l2, l1=args.l1, seed=args.seed)
    show_bar = not args.json and sys.stderr.isatty()
    progress = Progress(sys.stderr, args.epochs) if show_bar else None
    start = time.perf_counter()
    train(trainer, args.epochs, progress)
    seconds = time.perf_counter() - start
    saved = None
    if path is not None and not trainer.diverged:
        net.save(path, data=data)
        saved = str(path)
    result = summary(args, data, net, trainer, seconds, saved)
    if args.json:
        print(json.dumps({key: json_safe(value) for key, value in result.items()}))
    else:
        print(table(result, save_requested=path is not None))
    return EXIT_DIVERGED if trainer.diverged else EXIT_OK


def run_export(args):
    net = Network.load(args.model)
    text = FORMATS[args.format](net)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(args.output)
    if not path.parent.is_dir():
        raise UsageError(f"argument -o: directory {str(path.parent)!r} does not exist")
    path.write_text(text, encoding="utf-8")
    return EXIT_OK


COMMANDS = {"train": run_train, "export": run_export, "lesson": run_lesson}


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits for --help (0) and for usage errors (2)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except (UsageError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
