"""Hidden tests of assignment 4: a deep neural network, step by step.

Every check runs on networks the student never saw: random depths (one layer up to six),
random widths and numbers of examples, learning rates other than the visible one. The
forward functions are compared with a reference forward pass written here, independently
of the solutions; the backward functions with numerical derivatives (toolkit.numerical_gradient)
of a scalar computed by that reference, on caches that a real forward pass produced, so any
correct derivation passes and a wrong one fails.

The gradient convention is the course's: dA and dZ hold each example's own derivative (so
dA[l] = m dJ/dA[l]), while dW and db are the derivatives of the cost J itself (with the 1/m).
"""

import numpy as np

from nncourse.checks import check_array, check_keys, check_scalar, check_shape, check_that, scalar_value

from . import deep_reference as ref
from .toolkit import check_has_keys, numerical_gradient, rng_for, sigmoid

HIDDEN = {"reveal": False}
GRADIENT = {"rtol": 1e-5, "atol": 1e-8, "reveal": False}


# ---------------------------------------------------------------- references

def _relative_difference(parameters, grads, X, Y, epsilon):
    """The centred-difference gradient check, through the reference cost."""
    L = ref.depth(parameters)
    analytic, numeric = [], []
    for l in range(1, L + 1):
        for name in ("W", "b"):
            value = parameters[f"{name}{l}"]
            for index in np.ndindex(value.shape):
                nudged = {key: array.copy() for key, array in parameters.items()}
                nudged[f"{name}{l}"][index] += epsilon
                plus = ref.cost(X, nudged, Y)
                nudged[f"{name}{l}"][index] -= 2 * epsilon
                minus = ref.cost(X, nudged, Y)
                numeric.append((plus - minus) / (2 * epsilon))
                analytic.append(grads[f"d{name}{l}"][index])
    analytic, numeric = np.array(analytic), np.array(numeric)
    return np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))


# ---------------------------------------------------------------- random cases

def _labels(rng, m):
    Y = rng.integers(0, 2, size=(1, m))
    if m > 1:
        Y[0, 0], Y[0, 1] = 0, 1  # both classes
    return Y


def _copy(parameters):
    return {key: value.copy() for key, value in parameters.items()}


def _caches(layers):
    """The course's caches ((A_prev, W, b), Z), as copies, so a student's code cannot change our reference."""
    return [((A.copy(), W.copy(), b.copy()), Z.copy()) for A, W, b, Z in layers]


# ---------------------------------------------------------------- structure of results

def _describe(value):
    if value is None:
        return "None (is a `return` statement missing?)"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _unpack(result, names, call):
    check_that(isinstance(result, tuple) and len(result) == len(names),
               f"{call} should return the tuple ({', '.join(names)}); got {_describe(result)}.")
    return result


def _check_linear_cache(name, cache, A, W, b):
    check_that(isinstance(cache, (tuple, list)) and len(cache) == 3,
               f"{name} should be the tuple (A_prev, W, b); got {_describe(cache)}.")
    for part, actual, expected in zip(("A_prev", "W", "b"), cache, (A, W, b)):
        check_array(f"{name}, entry {part}", actual, expected, **HIDDEN)


def _check_layer_cache(name, cache, A, W, b, Z):
    check_that(isinstance(cache, (tuple, list)) and len(cache) == 2,
               f"{name} should be the pair (linear_cache, activation_cache); got {_describe(cache)}.")
    _check_linear_cache(f"the linear cache in {name}", cache[0], A, W, b)
    check_array(f"the activation cache in {name} (it should be Z)", cache[1], Z, **HIDDEN)


# ---------------------------------------------------------------- initialisation

def _check_small_random_weights(name, W):
    check_that(np.issubdtype(W.dtype, np.floating), f"{name} has dtype {W.dtype}; expected floats.")
    check_that(np.any(W != 0), f"{name} is all zeros: every unit of the layer would compute the same thing and "
                               "stay the same as the others (symmetry); use small random numbers.")
    if W.size > 1:
        check_that(np.ptp(W) > 0, f"{name} has all its entries equal: the units would stay the same as each other "
                                  "(symmetry); use random numbers.")
    check_that(len(np.unique(W, axis=0)) == W.shape[0],
               f"{name} has two equal rows: those units would compute the same thing and stay the same (symmetry); "
               "use random numbers.")
    spread = float(np.std(W)) if W.size > 1 else float(np.abs(W).max())
    check_that(spread < 0.1, f"{name} has entries of typical size {spread:.3g}; the weights should be small: "
                             "random numbers times 0.01.")


