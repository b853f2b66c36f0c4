"""What nbgrader's formgrader does in this course with two of its buttons and its Manual Grading page,
set by nbgrader_config.py.

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

*Manual Grading* (`/formgrader/submissions/<id>/`) renders `autograded/<student>/<assignment>/
<notebook>.ipynb` with nbconvert's HTMLExporter, built from the formgrader's config (nbgrader_config.py
reaches it, from the server's working directory and the course folder), and nbgrader's `formgrade`
template, in the instructor's origin. That page runs nbgrader's own script (the grading form saves
scores through the formgrader's API), so it cannot have a policy against script; instead nothing
that a submission wrote reaches it as markup that can run:

- The course's grader writes each code cell's outputs through `feedback_page.show_outputs_safely()`:
  what a feedback page may show, HTML sanitised, JavaScript and widget views dropped, image
  metadata reduced to sizes, execution counts numbers. Cell ids, nbgrader metadata and sources
  stay exactly as they were, for the gradebook and the formgrader match cells by them.
- `ShownOutputs`, a preprocessor of the formgrader's exporter (`HTMLExporter.preprocessors`),
  does the same again as the page is rendered, so that an autograded notebook written otherwise
  (before this, or by the instructor's own nbgrader autograde) is shown the same way.
- `SafeMarkdown` is that exporter's `markdown2html` filter (`HTMLExporter.filters`): the students'
  markdown cells (and markdown outputs) are rendered as nbconvert renders them, without reading
  local files, then pass `feedback_page.sanitise()`, which shows <script>, inline <svg> and frames
  as text and drops event handlers and javascript: links. nbconvert's own `sanitize_html` is not
  used: the formgrade template renders markdown cells with a block of its own that never applies
  it, and its allowlist shows headings, paragraphs and tables' <th> as text.

Both settings also reach Generate Feedback's `FeedbackExporter` (an HTMLExporter), where they only
repeat what it does: its notebook is already `safe_notebook()`, and its page is sanitised whole.

The instructor's own, trusted notebooks may still be autograded by nbgrader:
`nbgrader_course.autograde` (tests/test_autograde.py) sets `AutogradeGate.trusted_notebooks`
in the config of its own call; on the command line it is `--AutogradeGate.trusted_notebooks=True`.
"""

import copy

from jinja2 import pass_context
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import ClearHiddenTests
from traitlets import Bool
from traitlets.config import Config, LoggingConfigurable

from ..cells import is_test
from ..grading import feedback_page

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
        shown = feedback_page.safe_notebook(without_hidden_tests(nb, self.config), cell_metadata=shown_metadata)
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


def shown_metadata(cell):
    """The cell's nbgrader metadata that the feedback template reads, each field of its expected type."""
    given = cell.get("metadata", {}).get("nbgrader")
    if not isinstance(given, dict):
        return {}
    kept = {name: bool(given[name]) for name in FLAGS if name in given}
    kept.update({name: given[name] for name in NUMBERS
                 if isinstance(given.get(name), (int, float)) and not isinstance(given[name], bool)})
    kept.update({name: given[name] for name in TEXTS if isinstance(given.get(name), str)})
    return {"nbgrader": kept}


class ShownOutputs(Preprocessor):
    """A preprocessor of the formgrader's HTML exporter: each code cell shows its outputs as a feedback page
    would (feedback_page.show_outputs_safely). Metadata, ids and sources are left alone; the notebook file
    is never written. (The formgrade template writes no widget state.)"""

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            feedback_page.show_outputs_safely(cell)
        return cell, resources


class SafeMarkdown(LoggingConfigurable):
    """The `markdown2html` filter of an HTML exporter (its parent, which nbconvert makes it with): the
    markdown as that exporter renders it (feedback_page.markdown_html), then through feedback_page.sanitise()."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        pass_context(self)   # Jinja then calls it with the template's context, as nbconvert's own filter

    def __call__(self, context, source):
        return feedback_page.sanitise(feedback_page.markdown_html(self.parent, context, source))
