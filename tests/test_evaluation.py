"""One row type and one evaluation: EpochRow, evaluate, first_row, and Network's public forward API."""

import numpy as np
import pytest

from engine import EpochRow, Network, Trainer, evaluate, evaluate_row, first_row, load_dataset

KEYS = ["epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"]


@pytest.fixture(scope="module")
def moons():
    return load_dataset("moons", n_samples=200, noise=0.2, seed=0)


def test_evaluate_is_the_loss_and_accuracy_of_the_current_weights(moons):
    net = Network([2, 5, 2], seed=1)
    loss, accuracy = evaluate(net, moons.X_test, moons.y_test)
    assert loss == pytest.approx(net.loss_value(moons.X_test, moons.y_test), rel=1e-14)
    assert accuracy == net.accuracy(moons.X_test, moons.y_test)
    assert evaluate(net, moons.X_test, moons.y_test, net.targets(moons.y_test)) == (loss, accuracy)
    assert evaluate(net, moons.X_test[:0], moons.y_test[:0]) == (None, None)


def test_first_row_is_epoch_zero_of_the_untrained_network(moons):
    net = Network([2, 4, 1], seed=0)
    row = first_row(net, moons)
    assert isinstance(row, EpochRow) and row.epoch == 0 and list(row) == KEYS
    assert row["train_loss"] == pytest.approx(net.loss_value(moons.X_train, moons.y_train), rel=1e-14)
    assert row["test_accuracy"] == net.accuracy(moons.X_test, moons.y_test)
    assert 0.6 < row["train_loss"] < 0.8  # an untrained sigmoid output: about log 2
    truth_table = load_dataset("xor", n_samples=4)
    row = first_row(Network([2, 3, 1], seed=0), truth_table)
    assert row.test_loss is None and row.test_accuracy is None and row.train_accuracy in (0, 0.25, 0.5, 0.75, 1)


def test_history_rows_are_epoch_rows_equal_to_a_fresh_evaluation_of_the_test_rows(moons):
    net = Network([2, 6, 1], seed=0)
    trainer = Trainer(net, moons, lr=0.5)
    rows = trainer.run(epochs=5)
    assert all(isinstance(r, EpochRow) for r in rows) and [r.epoch for r in rows] == [1, 2, 3, 4, 5]
    now = evaluate_row(net, moons, trainer.epoch)
    assert (rows[-1].test_loss, rows[-1].test_accuracy) == (now.test_loss, now.test_accuracy)
    assert rows[-1].train_loss > now.train_loss  # the epoch's pass came before its update


def test_a_row_reads_like_the_dict_it_replaces():
    row = EpochRow(3, 0.5, 0.6, 0.9, 0.8, extra={"f1": 0.75})
    assert row["train_loss"] == 0.5 and row["f1"] == 0.75 and row.get("missing") is None
    assert row.as_dict() == {"epoch": 3, "train_loss": 0.5, "test_loss": 0.6, "train_accuracy": 0.9,
                             "test_accuracy": 0.8, "f1": 0.75}
    assert row == row.as_dict() and row != EpochRow(3, 0.5, 0.6, 0.9, 0.8)
    assert len(row) == 6 and "'epoch': 3" in repr(row)
    with pytest.raises(KeyError):
        row["nope"]


def test_labels_is_a_threshold_or_an_argmax():
    assert Network.labels(np.array([[0.2], [0.5], [0.9]])).tolist() == [0, 1, 1]
    assert Network.labels(np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])).tolist() == [1, 0]


def test_forward_pass_with_reused_buffers_matches_and_is_overwritten(moons):
    net = Network([2, 5, 3], seed=0)
    fresh, logits = net.forward_pass(moons.X_test)
    assert logits is None  # cross-entropy reads the probabilities, not the logits
    reused = net.forward_pass(moons.X_test, reuse_buffers=True)[0][-1]
    np.testing.assert_array_equal(reused, fresh[-1])
    kept = reused.copy()
    net.forward_pass(moons.X_test[::-1].copy(), reuse_buffers=True)
    assert not np.array_equal(reused, kept)  # same row count -> same buffer, as documented
    assert net.forward_pass(moons.X_test)[0][-1] is not fresh[-1]
    _, logits = Network([2, 1], seed=0).forward_pass(moons.X_test)
    assert logits.shape == (len(moons.X_test), 1)  # log-loss reads the logits
