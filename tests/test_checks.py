"""nncourse.checks: the helpers behind the notebooks' test cells.

A failure is a CheckFailed (an AssertionError) whose message names the quantity, what was
expected and what was found; with reveal=False the expected values stay out of it.

Also the hidden checks' stand-ins (autograder.hidden.toolkit.Original, standing_in): a stand-in accepts
every call its original accepts, and has the signature the exercise gives the original.
"""

import ast
import contextlib
import importlib
import inspect

import nbformat
import numpy as np
import pytest

from autograder.hidden.toolkit import Original, standing_in
from course_layout import ROOT, assignments, source_notebook
from nncourse.checks import CheckFailed, check_array, check_defined, check_keys, check_scalar, check_shape, check_that


def failure(call, *args, **kwargs):
    """The message of the CheckFailed that `call` raises."""
    with pytest.raises(CheckFailed) as caught:
        call(*args, **kwargs)
    return str(caught.value)


class Liar(np.ndarray):
    """An array that claims to equal anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


# ---------------------------------------------------------------- CheckFailed, check_that


def test_check_failed_is_an_assertion_error():
    assert issubclass(CheckFailed, AssertionError)
    with pytest.raises(AssertionError):
        check_that(False, "x")


def test_check_that():
    check_that(True, "never shown")
    check_that(np.True_, "never shown")
    assert failure(check_that, False, "w should be zeros.") == "w should be zeros."
    assert failure(check_that, 0, "cost should be positive.") == "cost should be positive."


# ---------------------------------------------------------------- check_array: passing


@pytest.mark.parametrize("actual, expected", [
    (np.array([[1, 2, 3]]), [[1, 2, 3]]),                               # ints against ints
    (np.array([[1, 2, 3]]), [[1.0, 2.0, 3.0]]),                         # ints against floats
    (np.array([[0.5], [0.25]]), np.array([[0.5], [0.25]])),
    (np.array([[0.5], [0.25]]) * (1 + 1e-8), [[0.5], [0.25]]),          # within rtol
    (np.array([[0.5, 0.0]], dtype=np.float32), [[0.5, 1e-12]]),         # float32, within atol
    (np.array([True, False]), [1, 0]),                                  # a boolean mask
    (np.array([1.0, np.nan]), [1.0, np.nan]),                           # NaN where NaN is expected
])
def test_check_array_accepts(actual, expected):
    check_array("A", actual, expected)


def test_check_array_tolerance_can_be_widened():
    actual = np.array([1.0, 2.0]) * (1 + 1e-4)
    assert "A" in failure(check_array, "A", actual, [1.0, 2.0])
    check_array("A", actual, [1.0, 2.0], rtol=1e-3)


# ---------------------------------------------------------------- check_array: shape and type


def test_rank_1_array_where_a_column_is_expected():
    message = failure(check_array, "sigmoid(z)", np.zeros(3), np.zeros((3, 1)))
    assert message.startswith("sigmoid(z) has shape (3,)")
    assert "rank-1" in message
    assert "expected (3, 1)" in message


def test_rank_1_array_where_a_row_is_expected():
    message = failure(check_array, "b", np.zeros(3), np.zeros((1, 3)))
    assert "rank-1" in message and "(1, 3)" in message


@pytest.mark.parametrize("actual, expected", [
    (np.zeros((2, 3)), np.zeros((3, 2))),
    (np.zeros((3, 1)), np.zeros((3,))),
    (np.zeros((4,)), np.zeros((3, 1))),
])
def test_wrong_shape(actual, expected):
    message = failure(check_array, "W1", actual, expected)
    assert message.startswith(f"W1 has shape {actual.shape}")
    assert f"expected {expected.shape}" in message
    assert "rank-1" not in message  # the hint is only for an (n,) where (n, 1) or (1, n) was meant


def test_a_list_is_not_an_array():
    message = failure(check_array, "A", [[1.0, 2.0]], [[1.0, 2.0]])
    assert "A should be a numpy array; got a list" in message


def test_none_points_at_a_missing_return():
    message = failure(check_array, "A", None, [[1.0]])
    assert message.startswith("A ")
    assert "None" in message and "return" in message


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_a_matrix_is_rejected():
    message = failure(check_array, "A", np.matrix([[1.0, 2.0]]), [[1.0, 2.0]])
    assert "A should be a numpy array" in message and "matrix" in message


def test_an_array_subclass_that_lies_about_equality_is_rejected():
    liar = np.array([[9.0, 9.0]]).view(Liar)
    assert (liar == np.array([[1.0, 2.0]])) is True  # the trap the check must not fall into
    message = failure(check_array, "A", liar, [[1.0, 2.0]])
    assert "A should be a numpy array" in message and "Liar" in message


def test_a_non_numeric_array_is_rejected():
    message = failure(check_array, "labels", np.array(["a", "b"]), [0, 1])
    assert "labels" in message and "dtype" in message and "numbers" in message


def test_a_complex_array_is_rejected_not_truncated():
    # Casting to float would drop the imaginary part and let [1+2j] pass for [1].
    message = failure(check_array, "A", np.array([1 + 2j]), [1.0])
    assert "A has dtype complex128" in message and "real numbers" in message


# ---------------------------------------------------------------- check_array: values


def test_nan_is_reported_with_its_index():
    message = failure(check_array, "A", np.array([[1.0, np.nan, 3.0]]), [[1.0, 2.0, 3.0]])
    assert "A" in message and "NaN" in message and "(0, 1)" in message


def test_nan_in_the_wrong_place_is_wrong():
    message = failure(check_array, "A", np.array([np.nan, 2.0]), [1.0, np.nan])
    assert "A is wrong" in message


def test_infinity_is_wrong():
    message = failure(check_array, "A", np.array([1.0, np.inf]), [1.0, 2.0])
    assert "A is wrong at 1 of 2 entries; first at index (1,)" in message
    assert "got inf" in message


def test_wrong_values_name_the_first_wrong_entry():
    actual = np.array([[1.0, 2.0, 3.0], [4.0, 5.5, 6.5]])
    expected = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    message = failure(check_array, "dW", actual, expected)
    assert message.startswith("dW is wrong at 2 of 6 entries; first at index (1, 1)")
    assert "expected 5, got 5.5" in message
    # a small array is shown whole, expected and got
    expected_part, got_part = message.split("\n  got:")
    assert "\n  expected: [[1., 2., 3.]," in expected_part and "6." in expected_part
    assert "5.5" in got_part and "6.5" in got_part


def test_a_large_wrong_array_is_not_printed_whole():
    expected = np.arange(20.0)
    actual = expected.copy()
    actual[17] = -1.0
    message = failure(check_array, "A", actual, expected)
    assert "first at index (17,): expected 17, got -1" in message
    assert "expected:" not in message and "got:" not in message


def test_reveal_false_keeps_the_expected_values_out():
    expected = np.array([[0.123456, 0.5], [0.25, 0.75]])
    actual = expected.copy()
    actual[0, 0] = 0.9
    message = failure(check_array, "A2", actual, expected, reveal=False)
    assert message.startswith("A2 is wrong at 1 of 4 entries; first at index (0, 0)")
    assert "0.123456" not in message and "0.12346" not in message and "0.1235" not in message
    for value in ("0.5", "0.25", "0.75"):
        assert value not in message
    revealed = failure(check_array, "A2", actual, expected, reveal=True)
    assert "0.123456" in revealed  # the same call with reveal=True does show it


# ---------------------------------------------------------------- check_shape


def test_check_defined_names_what_is_missing():
    check_defined({"m_train": 1, "num_px": 2}, "m_train", "num_px")
    with pytest.raises(CheckFailed, match=r"^num_px is not defined: fill in the exercise cell above"):
        check_defined({"m_train": 1}, "m_train", "num_px")
    with pytest.raises(CheckFailed, match=r"^m_test, num_px are not defined"):
        check_defined({"m_train": 1}, "m_train", "m_test", "num_px")


def test_check_shape():
    check_shape("Z", np.zeros((2, 5)), (2, 5))
    check_shape("Z", np.zeros((2, 5)), [2, 5])
    message = failure(check_shape, "Z", np.zeros((5, 2)), (2, 5))
    assert message == "Z has shape (5, 2); expected (2, 5)."
    message = failure(check_shape, "b", np.zeros(4), (4, 1))
    assert "b has shape (4,)" in message and "rank-1" in message and "expected (4, 1)" in message
    assert "Z should be a numpy array; got a tuple" in failure(check_shape, "Z", (2, 5), (2, 5))
    assert "return" in failure(check_shape, "Z", None, (2, 5))


# ---------------------------------------------------------------- check_scalar


@pytest.mark.parametrize("actual", [
    0.5, np.float64(0.5), np.float32(0.5), np.array(0.5), np.array(0.5, dtype=np.float32),
])
def test_check_scalar_accepts_real_numbers(actual):
    check_scalar("cost", actual, 0.5)


@pytest.mark.parametrize("actual", [3, np.int64(3), np.array(3), 3.0])
def test_check_scalar_accepts_integers(actual):
    check_scalar("n", actual, 3)


def test_check_scalar_tolerates_float32_rounding():
    check_scalar("cost", np.float32(0.1), 0.1)
    assert "cost" in failure(check_scalar, "cost", 0.1001, 0.1)


@pytest.mark.parametrize("actual", [np.array([[0.5]]), np.array([0.5])])
def test_check_scalar_rejects_a_one_element_array(actual):
    message = failure(check_scalar, "cost", actual, 0.5)
    assert "cost should be a single number" in message
    assert str(actual.shape) in message
    assert "float(" in message and "np.squeeze" in message


@pytest.mark.parametrize("actual", [True, False, np.True_, np.array(True)])
def test_check_scalar_rejects_a_bool(actual):
    message = failure(check_scalar, "accuracy", actual, 1.0)
    assert "accuracy should be a number; got a bool" in message


def test_check_scalar_rejects_none_and_strings():
    message = failure(check_scalar, "cost", None, 0.5)
    assert "cost" in message and "None" in message and "return" in message
    assert "cost should be a number; got a str" in failure(check_scalar, "cost", "0.5", 0.5)
    assert "got a list" in failure(check_scalar, "cost", [0.5], 0.5)


def test_check_scalar_rejects_complex_numbers():
    assert "got a complex" in failure(check_scalar, "cost", 1 + 0j, 1.0)
    # a CheckFailed, not the TypeError that float() raises on a complex array
    assert "cost should be a single number" in failure(check_scalar, "cost", np.array(1 + 2j), 1.0)


def test_check_scalar_wrong_value():
    message = failure(check_scalar, "cost", 0.75, 0.693147)
    assert message == "cost is 0.75; expected 0.693147."


def test_check_scalar_reveal_false_keeps_the_expected_value_out():
    message = failure(check_scalar, "cost", 0.75, 0.123456, reveal=False)
    assert "cost is 0.75" in message
    assert "0.123456" not in message and "0.12346" not in message and "expected" not in message


# ---------------------------------------------------------------- check_keys


def test_check_keys_passes_on_exactly_the_keys():
    check_keys("grads", {"dw": 1, "db": 2}, ["dw", "db"])
    check_keys("grads", {"db": 2, "dw": 1}, ("dw", "db"))


def test_check_keys_names_missing_and_unexpected_keys():
    message = failure(check_keys, "grads", {"dw": 1}, ["dw", "db"])
    assert message.startswith("grads has keys ['dw']")
    assert "missing ['db']" in message and "unexpected" not in message
    assert "expected ['db', 'dw']" in message

    message = failure(check_keys, "grads", {"dw": 1, "db": 2, "dz": 3}, ["dw", "db"])
    assert "unexpected ['dz']" in message and "missing" not in message

    message = failure(check_keys, "params", {"W1": 0, "b": 0}, ["W1", "b1"])
    assert "missing ['b1']" in message and "unexpected ['b']" in message


def test_check_keys_with_keys_of_mixed_types_fails_cleanly():
    message = failure(check_keys, "parameters", {0: "W", "W1": 1}, ["W1"])
    assert "unexpected [0]" in message


def test_check_keys_rejects_a_non_dict():
    assert "grads should be a dict; got a list" in failure(check_keys, "grads", ["dw", "db"], ["dw", "db"])
    message = failure(check_keys, "grads", None, ["dw", "db"])
    assert "None" in message and "return" in message


# ---------------------------------------------------------------- the hidden checks' stand-ins (autograder.hidden.toolkit)


def _model(X):
    """A training loop of a notebook: it calls the notebook's global `initialize_parameters`."""
    return initialize_parameters(X, 4, n_y=1)  # noqa: F821 (the check stands in for it)


