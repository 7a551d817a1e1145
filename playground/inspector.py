"""The views below the live view that look inside the network: the step inspector, the gradient
check, the activation explorer, the hidden space, the confusion matrix and the baseline.

One :class:`Panel` entry per view in ``PANELS``; adding a view is one entry and its module. Each
is an expander that tracks whether it is open; a closed view computes and sends nothing, so with
every view closed the live view runs exactly as without them.

Keeping an open view current: the views are drawn by the controls fragment, which the toolbar's
buttons and the training controls do not rerun. So while any view is open, a small watcher
fragment looks every WATCH_EVERY seconds (WATCH_PLAYING while playing) at what the views depend
on (the network, its epoch when paused, playing or not, the training settings, the colours); when
that changed (a Step, a Pause, a new learning rate) it reruns the page once, which redraws them.
While training plays only the epoch changes, which the watcher ignores then: a playing session is
not rerun. The one live view, the hidden space, redraws itself every LIVE_EVERY seconds while
training plays."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from . import activation_view, baseline_view, confusion_view, gradcheck_view, hidden_view, settings, step_view
from .palette import THEMES

WATCH_EVERY = 0.5  # seconds between the watcher's looks while a view is open and training is paused
WATCH_PLAYING = 1.0  # ... while training plays: it only has to notice a pause
LIVE_EVERY = 0.5  # seconds between redraws of a live view while training plays
DRAWN = "inside_drawn"  # session state: what the open views were last drawn from
log = logging.getLogger("nn_playground")


@dataclass(frozen=True)
class View:
    """What a view draws from: the player, its model, whether training plays, the class colours."""

    player: object
    playing: bool
    colours: tuple[tuple[int, int, int], ...]

    @property
    def model(self):
        return self.player.model

    @property
    def hex_colours(self) -> list[str]:
        return ["#" + "".join(f"{v:02x}" for v in colour) for colour in self.colours]


@dataclass(frozen=True)
class Panel:
    """``key``: its expander's key (in session state: open or not); ``draw`` draws it with the
    page (the paused network); ``live``, if any, draws the part that follows training while it
    plays, in its own fragment redrawn every LIVE_EVERY seconds then."""

    key: str
    label: str
    icon: str
    draw: Callable[[View], None]
    live: Callable[[View], None] | None = None


PANELS: dict[str, Panel] = {panel.key: panel for panel in (
    Panel("inside_step", "Inside the next step: forward pass, backward pass, update", ":material/functions:",
          step_view.draw),
    Panel("inside_gradcheck", "Gradient check: backprop against measured slopes", ":material/rule:",
          gradcheck_view.draw),
    Panel("inside_activation", "Activations: g, g′ and where the pre-activations fall", ":material/show_chart:",
          activation_view.draw),
    Panel("inside_hidden", "Hidden space: the plane as a hidden layer sees it", ":material/scatter_plot:",
          hidden_view.draw, live=hidden_view.live),
    Panel("inside_confusion", "Confusion matrices, precision and recall", ":material/grid_on:", confusion_view.draw),
    Panel("inside_baseline", "Baseline: logistic regression on the same data", ":material/compare_arrows:",
          baseline_view.draw),
)}


def show(where, session_key: str) -> None:
    """Every view's expander into container ``where``; the open ones drawn from the player at
    ``st.session_state[session_key]``."""
    player = st.session_state.get(session_key)
    if player is None:
        return
    opened = False
    for panel in PANELS.values():
        box = where.expander(panel.label, icon=panel.icon, key=panel.key, on_change="rerun")
        if not box.open:
            continue
        opened = True
        with box:
            _draw(panel.key, panel.draw, player)
            if panel.live:
                every = LIVE_EVERY if player.playing else None
                st.fragment(_live, run_every=every)(panel.key, session_key)
    if opened:
        st.session_state[DRAWN] = signature(player)
        with where:
            st.fragment(_watch, run_every=WATCH_PLAYING if player.playing else WATCH_EVERY)(session_key)


def signature(player) -> tuple:
    """What the views show depends on; the epoch only counts while paused."""
    model = player.model
    theme = settings.configs(st.session_state)[3].theme
    epoch = None if player.playing else model.epoch
    return id(model), model.run, model.edits, player.playing, epoch, model.message, model.train_cfg, theme


def _view(player) -> View:
    theme = settings.configs(st.session_state)[3].theme
    return View(player, player.playing, THEMES.get(theme, THEMES["standard"]).classes)


def _draw(key: str, draw: Callable[[View], None], player) -> None:
    """One view (or its live part); whatever goes wrong in it stays in it, as words."""
    if not len(player.model.data.y_train):  # a blank plane before its first point (points.py)
        st.info("No points yet: click the plane to add some, and this view shows them.", icon=":material/touch_app:")
        return
    try:
        draw(_view(player))
    except ValueError as error:
        st.error(str(error), icon=":material/warning:")
    except Exception as error:
        log.exception("NN Playground: the %s view failed", key)
        st.error(f"Something went wrong in this view: {error}", icon=":material/error:")


def _live(panel_key: str, session_key: str) -> None:
    player = st.session_state.get(session_key)
    if player is not None:
        _draw(panel_key, PANELS[panel_key].live, player)


def _watch(session_key: str) -> None:
    player = st.session_state.get(session_key)
    if player is None:
        return
    now = signature(player)
    if st.session_state.get(DRAWN) != now:
        st.session_state[DRAWN] = now
        st.rerun()
