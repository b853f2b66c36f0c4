"""The building blocks of assignment 4, ready to use in assignment 5.

These are working versions of the functions you wrote in assignment 4, with the same
names and signatures, plus `predict`. Two details differ, both for speed, and neither
changes a single result you would compute by hand:

- The parameters are float32, like the prepared images. A float32 array multiplied by a
  float64 one is converted to float64 first, so mixing the two would make every
  iteration copy the whole input. Labels are matched to the activations for the same
  reason.
- `L_model_backward` does not compute dA0, the gradient with respect to the input
  images: no parameter needs it, and it would be the largest matrix product of all.

The deep initialisation scales the weights of layer l by 1 / sqrt(n[l-1]) instead of 0.01:
with 0.01, the signal shrinks layer after layer in a deep network and learning stalls.

The initialisers use fixed seeds, so every run trains the same networks: the ones whose
results the notebook quotes. Other seeds give other networks, and on only 50 test images
their test accuracies differ by several images either way.
"""

import numpy as np

TWO_LAYER_SEED = 7
DEEP_SEED = 2
DTYPE = np.float32


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def relu(Z):
    return np.maximum(Z, 0)


def sigmoid_backward(dA, Z):
    s = sigmoid(Z)
    return dA * s * (1 - s)


def relu_backward(dA, Z):
    return np.where(Z > 0, dA, 0)


def initialize_parameters(n_x, n_h, n_y):
    """W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1): small random weights, zero biases."""
    rng = np.random.default_rng(TWO_LAYER_SEED)
    return {"W1": (rng.standard_normal((n_h, n_x)) * 0.01).astype(DTYPE), "b1": np.zeros((n_h, 1), DTYPE),
            "W2": (rng.standard_normal((n_y, n_h)) * 0.01).astype(DTYPE), "b2": np.zeros((n_y, 1), DTYPE)}


def initialize_parameters_deep(layer_dims):
    """W{l} (n[l], n[l-1]) scaled by 1 / sqrt(n[l-1]), b{l} (n[l], 1) zeros, for l = 1 .. L."""
    rng = np.random.default_rng(DEEP_SEED)
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters[f"W{l}"] = W.astype(DTYPE)
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1), DTYPE)
    return parameters


def linear_forward(A, W, b):
    """Z = W A + b, and the cache (A, W, b)."""
    return np.dot(W, A) + b, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b) for activation "relu" or "sigmoid", and the cache (linear_cache, Z)."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = relu(Z) if activation == "relu" else sigmoid(Z)
    return A, (linear_cache, Z)


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID: (AL, the list of the L caches)."""
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                             "sigmoid" if l == L else "relu")
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    """The cross-entropy cost, a number."""
    Y = np.asarray(Y, dtype=AL.dtype)
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def linear_backward(dZ, cache, need_dA_prev=True):
    """(dA_prev, dW, db) for the linear part of a layer; dA_prev is None when not needed."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ) if need_dA_prev else None
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, need_dA_prev=True):
    """(dA_prev, dW, db) for a whole layer with activation "relu" or "sigmoid"."""
    linear_cache, Z = cache
    dZ = relu_backward(dA, Z) if activation == "relu" else sigmoid_backward(dA, Z)
    return linear_backward(dZ, linear_cache, need_dA_prev)


def L_model_backward(AL, Y, caches):
    """Gradients "dA{l}" (for l = 1 .. L-1), "dW{l}" and "db{l}" (for l = 1 .. L)."""
    Y = np.asarray(Y, dtype=AL.dtype)
    L = len(caches)
    grads = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu", need_dA_prev=l > 1)
        if l > 1:
            grads[f"dA{l - 1}"] = dA
    return grads


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step on every W{l} and b{l}; returns a new dict."""
    L = len(parameters) // 2
    updated = {}
    for l in range(1, L + 1):
        updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return updated


def predict(X, parameters):
    """Labels for every column of X: 1 where the network's probability of a cat is above 0.5, else 0."""
    AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(np.int64)
