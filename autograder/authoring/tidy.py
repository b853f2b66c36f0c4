"""Put an edited notebook back into the form the course stores: no outputs, and cell ids that say what the cell is.

JupyterLab gives every new cell a random id and keeps outputs on save. Stored notebooks
have neither, so releases are reproducible and diffs readable. An nbgrader cell's id is its
grade_id; any other new cell is named after its heading, the function it defines, the name
it assigns, or its first words.
"""

import re
from pathlib import Path

import nbformat

from ..cells import grade_id

RANDOM_ID = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|cell-[0-9a-f]+|[0-9a-f]{8}")
WORD = re.compile(r"[a-z0-9]+")


def is_random(cell_id):
    return cell_id is None or RANDOM_ID.fullmatch(cell_id) is not None


def _named_after(cell):
    text = cell.source
    if cell.cell_type == "code":
        found = (re.search(r"^def\s+(\w+)", text, re.MULTILINE)
                 or re.search(r"^(\w+)\s*(?:,\s*\w+\s*)*=", text, re.MULTILINE))
        if found:
            return found.group(1)
    heading = re.search(r"^#+\s*(.+)$", text, re.MULTILINE)
    if heading:
        text = heading.group(1)
    words = WORD.findall(text.lower().replace("_", " "))
    return "-".join(words[:4]) or cell.cell_type


def tidy(notebook):
    """Tidy a notebook node in place; return what changed, in words."""
    changes = []
    cleared = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None
                                         or "execution" in cell.metadata):
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
            cleared += 1
    if cleared:
        changes.append(f"cleared the outputs of {cleared} cells")

    grade_ids = {grade_id(cell) for cell in notebook.cells} - {None}
    taken = grade_ids | {cell.get("id") for cell in notebook.cells if not is_random(cell.get("id"))}
    for cell in notebook.cells:
        name = grade_id(cell) or None
        if name is None and is_random(cell.get("id")):
            base = _named_after(cell)[:60]
            name, number = base, 2
            while name in taken:
                name, number = f"{base}-{number}", number + 1
            taken.add(name)
        if name and cell.get("id") != name:
            changes.append(f"cell {cell.get('id')} is now {name}" + (" (its grade_id)" if grade_id(cell) else ""))
            cell["id"] = name
    return changes


def tidy_file(path):
    """Tidy the notebook at `path`, writing it back only if something changed; return the changes."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    changes = tidy(notebook)
    if changes:
        nbformat.write(notebook, path)
    return changes
