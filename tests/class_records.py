"""A small class of graded records, built without grading, for the class report's tests: two assignments,
each status but crashed, a late submission with a penalty, a test cell with named cases, failures in
visible and hidden checks and tests not run, and a student's markup in a message, a name and a reason."""

from autograder.grading.records import CaseResult, NotebookRecord, Record, Status

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_NAME = "<script>alert('name')</script>"
HIDDEN_MESSAGE = "g is 0.5, which is not right."
TIMED_OUT = "stopped: the cell ran past 10 s (an infinite loop, or very slow code)"
NOT_RUN = "not run: the notebook ran past 50 s"


def a1(student, f=None, g=None, cases=(), status="graded", reason="", seconds=1.0, late=0.0, penalty=0.0):
    """A record of assignment a1 (a.ipynb: f_tests, 2 points; g_tests, 1 point in two named cases).
    f and g: None when passed, (where, message) when failed; cases: the names of the cases passed."""
    notebook = NotebookRecord.ungraded("a.ipynb", {"f_tests": 2.0, "g_tests": 1.0}, status, reason)
    if status != "missing":
        for grade_id, verdict in (("f_tests", f), ("g_tests", g)):
            where, message = verdict or ("visible", "")
            case_results = [CaseResult(name, "hidden", 0.5, name in cases) for name in ("cost", "grads")]
            if where == "not run":
                notebook.cells[grade_id].message = message
            else:
                notebook.cells[grade_id].judged(verdict is None, message, where,
                                                case_results if grade_id == "g_tests" else ())
    notebook.late_penalty = penalty
    return Record(student, "a1", Status(status), reason, [notebook], "2026-11-28 10:00:00", seconds, None, late)


def a2(student, h=None, status="graded", seconds=1.0):
    notebook = NotebookRecord.ungraded("b.ipynb", {"h_tests": 4.0}, status, "")
    if status == "graded":
        notebook.cells["h_tests"].judged(h is None, h or "", "hidden")
    return Record(student, "a2", Status(status), "not JSON" if status == "invalid" else "", [notebook],
                  seconds=seconds)


def the_class():
    both = ("cost", "grads")
    return [
        a1("ada", cases=both, seconds=2.0),
        a1("bo", f=("visible", HOSTILE), cases=both, seconds=3.0),
        a1("cy", g=("hidden", HIDDEN_MESSAGE), cases=("cost",), late=7200.0, penalty=0.5, seconds=4.0),
        a1("dee", f=("visible", TIMED_OUT), g=("not run", NOT_RUN), status="timeout", reason="ran past 10 s",
           seconds=12.0),
        a1("eve", status="missing", reason="no a.ipynb in the submission", seconds=0.5),
        a1(HOSTILE_NAME, f=("visible", HOSTILE), g=("hidden", HIDDEN_MESSAGE), status="tampered",
           reason=f"the code patches numpy {HOSTILE}", seconds=5.0),
        a2("ada", seconds=6.0),
        a2("bo", h="h is 3, which is not right.", seconds=7.0),
        a2("cy", status="invalid", seconds=0.25),
    ]
