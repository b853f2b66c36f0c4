"""`course.py publish`: the student edition holds every file a student needs and nothing secret."""

import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder.cells import HIDDEN_TESTS_BLOCK
from autograder.authoring.edition_audit import audit_edition, course_blocks, course_secrets, telling_secrets
from autograder.authoring.publish import PublishRefused, publish
from course_layout import ROOT, assignments, lecture_notebooks, release_notebook
from nncourse.edition import base_copy, file_digest, read_record

QUIET = {"log": lambda line: None}


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    target = tmp_path_factory.mktemp("published") / "edition"
    publish(ROOT, target, allow=True, **QUIET)
    return target


@pytest.fixture
def course_copy(tmp_path):
    """The parts of the course that publishing reads, to change without touching the real one."""
    copy = tmp_path / "course"
    copy.mkdir()
    for name in ["source", "release", "notebooks", "edition"]:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("*.h5", "__pycache__", "*.egg-info"))
    for name in ["nbgrader_config.py", "constraints.txt"]:
        shutil.copy(ROOT / name, copy / name)
    return copy


def _files(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and ".git" not in path.parts}


def test_the_edition_holds_what_a_student_needs(edition):
    for assignment in assignments():
        notebook = edition / "assignments" / assignment / release_notebook(assignment).name
        assert notebook.read_bytes() == release_notebook(assignment).read_bytes()
        assert base_copy(edition, notebook.relative_to(edition).as_posix()).read_bytes() == notebook.read_bytes()
    assert (edition / "assignments" / "a5_deep_cat_classifier" / "dnn_helpers.py").is_file()
    for lecture in lecture_notebooks():
        assert (edition / "notebooks" / lecture.name).read_bytes() == lecture.read_bytes()
    for needed in ["README.md", "course.py", "pyproject.toml", "constraints.txt", "requirements.txt", "nncourse/__init__.py",
                   "nncourse/datasets.py", "nncourse/validate.py", "nncourse/update.py", "nncourse/edition.py",
                   "datasets/manifest.json", "datasets/fetch.py", ".gitignore", ".github/workflows/validate.yml",
                   "jupyter-config/labconfig/page_config.json", "jupyter-config/jupyter_server_config.json",
                   "jupyter-config/jupyter_config.json"]:
        assert (edition / needed).is_file(), f"the edition has no {needed}"
    assert (edition / "constraints.txt").read_bytes() == (ROOT / "constraints.txt").read_bytes()
    record = read_record(edition)
    assert record.files == {relative: file_digest(edition / relative) for relative in record.files}
    assert set(record.files) == {p for p in _files(edition) if not p.startswith(".edition/")}


def test_the_edition_holds_no_solution_no_hidden_test_no_grader_and_no_gradebook(edition):
    assert audit_edition(edition, ROOT, allowed_helpers={"assignments/a5_deep_cat_classifier/dnn_helpers.py"}) == []
    for relative, data in _files(edition).items():
        assert "autograder" not in relative.split("/") and not relative.endswith(".db"), relative
        assert not data.startswith(b"SQLite format 3"), relative
        text = data.decode("utf-8")
        for marker in ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "from autograder"]:
            assert marker not in text, f"{relative} holds {marker!r}"
    helper = "assignments/a5_deep_cat_classifier/dnn_helpers.py"  # published with --allow: it answers assignment 4
    searched = [relative for relative in _files(edition) if relative not in (helper, f".edition/base/{helper}")]
    published_lines = {line.strip() for relative in searched for line in _texts(edition / relative)}
    assert not published_lines & telling_secrets(ROOT).keys()


def _texts(path):
    if path.suffix == ".ipynb":
        return [line for cell in nbformat.read(path, as_version=4).cells for line in cell.source.splitlines()]
    return path.read_text(encoding="utf-8").splitlines()


def test_the_audit_looks_for_enough_of_the_secrets():
    secrets = course_secrets(ROOT)
    telling = telling_secrets(ROOT)
    assert len(secrets) > 150 and len(telling) > 0.8 * len(secrets), (len(secrets), len(telling))
    assert 'dw = np.dot(X, (A - Y).T) / m' in telling or any("np.dot(X" in line for line in telling)


