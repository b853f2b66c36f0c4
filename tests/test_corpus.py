"""The tests of every graded function reject typical wrong answers and accept right ones
written differently from the solution (the answers are in tests/corpus/), judged by the
grader's judge with the notebook in an in-process kernel (tests/cellrun.py).

The answers of one assignment are judged together, in one worker: the notebook runs once, and each
answer's run goes on from a forked copy of it at the answer's cell (cellrun.run_many), so the cells
before are not run again for every answer.

That the rest of the notebook (training, plots) runs with every right answer is checked where
the same classmates are graded whole, in the sandbox (tests/test_grading_corpus.py)."""

import re
import sys

import pytest

from cellrun import code_cells, run_many
from corpus import answers
from course_layout import assignments, cell_source, exercises, release_notebook, source_notebook, grading_cells

pytestmark = pytest.mark.spread(by="assignment")  # an assignment's answers judged together

ANSWERS = [answer for name in assignments() for answer in answers(name)]
WRONG = [answer for answer in ANSWERS if not answer.correct]
RIGHT = [answer for answer in ANSWERS if answer.correct]


def cells_by_key(notebook):
    return {cell.key: cell for cell in code_cells(notebook)}


def _id(answer):
    return f"{answer.assignment}/{answer.target}/{'right' if answer.correct else 'wrong'}: {answer.why}"


def runs_of(answer):
    """The notebook runs that judge `answer`: (replaced sources, the last cell to run) each.

    A right answer runs to the last test cell, which must all pass. A wrong one runs to its own
    test cell; one that only the hidden tests should catch runs again with the release's copy of
    that test cell, the visible part alone, which must pass."""
    notebook = source_notebook(answer.assignment)
    if answer.correct:
        return [({answer.target: answer.source}, grading_cells(notebook)[-1])]
    runs = [({answer.target: answer.source}, answer.test_cell)]
    if answer.passes_visible:
        visible = cell_source(release_notebook(answer.assignment), answer.test_cell)
        runs.append(({answer.target: answer.source, answer.test_cell: visible}, answer.test_cell))
    return runs


def _answer_of(item):
    """The answer a test of this module judges, or None."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("answer") if callspec and item.module is sys.modules[__name__] else None


@pytest.fixture(scope="module")
def judged(request):
    """judged(answer): the outcomes of runs_of(answer), one {key: Outcome} per run. On first use for an
    assignment, every answer of it that this session runs is judged, from one run of its notebook."""
    batches = {}

    def outcomes(answer):
        if answer.assignment not in batches:
            chosen = [other for other in map(_answer_of, request.session.items)
                      if other is not None and other.assignment == answer.assignment]
            runs = [run for chosen_answer in chosen for run in runs_of(chosen_answer)]
            results = iter(run_many(source_notebook(answer.assignment), runs))
            batches[answer.assignment] = {chosen_answer: [next(results) for _ in runs_of(chosen_answer)]
                                          for chosen_answer in chosen}
        found = batches[answer.assignment][answer]
        for result in found:
            if isinstance(result, Exception):
                raise result
        return found
    return outcomes


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


@pytest.mark.parametrize("assignment, answer", [(a.assignment, a) for a in WRONG], ids=[_id(a) for a in WRONG])
@pytest.mark.notebooks
def test_wrong_answer_is_rejected(judged, assignment, answer):
    outcome, *visible_alone = [outcomes[answer.test_cell] for outcomes in judged(answer)]
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
        (seen,) = visible_alone
        assert seen.passed, f"expected only the hidden tests to catch this, but: {seen.describe()}"


@pytest.mark.parametrize("assignment, answer", [(a.assignment, a) for a in RIGHT], ids=[_id(a) for a in RIGHT])
@pytest.mark.notebooks
def test_right_answer_is_accepted(judged, assignment, answer):
    (outcomes,) = judged(answer)
    failures = [outcome.describe() for outcome in outcomes.values() if not outcome.passed]
    assert not failures, "a right answer failed:\n" + "\n".join(failures)
    cell = cells_by_key(source_notebook(answer.assignment))[answer.test_cell]
    assert outcomes[answer.test_cell].earned == cell.points, f"{answer.test_cell}: {_cases(outcomes[answer.test_cell])}"


def _cases(outcome):
    return "; ".join(f"{c.part} case {c.name!r}: {'passed' if c.passed else c.message}" for c in outcome.cases) \
        or "no cases"
