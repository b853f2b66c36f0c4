"""`nncourse.update`, the student's command that brings in a newer edition, on small editions
built here: an assignment notebook with nbgrader answer and test cells, a helper module, a
lecture notebook and the course's own files."""

import json
import os
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nncourse import update
from nncourse.edition import (EditionError, EditionRecord, base_copy, file_digest, is_student_work,
                              read_record, write_record)

ASSIGNMENT = "assignments/a2_logistic_regression/logistic_regression.ipynb"
HELPER = "assignments/a2_logistic_regression/lr_utils.py"
LECTURE = "notebooks/01_perceptron.ipynb"

INTRO = "# Logistic regression\nThe sigmoid squashes a real number into (0, 1): $\\sigma(z) = 1/(1+e^{z})$."
CORRECTED_INTRO = INTRO.replace("e^{z}", "e^{-z}")
SIGMOID_TODO = "def sigmoid(z):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
SIGMOID_ANSWER = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"
SIGMOID_NEW_HINT = "def sigmoid(z):\n    # YOUR CODE HERE (use np.exp, it works on arrays)\n    raise NotImplementedError()"
LOSS_TODO = "def loss(a, y):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
LOSS_ANSWER = "def loss(a, y):\n    return -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))"


def nbgrader(grade_id, solution=False, points=0):
    return {"nbgrader": {"grade_id": grade_id, "solution": solution, "grade": points > 0,
                         "locked": not solution, "schema_version": 3, **({"points": points} if points else {})}}


def assignment_notebook(intro=INTRO, sigmoid=SIGMOID_TODO, loss=LOSS_TODO):
    """The assignment as published: ids fixed, as they stay fixed from one edition to the next."""
    cells = [
        new_markdown_cell(intro, id="intro"),
        new_code_cell(sigmoid, id="sigmoid", metadata=nbgrader("sigmoid", solution=True)),
        new_code_cell("assert sigmoid(0) == 0.5", id="test-sigmoid", metadata=nbgrader("test_sigmoid", points=1)),
        new_markdown_cell("## The loss\nThe cross-entropy of the predictions.", id="loss-intro"),
        new_code_cell(loss, id="loss", metadata=nbgrader("loss", solution=True)),
        new_code_cell("assert loss(np.array([0.5]), np.array([1])) > 0", id="test-loss",
                      metadata=nbgrader("test_loss", points=1)),
    ]
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def as_text(notebook):
    return nbformat.writes(notebook) + "\n"


def read_notebook(path):
    return nbformat.read(path, as_version=4)


def cell(notebook, cell_id):
    return next(cell for cell in notebook.cells if cell.get("id") == cell_id)


def first_edition():
    return {
        "README.md": "# Neurons to Networks\n",
        "course.py": "print('the course command')\n",
        ASSIGNMENT: as_text(assignment_notebook()),
        HELPER: "def load_dataset():\n    return None\n",
        LECTURE: as_text(new_notebook(cells=[new_markdown_cell("# The perceptron", id="title")])),
        "notebooks/00_retired.ipynb": as_text(new_notebook(cells=[new_markdown_cell("# Old", id="old")])),
    }


def publish(folder, files, source=""):
    """Write a published edition: its files, its record, and base copies of student work."""
    folder.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    record = EditionRecord(course="Neurons to Networks", published="2025-02-01T09:00:00+00:00",
                           files={relative: file_digest(folder / relative) for relative in files}, source=source)
    write_record(folder, record)
    for relative in files:
        if is_student_work(relative):
            base = base_copy(folder, relative)
            base.parent.mkdir(parents=True, exist_ok=True)
            base.write_bytes((folder / relative).read_bytes())
    return folder


def second_edition(**changes):
    files = first_edition()
    files.pop("notebooks/00_retired.ipynb")
    files.update(changes)
    return files


