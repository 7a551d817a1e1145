"""The live stream (playground/stream.py): a session's channel ticks its player while it plays and
answers nothing new with nothing; the WebSocket refuses an unknown session; the lock keeps a tick
out while the page changes the network; the player's tick length follows the stream."""

import asyncio
import gc
import threading
import time

import numpy as np
import pytest
from starlette.websockets import WebSocketDisconnect

from playground import frames as fr
from playground import player as player_module
from playground import stream
from playground.config import DataConfig, NetConfig, TrainConfig, ViewConfig
from playground.model import Model
from playground.player import Player


@pytest.fixture
def channel():
    found = stream.Channel()
    found.follow(Player(Model(DataConfig(), NetConfig(), TrainConfig())), ViewConfig())
    return found


def play(channel) -> None:
    player = channel.player
    player.payload(player.advance(60.0), channel.view)  # the first (fresh) tick shows epoch 0
    player.toggle()


def test_a_paused_player_is_answered_with_nothing(channel):
    assert channel.tick() == b""
    empty = stream.Channel()
    assert empty.tick() == b""  # no player yet


def test_a_playing_player_is_ticked_and_its_batches_name_the_channel(channel):
    play(channel)
    epochs = []
    for _ in range(6):
        time.sleep(stream.TICK)
        blob = channel.tick()
        if blob:
            header, sections = fr.unpack(blob)
            assert header["stream"] == {"token": channel.token, "tick_ms": round(stream.TICK * 1000), "via_page": False}
            assert header["live"] and header["playing"] and 1 <= len(header["frames"]) <= round(60 * stream.TICK)
            epochs += [entry["epoch"] for entry in header["frames"]]
    assert len(epochs) >= 12 and epochs == sorted(epochs) and epochs[-1] > epochs[0]
    assert channel.player.model.epoch == epochs[-1]


def test_a_tick_that_fails_stops_the_training_and_says_why(channel, monkeypatch, caplog):
    play(channel)
    player = channel.player

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(player.model, "train_batches", broken)
    time.sleep(stream.TICK)
    header = fr.unpack(channel.tick())[0]  # no exception reaches the socket
    assert not player.playing and not header["playing"] and not header["live"]
    assert header["message"] == "Training stopped: disk on fire"
    assert "a tick of the live stream failed" in caplog.text
    assert channel.tick() == b""  # paused now


def test_the_stream_sets_the_players_tick(channel):
    player = channel.player
    assert player.tick == stream.TICK and player.frames_per_tick == round(60 * stream.TICK)
    assert player.full_every == round(2.0 / stream.TICK)
    play(channel)
    out, now = [], 100.0
    player.origin = None
    for _ in range(8):  # 8 ticks of play at 60 epochs a second: a frame per epoch, evenly timed
        now += stream.TICK
        out += player.advance(60.0, now=now)
    assert len(out) == round(8 * 60 * stream.TICK)
    assert np.allclose(np.diff([f.play_time for f in out]), 1 / 60, atol=1e-3)


def test_without_the_websocket_the_page_ticks_at_its_own_period(channel):
    channel.fall_back()  # the element's "stream" event
    channel.follow(channel.player, channel.view)  # the live fragment's next run
    player = channel.player
    assert player.tick == player_module.TICK and player.frames_per_tick == 15
    header = fr.unpack(player.payload([], channel.view))[0]
    assert header["stream"] == {"token": channel.token, "tick_ms": 250, "via_page": True}


def test_sequences_grow_across_players(channel):
    first = fr.unpack(channel.player.payload([], channel.view))[0]["sequence"]
    other = Player(Model(DataConfig(), NetConfig(), TrainConfig()))  # a lesson or an import makes a new one
    assert fr.unpack(other.payload([], ViewConfig()))[0]["sequence"] > first


def test_a_tick_waits_while_the_page_holds_the_lock(channel):
    play(channel)
    held, release = threading.Event(), threading.Event()

    def page_run():
        with channel.lock:
            held.set()
            release.wait(5)

    thread = threading.Thread(target=page_run)
    thread.start()
    held.wait(5)
    answered = []
    ticker = threading.Thread(target=lambda: answered.append(channel.tick()))
    ticker.start()
    ticker.join(0.3)
    assert ticker.is_alive() and not answered  # the page's run is not interleaved with training
    release.set()
    ticker.join(5)
    thread.join(5)
    assert len(answered) == 1


