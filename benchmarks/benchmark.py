"""How fast the course runs on this machine. It prints figures; it is not a test.

    python3 course.py benchmark [--iterations N] [--repeats R] [--skip-notebooks]

1. every source and lecture notebook, executed in a kernel as a student's Run All would;
   its targets are 60 s for assignment 5 and 30 s for the rest;
2. assignment 1's loop-versus-vectorised speed-up, as its timing cell printed it;
3. assignment 5's L-layer training ([12288, 20, 7, 5, 1], 2500 iterations), run exactly
   as the notebook runs it (its data preparation, its helpers, the solution's loop),
   against two yardsticks measured in the same run:
   - the floor: the two big matrix products of every iteration (W1 X and dZ1 X^T),
     alone, in the same dtype and layout; target: training at most 1.25x the floor;
   - a straightforward float64 implementation (C-ordered input, integer labels, every
     gradient computed); target: training at most 0.45x its time.
Times are medians of the repeats.
"""

import argparse
import contextlib
import importlib.util
import io
import re
import statistics
import sys
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.authoring.execution import execute_notebook  # noqa: E402
from nncourse.datasets import load_cat_dataset  # noqa: E402

A5 = ROOT / "source" / "a5_deep_cat_classifier"
LAYERS = [12288, 20, 7, 5, 1]
LEARNING_RATE = 0.0075
TARGETS = {"floor": 1.25, "straightforward": 0.45}


def median_time(function, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# ---------------------------------------------------------------- notebooks

def notebook_target(path):
    return 60 if path.parent.name == A5.name else 30


def time_notebooks():
    """{path: seconds} for every notebook, and assignment 1's printed speed-up (or None)."""
    seconds, speed_up = {}, None
    for path in sorted((ROOT / "source").glob("*/*.ipynb")) + sorted((ROOT / "notebooks").glob("*.ipynb")):
        started = time.perf_counter()
        executed = execute_notebook(path)
        seconds[path] = time.perf_counter() - started
        for cell in executed.cells:
            for output in cell.get("outputs", []):
                found = re.search(r"speed-up:\s*([0-9.]+)x", output.get("text", ""))
                if found and path.parent.name.startswith("a1_"):
                    speed_up = float(found.group(1))
    return seconds, speed_up


# ---------------------------------------------------------------- assignment 5's training

def notebook_namespace():
    """Assignment 5's helpers, its data preparation and its solution's L_layer_model, as the notebook has them."""
    spec = importlib.util.spec_from_file_location("dnn_helpers", A5 / "dnn_helpers.py")
    helpers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helpers)
    sys.modules["dnn_helpers"] = helpers
    notebook = nbformat.read(next(A5.glob("*.ipynb")), as_version=4)
    cells = {cell.get("id"): cell.source for cell in notebook.cells}
    namespace = {"np": np, "load_cat_dataset": load_cat_dataset}
    exec("from dnn_helpers import *", namespace)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(cells["prepare-data"], namespace)
    exec(cells["L_layer_model"], namespace)
    return namespace


def big_products(X, num_iterations):
    """The floor: W1 X and dZ1 X^T, the products with the 12288 x m input, for every iteration."""
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((LAYERS[1], X.shape[0])).astype(X.dtype)
    dZ1 = rng.standard_normal((LAYERS[1], X.shape[1])).astype(X.dtype)
    for _ in range(num_iterations):
        np.dot(W1, X)
        np.dot(dZ1, X.T)


def straightforward_training(X, Y, layers, learning_rate, num_iterations, seed=1):
    """A first implementation: float64 throughout, every gradient computed, dA0 included."""
    rng = np.random.default_rng(seed)
    L = len(layers) - 1
    W = {l: rng.standard_normal((layers[l], layers[l - 1])) / np.sqrt(layers[l - 1]) for l in range(1, L + 1)}
    b = {l: np.zeros((layers[l], 1)) for l in range(1, L + 1)}
    m = X.shape[1]
    for _ in range(num_iterations):
        A, caches = X, []
        for l in range(1, L + 1):
            Z = np.dot(W[l], A) + b[l]
            caches.append((A, Z))
            A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z)
        dA = -(np.divide(Y, A) - np.divide(1 - Y, 1 - A))
        for l in range(L, 0, -1):
            A_prev, Z = caches[l - 1]
            if l == L:
                s = 1 / (1 + np.exp(-Z))
                dZ = dA * s * (1 - s)
            else:
                dZ = np.array(dA, copy=True)
                dZ[Z <= 0] = 0
            dW = np.dot(dZ, A_prev.T) / m
            db = np.sum(dZ, axis=1, keepdims=True) / m
            dA = np.dot(W[l].T, dZ)
            W[l] = W[l] - learning_rate * dW
            b[l] = b[l] - learning_rate * db
    return W, b


def accuracy(predict, parameters, X, Y):
    return 100 * float(np.mean(predict(X, parameters) == Y))


# ---------------------------------------------------------------- report

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=2500, help="training iterations (default 2500)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each timing; the median is reported")
    parser.add_argument("--skip-notebooks", action="store_true", help="time the training loop only")
    args = parser.parse_args(argv)

    if not args.skip_notebooks:
        print("Notebooks, executed in a kernel:")
        seconds, speed_up = time_notebooks()
        for path, taken in seconds.items():
            target = notebook_target(path) if path.parent.parent.name == "source" else None
            verdict = "" if target is None else f"  (target {target} s: {'met' if taken <= target else 'MISSED'})"
            print(f"  {str(path.relative_to(ROOT)):58s} {taken:6.1f} s{verdict}")
        print(f"Assignment 1, loop versus vectorised dot product: {speed_up:.0f}x" if speed_up else
              "Assignment 1's speed-up was not found in its output.")
        print()

    print(f"Assignment 5, L-layer training {LAYERS}, {args.iterations} iterations, median of {args.repeats}:")
    namespace = notebook_namespace()
    X, Y, test_x, test_y = (namespace[name] for name in ("train_x", "train_y", "test_x", "test_y"))
    trained, (parameters, _) = median_time(
        lambda: namespace["L_layer_model"](X, Y, LAYERS, learning_rate=LEARNING_RATE, num_iterations=args.iterations),
        args.repeats)
    floor, _ = median_time(lambda: big_products(X, args.iterations), args.repeats)
    X64 = np.ascontiguousarray(X, dtype=np.float64)
    Y_int = np.asarray(namespace["train_y_orig"])
    plain, _ = median_time(
        lambda: straightforward_training(X64, Y_int, LAYERS, LEARNING_RATE, args.iterations), args.repeats)
    predict = namespace["predict"]
    layout = f"{X.dtype}, {'column' if X.flags.f_contiguous else 'row'}-major input"
    rows = [(f"the notebook's training ({layout})", trained,
             f"; train {accuracy(predict, parameters, X, Y):.1f} %, test {accuracy(predict, parameters, test_x, test_y):.1f} %"),
            ("floor: the two big products alone", floor, ""),
            ("a straightforward float64 implementation", plain, "")]
    for label, seconds, extra in rows:
        print(f"  {label:52s} {seconds:6.2f} s, {1000 * seconds / args.iterations:5.2f} ms per iteration{extra}")
    for name, ratio in [("floor", trained / floor), ("straightforward", trained / plain)]:
        target = TARGETS[name]
        print(f"  training / {name:16s} = {ratio:5.2f}x  (target at most {target}x: "
              f"{'met' if ratio <= target else 'MISSED'})")
    print(f"  speed-up over the straightforward implementation: {plain / trained:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
