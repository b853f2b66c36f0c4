"""The student edition as a student gets it: published into a scratch folder, set up with the
README's command on this machine's Python, and used with no access to the course folder."""

import importlib.util
import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.authoring.publish import publish
from course_layout import ROOT, exercises, release_notebook, release_with_answers, source_notebook
from grading_course import grade, throwaway_course
from student_edition import student_command, student_env

A1, A2 = "a1_single_neuron", "a2_logistic_regression"


@pytest.fixture(scope="module")
def edition(student_edition):
    return student_edition.folder


def in_edition(edition, code, cwd=None):
    return subprocess.run([str(edition / ".venv" / "bin" / "python"), "-c", code], cwd=cwd or edition,
                          capture_output=True, text=True, env=student_env())


def complete(edition, assignment):
    path = edition / "assignments" / assignment / release_notebook(assignment).name
    nbformat.write(release_with_answers(assignment, set(exercises(source_notebook(assignment)))), path)
    return path


def test_setup_says_which_python_it_used_and_installs_the_student_package_only(student_edition, edition):
    version = ".".join(map(str, sys.version_info[:2]))
    assert f"Using Python {version}: " in student_edition.setup_output
    assert "Set-up done" in student_edition.setup_output
    # pip 26 passes on the build backend's warnings: setuptools' about an editable install must not scare anyone
    assert "BuildBackendWarning" not in student_edition.setup_errors, student_edition.setup_errors[-2000:]
    found = in_edition(edition, "import nncourse, nbgrader, nbdime; print(nncourse.__file__)")
    assert found.returncode == 0 and found.stdout.strip().startswith(str(edition)), found
    for absent in ["autograder", "playwright", "pytest"]:
        missing = in_edition(edition, f"import {absent}")
        assert "ModuleNotFoundError" in missing.stderr, f"the student's environment has {absent}"


def test_the_notebooks_load_the_data_from_an_assignment_folder(edition):
    loaded = in_edition(edition, "from nncourse.datasets import load_cat_dataset\n"
                                 "x, y, tx, ty, classes = load_cat_dataset()\n"
                                 "print(x.shape, y.shape, tx.shape, ty.shape)",
                        cwd=edition / "assignments" / A2)
    assert loaded.stdout.strip() == "(209, 64, 64, 3) (1, 209) (50, 64, 64, 3) (1, 50)", loaded.stderr


def test_validate_passes_a_completed_notebook_and_lists_the_unfinished_exercises(edition):
    complete(edition, A1)
    passed = student_command(edition, "validate", A1)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Success!" in passed.stdout
    # No warning: neither the kernel's that it talks in plain text, nor nbgrader's of a missing config file.
    assert "WARNING" not in passed.stderr, passed.stderr

    unfinished = student_command(edition, "validate", A2)
    assert unfinished.returncode == 1
    listed = [line.strip().split(":")[0] for line in unfinished.stdout.splitlines() if line.startswith("  ")]
    assert listed == [f"{name}_tests" for name in exercises(source_notebook(A2))], unfinished.stdout
    assert "NotImplementedError" in unfinished.stdout

    started = student_command(edition, "validate", "--started")
    assert started.returncode == 0 and f"{A1}" in started.stdout and A2 not in started.stdout, started.stdout


def test_validate_on_a_missing_or_non_notebook_file_says_so(edition, tmp_path):
    missing = student_command(edition, "validate", "assignments/nothing_here.ipynb")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    text = tmp_path / "notes.ipynb"
    text.write_text("these are my notes, not a notebook")
    broken = student_command(edition, "validate", str(text))
    assert broken.returncode == 2 and "is not a notebook that Jupyter can open" in broken.stderr
    assert text.read_text() == "these are my notes, not a notebook"
    unknown = student_command(edition, "validate", "a9")
    assert unknown.returncode == 2 and "no assignment 'a9'" in unknown.stderr


def test_update_keeps_the_students_answers_and_brings_the_instructors_change(edition, tmp_path):
    started = complete(edition, A1)
    answers = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in nbformat.read(started, 4).cells
               if cell.metadata.get("nbgrader", {}).get("solution")}
    course = tmp_path / "course"
    for name in ["source", "release", "notebooks", "edition"]:
        shutil.copytree(ROOT / name, course / name, ignore=shutil.ignore_patterns("*.h5", "*.egg-info"))
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copy(ROOT / "constraints.txt", course)
    release = course / "release" / A1 / release_notebook(A1).name
    notebook = nbformat.read(release, as_version=4)
    corrected = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    corrected.source += "\n\n*Corrected after the first release.*"
    nbformat.write(notebook, release)
    republished = tmp_path / "republished"
    shutil.copytree(edition, republished, ignore=shutil.ignore_patterns(".venv", "*.h5"))
    for folder in ["assignments", "notebooks"]:  # the instructor's edition holds no student's work
        shutil.rmtree(republished / folder)
        shutil.copytree(edition / ".edition" / "base" / folder, republished / folder)
    publish(course, republished, allow=True, log=lambda line: None)

    updated = student_command(edition, "update", str(republished))
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert f"assignments/{A1}/{release_notebook(A1).name}" in updated.stdout
    merged = nbformat.read(started, as_version=4)
    assert "*Corrected after the first release.*" in merged.cells[notebook.cells.index(corrected)].source
    kept = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in merged.cells
            if cell.metadata.get("nbgrader", {}).get("solution")}
    assert kept == answers
    untouched = edition / "assignments" / A2 / release_notebook(A2).name
    assert untouched.read_bytes() == (republished / "assignments" / A2 / release_notebook(A2).name).read_bytes()