def test_a_session_that_ended_leaves_no_channel():
    found = stream.Channel()
    token = found.token
    assert stream.CHANNELS[token] is found and len(token) >= 24
    del found
    gc.collect()
    assert token not in stream.CHANNELS


def test_tokens_differ():
    assert len({stream.Channel().token for _ in range(50)}) == 50


class Socket:
    """What the endpoint uses of Starlette's WebSocket: the browser's side scripted by ``messages``."""

    def __init__(self, token, messages, on_reply=None):
        self.query_params = {} if token is None else {"token": token}
        self.messages, self.on_reply = list(messages), on_reply
        self.accepted, self.closed, self.replies = False, None, []

    async def accept(self):
        self.accepted = True

    async def close(self, code=1000):
        self.closed = code

    async def receive(self):
        if not self.messages:
            return {"type": "websocket.disconnect", "code": 1001}
        message = self.messages.pop(0)
        await asyncio.sleep(stream.TICK if message == "tick" else 0)
        key = "bytes" if isinstance(message, bytes) else "text"
        return {"type": "websocket.receive", key: message}

    async def send_bytes(self, data):
        self.replies.append(data)
        if self.on_reply:
            self.on_reply(self)


def test_the_websocket_answers_each_tick_with_one_message(channel):
    play(channel)
    socket = Socket(channel.token, ["tick"] * 5 + ["hello", b"tick"] + ["tick"] * 2,
                    on_reply=lambda s: len(s.replies) == 6 and channel.player.toggle())  # paused after 6
    asyncio.run(stream.endpoint(socket))
    assert socket.accepted and socket.closed is None and len(socket.replies) == 7  # "hello" and bytes are not answered
    assert sum(1 for reply in socket.replies[:5] if reply) >= 4
    assert socket.replies[-1] == b""  # paused: nothing more


def test_a_page_that_went_away_mid_tick_ends_the_socket_quietly(channel):
    play(channel)

    class Gone(Socket):
        async def send_bytes(self, data):
            raise WebSocketDisconnect(1006)

    socket = Gone(channel.token, ["tick"] * 3)
    asyncio.run(stream.endpoint(socket))  # no exception
    assert socket.replies == [] and socket.messages == ["tick", "tick"]


@pytest.mark.parametrize("token", ["not-a-session", None, ""])
def test_the_websocket_refuses_an_unknown_session(token):
    socket = Socket(token, ["tick"])
    asyncio.run(stream.endpoint(socket))
    assert socket.closed == stream.CLOSE_GONE and socket.replies == []


def test_the_stream_can_be_switched_off(monkeypatch):
    monkeypatch.setattr(stream, "SERVED", False)
    monkeypatch.setenv(stream.SWITCH, "off")
    assert stream.routes() == [] and not stream.SERVED


def test_the_route_follows_the_base_url(monkeypatch):
    monkeypatch.setattr(stream, "SERVED", False)  # restored after: the AppTest tests run the page without a stream
    monkeypatch.delenv(stream.SWITCH, raising=False)
    assert [route.path for route in stream.routes("")] == ["/nnpg/stream"]
    assert [route.path for route in stream.routes("/class/a/")] == ["/class/a/nnpg/stream"]
    assert stream.SERVED


def test_a_wide_networks_weights_ride_at_most_every_quarter_second():
    """At the stream's 8 ticks a second a 6x64 network's 84 kB of weights would take ~670 kB/s: they go at
    most every player.HEAVY_EVERY seconds (the element keeps the last); a small network's on every frame."""
    wide, small = stream.Channel(), stream.Channel()
    wide.follow(Player(Model(DataConfig(), NetConfig(hidden=(64,) * 6), TrainConfig())), ViewConfig())
    small.follow(Player(Model(DataConfig(), NetConfig(), TrainConfig())), ViewConfig())
    for channel, limit in ((wide, 6), (small, None)):
        play(channel)
        carried, frames = 0, 0
        start = time.perf_counter()
        while time.perf_counter() - start < 1.0:
            time.sleep(stream.TICK)
            blob = channel.tick()
            if blob:
                header, sections = fr.unpack(blob)
                frames += len(header["frames"])
                carried += sum("weights" in entry["items"] for entry in header["frames"])
        if limit:
            assert 2 <= carried <= limit, carried  # ~4 in a second, never one a tick
        else:
            assert carried == frames > 0
