"""Where the course's notebooks are, and what the nbgrader metadata says about their cells."""

import shutil
from pathlib import Path

import nbformat

from autograder import cells

ROOT = Path(__file__).resolve().parent.parent


def assignments():
    return sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())


def _only_notebook(folder):
    notebooks = sorted(folder.glob("*.ipynb"))
    assert len(notebooks) == 1, f"expected one notebook in {folder}, found {notebooks}"
    return notebooks[0]


def source_notebook(assignment, root=ROOT):
    return _only_notebook(root / "source" / assignment)


def release_notebook(assignment, root=ROOT):
    return _only_notebook(root / "release" / assignment)


def lecture_notebooks():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def nbgrader_cells(path):
    """(cell, nbgrader metadata) for every cell that has nbgrader metadata."""
    notebook = nbformat.read(path, as_version=4)
    return [(cell, cells.grading_metadata(cell)) for cell in notebook.cells if cells.grading_metadata(cell)]


def exercises(path):
    """The grade_ids of the answer cells, in order."""
    return [meta["grade_id"] for cell, meta in nbgrader_cells(path) if cells.is_answer(cell)]


def grading_cells(path):
    """The grade_ids of the graded cells, in order."""
    return [meta["grade_id"] for _, meta in nbgrader_cells(path) if meta.get("grade")]


def cell_source(path, grade_id):
    for cell, meta in nbgrader_cells(path):
        if meta.get("grade_id") == grade_id:
            return cell.source
    raise KeyError(f"{path} has no cell {grade_id}")


def release_with_answers(assignment, done, root=ROOT):
    """The release notebook with the instructor's answers pasted into the answer cells named in `done`
    (of the course at `root`: this one, or a copy of the fixture course, tests/grading_course.py)."""
    solutions = {meta["grade_id"]: cell.source for cell, meta in nbgrader_cells(source_notebook(assignment, root))}
    notebook = nbformat.read(release_notebook(assignment, root), as_version=4)
    for cell in notebook.cells:
        if cells.grade_id(cell) in done:
            cell.source = solutions[cells.grade_id(cell)]
    return notebook


def student_copy(assignment, done, folder):
    """A student's folder: the release's files, with the instructor's answers in the cells named in `done`.

    Returns the path of the notebook in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    release = release_notebook(assignment).parent
    for given in release.iterdir():
        if given.is_file() and given.suffix != ".ipynb":
            shutil.copyfile(given, folder / given.name)
    path = folder / release_notebook(assignment).name
    nbformat.write(release_with_answers(assignment, done), path)
    return path
