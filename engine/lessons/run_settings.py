"""A lesson run's settings, named as in the playground's share links, and what they build.

Each :class:`Setting` reads a value from a lesson file (a JSON value) or from the command line
(text) and says what it stands for when the lesson leaves it out: the playground's own default,
so that a run built here and the same settings opened in the app give the same data, the same
starting weights and the same training.  ``noise`` is relative to the dataset's usual amount,
``hidden`` lists the hidden layer sizes (``"8,4"``; ``""`` for none), ``batch`` is ``"full"``
or a size, ``reg`` ``none``/``l1``/``l2`` with its ``reg_rate``, ``x``/``y`` the features of the
plane for a dataset with more than two (trained on unless ``all_features``).  ``epochs`` is the
lesson's own: how long the run trains.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..activations import ACTIVATIONS
from ..datasets import DATASETS, Dataset, load_dataset
from ..heads import HEADS, heads_for, output_units
from ..initializers import INITIALIZERS
from ..network import Network
from ..optimizers import OPTIMIZERS
from ..trainer import Trainer

REGULARISERS = ("none", "l1", "l2")
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
MAX_EPOCHS = 100_000
MAX_UNITS = 4096


# ---- readers: a JSON value or a command-line text -> the value, or ValueError saying why -------
def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) else None


def choice(options: Callable[[], Mapping | tuple]) -> Callable[[Any], str]:
    def read(value):
        names = list(options())
        if _text(value) not in names:
            raise ValueError(f"must be one of {', '.join(names)}; got {value!r}")
        return _text(value)

    return read


def number(low: float, high: float = math.inf, low_open: bool = False) -> Callable[[Any], float]:
    bound = f"> {low:g}" if low_open else f">= {low:g}"
    span = f"a number {bound}" + ("" if high == math.inf else f" and <= {high:g}")

    def read(value):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise ValueError(f"must be {span}; got {value!r}") from None
        if (not isinstance(value, numbers.Real) or isinstance(value, bool) or not math.isfinite(value)
                or value < low or (low_open and value == low) or value > high):
            raise ValueError(f"must be {span}; got {value!r}")
        return float(value)

    return read


def whole(low: int, high: int) -> Callable[[Any], int]:
    def read(value):
        if isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                raise ValueError(f"must be a whole number from {low} to {high}; got {value!r}") from None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}; got {value!r}")
        return int(value)

    return read


def flag(value) -> bool:
    if isinstance(value, bool):
        return value
    if _text(str(value)).lower() in TRUE:
        return True
    if _text(str(value)).lower() in FALSE:
        return False
    raise ValueError(f"must be true or false (1 or 0); got {value!r}")


def hidden(value) -> tuple[int, ...]:
    """``"8,4"`` -> (8, 4); ``""`` -> () (no hidden layer: logistic regression)."""
    text = _text(value)
    if text is None:
        raise ValueError(f'must be layer sizes as text, like "8,4", or "" for none; got {value!r}')
    if text == "":
        return ()
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f'must be layer sizes as text, like "8,4", or "" for none; got {value!r}') from None
    if any(not 1 <= size <= MAX_UNITS for size in sizes):
        raise ValueError(f"layer sizes must be 1..{MAX_UNITS}; got {value!r}")
    return sizes


def batch(value) -> int | None:
    """``"full"`` -> None (full batch); otherwise a mini-batch size."""
    if _text(value) == "full":
        return None
    try:
        return whole(1, 10**9)(value)
    except ValueError:
        raise ValueError(f'must be "full" or a whole number >= 1; got {value!r}') from None


def feature(value) -> str | None:
    text = _text(value)
    if not text:
        raise ValueError(f"must be a feature name of the dataset; got {value!r}")
    return text


# ---- the table -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    """``read(value)`` checks and converts a value; ``default`` is the playground's (None: it depends
    on the dataset, see :func:`resolve`); ``text(value)`` writes it as a share link does."""

    name: str
    read: Callable[[Any], Any]
    default: Any
    help: str

    def text(self, value) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if self.name == "hidden":
            return ",".join(str(size) for size in value)
        if value is None and self.name == "batch":
            return "full"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


SETTINGS: dict[str, Setting] = {setting.name: setting for setting in (
    Setting("dataset", choice(lambda: DATASETS), "moons", "built-in dataset"),
    Setting("samples", whole(1, 100_000), 200, "points in all (the XOR truth table: 4; iris: at most 150)"),
    Setting("noise", number(0.0), 1.0, "noise, times the dataset's usual amount"),
    Setting("test", number(0.0, 0.9), 0.3, "share of the points held out for testing"),
    Setting("data_seed", whole(0, 2**31 - 1), 0, "seed of the data"),
    Setting("x", feature, None, "horizontal feature of the plane (default: the second-last)"),
    Setting("y", feature, None, "vertical feature of the plane (default: the last)"),
    Setting("all_features", flag, False, "train on every feature, not only the plane's two"),
    Setting("hidden", hidden, (8,), 'hidden layer sizes, "8,4"; "" for none'),
    Setting("activation", choice(lambda: ACTIVATIONS), "tanh", "hidden activation"),
    Setting("head", choice(lambda: HEADS), None, "output · loss, 'output:loss' (default: the natural one)"),
    Setting("init", choice(lambda: INITIALIZERS), "xavier", "weight initialisation"),
    Setting("bias", flag, True, "layers with biases (0: without, as some tutorials build them)"),
    Setting("seed", whole(0, 2**31 - 1), 0, "seed of the starting weights and the shuffling"),
    Setting("lr", number(0.0, low_open=True), 0.3, "learning rate"),
    Setting("optimizer", choice(lambda: OPTIMIZERS), "sgd", "update rule"),
    Setting("batch", batch, None, 'mini-batch size, or "full"'),
    Setting("reg", choice(lambda: REGULARISERS), "none", "regularisation: none, l1 or l2"),
    Setting("reg_rate", number(0.0), 0.001, "regularisation rate (with reg l1 or l2)"),
    Setting("epochs", whole(0, MAX_EPOCHS), 1000, "epochs the run trains (the lesson's, not a link's)"),
)}


def read_setting(name: str, value) -> Any:
    """``value`` (a JSON value or text) read by the setting ``name``; ValueError saying why not."""
    setting = SETTINGS.get(name)
    if setting is None:
        raise ValueError(f"unknown setting {name!r}; the settings are {', '.join(SETTINGS)}")
    return setting.read(value)


def read_settings(values: Mapping[str, Any], where: str = "settings") -> dict[str, Any]:
    """Each of ``values`` (name -> JSON value or text) read by its :class:`Setting`; a ValueError
    names where (``where.name``) and why."""
    out = {}
    for name, value in values.items():
        try:
            out[name] = read_setting(name, value)
        except ValueError as error:
            raise ValueError(f"{where}.{name}: {error}") from None
    return out


def resolve(given: Mapping[str, Any]) -> dict[str, Any]:
    """Every setting: the given ones (already read) and the playground's defaults for the rest,
    including those that depend on the dataset (the plane, the head). ValueError when they do not
    fit together (a head for another number of classes, a feature the dataset lacks)."""
    values = {name: setting.default for name, setting in SETTINGS.items()} | dict(given)
    spec = DATASETS[values["dataset"]]
    features = list(spec.feature_names)
    default_x, default_y = features[-2:] if len(features) >= 2 else (features[0], features[0])
    values["x"] = values["x"] or default_x
    values["y"] = values["y"] or default_y
    for axis in ("x", "y"):
        if values[axis] not in features:
            raise ValueError(f"{axis}: {values[axis]!r} is not a feature of {spec.name}; "
                             f"choose one of {', '.join(features)}")
    offered = heads_for(spec.n_classes)
    values["head"] = values["head"] or offered[0]
    if values["head"] not in offered:
        raise ValueError(f"head: {values['head']!r} does not classify {spec.n_classes} classes; "
                         f"choose one of {', '.join(offered)}")
    return values


# ---- what they build -------------------------------------------------------------------------
def plane(values: Mapping[str, Any]) -> tuple[int, int]:
    """Feature indices of the plane: two different ones, as the playground picks them."""
    names = list(DATASETS[values["dataset"]].feature_names)
    fx, fy = names.index(values["x"]), names.index(values["y"])
    if fx == fy:
        default_x, default_y = names[-2:]
        fy = names.index(default_y) if names.index(default_y) != fx else names.index(default_x)
    return fx, fy


def load_data(values: Mapping[str, Any]) -> Dataset:
    """The run's data: generated, split, standardised, and cut to the plane's two features unless
    it trains on all of them."""
    spec = DATASETS[values["dataset"]]
    n_samples = min(values["samples"], spec.max_rows or math.inf)
    data = load_dataset(spec.name, n_samples=int(n_samples), noise=values["noise"] * spec.noise,
                        test_fraction=values["test"], seed=values["data_seed"])
    if data.n_features > 2 and not values["all_features"]:
        return data.select(plane(values))
    return data


def build(values: Mapping[str, Any]) -> tuple[Dataset, Network, Trainer]:
    """The data, the untrained network and its trainer for resolved settings ``values``."""
    data = load_data(values)
    head = HEADS[values["head"]]
    sizes = [data.n_features, *values["hidden"], output_units(head.key, data.n_classes)]
    net = Network(sizes, activation=values["activation"], output=head.output, loss=head.loss,
                  init=values["init"], bias=values["bias"], seed=values["seed"])
    reg, rate = values["reg"], values["reg_rate"]
    trainer = Trainer(net, data, lr=values["lr"], optimizer=values["optimizer"], batch_size=values["batch"],
                      l1=rate if reg == "l1" else 0.0, l2=rate if reg == "l2" else 0.0, seed=values["seed"])
    return data, net, trainer
