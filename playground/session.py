"""One learner's session: the data, network and trainer built from a Config by the engine,
the play clock, and the frames each tick hands to the live element."""

from __future__ import annotations

import math
import time

import numpy as np

from engine import Network, Trainer, load_dataset
from engine.boundary import decision_boundary, neuron_maps, plane_for

from . import frames as fr
from .controls import DataConfig, NetConfig, TrainConfig, ViewConfig

TICK = 0.25  # seconds between the live fragment's runs (0.2 lags less but costs ~1% more server CPU)
FRAMES = 15  # frames per tick at most: 60 per second
RESOLUTION, THUMB = 100, 20
FRAME_SHARE = 0.3  # of a tick, at most spent drawing frames
TRAIN_SHARE = 0.5  # of a tick, spent training at "max" speed (controls wait for the rest)
EXTRA_BYTES = 96_000  # per tick, for weights and for neuron thumbnails each
HISTORY_KEPT = 1000  # rows of trainer.history kept; the curve has what we show


def load_data(cfg: DataConfig):
    data = load_dataset(cfg.name, n_samples=cfg.n_samples, noise=cfg.noise,
                        test_fraction=cfg.test_fraction, seed=cfg.seed)
    if data.n_features > 2 and not cfg.all_features:
        return data.select(cfg.plane), (0, 1)
    return data, cfg.plane if data.n_features > 2 else (0, 1)


