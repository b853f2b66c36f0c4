"""Run a notebook's code cells in this Python process, with chosen cells' sources replaced.

Much faster than a kernel, which matters when the same notebook runs once for every
entry of the answer corpus. Each cell is compiled under the name `<cell KEY>` (KEY is the
nbgrader grade_id, else the cell id), so a traceback tells whose code raised:

- "student": the error passed through an answer (solution) cell, e.g. a TypeError from
  `math.exp` on an array, or the release's NotImplementedError;
- "check":   an AssertionError raised by the tests themselves: a verdict;
- "test":    any other error in test code: a bug in the tests, never acceptable.
"""

import contextlib
import io
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

import tiers  # noqa: E402


@dataclass
class Cell:
    key: str
    source: str
    is_answer: bool
    is_test: bool


@dataclass
class Outcome:
    key: str
    error: BaseException | None
    blame: str | None  # None when the cell ran without error

    @property
    def passed(self):
        return self.error is None

    def describe(self):
        if self.passed:
            return f"{self.key}: passed"
        return f"{self.key}: {type(self.error).__name__} ({self.blame}): {self.error}"


def code_cells(path):
    cells = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        cells.append(Cell(key=meta.get("grade_id") or cell.get("id"), source=cell.source,
                          is_answer=bool(meta.get("solution")), is_test=bool(meta.get("grade"))))
    return cells


def run_notebook(path, replace=None, stop_after=None):
    """Run the code cells of the notebook at `path`; return {key: Outcome} in cell order.

    `replace` maps keys to new sources; `stop_after` names the last cell to run.
    Like nbgrader, a failing cell does not stop the run.
    """
    tiers.require(("notebooks", "grading"), f"runs the notebook {Path(path).name} (tests/cellrun.py)")
    path = Path(path)
    replace = dict(replace or {})
    cells = code_cells(path)
    unknown = set(replace) - {cell.key for cell in cells}
    if unknown:
        raise KeyError(f"{path} has no cells {sorted(unknown)}")
    answer_files = {f"<cell {cell.key}>" for cell in cells if cell.is_answer}
    namespace = {"__name__": "__main__"}
    outcomes = {}
    # Wrong answers overflow and divide by zero on purpose; their RuntimeWarnings are noise here.
    with _working_directory(path.parent), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            for cell in cells:
                source = replace.get(cell.key, cell.source)
                try:
                    exec(compile(source, f"<cell {cell.key}>", "exec"), namespace)
                except Exception as error:  # noqa: BLE001 (every failure is recorded and judged)
                    outcomes[cell.key] = Outcome(cell.key, error, _blame(error, answer_files, cell.is_answer))
                else:
                    outcomes[cell.key] = Outcome(cell.key, None, None)
                if cell.key == stop_after:
                    break
        finally:
            plt.close("all")
    return outcomes


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
    before = os.getcwd()
    folder = Path(folder).resolve()
    os.chdir(folder)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        os.chdir(before)
        sys.path.remove(str(folder))
        for name, module in list(sys.modules.items()):
            if Path(getattr(module, "__file__", None) or "/").resolve().parent == folder:
                del sys.modules[name]
