"""From whatever a student handed in to the notebook that is graded, and what was wrong with it.

A submitted notebook is read without trusting anything in it, then rebuilt on the release
notebook: the course's cells in the course's order, the student's answers in the exercise
cells, the course's own test cells (a deleted or edited one is put back), the student's
own added cells after the cell they followed. What had to be repaired is noted; what can
only be deliberate (edited tests, changed nbgrader metadata) is reported as tampering.
"""

import copy
import json
from dataclasses import dataclass, field

import nbformat

from ..cells import grading_metadata, is_solution, is_test
from . import hand_in

GRADING_FIELDS = ("grade", "solution", "locked", "points", "task")
MAX_NESTING = 64   # a notebook saved by JupyterLab nests about 8 levels; widget state a few more


class Unreadable(ValueError):
    """The file is not a notebook we can grade; the message says why, in one line."""


@dataclass
class Intake:
    cells: list                               # the notebook to grade (nbformat cells)
    notes: list = field(default_factory=list)      # repairs, for the record's reason
    tampering: list = field(default_factory=list)  # what can only have been done on purpose


def read_notebook(path, max_bytes=hand_in.MAX_NOTEBOOK_MB * 2**20):
    """The notebook at `path` as nbformat 4, or Unreadable."""
    try:
        data = hand_in.read_file(path, max_bytes)
    except hand_in.Refused as refused:
        raise Unreadable(str(refused)) from None
    if not data.strip():
        raise Unreadable(f"{path.name} is empty")
    try:
        raw = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise Unreadable(f"{path.name} is JSON nested too deeply to be a notebook") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise Unreadable(f"{path.name} is not valid JSON ({str(error)[:120]})") from None
    depth = nesting_depth(raw)
    if depth > MAX_NESTING:
        raise Unreadable(f"{path.name} is JSON nested {depth} levels deep; a notebook needs far fewer "
                         f"(the limit is {MAX_NESTING})")
    if not isinstance(raw, dict) or not isinstance(raw.get("nbformat"), int):
        raise Unreadable(f"{path.name} is JSON but not a notebook (no nbformat version)")
    if raw["nbformat"] not in (3, 4):
        raise Unreadable(f"{path.name} is in nbformat {raw['nbformat']}, which cannot be converted; "
                         "save it from JupyterLab again")
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as error:  # nbformat raises many kinds for a damaged notebook
        raise Unreadable(f"{path.name} is a damaged notebook ({type(error).__name__}: {str(error)[:120]})") from None
    if not all(isinstance(cell, dict) and "source" in cell and "cell_type" in cell for cell in notebook.get("cells", [])):
        raise Unreadable(f"{path.name} has cells without a type or source")
    return notebook, raw["nbformat"]


def nesting_depth(value):
    """How deeply lists and dicts nest in a JSON value, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is not None:
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _key(cell):
    meta = grading_metadata(cell)
    if meta and meta.get("grade_id"):
        return ("grade_id", str(meta["grade_id"]))
    return ("cell_id", str(cell.get("id", ""))) if cell.get("id") else None


def rebuild(student, release):
    """The Intake for a student's notebook, built on the release notebook."""
    intake = Intake(cells=[])
    release_keys = [_key(cell) for cell in release.cells]
    by_key = dict(zip(release_keys, release.cells))
    matched, attached, last, order = {}, {None: []}, None, []
    unmatched_given = {"".join(cell.source): key for key, cell in by_key.items()
                       if key and not grading_metadata(cell)}
    graded_by_cell_id = {cell.get("id"): key for key, cell in by_key.items() if key and key[0] == "grade_id"}

    for cell in student.cells:
        key = _key(cell)
        if key not in by_key and not grading_metadata(cell):
            key = unmatched_given.get("".join(cell.source), key)   # a copy saved without cell ids
        if key in by_key and key not in matched:
            matched[key] = cell
            order.append(key)
            last = key
            unmatched_given.pop("".join(by_key[key].source), None)
            continue
        meta = grading_metadata(cell)
        if key in matched and key[0] == "grade_id":
            intake.notes.append(f"cell {key[1]} appears twice; the first copy was graded")
        elif meta and meta.get("grade"):
            intake.tampering.append(f"a test cell {meta.get('grade_id')!r} that the course does not have")
        elif cell.get("id") in graded_by_cell_id and not meta:
            intake.tampering.append(f"the nbgrader metadata of cell {graded_by_cell_id[cell['id']][1]} was removed")
        added = copy.deepcopy(cell)
        added.get("metadata", {}).pop("nbgrader", None)
        attached.setdefault(last, []).append(added)

    course_order = [key for key in release_keys if key in matched]
    if order != course_order:
        intake.notes.append("cells were moved; they were graded in the course's order")

    intake.cells.extend(attached[None])
    for key, given in zip(release_keys, release.cells):
        intake.cells.append(_choose(given, matched.get(key), key, intake))
        intake.cells.extend(attached.get(key, []) if key is not None else [])
    return intake


def _choose(given, theirs, key, intake):
    """The version of a release cell that is graded."""
    name = key[1] if key else "?"
    if theirs is not None and grading_metadata(given):
        changed = [f for f in GRADING_FIELDS
                   if (grading_metadata(theirs) or {}).get(f) != grading_metadata(given).get(f)]
        if changed:
            intake.tampering.append(f"the nbgrader metadata of cell {name} was changed ({', '.join(changed)})")
    elif theirs is not None and grading_metadata(theirs):
        intake.tampering.append(f"cell {name} was given nbgrader metadata")
    if is_test(given):
        if theirs is None:
            intake.notes.append(f"the deleted test cell {name} was put back")
        elif "".join(theirs.source) != "".join(given.source):
            intake.tampering.append(f"the test cell {name} was edited (the course's version was graded)")
        return copy.deepcopy(given)
    if theirs is None:
        if is_solution(given):
            intake.notes.append(f"the exercise cell {name} was deleted; its starter code was graded")
        elif given.cell_type == "code":
            intake.notes.append("a deleted cell of the course's code was put back")
        return copy.deepcopy(given)
    if grading_metadata(given) and grading_metadata(given).get("locked") and not is_solution(given):
        return copy.deepcopy(given)
    chosen = copy.deepcopy(given)
    chosen.source = "".join(theirs.source) if isinstance(theirs.source, list) else str(theirs.source)
    return chosen
