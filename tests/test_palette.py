"""The live view's colours stay apart for colour-blind viewers (simulated numerically)."""

import pytest

from playground.palette import THEMES, lab, separation


def test_simulation_matches_known_values():
    assert lab((255, 255, 255))[0] == pytest.approx(100, abs=0.01)
    assert lab((0, 0, 0))[0] == pytest.approx(0, abs=0.01)
    red, green = (255, 0, 0), (0, 128, 0)  # the classic pair that deuteranopes confuse
    assert separation((red, green)) < 25 < separation((red, (0, 0, 255)))


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_classes_and_weights_are_told_apart_with_deuteranopia_and_protanopia(theme):
    assert separation(theme.classes[:2]) > 90  # the two classes of every built-in plane dataset
    assert separation(theme.classes[:3]) > 40  # iris
    weights = (theme.weight_negative, theme.weight_positive)
    assert separation(weights) > 40  # the sign of a weight
    assert separation(weights, theme.classes[:3]) > 20  # a link never reads as a class
    assert separation((theme.background,), theme.classes[:3]) > 30  # an unsure region is not a class
