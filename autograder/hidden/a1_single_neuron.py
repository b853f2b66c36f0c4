"""Hidden tests of assignment 1: every graded function on cases the student never saw.

Each `check_<name>(function)` raises CheckFailed naming the case and what is wrong,
without revealing expected values. Backward passes are judged against numerical
derivatives, so any correct derivation passes.
"""

import math

import numpy as np

from nncourse.checks import check_array, check_keys, check_scalar, check_shape, check_that, scalar_value

from .toolkit import numerical_gradient, random_shapes, rng_for, sigmoid

HIDDEN = {"reveal": False}


def check_linear_hypothesis(linear_hypothesis):
    rng = rng_for("a1.linear_hypothesis")
    for n, m in [(1, 4), (3, 1), (5, 7), (2, 2)]:
        theta = rng.normal(size=(n + 1, 1))
        X = rng.normal(size=(n, m))
        expected = theta.T @ np.vstack([np.ones((1, m)), X])
        check_array(f"linear_hypothesis(theta, X) with n = {n} features and m = {m} examples",
                    linear_hypothesis(theta, X), expected, **HIDDEN)


def check_basic_sigmoid(basic_sigmoid):
    rng = rng_for("a1.basic_sigmoid")
    for x in [-2, -7.25, 0.4, 12.5, *(float(v) for v in rng.uniform(-15, 15, 4))]:
        check_scalar(f"basic_sigmoid({x:.4g})", basic_sigmoid(x), float(sigmoid(x)), **HIDDEN)


def check_sigmoid(sigmoid_):
    rng = rng_for("a1.sigmoid")
    for shape in [*random_shapes(rng, 4), (2, 3, 4), (6,)]:
        x = rng.normal(scale=6, size=shape)
        check_array(f"sigmoid(x) for x of shape {shape}", sigmoid_(x), sigmoid(x), **HIDDEN)
    integers = np.array([[-3, 0, 2]])
    check_array("sigmoid(x) for an integer array", sigmoid_(integers), sigmoid(integers), **HIDDEN)


def check_sigmoid_derivative(sigmoid_derivative):
    rng = rng_for("a1.sigmoid_derivative")
    h = 1e-5
    for shape in random_shapes(rng, 4):
        x = rng.normal(scale=4, size=shape)
        slopes = (sigmoid(x + h) - sigmoid(x - h)) / (2 * h)
        check_array(f"sigmoid_derivative(x) for x of shape {shape}", sigmoid_derivative(x), slopes,
                    rtol=1e-5, atol=1e-10, **HIDDEN)


def check_logistic_neuron(logistic_neuron):
    rng = rng_for("a1.logistic_neuron")
    for n, m in [(1, 5), (4, 1), (6, 3), (3, 3)]:
        w, b, X = rng.normal(size=(n, 1)), float(rng.normal()), rng.normal(size=(n, m))
        check_array(f"logistic_neuron(w, b, X) with n = {n}, m = {m} and b = {b:.3f}",
                    logistic_neuron(w, b, X), sigmoid(w.T @ X + b), **HIDDEN)


def check_image2vector(image2vector):
    rng = rng_for("a1.image2vector")
    for shape in [(5, 7, 3), (64, 64, 3), (1, 4, 2), (3, 3, 1)]:
        image = rng.random(shape)
        check_array(f"image2vector(image) for an image of shape {shape}", image2vector(image),
                    image.reshape(-1, 1), **HIDDEN)


def check_normalize_rows(normalize_rows):
    rng = rng_for("a1.normalize_rows")
    for shape in random_shapes(rng, 5):
        x = rng.normal(scale=3, size=shape)
        lengths = np.sqrt(np.sum(x * x, axis=1, keepdims=True))
        name = f"normalize_rows(x) for x of shape {shape}"
        result = normalize_rows(x.copy())
        check_shape(name, result, shape)
        check_array(f"the row lengths of {name}", np.sqrt(np.sum(result * result, axis=1, keepdims=True)),
                    np.ones((shape[0], 1)), **HIDDEN)
        check_array(f"{name} times the original row lengths (should give x back)", result * lengths, x, **HIDDEN)


def check_softmax(softmax):
    rng = rng_for("a1.softmax")
    for shape in random_shapes(rng, 5):
        x = rng.normal(scale=4, size=shape)
        name = f"softmax(x) for x of shape {shape}"
        s = softmax(x.copy())
        check_shape(name, s, shape)
        check_that(np.all(s > 0), f"{name} has entries that are not positive.")
        check_array(f"the row sums of {name}", np.sum(s, axis=1), np.ones(shape[0]), **HIDDEN)
        # Softmax is the only map with positive rows summing to 1 whose log-ratios equal the score differences.
        check_array(f"log(s[:, j] / s[:, 0]) for {name} (should equal x[:, j] - x[:, 0])",
                    np.log(s / s[:, :1]), x - x[:, :1], rtol=1e-6, atol=1e-8, **HIDDEN)


