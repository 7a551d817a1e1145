"""Compare runs: pin the current run, and the pinned runs' cost curves are drawn on top of each
other with the current one, each labelled by the settings in which the runs differ.

A :class:`Pin` keeps what a curve needs (its settings in words and its loss per epoch), not the
network. ``describe``, ``labels`` and ``figure`` are Streamlit-free; ``show`` draws the section."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from . import stream
from .config import DataConfig, NetConfig, TrainConfig
from .palette import THEMES

PINS = "compare_pins"  # session state: the pinned runs, oldest first
MAX_PINS = 8
LAYOUT = {
    "height": 320, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "hovermode": "x unified",
    "legend": {"orientation": "h", "y": -0.25, "x": 0}, "plot_bgcolor": "#fafafa",
    "xaxis": {"title": {"text": "epoch"}}, "yaxis": {"title": {"text": "loss"}, "rangemode": "tozero"},
}


@dataclass(frozen=True)
class Pin:
    """A run's ``settings`` in words (name -> text), an optional ``name`` (a lesson's run) and its
    curve: ``epochs`` and the train and test loss at each (test None without test rows)."""

    settings: dict[str, str]
    name: str | None
    epochs: tuple[int, ...]
    train_loss: tuple[float | None, ...]
    test_loss: tuple[float | None, ...]


def describe(data: DataConfig, net: NetConfig, train: TrainConfig) -> dict[str, str]:
    """A model's settings as short texts, named as in a share link."""
    return {
        "dataset": data.name, "samples": str(data.n_samples), "noise": f"{data.noise:g}",
        "test": f"{data.test_fraction:g}", "data_seed": str(data.seed),
        "plane": ",".join(map(str, data.plane)), "all_features": "yes" if data.all_features else "no",
        "inputs": ",".join(net.inputs),
        "hidden": ",".join(map(str, net.hidden)) or "none", "activation": net.activation, "head": net.head,
        "init": net.init, "seed": str(net.seed), "lr": f"{train.lr:g}", "optimizer": train.optimizer,
        "batch": "full" if train.batch_size is None else str(train.batch_size),
        "reg": train.reg if train.reg == "none" else f"{train.reg} {train.reg_rate:g}",
    }


def pin_of(model, name: str | None = None) -> Pin:
    """The model's current run as a pin (its settings as they are now, its whole curve so far)."""
    table = model.curve.table()
    return Pin(describe(model.data_cfg, model.net_cfg, model.train_cfg), name, tuple(table["epoch"]),
               tuple(table["train_loss"]), tuple(table["test_loss"]))


def labels(pins: list[Pin]) -> list[str]:
    """Each pin labelled by the settings in which the pins differ ("lr=0.001, optimizer=adam"),
    after its name when it has one; "run n" when nothing differs."""
    names = [name for name in pins[0].settings if len({pin.settings.get(name) for pin in pins}) > 1] if pins else []
    out = []
    for i, pin in enumerate(pins, 1):
        differs = ", ".join(f"{name}={pin.settings.get(name)}" for name in names)
        if pin.name:
            out.append(f"{pin.name}: {differs}" if differs else pin.name)
        else:
            out.append(differs or f"run {i}")
    return out


def figure(pins: list[Pin]) -> go.Figure:
    """The pins' train loss (solid) and test loss (dotted), one colour per run."""
    colours = ["#" + "".join(f"{v:02x}" for v in c) for c in THEMES["standard"].classes]
    traces = []
    for i, (pin, label) in enumerate(zip(pins, labels(pins))):
        colour = colours[i % len(colours)]
        traces.append(go.Scatter(x=pin.epochs, y=pin.train_loss, name=f"{label} · train", mode="lines",
                                 line={"color": colour, "width": 2}, legendgroup=str(i)))
        if any(v is not None for v in pin.test_loss):
            traces.append(go.Scatter(x=pin.epochs, y=pin.test_loss, name=f"{label} · test", mode="lines",
                                     line={"color": colour, "width": 2, "dash": "dot"}, legendgroup=str(i)))
    return go.Figure(traces, layout=LAYOUT)


def pins() -> list[Pin]:
    return st.session_state.get(PINS, [])


def set_pins(new: list[Pin]) -> None:
    st.session_state[PINS] = list(new)[-MAX_PINS:]


def _pin(key: str):
    @stream.guard
    def callback():
        player = st.session_state.get(key)
        if player is not None:
            set_pins([*pins(), pin_of(player.model)])

    return callback


def _clear():
    set_pins([])


def show(where, key: str) -> None:
    """The Compare runs section: Pin this run, Clear, and the pinned runs' curves with the current
    one (``key``: the session-state key of the player)."""
    pinned = pins()
    with where.expander("Compare runs", expanded=bool(pinned), icon=":material/stacked_line_chart:"):
        pin_column, clear_column, note = st.columns([1, 1, 3], vertical_alignment="center")
        pin_column.button("Pin this run", key="compare_pin", icon=":material/push_pin:", on_click=_pin(key),
                          use_container_width=True)
        clear_column.button("Clear pins", key="compare_clear", on_click=_clear, disabled=not pinned,
                            use_container_width=True)
        note.caption("Pin a run, change a setting and train again: the curves are drawn together, "
                     "labelled by what differs.")
        player = st.session_state.get(key)
        shown = list(pinned)
        if player is not None and player.model.epoch > 0 and not _is_pinned(player.model, pinned):
            shown.append(pin_of(player.model, "now"))
        if shown:
            st.plotly_chart(figure(shown), key="compare_chart", config={"displayModeBar": False})


def _is_pinned(model, pinned: list[Pin]) -> bool:
    current = pin_of(model)
    return any(pin.settings == current.settings and pin.epochs == current.epochs for pin in pinned)
