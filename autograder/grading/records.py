"""What grading passes between processes and leaves behind, typed, and turned into JSON in one place.

- Job: what the batch asks a grading process to grade (the job file).
- CellResult, CaseResult, NotebookRecord, Record: what one submission earned, cell by cell and, where
  a test cell splits its points among named cases, case by case; the late penalty taken off
  (record.json, and each entry of RESULTS_DIR/grades.json).
- Status: how a submission or notebook ended, and which status wins when several apply.
"""

import enum
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path


class Status(str, enum.Enum):
    """A notebook's or a submission's outcome; a str, so it compares and serialises as its name."""
    GRADED = "graded"
    MISSING = "missing"
    INVALID = "invalid"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    TAMPERED = "tampered"

    @classmethod
    def worst(cls, statuses):
        """The status a submission gets from its notebooks': the gravest that applies (graded if none)."""
        found = {cls(status) for status in statuses}
        return next((status for status in reversed(list(cls)) if status in found), cls.GRADED)

    def __str__(self):
        return self.value


@dataclass
class Job:
    course: str
    assignment: str
    student: str
    submissions: str        # the folder of every student's submissions
    submission: str         # this student's folder for the assignment
    out: str                # where the record, notebooks and pages go
    readable: list          # what the kernel may read (batch.readable_paths)
    memory_mb: int
    timeout: float
    disk: str               # the submission's own disk, mounted by the grading process
    disk_mb: int
    max_processes: int
    max_notebook_mb: float
    cgroup_procs: str | None = None
    due: str | None = None          # the assignment's due date for this student (ISO), if it has one
    handed_in: str | None = None    # the instructor's time of hand-in (ISO), which wins over timestamp.txt

    def write(self, path):
        Path(path).write_text(json.dumps(asdict(self)))

    @classmethod
    def read(cls, path):
        return cls(**json.loads(Path(path).read_text()))


@dataclass
class CaseResult:
    """One named case of a test cell that splits its points (nncourse.checks.case)."""
    name: str
    part: str               # "visible" or "hidden": where the case is written
    points: float
    passed: bool = False
    message: str = ""

    @property
    def score(self):
        return self.points if self.passed else 0.0


@dataclass
class CellResult:
    """One test cell: its points, and why it lost them."""
    max_score: float
    score: float = 0.0
    passed: bool = False
    message: str = "not run"
    failed_in: str | None = None    # "visible" or "hidden": where a judged test failed
    cases: list = field(default_factory=list)   # CaseResult, when the cell splits its points

    def judged(self, passed, message, part, cases=()):
        """The verdict on the cell. With cases, the cell earns the points of the cases that passed;
        without, all its points or none."""
        self.cases = list(cases)
        self.passed = passed
        self.score = self.max_score if passed else min(self.max_score, sum(case.score for case in self.cases))
        self.message, self.failed_in = message or "", None if passed else part


@dataclass
class NotebookRecord:
    notebook: str
    status: Status
    reason: str
    cells: dict     # grade_id: CellResult, in the notebook's order
    late_penalty: float = 0.0   # points taken off this notebook for a late hand-in

    @classmethod
    def ungraded(cls, name, points, status, reason):
        """A notebook with every test cell (`points`: {grade_id: points}) at zero."""
        return cls(name, Status(status), reason, {grade_id: CellResult(p) for grade_id, p in points.items()})

    @property
    def raw_score(self):
        """The points its test cells earned, before any late penalty."""
        return sum(cell.score for cell in self.cells.values())

    @property
    def score(self):
        return max(0.0, self.raw_score - self.late_penalty)

    @property
    def max_score(self):
        return sum(cell.max_score for cell in self.cells.values())

    def ended(self, status, reason):
        self.status, self.reason = Status(status), reason


@dataclass
class Record:
    student: str
    assignment: str
    status: Status
    reason: str
    notebooks: list = field(default_factory=list)    # NotebookRecord, by name
    timestamp: str | None = None    # when it was handed in
    seconds: float = 0.0            # how long grading it took
    due: str | None = None          # the assignment's due date, when it has one
    seconds_late: float = 0.0       # after the due date, by the timestamp

    @property
    def handed_in(self):
        """Whether any of its notebooks was handed in."""
        return any(notebook.status != Status.MISSING for notebook in self.notebooks)

    @property
    def raw_score(self):
        """The points earned, before any late penalty."""
        return sum(notebook.raw_score for notebook in self.notebooks)

    @property
    def late_penalty(self):
        return sum(notebook.late_penalty for notebook in self.notebooks)

    @property
    def score(self):
        """The points that count: the raw score less the late penalty."""
        return sum(notebook.score for notebook in self.notebooks)

    @property
    def max_score(self):
        return sum(notebook.max_score for notebook in self.notebooks)

    def to_json(self):
        """The record as grades.json holds it."""
        return {"student": self.student, "assignment": self.assignment, "status": self.status.value,
                "timestamp": self.timestamp, "due": self.due, "seconds_late": self.seconds_late,
                "reason": self.reason, "raw_score": self.raw_score, "late_penalty": self.late_penalty,
                "score": self.score, "max_score": self.max_score,
                "notebooks": [_notebook_json(n) for n in self.notebooks], "seconds": round(self.seconds, 2)}

    @classmethod
    def from_json(cls, data):
        notebooks = [NotebookRecord(n["notebook"], Status(n["status"]), n["reason"],
                                    {grade_id: _cell(c) for grade_id, c in n["cells"].items()},
                                    n.get("late_penalty", 0.0))
                     for n in data["notebooks"]]
        return cls(data["student"], data["assignment"], Status(data["status"]), data["reason"], notebooks,
                   data.get("timestamp"), data.get("seconds", 0.0), data.get("due"), data.get("seconds_late", 0.0))

    def write(self, path):
        Path(path).write_text(json.dumps(self.to_json(), indent=1))

    @classmethod
    def read(cls, path):
        return cls.from_json(json.loads(Path(path).read_text()))


def _notebook_json(notebook):
    return {"notebook": notebook.notebook, "status": notebook.status.value, "reason": notebook.reason,
            "cells": {grade_id: asdict(cell) for grade_id, cell in notebook.cells.items()},
            "raw_score": notebook.raw_score, "late_penalty": notebook.late_penalty,
            "score": notebook.score, "max_score": notebook.max_score}


_CELL_FIELDS = {f.name for f in fields(CellResult)}


def _cell(data):
    cell = CellResult(**{name: value for name, value in data.items() if name in _CELL_FIELDS})
    cell.cases = [CaseResult(**case) for case in data.get("cases", [])]
    return cell
