"""Playing a model: the play clock, the frame budget of each tick, and the frames and payloads
that the live element shows.  The model (model.py) trains; this decides how much and when.

Each tick calls ``advance(speed)`` (a request of the live stream, every stream.TICK; where there is
no stream, a run of the live fragment, every TICK): it trains what is due on the play clock and
records up to FRAME_RATE frames a second, timed on that clock so that the element plays them back evenly.
A tick stays within its budget however heavy the network: training goes by mini-batch
(``Model.train_batches``), so a frame may show part of an epoch, and the frames drawn stop when
their share of the tick is spent."""

from __future__ import annotations

import itertools
import math
import os
import time

from threadpoolctl import threadpool_limits  # scikit-learn's dependency

from engine.boundary import plane_for

from . import frames as fr
from .config import DataConfig, NetConfig, TrainConfig, ViewConfig
from .model import Model

TICK = 0.25  # seconds between the live fragment's runs where there is no live stream (stream.TICK)
FRAME_RATE = 60  # frames per second at most
RESOLUTION, THUMB = 100, 20
FRAME_SHARE = 0.3  # of a tick, spent drawing frames (the frame count is planned from their recent cost)
FRAME_LIMIT = 2 * FRAME_SHARE  # frames stop there whatever the plan (a new, heavier network; a busy machine)
TRAIN_SHARE = 0.5  # of a tick, spent training at "max" speed (controls wait for the rest)
PRESENTER_SCALE = 1.45  # type and lines in presenter mode
EXTRA_RATE = 384_000  # bytes a second for weights and for neuron thumbnails each
HEAVY_EVERY = 0.25  # seconds at least between items over a tick's share of EXTRA_RATE (a wide network's weights)
FULL_SECONDS = 2.0  # a full batch (scene, history) at least this often, and whenever either changed
SEQUENCE = itertools.count(1)  # batch sequence numbers, growing across a session's players (a lesson makes
# a new one): the element drops a batch older than the last it showed (static/element.js, receive)
EVALUATE = "NNPG_EVALUATE"  # environment: where the boundary is computed, "browser" (the default) or "server"

# One BLAS thread for the server: a tick's matrices are small and the sessions share the cores. On a
# busy 2-core machine OpenBLAS's second thread made the heaviest tick 3.5x slower and trained a tenth
# as much (benchmarks/bench_ticks.py); deploy/serve runs one process per core for the same reason.
threadpool_limits(1, user_api="blas")


