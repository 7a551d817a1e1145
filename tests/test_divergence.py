"""Divergence: when training stops, what it says, and the weights it goes back to (engine side)."""

import re
import warnings

import numpy as np
import pytest

from engine import Network, Trainer, load_dataset
from engine.datasets import DATASETS
from engine.divergence import EXPLOSION, STALL_EPOCHS, WORSE_THAN_GUESSING
from engine.evaluation import evaluate
from engine.heads import HEADS, heads_for, output_units


@pytest.fixture(autouse=True)
def numpy_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture(scope="module")
def moons():
    return load_dataset("moons", n_samples=200, noise=0.2, test_fraction=0.3, seed=0)


def network(data, hidden, activation="tanh", init="xavier"):
    head = HEADS[heads_for(data.n_classes)[0]]
    sizes = [data.n_features, *hidden, output_units(head.key, data.n_classes)]
    return Network(sizes, activation=activation, output=head.output, loss=head.loss, init=init, seed=0,
                   task=data.task)


def train_losses(trainer):
    return [row["train_loss"] for row in trainer.history]


def assert_rolled_back_cleanly(trainer):
    """Finite weights equal to the ones the divergence reports, no row after it, and no more steps."""
    net, data, restored = trainer.net, trainer.data, trainer.diverged.restored
    assert all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in net.params)
    assert np.isfinite(train_losses(trainer)).all()
    assert len(trainer.history) == trainer.epoch - 1 == trainer.diverged.epoch - 1
    score = restored["train_mse"] if data.task == "regression" else restored.train_accuracy
    assert evaluate(net, data.X_train, data.y_train) == (restored.train_loss, score)
    assert restored.epoch < trainer.epoch
    assert trainer.step() is None and trainer.epoch == trainer.diverged.epoch


# --- issue 7: after training to a low loss, the learning rate raised to 10 ----------------------


