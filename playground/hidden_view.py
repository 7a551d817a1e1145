"""The hidden space: the training points and the input plane's grid lines as a hidden layer sees them.

Pick a layer and two of its units, or the layer's first two principal components (of the training
points' activations there). Straight grid lines of the input plane come out bent: the network
folds the plane until, in its last hidden layer, a straight line can separate the classes; when
that layer has two units, that line (where the output is undecided) is drawn too."""

from __future__ import annotations

import html
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from engine.boundary import plane_for

GRID_LINES = 13  # per direction
LINE_POINTS = 60
PICTURE = (640, 400)  # pixels of the picture shown while training plays
BACKGROUND, GRID, INK, OUTLINE = (250, 250, 250), (90, 90, 90), (17, 17, 17), (255, 255, 255)
_element = st.components.v2.component(
    "nn_playground_hidden_space",
    js=(Path(__file__).parent / "static_views" / "hidden_space.js").read_text(),
    css=".nnpg-hidden-axes{font:13px system-ui,sans-serif;color:#444;margin-top:4px}",
    isolate_styles=False,
)
AXES = {"units": "two of its units", "pca": "its first two principal components"}


@dataclass(frozen=True)
class Projection:
    """Training points ``points : (n, 2)`` with labels ``(n,)``, the grid's lines (each ``(m, 2)``),
    the axis names, and the output's decision line in this space (two ends) or None."""

    points: np.ndarray
    labels: np.ndarray
    lines: list[np.ndarray]
    axis_names: tuple[str, str]
    decision: np.ndarray | None


def grid_lines(data, features, count: int = GRID_LINES, samples: int = LINE_POINTS) -> list[np.ndarray]:
    """Straight lines across the input plane of ``features`` (other features at the training mean):
    ``count`` vertical and ``count`` horizontal, each ``(samples, n_features)``."""
    plane = plane_for(data, samples, features)
    fx, fy = plane.features
    lines = []
    for fixed, moving, values, across in ((fx, fy, plane.xs, plane.ys), (fy, fx, plane.ys, plane.xs)):
        for value in np.linspace(values[0], values[-1], count):
            line = np.tile(plane.fill, (samples, 1))
            line[:, fixed] = value
            line[:, moving] = across
            lines.append(line)
    return lines


def activations(net, X, layer: int) -> np.ndarray:
    """Layer ``layer``'s output on rows ``X`` (0: the inputs themselves)."""
    return net.forward_all(X)[layer]


def project(net, data, features, layer: int, axes: str = "units", units: tuple[int, int] = (0, 1)) -> Projection:
    """The training rows and the grid lines in layer ``layer``'s space, on two of its ``units``
    (0-based) or (``axes="pca"``) its first two principal components."""
    lines = grid_lines(data, features)
    stacked = np.vstack([data.X_train, *lines])
    A = activations(net, stacked, layer)
    width = A.shape[1]
    if axes == "pca":
        train = A[:len(data.X_train)]
        centre = train.mean(axis=0)
        _, _, Vt = np.linalg.svd(train - centre, full_matrices=False)
        basis = Vt[:2].T
        flat = (A - centre) @ basis
        names = ("first principal component", "second principal component")
        decision = None
    else:
        picked = [min(u, width - 1) for u in units]
        flat = A[:, picked]
        names = tuple(f"unit {u + 1}" for u in picked)
        decision = decision_line(net, layer, flat[:len(data.X_train)]) if picked == [0, 1] else None
    if flat.shape[1] == 1:  # one unit or one component: the second axis is zero
        flat = np.hstack([flat, np.zeros((len(flat), 1))])
        names = (names[0], "(one dimension only)")
    n = len(data.X_train)
    out_lines = np.split(flat[n:], len(lines))
    return Projection(flat[:n], data.y_train, out_lines, names, decision)


