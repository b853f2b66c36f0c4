"""nbgrader settings for the course. nbgrader reads this file from the working directory,
so run nbgrader commands from this folder (`python3 course.py` does)."""

import os

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

# Every path is anchored here, so a copy of this folder (the tests make some) is a course of its own.
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "neurons-to-networks"
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Not committed (.gitignore); rebuilt by `python3 course.py release`.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.partial"]

# Training cells in the later assignments take tens of seconds; the default is 30 s per cell.
c.Execute.timeout = 180
c.Execute.interrupt_on_timeout = True
# Kernels encrypted, and on Linux and macOS on Unix sockets of their own (autograder/authoring/kernels.py).
try:
    from autograder.authoring.kernels import kernel_manager_settings
except ImportError:
    # nbgrader started from a Python without the course's package: nbgrader would drop this whole file, the
    # guards below included, had it raised. Those guards then fail, closed, when a button needs them.
    c.KernelManager.transport_encryption = "auto"
else:
    c.KernelManager.update(kernel_manager_settings())

# A student who deletes a test cell gets it back and graded, instead of a silent None
# (and re-autograding cannot keep a stale score for the deleted cell).
c.OverwriteCells.add_missing_cells = True

# The formgrader's Generate Feedback and Autograde buttons (and `nbgrader generate_feedback`,
# `nbgrader autograde`) must not bypass the course's grader: feedback without the hidden tests,
# sanitised, under a Content-Security-Policy; autograde refused. See autograder/authoring/formgrader_guard.py.
c.GenerateFeedback.exporter_class = "autograder.authoring.formgrader_guard.FeedbackExporter"
c.Autograde.exporter_class = "autograder.authoring.formgrader_guard.AutogradeGate"
# Manual Grading renders the autograded notebooks with the formgrader's HTMLExporter, in the instructor's
# origin and with the formgrader's own script: the outputs as a feedback page shows them, the students'
# markdown sanitised, so that nothing from a submission runs there. See autograder/authoring/formgrader_guard.py.
c.HTMLExporter.preprocessors = ["autograder.authoring.formgrader_guard.ShownOutputs"]
c.HTMLExporter.filters = {"markdown2html": "autograder.authoring.formgrader_guard.SafeMarkdown"}

# Late hand-ins (autograder/grading/late.py): 10% of a notebook's score off per day or part of a day
# after the due date, at most 50%. Due dates are the gradebook's (`nbgrader db assignment add NAME
# --duedate "2026-10-05 17:00:00 Europe/London"`); an assignment without one is never late. For
# nbgrader's own policies instead: c.AssignLatePenalties.plugin_class = "nbgrader.plugins.LateSubmissionPlugin"
# with c.LateSubmissionPlugin.penalty_method = "zero" (a late notebook scores 0) or "none".
c.AssignLatePenalties.plugin_class = "autograder.grading.late.PercentPerDayLate"
c.PercentPerDayLate.percent_per_day = 10
c.PercentPerDayLate.max_percent = 50
