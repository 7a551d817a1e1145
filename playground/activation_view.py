"""The activation explorer: g and g' with the pre-activations Z the network produces on the training
rows, per hidden layer, and how many of them sit where g' is (almost) zero and no gradient passes.

The curves, the derivative and the flat region are the registry entry's (engine/activations.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from engine import ACTIVATIONS
from engine.tasks import REGRESSION

Z_RANGE = 6.0
CURVE_POINTS = 241
BINS = 60
LAYER_COLOURS = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d", "#e45756")


@dataclass(frozen=True)
class LayerStats:
    """Hidden layer ``layer`` (1-based) on the training rows: its pre-activations ``Z : (n, units)``,
    the fraction of entries in the activation's flat region, and the units flat on every row."""

    layer: int
    Z: np.ndarray
    flat_fraction: float
    flat_units: int

    @property
    def units(self) -> int:
        return self.Z.shape[1]


def layer_stats(net, X, y) -> list[LayerStats]:
    """One :class:`LayerStats` per hidden layer (none for logistic regression)."""
    entry = ACTIVATIONS[net.activation]
    stats = []
    for l, layer in enumerate(net.trace(X, y).layers[:-1], start=1):
        flat = entry.flat(layer.Z)
        stats.append(LayerStats(l, layer.Z, float(flat.mean()), int(flat.all(axis=0).sum())))
    return stats


def figure(activation: str, stats: list[LayerStats]) -> go.Figure:
    entry = ACTIVATIONS[activation]
    z = np.linspace(-Z_RANGE, Z_RANGE, CURVE_POINTS)
    traces = [go.Scatter(x=z, y=entry.function(z.copy()), name=f"g(z) = {entry.label}", line={"color": "#222"}),
              go.Scatter(x=z, y=entry.derivative_of_z(z), name="g′(z)", line={"color": "#222", "dash": "dot"})]
    for s in stats:
        traces.append(go.Histogram(x=np.clip(s.Z.ravel(), -Z_RANGE, Z_RANGE), name=f"Z of layer {s.layer}",
                                   yaxis="y2", opacity=0.45, histnorm="probability",
                                   xbins={"start": -Z_RANGE, "end": Z_RANGE, "size": 2 * Z_RANGE / BINS},
                                   marker={"color": LAYER_COLOURS[(s.layer - 1) % len(LAYER_COLOURS)]}))
    layout = {"height": 340, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "barmode": "overlay",
              "legend": {"orientation": "h", "y": 1.15, "x": 0}, "plot_bgcolor": "#fafafa",
              "xaxis": {"title": {"text": "z (values beyond ±6 are piled at the edges)"}, "range": [-Z_RANGE, Z_RANGE]},
              "yaxis": {"title": {"text": "g and g′"}},
              "yaxis2": {"title": {"text": "share of Z"}, "overlaying": "y", "side": "right", "showgrid": False,
                         "tickformat": ".0%"}}
    return go.Figure(traces, layout=layout)


def summary(activation: str, s: LayerStats) -> str:
    entry = ACTIVATIONS[activation]
    if not entry.flat(np.array([-1e9, 1e9])).any():
        return f"Layer {s.layer}: {entry.label} has no flat region; a gradient passes through every unit."
    word = entry.flat_word
    where = {"dead": "z ≤ 0", "saturated": "|z| > 4" if entry.bounded else "z < −4"}[word]
    return (f"Layer {s.layer}: {s.flat_fraction:.0%} of its pre-activations are {word} ({where}, where g′ ≈ 0); "
            f"{s.flat_units} of its {s.units} units are {word} on every training row.")


def draw(view) -> None:
    model = view.model
    net, data = model.net, model.data
    stats = layer_stats(net, data.X_train, data.y_train)
    if view.playing:
        st.caption(f"Epoch {model.epoch}; this picture follows training once paused.")
    st.plotly_chart(figure(net.activation, stats), key="inside_activation_chart", config={"displayModeBar": False})
    if not stats:
        kind = "linear" if net.task == REGRESSION else "logistic"
        st.info(f"This network has no hidden layer ({kind} regression): there is no hidden activation to look at.")
    for s in stats:
        st.markdown(summary(net.activation, s))
