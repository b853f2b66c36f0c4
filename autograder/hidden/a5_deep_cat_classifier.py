"""Hidden tests of assignment 5: the two training loops, on small random problems.

Both models are judged from a known start: while they run, the notebook's initialiser is a
stand-in (toolkit.Original) that returns our parameters, however the model calls it, so their
whole trajectory can be compared with a reference gradient descent
(autograder/hidden/deep_reference.py), with learning rates and iteration counts other than
the defaults, and other layer sizes than the cats'. The stand-in notes the sizes it is
asked for: they must be the layers_dims the model was given.
"""

import operator

from nncourse.checks import check_array, check_keys, check_that, scalar_value

from . import deep_reference as ref
from .toolkit import Original, check_costs, check_progress_report, format_call, rng_for, standing_in

HIDDEN = {"reveal": False}
TRAJECTORY = {"rtol": 1e-5, "atol": 1e-8, "reveal": False}
# The initialisers of dnn_helpers.py that the models call, and the checks stand in for.
INITIALIZE_PARAMETERS = Original("initialize_parameters(n_x, n_h, n_y)")
INITIALIZE_PARAMETERS_DEEP = Original("initialize_parameters_deep(layer_dims)")


def _train(parameters, X, Y, num_iterations, learning_rate):
    """(final parameters, the costs at iterations 0, 100, 200, ...)."""
    costs = []
    for i in range(num_iterations):
        grads = ref.gradients(parameters, X, Y)
        if i % 100 == 0:
            costs.append(ref.cost(X, parameters, Y))
        parameters = {key: value - learning_rate * grads[f"d{key}"] for key, value in parameters.items()}
    return parameters, costs


def _problem(rng, layer_dims, m):
    """A network start of a sensible size, inputs away from the ReLU's bend, and labels of both classes."""
    parameters, X = ref.network(rng, layer_dims, m, margin=0.05)
    Y = (rng.random((1, m)) < 0.5).astype(float)
    Y[0, :2] = 0, 1
    return parameters, X, Y


def _starting_from(model, initialiser, parameters, calls):
    """While the block runs, the model's initialiser (an Original) returns copies of `parameters`, and
    `calls` gets the arguments of each call, bound to the initialiser's parameters."""
    def our_start(*args):
        calls.append(args)
        return {key: value.copy() for key, value in parameters.items()}
    return standing_in(model, initialiser, our_start)


def _sizes_asked(initialiser, args):
    """The layer sizes that a call of the initialiser asked for, as a list (None if they are not whole numbers)."""
    sizes = args[0] if initialiser is INITIALIZE_PARAMETERS_DEEP else args
    try:
        return [operator.index(size) for size in sizes]
    except TypeError:
        return None


def _check_model(model, name, initialiser, cases):
    rng = rng_for(f"a5.{name}")
    for layer_dims, m, num_iterations, learning_rate in cases:
        start, X, Y = _problem(rng, layer_dims, m)
        if num_iterations is None:
            call = f"{name}(X, Y, {list(layer_dims)}) with its default arguments and m = {m}"
            num_iterations, learning_rate = 3000, 0.0075
            arguments = {}
        else:
            call = (f"{name}(X, Y, {list(layer_dims)}, learning_rate={learning_rate}, "
                    f"num_iterations={num_iterations}) with m = {m}")
            arguments = {"learning_rate": learning_rate, "num_iterations": num_iterations}
        calls = []
        with _starting_from(model, initialiser, start, calls):
            result = model(X.copy(), Y.copy(), list(layer_dims), **arguments)
        check_that(calls, f"{call} did not call {initialiser.name}: keep the given first lines of {name}.")
        check_that(_sizes_asked(initialiser, calls[0]) == list(layer_dims),
                   f"{call} called {format_call(initialiser.name, calls[0])}; expected the layer sizes it was "
                   f"given, {list(layer_dims)}.")
        check_that(isinstance(result, tuple) and len(result) == 2, f"{call} should return (parameters, costs).")
        parameters, costs = result
        expected, expected_costs = _train(start, X, Y, num_iterations, learning_rate)
        check_keys(f"the parameters from {call}", parameters, list(start))
        for key in start:
            check_array(f'{key} after {call}', parameters[key], expected[key], **TRAJECTORY)
        check_costs(f"the costs from {call}", costs, expected_costs, rtol=1e-5, atol=1e-8)
        if len(expected_costs) > 2:
            check_that(scalar_value("costs[-1]", costs[-1]) < scalar_value("costs[0]", costs[0]),
                       f"the cost does not go down during {call}.")
    _check_progress_report(model, name, initialiser, rng, cases[0][0])


def _check_progress_report(model, name, initialiser, rng, layer_dims):
    start, X, Y = _problem(rng, layer_dims, 10)

    def train(print_cost):
        with _starting_from(model, initialiser, start, []):
            model(X.copy(), Y.copy(), list(layer_dims), learning_rate=0.01, num_iterations=1000, print_cost=print_cost)
    check_progress_report(f"{name}(..., num_iterations=1000, print_cost={{print_cost}})", train)


def check_two_layer_model(two_layer_model):
    _check_model(two_layer_model, "two_layer_model", INITIALIZE_PARAMETERS, [
        ((5, 3, 1), 12, 150, 0.05),
        ((8, 6, 1), 20, 1, 0.3),
        ((3, 4, 1), 9, 301, 0.02),
        ((4, 2, 1), 7, None, None),
    ])


def check_L_layer_model(L_layer_model):
    _check_model(L_layer_model, "L_layer_model", INITIALIZE_PARAMETERS_DEEP, [
        ((5, 4, 3, 1), 12, 150, 0.05),
        ((6, 1), 10, 120, 0.1),
        ((4, 5, 3, 4, 2, 1), 16, 201, 0.02),
        ((7, 3, 1), 20, 1, 0.5),
        ((3, 4, 2, 1), 8, None, None),
    ])
