"""nbgrader's Validate button, as a student uses it on their copy of the release."""

import nbformat
import pytest

import autograder  # noqa: F401 (puts this environment on PATH for the kernel)
from autograder.cells import course_config
from course_layout import ROOT, assignments, exercises, release_notebook, source_notebook, student_copy
from nbgrader.utils import is_grade
from nbgrader.validator import Validator

pytestmark = [pytest.mark.notebooks,  # nbgrader's Validator runs the notebook in a kernel
              pytest.mark.spread]


# The last assignment's notebook trains longest: started first, it does not leave one worker running it alone
# at the end of the run.
@pytest.mark.parametrize("assignment", list(reversed(assignments())))
def test_validate_passes_a_completed_release_and_flags_every_unfinished_exercise(assignment, tmp_path):
    todo = exercises(source_notebook(assignment))
    completed = student_copy(assignment, set(todo), tmp_path / assignment)
    without_the_cells_after_the_last_graded_one(completed)
    # The course's kernel settings (nbgrader_config.py): what is judged is the notebook; the student's own
    # Validate settings are test_edition's and test_browser's.
    validator = Validator(config=course_config(ROOT))
    assert validator.validate(str(completed)) == {}, "Validate complains about a completed notebook"

    failures = validator.validate(str(release_notebook(assignment)))["failed"]
    assert len(failures) == len(todo)
    assert all("NotImplementedError" in failure["error"] or "not defined: fill in the exercise cell above"
               in failure["error"] for failure in failures)


def without_the_cells_after_the_last_graded_one(path):
    """Cut the notebook at `path` after its last graded cell.

    Validate's verdict reads the graded cells, and that no locked cell was changed; its kernel runs on
    past an error or a timeout (nbgrader's Execute: allow_errors). So the cells after the last test, the
    release's own here, cannot change the verdict. They train the networks and draw the figures (35 of
    this test's 52 CPU-s, most of it a5's training); the notebook runs them with every exercise done in
    test_autograde (the instructor's solutions) and test_grading_corpus (every right classmate)."""
    notebook = nbformat.read(path, as_version=4)
    last = max(index for index, cell in enumerate(notebook.cells) if is_grade(cell))
    notebook.cells = notebook.cells[:last + 1]
    nbformat.write(notebook, path)
