"""The formgrader's Generate Feedback and Autograde buttons, as nbgrader runs them with the course's config.

The buttons call NbGraderAPI.generate_feedback(assignment, student) and
NbGraderAPI.autograde(assignment, student) in the Jupyter server; here the same calls run in a
throwaway copy of the course. One submission is graded by the course's grader (its notebook
displays script); a second is autograded by nbgrader through the instructor's opt-in
(nbgrader_course.autograde), so that its test cells carry nbgrader's tracebacks, which quote the
hidden tests. Both feedback pages keep nbgrader's look but show no hidden test and run no script;
the Autograde button refuses and runs nothing (autograder/authoring/formgrader_guard.py).
"""

import html
import re
import subprocess
import sys

import nbformat
import pytest
from bs4 import BeautifulSoup

from autograder.grading import feedback_page
from autograder.authoring.nbgrader_course import api, autograde, cell_scores
from course_layout import ROOT, release_notebook, source_notebook
from grading_course import (add_cell_after, full, grade, hidden_test_lines, submit, throwaway_course,
                            total_points)
from tiers import marks_its_users

A1 = "a1_single_neuron"
NOTEBOOK = "single_neuron"
REFUSAL_NAMES = "python3 course.py grade"
DISPLAYS_SCRIPT = ("from IPython.display import HTML, Javascript, display\n"
                   "display(HTML(\"<script>document.title='pwned-html'</script>\"))\n"
                   "display(Javascript(\"document.title='pwned-js'\"))\n"
                   "HTML(\"<img src=x onerror=\\\"document.title='pwned-img'\\\">\")\n")
# Passes sigmoid's visible check (a 2 x 3 example), fails its hidden one: the hidden line is in the traceback.
FAILS_HIDDEN = ("_right_sigmoid = sigmoid\n\n"
                "def sigmoid(x):\n    return _right_sigmoid(x) if np.shape(x) == (2, 3) else np.zeros(np.shape(x))\n")


def writes_marker(marker):
    """A notebook that, when run, writes `marker` (and fails a hidden test)."""
    notebook = add_cell_after(full(A1), "sigmoid", FAILS_HIDDEN)
    return add_cell_after(notebook, "linear_hypothesis", f"open({str(marker)!r}, 'w').write('ran')\n")


@pytest.fixture(scope="module")
@marks_its_users("grading")
def buttons(tmp_path_factory):
    """The course after one grading batch (mallory), one trusted nbgrader autograde (trent), and
    Generate Feedback for both; eve's notebook, never graded, waits in submitted/."""
    course = throwaway_course(tmp_path_factory.mktemp("course"), [A1])
    markers, out = tmp_path_factory.mktemp("markers"), tmp_path_factory.mktemp("results")
    submitted = course / "submitted"
    submit(submitted, "mallory", A1, add_cell_after(full(A1), "sigmoid_tests", DISPLAYS_SCRIPT))
    done, records = grade(course, submitted, out, "--assignment", A1, "--workers", "1", "--timeout", "10",
                          "--memory", "2000")
    assert records.get(("mallory", A1), {}).get("status") == "graded", done.stdout[-2000:] + done.stderr[-3000:]
    for student in ("eve", "trent"):
        submit(submitted, student, A1, writes_marker(markers / student))
    autograde(course, A1, "trent")   # the instructor's opt-in: runs the notebook, as the instructor
    feedback = {student: api(course).generate_feedback(A1, student) for student in ("mallory", "trent")}
    return course, markers, feedback


def page_of(course, student):
    return (course / "feedback" / student / A1 / f"{NOTEBOOK}.html").read_text(encoding="utf-8")


def text_of(page):
    return BeautifulSoup(page, "html.parser").get_text()


def json_escaped(line):
    """The line as it is written in a notebook file."""
    return line.replace("\\", "\\\\").replace('"', '\\"')


def hidden_module_lines():
    """The hidden tests' own module, line by line (its longer lines that no cell of the source notebook,
    solutions included, has)."""
    notebook = "\n".join(cell.source for cell in nbformat.read(source_notebook(A1), as_version=4).cells)
    module = (ROOT / "autograder" / "hidden" / f"{A1}.py").read_text()
    return [line.strip() for line in module.splitlines()
            if len(line.strip()) >= 25 and not line.strip().startswith(("#", '"')) and line.strip() not in notebook]


@pytest.mark.parametrize("student", ["mallory", "trent"])
def test_generate_feedback_succeeds(buttons, student):
    result = buttons[2][student]
    assert result["success"], result.get("error", "") + result.get("log", "")


