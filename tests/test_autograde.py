"""Autograde through nbgrader, end to end, in a throwaway copy of the course.

The instructor's solutions score full marks, the untouched release scores zero, and a
submission with exactly some exercises done scores exactly their points.
"""

import shutil

import nbformat
import pytest

from autograder.authoring.nbgrader_course import autograde, cell_scores, generate_assignment
from cellrun import run_notebook
from course_layout import (ROOT, assignments, exercises, release_notebook, release_with_answers,
                           source_notebook, student_copy)
from tiers import marks_its_users

pytestmark = pytest.mark.spread(by="graded")  # one nbgrader course per assignment


def independent_half(assignment, scratch):
    """Every other graded function whose tests pass with only itself filled in."""
    chosen = []
    for name in exercises(source_notebook(assignment))[::2]:
        path = student_copy(assignment, {name}, scratch / name)
        if run_notebook(path, stop_after=f"{name}_tests")[f"{name}_tests"].passed:
            chosen.append(name)
    return chosen


@pytest.fixture(scope="module", params=assignments())
@marks_its_users("grading")
def graded(request, tmp_path_factory):
    assignment = request.param
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    generate_assignment(course, assignment)
    done = independent_half(assignment, tmp_path_factory.mktemp("scratch"))
    print(f"{assignment}: the partial submission completes {done}")
    submissions = {
        "instructor": nbformat.read(source_notebook(assignment), as_version=4),
        "untouched": nbformat.read(release_notebook(assignment), as_version=4),
        "partial": release_with_answers(assignment, set(done)),
    }
    for student, notebook in submissions.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / source_notebook(assignment).name)
    autograde(course, assignment)
    return assignment, done, cell_scores(course, assignment)


def test_solutions_score_full_marks(graded):
    _, _, scores = graded
    lost = {cell: score for cell, score in scores["instructor"].items() if score[0] != score[1]}
    assert scores["instructor"] and not lost, f"the instructor's solutions lost points: {lost}"


def test_untouched_release_scores_zero(graded):
    _, _, scores = graded
    earned = {cell: score for cell, score in scores["untouched"].items() if score[0] != 0}
    assert not earned, f"an empty submission earned points: {earned}"


def test_partial_submission_scores_exactly_its_exercises(graded):
    _, done, scores = graded
    assert done, "no exercise could be completed on its own"
    expected = {cell: (maximum if cell[: -len("_tests")] in done else 0) for cell, (_, maximum) in scores["partial"].items()}
    actual = {cell: score for cell, (score, _) in scores["partial"].items()}
    assert actual == expected
