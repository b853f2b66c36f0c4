"""The course's assignments autograded by nbgrader itself, in a throwaway copy of the course: the
instructor's source notebook, the untouched release, and a partial submission (every other exercise
whose tests pass on its own), for tests/test_autograde.py.

The instructor's autograded notebook is also the source notebook run top to bottom in a real
kernel, which tests/test_notebooks_execute.py reads instead of running it again."""

from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.authoring.nbgrader_course import autograde, cell_scores
from cellrun import run_notebook
from course_layout import exercises, release_notebook, release_with_answers, source_notebook, student_copy
from grading_course import throwaway_course


@dataclass
class Autograded:
    partial: list      # the exercises the partial submission completes
    scores: dict       # {student: {grade_id: (score, max_score)}}
    course: Path

    def notebook(self, student):
        """The autograded notebook of `student` ("instructor", "untouched" or "partial"), outputs and all."""
        folder = self.course / "autograded" / student
        (path,) = folder.glob("*/*.ipynb")
        return nbformat.read(path, as_version=4)


def independent_half(assignment, scratch):
    """Every other graded function whose tests pass with only itself filled in."""
    chosen = []
    for name in exercises(source_notebook(assignment))[::2]:
        path = student_copy(assignment, {name}, scratch / name)
        if run_notebook(path, stop_after=f"{name}_tests")[f"{name}_tests"].passed:
            chosen.append(name)
    return chosen


def autograded(assignment, course, scratch):
    """Autograde the three submissions of `assignment` in a new course folder `course`."""
    throwaway_course(course, [assignment])
    done = independent_half(assignment, scratch)
    print(f"{assignment}: the partial submission completes {done}")
    submissions = {
        "instructor": nbformat.read(source_notebook(assignment), as_version=4),
        "untouched": nbformat.read(release_notebook(assignment), as_version=4),
        "partial": release_with_answers(assignment, set(done)),
    }
    for student, notebook in submissions.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / source_notebook(assignment).name)
    autograde(course, assignment)
    return Autograded(done, cell_scores(course, assignment), course)
