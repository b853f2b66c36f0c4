"""What two of nbgrader's formgrader buttons do in this course, set by nbgrader_config.py.

The course grades with its own sandboxed grader (`python3 course.py grade`), which writes
nbgrader's `autograded/<student>/<assignment>/` (with the course's full test cells, hidden
tests included) and the gradebook. The formgrader runs in the instructor's Jupyter server, as
the instructor, and two of its buttons would bypass that grader:

- *Generate Feedback* (`nbgrader generate_feedback`) renders those notebooks with nbgrader's
  feedback template: the hidden tests would land in the students' feedback, and a submission's
  outputs (<script>, event handlers, JavaScript and widget outputs) would be live script in a
  page opened in the instructor's origin. `FeedbackExporter` takes the place of its HTML
  exporter. The test cells lose their hidden blocks (nbgrader's ClearHiddenTests) and their
  errors' tracebacks, which quote the cell's code; the notebook keeps only what a feedback page
  may show (feedback_page.safe_notebook); nbgrader's template renders it, score table and all;
  then feedback_page.secured_page sanitises the page, puts its Content-Security-Policy first and
  checks it, as for the course's own pages.
- *Autograde* (`nbgrader autograde`) would run the student's code unsandboxed, with the
  instructor's rights. `AutogradeGate` takes the place of its exporter and refuses, naming
  `python3 course.py grade`. The exporter, rather than a preprocessor or `pre_convert_hook`,
  because nbgrader builds it before touching anything: by the time the preprocessors run it
  has already (with --force, as the formgrader calls it) deleted the course grader's
  `autograded/<student>/<assignment>/` and written to the gradebook, and it only logs a hook
  that fails.

The instructor's own, trusted notebooks may still be autograded by nbgrader:
`nbgrader_course.autograde` (tests/test_autograde.py) sets `AutogradeGate.trusted_notebooks`
in the config of its own call; on the command line it is `--AutogradeGate.trusted_notebooks=True`.
"""

import copy

from nbconvert.exporters import NotebookExporter
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import ClearHiddenTests
from traitlets import Bool
from traitlets.config import Config

from . import feedback_page
from .intake import is_test

REFUSAL = ("nbgrader's autograde is turned off in this course: it would run the students' code unsandboxed, "
           "with the instructor's rights (yours), where it could read and change the solutions, the hidden tests "
           "and the gradebook. Grade with `python3 course.py grade submitted --out results` instead: it runs each "
           "submission in a sandbox, and writes the scores into this gradebook and the graded notebooks into "
           "autograded/, where the formgrader shows them.")
FLAGS = ("grade", "solution", "task", "locked")
NUMBERS = ("points", "score", "schema_version")
TEXTS = ("grade_id", "comment")


class AutogradeRefused(NbGraderException):
    """nbgrader's autograde, asked for on notebooks that are not the instructor's own."""


class AutogradeGate(NotebookExporter):
    """The exporter of nbgrader's Autograde converter, which refuses unless told the notebooks are trusted."""

    trusted_notebooks = Bool(False, help="Autograde with nbgrader, unsandboxed: for the instructor's own "
                                         "notebooks only, never for students' submissions.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.trusted_notebooks:
            self.log.error(REFUSAL)
            raise AutogradeRefused(REFUSAL)


class FeedbackExporter(feedback_page.PageExporter):
    """The HTML exporter of nbgrader's GenerateFeedback: nbgrader's feedback template, made safe."""

    def from_notebook_node(self, nb, resources=None, **kw):
        shown = feedback_page.safe_notebook(without_hidden_tests(nb, self.config), cell_metadata=grading_metadata)
        rendered, resources = super().from_notebook_node(shown, resources, **kw)
        title = str((resources.get("nbgrader") or {}).get("notebook") or "Feedback")
        return feedback_page.secured_page(rendered, title), resources


def without_hidden_tests(notebook, config=None):
    """A copy of the notebook whose test cells have no hidden block and whose errors keep only their last line.

    ClearHiddenTests takes its markers from `config`, as nbgrader's generate_assignment does; a test
    cell that opens a block and never closes it makes it raise: no page."""
    notebook = copy.deepcopy(notebook)
    clear = ClearHiddenTests(config=config or Config())
    for index, cell in enumerate(notebook.get("cells", [])):
        if not is_test(cell):
            continue
        clear.preprocess_cell(cell, {}, index)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', '')}: {output.get('evalue', '')}"]
    return notebook


def grading_metadata(cell):
    """The cell's nbgrader metadata that the feedback template reads, each field of its expected type."""
    given = cell.get("metadata", {}).get("nbgrader")
    if not isinstance(given, dict):
        return {}
    kept = {name: bool(given[name]) for name in FLAGS if name in given}
    kept.update({name: given[name] for name in NUMBERS
                 if isinstance(given.get(name), (int, float)) and not isinstance(given[name], bool)})
    kept.update({name: given[name] for name in TEXTS if isinstance(given.get(name), str)})
    return {"nbgrader": kept}
