"""The cost curve as an interactive Plotly chart, for exploring the history while paused."""

import plotly.graph_objects as go

from .frames import Curve

LAYOUT = {
    "height": 300, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "hovermode": "x unified",
    "legend": {"orientation": "h", "y": 1.12, "x": 0}, "plot_bgcolor": "#fafafa",
    "xaxis": {"title": {"text": "epoch"}},
    "yaxis": {"title": {"text": "loss"}, "rangemode": "tozero"},
    "yaxis2": {"title": {"text": "accuracy"}, "range": [0, 1.02], "tickformat": ".0%", "overlaying": "y",
               "tickvals": [0, 0.25, 0.5, 0.75, 1],
               "side": "right", "showgrid": False},
}
EMPTY = go.Figure(layout=LAYOUT)
LINES = (("train_loss", "train loss", "#8a8a8a", "solid", "y"), ("test_loss", "test loss", "#111111", "solid", "y"),
         ("train_accuracy", "train accuracy", "#8a8a8a", "dot", "y2"),
         ("test_accuracy", "test accuracy", "#111111", "dot", "y2"))
REGRESSION_LINES = (("train_mse", "train MSE", "#8a8a8a", "solid", "y"),
                    ("test_mse", "test MSE", "#111111", "solid", "y"),
                    ("train_r2", "train R²", "#8a8a8a", "dot", "y2"),
                    ("test_r2", "test R²", "#111111", "dot", "y2"))
REGRESSION_AXES = {"yaxis": {**LAYOUT["yaxis"], "title": {"text": "MSE"}},
                   "yaxis2": {**LAYOUT["yaxis2"], "title": {"text": "R²"}, "tickformat": ".2f"}}


def figure(curve: Curve) -> go.Figure:
    """Loss and accuracy per epoch; a regression's MSE and R² (rows that carry them)."""
    regression = curve.rows[0].get("train_mse") is not None
    lines = REGRESSION_LINES if regression else LINES
    table = curve.table(tuple(["epoch", *(line[0] for line in lines)]))
    traces = [go.Scatter(x=table["epoch"], y=table[key], name=name, mode="lines", yaxis=axis,
                         line={"color": color, "dash": dash, "width": 2})
              for key, name, color, dash, axis in lines if any(v is not None for v in table[key])]
    return go.Figure(traces, layout={**LAYOUT, **(REGRESSION_AXES if regression else {})})
