"""Checks that the notebooks' test cells use to judge a student's answer.

Each check raises `CheckFailed` (an AssertionError) with one sentence that names the
quantity, what was expected and what was found, e.g.

    sigmoid(x) has shape (3,), a rank-1 array (keep it 2-D: reshape it or use keepdims=True);
    expected (3, 1).

There are no reference solutions here: the expected values come from the test cell.
`reveal=False` keeps the expected values out of the message, for hidden tests.

`case(name, points)` names a part of a test cell that earns its own points when graded.
"""

import contextlib
import numbers

import numpy as np

__all__ = ["CheckFailed", "check_array", "check_scalar", "check_shape", "check_keys", "check_that",
           "check_defined", "case"]

# The grader's judge, while it judges a test cell (autograder/grading/judge.py); none in a notebook.
_judges = []


class CheckFailed(AssertionError):
    """A test cell's verdict that an answer is wrong (not an error in the test)."""


@contextlib.contextmanager
def case(name, points):
    """A named part of a test cell, worth `points` of the cell's points:

        with case("its shape", points=1):
            check_shape("A", A, (1, 3))

    In a notebook the block runs like any other code: a failing check stops the cell. When the
    grader judges the cell, a failing check ends only its case, which earns nothing, and the cell
    goes on with the next; the cell earns the points of the cases that passed."""
    if not _judges:
        yield
        return
    with _judges[-1].case(name, points):
        yield


def check_that(condition, message):
    """Fail with `message` unless `condition` holds."""
    if not condition:
        raise CheckFailed(message)


def check_defined(namespace, *names):
    """Each of `names` is a variable in `namespace` (pass `globals()` from a notebook cell)."""
    missing = [name for name in names if name not in namespace]
    if missing:
        raise CheckFailed(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not defined: "
                          "fill in the exercise cell above and run it, then run this cell again.")


def check_shape(name, actual, shape):
    """`actual` is a numpy array of exactly this shape."""
    _check_is_array(name, actual)
    shape = tuple(shape)
    if actual.shape != shape:
        raise CheckFailed(f"{name} has shape {actual.shape}{_rank_hint(actual.shape, shape)}; expected {shape}.")


def check_array(name, actual, expected, *, rtol=1e-6, atol=1e-9, reveal=True):
    """`actual` is a numpy array with the shape and (within tolerance) the values of `expected`."""
    expected = np.asarray(expected, dtype=float)
    check_shape(name, actual, expected.shape)
    if not _is_real(actual.dtype) and actual.dtype != bool:
        raise CheckFailed(f"{name} has dtype {actual.dtype}; expected real numbers.")
    values = np.asarray(actual, dtype=float)
    if np.isnan(values).any() and not np.isnan(expected).any():
        raise CheckFailed(f"{name} contains NaN at {_first_index(np.isnan(values))}.")
    wrong = ~np.isclose(values, expected, rtol=rtol, atol=atol, equal_nan=True)
    if wrong.any():
        where = _first_index(wrong)
        message = f"{name} is wrong at {len(np.argwhere(wrong))} of {wrong.size} entries; first at index {where}"
        if reveal:
            message += f": expected {expected[where]:.8g}, got {values[where]:.8g}"
        message += "."
        if reveal and expected.size <= 12:
            message += f"\n  expected: {_fmt(expected)}\n  got:      {_fmt(values)}"
        raise CheckFailed(message)


def check_scalar(name, actual, expected, *, rtol=1e-6, atol=1e-9, reveal=True):
    """`actual` is one real number (Python or numpy, or a 0-d array) close to `expected`."""
    value = scalar_value(name, actual)
    if not np.isclose(value, expected, rtol=rtol, atol=atol):
        raise CheckFailed(f"{name} is {value:.8g}" + (f"; expected {expected:.8g}." if reveal else ", which is not right."))


def check_keys(name, actual, keys):
    """`actual` is a dict with exactly these keys."""
    if not isinstance(actual, dict):
        raise CheckFailed(f"{name} should be a dict; got {_describe(actual)}.")
    missing = [k for k in keys if k not in actual]
    extra = [k for k in actual if k not in keys]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {missing}")
        if extra:
            parts.append(f"unexpected {extra}")
        raise CheckFailed(f"{name} has keys {sorted(actual, key=repr)}: {', '.join(parts)}; "
                          f"expected {sorted(keys, key=repr)}.")


def scalar_value(name, actual):
    """The float inside `actual`, or CheckFailed if it is not a single real number."""
    if isinstance(actual, (bool, np.bool_)) or (isinstance(actual, np.ndarray) and actual.dtype == bool):
        raise CheckFailed(f"{name} should be a number; got a bool ({actual!r}).")
    if isinstance(actual, numbers.Real):
        return float(actual)
    if isinstance(actual, np.ndarray) and actual.shape == () and _is_real(actual.dtype):
        return float(actual)
    if isinstance(actual, np.ndarray):
        raise CheckFailed(f"{name} should be a single number; got an array of shape {actual.shape}"
                          " (float(...) or np.squeeze(...) turns a one-element array into a number).")
    raise CheckFailed(f"{name} should be a number; got {_describe(actual)}.")


def _is_real(dtype):
    # Not np.number: that includes complex, which float() rejects and astype(float) silently truncates.
    return np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating)


def _check_is_array(name, actual):
    if type(actual) is not np.ndarray:
        raise CheckFailed(f"{name} should be a numpy array; got {_describe(actual)}.")


def _describe(value):
    if value is None:
        return "None (is a `return` statement missing?)"
    if isinstance(value, np.ndarray):
        return f"a {type(value).__name__} of shape {value.shape}"
    return f"a {type(value).__name__}"


def _rank_hint(shape, expected):
    if len(shape) == 1 and len(expected) == 2 and shape[0] in expected:
        return ", a rank-1 array (keep it 2-D: reshape it or use keepdims=True)"
    return ""


def _first_index(mask):
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _fmt(values):
    return np.array2string(values, precision=8, separator=", ").replace("\n", "\n            ")
