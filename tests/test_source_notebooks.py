"""Source notebooks are stored so that releases are deterministic and grading is well formed."""

import ast
import json
import re

import pytest

from course_layout import ROOT, assignments, lecture_notebooks, nbgrader_cells, source_notebook

STORED = sorted((ROOT / "source").glob("*/*.ipynb")) + lecture_notebooks()


@pytest.mark.parametrize("path", STORED, ids=lambda p: str(p.relative_to(ROOT)))
def test_stored_unexecuted_with_stable_ids(path):
    notebook = json.loads(path.read_text())
    ids = []
    for cell in notebook["cells"]:
        ids.append(cell.get("id"))
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {cell.get('id')} has outputs"
            assert cell["execution_count"] is None, f"cell {cell.get('id')} has an execution count"
        assert "execution" not in cell.get("metadata", {}), f"cell {cell.get('id')} has execution metadata"
    assert None not in ids and len(set(ids)) == len(ids), "every cell needs a unique id"
    assert not [i for i in ids if re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|cell-[0-9a-f]+", i)], \
        "cell ids should say what the cell is, not be random"


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
