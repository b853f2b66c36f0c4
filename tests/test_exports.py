"""The exports (--format canvas, gradescope, classroom) against what each system publishes that it reads,
and the Gradescope autograder zip, its run script tried on a folder laid out as Gradescope lays it out.

- Gradescope: gradescope/autograder_samples, docs/specs.md (results.json's fields and their types).
- GitHub Classroom: classroom-resources/autograding-grading-reporter, src/ (what it decodes and adds up).
- Canvas: the Gradebook import's columns (Student, ID, SIS User ID, SIS Login ID, Section, then one
  column per assignment, "Name (id)"), a "Points Possible" row as Canvas's own export writes it.
"""

import base64
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.grading.exports import ExportRefused, canvas, classroom, gradescope, write_exports
from autograder.grading.gradescope_run import copy_regular_files, hand_in_folder
from autograder.grading.records import CaseResult, NotebookRecord, Record, Status
from course_layout import ROOT
from grading_course import FIXTURE, fixture_course, full, grade, submit, total_points, untouched, with_answers

VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
TOP_LEVEL = {"score": float, "execution_time": int, "output": str, "output_format": str, "test_output_format": str,
             "test_name_format": str, "visibility": str, "stdout_visibility": str, "extra_data": dict, "tests": list,
             "leaderboard": list}
TEST_FIELDS = {"score": float, "max_score": float, "status": str, "name": str, "name_format": str, "number": str,
               "output": str, "output_format": str, "tags": list, "visibility": str, "extra_data": dict}


def check_gradescope(results):
    """results.json as docs/specs.md describes it; its score."""
    assert set(results) <= set(TOP_LEVEL), set(results) - set(TOP_LEVEL)
    for key, value in results.items():
        kind = TOP_LEVEL[key]
        assert isinstance(value, (int, float) if kind is float else kind) and not isinstance(value, bool), key
    assert "score" in results or all("score" in test for test in results["tests"])
    for key in ("visibility", "stdout_visibility"):
        assert results.get(key, "visible") in VISIBILITY
    assert results.get("stdout_visibility") == "hidden", "stdout is the instructor's"
    # The spec's defaults: the top-level output is "simple_format" (HTML), tests' texts "text".
    for key, default in (("output_format", "simple_format"), ("test_output_format", "text"),
                         ("test_name_format", "text")):
        assert results.get(key, default) == "text", "student text must not be rendered as HTML"
    for test in results["tests"]:
        assert set(test) <= set(TEST_FIELDS), set(test) - set(TEST_FIELDS)
        for key, value in test.items():
            kind = TEST_FIELDS[key]
            assert isinstance(value, (int, float) if kind is float else kind) and not isinstance(value, bool), key
        assert test.get("status", "passed") in {"passed", "failed"} and 0 <= test["score"] <= test["max_score"]
        assert test.get("output_format", results.get("test_output_format", "text")) == "text"
    return results["score"]


def reporter_reads(data):
    """What the grading reporter does with <RUNNER>_RESULTS: base64 in, JSON out, its points and maximum."""
    results = json.loads(base64.b64decode(base64.b64encode(json.dumps(data).encode())).decode("utf-8"))
    assert results["status"] in {"pass", "fail", "error"} and isinstance(results["max_score"], (int, float))
    for test in results["tests"]:
        assert test["status"] in {"pass", "fail"} and isinstance(test["name"], str)
        assert isinstance(test["score"], (int, float)) and isinstance(test["message"], str)
        assert test.get("line_no") == 0, "the reporter prints 'line <line_no>' unless it is 0"
    return sum(test["score"] for test in results["tests"]), results["max_score"]


def read_csv(path):
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))


# ---------------------------------------------------------------- from records made here

def records():
    first = NotebookRecord.ungraded("a.ipynb", {"f_tests": 2.0, "g_tests": 3.0}, "graded", "")
    first.cells["f_tests"].judged(True, "", "visible")
    cases = [CaseResult("shape", "visible", 1.0, True), CaseResult("values", "hidden", 2.0, False, "wrong values")]
    first.cells["g_tests"].judged(False, "g: 1 of 2 cases\x1b[31m passed\x07", "hidden", cases)
    first.late_penalty = 1.5
    late = Record("ada", "a1", Status.GRADED, "all cells graded", [first], seconds=4.2)
    missing = Record("bob", "a1", Status.MISSING, "nothing handed in",
                     [NotebookRecord.ungraded("a.ipynb", {"f_tests": 2.0, "g_tests": 3.0}, "missing", "no a.ipynb")])
    other = NotebookRecord.ungraded("b.ipynb", {"h_tests": 4.0}, "graded", "")
    other.cells["h_tests"].judged(True, "", "visible")
    return [late, missing, Record("ada", "a2", Status.GRADED, "all cells graded", [other])]


