"""Source notebooks are stored so that releases are deterministic and grading is well formed."""

import ast
import json
import uuid

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from autograder.authoring.tidy import is_random, tidy

from course_layout import ROOT, assignments, lecture_notebooks, nbgrader_cells, source_notebook

STORED = sorted((ROOT / "source").glob("*/*.ipynb")) + lecture_notebooks()


@pytest.mark.parametrize("path", STORED, ids=lambda p: str(p.relative_to(ROOT)))
def test_stored_unexecuted_with_stable_ids(path):
    fix = f"run `python3 course.py tidy {path.relative_to(ROOT)}`"
    notebook = json.loads(path.read_text())
    ids = []
    for cell in notebook["cells"]:
        ids.append(cell.get("id"))
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {cell.get('id')} has outputs: {fix}"
            assert cell["execution_count"] is None, f"cell {cell.get('id')} has an execution count: {fix}"
        assert "execution" not in cell.get("metadata", {}), f"cell {cell.get('id')} has execution metadata: {fix}"
    assert None not in ids and len(set(ids)) == len(ids), "every cell needs a unique id"
    assert not [i for i in ids if is_random(i)], f"cell ids should say what the cell is, not be random: {fix}"


def _edited_in_jupyterlab():
    """A source notebook as JupyterLab leaves it after an instructor adds an exercise and runs it."""
    notebook = nbformat.read(source_notebook("a1_single_neuron"), as_version=4)
    added = [new_markdown_cell("### 1.4 The ReLU\n\n**Exercise.** Implement `relu(x)`."),
             new_code_cell("def relu(x):\n    ### BEGIN SOLUTION\n    return np.maximum(x, 0)\n    ### END SOLUTION"),
             new_code_cell("check_array('relu(x)', relu(np.array([[-1.0, 2.0]])), [[0.0, 2.0]])"),
             new_code_cell("z = np.linspace(-3, 3)\nplt.plot(z, relu(z))"), new_markdown_cell("## Imports")]
    added[1].metadata["nbgrader"] = {"grade_id": "relu", "solution": True, "grade": False, "locked": False}
    added[2].metadata["nbgrader"] = {"grade_id": "relu_tests", "solution": False, "grade": True, "points": 1}
    added[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="a figure")]
    added[3].execution_count = 7
    for cell in added:
        cell["id"] = str(uuid.uuid4())
    added[4]["id"] = "cell-0af3"
    notebook.cells[4:4] = added
    return notebook


def test_tidy_names_new_cells_and_clears_outputs_and_changes_nothing_else():
    notebook = _edited_in_jupyterlab()
    before = [(cell.cell_type, cell.source, cell.metadata) for cell in notebook.cells]
    changes = tidy(notebook)
    assert [cell.id for cell in notebook.cells[4:9]] == ["1-4-the-relu", "relu", "relu_tests", "z", "imports-2"]
    assert [(cell.cell_type, cell.source, cell.metadata) for cell in notebook.cells] == before
    assert notebook.cells[7].outputs == [] and notebook.cells[7].execution_count is None
    assert len(changes) == 6 and "cleared the outputs of 1 cells" in changes
    assert tidy(notebook) == [], "tidying twice changes nothing"
    assert len({cell.id for cell in notebook.cells}) == len(notebook.cells)


@pytest.mark.parametrize("assignment", assignments())
def test_every_answer_cell_is_followed_by_its_test_cell(assignment):
    cells = nbgrader_cells(source_notebook(assignment))
    answers = [meta["grade_id"] for _, meta in cells if meta.get("solution")]
    tests = {meta["grade_id"]: meta for _, meta in cells if meta.get("grade")}
    assert answers, "no graded exercises"
    for name in answers:
        test = tests.get(f"{name}_tests")
        assert test is not None, f"{name} has no test cell {name}_tests"
        assert test["points"] > 0 and test["locked"], f"{name}_tests must be locked and worth points"
    order = [meta["grade_id"] for _, meta in cells if meta.get("solution") or meta.get("grade")]
    for name in answers:
        assert order.index(f"{name}_tests") > order.index(name), f"{name}_tests comes before {name}"
    assert not [t for t in tests if t[: -len("_tests")] not in answers], "a test cell without an answer cell"


@pytest.mark.parametrize("assignment", assignments())
def test_answer_cells_show_signature_and_docstring(assignment):
    for cell, meta in nbgrader_cells(source_notebook(assignment)):
        if not meta.get("solution"):
            continue
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source, meta["grade_id"]
        before_solution = cell.source.split("### BEGIN SOLUTION")[0]
        functions = [n for n in ast.parse(cell.source).body if isinstance(n, ast.FunctionDef)]
        if functions:
            assert f"def {meta['grade_id']}(" in before_solution, f"{meta['grade_id']}: the def line must stay visible"
            assert ast.get_docstring(functions[0]), f"{meta['grade_id']}: needs a docstring saying what to return"
            assert '"""' in before_solution, f"{meta['grade_id']}: the docstring must stay visible"


@pytest.mark.parametrize("assignment", assignments())
def test_hidden_tests_come_after_visible_checks(assignment):
    for cell, meta in nbgrader_cells(source_notebook(assignment)):
        if meta.get("grade"):
            visible, _, hidden = cell.source.partition("### BEGIN HIDDEN TESTS")
            assert visible.strip(), f"{meta['grade_id']}: no visible checks"
            assert hidden.strip() and "### END HIDDEN TESTS" in hidden, f"{meta['grade_id']}: no hidden tests"
