"""Hidden tests of assignment 3: a network with one tanh hidden layer.

Random networks of random sizes, judged against a forward pass of our own and, for the
backward pass, against numerical derivatives of the cost. Every cache handed to a
student's function comes from a real forward pass, so the tanh derivative may be
written from A1 or from Z1. `nn_model` is judged from a known starting point: while it
runs, `initialize_parameters` in the notebook is a stand-in (toolkit.Original) that returns
our parameters, however nn_model calls it.
"""

import numpy as np

from nncourse.checks import check_array, check_keys, check_scalar, check_shape, check_that

from .toolkit import Original, check_progress_report, format_call, numerical_gradient, rng_for, sigmoid, standing_in

HIDDEN = {"reveal": False}
PARAMETERS = ["W1", "b1", "W2", "b2"]
GRADIENTS = ["dW1", "db1", "dW2", "db2"]
# The notebook's function that nn_model calls, and check_nn_model stands in for.
INITIALIZE_PARAMETERS = Original("initialize_parameters(n_x, n_h, n_y)")


# ---------------------------------------------------------------- references

def _random_parameters(rng, n_x, n_h, n_y=1, scale=0.8):
    return {"W1": rng.normal(scale=scale, size=(n_h, n_x)), "b1": rng.normal(scale=0.5, size=(n_h, 1)),
            "W2": rng.normal(scale=scale, size=(n_y, n_h)), "b2": rng.normal(scale=0.5, size=(n_y, 1))}


def _forward(parameters, X):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": sigmoid(Z2)}


def _cost_of(parameters, X, Y):
    """Cross-entropy from Z2 through log(1 + e^x): no log of 0."""
    Z2 = _forward(parameters, X)["Z2"]
    return float(np.mean(Y * np.logaddexp(0, -Z2) + (1 - Y) * np.logaddexp(0, Z2)))


def _numerical_gradients(parameters, X, Y):
    grads = {}
    for key in PARAMETERS:
        def cost_with(value, key=key):
            return _cost_of({**parameters, key: value}, X, Y)
        grads[f"d{key}"] = numerical_gradient(cost_with, parameters[key])
    return grads


def _analytic_gradients(parameters, X, Y):
    cache = _forward(parameters, X)
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - np.tanh(cache["Z1"]) ** 2)
    return {"dW1": dZ1 @ X.T / m, "db1": dZ1.mean(axis=1, keepdims=True),
            "dW2": dZ2 @ cache["A1"].T / m, "db2": dZ2.mean(axis=1, keepdims=True)}


def _train(parameters, X, Y, num_iterations, learning_rate=1.2):
    for _ in range(num_iterations):
        grads = _analytic_gradients(parameters, X, Y)
        parameters = {key: parameters[key] - learning_rate * grads[f"d{key}"] for key in PARAMETERS}
    return parameters


def _points(rng, n_x, m):
    """Points and labels that a curved boundary separates."""
    X = rng.normal(size=(n_x, m))
    Y = (np.sum(X ** 2, axis=0, keepdims=True) > n_x * 0.8).astype(np.int64)
    return X, Y


def _check_parameters(name, parameters, n_x, n_h, n_y):
    check_keys(name, parameters, PARAMETERS)
    for key, shape in {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}.items():
        check_shape(f'{name}["{key}"]', parameters[key], shape)


def _call(function, *args, **kwargs):
    """Call with copies of the arrays, so a student's in-place change cannot alter our case."""
    copies = [{k: v.copy() for k, v in a.items()} if isinstance(a, dict) else
              (a.copy() if isinstance(a, np.ndarray) else a) for a in args]
    return function(*copies, **kwargs)


# ---------------------------------------------------------------- the checks

