"""The live element's events reach their handler once per event id (live._callback): Streamlit can
deliver a component's trigger again with a later rerun (see playground/clicks.py)."""

from types import SimpleNamespace

import pytest

from playground import live, stream


@pytest.fixture
def probe(monkeypatch):
    """A "probe" event's callback on a session state of our own (the session's lock included):
    (state, the values handled, the callback)."""
    state = {}
    monkeypatch.setattr(live, "st", SimpleNamespace(session_state=state))
    monkeypatch.setattr(stream, "st", SimpleNamespace(session_state=state))
    handled = []
    monkeypatch.setitem(live.EVENTS, "probe", handled.append)
    return state, handled, live._callback("probe")


def test_an_event_id_is_handled_once_and_events_without_one_always(probe):
    state, handled, callback = probe
    for value in ({"op": "add", "id": "a"}, {"op": "add", "id": "a"}, {"op": "add", "id": "b"}, ["no id"], ["no id"]):
        state[live.KEY] = {"probe": value}
        callback()
    assert handled == [{"op": "add", "id": "a"}, {"op": "add", "id": "b"}, ["no id"], ["no id"]]
    state[live.KEY] = {"probe": None}
    callback()
    assert len(handled) == 4


def test_only_the_latest_ids_are_remembered(probe):
    state, handled, callback = probe
    for k in range(live.REMEMBERED + 10):
        state[live.KEY] = {"probe": {"id": k}}
        callback()
    assert len(state[live.HANDLED]) == live.REMEMBERED and len(handled) == live.REMEMBERED + 10
    state[live.KEY] = {"probe": {"id": live.REMEMBERED + 9}}
    callback()
    assert len(handled) == live.REMEMBERED + 10  # a recent id again: skipped
