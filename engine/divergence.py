"""When training has diverged, and the weights to go back to: :class:`Watch` and :class:`Divergence`.

Training has diverged when, after an epoch,

- the loss or the weights are infinite or NaN; or
- the training loss **shot up**: over ``EXPLOSION`` times its recent low, and over
  ``EXPLOSION`` times what guessing (predicting the class frequencies) costs.  The second
  floor spares the spikes that training at a high learning rate recovers from by itself (a
  ReLU network at 0.5 jumps from 0.06 to twice what guessing costs for one epoch); or
- the training loss has **stalled worse than guessing**: it is worse than guessing and has
  not set a new lowest loss for ``STALL_EPOCHS`` epochs (an oscillating or saturated network:
  a deep sigmoid network at learning rate 10 stays at 1.5 times what guessing costs);
  "worse than guessing" is over ``WORSE_THAN_GUESSING`` times what guessing costs.  A
  loss that keeps falling, however slowly, sets new lows and never stalls.

The *recent low* starts at the loss of the weights training started from and follows the
lowest training loss, forgetting ``RECENT_FORGETTING`` per epoch (it rises by 1 % an epoch
unless the loss meets it), so that a loss that has crept up over hundreds of epochs, e.g.
under a stronger penalty, becomes the new reference.  The weights of the recent low are kept:
a divergence goes back to them, the last good weights, not to those of the epoch that blew up.
Every check is O(1) per epoch: the watch never reads the history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .evaluation import EpochRow

EXPLOSION = 10               # the loss rose over this many times its recent low and guessing's
WORSE_THAN_GUESSING = 1.1    # a loss over this many times what guessing costs
STALL_EPOCHS = 100           # epochs without a new lowest loss, ending worse than guessing
RECENT_FORGETTING = 1.01     # the recent low rises by this factor per epoch unless met


@dataclass(frozen=True)
class Divergence:
    """Why training stopped: at which epoch, what happened, what to try, and ``restored``: the
    figures (an :class:`EpochRow`) of the weights training went back to, those after
    ``restored.epoch`` epochs.  The message names them by the epoch they started, whose
    training figures on the curve are theirs (exactly so in full batch)."""

    epoch: int
    reason: str
    advice: str
    restored: EpochRow | None = None

    @property
    def message(self):
        return f"Training diverged at epoch {self.epoch}: {self.reason}. {self._restored()}{self.advice}"

    def _restored(self):
        row = self.restored
        if row is None:
            return ""
        weights = "its initial weights" if row.epoch == 0 else f"its weights at the start of epoch {row.epoch + 1}"
        score = (f"accuracy {row.train_accuracy:.1%}" if row.train_accuracy is not None
                 else f"R² {row['train_r2']:.3f}" if row.get("train_r2") is not None else "")
        return f"The network is back to {weights} (training loss {row.train_loss:.3g}{', ' if score else ''}{score}). "

    def __str__(self):
        return self.message


class Watch:
    """The figures an epoch's training loss is compared with, and the last good weights.

    ``chance`` : the loss of guessing the class frequencies (``guess`` says how it guesses: for
    regression, predicting the mean of the targets).  ``start(loss, weights)`` once,
    with the loss of the weights training starts from; then per epoch ``problem(loss)`` (the
    reason training has diverged, or None) and, for an epoch that passed, ``accept(epoch,
    loss, weights)`` with the weights the epoch started from, which produced its loss.
    """

    def __init__(self, chance, guess="guessing the class frequencies"):
        self.chance, self.guess = chance, guess
        self.started = False

    def start(self, loss, weights):
        self.started = True
        self.shown = self.best = self.recent = self.good_loss = loss
        self.good_weights, self.good_epoch = weights, 0
        self.since_best = 0

    def problem(self, loss):
        """Why the epoch whose training loss is ``loss`` (finite) shows a divergence, or None."""
        if loss > EXPLOSION * max(self.recent, self.chance):
            return (f"the training loss shot up from {self.shown:.3g} to {loss:.3g}, over "
                    f"{EXPLOSION} times its recent low ({self.good_loss:.3g}) and what "
                    f"{self.guess} costs ({self.chance:.3g})")
        if loss > WORSE_THAN_GUESSING * self.chance and self.since_best + 1 >= STALL_EPOCHS and loss >= self.best:
            return (f"the training loss, {loss:.3g}, is worse than {self.guess} "
                    f"({self.chance:.3g}) and has not got below its lowest ({self.best:.3g}) "
                    f"for {STALL_EPOCHS} epochs")
        return None

    def accept(self, epoch, loss, weights):
        """An epoch that passed: ``weights`` (its starting weights, those after ``epoch - 1``
        epochs) gave the training loss ``loss``, now the figure shown."""
        self.shown = loss
        if loss < self.best:
            self.best, self.since_best = loss, 0
        else:
            self.since_best += 1
        recent = self.recent * RECENT_FORGETTING
        if loss <= recent or math.isnan(recent):
            recent = self.good_loss = loss
            self.good_weights, self.good_epoch = weights, epoch - 1
        self.recent = recent
