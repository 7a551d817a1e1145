"""Setting controls from a callback, race-free: a lesson opening, an imported model, an edit on
the diagram or an upload writes control values into session state.

The browser may still send a timer tick with the values it held before it received the new ones;
that tick carries the old values back (and fires those widgets' callbacks). :func:`set_controls`
remembers what the browser held and what was written (:class:`Pending`); for STALE_SECONDS after
the first redraw, :func:`restore_controls` (called by the model that the write installed, before it
applies the controls) puts a reverted value back."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

STALE_SECONDS = 5.0  # how long after a write a tick may still carry the old values
PENDING = "controls_pending"  # the values written, until the browser surely has them


@dataclass
class Pending:
    """Control values written (``values``) over the ones the browser held (``browser``).
    A timer tick that the browser sent before it received the new values carries the old ones
    back (and fires those widgets' callbacks); for STALE_SECONDS after the first redraw such a
    value is put back to the written one."""

    browser: dict
    values: dict
    until: float | None = None


def set_controls(state: dict, browser_has_widgets: bool = True) -> None:
    """Write ``state`` (control key -> value) into session state; call it from a callback or before
    the widgets are drawn. Several calls in one callback add up, each control keeping the value
    the browser held before the first."""
    pending = st.session_state.get(PENDING)
    if browser_has_widgets:
        if pending is None or pending.until is not None:
            pending = Pending({}, {})
        for name in state:
            pending.browser.setdefault(name, st.session_state.get(name))
        pending.values.update(state)
        st.session_state[PENDING] = pending
    for name, value in state.items():
        st.session_state[name] = value


def restore_controls() -> bool:
    """Put back the written values that a stale tick reverted; True when it did."""
    pending: Pending | None = st.session_state.get(PENDING)
    if pending is None:
        return False
    now = time.monotonic()
    pending.until = pending.until or now + STALE_SECONDS
    if now > pending.until:
        del st.session_state[PENDING]
        return False
    # A tick that brings back any written control's old value is stale: every written control it
    # changed goes back, including one it could not bring back as it was (a select box whose options
    # changed sends its old label, "Moons" for "moons", which the menu then coerced to its first entry).
    stale = any(st.session_state.get(name) == pending.browser.get(name) != value
                for name, value in pending.values.items())
    reverted = {name: value for name, value in pending.values.items()
                if stale and st.session_state.get(name) != value}
    for name, value in reverted.items():
        st.session_state[name] = value
    return bool(reverted)