@pytest.fixture(scope="module")
def raised_to_ten(moons):
    """Moons trained to a training loss under 0.021 at learning rate 1, then at 10."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer = Trainer(network(moons, (8, 8)), moons, lr=1.0)
        while not trainer.history or trainer.history[-1]["train_loss"] >= 0.021:
            trainer.step()
        trained = list(trainer.history)
        trainer.lr = 10
        trainer.run(100)
    return trainer, trained


def test_raising_the_learning_rate_to_ten_diverges_within_a_few_epochs(raised_to_ten):
    trainer, trained = raised_to_ten
    assert len(trained) == 439 and trained[-1]["train_loss"] == pytest.approx(0.02093, abs=1e-5)
    assert trainer.diverged is not None and "shot up" in trainer.diverged.reason
    assert trainer.epoch - len(trained) <= 5
    assert_rolled_back_cleanly(trainer)


def test_the_message_quotes_the_recent_low_and_the_loss_that_is_shown(raised_to_ten):
    trainer, trained = raised_to_ten
    message = trainer.diverged.message
    shown = trainer.history[-1]["train_loss"]          # the last figure on the curve
    blown = max(train_losses(trainer))
    assert shown > 1 and f"shot up from {shown:.3g} to 9.48," in message
    recent_low = min(train_losses(trainer)[-20:])
    assert recent_low < 0.021 and f"its recent low ({recent_low:.3g})" in message
    first_loss = trained[0]["train_loss"]
    assert f"{first_loss:.3g}" not in message            # no longer the first epoch's loss
    assert blown < EXPLOSION * trainer._chance < 9.48     # 9.48 is the epoch that blew up


def test_the_weights_go_back_to_the_recent_low_with_its_accuracy(raised_to_ten, moons):
    trainer, trained = raised_to_ten
    restored = trainer.diverged.restored
    low = trained[restored.epoch]                        # the row of the epoch they started
    assert restored.epoch + 1 <= len(trained)            # from before the learning rate was raised
    assert low["train_loss"] == min(row["train_loss"] for row in trained[-20:])
    assert restored.train_accuracy == low["train_accuracy"] >= 0.99
    assert restored.train_loss == pytest.approx(low["train_loss"], rel=1e-12)
    assert trainer.net.accuracy(moons.X_train, moons.y_train) == low["train_accuracy"]
    assert (f"back to its weights at the start of epoch {restored.epoch + 1} (training loss "
            f"{low['train_loss']:.3g}, accuracy {low['train_accuracy']:.1%})") in trainer.diverged.message


# --- issue 7: batch size 1 at learning rate 10 ----------------------------------------------------


def test_batch_size_one_at_learning_rate_ten_is_flagged_in_the_first_epoch(moons):
    trainer = Trainer(network(moons, (8,)), moons, lr=10, batch_size=1, seed=0)
    initial_loss, _ = evaluate(trainer.net, moons.X_train, moons.y_train)
    trainer.run(500)
    assert trainer.diverged is not None and trainer.epoch == 1
    message = trainer.diverged.message
    blown = re.search(rf"shot up from {initial_loss:.3g} to ([0-9.]+),", message)
    assert blown and float(blown[1]) > 20 * trainer._chance   # 20-33x guessing's loss, as reported
    assert "back to its initial weights" in message
    assert_rolled_back_cleanly(trainer)
    assert trainer.diverged.restored.train_loss == initial_loss


# --- issue 11: every dataset at learning rate 10 ---------------------------------------------------


LR_TEN = {
    "adam": dict(hidden=(8,), activation="tanh", optimizer="adam", batch_size=None, epochs=50),
    "deep sigmoid": dict(hidden=(8,) * 6, activation="sigmoid", optimizer="sgd", batch_size=None,
                         epochs=3 * STALL_EPOCHS),
    "batch size 1": dict(hidden=(8,), activation="tanh", optimizer="sgd", batch_size=1, epochs=10),
}
# At learning rate 10, gaussian blobs with batch size 1 settle at 0.9 times guessing's loss: neither
# a divergence nor a trained network, so that case is left out.
CASES = [(name, case) for case in LR_TEN for name in DATASETS if (name, case) != ("gaussian", "batch size 1")]


@pytest.mark.parametrize(("name", "case"), CASES)
def test_every_dataset_at_learning_rate_ten_diverges_cleanly(name, case):
    data = load_dataset(name)
    setup = LR_TEN[case]
    trainer = Trainer(network(data, setup["hidden"], setup["activation"]), data, lr=10,
                      optimizer=setup["optimizer"], batch_size=setup["batch_size"], seed=0)
    trainer.run(setup["epochs"])
    assert trainer.diverged is not None, f"{name}, {case}: not flagged"
    assert "Try to lower the learning rate (now 10; try 1)" in trainer.diverged.message
    assert_rolled_back_cleanly(trainer)


# Full-batch SGD on one tanh layer of 8 at learning rate 10: spiral and checkerboard diverge, the
# others learn (with spikes) and must not be stopped; so do the regressions (identity + squared
# error: the step is 10 times too long for the output layer).
SGD_AT_TEN_DIVERGES = {"xor": False, "moons": False, "iris": False, "circles": False, "spiral": True,
                       "gaussian": False, "checkerboard": True, "plane": True, "multigauss": True}


@pytest.mark.parametrize("name", DATASETS)
def test_full_batch_sgd_at_learning_rate_ten_is_stopped_only_where_it_fails(name):
    data = load_dataset(name)
    trainer = Trainer(network(data, (8,)), data, lr=10)
    trainer.run(500)
    assert (trainer.diverged is not None) is SGD_AT_TEN_DIVERGES[name]
    if trainer.diverged:
        assert_rolled_back_cleanly(trainer)
    else:
        assert trainer.history[-1]["train_loss"] < 0.5 * trainer._chance


# --- what is not a divergence ----------------------------------------------------------------------


def test_a_spike_that_training_recovers_from_is_not_divergence(moons):
    trainer = Trainer(Network([2, 8, 8, 8, 1], activation="relu", init="he", seed=0), moons, lr=0.5)
    trainer.run(400)
    losses = np.array(train_losses(trainer))
    spike = 50 + int(losses[50:].argmax())
    assert losses[spike] > 2 * trainer._chance and losses[spike] > 20 * losses[:spike].min()
    assert trainer.diverged is None and losses[-1] < 0.02


def test_a_loss_falling_slowly_while_worse_than_guessing_never_stalls(moons):
    net = Network([2, 8, 8, 8, 8, 1], activation="sigmoid", init="uniform", seed=0)
    trainer = Trainer(net, moons, lr=0.001)
    trainer.run(3 * STALL_EPOCHS)
    losses = np.array(train_losses(trainer))
    assert (losses > WORSE_THAN_GUESSING * trainer._chance).all() and (np.diff(losses) < 0).all()
    assert trainer.diverged is None and trainer.epoch == 3 * STALL_EPOCHS


def test_a_deep_sigmoid_network_stalled_worse_than_guessing_is_stopped_after_the_stall(moons):
    trainer = Trainer(network(moons, (8,) * 6, "sigmoid"), moons, lr=10)
    trainer.run(10 * STALL_EPOCHS)
    assert trainer.diverged is not None and trainer.epoch == STALL_EPOCHS
    assert "has not got below its lowest" in trainer.diverged.reason
    assert f"for {STALL_EPOCHS} epochs" in trainer.diverged.reason
    losses = np.array(train_losses(trainer))
    assert (losses[1:] > WORSE_THAN_GUESSING * trainer._chance).all()


def test_the_check_never_reads_the_history(moons):
    """The watch keeps O(1) figures: a caller trimming the history changes nothing."""
    kept, trimmed = (Trainer(network(moons, (8,) * 6, "sigmoid"), moons, lr=10) for _ in range(2))
    for _ in range(2 * STALL_EPOCHS):
        kept.step()
        trimmed.step()
        trimmed.history.clear()
    assert kept.diverged is not None and kept.diverged.message == trimmed.diverged.message
    assert kept.epoch == trimmed.epoch
