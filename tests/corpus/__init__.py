"""Right and wrong answers to every graded exercise, to prove that the tests judge well.

Each module is named after an assignment and holds answers written as a student would
write them in the answer cell:

    @wrong("sums over the columns instead of the rows")
    def softmax(x):
        ...

The function's name is the answer cell's grade_id; its source (without the decorator)
replaces that cell. tests/test_corpus.py runs the assignment's source notebook with each
answer in place: a right answer must pass every test cell, a wrong one must fail its own.

`passes_visible=True` marks a wrong answer that the visible checks cannot see (a
hard-coded shape, an ignored argument): the test proves the hidden tests catch it.
`message` is text the rejection must contain, to keep the messages helpful.
`earns` is the points a wrong answer must earn where its test cell splits its points among
named cases (nncourse.checks.case): the cases it gets right; 0 by default.
"""

import ast
import importlib
import inspect
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    assignment: str
    target: str
    correct: bool
    why: str
    source: str
    passes_visible: bool = False
    message: str | None = None
    earns: float = 0.0

    @property
    def test_cell(self):
        return f"{self.target}_tests"

    def __str__(self):
        return f"{self.target}: {'right' if self.correct else 'wrong'}: {self.why}"


_ANSWERS = {}


def right(why):
    return _register(correct=True, why=why)


def wrong(why, *, passes_visible=False, message=None, earns=0.0):
    return _register(correct=False, why=why, passes_visible=passes_visible, message=message, earns=earns)


def answer_cell(target, source, *, correct, why, passes_visible=False, message=None, earns=0.0, module=None):
    """An answer that is not a single function (a cell of assignments, say)."""
    assignment = (module or inspect.currentframe().f_back.f_globals["__name__"]).rsplit(".", 1)[-1]
    _ANSWERS.setdefault(assignment, []).append(
        Answer(assignment, target, correct, why, textwrap.dedent(source).strip() + "\n", passes_visible, message,
               float(earns)))


def answers(assignment):
    """Every answer in tests/corpus/<assignment>.py."""
    importlib.import_module(f"{__name__}.{assignment}")
    return list(_ANSWERS.get(assignment, []))


def _register(**details):
    def decorate(function):
        answer_cell(function.__name__, _source_without_decorators(function), module=function.__module__, **details)
        return function
    return decorate


def _source_without_decorators(function):
    source = textwrap.dedent(inspect.getsource(function))
    definition = ast.parse(source).body[0]
    return "\n".join(source.splitlines()[definition.lineno - 1:])


def classmates(assignment, correct=True):
    """Students who together give every right (or every wrong) answer: the k-th takes each
    exercise's k-th such answer, or its first again when it has fewer."""
    by_target = {}
    for answer in answers(assignment):
        if answer.correct == correct:
            by_target.setdefault(answer.target, []).append(answer)
    count = max(len(found) for found in by_target.values())
    return [{target: found[k % len(found)] for target, found in by_target.items()} for k in range(count)]