def check_layer_sizes(layer_sizes):
    rng = rng_for("a3.layer_sizes")
    for n_x, n_y, m in [(5, 2, 7), (2, 1, 400), (*(int(v) for v in rng.integers(1, 30, 2)), 3)]:
        X, Y = rng.normal(size=(n_x, m)), rng.integers(0, 2, size=(n_y, m))
        call = f"layer_sizes(X, Y) for X of shape {X.shape} and Y of shape {Y.shape}"
        sizes = layer_sizes(X, Y)
        check_that(isinstance(sizes, (tuple, list)) and len(sizes) == 3, f"{call} should return (n_x, n_h, n_y).")
        check_that(tuple(sizes) == (n_x, 4, n_y), f"{call} returned {tuple(sizes)}, which is not right.")


def check_initialize_parameters(initialize_parameters):
    rng = rng_for("a3.initialize_parameters")
    for n_x, n_h, n_y in [(2, 4, 1), (7, 3, 2), (*(int(v) for v in rng.integers(2, 40, 2)), 1), (1, 50, 1)]:
        call = f"initialize_parameters({n_x}, {n_h}, {n_y})"
        parameters = initialize_parameters(n_x, n_h, n_y)
        _check_parameters(f"the result of {call}", parameters, n_x, n_h, n_y)
        for key in ["b1", "b2"]:
            check_array(f'{key} from {call}', parameters[key], np.zeros(parameters[key].shape), **HIDDEN)
        for key in ["W1", "W2"]:
            W = parameters[key]
            check_that(np.issubdtype(W.dtype, np.floating), f"{key} from {call} has dtype {W.dtype}; expected floats.")
            check_that(np.all(W != 0) and len(np.unique(W)) == W.size,
                       f"{key} from {call} has entries that are zero or equal to each other: initialise the "
                       "weights randomly, so that the hidden units differ (symmetry breaking).")
            check_that(np.abs(W).max() < 0.1,
                       f"{key} from {call} has entries as large as {np.abs(W).max():.3g}: scale the random "
                       "weights down (by 0.01), so tanh and sigmoid start where their slopes are not flat.")


def check_forward_propagation(forward_propagation):
    rng = rng_for("a3.forward_propagation")
    for n_x, n_h, m in [(2, 4, 5), (3, 1, 6), (6, 7, 1), (1, 5, 9)]:
        parameters, X = _random_parameters(rng, n_x, n_h), rng.normal(size=(n_x, m))
        call = f"forward_propagation(X, parameters) with n_x = {n_x}, n_h = {n_h} and m = {m}"
        result = _call(forward_propagation, X, parameters)
        check_that(isinstance(result, tuple) and len(result) == 2, f"{call} should return (A2, cache).")
        A2, cache = result
        expected = _forward(parameters, X)
        check_array(f"A2 from {call}", A2, expected["A2"], **HIDDEN)
        check_keys(f"the cache from {call}", cache, ["Z1", "A1", "Z2", "A2"])
        for key in ["Z1", "A1", "Z2", "A2"]:
            check_array(f'cache["{key}"] from {call}', cache[key], expected[key], **HIDDEN)


def check_compute_cost(compute_cost):
    rng = rng_for("a3.compute_cost")
    for m in [1, 4, 13, 400]:
        A2 = rng.uniform(0.02, 0.98, size=(1, m))
        Y = rng.integers(0, 2, size=(1, m))
        expected = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
        check_scalar(f"compute_cost(A2, Y) for m = {m} examples", compute_cost(A2.copy(), Y.copy()), expected, **HIDDEN)


def check_backward_propagation(backward_propagation, judged=GRADIENTS):
    """The gradients named in `judged` (all four by default) against numerical ones, on random networks."""
    rng = rng_for("a3.backward_propagation")
    for n_x, n_h, m in [(2, 4, 5), (3, 1, 7), (5, 6, 1), (1, 3, 4)]:
        parameters, X = _random_parameters(rng, n_x, n_h), rng.normal(size=(n_x, m))
        Y = rng.integers(0, 2, size=(1, m))
        cache = _forward(parameters, X)
        call = f"backward_propagation with n_x = {n_x}, n_h = {n_h} and m = {m}"
        grads = _call(backward_propagation, parameters, cache, X, Y)
        check_keys(f"the gradients from {call}", grads, GRADIENTS)
        expected = _numerical_gradients(parameters, X, Y)
        for key in judged:
            check_array(f'grads["{key}"] from {call}', grads[key], expected[key], rtol=1e-5, atol=1e-8, **HIDDEN)


