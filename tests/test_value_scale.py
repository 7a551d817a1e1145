"""A regression's view, Streamlit-free: the diverging value scale (palette.py) stays readable for
colour-blind viewers, the payload puts values and targets on it (frames.py), and the share link
carries the problem and the input features (links.py)."""

import numpy as np
import pytest

from engine import Network, load_dataset
from engine.boundary import plane_for
from playground import frames, links, settings
from playground.palette import THEMES, lab, separation


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_the_value_scale_diverges_and_its_ends_stay_apart_for_colour_blind_viewers(theme):
    scale = theme.value_scale
    assert len(scale) % 2 == 1
    middle = len(scale) // 2
    lightness = [lab(c)[0] for c in scale]
    assert lightness[:middle + 1] == sorted(lightness[:middle + 1])  # darker towards each end
    assert lightness[middle:] == sorted(lightness[middle:], reverse=True)
    assert separation((scale[0], scale[-1])) > 80  # below zero and above zero never look alike
    assert separation((scale[1], scale[-2])) > 60
    assert separation((scale[middle],), (theme.background,)) < 8  # zero reads as "nothing"
    assert theme.value_colour(0.0) == scale[0] and theme.value_colour(1.0) == scale[-1]
    assert theme.value_colour(0.5) == scale[middle]


def test_values_and_targets_share_one_scale_in_the_payload():
    data = load_dataset("multigauss", n_samples=200)
    low, high = frames.value_range(data)
    assert low == -high == -np.abs(data.y).max()
    values = np.array([[low, 0.0], [high, 2 * high]])
    codes = np.frombuffer(frames.value_codes(values, (low, high)), np.uint8).reshape(2, 2)
    assert codes.tolist() == [[255, 255], [0, 128]]  # top row first; beyond the scale clipped
    net = Network.for_data(data, hidden=(3,))
    src = frames.Sources(data, net, plane_for(data, 10), plane_for(data, 4))
    points = np.frombuffer(frames.points_section(src), np.float32).reshape(-1, 3)
    is_test = points[:, 2] >= frames.TEST_LABEL
    assert is_test.sum() == len(data.y_test)
    np.testing.assert_allclose(points[:, 2] % frames.TEST_LABEL, (data.y - low) / (high - low), atol=1e-6)
    header = frames.scene_header(1, src)
    assert header["figures"] == {"loss": "mse", "loss_label": "MSE", "score": "r2", "score_label": "R²",
                                 "percent": False}
    assert header["output_labels"] == ["predicted value"] and header["input_labels"] == ["x₁", "x₂"]


@pytest.mark.parametrize("params", [
    {"inputs": "x1,x2,sinx1"}, {"problem": "regression"},
    {"problem": "regression", "dataset": "multigauss", "inputs": "x1sq,x2sq"},
])
def test_the_problem_and_the_inputs_round_trip_through_a_link(params):
    decoded = links.decode(params)
    assert decoded.notices == []
    assert links.encode(decoded.updates) == params
    data, net, _, _ = settings.configs(decoded.updates)
    assert net.inputs == tuple(params.get("inputs", "x1,x2").split(","))
    assert data.name == params.get("dataset", "plane" if "problem" in params else "moons")


@pytest.mark.parametrize("params, name", [
    ({"inputs": "x1,cosx1"}, "inputs=x1,cosx1"), ({"inputs": ""}, "inputs="), ({"inputs": "x1,x1"}, "inputs=x1,x1"),
    ({"problem": "clustering"}, "problem=clustering"),
])
def test_a_bad_problem_or_inputs_link_is_a_notice(params, name):
    decoded = links.decode(params)
    assert len(decoded.notices) == 1 and name in decoded.notices[0] and decoded.updates == {}


def test_a_regression_dataset_named_alone_poses_its_problem():
    decoded = links.decode({"dataset": "plane"})
    assert decoded.updates == {"problem": "regression", "dataset": "plane"} and decoded.notices == []
    assert links.decode({"problem": "regression", "dataset": "moons"}).notices  # moons is not a regression


def test_targets_of_one_sign_span_the_whole_scale():
    class Targets:  # what value_range reads of a Dataset
        def __init__(self, y):
            self.y = np.asarray(y, dtype=float)

    assert frames.value_range(Targets([-0.5, 0.2, 0.9])) == (-0.9, 0.9)  # both signs: 0 in the middle
    assert frames.value_range(Targets([120_000.0, 250_000.0, 900_000.0])) == (120_000.0, 900_000.0)  # prices
    assert frames.value_range(Targets([3.0, 3.0])) == (2.0, 4.0)  # one value: a scale around it