def check_L1(L1):
    _check_loss(L1, "L1", lambda d: np.sum(np.abs(d)))


def check_L2(L2):
    _check_loss(L2, "L2", lambda d: np.sum(d * d))


def _check_loss(loss_function, name, reference):
    rng = rng_for(f"a1.{name}")
    for shape in [(1, 7), (6, 1), (3, 4)]:
        yhat = rng.random(shape)
        y = rng.integers(0, 2, size=shape)
        check_scalar(f"{name}(yhat, y) for arrays of shape {shape}", loss_function(yhat, y),
                     reference(y - yhat), **HIDDEN)


def check_nudge_slope(nudge_slope):
    def cubic(v):
        return v ** 3 - 2 * v

    for f, label, x, h in [(cubic, "v**3 - 2*v", 1.7, None), (cubic, "v**3 - 2*v", -0.6, 0.05),
                           (math.sin, "sin", 0.4, 1e-4)]:
        step = 0.001 if h is None else h
        expected = (f(x + step) - f(x)) / step
        call = f"nudge_slope({label}, {x})" if h is None else f"nudge_slope({label}, {x}, h={h})"
        result = nudge_slope(f, x) if h is None else nudge_slope(f, x, h=h)
        check_scalar(call, result, expected, rtol=1e-9, **HIDDEN)


def check_graph_forward(graph_forward):
    rng = rng_for("a1.graph_forward")
    for a, b, c in rng.normal(scale=3, size=(3, 3)):
        J, cache = graph_forward(a, b, c)
        call = f"graph_forward({a:.3f}, {b:.3f}, {c:.3f})"
        check_scalar(f"J from {call}", J, 3 * (a + b * c), **HIDDEN)
        check_keys(f"the cache from {call}", cache, ["a", "b", "c", "u", "v"])
        for key, expected in {"a": a, "b": b, "c": c, "u": b * c, "v": a + b * c}.items():
            check_scalar(f'cache["{key}"] from {call}', cache[key], expected, **HIDDEN)


def check_graph_backward(graph_backward):
    rng = rng_for("a1.graph_backward")
    for a, b, c in rng.normal(scale=3, size=(3, 3)):
        u, v = b * c, a + b * c
        grads = graph_backward({"a": a, "b": b, "c": c, "u": u, "v": v})
        call = f"graph_backward for a, b, c = {a:.3f}, {b:.3f}, {c:.3f}"
        check_keys(f"the result of {call}", grads, ["dv", "du", "da", "db", "dc"])
        d_abc = numerical_gradient(lambda p: 3 * (p[0] + p[1] * p[2]), [a, b, c])
        expected = {"dv": numerical_gradient(lambda p: 3 * p[0], [v])[0],
                    "du": numerical_gradient(lambda p: 3 * (a + p[0]), [u])[0],
                    "da": d_abc[0], "db": d_abc[1], "dc": d_abc[2]}
        for key, slope in expected.items():
            check_scalar(f'grads["{key}"] from {call}', grads[key], slope, rtol=1e-6, atol=1e-7, **HIDDEN)


def check_circuit_gradients(circuit_gradients):
    rng = rng_for("a1.circuit_gradients")
    for x, y, z in rng.normal(scale=3, size=(3, 3)):
        f, grads = circuit_gradients(x, y, z)
        call = f"circuit_gradients({x:.3f}, {y:.3f}, {z:.3f})"
        check_scalar(f"f from {call}", f, (x + y) * z, **HIDDEN)
        check_keys(f"the gradients from {call}", grads, ["dx", "dy", "dz"])
        slopes = numerical_gradient(lambda p: (p[0] + p[1]) * p[2], [x, y, z])
        for key, slope in zip(["dx", "dy", "dz"], slopes):
            check_scalar(f'grads["{key}"] from {call}', grads[key], slope, rtol=1e-6, atol=1e-7, **HIDDEN)


def check_neuron_forward_backward(neuron_forward_backward):
    rng = rng_for("a1.neuron_forward_backward")
    for n in [1, 3, 6]:
        w, b, x = rng.normal(size=(n, 1)), float(rng.normal()), rng.normal(size=(n, 1))

        def output(w_=w, b_=b, x_=x):
            return float(sigmoid(w_.T @ x_ + b_)[0, 0])

        f, grads = neuron_forward_backward(w.copy(), b, x.copy())
        call = f"neuron_forward_backward with n = {n} inputs and b = {b:.3f}"
        check_scalar(f"f from {call}", f, output(), **HIDDEN)
        check_keys(f"the gradients from {call}", grads, ["dw", "db", "dx"])
        check_array(f'grads["dw"] from {call}', grads["dw"], numerical_gradient(lambda w_: output(w_=w_), w),
                    rtol=1e-5, atol=1e-9, **HIDDEN)
        check_scalar(f'grads["db"] from {call}', grads["db"],
                     numerical_gradient(lambda p: output(b_=p[0]), [b])[0], rtol=1e-5, atol=1e-9, **HIDDEN)
        check_array(f'grads["dx"] from {call}', grads["dx"], numerical_gradient(lambda x_: output(x_=x_), x),
                    rtol=1e-5, atol=1e-9, **HIDDEN)