def decision_line(net, layer: int, points: np.ndarray) -> np.ndarray | None:
    """Where a two-class output is undecided, in the space of the last hidden layer when it has
    exactly two units: ``w · a + c = 0``; two ends spanning ``points``' range, or None."""
    if layer != len(net.params) - 1 or net.sizes[layer] != 2 or net.n_classes != 2:
        return None
    W, b = net.params[-1]
    if W.shape[0] == 1:  # one sigmoid unit: p = 0.5 where its z = 0
        w, c = W[0], b[0]
    else:  # two units (softmax or identity): undecided where both are equal
        w, c = W[1] - W[0], b[1] - b[0]
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.2 * (hi - lo) + 1e-9
    if abs(w[1]) >= abs(w[0]):
        xs = np.array([lo[0] - pad[0], hi[0] + pad[0]])
        return np.column_stack([xs, -(w[0] * xs + c) / w[1]]) if w[1] else None
    ys = np.array([lo[1] - pad[1], hi[1] + pad[1]])
    return np.column_stack([-(w[1] * ys + c) / w[0], ys])


def plain(name: str) -> str:
    """A name from the data as literal text in Plotly, which reads some HTML tags in labels."""
    return html.escape(str(name))


def polyline(lines: list[np.ndarray]) -> np.ndarray:
    """Lines as one ``(m, 2)`` float32 array, NaN rows between them (a gap for Plotly): one trace,
    sent as a typed array, which Plotly validates and encodes far faster than a list."""
    if not lines:
        return np.empty((0, 2), np.float32)
    joined = np.full((len(lines), len(lines[0]) + 1, 2), np.nan, np.float32)
    joined[:, :-1] = np.stack(lines)
    return joined.reshape(-1, 2)


def figure(projection: Projection, class_names, hex_colours) -> go.Figure:
    grid = polyline(projection.lines)
    traces = [go.Scatter(x=grid[:, 0], y=grid[:, 1], mode="lines", name="input grid", hoverinfo="skip",
                         line={"color": "rgba(90,90,90,0.45)", "width": 1})]
    for c, name in enumerate(class_names):
        at = projection.labels == c
        points = projection.points[at].astype(np.float32)
        traces.append(go.Scatter(x=points[:, 0], y=points[:, 1], mode="markers",
                                 name=plain(name), marker={"size": 6, "color": hex_colours[c % len(hex_colours)],
                                                           "line": {"width": 0.5, "color": "white"}}))
    if projection.decision is not None:
        traces.append(go.Scatter(x=projection.decision[:, 0], y=projection.decision[:, 1], mode="lines",
                                 name="output undecided (p = 0.5)", line={"color": "#111", "dash": "dash"}))
    x_name, y_name = projection.axis_names
    layout = {"height": 420, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "plot_bgcolor": "#fafafa",
              "legend": {"orientation": "h", "y": 1.1, "x": 0}, "uirevision": "hidden-space",
              "xaxis": {"title": {"text": x_name}}, "yaxis": {"title": {"text": y_name}}}
    if projection.decision is not None:  # keep the picture on the points, not on the line's ends
        lo, hi = bounds(projection)
        layout["xaxis"]["range"] = [lo[0], hi[0]]
        layout["yaxis"]["range"] = [lo[1], hi[1]]
    return go.Figure(traces, layout=layout)


def bounds(projection: Projection, padding: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """The picture's corners: the training points' range, widened by ``padding`` of it."""
    lo, hi = projection.points.min(axis=0), projection.points.max(axis=0)
    pad = padding * (hi - lo) + 1e-6
    return lo - pad, hi + pad


def packed(projection: Projection, colours, epoch: int, size: tuple[int, int] = PICTURE) -> bytes:
    """What the hidden-space element draws while training plays (static_views/hidden_space.js):
    b"HSPC", a uint32 header length, the JSON header, then float32 points (n × 2), classes (n),
    grid lines (NaN rows between them) and the decision line's two ends, if any."""
    lo, hi = bounds(projection)
    lines = polyline(projection.lines)
    header = {"bounds": [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])], "width": size[0],
              "height": size[1], "n_points": len(projection.points), "n_line_rows": len(lines),
              "decision": projection.decision is not None, "epoch": int(epoch),
              "axis_names": [str(name) for name in projection.axis_names],
              "colours": [list(map(int, colour)) for colour in colours], "background": BACKGROUND,
              "grid": GRID, "ink": INK, "outline": OUTLINE}
    parts = [projection.points, projection.labels.reshape(-1, 1), lines]
    if projection.decision is not None:
        parts.append(projection.decision)
    body = b"".join(np.ascontiguousarray(part, dtype=np.float32).tobytes() for part in parts)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)  # the float32 values start 4-byte aligned
    return b"HSPC" + struct.pack("<I", len(text)) + text + body


