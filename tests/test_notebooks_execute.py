"""Every source and lecture notebook runs top to bottom in a real Jupyter kernel."""

import time

import pytest

from autograder.execution import execute_notebook
from course_layout import ROOT, lecture_notebooks

NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb")) + lecture_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_executes(path):
    started = time.perf_counter()
    executed = execute_notebook(path)
    print(f"{path.relative_to(ROOT)}: executed in {time.perf_counter() - started:.1f} s")
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code_cells), "some code cells did not run"
