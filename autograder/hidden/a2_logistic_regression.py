"""Hidden tests of assignment 2: logistic regression on the cat images.

Random cases of random sizes, a non-zero bias, learning rates and iteration counts other
than the defaults, so hard-coded values and ignored arguments fail. The cost is judged
against a numerically stable formula of its own, the gradients against numerical
derivatives of that cost, and the data preparation against the data files themselves.
"""

import numpy as np

from nncourse.checks import CheckFailed, check_array, check_scalar, check_shape, check_that
from nncourse.datasets import load_cat_dataset

from .toolkit import (check_costs, check_has_keys, check_progress_report, numerical_gradient, rng_for,
                     sigmoid)
from .a1_single_neuron import check_sigmoid as check_sigmoid_on_arrays

HIDDEN = {"reveal": False}


# ---------------------------------------------------------------- references

def _cost(w, b, X, Y):
    """Cross-entropy through log(1 + e^x), which never takes the log of 0."""
    z = w.T @ X + b
    return float(np.mean(Y * np.logaddexp(0, -z) + (1 - Y) * np.logaddexp(0, z)))


def _gradients(w, b, X, Y):
    error = sigmoid(w.T @ X + b) - Y
    return (X * error).mean(axis=1, keepdims=True), float(error.mean())


def _descend(w, b, X, Y, num_iterations, learning_rate):
    """(w, b, the last gradients, the costs at iterations 0, 100, 200, ...)."""
    costs = []
    for i in range(num_iterations):
        dw, db = _gradients(w, b, X, Y)
        if i % 100 == 0:
            costs.append(_cost(w, b, X, Y))
        w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b, (dw, db), costs


def _labels(w, b, X):
    return (sigmoid(w.T @ X + b) > 0.5).astype(float)


def _classification_problem(rng, n, m_train, m_test):
    """Features as columns and 0/1 labels that a linear boundary mostly explains."""
    direction = rng.normal(size=(n, 1))
    X = rng.normal(size=(n, m_train + m_test))
    Y = ((direction.T @ X + 0.3 * rng.normal(size=(1, m_train + m_test))) > 0).astype(np.int64)
    return X[:, :m_train], Y[:, :m_train], X[:, m_train:], Y[:, m_train:]


# ---------------------------------------------------------------- the data

def check_dataset_sizes(m_train, m_test, num_px):
    train_x, _, test_x, _, _ = load_cat_dataset()
    for name, value, expected, meaning in [
        ("m_train", m_train, train_x.shape[0], "the number of training images"),
        ("m_test", m_test, test_x.shape[0], "the number of test images"),
        ("num_px", num_px, train_x.shape[1], "the height (= width) of an image in pixels"),
    ]:
        check_that(isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)),
                   f"{name} should be a whole number ({meaning}); got {value!r}.")
        check_that(value == expected, f"{name} is {value}, which is not {meaning}.")


def check_prepare_data(train_set_x_flatten, test_set_x_flatten, train_set_x, test_set_x):
    """Each column is one image of the data files, and the standardised copies are the pixels / 255."""
    train_x, _, test_x, _, _ = load_cat_dataset()
    for split, images, flat, standardised in [("train", train_x, train_set_x_flatten, train_set_x),
                                              ("test", test_x, test_set_x_flatten, test_set_x)]:
        m = images.shape[0]
        check_shape(f"{split}_set_x_flatten", flat, (images[0].size, m))
        _check_columns_are_images(f"{split}_set_x_flatten", flat, images)
        check_shape(f"{split}_set_x", standardised, (images[0].size, m))
        check_that(np.issubdtype(standardised.dtype, np.floating),
                   f"{split}_set_x has dtype {standardised.dtype}; expected floats (pixel values / 255).")
        check_array(f"{split}_set_x (each pixel value divided by 255)", standardised,
                    np.asarray(flat, dtype=float) / 255, rtol=1e-6, atol=1e-7, **HIDDEN)


def _check_columns_are_images(name, flat, images):
    """Column j must hold image j, unrolled row by row (reshape) or, equally good, channel by channel (.T)."""
    m = images.shape[0]
    by_rows = images.reshape(m, -1).T
    by_channels = images.T.reshape(-1, m)
    if np.array_equal(flat, by_rows) or np.array_equal(flat, by_channels):
        return
    for j in range(m):
        if not np.array_equal(np.sort(flat[:, j]), np.sort(images[j], axis=None)):
            raise CheckFailed(
                f"column {j} of {name} is not image {j}: its pixel values are not those of that image, so "
                "the reshape mixed pixels of different images. Each column must be one whole image: "
                "reshape to (m, -1) first, one row per image, then transpose.")
    raise CheckFailed(f"the columns of {name} hold the right images, but their pixels are shuffled; "
                      "unroll every image the same way, with reshape.")


