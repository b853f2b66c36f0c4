"""How fast the autograder grades on this machine. It prints figures; it is not a test.

    .venv/bin/python benchmarks/grading.py [--students N] [--assignment NAME ...] [--repeats R]
                                           [--skip-scaling] [--scaling-students N]

1. per assignment, for the notebook with every answer filled in:
   - bare: the notebook run top to bottom in a plain Jupyter kernel, median of 3 runs
     (assignment 5, whose training takes most of a minute: one run);
   - graded: a batch of S identical submissions graded with --workers 1 (S = 4, assignment 5: 2);
     per submission, the median of the records' own seconds, and the batch's wall time / S
     (which adds the grading processes' start-up, the gradebook and the feedback pages);
   - the ratios of both to bare, and the batch's own submissions per minute;
2. scaling: assignment 1 for 20 students, graded with --workers 1 and with --workers 2;
   target: a speed-up of at least 1.7x in wall time.

The grader runs as `python -m autograder grade` in a throwaway copy of the course
(nbgrader_config.py, source/, and the release and gradebook generated there), so the
course's own gradebook.db and autograded/ are never touched.
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from autograder.execution import execute_notebook  # noqa: E402
from autograder.nbgrader_course import generate_assignment  # noqa: E402
from course_layout import assignments, exercises, source_notebook, student_copy  # noqa: E402

# Assignment 5's training makes each run take most of a minute: fewer of them keep the whole
# benchmark within minutes, and its long runs vary less than the short notebooks' do.
STUDENTS, DEFAULT_STUDENTS = {"a5_deep_cat_classifier": 2}, 4
REPEATS, DEFAULT_REPEATS = {"a5_deep_cat_classifier": 1}, 3
SCALING_ASSIGNMENT = "a1_single_neuron"
SCALING_TARGET = 1.7
# The grader's kernel computes with one BLAS thread (autograder/student_kernel.py); the bare
# runs do too, so that the ratios measure the grader and not the number of threads.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def throwaway_course(folder, names):
    folder.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(ROOT / "source", folder / "source")
    for name in names:
        generate_assignment(folder, name)
    return folder


def full_submissions(folder, assignment, students):
    """SUBMISSIONS_DIR with `students` identical submissions, every exercise done."""
    done = set(exercises(source_notebook(assignment)))
    for number in range(1, students + 1):
        student_copy(assignment, done, folder / f"student{number:02d}" / assignment)
    return folder


def grade(course, submissions, out, assignment, workers):
    """(wall seconds, grades.json) of one `python -m autograder grade`; every submission must score full marks."""
    command = [sys.executable, "-m", "autograder", "grade", str(submissions), "--out", str(out),
               "--assignment", assignment, "--workers", str(workers), "--root", str(course)]
    started = time.perf_counter()
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{finished.stdout}\n{finished.stderr}")
    results = json.loads((Path(out) / "grades.json").read_text())
    short = [r for r in results["records"] if r["status"] != "graded" or r["score"] != r["max_score"]]
    if short:
        # A full-answer submission that loses points would time a different grading.
        raise RuntimeError(f"{assignment}: not every submission scored full marks: "
                           + "; ".join(f"{r['student']} {r['status']} {r['score']:g}/{r['max_score']:g} "
                                       f"({r['reason']})" for r in short))
    return wall, results


@contextlib.contextmanager
def environment(values):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def bare_seconds(assignment, folder, repeats):
    path = student_copy(assignment, set(exercises(source_notebook(assignment))), folder)
    times = []
    with environment(ONE_THREAD):
        for _ in range(repeats):
            started = time.perf_counter()
            execute_notebook(path)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def per_assignment(names, students, repeats, scratch):
    print("Grading per assignment: S identical full-answer submissions, --workers 1; "
          "bare = median of R plain-kernel runs")
    print(f"  {'assignment':24s} {'S':>2s} {'R':>2s} {'bare s':>7s} {'graded s':>9s} {'wall/S s':>9s} "
          f"{'graded/bare':>11s} {'wall/bare':>9s} {'per minute':>10s}")
    course = throwaway_course(scratch / "course", names)
    for name in names:
        count = students or STUDENTS.get(name, DEFAULT_STUDENTS)
        runs = repeats or REPEATS.get(name, DEFAULT_REPEATS)
        bare = bare_seconds(name, scratch / "bare" / name, runs)
        submissions = full_submissions(scratch / "submissions" / name, name, count)
        wall, results = grade(course, submissions, scratch / "results" / name, name, workers=1)
        graded = statistics.median(r["seconds"] for r in results["records"])
        print(f"  {name:24s} {count:2d} {runs:2d} {bare:7.1f} {graded:9.1f} {wall / count:9.1f} "
              f"{graded / bare:10.2f}x {wall / count / bare:8.2f}x {results['summary']['per_minute']:10.1f}")
    return course


def scaling(course, students, scratch):
    print(f"Scaling: {SCALING_ASSIGNMENT} for {students} students, full answers")
    submissions = full_submissions(scratch / "scaling", SCALING_ASSIGNMENT, students)
    walls = {}
    for workers in (1, 2):
        wall, results = grade(course, submissions, scratch / f"scaling-{workers}", SCALING_ASSIGNMENT, workers)
        walls[workers] = wall
        print(f"  --workers {workers}: {wall:6.1f} s wall ({results['summary']['seconds']:.1f} s in the batch "
              f"itself, {results['summary']['per_minute']} per minute)")
    speed_up = walls[1] / walls[2]
    print(f"  speed-up with 2 workers: {speed_up:.2f}x (target at least {SCALING_TARGET}x: "
          f"{'met' if speed_up >= SCALING_TARGET else 'not met'})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", action="append", dest="assignments", metavar="NAME",
                        help="time only this assignment (repeatable; default: all)")
    parser.add_argument("--students", type=int, metavar="N",
                        help=f"submissions per batch (default {DEFAULT_STUDENTS}; assignment 5: 2)")
    parser.add_argument("--repeats", type=int, metavar="R",
                        help=f"bare runs per notebook, the median reported (default {DEFAULT_REPEATS}; assignment 5: 1)")
    parser.add_argument("--skip-scaling", action="store_true", help="skip the --workers 1 versus 2 comparison")
    parser.add_argument("--scaling-students", type=int, default=20, metavar="N",
                        help="students in the scaling comparison (default 20)")
    args = parser.parse_args(argv)
    names = args.assignments or assignments()
    unknown = sorted(set(names) - set(assignments()))
    if unknown:
        parser.error(f"no such assignment: {', '.join(unknown)}")

    started = time.perf_counter()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nngrade-benchmark-") as scratch:
        scratch = Path(scratch)
        course = per_assignment(names, args.students, args.repeats, scratch)
        if not args.skip_scaling:
            print()
            if SCALING_ASSIGNMENT not in names:
                generate_assignment(course, SCALING_ASSIGNMENT)
            scaling(course, args.scaling_students, scratch)
    # Other work on the machine slows the figures down; the load average says how much there was.
    print(f"\nBenchmark took {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores "
          f"(1-minute load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
