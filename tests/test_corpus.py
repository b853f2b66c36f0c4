"""The tests of every graded function reject typical wrong answers and accept right ones
written differently from the solution (the answers are in tests/corpus/)."""

import pytest

from cellrun import run_notebook
from corpus import answers
from course_layout import assignments, graded_functions, release_notebook, source_notebook, cell_source

ANSWERS = [answer for name in assignments() for answer in answers(name)]


def _id(answer):
    return f"{answer.assignment}/{answer.target}/{'right' if answer.correct else 'wrong'}: {answer.why}"


@pytest.mark.parametrize("assignment", assignments())
def test_every_graded_function_has_two_wrong_and_one_right_answer(assignment):
    corpus = answers(assignment)
    functions = graded_functions(source_notebook(assignment))
    unknown = {answer.target for answer in corpus} - set(functions)
    assert not unknown, f"corpus answers for cells the notebook does not have: {sorted(unknown)}"
    for function in functions:
        wrongs = sum(1 for a in corpus if a.target == function and not a.correct)
        rights = sum(1 for a in corpus if a.target == function and a.correct)
        assert wrongs >= 2 and rights >= 1, f"{function}: {wrongs} wrong and {rights} right answers in the corpus"


@pytest.mark.parametrize("answer", [a for a in ANSWERS if not a.correct], ids=_id)
def test_wrong_answer_is_rejected(answer):
    notebook = source_notebook(answer.assignment)
    outcome = run_notebook(notebook, {answer.target: answer.source}, stop_after=answer.test_cell)[answer.test_cell]
    assert not outcome.passed, f"{answer.test_cell} accepted a wrong answer ({answer.why})"
    assert outcome.blame in ("check", "student"), f"the test itself crashed: {outcome.describe()}"
    if answer.message:
        assert answer.message in str(outcome.error), f"the message does not mention {answer.message!r}: {outcome.error}"
    if answer.passes_visible:
        # The release's copy of the test cell is the visible part alone.
        visible = cell_source(release_notebook(answer.assignment), answer.test_cell)
        seen = run_notebook(notebook, {answer.target: answer.source, answer.test_cell: visible},
                            stop_after=answer.test_cell)[answer.test_cell]
        assert seen.passed, f"expected only the hidden tests to catch this, but: {seen.describe()}"


@pytest.mark.parametrize("answer", [a for a in ANSWERS if a.correct], ids=_id)
def test_right_answer_is_accepted(answer):
    outcomes = run_notebook(source_notebook(answer.assignment), {answer.target: answer.source})
    failures = [outcome.describe() for outcome in outcomes.values() if not outcome.passed]
    assert not failures, "a right answer failed:\n" + "\n".join(failures)