def check_update_parameters(update_parameters):
    rng = rng_for("a3.update_parameters")
    for n_x, n_h, learning_rate in [(2, 4, 0.05), (5, 3, 2.5), (3, 6, None)]:
        parameters = _random_parameters(rng, n_x, n_h)
        grads = {f"d{key}": rng.normal(size=value.shape) for key, value in parameters.items()}
        if learning_rate is None:
            call = f"update_parameters(parameters, grads) with the default learning rate, n_x = {n_x}, n_h = {n_h}"
            result = _call(update_parameters, parameters, grads)
            learning_rate = 1.2
        else:
            call = f"update_parameters(parameters, grads, learning_rate={learning_rate}) with n_x = {n_x}, n_h = {n_h}"
            result = _call(update_parameters, parameters, grads, learning_rate=learning_rate)
        _check_parameters(f"the result of {call}", result, n_x, n_h, 1)
        for key in PARAMETERS:
            check_array(f'{key} from {call}', result[key], parameters[key] - learning_rate * grads[f"d{key}"], **HIDDEN)


def _starting_from(nn_model, start, calls):
    """While the block runs, the notebook's initialize_parameters returns copies of `start` (and notes its calls)."""
    def our_start(n_x, n_h, n_y):
        calls.append((n_x, n_h, n_y))
        return {key: value.copy() for key, value in start.items()}
    return standing_in(nn_model, INITIALIZE_PARAMETERS, our_start)


def check_nn_model(nn_model):
    rng = rng_for("a3.nn_model")
    for n_x, n_h, m, num_iterations in [(2, 3, 12, 40), (3, 6, 20, 100), (2, 1, 8, 1)]:
        X, Y = _points(rng, n_x, m)
        start = _random_parameters(rng, n_x, n_h, scale=0.5)
        calls = []
        call = f"nn_model(X, Y, n_h={n_h}, num_iterations={num_iterations}) with n_x = {n_x} and m = {m}"
        with _starting_from(nn_model, start, calls):
            parameters = nn_model(X.copy(), Y.copy(), n_h, num_iterations=num_iterations)
        check_that(calls, f"{call} did not call initialize_parameters: keep the given first lines of nn_model.")
        check_that(calls[0] == (n_x, n_h, 1),
                   f"{call} called {format_call('initialize_parameters', calls[0])}; expected "
                   f"{format_call('initialize_parameters', (n_x, n_h, 1))}: the network needs {n_h} hidden units.")
        _check_parameters(f"the result of {call}", parameters, n_x, n_h, 1)
        expected = _train(start, X, Y, num_iterations)
        for key in PARAMETERS:
            check_array(f'{key} after {call}', parameters[key], expected[key], rtol=1e-5, atol=1e-8, **HIDDEN)
    _check_progress_report(nn_model, rng)


def _check_progress_report(nn_model, rng):
    X, Y = _points(rng, 2, 10)
    start = _random_parameters(rng, 2, 3, scale=0.5)

    def train(print_cost):
        with _starting_from(nn_model, start, []):
            nn_model(X.copy(), Y.copy(), 3, num_iterations=3000, print_cost=print_cost)
    check_progress_report("nn_model(X, Y, 3, num_iterations=3000, print_cost={print_cost})", train, every=1000)


def check_predict(predict):
    rng = rng_for("a3.predict")
    for n_x, n_h, m in [(2, 4, 30), (3, 2, 1), (5, 7, 25)]:
        parameters, X = _random_parameters(rng, n_x, n_h), rng.normal(size=(n_x, m))
        call = f"predict(parameters, X) with n_x = {n_x}, n_h = {n_h} and m = {m}"
        labels = _call(predict, parameters, X)
        check_shape(call, labels, (1, m))
        check_that(np.isin(labels, [0, 1]).all(), f"{call} should contain only 0 and 1 (labels, not probabilities).")
        check_array(call, labels, (_forward(parameters, X)["A2"] > 0.5).astype(float), **HIDDEN)
