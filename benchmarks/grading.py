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
   - nbgrader: the same S submissions autograded by nbgrader itself, `nbgrader autograde
     <assignment> --force` (one process, unsandboxed, the bare runs' one BLAS thread), its wall
     time / S, and the grader's wall time / S as a ratio of it;
2. scaling: assignment 1 for 20 students, graded with --workers 1 and with --workers 2, and
   autograded by nbgrader; targets: a speed-up of at least 1.7x in wall time, and
   the grader's wall time at most nbgrader's with 1 worker (ratio <= 1.0) and at most 0.55x
   nbgrader's with 2 workers.

The grader runs as `python -m autograder grade` in a throwaway copy of the course
(nbgrader_config.py, source/, and the release and gradebook generated there), so the
course's own gradebook.db and autograded/ are never touched. nbgrader runs in a fresh copy
of that throwaway course (taken before any grading) per batch, from its folder, with the
submissions in its `submitted/<student>/<assignment>/`. The course's config makes nbgrader's
Autograde refuse (autograder/authoring/formgrader_guard.py); these submissions are the instructor's own
solutions, so the benchmark passes the trusted opt-in, --AutogradeGate.trusted_notebooks=True.
Every submission must score full marks, in grades.json for the grader and in the copy's
gradebook for nbgrader, or the benchmark stops: it never times a failing run.
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

from autograder.authoring.execution import execute_notebook  # noqa: E402
from autograder.authoring.nbgrader_course import cell_scores, generate_assignment  # noqa: E402
from course_layout import assignments, exercises, source_notebook, student_copy  # noqa: E402

# Assignment 5's training makes each run take most of a minute: fewer of them keep the whole
# benchmark within minutes, and its long runs vary less than the short notebooks' do.
STUDENTS, DEFAULT_STUDENTS = {"a5_deep_cat_classifier": 2}, 4
REPEATS, DEFAULT_REPEATS = {"a5_deep_cat_classifier": 1}, 3
SCALING_ASSIGNMENT = "a1_single_neuron"
SCALING_TARGET = 1.7
# Issue 14: the grader's wall time against nbgrader autograde's on the same submissions, at most.
NBGRADER_TARGETS = {1: 1.0, 2: 0.55}
# The grader's kernel computes with one BLAS thread (autograder/grading/student_kernel.py); the bare
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


def nbgrader_autograde(template, folder, submissions, assignment):
    """Wall seconds of one `nbgrader autograde <assignment> --force` on `submissions`, in a copy of `template`.

    `template` is a throwaway course that nothing has graded yet; `folder` becomes a copy of it,
    with `submissions` (SUBMISSIONS_DIR/<student>/<assignment>/) as its `submitted/`. nbgrader runs
    from `folder`, as one process, with the bare runs' one BLAS thread. Every submission must
    score full marks in the copy's gradebook."""
    shutil.copytree(template, folder)
    shutil.copytree(submissions, folder / "submitted")
    students = sorted(p.name for p in submissions.iterdir() if (p / assignment).is_dir())
    # The course's config makes Autograde refuse; these notebooks are the instructor's solutions.
    command = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force",
               "--AutogradeGate.trusted_notebooks=True"]
    started = time.perf_counter()
    finished = subprocess.run(command, cwd=folder, env={**os.environ, **ONE_THREAD}, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} (in {folder}) failed:\n{finished.stdout}\n{finished.stderr}")
    scores = cell_scores(folder, assignment)
    problems = []
    for student in students:
        cells = scores.get(student)
        if not cells:
            problems.append(f"{student} not graded")
            continue
        lost = {cell: f"{score:g}/{most:g}" for cell, (score, most) in cells.items() if score != most}
        if lost:
            problems.append(f"{student} lost points in {lost}")
    if problems:
        # As for the grader: a run that does not give full marks would time something else.
        errors = "\n".join(line for line in finished.stderr.splitlines() if "ERROR" in line)
        raise RuntimeError(f"{assignment}: nbgrader autograde did not give every submission full marks: "
                           + "; ".join(problems) + (f"\nnbgrader's errors:\n{errors}" if errors else ""))
    return wall


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


