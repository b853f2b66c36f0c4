"""The planar "flower" data of assignment 3 and the decision-boundary picture."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nncourse.planar import flower, plot_decision_boundary  # noqa: E402


def test_flower_has_one_point_per_column_and_balanced_labels():
    X, Y = flower()
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    assert set(np.unique(Y)) == {0, 1} and Y.sum() == 200


def test_flower_is_the_same_for_everyone_and_changes_with_the_seed():
    assert np.array_equal(flower()[0], flower()[0])
    assert not np.allclose(flower(seed=1)[0], flower(seed=2)[0])
    assert flower(m=50)[0].shape == (2, 50)


def test_flower_is_not_linearly_separable():
    # The best a straight line can do on the petals is far from perfect.
    X, Y = flower()
    angles = np.linspace(0, np.pi, 180)
    best = max(np.mean((np.cos(a) * X[0] + np.sin(a) * X[1] + c > 0) == Y)
               for a in angles for c in np.linspace(-2, 2, 21))
    assert best < 0.7


def test_plot_decision_boundary_colours_the_plane_by_the_prediction():
    X, Y = flower(m=40)
    seen = []

    def predict(points):
        seen.append(points.shape)
        return (points[0:1] > 0).astype(float)

    fig, ax = plt.subplots()
    plot_decision_boundary(predict, X, Y, ax=ax, title="x > 0", resolution=50)
    assert seen == [(2, 2500)]
    assert ax.get_title() == "x > 0" and len(ax.collections) >= 2
    plt.close(fig)