def check_numerical_gradient(numerical_gradient_):
    rng = rng_for("a1.numerical_gradient")

    def wavy(v):
        return float(np.sum(v ** 3) + np.sum(np.sin(v)))

    def cubic(v):
        return float(np.sum(v ** 3))

    # For a cubic the centred difference is exactly 3 v**2 + h**2, so the step h shows in the answer.
    for shape, f, label, h, exact in [
        ((3, 2), wavy, "sum(v**3) + sum(sin(v))", None, lambda v: 3 * v ** 2 + np.cos(v)),
        ((5, 1), cubic, "sum(v**3)", 0.1, lambda v: 3 * v ** 2 + 0.1 ** 2),
        ((2, 4), cubic, "sum(v**3)", None, lambda v: 3 * v ** 2),
    ]:
        x = rng.normal(size=shape)
        before = x.copy()
        call = f"numerical_gradient({label}, x of shape {shape}" + (f", h={h})" if h is not None else ")")
        grad = numerical_gradient_(f, x) if h is None else numerical_gradient_(f, x, h=h)
        check_array(call, grad, exact(before), rtol=1e-6, atol=1e-8, **HIDDEN)
        check_array(f"x after {call} (it must be left unchanged)", x, before, rtol=1e-12, atol=1e-12, **HIDDEN)


def check_gradient_check(gradient_check):
    rng = rng_for("a1.gradient_check")
    for shape, noise in [((4, 3), 1e-3), ((6, 1), 1e-7), ((1, 5), 0.5)]:
        analytic = rng.normal(size=shape)
        numeric = analytic + noise * rng.normal(size=shape)
        expected = np.sqrt(np.sum((analytic - numeric) ** 2)) / (
            np.sqrt(np.sum(analytic ** 2)) + np.sqrt(np.sum(numeric ** 2)))
        check_scalar(f"gradient_check for gradients of shape {shape}", gradient_check(analytic, numeric),
                     expected, rtol=1e-6, atol=1e-15, **HIDDEN)
    same = rng.normal(size=(3, 3))
    check_that(scalar_value("gradient_check(g, g)", gradient_check(same, same.copy())) == 0,
               "gradient_check(g, g) should be 0 for two identical gradients.")


def _reference_neuron(w, b, x):
    f = float(sigmoid(w.T @ x + b)[0, 0])
    dz = f * (1 - f)
    return f, {"dw": x * dz, "db": dz, "dx": w * dz}


def _neuron_with_bias_slope_one(w, b, x):
    f, grads = _reference_neuron(w, b, x)
    return f, {**grads, "db": 1.0}


def _neuron_with_swapped_gradients(w, b, x):
    f, grads = _reference_neuron(w, b, x)
    return f, {"dw": grads["dx"], "db": grads["db"], "dx": grads["dw"]}


def check_neuron_gradient_check(neuron_gradient_check):
    rng = rng_for("a1.neuron_gradient_check")
    for n in [1, 4]:
        w, b, x = rng.normal(size=(n, 1)), float(rng.normal()), rng.normal(size=(n, 1))
        w_before, x_before = w.copy(), x.copy()
        case = f"n = {n} inputs"
        correct = scalar_value(f"neuron_gradient_check for a correct neuron with {case}",
                               neuron_gradient_check(_reference_neuron, w, b, x))
        check_that(correct < 1e-7, f"neuron_gradient_check gives {correct:.2e} for a correct neuron with {case}; "
                                   "a correct backward pass should give about 1e-7 or less.")
        check_array(f"w after neuron_gradient_check with {case}", w, w_before, rtol=1e-12, atol=1e-12, **HIDDEN)
        check_array(f"x after neuron_gradient_check with {case}", x, x_before, rtol=1e-12, atol=1e-12, **HIDDEN)

        def output(w_=w, b_=b, x_=x):
            return float(sigmoid(w_.T @ x_ + b_)[0, 0])

        numeric = np.concatenate([numerical_gradient(lambda w_: output(w_=w_), w).ravel(),
                                  numerical_gradient(lambda p: output(b_=p[0]), [b]),
                                  numerical_gradient(lambda x_: output(x_=x_), x).ravel()])
        for broken, what in [(_neuron_with_bias_slope_one, "whose db is wrong"),
                             (_neuron_with_swapped_gradients, "whose dw and dx are swapped")]:
            _, grads = broken(w, b, x)
            analytic = np.concatenate([grads["dw"].ravel(), [grads["db"]], grads["dx"].ravel()])
            expected = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
            if expected < 1e-3:
                continue  # e.g. swapping dw and dx changes nothing when w equals x
            check_scalar(f"neuron_gradient_check for a neuron {what}, with {case}",
                         neuron_gradient_check(broken, w, b, x), expected, rtol=1e-4, **HIDDEN)
