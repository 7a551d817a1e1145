"""The baseline: scikit-learn's LogisticRegression on the same features and the same split, its
boundary as a small map beside the network's, and both train/test accuracies.

A straight line (a plane, with more features) is what a network without a hidden layer can
draw; the maps show at a glance what the hidden layers add."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from sklearn.linear_model import LogisticRegression

from engine.boundary import decision_boundary, plane_for
from engine.tasks import REGRESSION

RESOLUTION = 60
CACHE = "inside_baseline_fit"
BACKGROUND = np.array([250.0, 250.0, 251.0])
SHADE = 0.72


@dataclass(frozen=True)
class Baseline:
    model: LogisticRegression
    train_accuracy: float
    test_accuracy: float | None


def fit(data) -> Baseline:
    """LogisticRegression (scikit-learn's defaults: L2 penalty, C = 1) on the training rows."""
    model = LogisticRegression(max_iter=1000).fit(data.X_train, data.y_train)
    test = float(model.score(data.X_test, data.y_test)) if len(data.y_test) else None
    return Baseline(model, float(model.score(data.X_train, data.y_train)), test)


def probabilities(baseline: Baseline, plane, n_classes: int) -> np.ndarray:
    """Its class probabilities over the plane, ``(res, res, k)``, columns in class order."""
    P = np.zeros((len(plane.points), n_classes))
    P[:, baseline.model.classes_] = baseline.model.predict_proba(plane.points)
    return P.reshape(len(plane.ys), plane.resolution, n_classes)


def shaded(P: np.ndarray, colours) -> np.ndarray:
    """An RGB image: each cell takes its likeliest class's colour, deeper when more confident."""
    k = P.shape[-1]
    top = P.argmax(axis=-1)
    confidence = np.clip((P.max(axis=-1) - 1 / k) / (1 - 1 / k), 0, 1)[..., None]
    palette = np.array([colours[c % len(colours)] for c in range(k)], dtype=np.float64)
    return (BACKGROUND + (palette[top] - BACKGROUND) * SHADE * confidence).astype(np.uint8)


def small_map(image: np.ndarray, plane, data, features, hex_colours, title: str) -> go.Figure:
    fx, fy = features
    xs, ys = plane.xs, plane.ys
    traces = [go.Image(z=image, x0=xs[0], dx=xs[1] - xs[0], y0=ys[0], dy=ys[1] - ys[0], hoverinfo="skip")]
    for c, name in enumerate(data.class_names):
        at = data.y_train == c
        traces.append(go.Scatter(x=data.X_train[at, fx], y=data.X_train[at, fy], mode="markers",
                                 name=html.escape(str(name)), hoverinfo="skip",
                                 marker={"size": 5, "color": hex_colours[c % len(hex_colours)],
                                         "line": {"width": 0.6, "color": "white"}}))
    layout = {"height": 300, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "showlegend": False,
              "title": {"text": title, "font": {"size": 13}},
              "xaxis": {"range": [xs[0], xs[-1]], "showgrid": False},
              "yaxis": {"range": [ys[0], ys[-1]], "showgrid": False, "autorange": False}}
    return go.Figure(traces, layout=layout)


def cached_fit(model) -> Baseline:
    key = (model.run, id(model.data))
    found = st.session_state.get(CACHE)
    if found is None or found[0] != key:
        found = st.session_state[CACHE] = (key, fit(model.data))
    return found[1]


def draw(view) -> None:
    model = view.model
    data, net, features = model.data, model.net, model.features
    if data.task == REGRESSION:
        st.info("The baseline is a logistic regression, a classifier: it has nothing to say about a regression.")
        return
    baseline = cached_fit(model)
    plane = plane_for(data, RESOLUTION, features)
    k = data.n_classes
    network_image = shaded(decision_boundary(net, plane), view.colours)
    baseline_image = shaded(probabilities(baseline, plane, k), view.colours)
    left, right = st.columns(2)
    config = {"displayModeBar": False, "staticPlot": True}
    title = f"This network, epoch {model.epoch}"
    left.plotly_chart(small_map(network_image, plane, data, features, view.hex_colours, title),
                      key="inside_baseline_network", config=config)
    right.plotly_chart(small_map(baseline_image, plane, data, features, view.hex_colours, "Logistic regression"),
                       key="inside_baseline_logistic", config=config)
    rows = [("This network", net.accuracy(data.X_train, data.y_train),
             net.accuracy(data.X_test, data.y_test) if len(data.y_test) else None),
            ("Logistic regression", baseline.train_accuracy, baseline.test_accuracy)]
    table = {"model": [r[0] for r in rows], "train accuracy": [r[1] for r in rows],
             "test accuracy": [r[2] for r in rows]}
    with st.container(key="inside_baseline_scores"):
        st.dataframe(table, column_config={name: st.column_config.NumberColumn(format="percent")
                                           for name in ("train accuracy", "test accuracy")}, hide_index=True)
    st.caption("Logistic regression: scikit-learn's LogisticRegression with its defaults (L2 penalty, C = 1), fitted "
               "on the same training rows and features as the network and scored on the same test rows. "
               + ("With more than two features both maps are the plane through the training mean."
                  if data.n_features > 2 else ""))
