"""The grading command agrees with the tests on the corpus: every right answer full marks,
wrong answers zero for their exercise, in every assignment; and with every right answer the
whole notebook runs, the ungraded cells after the tests (training, plots) included.

The corpus tests (test_corpus.py) judge every answer with the same judge, through the same
requests and wire format, in an in-process kernel; here answers go through the sandboxed kernel,
handed in by "classmates" who each answer every exercise (the k-th classmate takes each
exercise's k-th answer), one batch per assignment: every right classmate, and the first
WRONG_CLASSMATES wrong ones. A wrong classmate runs the whole notebook, training included (half a
minute in a5), to prove that the sandboxed batch grades wrong answers as the judge does; every other
wrong answer is judged by the same judge in test_corpus.py, with the same assertions.
"""

import re

import nbformat
import pytest

from corpus import classmates
from course_layout import assignments
from grading_course import grade, submit, throwaway_course, total_points, with_answers
from tiers import marks_its_users

WRONG_CLASSMATES = 1
pytestmark = pytest.mark.spread(by="assignment")  # one batch per assignment


@pytest.fixture(scope="module")
@marks_its_users("grading")
def graded(tmp_path_factory):
    """graded(assignment): (what each classmate handed in, the records, the course) of one batch of that
    assignment's classmates, graded on first use, so `-k <assignment>` grades that one only."""
    batches = {}

    def batch(assignment):
        if assignment not in batches:
            try:
                batches[assignment] = _grade_classmates(assignment, tmp_path_factory)
            except AssertionError as failed:   # each test of the assignment says so, without grading again
                batches[assignment] = failed
        if isinstance(batches[assignment], AssertionError):
            raise batches[assignment]
        return batches[assignment]
    return batch


def graded_classmates(assignment, correct):
    """The classmates of the batch: every right one, or the first WRONG_CLASSMATES wrong ones."""
    return classmates(assignment, correct)[:None if correct else WRONG_CLASSMATES]


def _grade_classmates(assignment, tmp_path_factory):
    course = throwaway_course(tmp_path_factory.mktemp("course"), [assignment])
    submissions, out = tmp_path_factory.mktemp("submissions"), tmp_path_factory.mktemp("results")
    handed_in = {}
    for correct in (True, False):
        for k, chosen in enumerate(graded_classmates(assignment, correct)):
            student = f"{'right' if correct else 'wrong'}-{k}"
            submit(submissions, student, assignment, with_answers(assignment, {t: a.source for t, a in chosen.items()}))
            handed_in[(student, assignment)] = chosen
    done, records = grade(course, submissions, out, "--workers", "2", f"--assignment={assignment}")
    assert done.returncode == 0, done.stderr[-3000:]
    return handed_in, records, course


def _cases(correct):
    """Each classmate of each assignment, the last assignment's first: its batch is the longest, and the
    batches start in this order (tests/workers.py)."""
    return [(f"{'right' if correct else 'wrong'}-{k}", assignment) for assignment in reversed(assignments())
            for k in range(len(graded_classmates(assignment, correct)))]


@pytest.mark.parametrize("student, assignment", _cases(True))
def test_right_answers_get_full_marks(graded, student, assignment):
    handed_in, records, course = graded(assignment)
    record = records[(student, assignment)]
    lost = {cell: result["message"] for cell, result in record["notebooks"][0]["cells"].items() if not result["passed"]}
    assert not lost, f"right answers ({'; '.join(a.why for a in handed_in[(student, assignment)].values())}) lost points"
    assert (record["status"], record["score"]) == ("graded", total_points(assignment)), record["reason"]
    graded_notebooks = sorted((course / "autograded" / student / assignment).glob("*.ipynb"))
    assert graded_notebooks, "no autograded notebook"
    failures = [f"cell {index + 1}: {output.get('ename')}: {output.get('evalue')}"
                for path in graded_notebooks for index, cell in enumerate(nbformat.read(path, as_version=4).cells)
                if cell.cell_type == "code" for output in cell.outputs if output.output_type == "error"]
    assert not failures, (f"right answers ({'; '.join(a.why for a in handed_in[(student, assignment)].values())}) "
                          "broke the notebook:\n" + "\n".join(failures))


@pytest.mark.parametrize("student, assignment", _cases(False))
def test_wrong_answers_score_zero(graded, student, assignment):
    handed_in, records, _ = graded(assignment)
    record = records[(student, assignment)]
    cells = record["notebooks"][0]["cells"]
    accepted = [f"{target}: {answer.why}" for target, answer in handed_in[(student, assignment)].items()
                if cells[f"{target}_tests"]["passed"]]
    assert not accepted, f"wrong answers accepted: {accepted}"
    # A wrong answer may make a later, ungraded cell allocate without bound (say, a (m, m) array
    # from a rank-1 label vector): that is reported, and changes no score.
    assert record["status"] == "graded" or "ran out of memory" in record["reason"], record["reason"]
    for target, answer in handed_in[(student, assignment)].items():
        cell = cells[f"{target}_tests"]
        assert cell["message"], f"{target}: failed without a message"
        # What a wrong answer earns beside right ones is asserted exactly in test_corpus.py; here every other
        # answer is wrong too, and a wrong function it calls (a2's sigmoid, say) may cost it those points.
        assert cell["score"] <= answer.earns, f"{target} earned {cell['score']:g} points, more than {answer.earns:g}"
        if cell["failed_in"] == "hidden":
            assert not re.search(r"expected:? -?\d", cell["message"]), \
                f"a hidden test's message shows expected values: {cell['message']}"
