"""Partial credit: a test cell that splits its points among named cases (nncourse.checks.case) earns
the points of the cases that pass, judged by the grader's judge; in a notebook a case is a plain block;
a source whose cases do not add up to the cell's points is not released; and a graded submission's
partial score reaches the record, the feedback page, grades.csv and the gradebook."""


import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import cells
from autograder.authoring.execution import NotebookFailed
from autograder.authoring.release import build_release
from autograder.grading.in_process_kernel import InProcessKernel
from autograder.grading.judge import judge, trusted_imports
from autograder.grading.records import CellResult
from course_layout import ROOT
from grading_course import FIXTURE, fixture_course, grade, submit, with_answers
from nncourse.checks import CheckFailed, case, check_scalar

COURSE_IMPORTS = "import numpy as np\nfrom nncourse.checks import case, check_scalar, check_that\n"

TWO_HIDDEN_CASES = """\
check_that(callable(cost), "cost is not a function")
### BEGIN HIDDEN TESTS
with case("the cost of 2", points=1):
    check_scalar("cost(2)", cost(2), 4.0)
with case("the cost of 3", points=2):
    check_scalar("cost(3)", cost(3), 9.0)
### END HIDDEN TESTS
"""


def judged(answer, test, points=3.0):
    """The CellResult and Verdict of `test` judged against a notebook whose answer cell is `answer`."""
    kernel = InProcessKernel(_folder())
    kernel.run(COURSE_IMPORTS)
    kernel.run(answer)
    verdict = judge(test, kernel, trusted_imports([COURSE_IMPORTS]), {}, "cell cost_tests")
    result = CellResult(points)
    result.judged(verdict.passed, verdict.message, verdict.part, verdict.cases)
    return result, verdict


_folders = []


def _folder():
    return _folders[-1]


@pytest.fixture(autouse=True)
def requests_folder(tmp_path):
    _folders.append(tmp_path)
    yield
    _folders.pop()


def test_a_right_answer_earns_every_case_and_the_cell_passes():
    result, _ = judged("def cost(x):\n    return x ** 2\n", TWO_HIDDEN_CASES)
    assert (result.passed, result.score) == (True, 3.0)
    assert [(c.name, c.part, c.points, c.passed) for c in result.cases] == [
        ("the cost of 2", "hidden", 1.0, True), ("the cost of 3", "hidden", 2.0, True)]


def test_a_failing_case_earns_nothing_and_the_next_case_is_still_judged():
    result, verdict = judged("def cost(x):\n    return 4.0\n", TWO_HIDDEN_CASES)
    assert (result.passed, result.score, result.failed_in) == (False, 1.0, "hidden")
    assert [c.passed for c in result.cases] == [True, False]
    assert "cost(3)" in result.message and result.message == result.cases[1].message
    assert isinstance(verdict.error, CheckFailed)


def test_a_student_error_inside_a_case_fails_that_case_only():
    result, _ = judged("def cost(x):\n    if x == 2:\n        raise ValueError('no')\n    return x ** 2\n",
                       TWO_HIDDEN_CASES)
    assert (result.score, [c.passed for c in result.cases]) == (2.0, [False, True])
    assert "ValueError" in result.cases[0].message


def test_the_hidden_cases_are_judged_even_when_a_visible_check_outside_them_fails():
    test = TWO_HIDDEN_CASES.replace('check_that(callable(cost), "cost is not a function")',
                                    'check_scalar("cost(1)", cost(1), 1.0)')
    result, _ = judged("def cost(x):\n    return 4.0 if x == 2 else 0.0\n", test)
    assert (result.passed, result.score, result.failed_in) == (False, 1.0, "visible")
    assert "cost(1)" in result.message


def test_a_failing_check_outside_the_cases_stops_its_part_and_the_cases_after_it_earn_nothing():
    test = TWO_HIDDEN_CASES.replace("### BEGIN HIDDEN TESTS\n",
                                    '### BEGIN HIDDEN TESTS\ncheck_scalar("cost(0)", cost(0), 0.0)\n')
    result, _ = judged("def cost(x):\n    return x ** 2 + 1.0\n", test)
    assert result.score == 0.0
    assert [c.message for c in result.cases] == ["not run: a check before it in the cell failed"] * 2
    assert "cost(0)" in result.message


def test_a_case_run_in_a_loop_fails_if_any_of_its_runs_fails():
    test = ('for x, square in [(1, 1.0), (2, 4.0), (3, 9.0)]:\n    with case("squares", points=1):\n'
            '        check_scalar(f"cost({x})", cost(x), square)\n')
    result, _ = judged("def cost(x):\n    return 1.0 if x == 1 else 4.0\n", test, points=1.0)
    assert (result.score, result.cases[0].passed) == (0.0, False)
    assert "cost(3)" in result.message


def test_a_visible_and_a_hidden_case_split_the_points_between_the_two_parts():
    test = ('with case("the visible example", points=1):\n    check_scalar("cost(1)", cost(1), 1.0)\n'
            '### BEGIN HIDDEN TESTS\nwith case("other inputs", points=1):\n    check_scalar("cost(3)", cost(3), 9.0)\n'
            '### END HIDDEN TESTS\n')
    result, _ = judged("def cost(x):\n    return 1.0\n", test, points=2.0)
    assert [(c.part, c.passed) for c in result.cases] == [("visible", True), ("hidden", False)]
    assert (result.score, result.failed_in) == (1.0, "hidden")


