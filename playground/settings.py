"""Every control of the playground, declared once (as TensorFlow Playground's ``state.ts`` does).

A :class:`Control` carries its key (the widget's key and its session-state key), label, kind and
domain (options, or low/high/step), default, help text, the part of the model it changes
(``data`` or ``network``: a new network; ``training``: the weights stay; ``view``: only the
picture) and its short name in a share link.  The sidebar and the toolbar (widgets.py) and the
configs (:func:`configs`) are built from this table; code names a control by its constant here,
never by its key.  Anything that depends on the current dataset or architecture (options, labels,
disabled states) is a function of a :class:`Context`.  Streamlit-free.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from engine.activations import ACTIVATIONS
from engine.datasets import DATASETS, dataset_names
from engine.features import INPUTS, PLAIN_INPUTS
from engine.heads import HEADS, heads_for
from engine.initializers import INITIALIZERS
from engine.optimizers import OPTIMIZERS
from engine.tasks import CLASSIFICATION, TASKS

from . import user_data
from .config import DataConfig, NetConfig, TrainConfig, ViewConfig
from .palette import THEMES

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARISERS = {"none": "none", "l1": "L1", "l2": "L2"}
BATCHES = ("full", 1, 2, 5, 10, 20, 50, 100, 200)
SPEEDS = (1, 2, 5, 10, 20, 30, 60, 120, 250, 500, 1000, 2000, 5000, "max")
MAX_LAYERS, MAX_NEURONS = 6, 64
PARTS = ("data", "network", "training", "view", "action")
DEFAULT_DATASET = "moons"  # the first dataset shown (a problem's first dataset when it poses another)


@dataclass(frozen=True)
class Context:
    """What the controls' options, labels and disabled states depend on."""

    dataset: str
    hidden_layers: int
    reg: str
    plane_x: str | None = None  # the horizontal axis: the vertical one offers the other features
    problem: str | None = None  # the chosen task (engine.tasks.TASKS); None: the dataset's own
    all_features: bool = False  # training on every feature, not on the plane's two
    user: Any = None  # the session's uploaded table (user_data.UserData), if any

    @property
    def own(self):
        """The learner's own data (user_data.UserData) the dataset stands for; None: a built-in one."""
        return user_data.own(self.dataset, self.user)

    @property
    def spec(self):
        return self.own.spec if self.own else DATASETS[self.dataset]

    @property
    def drawn(self) -> bool:
        """A plane the learner draws points on: every point trains (no sample size, no test share)."""
        return self.own is not None and self.own.drawn

    def dataset_label(self, name: str) -> str:
        own = user_data.own(name, self.user)
        return own.label if own else DATASETS[name].label

    @property
    def task(self) -> str:
        """The problem the dataset menu offers datasets for."""
        return self.problem or self.spec.task

    @property
    def on_plane(self) -> bool:
        """The network reads the plane's two coordinates, from which input features are computed."""
        return self.flat or not self.all_features

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(self.spec.feature_names)

    @property
    def n_classes(self) -> int:
        return len(self.spec.class_names)

    @property
    def flat(self) -> bool:
        """Two features only: the plane is the whole input space."""
        return len(self.features) <= 2

    @property
    def real(self) -> bool:
        """Measured data (a row cap, no noise added)."""
        return self.spec.max_rows is not None

    def default_plane(self) -> tuple[str, str]:
        """The plane shown first: the last two features (iris: the petals, which separate best); for
        the learner's own table its first two columns."""
        if self.own is not None:
            return self.features[0], self.features[1 % len(self.features)]
        return self.features[-2], self.features[-1]

    def vertical_axes(self) -> list[str]:
        """The features the vertical axis may show: never the horizontal one's."""
        return [name for name in self.features if name != self.plane_x]

    def default_vertical(self) -> str:
        default_x, default_y = self.default_plane()
        return default_y if default_y != self.plane_x else default_x


Dynamic = Callable[[Context], Any]