def _choice(key: str, options: list) -> None:
    """Forget a remembered choice that the current network no longer offers."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


LAYER, AXES_KEY, UNIT_X, UNIT_Y = "inside_hidden_layer", "inside_hidden_axes", "inside_hidden_x", "inside_hidden_y"


def draw(view) -> None:
    """The choices: layer, axes and units (drawn with the page; the picture is :func:`live`'s)."""
    net = view.model.net
    hidden = len(net.params) - 1
    if hidden == 0:
        st.info("This network has no hidden layer: its only space is the input plane itself.")
        return
    layers = list(range(1, hidden + 1))
    _choice(LAYER, layers)
    left, middle, right = st.columns([1, 2, 2])
    layer = left.selectbox("Layer", layers, index=len(layers) - 1, key=LAYER, format_func=lambda l: f"hidden layer {l}")
    axes = middle.radio("Axes", list(AXES), format_func=AXES.get, key=AXES_KEY, horizontal=True)
    width = net.sizes[layer]
    if axes == "units" and width > 2:
        options = list(range(width))
        _choice(UNIT_X, options)
        _choice(UNIT_Y, options)
        a, b = right.columns(2)
        name = lambda u: f"unit {u + 1}"  # noqa: E731
        a.selectbox("Horizontal", options, index=0, key=UNIT_X, format_func=name)
        b.selectbox("Vertical", options, index=1, key=UNIT_Y, format_func=name)


def choices(net, state) -> tuple[int, str, tuple[int, int]]:
    """The layer, axes and units chosen in session ``state`` (what :func:`draw` shows), valid for ``net``."""

    def chosen(key, default):
        return state[key] if key in state else default

    hidden = len(net.params) - 1
    layer = chosen(LAYER, hidden)
    layer = layer if 1 <= layer <= hidden else hidden
    axes = chosen(AXES_KEY, "units")
    width = net.sizes[layer]
    units = (0, 1)
    if axes == "units" and width > 2:
        units = (min(chosen(UNIT_X, 0), width - 1), min(chosen(UNIT_Y, 1), width - 1))
    return layer, axes, units


def live(view) -> None:
    """The picture, redrawn on its own while training plays: a persistent canvas element then
    (cheap for the browser to paint, see :func:`packed`), an interactive chart when paused."""
    model = view.model
    net, data = model.net, model.data
    if len(net.params) == 1:
        return
    layer, axes, units = choices(net, st.session_state)
    projection = project(net, data, model.features, layer, axes, units)
    x_name, y_name = projection.axis_names
    if view.playing:
        st.caption(f"Epoch {model.epoch}, live while training plays (pause for axes and hover). Grey: the input "
                   f"plane's straight grid lines as layer {layer} sees them; dots: the training points. "
                   f"Across: {x_name}; up: {y_name}.")
        _element(key="inside_hidden_live", data=packed(projection, view.colours, model.epoch))
        return
    st.caption(f"Epoch {model.epoch} (paused). Grey: the input plane's straight grid lines, as layer {layer} "
               "sees them; dots: the training points.")
    st.plotly_chart(figure(projection, data.class_names, view.hex_colours), key="inside_hidden_chart",
                    config={"displayModeBar": False})