def test_gradescope_results_follow_the_spec_and_show_only_the_messages():
    late = records()[0]
    results = gradescope.results(late)
    assert check_gradescope(results) == late.score == 2.0 + 1.0 - 1.5
    assert [t["name"] for t in results["tests"]] == ["a1/a.ipynb: f_tests", "a1/a.ipynb: g_tests"]
    assert [(t["score"], t["max_score"], t["status"]) for t in results["tests"]] == [(2.0, 2.0, "passed"),
                                                                                     (1.0, 3.0, "failed")]
    output = results["tests"][1]["output"]
    assert output.splitlines() == ["g: 1 of 2 cases[31m passed", "passed: shape (1/1)",
                                   "failed: values (0/2): wrong values"], "control characters are dropped"
    assert "Late penalty: 1.5" in results["output"]


def test_classroom_points_add_up_to_the_scores_of_what_was_handed_in():
    by_student = classroom.by_student(records())
    ada = classroom.results(by_student["ada"])
    assert reporter_reads(ada) == (1.5 + 4.0, 5.0 + 4.0)
    assert ada["status"] == "pass", "a low score is not a failure of the workflow"
    assert [t["name"] for t in ada["tests"]][-2:] == ["a1: late penalty", "a2/b.ipynb: h_tests"]
    assert reporter_reads(classroom.results(by_student["bob"])) == (0, 0), "nothing handed in, no points to earn"
    crashed = Record("cy", "a1", Status.CRASHED, "the grading process failed (signal 9)",
                     [NotebookRecord.ungraded("a.ipynb", {"f_tests": 2.0}, "crashed", "")])
    assert classroom.results([crashed])["status"] == "error"


def test_canvas_without_a_roster_names_each_student_by_the_chosen_column(tmp_path):
    assert canvas.write(tmp_path / "c.csv", records(), match="SIS User ID") == []
    header, points, *rows = read_csv(tmp_path / "c.csv")
    assert header == canvas.STUDENT_COLUMNS + ["a1", "a2"]
    assert points == ["Points Possible", "", "", "", "", "5", "4"]
    assert rows == [["", "", "ada", "", "", "1.5", "4"], ["", "", "bob", "", "", "0", "0"]]


