"""Small multiples: each trained run's decision boundary side by side, with its accuracies.
Streamlit-free."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine.boundary import decision_boundary, plane_for
from engine.lessons.figures import shown

from .palette import THEMES

RESOLUTION = 48  # grid points per side of each run's boundary


@dataclass(frozen=True)
class Picture:
    """A trained run's boundary on a small grid and its points, for the small multiples."""

    name: str
    xs: np.ndarray
    ys: np.ndarray
    probs: np.ndarray  # (len(ys), len(xs), k)
    X: np.ndarray  # training rows on the plane's two features
    y: np.ndarray
    train_accuracy: float | None
    test_accuracy: float | None


def picture(name: str, model, final) -> Picture:
    """``model``'s trained network over its plane; ``final``: its figures after training."""
    plane = plane_for(model.data, RESOLUTION, model.features)
    fx, fy = model.features
    return Picture(name, plane.xs, plane.ys, decision_boundary(model.net, plane), model.data.X_train[:, [fx, fy]],
                   model.data.y_train, final["train_accuracy"], final["test_accuracy"])


def _hex(colour) -> str:
    return "#" + "".join(f"{v:02x}" for v in colour)


def small_multiples(pictures: tuple[Picture, ...]) -> go.Figure:
    """Each run's boundary side by side (the likeliest class, deeper where surer) with its training
    points, its name and accuracies above."""
    columns = min(len(pictures), 4)
    rows = math.ceil(len(pictures) / columns)
    titles = [f"{p.name}<br>train {shown(p.train_accuracy)} · test {shown(p.test_accuracy)}" for p in pictures]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.03,
                        vertical_spacing=0.12)
    colours = THEMES["standard"].classes
    for i, pic in enumerate(pictures):
        row, col = i // columns + 1, i % columns + 1
        k = pic.probs.shape[-1]
        label = pic.probs.argmax(axis=-1)
        sure = np.sort(pic.probs, axis=-1)
        lead = sure[..., -1] - sure[..., -2]
        z = label + np.clip(lead, 0, 0.999)  # class c spans [c, c + 1): deeper colour further in
        scale = []
        for c in range(k):
            r, g, b = colours[c % len(colours)]
            end = 1.0 if c == k - 1 else (c + 1) / k - 1e-6
            scale += [[c / k, "rgb(250,250,251)"], [end, f"rgba({r},{g},{b},0.75)"]]
        fig.add_trace(go.Heatmap(x=pic.xs, y=pic.ys, z=z, zmin=0, zmax=k, colorscale=scale, showscale=False,
                                 hoverinfo="skip"), row=row, col=col)
        fig.add_trace(go.Scatter(x=pic.X[:, 0], y=pic.X[:, 1], mode="markers", hoverinfo="skip", showlegend=False,
                                 marker={"size": 5, "color": [_hex(colours[c % len(colours)]) for c in pic.y],
                                         "line": {"width": 0.6, "color": "white"}}), row=row, col=col)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=230 * rows + 40, margin={"l": 5, "r": 5, "t": 50, "b": 5}, plot_bgcolor="white")
    return fig
