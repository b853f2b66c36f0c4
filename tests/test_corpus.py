"""The tests of every graded function reject typical wrong answers and accept right ones
written differently from the solution (the answers are in tests/corpus/), judged by the
grader's judge with the notebook in an in-process kernel (tests/cellrun.py).

That the rest of the notebook (training, plots) runs with every right answer is checked where
the same classmates are graded whole, in the sandbox (tests/test_grading_corpus.py)."""

import re

import pytest

from cellrun import code_cells, run_notebook
from corpus import answers
from course_layout import assignments, cell_source, exercises, release_notebook, source_notebook, grading_cells

pytestmark = pytest.mark.spread  # every answer judged on its own

ANSWERS = [answer for name in assignments() for answer in answers(name)]


def cells_by_key(notebook):
    return {cell.key: cell for cell in code_cells(notebook)}


def _id(answer):
    return f"{answer.assignment}/{answer.target}/{'right' if answer.correct else 'wrong'}: {answer.why}"


@pytest.mark.parametrize("assignment", assignments())
def test_every_exercise_has_two_wrong_and_one_right_answer(assignment):
    corpus = answers(assignment)
    functions = exercises(source_notebook(assignment))
    unknown = {answer.target for answer in corpus} - set(functions)
    assert not unknown, f"corpus answers for cells the notebook does not have: {sorted(unknown)}"
    for function in functions:
        wrongs = sum(1 for a in corpus if a.target == function and not a.correct)
        rights = sum(1 for a in corpus if a.target == function and a.correct)
        assert wrongs >= 2 and rights >= 1, f"{function}: {wrongs} wrong and {rights} right answers in the corpus"


@pytest.mark.parametrize("answer", [a for a in ANSWERS if not a.correct], ids=_id)
@pytest.mark.notebooks
def test_wrong_answer_is_rejected(answer):
    notebook = source_notebook(answer.assignment)
    outcome = run_notebook(notebook, {answer.target: answer.source}, stop_after=answer.test_cell)[answer.test_cell]
    assert not outcome.passed, f"{answer.test_cell} accepted a wrong answer ({answer.why})"
    assert outcome.blame in ("check", "student"), f"the test itself crashed: {outcome.describe()}"
    assert outcome.earned == answer.earns, \
        f"{answer.test_cell} gave {outcome.earned:g} points, not {answer.earns:g}: {_cases(outcome)}"
    assert outcome.message, f"{answer.test_cell} failed without a message"
    if outcome.part == "hidden":
        assert not re.search(r"expected:? -?\d", outcome.message), \
            f"a hidden test's message shows expected values: {outcome.message}"
    if answer.message:
        assert answer.message in outcome.message, f"the message does not mention {answer.message!r}: {outcome.message}"
    if answer.passes_visible:
        # The release's copy of the test cell is the visible part alone.
        visible = cell_source(release_notebook(answer.assignment), answer.test_cell)
        seen = run_notebook(notebook, {answer.target: answer.source, answer.test_cell: visible},
                            stop_after=answer.test_cell)[answer.test_cell]
        assert seen.passed, f"expected only the hidden tests to catch this, but: {seen.describe()}"


@pytest.mark.parametrize("answer", [a for a in ANSWERS if a.correct], ids=_id)
@pytest.mark.notebooks
def test_right_answer_is_accepted(answer):
    notebook = source_notebook(answer.assignment)
    outcomes = run_notebook(notebook, {answer.target: answer.source}, stop_after=grading_cells(notebook)[-1])
    failures = [outcome.describe() for outcome in outcomes.values() if not outcome.passed]
    assert not failures, "a right answer failed:\n" + "\n".join(failures)
    cell = cells_by_key(notebook)[answer.test_cell]
    assert outcomes[answer.test_cell].earned == cell.points, f"{answer.test_cell}: {_cases(outcomes[answer.test_cell])}"


def _cases(outcome):
    return "; ".join(f"{c.part} case {c.name!r}: {'passed' if c.passed else c.message}" for c in outcome.cases) \
        or "no cases"
