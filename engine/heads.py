"""Output/loss heads: which output layer is trained with which loss, one :class:`Head` each.

The rule "which heads for k classes, how many output units" lives here once:
:func:`heads_for`, :func:`output_units` and :func:`head_of`.  ``Y, P : (n_samples, units)``
are the targets and the output layer's output.  A regression target counts as 0 classes
(``REGRESSION_CLASSES``, as :attr:`Dataset.n_classes` and :attr:`Network.n_classes` give it):
its heads output one real value.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import OUTPUTS
from .losses import LOSS_FUNCTIONS


def canonical_delta(Y, P):
    """n·dL/dZ of a canonical pair (the loss matched to its output): ``P - Y``."""
    return P - Y


def squared_error_delta(output):
    """n·dL/dZ of half the squared error through ``output``: g'(Z) applied to ``P - Y``."""
    derivative = OUTPUTS[output].derivative

    def delta(Y, P):
        E = P - Y
        derivative(P, E, np.empty_like(P))
        return E

    return delta


REGRESSION_CLASSES = 0  # what n_classes is for a regression target (engine.tasks)


def two_classes(n_classes):
    return n_classes == 2


def any_classes(n_classes):
    return n_classes >= 2


def more_than_two_classes(n_classes):
    """Squared error on two classes is the sigmoid's: the app offers the softmax's beyond that."""
    return n_classes > 2


def classes_or_a_value(n_classes):
    """Any number of classes (one-hot targets), or a regression target."""
    return n_classes >= 2 or n_classes == REGRESSION_CLASSES


def one_unit(n_classes):
    return 1


def unit_per_class_or_one_value(n_classes):
    return n_classes if n_classes != REGRESSION_CLASSES else 1


def unit_per_class(n_classes):
    return n_classes


def one_unit_for_two_classes(n_classes):
    """A sigmoid on two classes needs one unit (p and 1 - p); beyond, one independent sigmoid per class."""
    return 1 if n_classes == 2 else n_classes


@dataclass(frozen=True)
class Head:
    """``key`` is ``"output:loss"``; ``label`` what the app shows; ``serves(k)`` whether it
    classifies k classes (k = 0: fits a regression target), with ``units(k)`` output units;
    ``canonical``: its output delta is ``P - Y``; ``delta(Y, P)`` gives n·dL/dZ;
    ``probabilities``: its output is class probabilities (the playground shades the plane
    with them, so it offers only those heads to classify).
    The maths, for the step inspector: ``loss_formula`` (LaTeX of the mean loss over n rows)
    and ``delta_formula`` (LaTeX of dZ = ∂L/∂Z of the output layer, which ``delta`` computes ×n)."""

    key: str
    output: str
    loss: str
    label: str
    serves: Callable[[int], bool]
    units: Callable[[int], int]
    canonical: bool
    delta: Callable[[np.ndarray, np.ndarray], np.ndarray]
    probabilities: bool = True
    loss_formula: str | None = None
    delta_formula: str | None = None

    def __post_init__(self):
        if self.key != f"{self.output}:{self.loss}":
            raise ValueError(f"a head's key is 'output:loss'; got {self.key!r} for {self.output}+{self.loss}")
        if self.output not in OUTPUTS or self.loss not in LOSS_FUNCTIONS:
            raise ValueError(f"head {self.key!r}: unknown output or loss")


LOG_LOSS = r"L = -\frac{1}{n} \sum_i \big[y_i \log p_i + (1 - y_i) \log (1 - p_i)\big]"
CROSS_ENTROPY = r"L = -\frac{1}{n} \sum_i \sum_c y_{ic} \log p_{ic}"
SQUARED_ERROR = r"L = \frac{1}{2n} \sum_i \sum_c (p_{ic} - y_{ic})^2"
CANONICAL_DELTA = r"dZ = \frac{1}{n} (P - Y)"

HEADS: dict[str, Head] = {
    "sigmoid:log_loss": Head("sigmoid:log_loss", "sigmoid", "log_loss", "sigmoid · log loss",
                             two_classes, one_unit, True, canonical_delta,
                             loss_formula=LOG_LOSS, delta_formula=CANONICAL_DELTA),
    "softmax:cross_entropy": Head("softmax:cross_entropy", "softmax", "cross_entropy", "softmax · cross-entropy",
                                  any_classes, unit_per_class, True, canonical_delta,
                                  loss_formula=CROSS_ENTROPY, delta_formula=CANONICAL_DELTA),
    "sigmoid:mse": Head("sigmoid:mse", "sigmoid", "mse", "sigmoid · squared error",
                        any_classes, one_unit_for_two_classes, False, squared_error_delta("sigmoid"),
                        loss_formula=SQUARED_ERROR,
                        delta_formula=r"dZ = \frac{1}{n} (P - Y) \odot P \odot (1 - P)"),
    "softmax:mse": Head("softmax:mse", "softmax", "mse", "softmax · squared error",
                        more_than_two_classes, unit_per_class, False, squared_error_delta("softmax"),
                        loss_formula=SQUARED_ERROR,
                        delta_formula=r"dZ_i = \frac{1}{n}\, p_i \odot \big(e_i - (e_i \cdot p_i)\big),"
                                      r"\quad e_i = p_i - y_i"),
    "identity:mse": Head("identity:mse", "identity", "mse", "identity · squared error",
                         classes_or_a_value, unit_per_class_or_one_value, True, canonical_delta, probabilities=False,
                         loss_formula=SQUARED_ERROR, delta_formula=CANONICAL_DELTA),
}


def heads_for(n_classes):
    """The heads offered for ``n_classes`` classes, those whose output is class probabilities
    (for a regression target, ``n_classes == 0``: those that output a value); the first is the
    natural default."""
    if n_classes == REGRESSION_CLASSES:
        return [key for key, head in HEADS.items() if head.serves(n_classes)]
    return [key for key, head in HEADS.items() if head.probabilities and head.serves(n_classes)]


def output_units(head_key, n_classes):
    """Output units of head ``head_key`` on ``n_classes`` classes (1 for a sigmoid on 2, 1 for
    a regression target)."""
    return HEADS[head_key].units(n_classes)


def head_of(output=None, loss=None, n_classes=2, units=None):
    """The :class:`Head` for optional ``output`` and ``loss`` names.

    Without ``output``: the natural one for ``n_classes`` (the first of :func:`heads_for`
    whose output has ``units`` units when that is given); without ``loss``: the output's
    canonical loss.  Raises ValueError naming the choices for an unknown or invalid pair.
    """
    if output is None:
        natural = [HEADS[key] for key in heads_for(n_classes)]
        fitting = [head for head in natural if units is None or head.units(n_classes) == units]
        output = (fitting or natural)[0].output
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; choose one of: {', '.join(OUTPUTS)}")
    if loss is None:
        loss = next(head.loss for head in HEADS.values() if head.output == output and head.canonical)
    if loss not in LOSS_FUNCTIONS:
        raise ValueError(f"unknown loss {loss!r}; choose one of: {', '.join(LOSS_FUNCTIONS)}")
    head = HEADS.get(f"{output}:{loss}")
    if head is None:
        pairs = ", ".join(f"{h.output}+{h.loss}" for h in HEADS.values())
        raise ValueError(f"output {output!r} cannot be trained with loss {loss!r}; valid pairs: {pairs}")
    return head
