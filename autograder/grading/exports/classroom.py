"""What GitHub Classroom's grading reporter reads (classroom-resources/autograding-grading-reporter).

The reporter takes, for each runner `id` of its `runners` input, the environment variable
`<ID>_RESULTS`: base64 of {"status": "pass"|"fail"|"error", "max_score", "tests": [{"name", "status",
"score", "message"}]}. It adds up the tests' scores against max_score and writes "Points x/y" onto
the check run of the job `run-autograding-tests`; a status "fail" or "error" fails that job.

One file per student, over the assignments they handed in (a Classroom repository holds the
assignments it holds; those recorded as missing would only add points no one could earn). A late
penalty is a test of its own with a negative score, so the points add up to the records' scores.
The status is "error" when the grader failed, else "pass": a low score is not a failure of the
workflow (ci/github/grade-on-push.yml).
"""

import json
from pathlib import Path

from ..records import Status
from . import text


def by_student(records):
    """{student: their records}, in order."""
    found = {}
    for record in records:
        found.setdefault(record.student, []).append(record)
    return found


def grader_failed(record):
    return record.status == Status.CRASHED and record.reason.startswith("the grading process failed")


def results(records):
    """The reporter's results object for one student's records."""
    records = [record for record in records if record.handed_in]
    tests = []
    for record in records:
        tests += [{"name": text.test_name(record, notebook, grade_id), "status": "pass" if cell.passed else "fail",
                   "score": float(cell.score), "message": text.cell_output(cell), "line_no": 0}
                  for notebook, grade_id, cell in text.cells(record)]
        if record.score < record.raw_score:
            tests.append({"name": f"{record.assignment}: late penalty", "status": "fail",
                          "score": record.score - record.raw_score,
                          "message": text.summary(record), "line_no": 0})
    status = "error" if any(grader_failed(record) for record in records) else "pass"
    return {"version": 1, "status": status, "max_score": sum(record.max_score for record in records), "tests": tests}


def write(path, records):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results(records), indent=1))
