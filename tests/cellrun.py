"""Run a notebook's code cells in this Python process, with chosen cells' sources replaced, and its
test cells judged by the grader's own judge.

Much faster than a kernel, which matters when the same notebook runs once for every entry of the
answer corpus. The code cells run in an in-process kernel (autograder/grading/in_process_kernel.py); each
test cell is judged as grading judges it (autograder/grading/judge.py: the visible and hidden parts
in the judge's namespace, the notebook's functions called through the kernel protocol). A cell's
code is compiled under the name `<cell KEY>` (KEY is the nbgrader grade_id, else the cell id), so
a traceback tells whose code raised. An Outcome's blame says who failed:

- "student": the error came from an answer: raised in an answer cell, passed through one, or was
  reported by the judge as the notebook's function raising (e.g. the release's NotImplementedError);
- "check":   the test's own checks rejected the answer (CheckFailed or AssertionError): a verdict;
- "test":    any other error in test code: a bug in the tests, never acceptable.
"""

import contextlib
import io
import os
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

import tiers  # noqa: E402
from autograder import cells  # noqa: E402
from autograder.grading.in_process_kernel import InProcessKernel  # noqa: E402
from autograder.grading.judge import judge, trusted_imports  # noqa: E402
from autograder.grading.kernel_protocol import StudentError  # noqa: E402
from autograder.grading.records import CellResult  # noqa: E402


# The judge's requests and answers go through files, as with a sandboxed kernel: in memory where there is a
# tmpfs for them (a write, rename and read took 60 us there against 300 us on this machine's /tmp).
REQUESTS_FOLDER = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


@dataclass
class Cell:
    key: str
    source: str
    is_answer: bool
    is_test: bool
    points: float = 0.0


@dataclass
class Outcome:
    key: str
    error: BaseException | None
    blame: str | None  # None when the cell ran without error
    message: str = ""  # the judge's message for a test cell, else the error's text
    part: str = ""     # where a test cell failed: its "visible" or its "hidden" checks
    earned: float = 0.0  # a test cell's points earned, as grading counts them
    cases: list = field(default_factory=list)  # a test cell's CaseResults, when it splits its points

    @property
    def passed(self):
        return self.error is None

    def describe(self):
        if self.passed:
            return f"{self.key}: passed"
        return f"{self.key}: {type(self.error).__name__} ({self.blame}): {self.message}"


def code_cells(path):
    return [Cell(key=cells.grade_id(cell) or cell.get("id"), source=cells.source(cell),
                 is_answer=cells.is_solution(cell), is_test=bool((cells.grading_metadata(cell) or {}).get("grade")),
                 points=cells.points(cell))
            for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def run_notebook(path, replace=None, stop_after=None):
    """Run the code cells of the notebook at `path`; return {key: Outcome} in cell order.

    `replace` maps keys to new sources; `stop_after` names the last cell to run.
    Like nbgrader, a failing cell does not stop the run.
    """
    tiers.require(("notebooks", "grading"), f"runs the notebook {Path(path).name} (tests/cellrun.py)")
    path = Path(path)
    replace = dict(replace or {})
    notebook_cells = code_cells(path)
    unknown = set(replace) - {cell.key for cell in notebook_cells}
    if unknown:
        raise KeyError(f"{path} has no cells {sorted(unknown)}")
    answer_files = {f"<cell {cell.key}>" for cell in notebook_cells if cell.is_answer}
    outcomes, test_namespace = {}, {}
    # Wrong answers overflow and divide by zero on purpose; their RuntimeWarnings are noise here.
    with tempfile.TemporaryDirectory(prefix="cellrun-", dir=REQUESTS_FOLDER) as requests, _working_directory(path.parent), \
            contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        trusted = trusted_imports([cell.source for cell in notebook_cells if not cell.is_answer and not cell.is_test])
        kernel = InProcessKernel(requests)
        try:
            for cell in notebook_cells:
                source = replace.get(cell.key, cell.source)
                if cell.is_test and not cell.is_answer:
                    outcomes[cell.key] = _judged(cell, judge(source, kernel, trusted, test_namespace,
                                                             f"cell {cell.key}"))
                else:
                    kernel.run(source, f"cell {cell.key}")
                    error = kernel.error
                    outcomes[cell.key] = Outcome(cell.key, error, error and _blame(error, answer_files, cell.is_answer),
                                                 str(error) if error else "")
                if cell.key == stop_after:
                    break
        finally:
            plt.close("all")
    return outcomes


def _judged(cell, verdict):
    """The judge's verdict as an Outcome, with the points grading would give (records.CellResult)."""
    points = CellResult(cell.points)
    points.judged(verdict.passed, verdict.message, verdict.part, verdict.cases)
    if verdict.passed:
        return Outcome(cell.key, None, None, earned=points.score, cases=points.cases)
    error = verdict.error
    blame = "student" if isinstance(error, (StudentError, NameError)) else \
        "check" if isinstance(error, AssertionError) else "test"
    return Outcome(cell.key, error, blame, verdict.message, verdict.part, points.score, points.cases)


def _blame(error, answer_files, in_answer_cell):
    if in_answer_cell:
        return "student"
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename in answer_files:
            return "student"
        trace = trace.tb_next
    return "check" if isinstance(error, AssertionError) else "test"


@contextlib.contextmanager
def _working_directory(folder):
    """Run in `folder` with it first on sys.path, as a kernel started there would (it can import
    the files beside the notebook); afterwards forget the modules imported from it."""
    before, imported_before = os.getcwd(), set(sys.modules)
    folder = Path(folder).resolve()
    os.chdir(folder)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        os.chdir(before)
        sys.path.remove(str(folder))
        for name in set(sys.modules) - imported_before:
            if Path(getattr(sys.modules[name], "__file__", None) or "/").resolve().parent == folder:
                del sys.modules[name]