def _check_parameters(call, parameters, layer_dims):
    L = len(layer_dims) - 1
    keys = [f"{name}{l}" for l in range(1, L + 1) for name in ("W", "b")]
    check_keys(f"the parameters from {call}", parameters, keys)
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        check_shape(f'parameters["W{l}"] from {call}', W, (layer_dims[l], layer_dims[l - 1]))
        check_shape(f'parameters["b{l}"] from {call}', b, (layer_dims[l], 1))
        check_that(np.all(b == 0), f'parameters["b{l}"] from {call} should be zeros.')
        _check_small_random_weights(f'parameters["W{l}"] from {call}', W)


def check_initialize_parameters(initialize_parameters):
    rng = rng_for("a4.initialize_parameters")
    cases = [(2, 4, 1), (7, 3, 2), (1, 5, 3), (12288, 7, 1)]
    cases += [tuple(int(n) for n in rng.integers(2, 12, size=3)) for _ in range(2)]
    for n_x, n_h, n_y in cases:
        call = f"initialize_parameters({n_x}, {n_h}, {n_y})"
        _check_parameters(call, initialize_parameters(n_x, n_h, n_y), [n_x, n_h, n_y])


def _architectures(rng):
    shapes = [[12288, 20, 7, 5, 1], [3, 1], [2, 6, 1]]
    shapes += [ref.architecture(rng, depth, max_width=30) for depth in (3, 5, 6, 7)]
    return shapes


def check_layer_shapes(layer_shapes):
    rng = rng_for("a4.layer_shapes")
    for layer_dims in _architectures(rng):
        call = f"layer_shapes({layer_dims})"
        shapes = layer_shapes(list(layer_dims))
        L = len(layer_dims) - 1
        expected = {}
        for l in range(1, L + 1):
            expected[f"W{l}"] = (layer_dims[l], layer_dims[l - 1])
            expected[f"b{l}"] = (layer_dims[l], 1)
        check_keys(f"the result of {call}", shapes, list(expected))
        for key, shape in expected.items():
            value = shapes[key]
            check_that(isinstance(value, tuple), f'{call}["{key}"] should be a tuple; got {_describe(value)}.')
            check_that(value == shape, f'{call}["{key}"] is {value}, which is not the shape of {key}.')


def check_initialize_parameters_deep(initialize_parameters_deep):
    rng = rng_for("a4.initialize_parameters_deep")
    for layer_dims in _architectures(rng):
        call = f"initialize_parameters_deep({layer_dims})"
        _check_parameters(call, initialize_parameters_deep(list(layer_dims)), layer_dims)


# ---------------------------------------------------------------- forward

def _linear_cases(rng):
    """(n_prev, n, m): single units, single examples, and random sizes."""
    cases = [(1, 3, 4), (5, 1, 3), (4, 2, 1), (3, 3, 3)]
    cases += [tuple(int(v) for v in rng.integers(2, 8, size=3)) for _ in range(3)]
    return cases


def check_linear_forward(linear_forward):
    rng = rng_for("a4.linear_forward")
    for n_prev, n, m in _linear_cases(rng):
        A, W, b = rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1))
        call = f"linear_forward(A, W, b) with {n_prev} inputs, {n} units and m = {m}"
        Z, cache = _unpack(linear_forward(A.copy(), W.copy(), b.copy()), ("Z", "cache"), call)
        check_array(f"Z from {call}", Z, W @ A + b, **HIDDEN)
        _check_linear_cache(f"the cache from {call}", cache, A, W, b)


def check_linear_activation_forward(linear_activation_forward):
    rng = rng_for("a4.linear_activation_forward")
    for activation in ("relu", "sigmoid"):
        for n_prev, n, m in _linear_cases(rng):
            A, W, b = rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1))
            Z = W @ A + b
            call = (f'linear_activation_forward(A_prev, W, b, "{activation}") with {n_prev} inputs, {n} units '
                    f"and m = {m}")
            A_out, cache = _unpack(linear_activation_forward(A.copy(), W.copy(), b.copy(), activation),
                                   ("A", "cache"), call)
            check_array(f"A from {call}", A_out, ref.activate(Z, activation), **HIDDEN)
            _check_layer_cache(f"the cache from {call}", cache, A, W, b, Z)


def check_L_model_forward(L_model_forward):
    rng = rng_for("a4.L_model_forward")
    for depth in (1, 2, 4, 5, 6, 3):
        layer_dims = ref.architecture(rng, depth, max_width=7)
        m = int(rng.integers(1, 9))
        parameters, X = ref.network(rng, layer_dims, m)
        AL, layers = ref.forward(X, parameters)
        call = f"L_model_forward(X, parameters) for layer_dims = {layer_dims} and m = {m}"
        AL_out, caches = _unpack(L_model_forward(X.copy(), _copy(parameters)), ("AL", "caches"), call)
        check_array(f"AL from {call}", AL_out, AL, **HIDDEN)
        check_that(isinstance(caches, (list, tuple)) and len(caches) == depth,
                   f"caches from {call} should be a list of {depth} caches, one per layer; got {_describe(caches)}.")
        for l, (cache, (A_prev, W, b, Z)) in enumerate(zip(caches, layers), start=1):
            _check_layer_cache(f"caches[{l - 1}] from {call} (layer {l})", cache, A_prev, W, b, Z)