class Session:
    def __init__(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig):
        self.run = 0
        self.seq = 0
        self.playing = False
        self.message: str | None = None
        self._payload: tuple | None = None
        self.data_cfg = data_cfg
        self.data, self.features = load_data(data_cfg)
        self.build(net_cfg, train_cfg)

    # ---- building ------------------------------------------------------------------
    def build(self, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        """A new network and trainer (same seed -> same starting weights)."""
        data, k = self.data, self.data.n_classes
        out = 1 if net_cfg.output == "sigmoid" and k == 2 else k
        sizes = [data.n_features, *net_cfg.hidden, out]
        net = Network(sizes, activation=net_cfg.activation, output=net_cfg.output, loss=net_cfg.loss,
                      init=net_cfg.init, seed=net_cfg.seed)
        trainer = Trainer(net, data, lr=train_cfg.lr, optimizer=train_cfg.optimizer,
                          batch_size=train_cfg.batch_size, l1=train_cfg.l1, l2=train_cfg.l2, seed=net_cfg.seed)
        self.net, self.trainer = net, trainer
        self.net_cfg, self.train_cfg = net_cfg, train_cfg
        self.plane = plane_for(data, RESOLUTION, self.features)
        self.thumbs = plane_for(data, THUMB, self.features)
        self.row = self._first_row()
        self.curve = fr.Curve(self.row)
        self.clock, self.origin, self.anchor = 0.0, None, None
        self.fresh = True  # the first payload shows epoch 0 at once; training starts on the next tick
        self.frame_cost = 0.002
        self.message = None
        self.run += 1
        self._scene = None

    def _first_row(self) -> dict:
        d, net = self.data, self.net
        has_test = len(d.y_test) > 0
        return {
            "epoch": 0,
            "train_loss": net.loss_value(d.X_train, d.y_train),
            "test_loss": net.loss_value(d.X_test, d.y_test) if has_test else None,
            "train_accuracy": net.accuracy(d.X_train, d.y_train),
            "test_accuracy": net.accuracy(d.X_test, d.y_test) if has_test else None,
        }

    def apply(self, data_cfg: DataConfig, net_cfg: NetConfig, train_cfg: TrainConfig) -> None:
        """New data or network when those parts changed; otherwise keep the weights."""
        if data_cfg != self.data_cfg:
            data, features = load_data(data_cfg)
            self.data_cfg, self.data, self.features = data_cfg, data, features
            self.build(net_cfg, train_cfg)
        elif net_cfg != self.net_cfg:
            self.build(net_cfg, train_cfg)
        elif train_cfg != self.train_cfg:
            t, old = self.trainer, self.train_cfg
            t.lr, t.batch_size, t.l1, t.l2 = train_cfg.lr, train_cfg.batch_size, train_cfg.l1, train_cfg.l2
            if train_cfg.optimizer != old.optimizer:
                t.optimizer = train_cfg.optimizer
            self.train_cfg = train_cfg

    def reset(self) -> None:
        self.playing = False
        self.build(self.net_cfg, self.train_cfg)

    # ---- training --------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    def _record(self, rows: list[dict]) -> None:
        for row in rows:
            self.curve.add(row)
        if rows:
            self.row = rows[-1]
        history = self.trainer.history
        if len(history) > 2 * HISTORY_KEPT:
            del history[:-HISTORY_KEPT]
        if self.trainer.diverged:
            self.playing = False
            self.message = self.trainer.diverged.message

    def step(self, epochs: int = 1) -> None:
        self._record(self.trainer.run(epochs=epochs))

    def toggle(self) -> None:
        """Play or pause; after a divergence, Play starts again from fresh weights (the engine's advice)."""
        if self.playing:
            self.playing = False
            return
        if self.trainer.diverged:
            self.build(self.net_cfg, self.train_cfg)
        self.playing = True
        self.origin, self.anchor = None, None

    def advance(self, speed: float | None, now: float | None = None) -> list[fr.Frame]:
        """One tick of play: train what is due on the play clock and return its frames."""
        if not self.playing or self.fresh:
            self.fresh = False
            return []
        now = time.perf_counter() if now is None else now
        c0, c1 = self.clock, self._tick_clock(now)
        slots = max(1, min(FRAMES, int(FRAME_SHARE * TICK / self.frame_cost)))
        if speed is None:
            return self._advance_max(c0, c1, slots)
        if self.anchor is None or self.anchor[2] != speed:
            self.anchor = (c0, self.epoch, speed)
        t0, e0, _ = self.anchor
        due = e0 + math.floor((c1 - t0) * speed + 1e-9)
        todo = due - self.epoch
        if todo <= 0:
            return []
        deadline = time.perf_counter() + TRAIN_SHARE * TICK
        slots = min(slots, todo)
        out, last = [], c0
        for j in range(slots):
            goal = self.epoch + math.ceil((due - self.epoch) / (slots - j))
            self._record(self.trainer.run(epochs=goal - self.epoch, seconds=max(deadline - time.perf_counter(), 1e-4)))
            stamp = min(max(t0 + (self.epoch - e0) / speed, last + 1e-4), c1)
            out.append(self.frame(stamp, j, slots))
            last = stamp
            if not self.playing or time.perf_counter() > deadline:
                break
        if self.epoch < due - speed * TICK:
            self.anchor = (c1, self.epoch, speed)
        return out

    def _tick_clock(self, now: float) -> float:
        """Advance the play clock: a steady TICK per timer run (arrival jitter is the element's
        to absorb), drifting 10% a tick toward real time; an early run (a control moved) uses real time."""
        if self.origin is None:
            self.origin = now - self.clock - TICK
        real = now - self.origin - self.clock
        step = real if real < 0.6 * TICK else TICK + 0.1 * (real - TICK)
        step = min(max(step, 0.0), 2 * TICK)
        if real - step > 1.0:
            self.origin = now - self.clock - step
        self.clock += step
        return self.clock

    def _advance_max(self, c0: float, c1: float, slots: int) -> list[fr.Frame]:
        budget = TRAIN_SHARE * (c1 - c0) / slots
        out = []
        for j in range(slots):
            self._record(self.trainer.run(seconds=budget))
            out.append(self.frame(c0 + (c1 - c0) * (j + 1) / slots, j, slots))
            if not self.playing:
                break
        return out

    # ---- frames ----------------------------------------------------------------------
    def _every(self, size: int, slots: int) -> int:
        return max(1, math.ceil(size * slots / EXTRA_BYTES))

    def frame(self, sim: float, j: int = 0, slots: int = 1) -> fr.Frame:
        start = time.perf_counter()
        net = self.net
        last = j == slots - 1
        n_params = sum(W.size + b.size for W, b in net.params)
        n_hidden = sum(net.sizes[1:-1])
        w_every = self._every(4 * n_params, slots)
        m_every = self._every(n_hidden * THUMB * THUMB, slots)
        grid = fr.boundary_codes(decision_boundary(net, self.plane))
        weights = fr.weight_bytes(net.params) if last or j % w_every == w_every - 1 else None
        maps = None
        if n_hidden and (last or j % m_every == m_every - 1):
            maps = fr.neuron_codes(neuron_maps(net, self.thumbs))
        frame = fr.Frame(self.row, sim, time.time() * 1000, grid, weights, maps)
        self.frame_cost = 0.8 * self.frame_cost + 0.2 * (time.perf_counter() - start)
        return frame

    def scene(self) -> tuple[dict, bytes]:
        """What stays the same for this network: sizes, names, the plane, the points."""
        if self._scene is None:
            d, p, net = self.data, self.plane, self.net
            fx, fy = p.features
            extent = [float(p.xs[0]), float(p.xs[-1]), float(p.ys[0]), float(p.ys[-1])]
            X, y = d.X, d.y
            is_test = (np.arange(len(y)) >= len(d.y_train)).astype(int)
            points = fr.point_bytes(X[:, [fx, fy]], y, is_test, extent)
            head = {
                "run": self.run, "name": d.name, "sizes": net.sizes, "act": net.activation,
                "out": f"{net.output} · {net.loss}", "classes": d.class_names, "feats": d.feature_names,
                "axes": [fx, fy], "axisNames": [d.feature_names[fx], d.feature_names[fy]],
                "extent": extent, "raw": [float(d.mean[fx]), float(d.scale[fx]), float(d.mean[fy]), float(d.scale[fy])],
                "res": RESOLUTION, "th": THUMB, "levels": fr.levels(max(2, net.n_classes)),
                "nTrain": len(d.y_train), "nTest": len(d.y_test),
            }
            self._scene = (head, points)
        return self._scene

    def payload(self, frames: list[fr.Frame], view: ViewConfig) -> bytes:
        """The batch for the element: this tick's frames, or (paused) the current state."""
        live = bool(frames)
        state = (self.run, self.epoch, self.playing, self.message, view.discretize, view.show_test)
        if not live and self._payload and self._payload[0] == state:
            return self._payload[1]
        if not live:
            frames = [self.frame(self.clock)]
        self.seq += 1
        head, points = self.scene()
        blob = fr.batch(head, points, frames, self.curve.before(frames[0].row["epoch"]),
                        seq=self.seq, t=round(time.time() * 1000, 1), live=live, playing=self.playing, msg=self.message,
                        showTest=view.show_test, discretize=view.discretize)
        self._payload = (state, blob)
        return blob
