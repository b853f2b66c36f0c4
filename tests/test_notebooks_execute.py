"""Every source and lecture notebook runs top to bottom in a real Jupyter kernel, and
shows what its text promises: the headline figures, the plots, no flood of output.

The lectures are run here; an assignment's source notebook is read as nbgrader's autograde ran it
(the instructor's submission, tests/nbgrader_autograde.py), which is that same run."""

import functools
import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_core.paths import jupyter_runtime_dir
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.preprocessors import Execute
from nbgrader.validator import Validator

from autograder import cells
from autograder.authoring.execution import execute_notebook
from course_layout import ROOT, assignments, lecture_notebooks

pytestmark = pytest.mark.notebooks

# What an assignment's notebook prints ("train accuracy: 99.0 %"), and the range it must be in.
HEADLINES = {
    "a2_logistic_regression": {"train accuracy": (99.0, 100), "test accuracy": (70.0, 100)},
    "a3_shallow_network": {"logistic regression accuracy": (40.0, 55.0),
                           "accuracy with 4 hidden units": (90.0, 100)},
    "a4_deep_network": {"gradient check, correct backward pass": (0, 1e-7),
                        "gradient check, broken backward pass": (1e-3, float("inf"))},
    "a5_deep_cat_classifier": {"2-layer test accuracy": (72.0, 100), "4-layer train accuracy": (98.0, 100),
                               "4-layer test accuracy": (80.0, 100)},
}
# Cells that must draw a figure.
FIGURES = {
    "a2_logistic_regression": ["show-examples", "cost-curve", "learning-rate-study", "misclassified"],
    "a3_shallow_network": ["load-data", "baseline", "train", "hidden-size-sweep"],
    "a5_deep_cat_classifier": ["cost-curves", "misclassified"],
}
MAX_LINES_PER_CELL = 30


@functools.cache
def executed(path):
    started = time.perf_counter()
    notebook = execute_notebook(path)
    print(f"{path.relative_to(ROOT)}: executed in {time.perf_counter() - started:.1f} s")
    return notebook


@pytest.fixture
def run_by_nbgrader(autograded_by_nbgrader):
    """run_by_nbgrader(assignment): the source notebook, with the outputs of nbgrader's run of it."""
    return lambda assignment: autograded_by_nbgrader(assignment).notebook("instructor")


def printed(cell):
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output.output_type == "stream")


# A kernel's own view of how it is reached.
CONNECTION = """
import json
from ipykernel.connect import get_connection_info
info = get_connection_info(unpack=True)
print(json.dumps({"transport": info["transport"], "ip": info["ip"], "encrypted": bool(info.get("curve_publickey"))}))
"""


def test_the_kernels_the_course_starts_are_encrypted_on_private_sockets_and_say_nothing_of_it(tmp_path, capfd):
    """ipykernel 7 warns at every start of a kernel that talks in plain text over TCP: on the terminal of the
    set-up, of `nbgrader` and of Validate. The release build's kernels and nbgrader's (the course's
    nbgrader_config.py) get CurveZMQ keys instead; the student's are tested in test_edition. On Linux and
    macOS they listen on socket files in Jupyter's runtime folder, not on TCP ports that another process can
    take between the manager's choice and the kernel's bind (kernels.py, test_kernel_settings.py)."""
    path = tmp_path / "tiny.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(CONNECTION)]), path)
    config = cells.course_config(ROOT)
    release_build = json.loads(execute_notebook(path).cells[0].outputs[0]["text"])
    nbgrader_run = json.loads(Execute(config=config).preprocess(nbformat.read(path, as_version=4), {
        "metadata": {"path": str(tmp_path)}})[0].cells[0].outputs[0]["text"])
    assert Validator(config=config).validate(str(path)) == {}
    kernels_said = capfd.readouterr().err
    assert "without encryption" not in kernels_said, kernels_said

    for kernel in (release_build, nbgrader_run):
        assert kernel["encrypted"], kernel
        if os.name == "posix":
            assert kernel["transport"] == "ipc", kernel
            folder = Path(kernel["ip"]).parent
            assert folder == Path(jupyter_runtime_dir()) and folder.stat().st_mode & 0o777 == 0o700, kernel
            assert not list(folder.glob(Path(kernel["ip"]).name + "-*")), "the kernel's socket files are left"
    assert release_build["ip"] != nbgrader_run["ip"]


@pytest.mark.parametrize("path", lecture_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_lecture_executes_without_flooding(path):
    runs_without_flooding(executed(path))


@pytest.mark.parametrize("assignment", assignments())
def test_source_notebook_executes_without_flooding(assignment, run_by_nbgrader):
    notebook = run_by_nbgrader(assignment)
    errors = [(cell.get("id"), output.get("ename")) for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert not errors, f"cells raised: {errors}"
    runs_without_flooding(notebook)


def runs_without_flooding(notebook):
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code_cells), "some code cells did not run"
    flooding = {cell.id: len(printed(cell).splitlines()) for cell in code_cells
                if len(printed(cell).splitlines()) > MAX_LINES_PER_CELL}
    assert not flooding, f"cells print more than {MAX_LINES_PER_CELL} lines: {flooding}"


@pytest.mark.parametrize("assignment", sorted(HEADLINES))
def test_headline_figures_are_reached(assignment, run_by_nbgrader):
    text = "".join(printed(cell) for cell in run_by_nbgrader(assignment).cells)
    for label, (low, high) in HEADLINES[assignment].items():
        found = re.findall(rf"{label}:\s*([-+0-9.eE]+)", text)
        assert len(found) == 1, f"expected the notebook to print '{label}: ...' once; found {found}"
        assert low <= float(found[0]) <= high, f"{label} is {found[0]}; the notebook promises {low} to {high}"


@pytest.mark.parametrize("assignment", sorted(FIGURES))
def test_figures_are_drawn(assignment, run_by_nbgrader):
    cells = {cell.id: cell for cell in run_by_nbgrader(assignment).cells}
    for cell_id in FIGURES[assignment]:
        images = [o for o in cells[cell_id].outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"cell {cell_id} should draw one figure; it drew {len(images)}"