# ---------------------------------------------------------------- the building blocks

def check_sigmoid(sigmoid_):
    check_sigmoid_on_arrays(sigmoid_)
    for z in [0.75, -3.5]:
        check_scalar(f"sigmoid({z})", sigmoid_(z), float(sigmoid(z)), **HIDDEN)


def check_initialize_with_zeros(initialize_with_zeros):
    rng = rng_for("a2.initialize_with_zeros")
    for dim in [1, 12288, *(int(d) for d in rng.integers(2, 40, 2))]:
        call = f"initialize_with_zeros({dim})"
        result = initialize_with_zeros(dim)
        check_that(isinstance(result, tuple) and len(result) == 2, f"{call} should return the pair (w, b).")
        w, b = result
        check_array(f"w from {call}", w, np.zeros((dim, 1)), **HIDDEN)
        check_that(np.issubdtype(w.dtype, np.floating), f"w from {call} has dtype {w.dtype}; expected floats.")
        check_scalar(f"b from {call}", b, 0.0, **HIDDEN)


def check_propagate(propagate, judged=("cost", "gradients")):
    """The cost, the gradients, or both (`judged`), on random problems."""
    rng = rng_for("a2.propagate")
    cases = [(1, 5, 0.7), (6, 1, -1.2), (4, 9, 0), (9, 3, np.float64(0.35)), (3, 3, 2.0)]
    for n, m, b in cases:
        w, X = rng.normal(scale=0.7, size=(n, 1)), rng.normal(size=(n, m))
        Y = rng.integers(0, 2, size=(1, m))
        call = f"propagate(w, b, X, Y) with n = {n} features, m = {m} examples and b = {b}"
        grads, cost = _call_propagate(propagate, call, w, b, X, Y)
        if "cost" in judged:
            check_scalar(f"the cost from {call}", cost, _cost(w, b, X, Y), **HIDDEN)
        if "gradients" in judged:
            check_array(f'grads["dw"] from {call}', grads["dw"],
                        numerical_gradient(lambda w_: _cost(w_, b, X, Y), w), rtol=1e-5, atol=1e-8, **HIDDEN)
            check_scalar(f'grads["db"] from {call}', grads["db"],
                         numerical_gradient(lambda p: _cost(w, p[0], X, Y), [b])[0], rtol=1e-5, atol=1e-8, **HIDDEN)


def _call_propagate(propagate, call, w, b, X, Y):
    result = propagate(w.copy(), b, X.copy(), Y.copy())
    check_that(isinstance(result, tuple) and len(result) == 2, f"{call} should return the pair (grads, cost).")
    grads, cost = result
    check_has_keys(f"grads from {call}", grads, ["dw", "db"])
    return grads, cost


def check_optimize(optimize):
    rng = rng_for("a2.optimize")
    for n, m, num_iterations, learning_rate in [(3, 8, 1, 0.3), (5, 12, 250, 0.05), (2, 30, 301, 0.8),
                                                (7, 4, None, None)]:
        w, b = rng.normal(scale=0.5, size=(n, 1)), float(rng.normal())
        X, Y = rng.normal(size=(n, m)), rng.integers(0, 2, size=(1, m))
        if num_iterations is None:
            call = f"optimize(w, b, X, Y) with its default arguments, n = {n} and m = {m}"
            result = optimize(w.copy(), b, X.copy(), Y.copy())
            num_iterations, learning_rate = 100, 0.009
        else:
            call = (f"optimize(w, b, X, Y, num_iterations={num_iterations}, learning_rate={learning_rate}) "
                    f"with n = {n}, m = {m} and b = {b:.3f}")
            result = optimize(w.copy(), b, X.copy(), Y.copy(), num_iterations=num_iterations,
                              learning_rate=learning_rate)
        w_end, b_end, (dw, db), costs = _descend(w, b, X, Y, num_iterations, learning_rate)
        check_that(isinstance(result, tuple) and len(result) == 3, f"{call} should return (params, grads, costs).")
        params, grads, student_costs = result
        check_has_keys(f"params from {call}", params, ["w", "b"])
        check_has_keys(f"grads from {call}", grads, ["dw", "db"])
        check_array(f'params["w"] from {call}', params["w"], w_end, **HIDDEN)
        check_scalar(f'params["b"] from {call}', params["b"], b_end, **HIDDEN)
        check_array(f'grads["dw"] from {call} (the gradients of the last iteration)', grads["dw"], dw, **HIDDEN)
        check_scalar(f'grads["db"] from {call} (the gradients of the last iteration)', grads["db"], db, **HIDDEN)
        check_costs(f"the costs from {call}", student_costs, costs)
    _check_progress_report(optimize, rng)


