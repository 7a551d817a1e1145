"""What a trained network needs to be used on raw data: a :class:`ModelCard`.

A network sees standardised features, ``X = (raw - mean) / scale``, and answers with label
numbers.  The card keeps the rest: the input features' names (to find the columns of a raw
table), the standardisation fitted on the training rows, and the class names (``class_names[c]``
names label ``c``).  ``Network.save(path, data=dataset)`` writes it into the model file
(optional fields of :mod:`engine.model_file`); ``Network.load`` gives it back as ``net.card``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class ModelCard:
    """feature_names : d names; class_names : k names; mean, scale : (d,) float64, ``scale > 0``.

    Any part may be None (a file that lacks it); :meth:`complete` fills those in."""

    feature_names: tuple[str, ...] | None = None
    class_names: tuple[str, ...] | None = None
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None

    @classmethod
    def of(cls, data) -> ModelCard:
        """The card of a :class:`engine.datasets.Dataset` (or the card itself)."""
        if isinstance(data, ModelCard):
            return data
        return cls(tuple(data.feature_names), tuple(data.class_names),
                   np.array(data.mean, dtype=np.float64), np.array(data.scale, dtype=np.float64))

    @classmethod
    def plain(cls, n_features: int, n_classes: int) -> ModelCard:
        """Features ``x1 … xd``, classes ``0 … k-1``, no standardisation."""
        return cls(tuple(f"x{j + 1}" for j in range(n_features)), tuple(str(c) for c in range(n_classes)),
                   np.zeros(n_features), np.ones(n_features))

    def complete(self, n_features: int, n_classes: int) -> ModelCard:
        """This card with its missing parts taken from :meth:`plain`."""
        plain = ModelCard.plain(n_features, n_classes)
        standardised = self.mean is not None
        return ModelCard(self.feature_names or plain.feature_names, self.class_names or plain.class_names,
                         self.mean if standardised else plain.mean, self.scale if standardised else plain.scale)

    def fields(self) -> dict:
        """The model file's fields (JSON values) for the parts this card has."""
        out = {}
        if self.feature_names is not None:
            out["feature_names"] = list(self.feature_names)
        if self.class_names is not None:
            out["class_names"] = list(self.class_names)
        if self.mean is not None:
            out["standardisation"] = {"mean": [float(v) for v in self.mean],
                                      "scale": [float(v) for v in self.scale]}
        return out

    @classmethod
    def from_fields(cls, fields: dict) -> ModelCard | None:
        """The card of a model file's (checked) fields; None when it has none of them."""
        if not any(name in fields for name in CARD_FIELDS):
            return None
        standardisation = fields.get("standardisation")
        names = {key: tuple(fields[key]) if key in fields else None for key in ("feature_names", "class_names")}
        if standardisation is None:
            return cls(**names)
        return cls(**names, mean=np.array(standardisation["mean"], dtype=np.float64),
                   scale=np.array(standardisation["scale"], dtype=np.float64))

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Standardised rows ``X : (n, d)`` back in the raw features' units."""
        return X * self.scale + self.mean

    def standardise(self, raw: np.ndarray) -> np.ndarray:
        """Raw rows ``(n, d)`` as the network sees them: ``(raw - mean) / scale``."""
        return (raw - self.mean) / self.scale


CARD_FIELDS = ("feature_names", "class_names", "standardisation")
