"""release/ is exactly what nbgrader makes from source/, and gives nothing away."""

import ast
import filecmp
import re
import shutil

import nbformat
import pytest

from autograder.authoring.nbgrader_course import generate_assignment
from cellrun import code_cells, run_notebook
from course_layout import ROOT, assignments, exercises, nbgrader_cells, release_notebook, source_notebook


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    for name in assignments():
        generate_assignment(course, name)
    return course / "release"


def test_committed_release_equals_a_fresh_one_byte_for_byte(regenerated):
    # Python's byte-code caches, which nbgrader and git ignore too, appear when a test imports a helper file.
    comparison = filecmp.dircmp(ROOT / "release", regenerated, ignore=["__pycache__", ".ipynb_checkpoints"])
    differences = []

    def collect(c, prefix=""):
        differences.extend(f"only in committed release: {prefix}{n}" for n in c.left_only)
        differences.extend(f"missing from committed release: {prefix}{n}" for n in c.right_only)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        differences.extend(f"differs: {prefix}{n}" for n in mismatch + errors)
        for name, sub in c.subdirs.items():
            collect(sub, f"{prefix}{name}/")

    collect(comparison)
    assert not differences, "release/ is out of date; run `python3 course.py release`:\n" + "\n".join(differences)


def _solution_lines(source):
    lines = []
    for region in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, flags=re.S):
        lines += [line.strip() for line in region.splitlines() if len(line.strip()) > 12]
    return lines


@pytest.mark.parametrize("assignment", assignments())
def test_release_gives_away_no_solutions_hidden_tests_or_outputs(assignment):
    release = nbformat.read(release_notebook(assignment), as_version=4)
    text = "\n".join(cell.source for cell in release.cells)
    for marker in ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "autograder"]:
        assert marker not in text, f"the release contains {marker!r}"
    source_cells = {meta["grade_id"]: cell.source for cell, meta in nbgrader_cells(source_notebook(assignment))}
    released = {meta["grade_id"]: cell.source for cell, meta in nbgrader_cells(release_notebook(assignment))}
    assert released.keys() == source_cells.keys()
    for grade_id, source in source_cells.items():
        leaked = [line for line in _solution_lines(source) if line in released[grade_id]]
        assert not leaked, f"{grade_id}: solution lines in the release: {leaked}"
    for cell in release.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def unfinished(outcome):
    """The cell failed only because an exercise is not done yet."""
    return (outcome.blame == "student" and (isinstance(outcome.error, NotImplementedError)
                                            or "is not written yet (it raises NotImplementedError)" in outcome.message)
            or (outcome.blame == "check" and "not defined: fill in the exercise cell above" in outcome.message))


def assigned_names(source):
    """The names a cell defines at its top level."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in filter(None, targets):
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


@pytest.mark.notebooks
@pytest.mark.parametrize("assignment", assignments())
def test_every_exercise_fails_only_as_unfinished_in_the_untouched_release(assignment):
    path = release_notebook(assignment)
    outcomes = run_notebook(path)
    for name in exercises(source_notebook(assignment)):
        answer, test = outcomes[name], outcomes[f"{name}_tests"]
        assert answer.passed or isinstance(answer.error, NotImplementedError), \
            f"{name} on the untouched release: {answer.describe()}"
        assert unfinished(test), f"{name}_tests on the untouched release: {test.describe()}"
    # Later cells may wait for the exercises too (or for a name an unfinished cell defines once
    # it is done, as in the source), but nothing may fail for another reason.
    sources = {cell.key: cell.source for cell in code_cells(source_notebook(assignment))}
    undefined = set()
    broken = []
    for key, outcome in outcomes.items():
        if outcome.passed:
            continue
        if not (unfinished(outcome) or (isinstance(outcome.error, NameError) and outcome.error.name in undefined)):
            broken.append(outcome.describe())
        undefined |= assigned_names(sources[key])
    assert not broken, "cells fail in the untouched release for a reason other than an unfinished exercise"


@pytest.fixture
def course_copy(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copytree(ROOT / "release", tmp_path / "release")
    return tmp_path


def _snapshot(folder):
    return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.notebooks  # the release runs the source notebook first, in a kernel
def test_a_source_whose_tests_fail_is_not_released(course_copy):
    from autograder.authoring.execution import NotebookFailed
    from autograder.authoring.release import build_release

    name = assignments()[0]
    notebook_path = course_copy / "source" / name / source_notebook(name).name
    notebook = nbformat.read(notebook_path, as_version=4)
    first_answer = exercises(notebook_path)[0]
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == first_answer:
            cell.source = cell.source.replace("### BEGIN SOLUTION", "### BEGIN SOLUTION\n    return None")
    nbformat.write(notebook, notebook_path)
    before = _snapshot(course_copy / "release")

    with pytest.raises(NotebookFailed, match=f"{first_answer}_tests"):
        build_release(course_copy, [name], log=lambda line: None)
    assert _snapshot(course_copy / "release") == before


def test_a_failed_generation_puts_the_previous_release_back(course_copy, monkeypatch):
    import autograder.authoring.release
    from autograder.authoring.nbgrader_course import NbgraderFailed

    name = assignments()[0]
    before = _snapshot(course_copy / "release")

    def generation_that_fails_half_way(root, assignment):
        shutil.rmtree(root / "release" / assignment)  # what --force does first
        raise NbgraderFailed("simulated failure")

    monkeypatch.setattr(autograder.authoring.release, "generate_assignment", generation_that_fails_half_way)
    with pytest.raises(NbgraderFailed):
        autograder.authoring.release.build_release(course_copy, [name], check=False, log=lambda line: None)
    assert _snapshot(course_copy / "release") == before


def test_release_tidies_a_source_left_as_jupyterlab_saves_it(course_copy):
    from autograder.authoring.release import build_release

    name = assignments()[0]
    notebook_path = course_copy / "source" / name / source_notebook(name).name
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells[1]["id"] = "0b6f1c9e-52a4-4d8e-9a51-2f0f4c1e7d3a"
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="left over")]
    nbformat.write(notebook, notebook_path)
    said = []

    build_release(course_copy, [name], check=False, log=said.append)
    tidied = nbformat.read(notebook_path, as_version=4)
    assert tidied.cells[1].id == "import-math-import-time" and tidied.cells[1].outputs == []
    assert any("tidied" in line and "is now import-math-import-time" in line for line in said), said
    released = nbformat.read(course_copy / "release" / name / release_notebook(name).name, as_version=4)
    assert released.cells[1].id == "import-math-import-time" and released.cells[1].outputs == []


def _defined_functions(path):
    return {node.name for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.FunctionDef)}


def test_no_importable_file_holds_the_solutions_of_its_own_or_a_later_assignment():
    """Helper files may give students an earlier assignment's solutions (assignment 5 gets
    assignment 4's), never those of the assignment they sit in or of one still to come."""
    order = assignments()
    graded = {name: set(exercises(source_notebook(name))) for name in order}
    for path in sorted((ROOT / "edition" / "nncourse").rglob("*.py")):
        leaked = _defined_functions(path) & set().union(*graded.values())
        assert not leaked, f"{path.relative_to(ROOT)} defines graded functions: {sorted(leaked)}"
    for top in ("source", "release"):
        for path in sorted((ROOT / top).glob("*/*.py")):
            current = order.index(path.parent.name)
            not_yet_given = set().union(*(graded[name] for name in order[current:]))
            leaked = _defined_functions(path) & not_yet_given
            assert not leaked, f"{path.relative_to(ROOT)} defines {sorted(leaked)}, graded in this or a later assignment"
