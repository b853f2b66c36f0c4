"""What the course's source notebooks say about their exercises."""

import ast
from pathlib import Path

import nbformat

from .intake import grading_metadata


def answer_cells(notebook):
    """The cells a student answers in: nbgrader solution cells that are not graded tests."""
    return [cell for cell in notebook.cells
            if (meta := grading_metadata(cell)) and meta.get("solution") and not meta.get("grade")]


def graded_functions(root, assignment):
    """The names of the functions students write in `assignment`'s answer cells."""
    names = set()
    for path in sorted((Path(root) / "source" / assignment).glob("*.ipynb")):
        for cell in answer_cells(nbformat.read(path, as_version=4)):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            names |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return names
