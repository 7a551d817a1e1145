"""A tick trains part of an epoch when an epoch does not fit in its budget (issue 11, slow ticks)."""

import numpy as np
import pytest

from playground import player as player_module
from playground.config import DataConfig, NetConfig, TrainConfig
from playground.model import Model
from playground.player import Player

HEAVY = (DataConfig(name="spiral", n_samples=1000), NetConfig(hidden=(64,) * 6), TrainConfig(batch_size=1))


@pytest.fixture
def tiny_budget(monkeypatch):
    """A training budget of a microsecond a tick: whatever the machine, far less than an epoch."""
    monkeypatch.setattr(player_module, "TRAIN_SHARE", 4e-6)


def _playing(configs):
    player = Player(Model(*configs))
    player.advance(None)  # the fresh tick shows epoch 0
    player.toggle()
    return player


@pytest.mark.parametrize("speed", [None, 60.0])
def test_a_tick_stops_mid_epoch_and_still_shows_frames(tiny_budget, speed):
    player = _playing(HEAVY)
    assert player.model.trainer.batches_per_epoch == 700
    frames = player.advance(speed, now=1.0)
    trainer = player.model.trainer
    assert frames, "a tick always shows the network as it is"
    assert trainer.epoch == 0 and 0 < trainer.epoch_progress < 0.1  # a few updates, not an epoch
    assert all(frame.row["epoch"] == 0 for frame in frames)


def test_ticks_of_partial_epochs_train_exactly_as_whole_epochs(tiny_budget):
    player = _playing(HEAVY)
    now = 1.0
    for _ in range(5):
        now += player_module.TICK
        player.advance(None, now=now)
    model = player.model
    assert model.epoch == 0 and model.trainer.epoch_progress > 0
    player.step()  # finishes the epoch in progress
    assert model.epoch == 1
    whole = Model(*HEAVY)  # the same network, trained one whole epoch
    whole.train(epochs=1)
    for (W, b), (W2, b2) in zip(whole.net.params, model.net.params, strict=True):
        assert np.array_equal(W, W2) and np.array_equal(b, b2)
    assert whole.row["train_loss"] == model.row["train_loss"]


def test_a_played_epoch_joins_the_curve_when_it_completes():
    player = _playing((DataConfig(), NetConfig(), TrainConfig(batch_size=10)))
    frames = player.advance(60.0, now=1.0)
    model = player.model
    assert frames and model.epoch >= 1
    assert model.curve.rows[-1]["epoch"] == model.epoch == model.row["epoch"]
    assert [f.row["epoch"] for f in frames] == sorted(f.row["epoch"] for f in frames)


def test_a_slow_speed_keeps_training_an_epoch_longer_than_its_time(tiny_budget):
    """At 1 epoch a second an epoch that takes longer than a second trains on every tick once it is
    due, instead of waiting for the play clock to call it again."""
    player = _playing(HEAVY)
    progress, now = [], 1.0
    for _ in range(12):
        now += player_module.TICK
        player.advance(1.0, now=now)
        progress.append(player.model.epoch + player.model.trainer.epoch_progress)
    started = next(i for i, p in enumerate(progress) if p > 0)
    assert started <= 4  # due after a second of play
    assert all(b > a for a, b in zip(progress[started:], progress[started + 1:])), progress
