"""A student in JupyterLab and an instructor in nbgrader's formgrader, in a real (headless) Chromium.

JupyterLab is started the way people start it: the student's `python3 course.py lab` in a
student edition published and set up as a student gets it (tests/student_edition.py), and the
instructor's `python3 course.py lab` in a throwaway copy of the course. The student's notebooks
open one after the other in one page of the student's JupyterLab, which each test leaves with every
document closed (tests/browser.py: RunningLab). Screenshots of each step are kept in
test-artifacts/browser/.
"""

import shutil

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook
from playwright.sync_api import sync_playwright

from autograder.grading import class_report
from browser import ARTIFACTS, EXPOSE_APP, RunningLab, jupyter_lab, launch_with_profile, screenshot
from class_records import HOSTILE, HOSTILE_NAME, the_class
from course_layout import (ROOT, assignments, exercises, lecture_notebooks, release_notebook, source_notebook,
                           student_copy)
from grading_course import throwaway_course, total_points
from notebook_markdown import formulas_per_cell

pytestmark = pytest.mark.browser

RUN_ALL = ("Run", "Run All Cells")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder like a fresh clone after set-up: course.py, source/, release/, notebooks/, the gradebook."""
    folder = throwaway_course(tmp_path_factory.mktemp("browser") / "course", assignments())
    shutil.copy(ROOT / "course.py", folder)
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder


@pytest.fixture(scope="module")
def edition(student_edition):
    return student_edition.folder


@pytest.fixture(scope="module")
def student_lab(edition):
    with jupyter_lab(edition, jupyter_options=[EXPOSE_APP]) as lab:
        yield lab


@pytest.fixture(scope="module")
def instructor_lab(course):
    with jupyter_lab(course) as lab:
        yield lab


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    for stale in ARTIFACTS.glob("*.png"):
        stale.unlink()
    with sync_playwright() as playwright:
        browser = launch_with_profile(playwright, tmp_path_factory.mktemp("chromium-profile"),
                                      viewport={"width": 1400, "height": 900})
        yield browser
        browser.close()


def new_page(chromium):
    page = chromium.new_page()
    page.set_default_timeout(60_000)
    return page


def screenshot_if_failed(page, request):
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        screenshot(page, f"{request.node.name}-FAILED")


@pytest.fixture
def page(chromium, request):
    page = new_page(chromium)
    yield page
    screenshot_if_failed(page, request)
    page.close()


@pytest.fixture(scope="module")
def running_student_lab(chromium, student_lab):
    page = new_page(chromium)
    yield RunningLab(page, student_lab)
    page.close()


@pytest.fixture
def lab(running_student_lab, request):
    """The student's JupyterLab, running in one page for the module's tests (tests/browser.py: RunningLab)."""
    yield running_student_lab
    screenshot_if_failed(running_student_lab.page, request)
    running_student_lab.close_everything()


def fresh_student_copy(edition, assignment, done=()):
    """The student's copy of the release notebook, with the instructor's answers in the exercises `done`."""
    path = student_copy(assignment, set(done), edition / "assignments" / assignment)
    return path.relative_to(edition).as_posix(), len(nbformat.read(path, as_version=4).cells)


def answered(assignment, grade_id):
    """The exercise cell as a student leaves it: the release's text with the placeholder replaced by an answer."""
    cell = next(cell for cell in nbformat.read(source_notebook(assignment), as_version=4).cells
                if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "\n".join(line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


def index_of(assignment, grade_id):
    cells = nbformat.read(release_notebook(assignment), as_version=4).cells
    return next(i for i, cell in enumerate(cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def validate(notebook):
    """Press the toolbar's Validate button; return the text of nbgrader's result dialog."""
    notebook.panel.get_by_role("button", name="Validate").click()
    notebook.page.get_by_text("Validating...").wait_for(timeout=10_000)  # the student sees it working
    dialog = notebook.page.locator(".jp-Dialog")
    dialog.wait_for(timeout=notebook.timeout)
    return dialog.text_content()


@pytest.mark.parametrize("assignment", assignments())
def test_student_runs_a_release_notebook_and_is_stopped_at_the_first_exercise(edition, lab, assignment):
    path, cells = fresh_student_copy(edition, assignment)
    notebook = lab.open(path, cells)

    assert notebook.typesetting_problems(formulas_per_cell(release_notebook(assignment))) == []

    with notebook.running():
        notebook.menu(*RUN_ALL)

    first_exercise = index_of(assignment, exercises(release_notebook(assignment))[0])
    outputs = notebook.outputs()
    failed = [index for index, text in outputs.items() if "NotImplementedError" in text]
    assert len(failed) == 1 and failed[0] in (first_exercise, first_exercise + 1), \
        f"expected the first exercise (cell {first_exercise}) or its test to stop the run; errors in {failed}"
    message = outputs[failed[0]]
    assert "YOUR CODE HERE" in message, "the traceback should point the student at the cell to fill in"
    prompts = notebook.prompts()
    assert all(prompt not in ("[ ]:", "") for index, prompt in prompts.items() if index <= failed[0]), prompts
    assert all(prompt == "[ ]:" for index, prompt in prompts.items() if index > failed[0]), \
        "cells after the error ran: Run All should stop at the first unfinished exercise"
    assert notebook.broken_images() == []

    notebook.cell(failed[0]).locator(".jp-OutputArea").scroll_into_view_if_needed()
    screenshot(lab.page, f"student-{assignment}-run-all")


@pytest.mark.parametrize("lecture", lecture_notebooks(), ids=lambda path: path.stem)
def test_student_reads_a_lecture_with_its_maths_and_runs_it_with_every_figure_drawn(lab, lecture):
    path = f"notebooks/{lecture.name}"  # where the edition has the lectures
    cells = nbformat.read(lecture, as_version=4).cells
    notebook = lab.open(path, len(cells))
    assert notebook.typesetting_problems(formulas_per_cell(lecture)) == []

    with notebook.running():
        notebook.menu(*RUN_ALL)
    prompts = notebook.prompts()
    assert all(prompt.strip("[]:").isdigit() for prompt in prompts.values()), f"cells did not all run: {prompts}"
    assert not [text for text in notebook.outputs().values() if "Traceback" in text]
    plotted = sum("plt.show()" in cell.source for cell in cells if cell.cell_type == "code")
    assert notebook.figures() >= plotted and notebook.broken_images() == []
    screenshot(lab.page, f"student-lecture-{lecture.stem}")


def test_the_page_checks_see_maths_that_fails_to_typeset_and_images_that_fail_to_load(edition, lab):
    folder = edition / "page-checks"
    folder.mkdir(exist_ok=True)
    cells = ["Sound: $a + b$ and $$\\frac{1}{m}\\sum_i L_i$$", "Undefined command: $\\frca{1}{2}$",
             "Mismatched: $$\\begin{aligned} a \\end{align}$$", "Unbalanced: $\\frac{1}{2$ end",
             "![a missing image](missing.png)"]
    kernel = nbformat.read(release_notebook("a1_single_neuron"), as_version=4).metadata.kernelspec
    nbformat.write(new_notebook(cells=[new_markdown_cell(text) for text in cells], metadata={"kernelspec": kernel}),
                   folder / "broken.ipynb")
    notebook = lab.open("page-checks/broken.ipynb", len(cells))

    problems = notebook.typesetting_problems({0: 2, 1: 1, 2: 1, 3: 1})
    assert [problem.split(":")[0] for problem in problems] == ["cell 3", "cell 1", "cell 2"], problems
    assert len(notebook.broken_images()) == 1
    screenshot(lab.page, "page-checks-broken-maths-and-image")


def test_student_answers_one_exercise_sees_its_test_pass_and_validates(edition, lab):
    assignment, exercise = "a1_single_neuron", "linear_hypothesis"
    path, cells = fresh_student_copy(edition, assignment)
    notebook = lab.open(path, cells)
    with notebook.running():
        notebook.menu(*RUN_ALL)
    cell = index_of(assignment, exercise)
    assert "NotImplementedError" in notebook.outputs()[cell + 1]

    notebook.replace_source(cell, answered(assignment, exercise))
    with notebook.running():
        lab.page.keyboard.press("Shift+Enter")  # run the answer; the test cell below becomes the active one
        lab.page.keyboard.press("Shift+Enter")  # run the visible test
    assert notebook.outputs()[cell + 1].strip() == f"{exercise}: visible checks passed"
    screenshot(lab.page, "student-a1-visible-test-passes")

    results = validate(notebook)
    screenshot(lab.page, "student-a1-validate-the-rest-unfinished")
    unfinished = exercises(release_notebook(assignment))[1:]
    assert "Validation Results" in results
    assert results.count("The following cell failed") == len(unfinished)
    assert "linear_hypothesis(theta, X)" not in results, "Validate still fails the answered exercise"
    assert "basic_sigmoid(1)" in results
    saved = nbformat.read(edition / path, as_version=4)
    assert "np.dot(theta[1:].T, X)" in saved.cells[cell].source, "Validate should save the notebook first"


def test_student_with_every_exercise_done_sees_every_check_pass_and_validate_succeed(edition, lab):
    assignment = "a1_single_neuron"
    path, cells = fresh_student_copy(edition, assignment, done=exercises(source_notebook(assignment)))
    notebook = lab.open(path, cells)
    with notebook.running():
        notebook.menu(*RUN_ALL)

    outputs = notebook.outputs()
    assert not [text for text in outputs.values() if "Traceback" in text or "Error" in text]
    tests = [index_of(assignment, f"{name}_tests") for name in exercises(release_notebook(assignment))]
    assert all("visible checks passed" in outputs[index] for index in tests)
    assert notebook.figures() >= 1 and notebook.broken_images() == []

    results = validate(notebook)
    screenshot(lab.page, "student-a1-validate-success")
    assert "Success! Your notebook passes all the tests." in results


def nbgrader_menu_items(page):
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    items = page.locator(".lm-Menu-content .lm-Menu-itemLabel").all_text_contents()
    page.keyboard.press("Escape")
    return [item for item in items if item]  # a disabled plugin's command leaves an empty label


def test_the_student_lab_has_validate_and_the_assignment_list_but_no_instructor_panels(
        edition, lab, instructor_lab, page):
    """The same check in the instructor's lab finds the panels, so it can fail."""
    page.goto(f"{instructor_lab[0]}/lab?reset&token={instructor_lab[1]}")
    shown = {}
    for who, on, (base, token) in [("instructor", page, instructor_lab), ("student", lab.page, lab.lab)]:
        on.get_by_role("menuitem", name="Nbgrader", exact=True).wait_for()
        on.wait_for_timeout(1000)  # the menu gains its items as their plugins start
        shown[who] = {"menu": nbgrader_menu_items(on),
                      "formgrader": on.request.get(f"{base}/formgrader?token={token}").status}
        on.get_by_role("menuitem", name="Nbgrader", exact=True).click()
        screenshot(on, f"{who}-lab-nbgrader-menu")
        on.keyboard.press("Escape")
    assert {"Formgrader", "Create assignment", "Course List"} <= set(shown["instructor"]["menu"]), shown
    assert shown["instructor"]["formgrader"] == 200, shown
    assert shown["student"] == {"menu": ["Assignment List"], "formgrader": 404}, shown


def loaded_rows(formgrader, column):
    """The rows of the formgrader table that has this column, once every assignment is listed.

    Naming the column keeps the previous page's table, still shown while the next one
    loads, from being read; waiting for the last assignment skips the "Loading" row."""
    rows = formgrader.locator(f"table:has(th:text-is('{column}')) tbody tr")
    rows.filter(has_text=assignments()[-1]).first.wait_for()
    return rows


def test_instructor_sees_every_assignment_with_its_points_in_the_formgrader(instructor_lab, page):
    base, token = instructor_lab
    page.goto(f"{base}/lab?reset&token={token}")
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Formgrader", exact=True).click()
    formgrader = page.frame_locator("iframe[src*='formgrader']")

    listed = loaded_rows(formgrader, column="# Submissions")
    rows = [row.strip() for row in listed.all_text_contents()]
    for assignment in assignments():
        assert any(row.startswith(assignment) for row in rows), f"{assignment} is not under Manage Assignments"
    screenshot(page, "instructor-formgrader-assignments")

    formgrader.get_by_role("link", name="Manual Grading").click()
    scores = loaded_rows(formgrader, column="Score")
    shown = {row.split()[0]: " ".join(row.split()) for row in scores.all_inner_texts()}
    for assignment in assignments():
        assert f"0 / {total_points(assignment):g}" in shown.get(assignment, ""), \
            f"{assignment}: expected its total of {total_points(assignment):g} points, the page shows {shown}"
    screenshot(page, "instructor-formgrader-points")


def test_instructor_opens_the_class_report_and_sees_every_figure_and_section(page, tmp_path):
    report = class_report.write(tmp_path, the_class())
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(report.as_uri())
    assert page.title() == "Class report"
    assert page.locator("h2").all_inner_texts() == ["Scores", "Exercises", "Most frequent failure messages",
                                                    "Statuses", "Grading time"]
    widths = page.evaluate("Array.from(document.images, img => img.complete ? img.naturalWidth : 0)")
    assert len(widths) == 4 and all(width > 300 for width in widths), widths
    shown = page.locator("body").inner_text()
    assert HOSTILE in shown and HOSTILE_NAME in shown and not dialogs
    screenshot(page, "instructor-class-report")
    page.locator("#exercises").scroll_into_view_if_needed()
    screenshot(page, "instructor-class-report-exercises")

