"""The colours of the live view, declared once and sent to the element in the payload header.

Classes use the Okabe–Ito palette (orange, blue, bluish green first), which stays distinguishable
for deuteranopes and protanopes; weights use a brown/teal diverging pair (ColorBrewer's BrBG), so
that a link's colour never reads as a class; a regression's predicted values use a diverging
scale (ColorBrewer's PuOr: orange low, purple high, light grey in the middle, at zero when the
targets take both signs).
``separation()`` measures the worst pairwise CIELAB distance under normal vision and simulated
deuteranopia and protanopia (Machado, Oliveira and Fernandes 2009, severity 1), which the tests
hold above a floor."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

Colour = tuple[int, int, int]


def _hex(text: str) -> Colour:
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    classes: tuple[Colour, ...]  # class c is classes[c % len(classes)]
    weight_negative: Colour
    weight_positive: Colour
    background: Colour  # the plane where the network is unsure
    ink: Colour  # text and axes
    shade: float  # how strongly a confident region takes its class colour, 0..1
    point_outline: Colour
    value_scale: tuple[Colour, ...] = ()  # a regression's values, lowest to highest, evenly spaced stops

    def value_colour(self, place: float) -> Colour:
        """The colour at ``place`` 0..1 along the value scale (linear between its stops)."""
        stops = np.asarray(self.value_scale, dtype=float)
        x = min(max(place, 0.0), 1.0) * (len(stops) - 1)
        i = min(int(x), len(stops) - 2)
        return tuple(int(round(v)) for v in stops[i] + (stops[i + 1] - stops[i]) * (x - i))

    def as_header(self) -> dict:
        """What the element reads: lists of [r, g, b] and numbers."""
        return {"classes": [list(c) for c in self.classes], "weight_negative": list(self.weight_negative),
                "weight_positive": list(self.weight_positive), "background": list(self.background),
                "ink": list(self.ink), "shade": self.shade, "point_outline": list(self.point_outline),
                "value_scale": [list(c) for c in self.value_scale]}


OKABE_ITO = tuple(_hex(h) for h in ("E69F00", "0072B2", "009E73", "CC79A7", "D55E00", "56B4E9", "F0E442", "000000"))
PU_OR = tuple(_hex(h) for h in ("B35806", "F1A340", "FEE0B6", "F7F7F7", "D8DAEB", "998EC3", "542788"))  # low -> high

THEMES = {
    "standard": Theme("standard", "Standard", OKABE_ITO, _hex("8C510A"), _hex("01665E"), (250, 250, 251),
                      (34, 34, 34), 0.72, (255, 255, 255), PU_OR),
    "high_contrast": Theme("high_contrast", "High contrast (dim projector)", OKABE_ITO, _hex("8C510A"),
                           _hex("01665E"), (255, 255, 255), (0, 0, 0), 0.92, (0, 0, 0), PU_OR),
}

# ---- colour-vision simulation ------------------------------------------------------------
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]])
VISIONS = {"normal": np.eye(3), "deuteranopia": DEUTERANOPIA, "protanopia": PROTANOPIA}
_SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def _linear(colour: Colour) -> np.ndarray:
    c = np.asarray(colour, dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(colour: Colour, vision: str = "normal") -> np.ndarray:
    """CIELAB (D65) of ``colour`` as a viewer with ``vision`` sees it."""
    rgb = np.clip(VISIONS[vision] @ _linear(colour), 0.0, 1.0)
    t = (_SRGB_TO_XYZ @ rgb) / _WHITE
    f = np.where(t > 216 / 24389, np.cbrt(t), (24389 / 27 * t + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def separation(first: tuple[Colour, ...], second: tuple[Colour, ...] | None = None) -> float:
    """The smallest CIELAB distance (ΔE*ab) between two colours of ``first`` (or between one of
    ``first`` and one of ``second``), over normal vision, deuteranopia and protanopia."""
    pairs = itertools.combinations(first, 2) if second is None else itertools.product(first, second)
    return min(float(np.linalg.norm(lab(a, v) - lab(b, v))) for a, b in pairs for v in VISIONS)
