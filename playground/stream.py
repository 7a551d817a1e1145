"""The live stream: while a network plays, the element pulls its frames over a WebSocket of its
own instead of a rerun of the live fragment per tick.

Why: a rerun of the live fragment costs Streamlit ~13 ms of server CPU (the script run, the
element's delta, the forward message) against ~2 ms of our own work (training, the frames, the
payload), and at four runs a second its frames arrive a quarter of a second apart, so what is
painted lags the training by a tick. Here the element asks for the next batch every TICK seconds
(``stream.js``); the server trains what is due on the play clock and answers with the batch
(``Player.advance`` + ``Player.payload``, as the fragment did), so a tick is our own work and a
WebSocket message, and a frame is painted ~TICK after it was trained.

The page keeps everything else: controls, buttons and the element's events still rerun the
fragments, and a paused network is drawn by the live fragment. The pull is the browser's: a
hidden tab asks less often, a slow one is never sent more than it asked for.

Sessions: each browser session has a ``Channel`` (in its session state) with a random token; the
element learns it and TICK from its payload (header key "stream") and names the token in the WebSocket's address.
The channel holds the session's player and view and the lock that the page's runs and the
stream's ticks take in turn (``guard``): a tick never trains while a control rebuilds the network.
A token not in ``CHANNELS`` (a session that ended, a server restarted) is refused with CLOSE_GONE;
the element then waits for its next payload, which names a live channel.

The route exists when the server is app.py (``st.App``, as ``streamlit run playground/app.py``
starts it): ``routes()`` marks it ``SERVED``. Without it (AppTest, or page.py run on its own) the
live fragment ticks every player.TICK, as before. Where the route is served but the WebSocket cannot
get through (a proxy that passes only Streamlit's own, /_stcore/stream), the element says so with
its "stream" event after two failed attempts (``fall_back``) and then asks the page itself: a "tick"
event every player.TICK reruns the live fragment, which trains and hands over the batch.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import secrets
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import streamlit as st

from .player import TICK as PAGE_TICK  # the period when the element asks the page instead

PATH = "/nnpg/stream"  # under server.baseUrlPath when one is set
TICK = 0.125  # seconds between the element's requests: 8 frames each at 60 per second (README: CPU, lag)
log = logging.getLogger("nn_playground")
CLOSE_GONE = 4404  # WebSocket close code: no such session here
KEY = "nnpg_stream"  # session state: this session's Channel
SERVED = False  # set by routes(): the server has the stream's route
SWITCH = "NNPG_STREAM"  # environment: "off" serves no stream (the page ticks, as before the stream)

CHANNELS: weakref.WeakValueDictionary[str, Channel] = weakref.WeakValueDictionary()
# The ticks run here, off the server's event loop: a tick waiting for its page's lock (a lesson that
# trains for seconds) holds a thread, so there are more than the default pool's cores + 4.
TICKERS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="nnpg-stream")


class Channel:
    """One browser session's end of the stream: the token, the player and view to tick, the lock."""

    def __init__(self):
        self.token = secrets.token_urlsafe(18)
        self.lock = threading.RLock()
        self.player = None
        self.view = None
        self.sent: bytes | None = None  # the last batch sent (a repeat is answered with nothing)
        self.via_page = False  # the WebSocket did not get through: the element asks the page (fall_back)
        CHANNELS[self.token] = self

    def follow(self, player, view) -> None:
        """The page's live fragment ran: tick this player, draw in this view."""
        tick = PAGE_TICK if self.via_page else TICK
        self.player, self.view = player, view
        player.tick = tick
        player.stream = {"token": self.token, "tick_ms": round(tick * 1000), "via_page": self.via_page}

    def fall_back(self) -> None:
        """The element's "stream" event: its WebSocket failed; from now on it asks the page."""
        self.via_page = True

    def tick(self) -> bytes:
        """The element's request: this tick's batch while playing; b"" when there is nothing new.
        A tick that fails stops the training and says why, as the page does (the log keeps the
        traceback): the element shows the message, and its Play button comes back."""
        with self.lock:
            player, view = self.player, self.view
            if player is None or view is None or not player.playing:
                return b""
            try:
                blob = player.payload(player.advance(view.speed), view)
            except Exception as error:
                log.exception("NN Playground: a tick of the live stream failed")
                player.playing = False
                player.model.message = f"Training stopped: {error}"
                try:
                    blob = player.payload([], view)
                except Exception:
                    return b""
            if blob is self.sent:
                return b""
            self.sent = blob
            return blob


def channel() -> Channel:
    """This session's channel (made on first use)."""
    found = st.session_state.get(KEY)
    if found is None:
        found = st.session_state[KEY] = Channel()
    return found


def guard(callback: Callable[[], None]) -> Callable[[], None]:
    """``callback`` (a widget's) run holding the session's lock: it may change the network."""

    @functools.wraps(callback)
    def guarded():
        with channel().lock:
            return callback()

    return guarded


async def endpoint(websocket) -> None:
    """The element's WebSocket: each text message "tick" is answered with one binary message; any
    other message is ignored."""
    await websocket.accept()
    found = CHANNELS.get(websocket.query_params.get("token", ""))
    if found is None:
        await websocket.close(code=CLOSE_GONE)
        return
    from starlette.websockets import WebSocketDisconnect

    loop = asyncio.get_running_loop()
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") == "tick":
                await websocket.send_bytes(await loop.run_in_executor(TICKERS, found.tick))
    except (WebSocketDisconnect, RuntimeError, OSError):
        return  # the page went away while its tick ran: nothing to answer, nothing to log


def routes(base_url: str = "") -> list:
    """The stream's route for st.App (app.py), under ``base_url`` (server.baseUrlPath); none when the
    environment says NNPG_STREAM=off (the page ticks then: benchmarks/bench_live.py --stream on,off)."""
    from starlette.routing import WebSocketRoute

    global SERVED
    if os.environ.get(SWITCH, "on") == "off":
        return []
    SERVED = True
    prefix = "/" + base_url.strip("/") if base_url.strip("/") else ""
    return [WebSocketRoute(prefix + PATH, endpoint)]
