"""Widgets -> a frozen Config. Nothing here trains.

Every widget has a stable key and its default in DEFAULT; config() reads their values from
session state, so the live view can build the network before the controls are redrawn.
The set of widgets never changes (a control that does not apply is disabled, not removed):
Streamlit 1.67 can leave a removed widget on screen when a fragment reruns while a
run_every fragment ticks (streamlit/streamlit#16708). And no callback writes a widget's value:
a tick already on its way from the browser would carry the old value back. So a value keeps
its meaning across datasets (noise is relative to the dataset's usual noise; an axis that the
new dataset lacks falls back to its default)."""

from __future__ import annotations

from functools import cache

import streamlit as st

from engine import DATASETS, load_dataset
from engine.datasets import DEFAULTS

from .config import DataConfig, NetConfig, TrainConfig, ViewConfig

DATASET_LABELS = {"xor": "XOR", "moons": "Moons", "iris": "Iris (3 species, 4 features)",
                  "circles": "Circles", "spiral": "Spiral", "gaussian": "Gaussian blobs"}
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATIONS = {"tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU", "sigmoid": "sigmoid", "linear": "linear"}
INITS = {"xavier": "Xavier (Glorot)", "he": "He", "small_normal": "small normal", "uniform": "uniform"}
OPTIMIZERS = {"sgd": "SGD", "momentum": "Momentum", "adam": "Adam"}
HEADS = {
    "sigmoid:log_loss": "sigmoid · log loss",
    "softmax:cross_entropy": "softmax · cross-entropy",
    "sigmoid:mse": "sigmoid · squared error",
    "softmax:mse": "softmax · squared error",
}
BATCHES = ("full", 1, 2, 5, 10, 20, 50, 100, 200)
SPEEDS = (1, 2, 5, 10, 20, 30, 60, 120, 250, 500, 1000, 2000, 5000, "max")
MAX_LAYERS, MAX_NEURONS = 6, 64
LIVE, CONTROLS = "live", "controls"  # the fragments' keys
DEFAULT = {
    "dataset": "moons", "n_samples": 200, "noise": 1.0, "test_fraction": 0.3, "all_features": False,
    "hidden_layers": 1, "activation": "tanh", "head": "sigmoid:log_loss", "init": "xavier", "seed": 0,
    "lr": 0.3, "optimizer": "sgd", "batch": "full", "reg": "none", "reg_rate": 0.001,
    "speed": 60, "show_test": False, "discretize": False,
}


@cache
def feature_names(name: str) -> tuple[str, ...]:
    return tuple(load_dataset(name, test_fraction=0.0).feature_names)


@cache
def class_count(name: str) -> int:
    return len(load_dataset(name, test_fraction=0.0).class_names)


def heads_for(n_classes: int) -> list[str]:
    if n_classes == 2:
        return ["sigmoid:log_loss", "softmax:cross_entropy", "sigmoid:mse"]
    return ["softmax:cross_entropy", "softmax:mse"]


def default_plane(name: str) -> tuple[int, int]:
    """The plane shown first: the last two features (iris: the petals, which separate best)."""
    d = len(feature_names(name))
    return d - 2, d - 1


def neurons_default(layer: int) -> int:
    return 8 if layer == 1 else 4


MAX_POINTS = {"iris": 150}


def plane_of(name: str, x_name, y_name) -> tuple[int, int]:
    """Feature indices of the chosen axes (by name), the defaults where the dataset lacks them."""
    names, (dx, dy) = feature_names(name), default_plane(name)
    fx = names.index(x_name) if x_name in names else dx
    fy = names.index(y_name) if y_name in names else dy
    if fx == fy:
        fy = dy if dy != fx else dx
    return fx, fy


# ---- reading: session state -> Config ----------------------------------------------------
def config(state) -> tuple[DataConfig, NetConfig, TrainConfig, ViewConfig]:
    """The Config the widgets currently show (their defaults before they are first drawn)."""

    def get(key, default=None):
        value = state[key] if key in state else None
        return (DEFAULT[key] if default is None else default) if value is None else value

    name = get("dataset")
    n = min(int(get("n_samples")), MAX_POINTS.get(name, 10**6))
    noise = float(get("noise")) * DEFAULTS[name]["noise"]
    plane = plane_of(name, state.get("plane_x"), state.get("plane_y"))
    data = DataConfig(name, n, noise, float(get("test_fraction")), int(get("data_seed", 0)), plane,
                      len(feature_names(name)) > 2 and bool(get("all_features")))
    hidden = tuple(int(get(f"neurons_{i}", neurons_default(i))) for i in range(1, int(get("hidden_layers")) + 1))
    heads = heads_for(class_count(name))
    head = get("head") if get("head") in heads else heads[0]
    net = NetConfig(hidden, get("activation"), head, get("init"), int(get("seed")))
    reg, batch = get("reg"), get("batch")
    train = TrainConfig(float(get("lr")), get("optimizer"), None if batch == "full" else int(batch), reg,
                        0.0 if reg == "none" else float(get("reg_rate")))
    speed = get("speed")
    view = ViewConfig(None if speed == "max" else float(speed), bool(get("discretize")), bool(get("show_test")))
    return data, net, train, view


# ---- callbacks -------------------------------------------------------------------------------
def _changed() -> None:
    """A control moved: rerun just the live view (the widget already shows its new value)."""
    st.rerun(LIVE)


def _restyled() -> None:
    """A control that changes how other controls look moved: the live view first, then the controls."""
    st.rerun([LIVE, CONTROLS])


