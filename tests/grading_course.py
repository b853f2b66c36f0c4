"""A throwaway course to grade in, submissions to put in it, and the grading command run on them.

The course is a copy of this one, or of the fixture course (tests/fixture_course/): one assignment,
f1_sigmoid, of two exercises (basic_sigmoid, 1 point, and sigmoid, 2), visible and hidden checks,
and one ungraded cell after them. The grading engine's own tests grade it, in seconds; the real
course is graded end to end once per assignment (tests/test_grading_corpus.py). The helpers below
take the course's folder as `root` (this course's by default)."""

import atexit
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from autograder import cells
from autograder.authoring.nbgrader_course import generate_assignment
from nbgrader.api import Gradebook
from course_layout import ROOT, exercises, release_notebook, release_with_answers, source_notebook


FIXTURE_COURSE = Path(__file__).resolve().parent / "fixture_course"
FIXTURE = "f1_sigmoid"


def throwaway_course(folder, assignments, source=ROOT):
    """A course folder with its own gradebook and release/ for `assignments`, copied from the course at `source`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copy(_empty_gradebook(), folder / "gradebook.db")
    shutil.copytree(source / "source", folder / "source")
    for assignment in assignments:
        generate_assignment(folder, assignment)
    return folder


@functools.cache
def _empty_gradebook():
    """A new gradebook of this course, made by nbgrader once per test process and copied into each
    throwaway course: for every new gradebook nbgrader asks a new `alembic` process for its schema's
    version, 3 s of CPU (22 times in the suite, before this)."""
    folder = tempfile.mkdtemp(prefix="empty-gradebook-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder) / "gradebook.db"
    Gradebook(f"sqlite:///{path}", course_id=cells.course_config(ROOT).CourseDirectory.course_id).close()
    return path


def fixture_course(folder):
    """A copy of the fixture course, with its release: pass it as `root` to the helpers below."""
    return throwaway_course(folder, [FIXTURE], source=FIXTURE_COURSE)


def grade(course, submissions, out, *options):
    """Run `python -m autograder grade`; (the finished process, {(student, assignment): record})."""
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submissions), "--out", str(out),
                           "--root", str(course), *options], cwd=ROOT, capture_output=True, text=True)
    records = {}
    if (out / "grades.json").exists():
        for record in json.loads((out / "grades.json").read_text())["records"]:
            records[(record["student"], record["assignment"])] = record
    return done, records


def full(assignment, root=ROOT):
    """The release notebook with every exercise answered by the instructor's solution."""
    return release_with_answers(assignment, set(exercises(source_notebook(assignment, root))), root)


def untouched(assignment, root=ROOT):
    return nbformat.read(release_notebook(assignment, root), as_version=4)


def with_answers(assignment, sources, root=ROOT):
    """The release notebook with these sources ({grade_id: code}) in its exercise cells."""
    notebook = untouched(assignment, root)
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


def submit(submissions, student, assignment, notebook=None, files=None, root=ROOT):
    """Put a submission in place: a notebook (nbformat node, or raw text) and other files."""
    folder = submissions / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (files or {}).items():
        (folder / name).write_text(content)
    if notebook is not None:
        path = folder / source_notebook(assignment, root).name
        if isinstance(notebook, str):
            path.write_text(notebook)
        else:
            nbformat.write(notebook, path)
    return folder


def points(assignment, grade_id, root=ROOT):
    """The points of a test cell (the source notebook says, as the release does)."""
    notebook = nbformat.read(source_notebook(assignment, root), as_version=4)
    return cells.points(notebook.cells[index_of(notebook, grade_id)])


def block_lines(assignment, blocks=(cells.HIDDEN_TESTS_BLOCK,), root=ROOT):
    """The distinct lines of the source notebook's hidden tests (or of other `blocks`), stripped."""
    found = set()
    for cell in nbformat.read(source_notebook(assignment, root), as_version=4).cells:
        found |= cells.secret_lines_of(cells.source(cell), blocks)
    return sorted(found)


def hidden_test_lines(assignment):
    """The distinct lines of the source notebook's hidden tests (between the BEGIN and END HIDDEN TESTS lines)."""
    return block_lines(assignment)


def total_points(assignment, root=ROOT):
    notebook = nbformat.read(source_notebook(assignment, root), as_version=4)
    return sum(cells.points(cell) for cell in notebook.cells if (cells.grading_metadata(cell) or {}).get("grade"))


# Every process this test process starts inherits this, so that the warm processes of its batches can be told
# from those of batches other test processes (xdist's workers) run at the same time.
TEST_PROCESS = f"NNCOURSE_TEST_PROCESS={os.getpid()}".encode()
os.environ["NNCOURSE_TEST_PROCESS"] = str(os.getpid())


def warm_processes():
    """The processes forked from the warm parent of a batch this test process started, itself included: they
    keep its command line and its environment. (One whose environment cannot be read counts as ours.)"""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
        except OSError:
            continue
        if b"multiprocessing.forkserver" in argv and b"autograder.grading.warm_start" in argv:
            try:
                ours = TEST_PROCESS in (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                ours = True
            if ours:
                found.add(int(entry.name))
    return found


def outliving(before, wait=10):
    """The warm processes not in `before` that are still there after up to `wait` seconds (the warm parent
    leaves a moment after its batch)."""
    deadline = time.monotonic() + wait
    while (left := warm_processes() - before) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left
