"""Edits made on the live view's network diagram (static/panels/network.js), as on TensorFlow
Playground: its - and + buttons change the hidden layers through the very controls the sidebar
shows (a new network is built as when the sidebar's control moves), and a weight typed on a link
goes into the network, which trains on from it.

The element sends each edit as a "diagram" event (live.on_event). The controls are written from
that event's callback with lesson_setup.set_controls, which remembers the values the browser
held: a timer tick already on its way carries them back, and settle() (called by the live
fragment every tick) puts the edit's values back (lesson_setup.Pending)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from engine.evaluation import evaluate_row

from . import settings, share
from .lesson_setup import restore_controls, set_controls

EVENT = "diagram"


def hidden_after(state: Mapping, op: str, delta: int, layer: int | None = None) -> dict[str, int]:
    """The controls' new values (key -> value) after ``op`` ("layers": ``delta`` hidden layers more;
    "neurons": ``delta`` neurons more in hidden layer ``layer``, 1 = the first), within the
    controls' limits; {} when the edit changes nothing."""
    values = settings.Values(state)
    ctx = values.context
    if op == "layers":
        control, current = settings.HIDDEN_LAYERS, ctx.hidden_layers
    elif op == "neurons" and isinstance(layer, int) and 1 <= layer <= ctx.hidden_layers:
        control = settings.NEURONS[layer - 1]
        current = int(values[control])
    else:
        return {}
    low, high = control.limits(ctx)
    new = int(min(max(current + int(delta), low), high))
    return {control.key: new} if new != current else {}


def set_weight(player, layer: int, out: int, into: int, value: float) -> None:
    """``W[out, into]`` of layer ``layer`` of the player's network := ``value``; the figures shown
    are those of the edited network, and the next payload carries it."""
    model = player.model
    model.net.set_weight(layer, out, into, value)
    model.row = evaluate_row(model.net, model.data, model.epoch)
    player.refresh()


def handler(player_key: str) -> Callable[[object], None]:
    """The "diagram" event's handler for the player kept in session state under ``player_key``."""

    def handle(event) -> None:
        if not isinstance(event, dict):
            return
        op, locked = event.get("op"), share.locked()
        if op in ("layers", "neurons"):
            delta = _int(event.get("delta"))
            if delta is None or settings.HIDDEN_LAYERS.lock_name in locked or "all" in locked:
                return
            updates = hidden_after(st.session_state, op, delta, _int(event.get("layer")))
            if updates:
                set_controls(updates)
                st.rerun()  # the whole page: a rerun of the fragments alone leaves the sidebar showing the old value
        elif op == "weight":
            player = st.session_state.get(player_key)
            if player is None or "all" in locked or event.get("run") != player.model.run:
                return  # a network since replaced, or a run that shows no settings
            try:
                set_weight(player, _int(event.get("layer")), _int(event.get("out")), _int(event.get("in")),
                           float(event.get("value")))
            except (TypeError, ValueError) as error:
                st.session_state.error = f"That weight was not set: {error}"

    return handle


def settle() -> None:
    """Each live tick: put back an edit's control values that a stale tick reverted, and redraw
    the page with them."""
    if restore_controls():
        st.rerun()


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