def snapshot(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def student_work(folder):
    """The student's files, without the edition's own bookkeeping."""
    return {relative: content for relative, content in snapshot(folder).items() if not relative.startswith(".edition/")}


def answered(notebook, sigmoid=SIGMOID_ANSWER, loss=LOSS_ANSWER, notes=True):
    """What a student makes of the assignment: both answers, and a cell of their own."""
    cell(notebook, "sigmoid").source = sigmoid
    cell(notebook, "loss").source = loss
    if notes:
        notebook.cells.insert(3, new_markdown_cell("My notes: the sigmoid saturates for large |z|.", id="my-notes"))
    return notebook


@pytest.fixture
def editions(tmp_path):
    """The student's edition (the first, as published) and the instructor's second edition."""
    student = publish(tmp_path / "student", first_edition())
    return student, tmp_path / "second"


def run_update(student, new_files, new_dir):
    publish(new_dir, new_files)
    lines = []
    changes = update.update_edition(student, new_dir, log=lines.append)
    return {change.path: change for change in changes}, lines


def test_an_unchanged_notebook_is_replaced_by_the_new_one(editions):
    student, second = editions
    new_files = second_edition(**{ASSIGNMENT: as_text(assignment_notebook(intro=CORRECTED_INTRO))})
    changes, _ = run_update(student, new_files, second)
    assert changes[ASSIGNMENT].what == "updated"
    assert (student / ASSIGNMENT).read_text() == new_files[ASSIGNMENT]
    assert base_copy(student, ASSIGNMENT).read_text() == new_files[ASSIGNMENT]
    assert read_record(student).files == read_record(second).files


def test_a_started_notebook_keeps_every_answer_and_gains_the_corrected_markdown(editions):
    student, second = editions
    (student / ASSIGNMENT).write_text(as_text(answered(read_notebook(student / ASSIGNMENT))))
    changes, _ = run_update(student, second_edition(**{ASSIGNMENT: as_text(assignment_notebook(intro=CORRECTED_INTRO))}),
                            second)
    assert changes[ASSIGNMENT].what == "merged"
    merged = read_notebook(student / ASSIGNMENT)
    nbformat.validate(merged)
    assert cell(merged, "intro").source == CORRECTED_INTRO
    assert cell(merged, "sigmoid").source == SIGMOID_ANSWER
    assert cell(merged, "loss").source == LOSS_ANSWER
    assert cell(merged, "my-notes").source.startswith("My notes")
    assert cell(merged, "sigmoid").metadata["nbgrader"]["grade_id"] == "sigmoid"
    assert "<<<<<<<" not in (student / ASSIGNMENT).read_text()


def test_a_cell_both_changed_shows_the_conflict_and_keeps_the_students_text(editions):
    student, second = editions
    (student / ASSIGNMENT).write_text(as_text(answered(read_notebook(student / ASSIGNMENT))))
    new_notebook_text = as_text(assignment_notebook(intro=CORRECTED_INTRO, sigmoid=SIGMOID_NEW_HINT))
    changes, lines = run_update(student, second_edition(**{ASSIGNMENT: new_notebook_text}), second)

    change = changes[ASSIGNMENT]
    assert change.what == "conflicts"
    assert "sigmoid" in change.detail and ASSIGNMENT in str(change) and str(change) in lines
    merged = read_notebook(student / ASSIGNMENT)
    nbformat.validate(merged)
    conflicted = cell(merged, "sigmoid").source
    assert "<<<<<<< your version" in conflicted and ">>>>>>> the instructor's version" in conflicted
    assert "return 1 / (1 + np.exp(-z))" in conflicted and "use np.exp, it works on arrays" in conflicted
    assert cell(merged, "loss").source == LOSS_ANSWER
    assert cell(merged, "intro").source == CORRECTED_INTRO
    assert "1 merged (1 with conflicts: " + ASSIGNMENT in update.summarize(list(changes.values()))


def test_outputs_both_changed_keep_the_students(editions):
    student, second = editions
    mine = answered(read_notebook(student / ASSIGNMENT), notes=False)
    cell(mine, "test-sigmoid").outputs = [nbformat.v4.new_output("stream", name="stdout", text="mine\n")]
    (student / ASSIGNMENT).write_text(as_text(mine))
    published = assignment_notebook(intro=CORRECTED_INTRO)
    cell(published, "test-sigmoid").outputs = [nbformat.v4.new_output("stream", name="stdout", text="theirs\n")]
    changes, _ = run_update(student, second_edition(**{ASSIGNMENT: as_text(published)}), second)
    assert changes[ASSIGNMENT].what == "merged"
    assert cell(read_notebook(student / ASSIGNMENT), "test-sigmoid").outputs[0].text == "mine\n"


def test_new_files_arrive_and_files_no_longer_published_are_kept(editions):
    student, second = editions
    new_lecture = as_text(new_notebook(cells=[new_markdown_cell("# Backpropagation", id="title")]))
    changes, _ = run_update(student, second_edition(**{"notebooks/02_backprop.ipynb": new_lecture}), second)
    assert changes["notebooks/02_backprop.ipynb"].what == "new"
    assert (student / "notebooks/02_backprop.ipynb").read_text() == new_lecture
    assert changes["notebooks/00_retired.ipynb"].what == "retired"
    assert "no longer part of the course; kept" in str(changes["notebooks/00_retired.ipynb"])
    assert (student / "notebooks/00_retired.ipynb").is_file()
    assert not base_copy(student, "notebooks/00_retired.ipynb").exists()


def test_a_deleted_published_file_is_restored_and_students_own_files_are_untouched(editions):
    student, second = editions
    (student / LECTURE).unlink()
    (student / "assignments/a2_logistic_regression/scratch.py").write_text("x = 1\n")
    changes, _ = run_update(student, second_edition(), second)
    assert changes[LECTURE].what == "restored"
    assert (student / "assignments/a2_logistic_regression/scratch.py").read_text() == "x = 1\n"
    assert "assignments/a2_logistic_regression/scratch.py" not in changes


def test_metadata_both_changed_takes_the_instructors(editions):
    student, second = editions
    mine = answered(read_notebook(student / ASSIGNMENT))
    mine.metadata["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    cell(mine, "test-sigmoid").metadata["nbgrader"]["points"] = 10
    (student / ASSIGNMENT).write_text(as_text(mine))
    published = assignment_notebook(intro=CORRECTED_INTRO)
    published.metadata["kernelspec"]["display_name"] = "Python 3.11 (course)"
    cell(published, "test-sigmoid").metadata["nbgrader"]["points"] = 2
    changes, _ = run_update(student, second_edition(**{ASSIGNMENT: as_text(published)}), second)
    assert changes[ASSIGNMENT].what == "merged" and "the instructor's were taken" in changes[ASSIGNMENT].detail
    merged = read_notebook(student / ASSIGNMENT)
    assert merged.metadata["kernelspec"]["display_name"] == "Python 3.11 (course)"
    assert cell(merged, "test-sigmoid").metadata["nbgrader"]["points"] == 2
    assert "nbdime-conflicts" not in (student / ASSIGNMENT).read_text()
    assert cell(merged, "sigmoid").source == SIGMOID_ANSWER


def test_cells_both_inserted_at_one_place_are_marked_as_a_conflict(editions):
    student, second = editions
    mine = read_notebook(student / ASSIGNMENT)
    mine.cells.insert(1, new_code_cell("print('my experiment')", id="mine"))
    (student / ASSIGNMENT).write_text(as_text(mine))
    published = assignment_notebook(intro=CORRECTED_INTRO)
    published.cells.insert(1, new_markdown_cell("A reminder from the instructor.", id="reminder"))
    changes, _ = run_update(student, second_edition(**{ASSIGNMENT: as_text(published)}), second)
    merged = read_notebook(student / ASSIGNMENT)
    nbformat.validate(merged)
    sources = [cell.source for cell in merged.cells]
    assert "print('my experiment')" in sources and "A reminder from the instructor." in sources
    assert changes[ASSIGNMENT].what == "conflicts"
    assert "cell 2 (cells you both added)" in changes[ASSIGNMENT].detail
    assert "<<<<<<< your version" in sources[1] and ">>>>>>> the instructor's version" in sources[5]


def test_a_cell_the_student_deleted_and_the_instructor_changed_comes_back_marked(editions):
    student, second = editions
    mine = read_notebook(student / ASSIGNMENT)
    mine.cells = [cell for cell in mine.cells if cell.id != "loss-intro"]
    (student / ASSIGNMENT).write_text(as_text(mine))
    published = assignment_notebook()
    cell(published, "loss-intro").source = "## The loss\nThe binary cross-entropy of the predictions."
    changes, _ = run_update(student, second_edition(**{ASSIGNMENT: as_text(published)}), second)
    assert changes[ASSIGNMENT].what == "conflicts"
    source = cell(read_notebook(student / ASSIGNMENT), "loss-intro").source
    assert source.startswith("<<<<<<< you deleted this cell; the instructor changed it") and "binary" in source


def test_a_notebook_without_its_published_copy_is_kept_not_merged(editions):
    student, second = editions
    answered_text = as_text(answered(read_notebook(student / ASSIGNMENT)))
    (student / ASSIGNMENT).write_text(answered_text)
    base_copy(student, ASSIGNMENT).unlink()
    changes, _ = run_update(student, second_edition(**{ASSIGNMENT: as_text(assignment_notebook(CORRECTED_INTRO))}),
                            second)
    assert changes[ASSIGNMENT].what == "kept" and "missing or altered" in changes[ASSIGNMENT].detail
    assert (student / ASSIGNMENT).read_text() == answered_text
    assert base_copy(student, ASSIGNMENT).is_file()  # the next update can merge again


def test_a_file_of_the_students_where_a_new_one_is_published_is_kept(editions):
    student, second = editions
    (student / "notebooks/02_backprop.ipynb").write_text("my own notebook")
    changes, _ = run_update(student, second_edition(**{"notebooks/02_backprop.ipynb": "{}\n"}), second)
    assert changes["notebooks/02_backprop.ipynb"].what == "kept"
    assert (student / "notebooks/02_backprop.ipynb").read_text() == "my own notebook"
    assert (student / "notebooks/02_backprop.published.ipynb").read_text() == "{}\n"


def test_a_helper_both_changed_is_kept_with_the_instructors_version_beside_it(editions):
    student, second = editions
    (student / HELPER).write_text("def load_dataset():\n    return 'my own loader'\n")
    instructors = "def load_dataset(path='datasets'):\n    return path\n"
    changes, _ = run_update(student, second_edition(**{HELPER: instructors}), second)
    assert changes[HELPER].what == "kept"
    assert "lr_utils.published.py" in changes[HELPER].detail
    assert (student / HELPER).read_text() == "def load_dataset():\n    return 'my own loader'\n"
    assert (student / "assignments/a2_logistic_regression/lr_utils.published.py").read_text() == instructors


def test_a_broken_student_notebook_is_kept_byte_for_byte_with_a_message(editions):
    student, second = editions
    broken = b'{"cells": [{"cell_type": "code", "source": "def sigmoid(z): return 0.5"'
    (student / ASSIGNMENT).write_bytes(broken)
    new_text = as_text(assignment_notebook(intro=CORRECTED_INTRO))
    changes, _ = run_update(student, second_edition(**{ASSIGNMENT: new_text}), second)
    change = changes[ASSIGNMENT]
    assert change.what == "unreadable"
    assert "JSON is broken" in change.detail and "logistic_regression.published.ipynb" in change.detail
    assert (student / ASSIGNMENT).read_bytes() == broken
    assert (student / "assignments/a2_logistic_regression/logistic_regression.published.ipynb").read_text() == new_text


def test_replaced_and_merged_files_are_backed_up_first(editions):
    student, second = editions
    answered_text = as_text(answered(read_notebook(student / ASSIGNMENT)))
    (student / ASSIGNMENT).write_text(answered_text)
    lecture_before = (student / LECTURE).read_bytes()
    new_files = second_edition(**{ASSIGNMENT: as_text(assignment_notebook(intro=CORRECTED_INTRO)),
                                  LECTURE: as_text(new_notebook(cells=[new_markdown_cell("# Perceptrons", id="title")]))})
    changes, lines = run_update(student, new_files, second)
    assert changes[LECTURE].what == "updated" and changes[ASSIGNMENT].what == "merged"
    backups = list((student / ".edition/backup").iterdir())
    assert len(backups) == 1
    assert (backups[0] / ASSIGNMENT).read_text() == answered_text
    assert (backups[0] / LECTURE).read_bytes() == lecture_before
    assert any(".edition/backup/" in line and "2 files" in line for line in lines)


@pytest.mark.parametrize("hostile", ["../outside.txt", "assignments/../../outside.txt", "{tmp}/outside.txt",
                                     "C:outside.txt", ".edition/edition.json"])
def test_a_record_path_leaving_the_edition_is_refused_and_nothing_is_written(editions, hostile, tmp_path):
    student, second = editions
    publish(second, second_edition())
    (second / "outside.txt").write_text("published\n")  # so that only the path is wrong
    record = json.loads((second / ".edition/edition.json").read_text())
    record["files"][hostile.format(tmp=tmp_path)] = file_digest(second / "outside.txt")
    (second / ".edition/edition.json").write_text(json.dumps(record))
    before = snapshot(tmp_path)
    with pytest.raises(EditionError, match="nothing was changed"):
        update.update_edition(student, second, log=lambda line: None)
    assert snapshot(tmp_path) == before


def test_a_symbolic_link_in_the_new_edition_is_refused(editions, tmp_path):
    student, second = editions
    publish(second, second_edition())
    secret = tmp_path / "secret.txt"
    secret.write_text("not the course's\n")
    (second / HELPER).unlink()
    (second / HELPER).symlink_to(secret)
    record = read_record(second)
    record.files[HELPER] = file_digest(secret)
    write_record(second, record)
    before = snapshot(student)
    with pytest.raises(EditionError, match="symbolic link"):
        update.update_edition(student, second, log=lambda line: None)
    assert snapshot(student) == before


def test_a_folder_of_the_student_linking_outside_is_not_written_through(editions, tmp_path):
    student, second = editions
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (student / "extras").symlink_to(elsewhere)
    changes, _ = run_update(student, second_edition(**{"extras/notes.md": "# Notes\n"}), second)
    assert changes["extras/notes.md"].what == "refused"
    assert list(elsewhere.iterdir()) == []
    assert "extras/notes.md" not in read_record(student).files  # so the next update tries again


def test_a_missing_record_is_a_clear_error(editions, tmp_path):
    student, second = editions
    publish(second, second_edition())
    (second / ".edition/edition.json").unlink()
    before = snapshot(student)
    with pytest.raises(EditionError, match="no .edition/edition.json"):
        update.update_edition(student, second, log=lambda line: None)
    assert snapshot(student) == before
    with pytest.raises(EditionError, match="not a student edition"):
        update.update_edition(tmp_path / "second" / "assignments", publish(tmp_path / "third", second_edition()))


def test_updating_twice_changes_nothing_the_second_time(editions):
    student, second = editions
    (student / ASSIGNMENT).write_text(as_text(answered(read_notebook(student / ASSIGNMENT))))
    (student / HELPER).write_text("# mine\n")
    new_files = second_edition(**{ASSIGNMENT: as_text(assignment_notebook(CORRECTED_INTRO, SIGMOID_NEW_HINT)),
                                  HELPER: "# theirs\n", "notebooks/02_backprop.ipynb": "{}"})
    publish(second, new_files)
    assert update.update_edition(student, second, log=lambda line: None)
    after_first = snapshot(student)
    assert update.update_edition(student, second, log=lambda line: None) == []
    assert snapshot(student) == after_first


def zip_folder(folder, zip_path, top=""):
    with zipfile.ZipFile(zip_path, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, top + path.relative_to(folder).as_posix())
    return zip_path


def test_a_zipped_edition_inside_one_top_folder_is_brought_in(editions, tmp_path):
    student, second = editions
    publish(second, second_edition(**{LECTURE: as_text(new_notebook(cells=[new_markdown_cell("# Perceptrons", id="t")]))}))
    zipped = zip_folder(second, tmp_path / "edition.zip", top="nn-course-main/")
    with update.find_new_edition(zipped) as folder:
        assert folder.name == "nn-course-main"
        changes = update.update_edition(student, folder, log=lambda line: None)
    assert {change.path: change.what for change in changes}[LECTURE] == "updated"
    assert not folder.exists()  # the temporary folder is gone


@pytest.mark.parametrize("member", ["../evil.txt", "/evil.txt", "edition/../../evil.txt"])
def test_a_zip_member_leaving_the_folder_is_refused(tmp_path, member):
    publish(tmp_path / "second", second_edition())
    zipped = zip_folder(tmp_path / "second", tmp_path / "edition.zip")
    with zipfile.ZipFile(zipped, "a") as archive:
        archive.writestr(member, "evil\n")
    with pytest.raises(EditionError, match="refused"):
        with update.find_new_edition(zipped):
            pass
    assert not (tmp_path / "evil.txt").exists() and not Path("/evil.txt").exists()


def test_a_zip_member_that_is_a_symbolic_link_is_refused(tmp_path):
    publish(tmp_path / "second", second_edition())
    zipped = zip_folder(tmp_path / "second", tmp_path / "edition.zip")
    link = zipfile.ZipInfo("notebooks/link.ipynb")
    link.external_attr = (0o120777 << 16)
    with zipfile.ZipFile(zipped, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(EditionError, match="symbolic link"):
        with update.find_new_edition(zipped):
            pass


def test_a_git_repository_is_cloned(editions, tmp_path):
    student, second = editions
    publish(second, second_edition(**{"notebooks/02_backprop.ipynb": "{}\n"}))
    git = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org", "-C", str(second)]
    for command in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "-m", "Second edition"]):
        subprocess.run(git + command, check=True)
    with update.find_new_edition(f"file://{second}") as folder:
        assert folder != second
        changes = update.update_edition(student, folder, log=lambda line: None)
    assert [change.what for change in changes if change.path == "notebooks/02_backprop.ipynb"] == ["new"]


def test_the_command_uses_the_recorded_source_and_says_when_conflicts_remain(tmp_path, capsys, monkeypatch):
    second = publish(tmp_path / "second", second_edition(**{
        ASSIGNMENT: as_text(assignment_notebook(CORRECTED_INTRO, SIGMOID_NEW_HINT))}))
    student = publish(tmp_path / "student", first_edition(), source=str(second))
    assert read_record(student).source == str(second)
    (student / ASSIGNMENT).write_text(as_text(answered(read_notebook(student / ASSIGNMENT))))
    monkeypatch.chdir(student / "assignments")
    assert update.main([]) == update.EXIT_NEEDS_THE_STUDENT
    out = capsys.readouterr().out
    assert f"conflicts  {ASSIGNMENT}" in out
    assert "1 merged (1 with conflicts" in out and "1 no longer part of the course" in out
    assert read_record(student).source == str(second)  # the second edition recorded none: the first's stays
    assert update.main([]) == update.EXIT_DONE
    assert "Already up to date" in capsys.readouterr().out


def test_the_command_explains_what_is_missing(tmp_path, capsys, monkeypatch):
    student = publish(tmp_path / "student", first_edition())
    assert update.main(["--edition", str(student)]) == update.EXIT_ERROR
    assert "does not say where new editions are published" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert update.main([str(student)]) == update.EXIT_ERROR
    assert "No student edition here" in capsys.readouterr().err
    assert update.main(["--edition", str(student), str(tmp_path / "nowhere")]) == update.EXIT_ERROR
    assert "No edition found" in capsys.readouterr().err
    (tmp_path / "not-a-zip.zip").write_text("<html>sign in</html>")
    assert update.main(["--edition", str(student), str(tmp_path / "not-a-zip.zip")]) == update.EXIT_ERROR
    assert "No edition found" in capsys.readouterr().err


def test_a_change_is_one_line():
    assert str(update.Change("notebooks/01_perceptron.ipynb", "updated")) == "updated    notebooks/01_perceptron.ipynb"
    assert str(update.Change("README.md", "kept", "see README.published.md")).endswith("README.md - see README.published.md")
    assert update.beside_name(".gitignore") == ".gitignore.published"


def test_windows_line_ends_do_not_count_as_a_change(editions):
    student, second = editions
    (student / HELPER).write_bytes((student / HELPER).read_bytes().replace(b"\n", b"\r\n"))
    changes, _ = run_update(student, second_edition(**{HELPER: "def load_dataset():\n    return 1\n"}), second)
    assert changes[HELPER].what == "updated"
    assert os.path.getsize(student / HELPER) == len("def load_dataset():\n    return 1\n")


def test_after_an_update_the_student_is_told_to_set_up_again_when_pins_or_the_data_manifest_changed():
    changes = [update.Change("constraints.txt", update.UPDATED), update.Change("datasets/manifest.json", update.NEW),
               update.Change("assignments/a1/nb.ipynb", update.MERGED)]
    advice = update.what_to_run_after(changes)
    assert len(advice) == 2 and "course.py setup" in advice[0] and "course.py data" in advice[1]
    assert update.what_to_run_after([update.Change("constraints.txt", update.KEPT)]) == []
