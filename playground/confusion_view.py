"""Confusion matrices for the training and test rows, and each class's precision and recall."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from engine.tasks import REGRESSION


def confusion(true: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """``counts[t, p]``: rows whose class is t and that the network calls p; ``(k, k)`` int."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (true, predicted), 1)
    return counts


def precision_recall(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per class: precision = right / called that class, recall = right / of that class (NaN for 0/0)."""
    right = np.diag(counts).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return right / counts.sum(axis=0), right / counts.sum(axis=1)


def tables_for(counts: np.ndarray, class_names) -> tuple[pd.DataFrame, pd.DataFrame]:
    names = [str(c) for c in class_names]
    matrix = pd.DataFrame(counts, index=[f"is {c}" for c in names], columns=[f"called {c}" for c in names])
    precision, recall = precision_recall(counts)
    scores = pd.DataFrame({"precision": precision, "recall": recall, "rows": counts.sum(axis=1)}, index=names)
    return matrix, scores


def draw(view) -> None:
    model = view.model
    net, data = model.net, model.data
    if data.task == REGRESSION:
        st.info("A regression has no classes to confuse: its figures are the MSE and R² above.")
        return
    if view.playing:
        st.caption(f"As of epoch {model.epoch}; pause to refresh.")
    parts = [("train", "Training rows", data.X_train, data.y_train), ("test", "Test rows", data.X_test, data.y_test)]
    for column, (part, title, X, y) in zip(st.columns(2), parts):
        with column:
            st.markdown(f"**{title}**")
            if len(y) == 0:
                st.caption("No rows here (test fraction 0).")
                continue
            counts = confusion(y, net.predict(X), data.n_classes)
            matrix, scores = tables_for(counts, data.class_names)
            st.caption(f"{len(y)} rows, accuracy {np.trace(counts) / len(y):.1%}. Each row of the table is a true "
                       "class; each column what the network calls it.")
            with st.container(key=f"inside_confusion_{part}"):
                st.dataframe(matrix)
            with st.container(key=f"inside_scores_{part}"):
                st.dataframe(scores, column_config={name: st.column_config.NumberColumn(format="%.2f")
                                                    for name in ("precision", "recall")})