@pytest.mark.grading
def test_the_grader_grades_a_notebook_completed_in_the_edition(edition, tmp_path):
    completed = complete(edition, A1)
    course = throwaway_course(tmp_path / "course", [A1])
    handed_in = tmp_path / "submitted" / "student" / A1
    handed_in.mkdir(parents=True)
    shutil.copy(completed, handed_in)
    done, records = grade(course, tmp_path / "submitted", tmp_path / "results", "--assignment", A1)
    record = records[("student", A1)]
    assert record["status"] == "graded", done.stderr
    assert record["score"] == record["max_score"] > 0


def load_student_command():
    spec = importlib.util.spec_from_file_location("student_course", ROOT / "edition" / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_python(folder, name, version):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def test_the_student_command_finds_a_supported_python_or_says_which_it_needs(tmp_path, monkeypatch):
    command = load_student_command()
    monkeypatch.setattr(sys, "version_info", (3, 10, 4, "final", 0))
    monkeypatch.setattr(sys, "version", "3.10.4 (main)")
    fakes = tmp_path / "bin"
    fake_python(fakes, "python3.12", "3 12")
    monkeypatch.setenv("PATH", str(fakes))
    assert command.find_python() == ([str(fakes / "python3.12")], (3, 12))

    (fakes / "python3.12").unlink()
    fake_python(fakes, "python3.13", "3 9")  # a broken install that answers with another version
    with pytest.raises(command.Failed) as refused:
        command.find_python()
    assert "needs Python 3.11, 3.12 or 3.13; this is 3.10.4" in str(refused.value)
    assert "tried: " + str(fakes / "python3.13") in str(refused.value)


def test_the_student_command_on_windows_asks_the_py_launcher(monkeypatch):
    command = load_student_command()
    monkeypatch.setattr(command, "WINDOWS", True)
    assert command.candidate_pythons() == [["py", "-3.13"], ["py", "-3.12"], ["py", "-3.11"]]


def test_student_commands_before_setup_say_what_to_run(tmp_path):
    shutil.copy(ROOT / "edition" / "course.py", tmp_path)
    for args in (["lab"], ["validate", A1], ["update"], ["data"]):
        result = subprocess.run([sys.executable, "course.py", *args], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 1 and "run `python3 course.py setup` first" in result.stderr, result.stderr


def test_the_edition_record_names_every_published_file(edition):
    record = json.loads((edition / ".edition" / "edition.json").read_text())
    assert record["course"] == "neurons-to-networks"
    assert f"assignments/{A1}/{release_notebook(A1).name}" in record["files"]


def test_the_student_package_installed_by_pip_alone_serves_notebooks_run_from_the_edition(edition, tmp_path):
    """As on JupyterHub, Colab or conda: `pip install .` (not editable) into another environment, then the
    notebooks are opened from the edition's folder, where the data are found."""
    site = tmp_path / "site-packages"
    installed = subprocess.run([str(edition / ".venv" / "bin" / "python"), "-m", "pip", "install", "--no-deps", "-q",
                                "--target", str(site), str(edition)], capture_output=True, text=True,
                               env=student_env())
    assert installed.returncode == 0, installed.stderr
    assert (site / "nncourse" / "datasets.py").is_file() and not (site / "autograder").exists()
    loaded = subprocess.run([str(edition / ".venv" / "bin" / "python"), "-c",
                             "import nncourse\nfrom nncourse.datasets import load_cat_dataset\n"
                             "print(nncourse.__file__)\nprint(load_cat_dataset()[0].shape)"],
                            cwd=edition / "assignments" / A2, capture_output=True, text=True,
                            env=student_env(PYTHONPATH=str(site)))
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.splitlines() == [str(site / "nncourse" / "__init__.py"), "(209, 64, 64, 3)"]


def test_validate_started_counts_a_notebook_checked_out_with_windows_line_ends_as_untouched(edition):
    record = json.loads((edition / ".edition" / "edition.json").read_text())
    relative = f"assignments/{A2}/{release_notebook(A2).name}"
    path = edition / relative
    original = path.read_bytes()
    try:
        path.write_bytes(original.replace(b"\n", b"\r\n"))
        from nncourse.validate import started_notebooks
        assert path not in started_notebooks(edition), "a CRLF checkout is not a started notebook"
        assert record["files"][relative]
    finally:
        path.write_bytes(original)
