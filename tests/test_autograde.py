"""Autograde through nbgrader, end to end, in a throwaway copy of the course (the session fixture
autograded_by_nbgrader, tests/nbgrader_autograde.py).

The instructor's solutions score full marks, the untouched release scores zero, and a
submission with exactly some exercises done scores exactly their points.
"""

import pytest

from course_layout import assignments


@pytest.fixture(scope="module", params=assignments())
def graded(request, autograded_by_nbgrader):
    autograded = autograded_by_nbgrader(request.param)
    return request.param, autograded.partial, autograded.scores


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