def test_the_audit_finds_each_kind_of_leak_planted_in_an_edition(edition, tmp_path):
    planted = tmp_path / "planted"
    shutil.copytree(edition, planted)
    solution = next(line for line, origin in sorted(telling_secrets(ROOT).items()) if "a2_" in origin)
    hidden = next(line for line in sorted(course_secrets(ROOT, blocks=(HIDDEN_TESTS_BLOCK,))) if line.startswith("hidden."))
    assert hidden in telling_secrets(ROOT)

    notebook_path = planted / "assignments" / "a1_single_neuron" / release_notebook("a1_single_neuron").name
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells[-1].source += "\n" + solution
    nbformat.write(notebook, notebook_path)
    with open(planted / "notebooks" / "01_single_neuron.ipynb", "r+") as f:
        lecture = json.load(f)
        lecture["cells"][0]["source"] = ["    " + hidden + "\n"]
        f.seek(0), f.truncate(), json.dump(lecture, f)
    (planted / "nncourse" / "extra.py").write_text("from autograder.hidden import a1_single_neuron\n")
    (planted / "autograder").mkdir()
    (planted / "autograder" / "judge.py").write_text("x = 1\n")
    sqlite3.connect(planted / "grades.sqlite").execute("create table t (x)").connection.close()
    helper = planted / "assignments" / "a5_deep_cat_classifier" / "dnn_helpers.py"
    helper.write_text(helper.read_text() + "\n" + solution + "\n" + hidden + "\n")

    findings = audit_edition(planted, ROOT, allowed_helpers={"assignments/a5_deep_cat_classifier/dnn_helpers.py"})
    assert any(f.startswith(f"{notebook_path.relative_to(planted).as_posix()}: holds `{solution}`") for f in findings)
    assert any(f.startswith(f"notebooks/01_single_neuron.ipynb: holds `{hidden}`") for f in findings)
    assert "nncourse/extra.py: imports the instructor's package" in findings
    assert "autograder/judge.py: a file of the instructor's package" in findings
    assert "grades.sqlite: a database (a gradebook?)" in findings
    helper_findings = [f for f in findings if f.startswith("assignments/a5_deep_cat_classifier/dnn_helpers.py")]
    assert helper_findings == [f"assignments/a5_deep_cat_classifier/dnn_helpers.py: holds `{hidden}` from a secret "
                               f"block of {telling_secrets(ROOT)[hidden]}"], "an allowed helper may answer, never test"
    assert len(findings) == 6, findings


def test_the_audit_finds_a_solution_pasted_whole_even_where_its_lines_are_common(edition, tmp_path):
    """Each line of linear_backward's answer is shown somewhere in lecture 4, so no single line
    tells; the answer pasted whole into another cell does."""
    origin, block = next((origin, block) for origin, block in course_blocks(ROOT)
                         if "dA_prev = np.dot(W.T, dZ)" in block)
    assert not block & telling_secrets(ROOT).keys(), "expected a block of common lines only"
    planted = tmp_path / "planted"
    shutil.copytree(edition, planted)
    lecture = planted / "notebooks" / "03_shallow_network.ipynb"
    notebook = nbformat.read(lecture, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("\n".join(sorted(block))))
    nbformat.write(notebook, lecture)
    assert audit_edition(planted, ROOT, allowed_helpers={"assignments/a5_deep_cat_classifier/dnn_helpers.py"}) == [
        f"notebooks/03_shallow_network.ipynb: holds {len(block)} of the {len(block)} lines of a secret block of {origin}"]


def test_publish_refuses_to_write_an_edition_the_audit_rejects(course_copy, tmp_path):
    line = next(iter(sorted(telling_secrets(course_copy))))
    (course_copy / "edition" / "nncourse" / "shortcuts.py").write_text(f"def shortcut():\n    {line}\n")
    with pytest.raises(PublishRefused, match="nothing was written") as refused:
        publish(course_copy, tmp_path / "out", ["a1_single_neuron"], **QUIET)
    assert f"nncourse/shortcuts.py: holds `{line}`" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_publishing_again_changes_only_what_changed_and_keeps_what_the_instructor_added(course_copy, tmp_path):
    target = tmp_path / "edition"
    publish(course_copy, target, ["a1_single_neuron", "a2_logistic_regression"], **QUIET)
    (target / "SYLLABUS.md").write_text("Week 1: assignment 1")
    (target / ".github" / "workflows" / "announce.yml").write_text("name: announce")
    before = _files(target)

    said = publish(course_copy, target, ["a1_single_neuron", "a2_logistic_regression"], **QUIET)
    assert ": 0 file(s) added, 0 changed," in said[-1]
    assert _files(target) == before

    lecture = course_copy / "notebooks" / "02_logistic_regression.ipynb"
    notebook = nbformat.read(lecture, as_version=4)
    notebook.cells[0].source += "\n\nA sentence added after the first release."
    nbformat.write(notebook, lecture)
    said = publish(course_copy, target, ["a3_shallow_network"], **QUIET)
    after = _files(target)
    assert "changed: notebooks/02_logistic_regression.ipynb" in said
    assert "added: assignments/a3_shallow_network/shallow_network.ipynb" in said
    assert "added: notebooks/03_shallow_network.ipynb" in said
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed == {f"{copy}{path}" for copy in ("", ".edition/base/") for path in [
        "notebooks/02_logistic_regression.ipynb", "notebooks/03_shallow_network.ipynb",
        "assignments/a3_shallow_network/shallow_network.ipynb"]} | {".edition/edition.json"}
    assert after["SYLLABUS.md"] == b"Week 1: assignment 1" and ".github/workflows/announce.yml" in after
    assert set(before) <= set(after), "publishing deleted a file"
    assert "assignments/a1_single_neuron/single_neuron.ipynb" in read_record(target).files


