"""Start each submission's grading process warm, and fresh.

A grading process needs nbformat, jupyter_client, nbconvert's templates, numpy, matplotlib and
the course's checks; the student's kernel needs ipykernel, numpy and matplotlib: seconds of
imports, paid again for every submission when each process starts from nothing. The batch
starts one warm parent instead (the standard library's multiprocessing "forkserver"), which
imports all of that once and then only forks. Every submission's grading process is a new
child of it, and forks the submission's kernel from itself before it reads anything of the
course (student_kernel.py), so the parent holds nothing a student may not see: it imports no
hidden test and nothing from the course's folders, and reads no notebook. Each grading process is:

- fresh: the parent never grades, never reads a submission and never runs a test, so a child
  starts from the same state as every other child, and nothing one submission's grading did,
  in memory, in the environment or on disk, is there for the next (tests/test_isolation.py);
- its own: it leads a session of its own (the batch kills it and all it started at once), writes
  its output to the job's log, and enters a mount namespace of its own before it mounts the
  submission's disk (limits.enter_private_mounts);
- killable: the batch holds a multiprocessing.Process for it, with its pid and exit code.
"""

import importlib.util
import multiprocessing
import os
from pathlib import Path

from .. import cells
from . import limits

# What every grading process and kernel imports, whatever the course (warm_start first: it sets the
# environment the others are imported in).
WARM_MODULES = ["autograder.grading.warm_start", "autograder.grading.grade_submission", "ipykernel.kernelapp"]
HIDDEN_TESTS = "autograder.hidden"


class GradingProcesses:
    """Starts grading processes from one warm parent, made on the first start."""

    def __init__(self, course, assignments):
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(WARM_MODULES + course_imports(course, assignments))

    def warm_up(self):
        """Start the warm parent now, so that it imports while this process does other work (it accepts
        the first start once it is warm)."""
        from multiprocessing import forkserver
        forkserver.ensure_running()

    def start(self, job_file, log_file):
        """A started multiprocessing.Process grading the job in `job_file`, its output in `log_file`."""
        process = self.context.Process(target=grade_in_this_process, args=(str(job_file), str(log_file)),
                                       name=f"grading {Path(job_file).stem}")
        process.start()
        return process


def grade_in_this_process(job_file, log_file):
    """The grading process's own start, in the forked child: a session, the log, the mounts; then grade."""
    os.setsid()
    log = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    limits.enter_private_mounts()
    from .grade_submission import main
    main(job_file)


def course_imports(course, assignments):
    """The modules the assignments' own import statements name (numpy, matplotlib.pyplot, the checks), where
    the grading environment has them, apart from the hidden tests and anything in the course's folder."""
    import nbformat
    folders = cells.course_folders(course)
    sources = [cells.source(cell) for assignment in assignments for path in folders.notebooks(assignment, "source")
               for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    return sorted(name for name in cells.imported_modules(cells.import_statements(sources))
                  if _installed(name, course))


def _installed(name, course):
    """Whether `name` is an installed module, neither a hidden test nor in the course's folder (a helper
    module beside the notebooks is not on the path anyway); found without running it."""
    if name == HIDDEN_TESTS or name.startswith(HIDDEN_TESTS + "."):
        return False
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    return not spec.has_location or not Path(spec.origin).resolve().is_relative_to(Path(course).resolve())
