"""A lesson run in the app: its settings as the controls' values (through the share-link codec),
the configs they give, and the live model built from them.

Opening a run writes the controls' values into session state from a callback (or before the
widgets are first drawn). The browser may still send a timer tick with the values it held
before; :mod:`playground.control_writes` puts the lesson's values back. Some settings
are beyond what the widgets show (XOR's truth table has 4 points, below the samples slider): the
model is built from the lesson's settings, and :class:`LessonModel` keeps that data for as long
as the widgets' data settings are the ones the lesson set."""

from __future__ import annotations

import math
from dataclasses import replace

import streamlit as st

from engine.lessons import SETTINGS, Run

from . import links, settings, share
from .control_writes import restore_controls, set_controls
from .model import Model
from .player import Player

PARTS = ("data", "network", "training")  # the controls a lesson sets; the view's stay the user's


# ---- a lesson run -> the controls and the configs -------------------------------------------
def link_params(run: Run) -> dict[str, str]:
    """The run's settings as share-link parameters (``epochs`` is the lesson's, not a control)."""
    return {name: SETTINGS[name].text(value) for name, value in run.settings.items() if name != "epochs"}


def widget_state(run: Run) -> tuple[dict, list[str]]:
    """The value of every data, network and training control for ``run`` (the link codec's reading
    of its settings, the controls' defaults for the rest) and the codec's notices. The number of
    points is read on its own: a count the slider cannot show (the truth table's 4) leaves the
    slider alone without a notice, since the data config carries the lesson's count anyway."""
    params = link_params(run)
    samples = params.pop(settings.N_SAMPLES.link, None)
    decoded = links.decode(params)
    updates = dict(decoded.updates)
    if samples is not None:
        updates.update(links.decode({**params, settings.N_SAMPLES.link: samples}).updates)
    values = settings.Values(updates)
    state = {c.key: values[c] for c in settings.CONTROLS if c.part in PARTS and c.kind != "button"}
    return state, decoded.notices


def configs_for(run: Run):
    """``(widgets' data config, the run's data config, net config, train config)``: the configs
    the widgets give for the run, with the lesson's own number of points."""
    state, _ = widget_state(run)
    shown_data, net, train, _ = settings.configs(state)
    spec_rows = run.values["samples"]
    data = replace(shown_data, n_samples=int(min(spec_rows, _max_rows(shown_data.name))))
    return shown_data, data, net, train


def _max_rows(dataset: str) -> float:
    return settings.Context(dataset, 0, "none").spec.max_rows or math.inf


class LessonModel(Model):
    """A lesson run's model. While the widgets' data config is ``shown_data_cfg`` (the one the
    lesson set), it stands for the lesson's data, which the widgets may be unable to show. A live
    tick that brings back the controls' values from before the lesson changes nothing: the
    lesson's values are put back and the page redrawn with them (:mod:`playground.control_writes`)."""

    def __init__(self, shown_data_cfg, data_cfg, net_cfg, train_cfg, after_run: int = 0):
        super().__init__(data_cfg, net_cfg, train_cfg)
        self.shown_data_cfg = shown_data_cfg
        self.run += after_run  # numbered after the model it replaces: the live element sees a new network

    def apply(self, data_cfg, net_cfg, train_cfg) -> None:
        if restore_controls():
            st.rerun()
        if data_cfg == self.shown_data_cfg:
            data_cfg = self.data_cfg
        super().apply(data_cfg, net_cfg, train_cfg)


def open_run(run: Run, key: str, browser_has_widgets: bool = True) -> Player:
    """Set the controls to ``run`` and put its untrained network in the live view."""
    state, notices = widget_state(run)
    set_controls(state, browser_has_widgets)
    st.session_state[share.NOTICES] = notices
    shown_data, data, net, train = configs_for(run)
    old = st.session_state.get(key)
    model = LessonModel(shown_data, data, net, train, after_run=old.model.run if old else 0)
    player = Player(model)
    st.session_state[key] = player
    return player
