"""Gradescope's results.json for one submission (gradescope/autograder_samples, docs/specs.md).

One test per test cell: its score and max_score, its name, and as output only what the student may
read (text.cell_output). The top-level score is the record's score, after any late penalty, so it
equals grades.csv's; the top-level output says how the submission ended. Every output is plain text
(output_format "text"): Gradescope would render the top-level output as HTML by default, and a
message can quote the student's own values.
"""

import json
from pathlib import Path

from . import text


def results(record):
    """The results.json object of a record."""
    tests = [{"name": text.test_name(record, notebook, grade_id), "number": str(number),
              "score": float(cell.score), "max_score": float(cell.max_score),
              "status": "passed" if cell.passed else "failed",
              "output": text.cell_output(cell), "output_format": "text"}
             for number, (notebook, grade_id, cell) in enumerate(text.cells(record), 1)]
    return {"score": float(record.score), "execution_time": round(record.seconds), "output": text.summary(record),
            "output_format": "text", "test_output_format": "text", "test_name_format": "text",
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests,
            "extra_data": {"student": record.student, "assignment": record.assignment,
                           "status": record.status.value, "raw_score": record.raw_score,
                           "late_penalty": record.late_penalty, "max_score": record.max_score}}


def not_graded(why_for_the_student, seconds=0):
    """results.json for a submission the autograder did not grade: no marks, and why."""
    return {"score": 0.0, "execution_time": round(seconds), "output": text.plain(why_for_the_student),
            "output_format": "text", "visibility": "visible", "stdout_visibility": "hidden", "tests": [],
            "extra_data": {"status": "not graded"}}


def write(path, record_or_results):
    """results.json at `path`, from a record or from a results object already made."""
    data = record_or_results if isinstance(record_or_results, dict) else results(record_or_results)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))
