"""What hidden tests judge with: reproducible random cases and trusted references.

Hidden checks use fixed seeds (derived from the check's name), so re-grading a
submission gives the same verdict, while the cases stay ones the student never saw.
References here are written independently of the solutions in source/: properties,
other formulas, or numerical derivatives.
"""

import zlib

import numpy as np


def rng_for(name):
    """A random generator whose stream is fixed by `name`."""
    return np.random.default_rng(zlib.crc32(name.encode()))


def random_shapes(rng, count, max_rows=9, max_cols=9):
    """`count` 2-D shapes, including a single row, a single column and a square."""
    shapes = [(1, int(rng.integers(2, max_cols + 1))), (int(rng.integers(2, max_rows + 1)), 1)]
    side = int(rng.integers(2, min(max_rows, max_cols) + 1))
    shapes.append((side, side))
    while len(shapes) < count:
        shapes.append((int(rng.integers(2, max_rows + 1)), int(rng.integers(2, max_cols + 1))))
    return shapes[:count]


def sigmoid(z):
    """The logistic function, written through tanh: no overflow, and not the usual formula."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def numerical_gradient(f, x, h=1e-6):
    """Centred differences of the scalar function f at every entry of the float array x."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        plus = f(x)
        x[index] = original - h
        minus = f(x)
        x[index] = original
        grad[index] = (plus - minus) / (2 * h)
    return grad