def test_canvas_with_a_roster_fills_its_rows_and_columns_and_reports_who_is_not_in_it(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text('\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,a1 (4411),Other (12),Current Score\n'
                      '    Points Possible,,,,,5,10,(read only)\n'
                      '"=HYPERLINK(""http://x"",""a"")",101,S1,ada,"@sect",3,9,80\n'
                      'Eve,102,S2,eve,Sec,0,0,0\n', encoding="utf-8")
    assert canvas.write(tmp_path / "c.csv", records(), roster) == ["bob"]
    header, points, *rows = read_csv(tmp_path / "c.csv")
    assert header == canvas.STUDENT_COLUMNS + ["a1 (4411)", "a2"], "the roster's column, else a new one"
    assert points[5:] == ["5", "4"]
    assert rows == [["'=HYPERLINK(\"http://x\",\"a\")", "101", "S1", "ada", "'@sect", "1.5", "4"]]


def test_canvas_refuses_a_roster_without_the_matching_column(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID\nAda,1\n")
    with pytest.raises(canvas.RosterError, match="no column SIS Login ID"):
        canvas.write(tmp_path / "c.csv", records(), roster)


def test_a_folder_name_that_is_no_student_id_is_never_a_file_or_a_row(tmp_path):
    hostile = records()[2]
    hostile.student = "../=1+1"
    logged = []
    write_exports(tmp_path, [records()[0], hostile], ["canvas", "gradescope", "classroom"], log=logged.append)
    assert any("'../=1+1'" in line for line in logged)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "canvas.csv", "classroom/ada.json", "gradescope/ada/a1/results.json"]
    with pytest.raises(ExportRefused, match="no such format"):
        write_exports(tmp_path, [], ["moodle"])


# ---------------------------------------------------------------- from a real grading

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The fixture course graded for a right and a wrong submission, with every export."""
    folder = tmp_path_factory.mktemp("exports")
    course = fixture_course(folder / "course")
    submissions = folder / "submissions"
    submit(submissions, "right", FIXTURE, full(FIXTURE, course), root=course)
    submit(submissions, "wrong", FIXTURE, untouched(FIXTURE, course), root=course)
    # Passes the visible checks, fails the hidden ones, and prints something of its own.
    tricky = with_answers(FIXTURE, {"basic_sigmoid": "def basic_sigmoid(x):\n    print('PRINTED-BY-STUDENT')\n"
                                                     "    return 0.5\n"}, course)
    submit(submissions, "tricky", FIXTURE, tricky, root=course)
    done, found = grade(course, submissions, folder / "results", "--format", "canvas", "--format", "gradescope",
                        "--format", "classroom")
    assert done.returncode == 0, done.stderr
    return course, folder / "results", found


def grades_csv(results):
    return {(row["student_id"], row["assignment"]): float(row["score"])
            for row in csv.DictReader(io.StringIO((results / "grades.csv").read_text()))}


@pytest.mark.grading
def test_every_export_of_a_grading_agrees_with_grades_csv(graded):
    course, results, found = graded
    scores = grades_csv(results)
    assert scores[("right", FIXTURE)] == total_points(FIXTURE, course) and scores[("wrong", FIXTURE)] == 0
    for student in ("right", "wrong"):
        data = json.loads((results / "gradescope" / student / FIXTURE / "results.json").read_text())
        assert check_gradescope(data) == scores[(student, FIXTURE)]
        assert sum(test["score"] for test in data["tests"]) == scores[(student, FIXTURE)]
        assert len(data["tests"]) == sum(len(n["cells"]) for n in found[(student, FIXTURE)]["notebooks"])
        points = reporter_reads(json.loads((results / "classroom" / f"{student}.json").read_text()))
        assert points == (scores[(student, FIXTURE)], total_points(FIXTURE, course))
    header, possible, *rows = read_csv(results / "canvas.csv")
    assert header == canvas.STUDENT_COLUMNS + [FIXTURE] and possible[-1] == f"{total_points(FIXTURE, course):g}"
    assert {row[3]: float(row[-1]) for row in rows} == {s: v for (s, _), v in scores.items()}


@pytest.mark.grading
def test_no_export_holds_hidden_tests_expected_values_or_what_the_student_printed(graded):
    course, results, found = graded
    cell = found[("tricky", FIXTURE)]["notebooks"][0]["cells"]["basic_sigmoid_tests"]
    assert cell["failed_in"] == "hidden", "the case this test is about: a hidden check failed"
    # The hidden part's source, line by line (the fixture's first hidden check names its expected value in its
    # message, as the course's checks do only without **HIDDEN: the message is what the student may read).
    source = nbformat.read(next((course / "source" / FIXTURE).glob("*.ipynb")), as_version=4)
    hidden = [line.strip() for cell in source.cells if "BEGIN HIDDEN TESTS" in cell.source
              for line in cell.source.split("### BEGIN HIDDEN TESTS")[1].splitlines() if "check_" in line]
    assert len(hidden) == 3
    for path in [results / "canvas.csv", results / "classroom" / "tricky.json",
                 results / "gradescope" / "tricky" / FIXTURE / "results.json"]:
        exported = path.read_text()
        assert "PRINTED-BY-STUDENT" not in exported, path.name
        assert not [line for line in hidden if line in exported or json.dumps(line)[1:-1] in exported], path.name
        assert "basic_sigmoid(-3)" not in exported, "a hidden check after the one that failed"
    [test] = [t for t in json.loads((results / "gradescope" / "tricky" / FIXTURE / "results.json").read_text())["tests"]
              if t["name"].endswith("basic_sigmoid_tests")]
    assert test["status"] == "failed" and test["output"] == cell["message"]


@pytest.mark.grading
def test_export_from_a_results_folder_writes_the_same_files(graded, tmp_path):
    _, results, _ = graded
    copy = tmp_path / "results"
    shutil.copytree(results, copy)
    for path in [copy / "canvas.csv", *copy.glob("classroom/*"), *copy.glob("gradescope/*/*/*")]:
        path.unlink()
    done = subprocess.run([sys.executable, "-m", "autograder", "export", str(copy), "--format", "canvas",
                           "--format", "gradescope", "--format", "classroom"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in ["canvas.csv", "classroom/right.json", f"gradescope/wrong/{FIXTURE}/results.json"]:
        assert (copy / name).read_text() == (results / name).read_text(), name
    merged = tmp_path / "merged"
    done = subprocess.run([sys.executable, "-m", "autograder", "merge", str(results), "--out", str(merged),
                           "--format", "canvas"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (merged / "canvas.csv").read_text() == (results / "canvas.csv").read_text()


# ---------------------------------------------------------------- the Gradescope autograder

@pytest.fixture(scope="module")
def package(graded, tmp_path_factory):
    course, _, _ = graded
    zip_path = tmp_path_factory.mktemp("package") / "autograder.zip"
    done = subprocess.run([sys.executable, "-m", "autograder", "gradescope-package", str(zip_path),
                           "--assignment", FIXTURE, "--no-data", "--timeout", "60", "--root", str(course)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return zip_path


@pytest.mark.grading
def test_the_zip_has_gradescopes_two_scripts_at_its_root_and_the_grader_beside_them(package):
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        config = json.loads(archive.read("gradescope.json"))
    for script in ("setup.sh", "run_autograder"):
        assert script in names and modes[script] & 0o111, f"{script}: at the root, executable"
    assert config == {"assignment": FIXTURE, "timeout": 60, "memory": 4096}
    for needed in ["course.py", "constraints.txt", "autograder/grading/gradescope_run.py", "autograder/hidden/__init__.py",
                   "edition/datasets/manifest.json", "nbgrader_config.py", "gradebook.db"]:
        assert needed in names, needed
    assert any(n.startswith(f"source/{FIXTURE}/") for n in names) and any(n.startswith(f"release/{FIXTURE}/") for n in names)
    assert not [n for n in names if "__pycache__" in n or n.endswith((".h5", ".pyc")) or ".egg-info" in n]


def lay_out(package, folder, notebook):
    """/autograder as Gradescope lays it out: source/ (the zip), submission/ (the upload), results/."""
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder / "source")
    (folder / "submission" / "nested").mkdir(parents=True)
    (folder / "results").mkdir()
    name = next((folder / "source" / "release" / FIXTURE).glob("*.ipynb")).name
    nbformat.write(notebook, folder / "submission" / "nested" / name)
    return folder


def run_autograder(folder):
    script = folder / "source" / "run_autograder"
    script.chmod(0o755)   # extractall keeps no modes
    return subprocess.run([str(script)], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, AUTOGRADER_ROOT=str(folder), NNCOURSE_PYTHON=sys.executable))


@pytest.mark.grading
@pytest.mark.parametrize("student", ["right", "wrong"])
def test_run_autograder_grades_a_submission_as_the_batch_does(graded, package, tmp_path, student):
    course, results, _ = graded
    notebook = full(FIXTURE, course) if student == "right" else untouched(FIXTURE, course)
    folder = lay_out(package, tmp_path / "autograder", notebook)
    done = run_autograder(folder)
    assert done.returncode == 0, done.stderr
    data = json.loads((folder / "results" / "results.json").read_text())
    assert check_gradescope(data) == grades_csv(results)[(student, FIXTURE)]
    batch = json.loads((results / "gradescope" / student / FIXTURE / "results.json").read_text())
    assert [(t["name"], t["score"], t["output"]) for t in data["tests"]] == \
        [(t["name"], t["score"], t["output"]) for t in batch["tests"]]


@pytest.mark.grading
def test_run_autograder_that_cannot_grade_gives_no_marks_and_says_so(package, tmp_path):
    folder = lay_out(package, tmp_path / "autograder", nbformat.v4.new_notebook())
    shutil.rmtree(folder / "source" / "release")   # the grade command refuses: nothing released
    done = run_autograder(folder)
    assert done.returncode == 0
    data = json.loads((folder / "results" / "results.json").read_text())
    assert check_gradescope(data) == 0 and data["tests"] == []
    assert data["output"].startswith("Not graded") and "nothing was graded" in done.stdout


def test_the_upload_is_found_where_it_is_and_only_regular_files_are_copied(tmp_path):
    upload = tmp_path / "submission"
    (upload / "repo" / "a1").mkdir(parents=True)
    (upload / "repo" / "a1" / "n.ipynb").write_text("{}")
    (upload / "repo" / "a1" / "link").symlink_to("/etc/passwd")
    (upload / "repo" / "a1" / "dir-link").symlink_to(tmp_path)
    os.mkfifo(upload / "repo" / "a1" / "fifo")
    assert hand_in_folder(upload, ["n.ipynb"]) == upload / "repo" / "a1"
    assert hand_in_folder(upload, ["other.ipynb"]) == upload
    copy_regular_files(upload / "repo" / "a1", tmp_path / "copy")
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == ["n.ipynb"]