@pytest.mark.parametrize("student", ["mallory", "trent"])
def test_feedback_shows_no_hidden_test(buttons, student):
    course = buttons[0]
    hidden = hidden_test_lines(A1)
    assert len(hidden) >= 19, "the source notebook should have hidden tests to look for"
    graded = (course / "autograded" / student / A1 / f"{NOTEBOOK}.ipynb").read_text()
    assert all(line in graded or json_escaped(line) in graded for line in hidden), \
        "the autograded notebook should hold the hidden tests, for this test to mean anything"
    page = page_of(course, student)
    text = text_of(page)
    shown = [line for line in hidden if line in text or line in page or html.escape(line) in page]
    assert not shown, f"the feedback shows hidden tests: {shown[:3]}"
    assert "BEGIN HIDDEN" not in page and "END HIDDEN" not in page
    module = hidden_module_lines()
    assert len(module) >= 20
    assert not [line for line in module if line in text], "the feedback quotes the hidden tests' module"


def test_a_traceback_quoting_the_hidden_tests_keeps_only_its_message(buttons):
    course = buttons[0]
    graded = (course / "autograded" / "trent" / A1 / f"{NOTEBOOK}.ipynb").read_text()
    assert "hidden.check_sigmoid(sigmoid)" in graded and "Traceback" in graded
    text = text_of(page_of(course, "trent"))
    assert "CheckFailed: sigmoid(x) for x of shape" in text
    assert "Traceback" not in text and "hidden.check" not in text


@pytest.mark.parametrize("student", ["mallory", "trent"])
def test_feedback_runs_no_script_and_has_the_policy(buttons, student):
    page = page_of(buttons[0], student)
    assert feedback_page.problems(page) == []
    policy = re.search(r'<head>\s*<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert policy and html.unescape(policy.group(1)) == feedback_page.CSP
    assert "script-src 'none'" in feedback_page.CSP and "default-src 'none'" in feedback_page.CSP
    assert "<script" not in page.replace("&lt;script", "")
    assert "cannot be shown safely" not in page, "the plain fallback page instead of the notebook"


def test_what_the_submission_displayed_is_shown_as_text(buttons):
    page = page_of(buttons[0], "mallory")
    text = text_of(page)
    assert "<script>document.title='pwned-html'</script>" in text
    assert "[a JavaScript output: not shown in the feedback page]" in text
    assert not [img for img in BeautifulSoup(page, "html.parser").find_all("img") if img.get("onerror")]


def test_feedback_keeps_nbgrader_s_score_table(buttons):
    course = buttons[0]
    tests = [cell for cell in nbformat.read(release_notebook(A1), as_version=4).cells
             if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")]
    total = total_points(A1)
    page = page_of(course, "mallory")
    text = text_of(page)
    assert f"{NOTEBOOK} (Score: {total:.1f} / {total:.1f})" in text
    toc = BeautifulSoup(page, "html.parser").find(id="toc")
    assert toc is not None and len(toc.find_all("li")) == len(tests)
    assert "Test cell (Score: 1.0 / 1.0)" in toc.get_text()
    assert "Grade cell:" in text and "Student's answer" in text and "panel-heading" in page
    assert "sigmoid: visible checks passed" in text
    trent = text_of(page_of(course, "trent"))
    assert "(Score: 0.0 / 1.0)" in trent, "trent's wrong sigmoid should show a lost test"


def test_autograde_refuses_and_runs_no_student_code(buttons):
    course, markers, _ = buttons
    result = api(course).autograde(A1, "eve")   # as the button calls it: force=True, create=True
    assert result["success"] is False
    assert REFUSAL_NAMES in result["error"] and REFUSAL_NAMES in result.get("log", "")
    assert "unsandboxed" in result["log"] and "instructor's rights" in result["log"]
    assert not (markers / "eve").exists(), "the student's code ran"
    assert not (course / "autograded" / "eve").exists()
    assert "eve" not in cell_scores(course, A1)


def test_autograde_leaves_the_course_grader_s_results_alone(buttons):
    course = buttons[0]
    graded = course / "autograded" / "mallory" / A1 / f"{NOTEBOOK}.ipynb"
    before, scores = graded.read_bytes(), cell_scores(course, A1)["mallory"]
    result = api(course).autograde(A1, "mallory")
    assert result["success"] is False and REFUSAL_NAMES in result["error"]
    assert graded.read_bytes() == before, "nbgrader replaced the course grader's autograded notebook"
    assert cell_scores(course, A1)["mallory"] == scores


def test_the_nbgrader_autograde_command_refuses_too(buttons):
    course, markers, _ = buttons
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", A1, "--student", "eve"], cwd=course,
                          capture_output=True, text=True)
    assert done.returncode != 0 and REFUSAL_NAMES in done.stdout + done.stderr
    assert not (markers / "eve").exists()


def test_the_instructors_opt_in_still_autogrades(buttons):
    course, markers, _ = buttons
    assert (markers / "trent").read_text() == "ran", "nbgrader_course.autograde should run the notebook"
    scores = cell_scores(course, A1)["trent"]
    assert scores["sigmoid_tests"] == (0.0, 1.0) and scores["linear_hypothesis_tests"] == (1.0, 1.0)
    assert (course / "autograded" / "trent" / A1 / f"{NOTEBOOK}.ipynb").exists()