def check_compute_cost(compute_cost):
    rng = rng_for("a4.compute_cost")
    for m in (1, 2, 5, 13, 40):
        ZL = rng.normal(scale=2, size=(1, m))
        AL, Y = sigmoid(ZL), _labels(rng, m)
        for labels, kind in ((Y, "integer"), (Y.astype(float), "float")):
            call = f"compute_cost(AL, Y) for m = {m} and {kind} labels"
            check_scalar(call, scalar_value(call, compute_cost(AL.copy(), labels.copy())), ref.cost_of_Z(ZL, Y),
                         rtol=1e-8, atol=1e-10, **HIDDEN)


# ---------------------------------------------------------------- backward

def check_linear_backward(linear_backward):
    """L = sum(G * (W A + b)) with G = dZ: dW = dL/dW / m, db = dL/db / m, dA_prev = dL/dA."""
    rng = rng_for("a4.linear_backward")
    for n_prev, n, m in _linear_cases(rng):
        A, W, b = rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1))
        G = rng.normal(size=(n, m))
        call = f"linear_backward(dZ, cache) with {n_prev} inputs, {n} units and m = {m}"
        dA_prev, dW, db = _unpack(linear_backward(G.copy(), (A.copy(), W.copy(), b.copy())),
                                  ("dA_prev", "dW", "db"), call)

        def total(A_=A, W_=W, b_=b):
            return float(np.sum(G * (W_ @ A_ + b_)))

        check_array(f"dA_prev from {call}", dA_prev, numerical_gradient(lambda A_: total(A_=A_), A), **GRADIENT)
        check_array(f"dW from {call}", dW, numerical_gradient(lambda W_: total(W_=W_), W) / m, **GRADIENT)
        check_array(f"db from {call}", db, numerical_gradient(lambda b_: total(b_=b_), b) / m, **GRADIENT)


def check_linear_activation_backward(linear_activation_backward):
    """L = sum(G * g(W A + b)) with G = dA: dW = dL/dW / m, db = dL/db / m, dA_prev = dL/dA."""
    rng = rng_for("a4.linear_activation_backward")
    for activation in ("relu", "sigmoid"):
        for n_prev, n, m in _linear_cases(rng):
            W = rng.normal(size=(n, n_prev))
            while True:  # keep every Z away from the ReLU's bend at 0 (the numerical derivatives nudge by 1e-6)
                A, b = rng.normal(size=(n_prev, m)), rng.normal(size=(n, 1))
                Z = W @ A + b
                if np.abs(Z).min() >= 0.01:
                    break
            G = rng.normal(size=(n, m))
            call = (f'linear_activation_backward(dA, cache, "{activation}") with {n_prev} inputs, {n} units '
                    f"and m = {m}")
            cache = ((A.copy(), W.copy(), b.copy()), Z.copy())
            dA_prev, dW, db = _unpack(linear_activation_backward(G.copy(), cache, activation),
                                      ("dA_prev", "dW", "db"), call)

            def total(A_=A, W_=W, b_=b):
                return float(np.sum(G * ref.activate(W_ @ A_ + b_, activation)))

            check_array(f"dA_prev from {call}", dA_prev, numerical_gradient(lambda A_: total(A_=A_), A), **GRADIENT)
            check_array(f"dW from {call}", dW, numerical_gradient(lambda W_: total(W_=W_), W) / m, **GRADIENT)
            check_array(f"db from {call}", db, numerical_gradient(lambda b_: total(b_=b_), b) / m, **GRADIENT)


def check_L_model_backward(L_model_backward):
    """Every dW, db against the numerical gradient of the cost, every dA[l-1] against m times the
    numerical gradient of the cost with respect to the activations of layer l - 1 (dA0: the input X)."""
    rng = rng_for("a4.L_model_backward")
    for depth in (1, 3, 2, 4, 5):
        layer_dims = ref.architecture(rng, depth, max_width=5)
        m = int(rng.integers(1, 7))
        parameters, X = ref.network(rng, layer_dims, m)
        Y = _labels(rng, m)
        AL, layers = ref.forward(X, parameters)
        call = f"L_model_backward(AL, Y, caches) for layer_dims = {layer_dims} and m = {m}"
        grads = L_model_backward(AL.copy(), Y.copy(), _caches(layers))
        keys = [f"{name}{l}" for l in range(1, depth + 1) for name in ("dW", "db")] + [f"dA{l}" for l in range(depth)]
        check_has_keys(f"grads from {call}", grads, keys)
        for l in range(1, depth + 1):
            for name in ("W", "b"):
                def cost(value, key=f"{name}{l}"):
                    return ref.cost(X, {**parameters, key: value}, Y)

                check_array(f'grads["d{name}{l}"] from {call}', grads[f"d{name}{l}"],
                            numerical_gradient(cost, parameters[f"{name}{l}"]), **GRADIENT)
            A_prev = layers[l - 1][0]
            check_array(f'grads["dA{l - 1}"] from {call}', grads[f"dA{l - 1}"],
                        m * numerical_gradient(lambda A_, first=l: ref.cost(A_, parameters, Y, first), A_prev),
                        **GRADIENT)


