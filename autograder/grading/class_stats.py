"""The numbers of the class report, counted from the records (records.py) alone.

A submission is handed in when any of its notebooks is not missing; scores, pass rates and messages are
counted over the submissions handed in, statuses and grading times over all of them. Messages are the
ones the students see in their feedback (the judge keeps hidden tests' expected values out of them),
cut short: the report adds nothing else of a submission's.
"""

from collections import Counter
from dataclasses import dataclass, field
from statistics import mean, median

from .records import Status

MESSAGE_CHARS = 160
MESSAGES_SHOWN = 5
NOT_RUN = "not run"


def short(text, limit=MESSAGE_CHARS):
    """Text on one line, at most `limit` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def is_late(record):
    return (record.seconds_late or 0) > 0


@dataclass
class CaseCount:
    """A named case of a test cell: where it is written, and how many submissions passed it."""
    part: str
    passed: int = 0
    judged: int = 0


@dataclass
class ExerciseStats:
    """One test cell of an assignment over the submissions handed in."""
    assignment: str
    notebook: str
    grade_id: str
    max_score: float
    submissions: int = 0
    passed: int = 0
    failed_visible: int = 0
    failed_hidden: int = 0
    not_run: int = 0
    points: float = 0.0
    messages: Counter = field(default_factory=Counter)    # (where it failed, message): submissions
    cases: dict = field(default_factory=dict)             # case name: CaseCount, in the cell's order

    def add(self, cell):
        self.submissions += 1
        self.points += cell.score
        if cell.passed:
            self.passed += 1
        else:
            where = cell.failed_in or NOT_RUN
            self.failed_visible += where == "visible"
            self.failed_hidden += where == "hidden"
            self.not_run += where == NOT_RUN
            self.messages[(where, short(cell.message or "failed"))] += 1
        for case in cell.cases:
            count = self.cases.setdefault(case.name, CaseCount(case.part))
            count.judged += 1
            count.passed += case.passed

    @property
    def pass_rate(self):
        return self.passed / self.submissions if self.submissions else 0.0

    @property
    def mean_score(self):
        return self.points / self.submissions if self.submissions else 0.0

    def frequent_messages(self, shown=MESSAGES_SHOWN):
        """[(count, where, message)], the most frequent first (ties in the order first met)."""
        return [(count, where, text) for (where, text), count in self.messages.most_common(shown)]


@dataclass
class AssignmentStats:
    name: str
    max_score: float
    submissions: int = 0
    scores: list = field(default_factory=list)      # the final score of each submission handed in
    late: int = 0
    statuses: Counter = field(default_factory=Counter)
    seconds: list = field(default_factory=list)     # (seconds, status) of every submission

    @property
    def handed_in(self):
        return len(self.scores)

    @property
    def mean(self):
        return mean(self.scores) if self.scores else 0.0

    @property
    def median(self):
        return median(self.scores) if self.scores else 0.0

    @property
    def full_marks(self):
        return sum(score >= self.max_score for score in self.scores) if self.max_score else 0


@dataclass
class ClassStats:
    assignments: dict       # name: AssignmentStats, by name
    exercises: list         # ExerciseStats, by assignment, then in the notebook's order
    attention: list         # the records to look at: not graded, or late; gravest status first
    seconds: float          # grading time of all submissions together


def class_stats(records):
    assignments, exercises = {}, {}
    for record in sorted(records, key=lambda r: r.assignment):
        stats = assignments.setdefault(record.assignment, AssignmentStats(record.assignment, record.max_score))
        stats.max_score = max(stats.max_score, record.max_score)
        stats.submissions += 1
        stats.statuses[Status(record.status).value] += 1
        stats.late += is_late(record)
        stats.seconds.append((record.seconds, Status(record.status).value))
        if not record.handed_in:
            continue
        stats.scores.append(record.score)
        for notebook in record.notebooks:
            for grade_id, cell in notebook.cells.items():
                key = (record.assignment, notebook.notebook, grade_id)
                exercise = exercises.setdefault(key, ExerciseStats(*key, cell.max_score))
                exercise.add(cell)
    gravity = {status.value: rank for rank, status in enumerate(reversed(list(Status)))}
    attention = sorted((r for r in records if r.status != Status.GRADED or is_late(r)),
                       key=lambda r: (gravity[Status(r.status).value], r.assignment, r.student))
    return ClassStats(dict(sorted(assignments.items())), list(exercises.values()), attention,
                      sum(r.seconds for r in records))
