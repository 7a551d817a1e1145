"""Points added and removed by clicking the decision boundary (as in ConvNetJS's 2-D demo).

The boundary panel (static/panels/boundary.js) sends a "points" event (live.on_event): ``{"op":
"add" or "remove", "u", "v", "label", "run", "id"}``, where u, v in 0..1 are the click's place across the
plane (v up), label the class a click adds (the legend's selected class; shift: the next one) and
id the click's own (a trigger value that reaches Python twice is applied once).
The place becomes a row in the data's standardised space (the plane's other features at their
training mean); the network keeps its weights and trains on the changed data
(``Model.edit_data``). Each click is kept as an edit (:mod:`playground.point_edits`) that is
replayed when the same dataset is built again (Reset, a new network, noise, number of points, test
fraction, Regenerate) and dropped, with a notice, when another dataset is picked. A drawn dataset
("Blank") starts with no points and trains once it has some."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from engine.tasks import CLASSIFICATION

from . import point_edits, settings, share

EVENT = "points"


def plane_row(plane, u: float, v: float) -> np.ndarray:
    """The standardised row at (u, v) across ``plane`` (engine.boundary.Plane): its two features
    from the plane's extent, the others at the plane's fill (the training mean)."""
    row = np.array(plane.fill, dtype=np.float64)
    fx, fy = plane.features
    row[fx] = plane.xs[0] + u * (plane.xs[-1] - plane.xs[0])
    row[fy] = plane.ys[0] + v * (plane.ys[-1] - plane.ys[0])
    return row


def nearest(data, plane, u: float, v: float, include_test: bool = True) -> int | None:
    """The row of ``data.X`` (training rows, then test rows) nearest to (u, v) on the plane, as
    it looks (distances across the plane's width and height); None when there is none."""
    n = len(data.y_train) + (len(data.y_test) if include_test else 0)
    if n == 0:
        return None
    fx, fy = plane.features
    X = data.X[:n]
    du = (X[:, fx] - plane.xs[0]) / (plane.xs[-1] - plane.xs[0]) - u
    dv = (X[:, fy] - plane.ys[0]) / (plane.ys[-1] - plane.ys[0]) - v
    return int(np.argmin(du * du + dv * dv))


def edit(player, event: dict, show_test: bool) -> bool:
    """Apply one click to the player's model; True when the data changed. A click meant for a
    network since replaced, a regression (points have a class) or a malformed event changes nothing."""
    model = player.model
    op, u, v = event.get("op"), _unit(event.get("u")), _unit(event.get("v"))
    if event.get("run") != model.run or model.data.task != CLASSIFICATION or u is None or v is None:
        return False
    if op == "add":
        label = event.get("label")
        if not isinstance(label, int) or isinstance(label, bool) or not 0 <= label < model.data.n_classes:
            return False
        change = point_edits.added(model.data, plane_row(player.plane, u, v)[None, :], label)
    elif op == "remove":
        row = nearest(model.data, player.plane, u, v, include_test=show_test)
        if row is None:
            return False
        change = point_edits.removed(model.data, row)
    else:
        return False
    model.edit_data(point_edits.apply(model.data, change), change)
    return True


def handler(player_key: str) -> Callable[[object], None]:
    """The "points" event's handler for the player kept in session state under ``player_key``.
    A link that locks the data (or everything) locks the points too."""

    def handle(event) -> None:
        locked = share.locked()
        if not isinstance(event, dict) or "all" in locked or "dataset" in locked:
            return
        player = st.session_state.get(player_key)
        if player is None:
            return
        show_test = settings.configs(st.session_state)[3].show_test
        if edit(player, event, show_test):
            player.refresh()

    return handle


def _unit(value) -> float | None:
    """A number in 0..1, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        return None
    return float(value)