def _check_progress_report(optimize, rng):
    X, Y = rng.normal(size=(4, 10)), rng.integers(0, 2, size=(1, 10))
    check_progress_report("optimize(..., num_iterations=1000, print_cost={print_cost})",
                          lambda print_cost: optimize(np.zeros((4, 1)), 0.0, X.copy(), Y.copy(), num_iterations=1000,
                                                      learning_rate=0.01, print_cost=print_cost))


def check_predict(predict):
    rng = rng_for("a2.predict")
    # Weights small enough that the bias decides many of the labels.
    for n, m, b in [(1, 7, 0.4), (5, 1, -0.9), (8, 6, 0), (4, 40, np.float64(1.2)), (3, 25, -0.8)]:
        w, X = rng.normal(scale=0.5, size=(n, 1)), rng.normal(size=(n, m))
        labels = predict(w.copy(), b, X.copy())
        call = f"predict(w, b, X) with n = {n}, m = {m} and b = {b}"
        check_shape(call, labels, (1, m))
        check_that(np.isin(labels, [0, 1]).all(), f"{call} should contain only 0 and 1 (labels, not probabilities).")
        check_array(call, labels, _labels(w, b, X), **HIDDEN)


def check_model(model):
    rng = rng_for("a2.model")
    for n, m_train, m_test, num_iterations, learning_rate in [(4, 30, 12, 350, 0.1), (9, 20, 7, 120, 0.02),
                                                               (3, 15, 5, None, None)]:
        X_train, Y_train, X_test, Y_test = _classification_problem(rng, n, m_train, m_test)
        if num_iterations is None:
            call = f"model with its default arguments, n = {n}, {m_train} training and {m_test} test examples"
            d = model(X_train, Y_train, X_test, Y_test)
            num_iterations, learning_rate = 2000, 0.5
        else:
            call = (f"model(..., num_iterations={num_iterations}, learning_rate={learning_rate}) with n = {n}, "
                    f"{m_train} training and {m_test} test examples")
            d = model(X_train, Y_train, X_test, Y_test, num_iterations=num_iterations, learning_rate=learning_rate)
        w, b, _, costs = _descend(np.zeros((n, 1)), 0.0, X_train, Y_train, num_iterations, learning_rate)
        check_has_keys(f"the dict from {call}", d, ["costs", "Y_prediction_test", "Y_prediction_train", "w", "b",
                                                     "learning_rate", "num_iterations"])
        check_array(f'd["w"] from {call}', d["w"], w, **HIDDEN)
        check_scalar(f'd["b"] from {call}', d["b"], b, **HIDDEN)
        check_costs(f'd["costs"] from {call}', d["costs"], costs)
        check_array(f'd["Y_prediction_train"] from {call}', d["Y_prediction_train"], _labels(w, b, X_train), **HIDDEN)
        check_array(f'd["Y_prediction_test"] from {call}', d["Y_prediction_test"], _labels(w, b, X_test), **HIDDEN)
        check_scalar(f'd["learning_rate"] from {call}', d["learning_rate"], learning_rate, **HIDDEN)
        check_that(d["num_iterations"] == num_iterations,
                   f'd["num_iterations"] from {call} is {d["num_iterations"]!r}, not the number of iterations asked for.')
    # print_cost is passed on to optimize: the costs are printed when it is True, and only then.
    X_train, Y_train, X_test, Y_test = _classification_problem(rng, 4, 10, 3)
    check_progress_report("model(..., num_iterations=1000, learning_rate=0.01, print_cost={print_cost})",
                          lambda print_cost: model(X_train.copy(), Y_train.copy(), X_test.copy(), Y_test.copy(),
                                                   num_iterations=1000, learning_rate=0.01, print_cost=print_cost))
