import numpy as np
import pytest

from engine import Network, decision_boundary, load_dataset, neuron_maps, plane_for


@pytest.fixture(scope="module")
def moons():
    return load_dataset("moons", seed=0)


@pytest.mark.parametrize("resolution", [100, 200])
def test_boundary_covers_the_data_and_gives_probabilities(moons, resolution):
    net = Network([2, 8, 1], seed=0)
    plane = plane_for(moons, resolution=resolution)
    P = decision_boundary(net, plane)
    assert P.shape == (resolution, resolution, 2)
    np.testing.assert_allclose(P.sum(axis=2), 1.0)
    assert plane.xs[0] < moons.X[:, 0].min() and plane.xs[-1] > moons.X[:, 0].max()
    assert plane.ys[0] < moons.X[:, 1].min() and plane.ys[-1] > moons.X[:, 1].max()
    i, j = 7, resolution - 3
    expected = net.forward(np.array([[plane.xs[j], plane.ys[i]]]))[0, 0]
    assert P[i, j, 1] == pytest.approx(expected)


def test_iris_boundary_on_the_plane_through_the_mean():
    iris = load_dataset("iris", seed=0)
    net = Network([4, 8, 3], seed=0)
    plane = plane_for(iris, resolution=50, features=(2, 3))
    P = decision_boundary(net, plane)
    assert P.shape == (50, 50, 3)
    others = plane.points[:, [0, 1]]
    np.testing.assert_allclose(others, np.broadcast_to(iris.X_train.mean(axis=0)[[0, 1]], others.shape))
    np.testing.assert_allclose(plane.points[:, 2].reshape(50, 50)[0], plane.xs)


def test_neuron_maps_are_each_hidden_units_activation(moons):
    net = Network([2, 5, 3, 1], activation="relu", seed=0)
    plane = plane_for(moons, resolution=30)
    maps = neuron_maps(net, plane)
    assert [m.shape for m in maps] == [(5, 30, 30), (3, 30, 30)]
    W, b = net.params[0]
    point = np.array([plane.xs[4], plane.ys[9]])
    assert maps[0][2, 9, 4] == pytest.approx(max(0.0, W[2] @ point + b[2]))


def test_bad_plane_requests_are_refused(moons):
    with pytest.raises(ValueError, match="features"):
        plane_for(moons, features=(0, 0))
    with pytest.raises(ValueError, match="features"):
        plane_for(moons, features=(0, 5))
    with pytest.raises(ValueError, match="resolution"):
        plane_for(moons, resolution=1)
