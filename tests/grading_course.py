"""A throwaway course to grade in, submissions to put in it, and the grading command run on them."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from autograder import cells
from autograder.authoring.nbgrader_course import generate_assignment
from course_layout import ROOT, exercises, release_notebook, release_with_answers, source_notebook


def throwaway_course(folder, assignments):
    """A course folder with its own gradebook and release/ for `assignments`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(ROOT / "source", folder / "source")
    for assignment in assignments:
        generate_assignment(folder, assignment)
    return folder


def grade(course, submissions, out, *options):
    """Run `python -m autograder grade`; (the finished process, {(student, assignment): record})."""
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submissions), "--out", str(out),
                           "--root", str(course), *options], cwd=ROOT, capture_output=True, text=True)
    records = {}
    if (out / "grades.json").exists():
        for record in json.loads((out / "grades.json").read_text())["records"]:
            records[(record["student"], record["assignment"])] = record
    return done, records


def full(assignment):
    """The release notebook with every exercise answered by the instructor's solution."""
    return release_with_answers(assignment, set(exercises(source_notebook(assignment))))


def untouched(assignment):
    return nbformat.read(release_notebook(assignment), as_version=4)


def with_answers(assignment, sources):
    """The release notebook with these sources ({grade_id: code}) in its exercise cells."""
    notebook = untouched(assignment)
    for cell in notebook.cells:
        if cells.grade_id(cell) in sources:
            cell.source = sources[cells.grade_id(cell)]
    return notebook


def index_of(notebook, grade_id):
    return next(i for i, cell in enumerate(notebook.cells) if cells.grade_id(cell) == grade_id)


def add_cell_after(notebook, grade_id, source):
    """A cell of the student's own after the cell `grade_id` (a copy: the argument is left alone)."""
    notebook = nbformat.from_dict(json.loads(nbformat.writes(notebook)))
    notebook.cells.insert(index_of(notebook, grade_id) + 1, new_code_cell(source))
    return notebook


def submit(submissions, student, assignment, notebook=None, files=None):
    """Put a submission in place: a notebook (nbformat node, or raw text) and other files."""
    folder = submissions / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (files or {}).items():
        (folder / name).write_text(content)
    if notebook is not None:
        path = folder / source_notebook(assignment).name
        if isinstance(notebook, str):
            path.write_text(notebook)
        else:
            nbformat.write(notebook, path)
    return folder


def points(assignment, grade_id):
    notebook = untouched(assignment)
    return cells.points(notebook.cells[index_of(notebook, grade_id)])


def block_lines(assignment, blocks=(cells.HIDDEN_TESTS_BLOCK,)):
    """The distinct lines of the source notebook's hidden tests (or of other `blocks`), stripped."""
    found = set()
    for cell in nbformat.read(source_notebook(assignment), as_version=4).cells:
        found |= cells.secret_lines_of(cells.source(cell), blocks)
    return sorted(found)


def hidden_test_lines(assignment):
    """The distinct lines of the source notebook's hidden tests (between the BEGIN and END HIDDEN TESTS lines)."""
    return block_lines(assignment)


def total_points(assignment):
    notebook = untouched(assignment)
    return sum(cells.points(cell) for cell in notebook.cells if (cells.grading_metadata(cell) or {}).get("grade"))


def warm_processes():
    """The processes forked from a batch's warm parent, itself included: they keep its command line."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
        except OSError:
            continue
        if b"multiprocessing.forkserver" in argv and b"autograder.grading.warm_start" in argv:
            found.add(int(entry.name))
    return found


def outliving(before, wait=10):
    """The warm processes not in `before` that are still there after up to `wait` seconds (the warm parent
    leaves a moment after its batch)."""
    deadline = time.monotonic() + wait
    while (left := warm_processes() - before) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left