class Player:
    def __init__(self, model: Model):
        self.model = model
        self.playing = False
        self.tick = TICK  # seconds between calls of advance (the page sets stream.TICK where it streams)
        self.stream = None  # the live stream's token and period, sent with each batch (stream.Channel.follow)
        self.seq = 0  # the last batch's sequence number
        self.batches = 0  # batches made
        self._payload: tuple | None = None
        self._full: tuple | None = None  # the last full batch's (scene, view, batch count)
        self.evaluate = os.environ.get(EVALUATE, fr.BROWSER)  # the browser, unless the server can't be avoided
        fr.evaluation_side(model.net, self.evaluate)  # a bad value is refused here, not at the first frame
        self._restart()

    # ---- following the model -------------------------------------------------------
    def _restart(self) -> None:
        """A new network (or new data): a new plane, a fresh clock, epoch 0 shown at once."""
        model = self.model
        self.run, self.edits = model.run, model.edits
        self.plane = plane_for(model.data, RESOLUTION, model.features)
        self.thumbs = plane_for(model.data, THUMB, model.features)
        self.clock, self.origin, self.anchor = 0.0, None, None
        self.fresh = True  # the first payload shows epoch 0 at once; training starts on the next tick
        self.frame_cost = 0.002
        self._heavy_at = -math.inf  # when an item over a tick's budget was last sent (frame)
        self._scene = None

    def _follow(self) -> None:
        if self.model.run != self.run:
            self._restart()
        elif self.model.edits != self.edits:  # points added or removed: the same network and plane
            self.edits, self._scene, self._payload = self.model.edits, None, None

    def apply(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        self.model.apply(data_cfg, net_cfg, train_cfg)
        self._follow()

    # ---- the buttons -----------------------------------------------------------------
    def toggle(self) -> None:
        """Play or pause; after a divergence, Play starts again from fresh weights (the engine's advice)."""
        if self.playing:
            self.playing = False
            return
        if self.model.diverged:
            self.model.rebuild()
            self._follow()
        self.playing = True
        self.origin, self.anchor = None, None

    def step(self, epochs: int = 1) -> None:
        """Step pauses a playing network first, so that the step is one the user can see."""
        self.playing = False
        self._train(epochs=epochs)

    def refresh(self) -> None:
        """The network changed in place (a weight typed on the diagram): the next payload shows it."""
        self._payload = None

    def reset(self) -> None:
        self.playing = False
        self.model.rebuild()
        self._follow()

    def _train(self, epochs: int | None = None, seconds: float | None = None) -> None:
        self.model.train(epochs=epochs, seconds=seconds)
        if self.model.diverged:
            self.playing = False

    def _train_batches(self, count: int | None, seconds: float) -> None:
        """Mini-batch updates toward the next frame, never past ``seconds`` by more than one update."""
        self.model.train_batches(count=count, seconds=seconds)
        if self.model.diverged:
            self.playing = False

    def _updates_to(self, epoch: int) -> int:
        """Mini-batch updates from here to the end of ``epoch``."""
        trainer = self.model.trainer
        return trainer.batches_left + max(epoch - trainer.epoch - 1, 0) * trainer.batches_per_epoch

    def _position(self) -> float:
        """Epochs trained, counting the epoch in progress' fraction."""
        return self.model.epoch + self.model.trainer.epoch_progress

    # ---- the play clock --------------------------------------------------------------
    def advance(self, speed: float | None, now: float | None = None) -> list[fr.Frame]:
        """One tick of play: train what is due on the play clock and return its frames."""
        self._follow()
        if not self.playing or self.fresh:
            self.fresh = False
            return []
        now = time.perf_counter() if now is None else now
        tick = self.tick
        tick_start, tick_end = self.clock, self._tick_clock(now)
        slots = max(1, min(self.frames_per_tick, int(FRAME_SHARE * tick / self.frame_cost)))
        if speed is None:
            return self._advance_max(tick_start, tick_end, slots)
        model = self.model
        if self.anchor is None or self.anchor[2] != speed:
            self.anchor = (tick_start, model.epoch, speed)
        anchor_clock, anchor_epoch, _ = self.anchor
        due = anchor_epoch + math.floor((tick_end - anchor_clock) * speed + 1e-9)
        todo = due - model.epoch
        if todo <= 0:
            return []
        train_start = time.perf_counter()
        deadline = train_start + TRAIN_SHARE * tick
        slots = min(slots, todo)
        out, last, drawing = [], tick_start, 0.0
        for j in range(slots):
            goal = model.epoch + math.ceil((due - model.epoch) / (slots - j))
            slot_end = train_start + drawing + TRAIN_SHARE * tick * (j + 1) / slots  # an even share each
            self._train_batches(self._updates_to(goal), max(slot_end - time.perf_counter(), 1e-4))
            stamp = min(max(anchor_clock + (self._position() - anchor_epoch) / speed, last + 1e-4), tick_end)
            drawn = time.perf_counter()
            out.append(self.frame(stamp, j, slots, live=True))
            drawing += time.perf_counter() - drawn
            last = stamp
            if not self.playing or time.perf_counter() > deadline + drawing or drawing > FRAME_LIMIT * tick:
                break
        if model.epoch < due - speed * tick and not model.trainer.epoch_progress:  # behind: the clock restarts
            self.anchor = (tick_end, model.epoch, speed)  # (not mid-epoch: that epoch stays due, and trains on)
        return out

    @property
    def frames_per_tick(self) -> int:
        return max(1, round(FRAME_RATE * self.tick))

    @property
    def full_every(self) -> int:
        """Batches between full ones: FULL_SECONDS of ticks."""
        return max(1, round(FULL_SECONDS / self.tick))

    def _tick_clock(self, now: float) -> float:
        """Advance the play clock: a steady tick per timer run (arrival jitter is the element's
        to absorb), drifting 10% a tick toward real time; an early run (a control moved) uses real time."""
        tick = self.tick
        if self.origin is None:
            self.origin = now - self.clock - tick
        real = now - self.origin - self.clock
        step = real if real < 0.6 * tick else tick + 0.1 * (real - tick)
        step = min(max(step, 0.0), 2 * tick)
        if real - step > 1.0:
            self.origin = now - self.clock - step
        self.clock += step
        return self.clock

    def _advance_max(self, tick_start: float, tick_end: float, slots: int) -> list[fr.Frame]:
        budget = TRAIN_SHARE * min(tick_end - tick_start, self.tick) / slots  # a late tick must not train longer
        out, drawing = [], 0.0
        for j in range(slots):
            self._train_batches(None, budget)
            drawn = time.perf_counter()
            out.append(self.frame(tick_start + (tick_end - tick_start) * (j + 1) / slots, j, slots, live=True))
            drawing += time.perf_counter() - drawn
            if not self.playing or drawing > FRAME_LIMIT * self.tick:
                break
        return out

    # ---- frames ----------------------------------------------------------------------
    def frame(self, play_time: float, j: int = 0, slots: int = 1, live: bool = False) -> fr.Frame:
        """The network as it is now, to be shown at ``play_time`` on the play clock; the weights and
        thumbnails ride on every few frames of a tick (the last has them), within EXTRA_RATE; while
        playing, an item bigger than a tick's share (a wide network's weights) at most every HEAVY_EVERY
        seconds (as the page's ticks sent it; the stream asks twice as often)."""
        start = time.perf_counter()
        scene = self.scene()
        heavy = not live or (j == slots - 1 and start - self._heavy_at >= HEAVY_EVERY)
        if heavy and j == slots - 1:
            self._heavy_at = start
        names = fr.due(scene, j, slots, round(EXTRA_RATE * self.tick), heavy)
        frame = fr.frame(scene, self.model.row, play_time, names)
        self.frame_cost = 0.8 * self.frame_cost + 0.2 * (time.perf_counter() - start)
        return frame

    def scene(self) -> fr.Scene:
        """What stays the same for this network: sizes, names, the plane, the points."""
        if self._scene is None:
            model = self.model
            self._scene = fr.scene(model.run, fr.Sources(model.data, model.net, self.plane, self.thumbs),
                                   model.edits, self.evaluate)
        return self._scene

    def payload(self, frames: list[fr.Frame], view: ViewConfig) -> bytes:
        """The batch for the element: this tick's frames, or (paused) the current state."""
        self._follow()
        model = self.model
        live = bool(frames)
        state = (model.run, model.epoch, self.playing, model.message, view.discretize, view.show_test, view.theme,
                 view.present)
        if not live and self._payload and self._payload[0] == state:
            return self._payload[1]
        if not live:
            frames = [self.frame(self.clock)]
        self.seq, self.batches = next(SEQUENCE), self.batches + 1
        scene, shown = self.scene(), state[4:]  # the scene and the view the element draws it in
        full = not live or self._full is None or self.batches - self._full[2] >= self.full_every
        full = full or self._full[0] is not scene or self._full[1] != shown
        if full:
            self._full = (scene, shown, self.batches)
        blob = fr.batch(scene, frames, model.curve.before(frames[0].row["epoch"]) if full else [],
                        sequence=self.seq, live=live, playing=self.playing, message=model.message,
                        show_test=view.show_test, discretize=view.discretize, theme=view.theme,
                        scale=PRESENTER_SCALE if view.present else 1.0, full=full, stream=self.stream)
        self._payload = (state, blob) if full else None  # a paused element is always left with a full batch
        return blob