def _original(a, b, c=3, *rest, d, e=5, **options):
    return (a, b, c, rest, d, e, options)


CALLS = [((1, 2), {"d": 4}), ((), {"a": 1, "b": 2, "d": 4}), ((1,), {"b": 2, "c": 7, "d": 4, "e": 6}),
         ((1, 2, 3, 9, 9), {"d": 4, "z": 0}), ((1, 2, 3), {}), ((1,), {"d": 4}), ((1, 2), {"a": 1, "d": 4}),
         ((1, 2), {"d": 4, "f": 0})]


@pytest.mark.parametrize("args, kwargs", CALLS)
def test_a_stand_in_accepts_exactly_the_calls_its_original_accepts(args, kwargs):
    seen = []
    stand_in = Original("_original(a, b, c=3, *rest, d, e=5, **options)").stand_in(
        lambda *a, **k: seen.append((a, k)) or _original(*a, **k))
    try:
        expected = _original(*args, **kwargs)
    except TypeError:
        with pytest.raises(TypeError, match=r"^_original\(\) "):
            stand_in(*args, **kwargs)
        assert not seen
        return
    assert stand_in(*args, **kwargs) == expected
    # The replacement is called the same way whatever the call: positionally where it can be, defaults filled in.
    (positional, keywords), = seen
    assert positional[:3] == (expected[0], expected[1], expected[2]) and positional[3:] == expected[3]
    assert keywords == {"d": expected[4], "e": expected[5], **expected[6]}


