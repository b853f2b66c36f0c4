"""nbgrader on a course folder, from Python.

A course folder holds `nbgrader_config.py`, `source/`, `release/` and so on (the repository
root is one; the tests make copies). Calling nbgrader's API in-process saves the several
seconds that each `nbgrader` command spends starting up.
"""


from nbgrader.apps import NbGraderAPI
from nbgrader.api import Gradebook

from ..cells import course_config


class NbgraderFailed(RuntimeError):
    """An nbgrader step reported failure; the message carries its log."""


def api(root, trusted_notebooks=False):
    """An NbGraderAPI configured by `root/nbgrader_config.py`.

    `trusted_notebooks` lets it autograde (which the course's config refuses, see formgrader_guard):
    only for the instructor's own notebooks."""
    config = course_config(root)
    if trusted_notebooks:
        config.AutogradeGate.trusted_notebooks = True
    return NbGraderAPI(config=config)


def generate_assignment(root, name):
    """Write `release/<name>` from `source/<name>` (and record it in the gradebook)."""
    _succeed(api(root).generate_assignment(name, force=True, create=True), f"generate_assignment {name}")


def autograde(root, name, student_id="*"):
    """Autograde `submitted/<student>/<name>` with nbgrader, for one student or, with "*", all of them.

    The notebooks run unsandboxed, as you: this is for the instructor's own notebooks (the tests'),
    never for students' work, which `python3 course.py grade` grades."""
    result = api(root, trusted_notebooks=True).autograde(name, student_id, force=True, create=True)
    _succeed(result, f"autograde {name} {student_id}")


def cell_scores(root, name):
    """{student: {grade_id: (score, max_score)}} for every autograded submission of `name`."""
    course_api = api(root)
    with Gradebook(course_api.coursedir.db_url) as gradebook:
        assignment = gradebook.find_assignment(name)
        result = {}
        for submission in assignment.submissions:
            grades = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grades[grade.name] = (grade.score, grade.max_score)
            result[submission.student.id] = grades
        return result


def _succeed(result, what):
    if not result["success"]:
        raise NbgraderFailed(f"nbgrader {what} failed:\n{result.get('error') or ''}\n{result.get('log') or ''}")
