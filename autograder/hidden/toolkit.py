"""What hidden tests judge with: reproducible random cases, trusted references, shared checks.

Hidden checks use fixed seeds (derived from the check's name), so re-grading a
submission gives the same verdict, while the cases stay ones the student never saw.
References here are written independently of the solutions in source/: properties,
other formulas, or numerical derivatives.
"""

import ast
import contextlib
import inspect
import io
import zlib

import numpy as np

from nncourse.checks import check_scalar, check_that, scalar_value


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


class Original:
    """A function of the notebook that a check stands in for: its name and its signature, as the
    exercise defines it (e.g. `Original("initialize_parameters(n_x, n_h, n_y)")`)."""

    def __init__(self, header):
        definition = ast.parse(f"def {header}:\n    pass").body[0]
        namespace = {}
        exec(compile(ast.Module(body=[definition], type_ignores=[]), "<original>", "exec"), namespace)
        self.header, self.name = header, definition.name
        self.signature = inspect.signature(namespace[definition.name])

    def stand_in(self, replacement):
        """A function that accepts exactly the calls the original accepts (positional, keyword, mixed,
        defaults where the original has them) and answers with `replacement`, called with the arguments
        bound to the original's parameters: defaults filled in, positionally where a parameter allows it.
        A call the original would refuse raises the TypeError the original would raise."""
        name, signature = self.name, self.signature

        def stand_in(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as error:
                raise TypeError(f"{name}() {error}") from None
            bound.apply_defaults()
            return replacement(*bound.args, **bound.kwargs)

        stand_in.__name__ = stand_in.__qualname__ = name
        stand_in.__signature__ = signature
        return stand_in

    def __repr__(self):
        return f"Original({self.header!r})"


def format_call(name, args):
    """`name(1, [2, 3])`: a call with these arguments, as code."""
    return f"{name}({', '.join(repr(value) for value in args)})"


@contextlib.contextmanager
def standing_in(function, original, replacement):
    """While the block runs, the notebook's `original` (an Original) that `function` sees is a stand-in
    (Original.stand_in) answering with `replacement`.

    Lets a check start a student's training loop from parameters of its own choosing, however the
    student's code calls the original."""
    name, stand_in = original.name, original.stand_in(replacement)
    if hasattr(function, "stand_in"):  # a function of a sandboxed kernel (grading/judge.py: KernelFunction)
        with function.stand_in(name, stand_in):
            yield
        return
    namespace = getattr(function, "__globals__", {})
    missing = object()
    before = namespace.get(name, missing)
    namespace[name] = stand_in
    try:
        yield
    finally:
        if before is missing:
            namespace.pop(name, None)
        else:
            namespace[name] = before


def check_has_keys(name, actual, keys):
    """`actual` is a dict with at least these keys."""
    check_that(isinstance(actual, dict), f"{name} should be a dict; got a {type(actual).__name__}.")
    missing = [key for key in keys if key not in actual]
    check_that(not missing, f"{name} has keys {sorted(actual, key=str)}: missing {missing}.")


def check_costs(name, actual, expected, **tolerance):
    """`actual` lists the costs at iterations 0, 100, 200, ... and they are close to `expected`."""
    check_that(isinstance(actual, (list, tuple, np.ndarray)),
               f"{name} should be a list of numbers; got a {type(actual).__name__}.")
    check_that(len(actual) == len(expected),
               f"{name} has {len(actual)} entries; expected {len(expected)}, one at each of the iterations "
               "0, 100, 200, ...")
    for i, (cost, reference) in enumerate(zip(actual, expected)):
        check_scalar(f"{name}, entry {i} (the cost at iteration {100 * i}, before that iteration's update)",
                     scalar_value(f"{name}, entry {i}", cost), reference, reveal=False, **tolerance)


def check_progress_report(call, train, every=100):
    """`train(print_cost)` runs at most 10 * `every` iterations; `call` describes it, with a field {print_cost}.

    With print_cost=True it must report the cost (every `every` iterations: at most about 10 lines),
    without flooding; with print_cost=False it must print less. The format, and lines printed either
    way (an accuracy, say), are the student's choice."""
    loud = _printed_lines(lambda: train(True))
    asked = call.format(print_cost=True)
    check_that(loud, f"{asked} printed nothing; it should print the cost every {every} iterations.")
    check_that(len(loud) <= 15, f"{asked} printed {len(loud)} lines; print the cost every {every} iterations only.")
    quiet = _printed_lines(lambda: train(False))
    check_that(len(quiet) < len(loud),
               f"{call.format(print_cost=False)} printed {len(quiet)} lines; expected fewer than the {len(loud)} "
               "of print_cost=True. Print the cost only when print_cost is True.")


def _printed_lines(run):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        run()
    return printed.getvalue().splitlines()
