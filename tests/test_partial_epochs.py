"""Trainer.train_batches: part of an epoch per call, the same training as whole epochs, bit for bit."""

import copy

import numpy as np
import pytest

from engine import Network, Trainer, load_dataset


def _pair(batch_size=16, optimizer="adam", dataset="spiral", hidden=(8, 8), samples=300):
    """Two identical trainers (same data, weights and shuffle seed)."""
    data = load_dataset(dataset, n_samples=samples, seed=1)

    def make():
        net = Network.for_data(data, hidden=hidden, seed=3)
        return Trainer(net, data, lr=0.01, optimizer=optimizer, batch_size=batch_size, seed=5)
    return make(), make()


def _weights(trainer):
    return [array for layer in trainer.net.params for array in layer]


def _same_weights(a, b):
    return all(np.array_equal(x, y) for x, y in zip(_weights(a), _weights(b), strict=True))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_one_update_per_call_equals_a_whole_epoch_bit_for_bit(optimizer):
    whole, partial = _pair(optimizer=optimizer)
    n_updates = partial.batches_per_epoch
    assert n_updates == 14  # 210 training rows in batches of 16: 13 full and one of 2
    rows = whole.run(epochs=3)
    partial_rows = []
    for _ in range(3 * n_updates):
        partial_rows += partial.train_batches(count=1)
    assert _same_weights(whole, partial)
    assert [dict(r) for r in partial_rows] == [dict(r) for r in rows]  # losses, accuracies: equal floats
    assert partial.epoch == whole.epoch == 3 and partial.epoch_progress == 0.0


def test_an_epoch_counts_only_when_its_last_mini_batch_is_done():
    _, trainer = _pair()
    assert trainer.train_batches(count=13) == []
    assert trainer.epoch == 0 and trainer.history == []
    assert trainer.epoch_progress == pytest.approx(13 * 16 / 210)
    assert trainer.batches_left == 1
    (row,) = trainer.train_batches(count=1)
    assert row["epoch"] == 1 and trainer.epoch == 1 and len(trainer.history) == 1
    assert trainer.epoch_progress == 0.0 and trainer.batches_left == 14


def test_uneven_splits_across_epochs_match_whole_epochs():
    whole, partial = _pair(optimizer="momentum")
    whole.run(epochs=4)
    done = []
    for count in [5, 20, 1, 9, 3, 18]:  # 56 updates = 4 epochs of 14, split across epoch ends
        done += partial.train_batches(count=count)
    assert [r["epoch"] for r in done] == [1, 2, 3, 4]
    assert _same_weights(whole, partial)
    assert [r["train_loss"] for r in done] == [r["train_loss"] for r in whole.history]


def test_step_finishes_the_epoch_in_progress():
    whole, partial = _pair()
    whole.run(epochs=2)
    partial.train_batches(count=4)
    row = partial.step()  # the other 10 updates of epoch 1
    assert row["epoch"] == 1
    partial.step()
    assert _same_weights(whole, partial) and partial.history == whole.history


def test_next_batch_is_the_next_mini_batch_of_the_epoch_in_progress():
    _, trainer = _pair()
    shuffle = copy.deepcopy(trainer._rng).permutation(210)  # the shuffle the first epoch will draw
    assert np.array_equal(trainer.next_batch(), shuffle[:16])
    trainer.train_batches(count=2)
    assert np.array_equal(trainer.next_batch(), shuffle[32:48])
    assert np.array_equal(trainer.next_batch(), shuffle[32:48])  # reading it changes nothing
    trainer.train_batches(count=1)
    assert np.array_equal(trainer.next_batch(), shuffle[48:64])
    assert trainer.epoch_progress == pytest.approx(3 * 16 / 210)


def test_a_time_budget_stops_mid_epoch_and_the_rest_matches():
    whole, partial = _pair(batch_size=1, hidden=(64, 64), samples=600)
    assert partial.batches_per_epoch == 420
    rows = partial.train_batches(seconds=1e-4)  # at least one update, far less than an epoch
    assert rows == [] and partial.epoch == 0 and 0 < partial.epoch_progress < 1
    partial.step()
    whole.step()
    assert _same_weights(whole, partial) and partial.history == whole.history


def test_full_batch_update_is_an_epoch():
    whole, partial = _pair(batch_size=None)
    assert partial.batches_per_epoch == 1
    whole.run(epochs=5)
    rows = partial.train_batches(count=5)
    assert [r["epoch"] for r in rows] == [1, 2, 3, 4, 5]
    assert _same_weights(whole, partial) and partial.history == whole.history


def test_batch_size_changed_mid_epoch_keeps_the_epochs_shuffle():
    _, trainer = _pair()
    order = trainer.next_batch()  # the first 16 of the epoch's shuffle (drawn from a copy)
    trainer.train_batches(count=1)
    trainer.batch_size = 50
    rows = trainer.next_batch()
    assert len(rows) == 50 and not set(rows) & set(order)
    assert trainer.batches_left == 4  # 194 rows left in batches of 50
    assert len(trainer.train_batches(count=4)) == 1 and trainer.epoch == 1


def test_divergence_is_checked_when_the_epoch_completes():
    data = load_dataset("moons", n_samples=200, seed=0)
    net = Network.for_data(data, hidden=(8,), activation="relu", seed=0)
    trainer = Trainer(net, data, lr=10.0, optimizer="sgd", batch_size=1, seed=0)
    rows = trainer.train_batches(count=10 * trainer.batches_per_epoch)
    assert trainer.diverged is not None and trainer.epoch_progress == 0.0
    assert len(rows) == trainer.diverged.epoch - 1
    assert trainer.train_batches(count=1) == [] and trainer.step() is None
    assert all(np.isfinite(w).all() for w in _weights(trainer))


def test_bad_arguments_are_refused():
    _, trainer = _pair()
    with pytest.raises(ValueError, match="count, seconds"):
        trainer.train_batches()
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError, match="count must be a positive integer"):
            trainer.train_batches(count=bad)