def test_without_cases_a_cell_is_still_all_or_nothing():
    test = 'check_scalar("cost(2)", cost(2), 4.0)\n### BEGIN HIDDEN TESTS\ncheck_scalar("cost(3)", cost(3), 9.0)\n### END HIDDEN TESTS\n'
    result, _ = judged("def cost(x):\n    return 4.0\n", test, points=2.0)
    assert (result.passed, result.score, result.cases) == (False, 0.0, [])


def test_in_a_notebook_a_case_is_a_plain_block_and_a_failing_check_stops_the_cell():
    with case("anything", points=1):
        check_scalar("x", 1.0, 1.0)
    with pytest.raises(CheckFailed):
        with case("the cost", points=1):
            check_scalar("cost", 2.0, 1.0)


@pytest.mark.parametrize("source, problem", [
    ('with case("a", points=1):\n    pass\n### BEGIN HIDDEN TESTS\nwith case("b", points=1):\n    pass\n'
     "### END HIDDEN TESTS\n", "add up to 2, but the cell has 3 points"),
    ('with case("a", points=2):\n    pass\nwith case("a", points=1):\n    pass\n', "two cases are named alike"),
    ('name = "a"\nwith case(name, points=3):\n    pass\n', "as plain values"),
    ('with case("a", points=0):\n    pass\nwith case("b", points=3):\n    pass\n', "positive points"),
])
def test_cases_that_do_not_add_up_or_cannot_be_read_are_named(source, problem):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        source, metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "f_tests", "points": 3}})])
    found = cells.case_problems(notebook)
    assert len(found) == 1 and problem in found[0] and found[0].startswith("f_tests: "), found


def test_the_course_sources_cases_add_up():
    folders = cells.course_folders(ROOT)
    problems = [problem for name in folders.assignments() for path in folders.notebooks(name, "source")
                for problem in cells.case_problems(nbformat.read(path, as_version=4))]
    assert problems == []


def with_cases(course):
    """The fixture course, its sigmoid_tests (2 points) split: 1 for the visible example, 1 for the hidden one."""
    path = course / "source" / FIXTURE / "sigmoid.ipynb"
    notebook = nbformat.read(path, as_version=4)
    test = next(cell for cell in notebook.cells if cells.grade_id(cell) == "sigmoid_tests")
    visible, hidden = cells.visible_and_hidden(test.source)
    check_visible, printing = visible.strip().split("\n")
    test.source = (f'from nncourse.checks import case\nwith case("the visible example", points=1):\n    {check_visible}\n'
                   f'{printing}\n### BEGIN HIDDEN TESTS\nwith case("a column vector", points=1):\n'
                   f'    {hidden.strip()}\n### END HIDDEN TESTS')
    nbformat.write(notebook, path)
    return notebook


def test_a_release_whose_cases_do_not_add_up_is_refused(tmp_path):
    course = fixture_course(tmp_path / "course")
    notebook = with_cases(course)
    path = course / "source" / FIXTURE / "sigmoid.ipynb"
    test = next(cell for cell in notebook.cells if cells.grade_id(cell) == "sigmoid_tests")
    test.source = test.source.replace('"a column vector", points=1', '"a column vector", points=2')
    nbformat.write(notebook, path)
    with pytest.raises(NotebookFailed, match="add up to 3, but the cell has 2 points"):
        build_release(course, [FIXTURE], check=False, log=lambda *_: None)


FLATTENS = "def sigmoid(x):\n    return 1 / (1 + np.exp(-np.ravel(x)))\n"
# Whatever the student's code does to the checks in its own kernel, the judge's are its own.
TAMPERS = FLATTENS + ("import contextlib, nncourse.checks as checks\n"
                      "checks.case = lambda *a, **k: contextlib.suppress(Exception)\n"
                      "checks._judges.append(None)\n")


@pytest.mark.grading
def test_a_graded_submission_earns_its_cases_points_in_the_record_feedback_csv_and_gradebook(tmp_path):
    course = fixture_course(tmp_path / "course")
    with_cases(course)
    build_release(course, [FIXTURE], check=False, log=lambda *_: None)
    submissions = tmp_path / "submissions"
    for student, answer in [("flattens", FLATTENS), ("tampers", TAMPERS)]:
        submit(submissions, student, FIXTURE, with_answers(FIXTURE, {"sigmoid": answer}, root=course), root=course)
    done, records = grade(course, submissions, tmp_path / "out")
    assert done.returncode == 0, done.stderr[-2000:]
    for student in ("flattens", "tampers"):
        cell = records[(student, FIXTURE)]["notebooks"][0]["cells"]["sigmoid_tests"]
        assert (cell["score"], cell["passed"], cell["failed_in"]) == (1.0, False, "hidden"), cell
        assert [(c["name"], c["passed"]) for c in cell["cases"]] == [("the visible example", True),
                                                                     ("a column vector", False)]
    rows = {row.split(",")[3]: row.split(",") for row in (tmp_path / "out" / "grades.csv").read_text().splitlines()[1:]}
    assert rows["flattens"][-2] == "1.0"    # score; the basic_sigmoid exercise left undone
    with Gradebook(cells.course_folders(course).db_url) as gradebook:
        assert gradebook.find_grade("sigmoid_tests", "sigmoid", FIXTURE, "flattens").score == 1.0
    page = (tmp_path / "out" / "feedback" / "flattens" / FIXTURE / "sigmoid.html").read_text()
    assert "a column vector" in page and "the visible example" in page and "1 / 2" in page