def _regenerate() -> None:
    st.session_state.data_seed = st.session_state.get("data_seed", 0) + 1
    st.rerun(LIVE)


# ---- drawing: the widgets ------------------------------------------------------------------
def _fmt(v) -> str:
    return f"{v:g}"


def data_controls() -> None:
    st.subheader("Data")
    name = st.selectbox("Dataset", list(DATASETS), index=list(DATASETS).index(DEFAULT["dataset"]), key="dataset",
                        format_func=lambda key: DATASETS[key].label, on_change=_restyled)
    names = feature_names(name)
    real, flat = name == "iris", len(names) == 2
    st.slider(f"Number of flowers (iris has {MAX_POINTS[name]})" if real else "Number of points", 20, 1000,
              value=DEFAULT["n_samples"], step=10, key="n_samples", on_change=_changed)
    st.slider("Noise (real measurements: none added)" if real else "Noise (× the dataset's usual amount)",
              0.0, 3.0, value=DEFAULT["noise"], step=0.05, key="noise", on_change=_changed, disabled=real)
    fx, fy = plane_of(name, st.session_state.get("plane_x"), st.session_state.get("plane_y"))
    st.selectbox("Horizontal axis", names, index=fx, key="plane_x", on_change=_changed, disabled=flat)
    st.selectbox("Vertical axis", names, index=fy, key="plane_y", on_change=_changed, disabled=flat)
    st.toggle("Train on all features" if flat else f"Train on all {len(names)} features",
              value=DEFAULT["all_features"], key="all_features", on_change=_changed, disabled=flat,
              help="The boundary is then drawn on the plane through the mean of the other features.")
    st.slider("Test fraction", 0.0, 0.8, value=DEFAULT["test_fraction"], step=0.05, key="test_fraction",
              on_change=_changed, help="Share of the points held out to measure the test loss.")
    st.button("Regenerate data", key="regenerate", icon=":material/refresh:", on_click=_regenerate,
              use_container_width=True)


def network_controls(n_classes: int) -> None:
    st.subheader("Network")
    layers = st.number_input("Hidden layers", 0, MAX_LAYERS, value=DEFAULT["hidden_layers"], step=1,
                             key="hidden_layers", on_change=_restyled, help="0 hidden layers is logistic regression.")
    cols = st.columns(3)
    for i in range(1, MAX_LAYERS + 1):
        cols[(i - 1) % 3].number_input(f"Layer {i}", 1, MAX_NEURONS, value=neurons_default(i), step=1,
                                       key=f"neurons_{i}", on_change=_changed, disabled=i > layers)
    st.selectbox("Hidden activation", list(ACTIVATIONS), key="activation", format_func=ACTIVATIONS.get,
                 on_change=_changed)
    st.selectbox("Output · loss", heads_for(n_classes), key="head", format_func=HEADS.get, on_change=_changed)
    st.selectbox("Weight initialisation", list(INITS), key="init", format_func=INITS.get, on_change=_changed)
    st.number_input("Seed", 0, 2**31 - 1, value=DEFAULT["seed"], step=1, key="seed", on_change=_changed,
                    help="Same seed, same starting weights.")


def training_controls() -> None:
    st.subheader("Training")
    st.select_slider("Learning rate", LEARNING_RATES, value=DEFAULT["lr"], key="lr", format_func=_fmt,
                     on_change=_changed)
    st.radio("Optimizer", list(OPTIMIZERS), key="optimizer", format_func=OPTIMIZERS.get, horizontal=True,
             on_change=_changed)
    st.select_slider("Batch size", BATCHES, value=DEFAULT["batch"], key="batch", on_change=_changed,
                     format_func=lambda v: "full batch" if v == "full" else str(v))
    c1, c2 = st.columns(2)
    reg = c1.selectbox("Regularisation", ["none", "l1", "l2"], key="reg", on_change=_restyled,
                       format_func={"none": "none", "l1": "L1", "l2": "L2"}.get)
    c2.select_slider("Rate", REG_RATES, value=DEFAULT["reg_rate"], key="reg_rate", format_func=_fmt,
                     on_change=_changed, disabled=reg == "none")


def sidebar() -> None:
    with st.sidebar:
        data_controls()
        network_controls(class_count(st.session_state.get("dataset", DEFAULT["dataset"])))
        training_controls()


def play_button(where, playing: bool, on_play) -> None:
    where.button("Pause" if playing else "Play", key="play", type="primary", on_click=on_play,
                 icon=":material/pause:" if playing else ":material/play_arrow:", use_container_width=True)


def toolbar(cols, on_step, on_reset) -> None:
    """Step (one epoch), Reset (a fresh network from the same seed) and the view settings, into the
    toolbar's columns after the Play button's. No help icons: each button stays one <button>."""
    cols[0].button("Step", key="step", icon=":material/skip_next:", on_click=on_step, use_container_width=True)
    cols[1].button("Reset", key="reset", icon=":material/restart_alt:", on_click=on_reset, use_container_width=True)
    cols[2].select_slider("Speed (epochs per second)", SPEEDS, value=DEFAULT["speed"], key="speed",
                          on_change=_changed, format_func=lambda v: "max" if v == "max" else f"{v:g}")
    cols[3].toggle("Test points", value=DEFAULT["show_test"], key="show_test", on_change=_changed)
    cols[4].toggle("Discretise", value=DEFAULT["discretize"], key="discretize", on_change=_changed)
