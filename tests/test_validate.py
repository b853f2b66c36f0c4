"""nbgrader's Validate button, as a student uses it on their copy of the release."""

import pytest

import autograder  # noqa: F401 (puts this environment on PATH for the kernel)
from course_layout import assignments, exercises, release_notebook, source_notebook, student_copy
from nbgrader.validator import Validator

pytestmark = [pytest.mark.notebooks,  # nbgrader's Validator runs the notebook in a kernel
              pytest.mark.spread]


# The last assignment's notebook trains longest: started first, it does not leave one worker running it alone
# at the end of the run.
@pytest.mark.parametrize("assignment", list(reversed(assignments())))
def test_validate_passes_a_completed_release_and_flags_every_unfinished_exercise(assignment, tmp_path):
    todo = exercises(source_notebook(assignment))
    completed = student_copy(assignment, set(todo), tmp_path / assignment)
    assert Validator().validate(str(completed)) == {}, "Validate complains about a completed notebook"

    failures = Validator().validate(str(release_notebook(assignment)))["failed"]
    assert len(failures) == len(todo)
    assert all("NotImplementedError" in failure["error"] or "not defined: fill in the exercise cell above"
               in failure["error"] for failure in failures)
