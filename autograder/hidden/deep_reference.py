"""A reference deep network for the hidden tests: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

Written independently of the solutions, it gives forward passes (with every layer's
(A_prev, W, b, Z)), the cost, gradients in the course's convention (dA[l] = m dJ/dA[l];
dW and db are derivatives of J itself), and random networks to test on.
"""

import numpy as np

from .toolkit import sigmoid


def relu(Z):
    return np.where(Z > 0, Z, 0.0)


def activate(Z, activation):
    return sigmoid(Z) if activation == "sigmoid" else relu(Z)


def depth(parameters):
    return sum(1 for key in parameters if key.startswith("W"))


def forward(A, parameters, first=1):
    """Layers first..L from the activations A of layer first - 1: (AL, [(A_prev, W, b, Z) for each layer])."""
    L = depth(parameters)
    layers = []
    for l in range(first, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        layers.append((A, W, b, Z))
        A = activate(Z, "sigmoid" if l == L else "relu")
    return A, layers


def cost_of_Z(ZL, Y):
    """Cross-entropy of sigmoid(ZL) through log(1 + e^x): no log of 0, and not the usual formula."""
    return float(np.mean(Y * np.logaddexp(0, -ZL) + (1 - Y) * np.logaddexp(0, ZL)))


def cost(A, parameters, Y, first=1):
    """The cost J as a function of the activations A of layer first - 1 (A = X for first = 1)."""
    _, layers = forward(A, parameters, first)
    return cost_of_Z(layers[-1][3], Y)


def gradients(parameters, X, Y):
    """Gradients in the course's convention, by the chain rule on dJ/dZ."""
    _, layers = forward(X, parameters)
    m, L = X.shape[1], len(layers)
    A_prev, W, b, Z = layers[-1]
    dJ_dZ = (sigmoid(Z) - Y) / m
    grads = {}
    for l in range(L, 0, -1):
        A_prev, W, b, Z = layers[l - 1]
        if l < L:
            dJ_dZ = dJ_dZ * (Z > 0)
        grads[f"dW{l}"] = dJ_dZ @ A_prev.T
        grads[f"db{l}"] = dJ_dZ.sum(axis=1, keepdims=True)
        dJ_dZ = W.T @ dJ_dZ
        grads[f"dA{l - 1}"] = m * dJ_dZ
    return grads


def architecture(rng, depth, max_width=6, n_x=None, outputs=1):
    """[n0, n1, ..., nL] with L = depth layers, hidden widths of at least 2 units."""
    return ([int(rng.integers(1, max_width + 1)) if n_x is None else n_x]
            + [int(rng.integers(2, max_width + 1)) for _ in range(depth - 1)] + [outputs])


def network(rng, layer_dims, m, margin=1e-3):
    """Parameters of a sensible size and an input X for which no hidden Z comes within `margin` of
    the ReLU's bend at 0 (the numerical derivatives nudge by 1e-6) and the output is not saturated.

    Drawn layer by layer: each unit's weights and bias again until its Z over the m examples keeps
    that clear. Drawing the whole network again took some ten thousand draws for [4, 5, 3, 4, 2, 1]
    with m = 16 and a margin of 0.05, half a second of every grading of assignment 5."""
    X = rng.normal(size=(layer_dims[0], m))
    parameters, A, L = {}, X, len(layer_dims) - 1
    for l in range(1, L + 1):
        W, b = np.empty((layer_dims[l], layer_dims[l - 1])), np.empty((layer_dims[l], 1))
        for unit in range(layer_dims[l]):
            while True:
                W[unit] = rng.normal(size=layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
                b[unit] = rng.normal(scale=0.3)
                Z = W[unit] @ A + b[unit]
                if (np.abs(Z).max() < 4) if l == L else (np.abs(Z).min() >= margin):
                    break
        parameters[f"W{l}"], parameters[f"b{l}"] = W, b
        A = activate(W @ A + b, "sigmoid" if l == L else "relu")
    return parameters, X