@dataclass(frozen=True)
class Control:
    key: str
    kind: str  # select, radio, slider, select_slider, number, toggle, button; "state" has no widget
    label: str | Dynamic = ""
    default: Any = None  # a value, or a function of the Context
    part: str = "view"
    link: str | None = None  # its name in a share link; None: not in links on its own
    part_of: str | None = None  # the link name that carries this control's value (and locks it)
    options: Sequence | Dynamic = ()
    low: float | Dynamic | None = None
    high: float | Dynamic | None = None
    step: float | None = None
    format: Callable[[Any], str] | None = None
    help: str | None = None
    disabled: Dynamic | None = None
    redraws: str = "live"  # what a change redraws: the live view; "controls" too (their options, labels or
    # disabled states follow this one); or the whole "page"
    place: str | None = None  # data, network, training (sidebar sections) or toolbar; None: not drawn
    row: str | None = None  # controls with the same row share a row of columns
    icon: str | None = None
    action: str | None = None  # a button's action, named for the app's callbacks
    labels: Dynamic | None = None  # the options' labels when they depend on the Context: ctx -> (option -> label)
    follows: Dynamic | None = None  # the value was chosen for this function of the Context: when it
    # changes (a head chosen for 3 classes, then 2-class data), the control goes back to its default

    @property
    def mark(self) -> str:
        """The session-state key that records what this control's value was chosen for (``follows``)."""
        return f"{self.key}_chosen_for"

    def __post_init__(self):
        if self.part not in PARTS:
            raise ValueError(f"control {self.key!r}: part must be one of {PARTS}")

    @property
    def lock_name(self) -> str | None:
        """The name that locks this control in a link's ``lock=`` list."""
        return self.link or self.part_of

    def resolve(self, attribute: str, ctx: Context):
        value = getattr(self, attribute)
        return value(ctx) if callable(value) and attribute != "format" else value

    def is_disabled(self, ctx: Context) -> bool:
        return bool(self.disabled and self.disabled(ctx))

    def limits(self, ctx: Context) -> tuple[float, float]:
        return self.resolve("low", ctx), self.resolve("high", ctx)

    def coerce(self, value, ctx: Context):
        """``value`` if it is valid for this control in ``ctx``, else its default."""
        default = self.resolve("default", ctx)
        if value is None:
            return default
        if self.kind in ("select", "radio", "select_slider"):
            options = list(self.resolve("options", ctx))
            return value if value in options else (default if default in options else options[0])
        if self.kind in ("slider", "number"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                return default
            low, high = self.limits(ctx)
            return min(max(value, low), high)
        if self.kind == "toggle":
            return bool(value)
        if self.kind == "pills":  # several options: a list (the widget's type) in the options' order; none
            options = list(self.resolve("options", ctx))  # chosen stays empty
            if isinstance(value, str) or not isinstance(value, Sequence) or any(v not in options for v in value):
                return default
            return [option for option in options if option in value]
        return value


def _labels(registry: Mapping) -> Callable[[Any], str]:
    """One option's label, or several options' labels joined (a pills control's value)."""
    one = _label(registry)
    return lambda value: ", ".join(map(one, value)) if isinstance(value, (list, tuple)) else one(value)


def _fmt_number(value) -> str:
    return f"{value:g}"


def _label(registry: Mapping) -> Callable[[str], str]:
    return lambda name: registry[name].label if name in registry else name


def _neurons(layer: int) -> Control:
    return Control(f"neurons_{layer}", "number", f"Layer {layer}", 8 if layer == 1 else 4, "network",
                   low=1, high=MAX_NEURONS, step=1, place="network", row=f"neurons_{(layer - 1) // 3}",
                   part_of="hidden", disabled=lambda ctx: layer > ctx.hidden_layers)


def _samples_label(ctx: Context) -> str:
    if ctx.own is not None:
        return "Rows used (every point you draw trains)" if ctx.drawn else f"Rows used (of {ctx.spec.max_rows})"
    return f"Number of flowers ({ctx.dataset} has {ctx.spec.max_rows})" if ctx.real else "Number of points"


def _first_dataset(ctx: Context) -> str:
    return DEFAULT_DATASET if DATASETS[DEFAULT_DATASET].task == ctx.task else dataset_names(ctx.task)[0]


# ---- the table -------------------------------------------------------------------------------
PROBLEM = Control(
    "problem", "radio", "Problem", CLASSIFICATION, "data", "problem", options=lambda ctx: list(TASKS),
    format=_label(TASKS), redraws="controls", place="data",
    help="Classification colours the plane by class; regression predicts a number, drawn on a diverging scale.")
DATASET = Control(
    "dataset", "select", "Dataset", _first_dataset, "data", "dataset",
    options=lambda ctx: dataset_names(ctx.task) + user_data.names(ctx.task, ctx.user),  # the problem's datasets
    format=_label(DATASETS), labels=lambda ctx: ctx.dataset_label, redraws="controls", place="data")
N_SAMPLES = Control(
    "n_samples", "slider",
    _samples_label, lambda ctx: min(200, ctx.spec.max_rows or 200), "data", "samples",
    low=lambda ctx: min(20, ctx.spec.max_rows - 1) if ctx.spec.max_rows else 20,
    high=lambda ctx: ctx.spec.max_rows or 1000, step=10, place="data", disabled=lambda ctx: ctx.drawn)
NOISE = Control(
    "noise", "slider",
    lambda ctx: "Noise (real measurements: none added)" if ctx.real else "Noise (× the dataset's usual amount)",
    1.0, "data", "noise", low=0.0, high=3.0, step=0.05, disabled=lambda ctx: ctx.real, place="data")
PLANE_X = Control(
    "plane_x", "select", "Horizontal axis", lambda ctx: ctx.default_plane()[0], "data", "x",
    options=lambda ctx: list(ctx.features), disabled=lambda ctx: ctx.flat, redraws="controls", place="data")
PLANE_Y = Control(
    "plane_y", "select", "Vertical axis", lambda ctx: ctx.default_vertical(), "data", "y",
    options=lambda ctx: ctx.vertical_axes(), disabled=lambda ctx: ctx.flat, place="data")
ALL_FEATURES = Control(
    "all_features", "toggle",
    lambda ctx: "Train on all features" if ctx.flat else f"Train on all {len(ctx.features)} features",
    False, "data", "all_features", disabled=lambda ctx: ctx.flat, place="data",
    help="The boundary is then drawn on the plane through the mean of the other features.")
TEST_FRACTION = Control(
    "test_fraction", "slider", "Test fraction", 0.3, "data", "test", low=0.0, high=0.8, step=0.05, place="data",
    help="Share of the points held out to measure the test loss.", disabled=lambda ctx: ctx.drawn)
REGENERATE = Control(
    "regenerate", "button", "Regenerate data", part="action", place="data", icon=":material/refresh:",
    action="regenerate", part_of="data_seed")
DATA_SEED = Control("data_seed", "state", default=0, part="data", link="data_seed", low=0, high=2**31 - 1)

INPUT_FEATURES = Control(
    "inputs", "pills", "Input features", list(PLAIN_INPUTS), "network", "inputs", options=lambda ctx: list(INPUTS),
    format=_labels(INPUTS), disabled=lambda ctx: not ctx.on_plane, place="network",
    help="What the input layer holds, computed from the plane's x₁ and x₂ (as in TensorFlow Playground): "
         "x₁², x₂² let a network with no hidden layer draw a circle.")
HIDDEN_LAYERS = Control(
    "hidden_layers", "number", "Hidden layers", 1, "network", "hidden", low=0, high=MAX_LAYERS, step=1,
    redraws="controls", place="network",
    help="0 hidden layers is logistic regression (for a regression problem, linear regression).")
NEURONS = tuple(_neurons(layer) for layer in range(1, MAX_LAYERS + 1))
ACTIVATION = Control(
    "activation", "select", "Hidden activation", "tanh", "network", "activation",
    options=lambda ctx: list(ACTIVATIONS),
    format=_label(ACTIVATIONS), place="network")
HEAD = Control(
    "head", "select", "Output · loss", lambda ctx: heads_for(ctx.n_classes)[0], "network", "head",
    options=lambda ctx: heads_for(ctx.n_classes), format=_label(HEADS), place="network",
    follows=lambda ctx: ctx.n_classes)  # a head is chosen for a number of classes
INIT = Control(
    "init", "select", "Weight initialisation", "xavier", "network", "init", options=lambda ctx: list(INITIALIZERS),
    format=_label(INITIALIZERS), place="network")
BIAS = Control(
    "bias", "toggle", "Biases", True, "network", "bias", place="network",
    help="Off: every neuron is a weighted sum with no constant term, as some from-scratch tutorials build it.")
SEED = Control(
    "seed", "number", "Seed", 0, "network", "seed", low=0, high=2**31 - 1, step=1, place="network",
    help="Same seed, same starting weights.")

LR = Control(
    "lr", "select_slider", "Learning rate", 0.3, "training", "lr", options=LEARNING_RATES, format=_fmt_number,
    place="training")
OPTIMIZER = Control(
    "optimizer", "radio", "Optimizer", "sgd", "training", "optimizer", options=lambda ctx: list(OPTIMIZERS),
    format=_label(OPTIMIZERS), place="training")
BATCH = Control(
    "batch", "select_slider", "Batch size", "full", "training", "batch", options=BATCHES,
    format=lambda v: "full batch" if v == "full" else str(v), place="training")
REG = Control(
    "reg", "select", "Regularisation", "none", "training", "reg", options=list(REGULARISERS),
    format=REGULARISERS.get, redraws="controls", place="training", row="regularisation")
REG_RATE = Control(
    "reg_rate", "select_slider", "Rate", 0.001, "training", "reg_rate", options=REG_RATES, format=_fmt_number,
    disabled=lambda ctx: ctx.reg == "none", place="training", row="regularisation")

PLAY = Control("play", "button", "Play", part="action", action="toggle", icon=":material/play_arrow:")
STEP = Control("step", "button", "Step", part="action", place="toolbar", icon=":material/skip_next:", action="step")
RESET = Control(
    "reset", "button", "Reset", part="action", place="toolbar", icon=":material/restart_alt:", action="reset")
SPEED = Control(
    "speed", "select_slider", "Speed (epochs per second)", 60, "view", "speed", options=SPEEDS,
    format=lambda v: "max" if v == "max" else f"{v:g}", place="toolbar")
SHOW_TEST = Control("show_test", "toggle", "Test points", False, "view", "show_test", place="toolbar")
DISCRETIZE = Control("discretize", "toggle", "Discretise", False, "view", "discretize", place="toolbar")
THEME = Control(
    "theme", "select", "Colours", "standard", "view", "theme", options=lambda ctx: list(THEMES),
    format=_label(THEMES), place="view", help="Classes in the Okabe-Ito colours, which colour-blind viewers tell "
    "apart; high contrast survives a dim projector.")
PRESENT = Control(
    "present", "toggle", "Presenter", False, "view", "present", redraws="page", place="header")

CONTROLS: tuple[Control, ...] = (
    PROBLEM, DATASET, N_SAMPLES, NOISE, PLANE_X, PLANE_Y, ALL_FEATURES, TEST_FRACTION, REGENERATE, DATA_SEED,
    INPUT_FEATURES, HIDDEN_LAYERS, *NEURONS, ACTIVATION, HEAD, INIT, BIAS, SEED,
    LR, OPTIMIZER, BATCH, REG, REG_RATE,
    PLAY, STEP, RESET, SPEED, SHOW_TEST, DISCRETIZE, THEME, PRESENT,
)
BY_KEY = {control.key: control for control in CONTROLS}
assert len(BY_KEY) == len(CONTROLS), "two controls share a key"


# ---- reading: session state -> values -> configs ---------------------------------------------
class Values:
    """The controls' current values, valid for the current dataset and architecture."""

    def __init__(self, state: Mapping):
        def raw(control: Control):
            return state[control.key] if control.key in state else None

        user = state.get(user_data.SESSION_KEY)  # the session's upload, if any
        named = raw(DATASET) if raw(DATASET) in DATASETS else DEFAULT_DATASET
        chosen = raw(PROBLEM) if raw(PROBLEM) is not None else DATASETS[named].task  # unset: the dataset's
        problem = PROBLEM.coerce(chosen, Context(named, 0, "none"))
        provisional = Context(DEFAULT_DATASET, 0, "none", problem=problem, user=user)
        dataset = DATASET.coerce(raw(DATASET), provisional)
        hidden = HIDDEN_LAYERS.coerce(raw(HIDDEN_LAYERS), provisional)
        ctx = Context(dataset, int(hidden), REG.coerce(raw(REG), provisional), problem=problem,
                      all_features=ALL_FEATURES.coerce(raw(ALL_FEATURES), provisional), user=user)
        self.context = replace(ctx, plane_x=PLANE_X.coerce(raw(PLANE_X), ctx))
        self._values = {c.key: c.coerce(raw(c), self.context) for c in CONTROLS if c.kind != "button"}

    def __getitem__(self, control: Control):
        return self._values[control.key]


def plane(values: Values) -> tuple[int, int]:
    """Feature indices of the chosen axes (the vertical axis never offers the horizontal one's)."""
    names = values.context.features
    return names.index(values[PLANE_X]), names.index(values[PLANE_Y])


def hidden_sizes(values: Values) -> tuple[int, ...]:
    return tuple(int(values[NEURONS[i]]) for i in range(values.context.hidden_layers))


def configs(state: Mapping) -> tuple[DataConfig, NetConfig, TrainConfig, ViewConfig]:
    """The configs the widgets currently show (their defaults before they are first drawn)."""
    values = Values(state)
    ctx = values.context
    spec = ctx.spec
    n_samples = min(int(values[N_SAMPLES]), spec.max_rows or math.inf)
    data = DataConfig(spec.name, int(n_samples), float(values[NOISE]) * spec.noise, float(values[TEST_FRACTION]),
                      int(values[DATA_SEED]), plane(values), not ctx.flat and bool(values[ALL_FEATURES]), ctx.own)
    inputs = tuple(values[INPUT_FEATURES]) if ctx.on_plane else PLAIN_INPUTS  # features of a plane's coordinates
    net = NetConfig(hidden_sizes(values), values[ACTIVATION], values[HEAD], values[INIT], int(values[SEED]), inputs,
                    bool(values[BIAS]))
    reg, batch = values[REG], values[BATCH]
    train = TrainConfig(float(values[LR]), values[OPTIMIZER], None if batch == "full" else int(batch), reg,
                        0.0 if reg == "none" else float(values[REG_RATE]))
    speed = values[SPEED]
    view = ViewConfig(None if speed == "max" else float(speed), bool(values[DISCRETIZE]), bool(values[SHOW_TEST]),
                      values[THEME], bool(values[PRESENT]))
    return data, net, train, view


# ---- values chosen for a context: back to the default when it changes ------------------------
def marks(ctx: Context) -> dict[str, Any]:
    """What the drawn controls' values were chosen for (``Control.follows``), by ``Control.mark``:
    recorded when the controls are drawn."""
    return {c.mark: c.follows(ctx) for c in CONTROLS if c.follows}


def resets(state: Mapping) -> dict[str, Any]:
    """The controls whose value was chosen for another context than the current one (a head for
    3 classes when the data now has 2, or a regression target), each to its default: written when
    a control that changes the context moves (issue 7: the head resets to the data's natural one)."""
    ctx = Values(state).context
    return {c.key: c.resolve("default", ctx) for c in CONTROLS
            if c.follows and c.mark in state and state[c.mark] != c.follows(ctx)}
