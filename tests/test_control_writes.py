"""Writing controls from a callback, race-free (playground/control_writes.py): a stale tick that
carries the browser's old values back is undone for a few seconds, then forgotten."""

from types import SimpleNamespace

import pytest

from playground import control_writes


@pytest.fixture
def state(monkeypatch):
    session = {"lr": 0.3, "dataset": "moons", "seed": 0}
    monkeypatch.setattr(control_writes, "st", SimpleNamespace(session_state=session))
    return session


def test_a_stale_tick_is_put_back_until_the_browser_surely_has_the_values(state, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(control_writes.time, "monotonic", lambda: clock[0])
    control_writes.set_controls({"lr": 1.0, "dataset": "circles"})
    assert state["lr"] == 1.0 and state["dataset"] == "circles"
    assert control_writes.restore_controls() is False  # first redraw: nothing reverted; the clock starts
    state["lr"] = 0.3  # a tick sent before the browser had the new values
    state["seed"] = 5  # ... and a control the write never touched, changed by the user: kept
    assert control_writes.restore_controls() is True
    assert state["lr"] == 1.0 and state["seed"] == 5
    state["dataset"] = "spiral"  # the user's own later choice (not the old value): kept
    assert control_writes.restore_controls() is False and state["dataset"] == "spiral"
    clock[0] += control_writes.STALE_SECONDS + 0.1
    state["lr"] = 0.3  # long after: the user's choice, and the record is gone
    assert control_writes.restore_controls() is False and state["lr"] == 0.3
    assert control_writes.PENDING not in state


def test_writes_in_one_callback_add_up_keeping_the_first_browser_values(state):
    control_writes.set_controls({"lr": 1.0})
    control_writes.set_controls({"lr": 3.0, "dataset": "xor"})
    pending = state[control_writes.PENDING]
    assert pending.browser == {"lr": 0.3, "dataset": "moons"}
    assert pending.values == {"lr": 3.0, "dataset": "xor"}


def test_before_the_widgets_exist_nothing_is_remembered(state):
    control_writes.set_controls({"lr": 1.0}, browser_has_widgets=False)
    assert state["lr"] == 1.0 and control_writes.PENDING not in state
    assert control_writes.restore_controls() is False


def test_a_stale_tick_that_brings_back_one_old_value_puts_back_every_written_control(state, monkeypatch):
    """An upload writes the problem and the dataset; a stale tick brings back the old problem and,
    for the dataset menu whose options changed, the old option's label ("Moons") that the menu then
    coerced to its first entry: both go back (the upload stayed on "plane" before)."""
    monkeypatch.setattr(control_writes.time, "monotonic", lambda: 100.0)
    state["problem"] = "classification"
    control_writes.set_controls({"problem": "regression", "dataset": "upload"})
    assert control_writes.restore_controls() is False
    state["problem"], state["dataset"] = "classification", "plane"
    assert control_writes.restore_controls() is True
    assert state["problem"] == "regression" and state["dataset"] == "upload"
