"""The benchmark runs and reports its figures (a smoke test with a few iterations; no timing is judged)."""

import contextlib
import importlib.util
import io
import re

import numpy as np
import pytest

from course_layout import ROOT


def _load(name, file):
    """A benchmark script (benchmarks/ is not a package) as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(module, args):
    """What the benchmark prints when run with `args`; it must exit 0."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert module.main(args) == 0
    return printed.getvalue()


benchmark = _load("benchmark", "benchmark.py")
grading_benchmark = _load("grading_benchmark", "grading.py")


def test_benchmark_reports_the_training_against_the_floor_and_the_straightforward_implementation():
    report = _report(benchmark, ["--iterations", "3", "--repeats", "1", "--skip-notebooks"])
    assert "float32, column-major input" in report, report
    for yardstick in ["floor", "straightforward"]:
        assert re.search(rf"training / {yardstick} *= *[0-9.]+x", report), report
    assert re.search(r"speed-up over the straightforward implementation: [0-9.]+x", report), report


def test_straightforward_implementation_computes_what_the_helpers_compute():
    # The yardstick must be the same training, only written plainly: from the same start,
    # 20 float64 iterations of each give the same parameters.
    namespace = benchmark.notebook_namespace()
    X = np.asarray(namespace["train_x"][:, :40], dtype=np.float64)
    Y = np.asarray(namespace["train_y_orig"][:, :40])
    layers = [X.shape[0], 5, 3, 1]
    W, b = benchmark.straightforward_training(X, Y, layers, 0.05, 20, seed=3)

    rng = np.random.default_rng(3)
    parameters = {}
    for l in range(1, len(layers)):
        parameters[f"W{l}"] = rng.standard_normal((layers[l], layers[l - 1])) / np.sqrt(layers[l - 1])
        parameters[f"b{l}"] = np.zeros((layers[l], 1))
    for _ in range(20):
        AL, caches = namespace["L_model_forward"](X, parameters)
        parameters = namespace["update_parameters"](parameters, namespace["L_model_backward"](AL, Y, caches), 0.05)
    for l in range(1, len(layers)):
        np.testing.assert_allclose(W[l], parameters[f"W{l}"], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(b[l], parameters[f"b{l}"], rtol=1e-6, atol=1e-9)


@pytest.mark.grading  # it grades a batch and runs nbgrader autograde
def test_grading_benchmark_reports_bare_graded_and_nbgrader_times_per_assignment():
    report = _report(grading_benchmark, ["--assignment", "a1_single_neuron", "--students", "1", "--repeats", "1",
                                         "--skip-scaling"])
    number = r"[0-9]+\.[0-9]+"
    assert re.search(r"per minute +nbgrader/S s +wall/nbgrader\n", report), report
    # bare, graded, wall/S, the two ratios to bare, per minute, then nbgrader's seconds per submission
    # and the grader's wall time as a ratio of nbgrader's.
    assert re.search(rf"a1_single_neuron +1 +1 +{number} +{number} +{number} +{number}x +{number}x +{number} "
                     rf"+{number} +{number}x\n", report), report
    assert re.search(r"Benchmark took [0-9]+ s on [0-9]+ cores", report), report


def test_grading_benchmark_judges_the_scaling_targets_against_nbgrader(monkeypatch, tmp_path):
    # Made-up wall times, no grading: 1 worker 40 s, 2 workers 24 s, nbgrader 42 s.
    walls = {1: 40.0, 2: 24.0}
    summary = {"seconds": 1.0, "per_minute": 1.0}
    monkeypatch.setattr(grading_benchmark, "full_submissions", lambda folder, assignment, students: folder)
    monkeypatch.setattr(grading_benchmark, "grade", lambda course, submissions, out, assignment, workers:
                        (walls[workers], {"summary": summary}))
    monkeypatch.setattr(grading_benchmark, "nbgrader_autograde", lambda template, folder, submissions, assignment: 42.0)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        grading_benchmark.scaling(tmp_path / "course", tmp_path / "ungraded", 20, tmp_path)
    report = printed.getvalue()
    assert "nbgrader autograde:   42.0 s wall (2.10 s per submission" in report, report
    assert "speed-up with 2 workers: 1.67x (target at least 1.7x: not met)" in report, report
    assert "--workers 1 against nbgrader: 0.95x nbgrader's wall time (target at most 1.0x: met)" in report, report
    assert "--workers 2 against nbgrader: 0.57x nbgrader's wall time (target at most 0.55x: not met)" in report, report