@pytest.mark.parametrize("call", ["f(5, 3, 1)", "f(n_x=5, n_h=3, n_y=1)", "f(5, n_y=1, n_h=3)", "f(*[5, 3], n_y=1)",
                                  "f(**{'n_y': 1, 'n_x': 5, 'n_h': 3})"])
def test_an_initialisers_stand_in_sees_the_same_sizes_however_it_is_called(call):
    seen = []
    f = Original("initialize_parameters(n_x, n_h, n_y)").stand_in(lambda *sizes: seen.append(sizes) or "ours")
    assert eval(call, {"f": f}) == "ours"
    assert seen == [(5, 3, 1)]


@pytest.mark.parametrize("call", ["f(5, 3)", "f(5, 3, 1, 2)", "f(5, 3, n_z=1)", "f(5, 3, 1, n_x=5)"])
def test_an_initialisers_stand_in_refuses_what_the_initialiser_refuses(call):
    def initialize_parameters(n_x, n_h, n_y):
        return "theirs"

    with pytest.raises(TypeError):
        eval(call, {"f": initialize_parameters})
    f = Original("initialize_parameters(n_x, n_h, n_y)").stand_in(lambda *sizes: pytest.fail("called"))
    with pytest.raises(TypeError, match=r"^initialize_parameters\(\) "):
        eval(call, {"f": f})