def test_a_lecture_goes_out_with_its_assignment(course_copy, tmp_path):
    publish(course_copy, tmp_path / "week1", ["a1_single_neuron"], **QUIET)
    assert sorted(p.name for p in (tmp_path / "week1" / "notebooks").iterdir()) == ["01_single_neuron.ipynb"]
    publish(course_copy, tmp_path / "week1", ["a3_shallow_network"], **QUIET)
    assert len(list((tmp_path / "week1" / "notebooks").iterdir())) == 3
    publish(course_copy, tmp_path / "late", ["a5_deep_cat_classifier"], allow=True, **QUIET)
    assert len(list((tmp_path / "late" / "notebooks").iterdir())) == len(lecture_notebooks()) == 4


def test_publish_refuses_to_overwrite_a_file_edited_in_the_edition(course_copy, tmp_path):
    target = tmp_path / "edition"
    publish(course_copy, target, ["a1_single_neuron"], **QUIET)
    (target / "README.md").write_text("Our course's own words")
    lecture = course_copy / "notebooks" / "01_single_neuron.ipynb"
    lecture.write_text(lecture.read_text().replace("neuron", "Neuron", 1))
    before = _files(target)
    with pytest.raises(PublishRefused, match="README.md"):
        publish(course_copy, target, ["a1_single_neuron"], **QUIET)
    assert _files(target) == before


def test_publish_refuses_bad_targets_and_an_unbuilt_release_and_writes_nothing(course_copy, tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(PublishRefused, match="is a file"):
        publish(course_copy, a_file, **QUIET)
    assert a_file.read_text() == "mine"

    project = tmp_path / "project"
    project.mkdir()
    (project / "setup.py").write_text("# another project")
    with pytest.raises(PublishRefused, match="holds another project"):
        publish(course_copy, project, ["a1_single_neuron"], **QUIET)
    assert _files(project) == {"setup.py": b"# another project"}

    shutil.rmtree(course_copy / "release" / "a2_logistic_regression")
    with pytest.raises(PublishRefused, match=r"run `python3 course.py release a2_logistic_regression` first"):
        publish(course_copy, tmp_path / "new", ["a2_logistic_regression"], **QUIET)
    with pytest.raises(PublishRefused, match="no assignment 'a9'"):
        publish(course_copy, tmp_path / "new", ["a9"], **QUIET)
    assert not (tmp_path / "new").exists()

    git_clone = tmp_path / "empty-clone"
    (git_clone / ".git").mkdir(parents=True)
    publish(course_copy, git_clone, ["a1_single_neuron"], **QUIET)
    assert (git_clone / "course.py").is_file()


def test_a_helper_that_answers_an_earlier_assignment_needs_allow(course_copy, tmp_path):
    with pytest.raises(PublishRefused) as refused:
        publish(course_copy, tmp_path / "edition", ["a5_deep_cat_classifier"], **QUIET)
    message = str(refused.value)
    assert "assignments/a5_deep_cat_classifier/dnn_helpers.py answers a4_deep_network (L_model_backward" in message
    assert "--allow" in message and not (tmp_path / "edition").exists()
    said = []
    publish(course_copy, tmp_path / "edition", ["a5_deep_cat_classifier"], allow=True, log=said.append)
    assert any(line.startswith("note: assignments/a5_deep_cat_classifier/dnn_helpers.py answers a4_deep_network")
               for line in said)
    said = []
    publish(course_copy, tmp_path / "early", ["a1_single_neuron", "a4_deep_network"], log=said.append)
    assert not any(line.startswith("note:") for line in said)


def test_the_student_package_is_a_distribution_without_grader_or_hidden_tests(edition, tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path), str(edition)], check=True)
    [wheel] = tmp_path.glob("nncourse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(name.startswith("nncourse/") for name in names)
    assert not any(name.startswith(("autograder", "tests", "source")) for name in names), names
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Name: nncourse\n" in metadata and "nncourse-instructor" not in metadata


def test_the_publish_command_of_course_py(tmp_path):
    result = subprocess.run([sys.executable, "course.py", "publish", str(tmp_path / "out"), "a1_single_neuron"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "added: assignments/a1_single_neuron/single_neuron.ipynb" in result.stdout
    result = subprocess.run([sys.executable, "course.py", "publish", str(tmp_path / "out" / "course.py")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "is a file, not a folder" in result.stderr


def test_the_address_students_update_from_is_recorded_and_kept(course_copy, tmp_path):
    target = tmp_path / "edition"
    publish(course_copy, target, ["a1_single_neuron"], source="https://example.org/course/edition.git", **QUIET)
    assert read_record(target).source == "https://example.org/course/edition.git"
    publish(course_copy, target, ["a1_single_neuron"], **QUIET)
    assert read_record(target).source == "https://example.org/course/edition.git"
