"""One action per click.

Streamlit 1.67 sends a button's click with the request of the button's own fragment and, when the
live view's ``run_every`` tick leaves the browser at the same moment, with the tick's request too:
the button's callback then runs twice (measured while training played: 60 clicks on Step made 62–66
steps, and a Play click sometimes played and paused at once). The tick reruns the live fragment
alone, and no button is drawn in that fragment, so a callback running in a run of the live fragment
alone is the tick's copy of a click whose own request runs the controls fragment: it is skipped.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

LIVE_RUN = "live_fragment_id"  # session key: the id Streamlit gives the live fragment's runs


def _fragments_this_run() -> list[str] | None:
    ctx = get_script_run_ctx()
    return ctx.fragment_ids_this_run if ctx is not None else None


def note_live_run() -> None:
    """Called in the live fragment's body: a run of that fragment alone names the live fragment."""
    ids = _fragments_this_run()
    if ids and len(ids) == 1:
        st.session_state[LIVE_RUN] = ids[0]


def live_alone() -> bool:
    """This run reruns the live fragment alone (a tick, or the live view's own rerun); in a button's
    callback: the tick's copy of a click."""
    ids, live = _fragments_this_run(), st.session_state.get(LIVE_RUN)
    return bool(ids) and live is not None and all(fragment == live for fragment in ids)


def once(callback: Callable[[], None]) -> Callable[[], None]:
    """``callback`` for a button drawn outside the live fragment, skipping a tick's copy of the click."""

    @functools.wraps(callback)
    def guarded() -> None:
        if not live_alone():
            callback()

    return guarded