# ---------------------------------------------------------------- gradient descent

def check_update_parameters(update_parameters):
    rng = rng_for("a4.update_parameters")
    for depth, learning_rate in ((5, 0.0375), (1, 1.3), (6, 0.5), (3, 0.007)):
        layer_dims = ref.architecture(rng, depth, max_width=6)
        parameters = {}
        grads = {}
        for l in range(1, depth + 1):
            shape = (layer_dims[l], layer_dims[l - 1])
            parameters[f"W{l}"], parameters[f"b{l}"] = rng.normal(size=shape), rng.normal(size=(shape[0], 1))
            grads[f"dW{l}"], grads[f"db{l}"] = rng.normal(size=shape), rng.normal(size=(shape[0], 1))
            grads[f"dA{l - 1}"] = rng.normal(size=(layer_dims[l - 1], 3))
        call = f"update_parameters(params, grads, learning_rate={learning_rate}) for layer_dims = {layer_dims}"
        updated = update_parameters(_copy(parameters), _copy(grads), learning_rate)
        check_keys(f"the result of {call}", updated, list(parameters))
        for key, value in parameters.items():
            check_array(f'the new parameters["{key}"] from {call}', updated[key],
                        value - learning_rate * grads[f"d{key}"], **HIDDEN)


# ---------------------------------------------------------------- gradient checking

def check_gradient_check(gradient_check):
    rng = rng_for("a4.gradient_check")
    note = " (gradient_check uses your L_model_forward and compute_cost: check that they pass their tests)"
    for depth in (1, 3, 2):
        layer_dims = ref.architecture(rng, depth, max_width=4)
        m = int(rng.integers(3, 6))
        parameters, X = ref.network(rng, layer_dims, m, margin=0.05)
        Y = _labels(rng, m)
        grads = ref.gradients(parameters, X, Y)
        case = f"layer_dims = {layer_dims} and m = {m}"

        call = f"gradient_check(parameters, grads, X, Y) with correct gradients, for {case}"
        before = _copy(parameters)
        difference = scalar_value(call, gradient_check(parameters, dict(grads), X.copy(), Y.copy()))
        check_that(difference < 1e-6, f"{call} gives {difference:.2e}; correct gradients should give about "
                                       f"1e-7 or less{note}.")
        for key, value in before.items():
            check_array(f'parameters["{key}"] after {call} (it should not change)', parameters[key], value,
                        rtol=0, atol=0, **HIDDEN)

        # A coarse nudge, where the centred difference differs measurably from the exact gradient.
        epsilon = 1e-2
        call = f"gradient_check(parameters, grads, X, Y, epsilon={epsilon}) with correct gradients, for {case}"
        difference = scalar_value(call, gradient_check(_copy(parameters), dict(grads), X.copy(), Y.copy(),
                                                       epsilon=epsilon))
        check_scalar(call, difference, _relative_difference(parameters, grads, X, Y, epsilon), rtol=1e-3,
                     atol=1e-12, **HIDDEN)

        # Wrong gradients: one entry of one parameter's gradient moved, or one whole gradient scaled.
        broken = dict(grads)
        l = int(rng.integers(1, depth + 1))
        name = f"d{'W' if depth % 2 else 'b'}{l}"
        broken[name] = grads[name].copy()
        broken[name].flat[int(rng.integers(broken[name].size))] += 0.2
        broken_scaled = dict(grads, **{f"dW{depth}": 3 * grads[f"dW{depth}"]})
        for wrong, what in ((broken, f"one entry of {name} off by 0.2"),
                            (broken_scaled, f"dW{depth} three times too large")):
            call = f"gradient_check(parameters, grads, X, Y) with {what}, for {case}"
            difference = scalar_value(call, gradient_check(_copy(parameters), wrong, X.copy(), Y.copy()))
            check_scalar(call, difference, _relative_difference(parameters, wrong, X, Y, 1e-7), rtol=1e-3,
                         **HIDDEN)