def test_standing_in_replaces_the_global_the_function_sees_and_restores_it():
    original = Original("initialize_parameters(n_x, n_h, n_y)")
    seen = []
    assert "initialize_parameters" not in globals()
    with standing_in(_model, original, lambda *sizes: seen.append(sizes) or "ours"):
        assert _model(7) == "ours"
    assert seen == [(7, 4, 1)] and "initialize_parameters" not in globals()

    globals()["initialize_parameters"] = "the notebook's"
    try:
        with pytest.raises(ZeroDivisionError), standing_in(_model, original, lambda *sizes: 1 / 0):
            _model(7)
        assert globals()["initialize_parameters"] == "the notebook's"
    finally:
        del globals()["initialize_parameters"]


def test_a_sandboxed_function_is_handed_the_stand_in_not_the_bare_replacement():
    class KernelFunction:  # as autograder.grading.judge.KernelFunction: the kernel's global `name` becomes `replacement`
        handed = {}

        @contextlib.contextmanager
        def stand_in(self, name, replacement):
            self.handed[name] = replacement
            yield

    kernel_function, seen = KernelFunction(), []
    with standing_in(kernel_function, Original("initialize_parameters_deep(layer_dims)"), seen.append):
        kernel_function.handed["initialize_parameters_deep"](layer_dims=[5, 3, 1])  # as the student's code would
    assert seen == [[5, 3, 1]]


def _hidden_originals():
    for assignment in assignments():
        module = importlib.import_module(f"autograder.hidden.{assignment}")
        for value in vars(module).values():
            if isinstance(value, Original):
                yield assignment, value


def _definition(assignment, name):
    """The function `name` as the assignment's source folder defines it (notebook cells, then .py files)."""
    sources = [cell.source for cell in nbformat.read(source_notebook(assignment), as_version=4).cells
               if cell.cell_type == "code"]
    sources += [path.read_text() for path in sorted((ROOT / "source" / assignment).glob("*.py"))]
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return node
    raise AssertionError(f"source/{assignment} does not define {name}")


@pytest.mark.parametrize("assignment, original", list(_hidden_originals()), ids=lambda value: str(value))
def test_every_stand_in_has_the_signature_of_the_function_it_stands_in_for(assignment, original):
    definition = _definition(assignment, original.name)
    definition.body, definition.decorator_list = [ast.Pass()], []
    namespace = {}
    exec(compile(ast.fix_missing_locations(ast.Module(body=[definition], type_ignores=[])), "<definition>", "exec"),
         namespace)
    assert original.signature == inspect.signature(namespace[original.name])


def test_the_hidden_checks_stand_in_for_the_initialisers():
    assert {(assignment, original.name) for assignment, original in _hidden_originals()} == {
        ("a3_shallow_network", "initialize_parameters"),
        ("a5_deep_cat_classifier", "initialize_parameters"),
        ("a5_deep_cat_classifier", "initialize_parameters_deep"),
    }