def per_assignment(names, students, repeats, course, template, scratch):
    print("Grading per assignment: S identical full-answer submissions, --workers 1; "
          "bare = median of R plain-kernel runs; nbgrader = `nbgrader autograde` on the same S")
    print(f"  {'assignment':24s} {'S':>2s} {'R':>2s} {'bare s':>7s} {'graded s':>9s} {'wall/S s':>9s} "
          f"{'graded/bare':>11s} {'wall/bare':>9s} {'per minute':>10s} {'nbgrader/S s':>12s} {'wall/nbgrader':>13s}")
    for name in names:
        count = students or STUDENTS.get(name, DEFAULT_STUDENTS)
        runs = repeats or REPEATS.get(name, DEFAULT_REPEATS)
        bare = bare_seconds(name, scratch / "bare" / name, runs)
        submissions = full_submissions(scratch / "submissions" / name, name, count)
        wall, results = grade(course, submissions, scratch / "results" / name, name, workers=1)
        nbgrader = nbgrader_autograde(template, scratch / "nbgrader" / name, submissions, name)
        graded = statistics.median(r["seconds"] for r in results["records"])
        print(f"  {name:24s} {count:2d} {runs:2d} {bare:7.1f} {graded:9.1f} {wall / count:9.1f} "
              f"{graded / bare:10.2f}x {wall / count / bare:8.2f}x {results['summary']['per_minute']:10.1f} "
              f"{nbgrader / count:12.1f} {wall / nbgrader:12.2f}x")


def scaling(course, template, students, scratch):
    print(f"Scaling: {SCALING_ASSIGNMENT} for {students} students, full answers")
    submissions = full_submissions(scratch / "scaling", SCALING_ASSIGNMENT, students)
    walls = {}
    for workers in (1, 2):
        wall, results = grade(course, submissions, scratch / f"scaling-{workers}", SCALING_ASSIGNMENT, workers)
        walls[workers] = wall
        print(f"  --workers {workers}: {wall:6.1f} s wall ({results['summary']['seconds']:.1f} s in the batch "
              f"itself, {results['summary']['per_minute']} per minute)")
    nbgrader = nbgrader_autograde(template, scratch / "nbgrader" / "scaling", submissions, SCALING_ASSIGNMENT)
    print(f"  nbgrader autograde: {nbgrader:6.1f} s wall ({nbgrader / students:.2f} s per submission, "
          f"{60 * students / nbgrader:.1f} per minute)")
    speed_up = walls[1] / walls[2]
    print(f"  speed-up with 2 workers: {speed_up:.2f}x (target at least {SCALING_TARGET}x: "
          f"{'met' if speed_up >= SCALING_TARGET else 'not met'})")
    for workers, target in NBGRADER_TARGETS.items():
        ratio = walls[workers] / nbgrader
        print(f"  --workers {workers} against nbgrader: {ratio:.2f}x nbgrader's wall time (target at most "
              f"{target}x: {'met' if ratio <= target else 'not met'})")


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
        needed = names + ([SCALING_ASSIGNMENT] if not args.skip_scaling and SCALING_ASSIGNMENT not in names else [])
        course = throwaway_course(scratch / "course", needed)
        # nbgrader's runs each start from a copy of the course as it is before any grading.
        template = shutil.copytree(course, scratch / "ungraded")
        per_assignment(names, args.students, args.repeats, course, template, scratch)
        if not args.skip_scaling:
            print()
            scaling(course, template, args.scaling_students, scratch)
    # Other work on the machine slows the figures down; the load average says how much there was.
    print(f"\nBenchmark took {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores "
          f"(1-minute load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
