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

run_many makes many runs of one notebook from one: the notebook runs once, and at the first cell a
run replaces, a forked copy of that process goes on with the run's own cells. Each run starts from
the state a run of its own would have reached there, and the cells before are not run again.
"""

import concurrent.futures
import contextlib
import io
import multiprocessing
import os
import pickle
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
    with NotebookRun(path) as run:
        return run.go_on(0, dict(replace or {}), stop_after)


def run_many(path, runs):
    """[run_notebook(path, replace, stop_after) for replace, stop_after in runs], from one run of the notebook.

    The work is done in a new process, started for it: fork is safe only in a process of one thread, and
    pytest-xdist's workers have two. A run whose forked process dies gets a RunDied in place of its outcomes."""
    tiers.require(("notebooks", "grading"), f"runs the notebook {Path(path).name} (tests/cellrun.py)")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as helper:
        return helper.submit(_run_many_here, str(path), [(dict(replace), stop_after) for replace, stop_after in runs]
                             ).result()


class RunDied(Exception):
    pass


class NotebookRun:
    """The code cells of one notebook run in this process, one after the other, in a kernel of its own."""

    def __init__(self, path):
        self.path = Path(path)
        self.cells = code_cells(self.path)
        self.keys = [cell.key for cell in self.cells]
        self.answer_files = {f"<cell {cell.key}>" for cell in self.cells if cell.is_answer}
        self.outcomes = {}

    def __enter__(self):
        self._exits = contextlib.ExitStack()
        self.requests = Path(self._exits.enter_context(
            tempfile.TemporaryDirectory(prefix="cellrun-", dir=REQUESTS_FOLDER)))
        self._exits.enter_context(_working_directory(self.path.parent))
        self._exits.enter_context(contextlib.redirect_stdout(io.StringIO()))
        self._exits.enter_context(contextlib.redirect_stderr(io.StringIO()))
        self._exits.enter_context(warnings.catch_warnings())
        # Wrong answers overflow and divide by zero on purpose; their RuntimeWarnings are noise here.
        warnings.simplefilter("ignore", RuntimeWarning)
        self._exits.callback(plt.close, "all")
        self.trusted = trusted_imports([cell.source for cell in self.cells if not cell.is_answer and not cell.is_test])
        self.kernel = InProcessKernel(self.requests)
        self.test_namespace = {}
        return self

    def __exit__(self, *exception):
        return self._exits.__exit__(*exception)

    def go_on(self, start, replace, stop_after):
        """Run the cells from the one at index `start` to `stop_after` (the last when None), with `replace`'s
        sources; {key: Outcome} of the cells up to `stop_after`, those run before `start` included."""
        self.check(replace, stop_after)
        last = self.keys.index(stop_after) if stop_after else len(self.keys) - 1
        for cell in self.cells[start:last + 1]:
            self.run(cell, replace.get(cell.key, cell.source))
        return {key: self.outcomes[key] for key in self.keys[:last + 1]}

    def check(self, replace, stop_after):
        unknown = (set(replace) | ({stop_after} - {None})) - set(self.keys)
        if unknown:
            raise KeyError(f"{self.path} has no cells {sorted(unknown)}")

    def run(self, cell, source):
        if cell.is_test and not cell.is_answer:
            outcome = _judged(cell, judge(source, self.kernel, self.trusted, self.test_namespace, f"cell {cell.key}"))
        else:
            self.kernel.run(source, f"cell {cell.key}")
            error = self.kernel.error
            outcome = Outcome(cell.key, error, error and _blame(error, self.answer_files, cell.is_answer),
                              str(error) if error else "")
        self.outcomes[cell.key] = outcome
        return outcome


def _run_many_here(path, runs):
    """run_many's work, in a process of one thread."""
    if not hasattr(os, "fork"):  # Windows: every run from the first cell, one after the other
        results = []
        for replace, stop_after in runs:
            with NotebookRun(path) as run:
                results.append({key: _portable(outcome) for key, outcome in run.go_on(0, replace, stop_after).items()})
        return results
    results = [None] * len(runs)
    with NotebookRun(path) as run:
        forks_at = {}
        for number, (replace, stop_after) in enumerate(runs):
            run.check(replace, stop_after)
            first = min((run.keys.index(key) for key in replace), default=len(run.keys))
            forks_at.setdefault(first, []).append(number)
        for index in range(max(forks_at, default=-1) + 1):   # no further than the last run needs
            for number in forks_at.get(index, []):
                replace, stop_after = runs[number]
                results[number] = _in_a_fork(run, lambda: run.go_on(index, replace, stop_after))
            if index < len(run.cells):
                run.run(run.cells[index], run.cells[index].source)
    return results


def _in_a_fork(run, work):
    """work() in a forked copy of this process: its value, sent back pickled, or a RunDied saying what ended it."""
    before = set(run.requests.iterdir())
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        try:
            sent = {key: _portable(outcome) for key, outcome in work().items()}
        except BaseException as error:  # noqa: BLE001 (whatever ends the run is its result)
            sent = RunDied(f"{type(error).__name__}: {error}")
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(pickle.dumps(sent))
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        received = pipe.read()
    _, status = os.waitpid(pid, 0)
    # The copy's requests and answers to its kernel are numbered as this run's next ones would be.
    for left in set(run.requests.iterdir()) - before:
        left.unlink()
    return pickle.loads(received) if received else RunDied(f"the forked run ended without an answer (wait status {status})")


def _portable(outcome):
    """The outcome with an error that pickles back as it was, or else its description in a RunDied."""
    try:
        pickle.loads(pickle.dumps(outcome.error))
        return outcome
    except Exception:  # noqa: BLE001 (any exception class whose instances do not survive pickling)
        return Outcome(outcome.key, RunDied(f"{type(outcome.error).__name__}: {outcome.error}"), outcome.blame,
                       outcome.message, outcome.part, outcome.earned, outcome.cases)


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
