"""Two-dimensional toy data and a picture of what a classifier does with it.

`flower` makes the two-class "flower" of assignment 3 with a fixed seed, so everyone
gets the same points without a data file; `plot_decision_boundary` colours the plane by
the label a classifier predicts there.
"""

import matplotlib.pyplot as plt
import numpy as np


def flower(m=400, petals=4, size=4.0, noise=0.2, seed=13):
    """Points on a rose curve with `petals` petals per class, labels alternating by petal.

    Returns X of shape (2, m), one point per column, and Y of shape (1, m) with labels 0 and 1.
    """
    rng = np.random.default_rng(seed)
    per_class = m // 2
    X = np.zeros((2, 2 * per_class))
    Y = np.zeros((1, 2 * per_class), dtype=np.int64)
    for label in (0, 1):
        columns = slice(label * per_class, (label + 1) * per_class)
        angle = np.linspace(label * np.pi, (label + 1) * np.pi, per_class) + rng.normal(scale=noise, size=per_class)
        radius = size * np.sin(petals * angle) + rng.normal(scale=noise, size=per_class)
        X[:, columns] = radius * np.sin(angle), radius * np.cos(angle)
        Y[0, columns] = label
    return X, Y


def plot_decision_boundary(predict, X, Y, ax=None, title=None, resolution=300):
    """Colour the plane by `predict` (a function of a (2, k) array returning (1, k) labels) and draw the points."""
    ax = ax or plt.gca()
    margin = 1.0
    xs = np.linspace(X[0].min() - margin, X[0].max() + margin, resolution)
    ys = np.linspace(X[1].min() - margin, X[1].max() + margin, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    labels = np.asarray(predict(np.vstack([grid_x.ravel(), grid_y.ravel()])), dtype=float)
    ax.contourf(grid_x, grid_y, labels.reshape(grid_x.shape), levels=[-0.5, 0.5, 1.5],
                colors=["#f4b6b6", "#b6cdf4"], alpha=0.8)
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap=plt.cm.coolwarm_r, s=12, edgecolors="k", linewidths=0.3)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax
