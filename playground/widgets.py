"""The widgets, drawn from the control table in settings.py. Nothing here trains.

Every widget has a stable key; settings.configs() reads their values from session state, so the
live view can build the network before the controls are redrawn. The set of widgets never changes
(a control that does not apply is disabled, not removed): Streamlit 1.67 can leave a removed widget
on screen when a fragment reruns while a run_every fragment ticks (streamlit/streamlit#16708). And
no callback writes a widget's value: a tick already on its way from the browser would carry the
old value back. So a value keeps its meaning across datasets (noise is relative to the dataset's
usual noise; an axis that the new dataset lacks falls back to its default)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

import streamlit as st

from . import clicks, settings
from .settings import Context, Control

LIVE, CONTROLS = "live", "controls"  # the fragments' keys
SECTIONS = {"data": "Data", "network": "Network", "training": "Training", "view": "View"}


# ---- callbacks -------------------------------------------------------------------------------
def _changed() -> None:
    """A control moved: rerun just the live view (the widget already shows its new value)."""
    st.rerun(LIVE)


def _restyled() -> None:
    """A control that changes how other controls look moved: the live view first, then the controls.
    A value chosen for what it changed (a head for another class count) goes back to its default."""
    st.session_state.update(settings.resets(st.session_state))
    st.rerun([LIVE, CONTROLS])


def _regenerate() -> None:
    seed = settings.DATA_SEED
    st.session_state[seed.key] = st.session_state.get(seed.key, seed.default) + 1
    st.rerun(LIVE)


ACTIONS: dict[str, Callable[[], None]] = {"regenerate": clicks.once(_regenerate)}


# ---- one widget ----------------------------------------------------------------------------------
def draw(control: Control, where, ctx: Context, actions: dict[str, Callable[[], None]],
         locked: frozenset[str] = frozenset()) -> None:
    """Draw ``control`` into ``where`` (a container, a column or the st module); a control that a
    share link locks is disabled."""
    label = control.resolve("label", ctx)
    default = control.resolve("default", ctx)
    disabled = control.is_disabled(ctx) or control.lock_name in locked
    common = {"key": control.key, "help": control.help, "disabled": disabled}
    # a "page" control is drawn outside the fragments: its change reruns the whole page by itself
    on_change = {"live": _changed, "controls": _restyled, "page": None}[control.redraws]
    fmt = control.labels(ctx) if control.labels else control.format or str
    kind = control.kind
    if kind in ("select", "radio"):
        options = list(control.resolve("options", ctx))
        index = options.index(default) if default in options else 0
        if kind == "select":
            where.selectbox(label, options, index=index, format_func=fmt, on_change=on_change, **common)
        else:
            where.radio(label, options, index=index, format_func=fmt, horizontal=True, on_change=on_change, **common)
    elif kind == "select_slider":
        where.select_slider(label, control.resolve("options", ctx), value=default, format_func=fmt,
                            on_change=on_change, **common)
    elif kind == "slider":
        low, high = control.limits(ctx)
        where.slider(label, low, high, value=default, step=control.step, on_change=on_change, **common)
    elif kind == "number":
        low, high = control.limits(ctx)
        where.number_input(label, low, high, value=default, step=control.step, on_change=on_change, **common)
    elif kind == "toggle":
        where.toggle(label, value=default, on_change=on_change, **common)
    elif kind == "pills":
        where.pills(label, control.resolve("options", ctx), selection_mode="multi", default=list(default),
                    format_func=fmt, on_change=on_change, **common)
    elif kind == "button":
        where.button(label, icon=control.icon, on_click=actions[control.action], use_container_width=True,
                     **common)
    else:
        raise ValueError(f"control {control.key!r}: no widget for kind {kind!r}")


def _draw_rows(controls: list[Control], where, ctx: Context, actions, locked) -> None:
    """Controls in table order; consecutive ones that share a ``row`` go side by side."""
    for row, group in groupby(controls, key=lambda c: c.row or c.key):
        group = list(group)
        if len(group) == 1 and not group[0].row:
            draw(group[0], where, ctx, actions, locked)
            continue
        columns = where.columns(3 if row.startswith("neurons") else len(group))
        for column, control in zip(columns, group):
            draw(control, column, ctx, actions, locked)


def _placed(place: str) -> list[Control]:
    return [c for c in settings.CONTROLS if c.place == place]


# ---- the sidebar and the toolbar -----------------------------------------------------------------
def sidebar(actions: dict[str, Callable[[], None]] | None = None, locked: frozenset[str] = frozenset(),
            after: dict[str, Callable[[], None]] | None = None) -> None:
    """The data, network and training controls; none at all when a link locks them all. ``after``
    draws more under a section (the upload under the data)."""
    if "all" in locked:
        return
    ctx = settings.Values(st.session_state).context
    st.session_state.update(settings.marks(ctx))  # what the values drawn now are chosen for
    actions = {**ACTIONS, **(actions or {})}
    with st.sidebar:
        for place, title in SECTIONS.items():
            st.subheader(title)
            _draw_rows(_placed(place), st, ctx, actions, locked)
            if after and place in after:
                after[place]()


def toolbar(cols, actions: dict[str, Callable[[], None]], locked: frozenset[str] = frozenset()) -> None:
    """Step (one epoch), Reset (a fresh network from the same seed) and the view settings, into the
    toolbar's columns after the Play button's. No help icons: each button stays one <button>."""
    ctx = settings.Values(st.session_state).context
    for column, control in zip(cols, _placed("toolbar")):
        if "all" in locked and control.part != "action":
            continue
        draw(control, column, ctx, actions, locked)


def header(where) -> None:
    """The controls that live in the page's header (presenter mode)."""
    ctx = settings.Values(st.session_state).context
    for control in _placed("header"):
        draw(control, where, ctx, ACTIONS)


def play_button(where, playing: bool, on_play: Callable[[], None]) -> None:
    play = settings.PLAY
    where.button("Pause" if playing else play.label, key=play.key, type="primary", on_click=on_play,
                 icon=":material/pause:" if playing else play.icon, use_container_width=True)
