"""The formgrader's Manual Grading page shows a submission that displays script, and runs none of it.

One submission is graded by the course's grader in a throwaway course: its own code cell displays
<script>, an <img onerror>, a JavaScript output, an inline <svg onload>, a javascript: link, an SVG
image with script, a widget view, markdown with script and a PNG whose width carries an event
handler; its own markdown cell has <script>, <img onerror>, a javascript: link and an inline <svg>.
Every payload names a marker, `pwned-...`. Then the instructor's server is started as the course
starts it (`python3 course.py lab`), and the submission's page, /formgrader/submissions/<id>/, is
fetched with the token and read with the standard library's HTML parser: no marker in a <script>
element, an on* attribute, a javascript: URL or an inline <svg> (or frame), while the formgrader's
own scripts and grading form are there and the payloads are shown as text. The same holds for an
autograded notebook written before the grader showed outputs safely (the kernel's outputs as they
came), put in its place: the formgrader's own settings make it safe. The autograded notebook keeps its
cells' ids, nbgrader metadata and sources, and the notebook's plot; and nbgrader's exporter without
the course's settings would run the payloads, so the checks can see them
(autograder/authoring/formgrader_guard.py, autograder/grading/feedback_page.py).
"""

import copy
import json
import re
import shutil
import urllib.request
from html.parser import HTMLParser

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_markdown_cell, new_output
from nbgrader.api import Gradebook
from nbgrader.server_extensions.formgrader import handlers
from traitlets.config import Config

from browser import jupyter_lab
from course_layout import ROOT, source_notebook
from grading_course import add_cell_after, full, grade, index_of, submit, throwaway_course

pytestmark = pytest.mark.grading
A1 = "a1_single_neuron"
NOTEBOOK = "single_neuron"
STUDENT = "mallory"
MARKER = "pwned-"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
SVG = ("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40' onload=\"document.title='pwned-svg-image'\">"
       "<script>document.title='pwned-svg-image-script'</script><circle cx='20' cy='20' r='15'/></svg>")
DISPLAYS_SCRIPT = f"""from IPython.display import HTML, Javascript, display
display(HTML("<script>document.title='pwned-html-script'</script>"))
display(HTML("<img src=x onerror=\\"document.title='pwned-html-img'\\">"))
display(Javascript("document.title='pwned-js'"))
display(HTML("<svg onload=\\"document.title='pwned-inline-svg'\\"><circle r='5'/></svg>"))
display({{"text/html": "<a href=\\"javascript:document.title='pwned-html-link'\\">click</a>"}}, raw=True)
display({{"image/svg+xml": {SVG!r}}}, raw=True)
display({{"application/vnd.jupyter.widget-view+json": {{"model_id": "pwned-widget", "version_major": 2,
                                                        "version_minor": 0}}, "text/plain": "IntSlider()"}}, raw=True)
display({{"text/markdown": "*fine* <script>document.title='pwned-output-md'</script>"}}, raw=True)
display({{"image/png": {PNG!r}}}, metadata={{"image/png": {{"width": "1 onerror=document.title='pwned-width'"}}}},
        raw=True)
print("<script>document.title='pwned-print'</script>")
"""
MARKDOWN = """## My own notes

<script>document.title='pwned-md-script'</script>

See <img src=x onerror="document.title='pwned-md-img'"> and [a link](javascript:document.title='pwned-md-link').

<svg onload="document.title='pwned-md-svg'"><circle r='5'/></svg>
"""
SHOWN_AS_TEXT = ["<script>document.title='pwned-html-script'</script>",
                 "<svg onload=\"document.title='pwned-inline-svg'\">",
                 "<script>document.title='pwned-md-script'</script>",
                 "<svg onload=\"document.title='pwned-md-svg'\">",
                 "<script>document.title='pwned-print'</script>",
                 "[a JavaScript output: not shown in the feedback page]"]
FRAMES = {"svg", "math", "iframe", "frame", "object", "embed"}
# What the student's cell held before the grader showed outputs safely (as the kernel sends them).
RAW_OUTPUTS = [
    new_output("display_data", data={"text/html": "<script>document.title='pwned-old-html'</script>"}),
    new_output("display_data", data={"text/html": "<img src=x onerror=\"document.title='pwned-old-img'\">"}),
    new_output("display_data", data={"application/javascript": "document.title='pwned-old-js'",
                                     "text/plain": "<IPython.core.display.Javascript object>"}),
    new_output("display_data", data={"text/html": "<svg onload=\"document.title='pwned-old-svg'\"></svg>"}),
    new_output("display_data", data={"image/png": PNG},
               metadata={"image/png": {"width": "1 onerror=document.title='pwned-old-width'"}}),
]


def hostile_submission():
    """The instructor's answers, a code cell of the student's own that displays script, and a markdown cell."""
    notebook = add_cell_after(full(A1), "sigmoid_tests", DISPLAYS_SCRIPT)
    notebook.cells.insert(index_of(notebook, "sigmoid_tests") + 2, new_markdown_cell(MARKDOWN))
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(course, the submitted notebook, the autograded notebook, the submission's id) after one grading batch."""
    course = throwaway_course(tmp_path_factory.mktemp("manual") / "course", [A1])
    shutil.copy(ROOT / "course.py", course)          # the instructor's server, started as the course starts it
    (course / ".venv").symlink_to(ROOT / ".venv")
    submitted = hostile_submission()
    submit(course / "submitted", STUDENT, A1, submitted)
    done, records = grade(course, course / "submitted", tmp_path_factory.mktemp("results"), "--assignment", A1,
                          "--workers", "1", "--timeout", "10", "--memory", "2000")
    assert records.get((STUDENT, A1), {}).get("status") == "graded", done.stdout[-2000:] + done.stderr[-3000:]
    path = course / "autograded" / STUDENT / A1 / f"{NOTEBOOK}.ipynb"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission_id = gradebook.find_submission_notebook(NOTEBOOK, A1, STUDENT).id
    return course, submitted, nbformat.read(path, as_version=4), submission_id


def older(autograded):
    """The autograded notebook as a grader that kept outputs as they came wrote it: the student's
    cell with the kernel's outputs."""
    notebook = copy.deepcopy(autograded)
    notebook.cells[index_of(notebook, "sigmoid_tests") + 1].outputs = copy.deepcopy(RAW_OUTPUTS)
    return notebook


@pytest.fixture(scope="module")
def pages(graded):
    """The Manual Grading page of the submission, as the instructor's server serves it: for the
    autograded notebook the grader wrote, then for the older one put in its place."""
    course, _, autograded, submission_id = graded
    shown = {}
    with jupyter_lab(course) as (base, token):
        for which in ("graded", "older"):
            if which == "older":
                nbformat.write(older(autograded), course / "autograded" / STUDENT / A1 / f"{NOTEBOOK}.ipynb")
            request = urllib.request.Request(f"{base}/formgrader/submissions/{submission_id}/",
                                             headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200
                shown[which] = response.read().decode("utf-8")
    return shown


@pytest.fixture
def page(pages):
    return pages["graded"]


class Parsed(HTMLParser):
    """A page as the standard library's parser reads it: elements, the text of each <script>, the other text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements, self.scripts, self.texts, self.open_frames, self.in_script = [], [], [], [], False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in FRAMES:
            self.open_frames.append(tag)
        self.elements.append((tag, dict(attrs), tuple(self.open_frames)))
        if tag == "script":
            self.in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        while tag in self.open_frames and self.open_frames.pop() != tag:
            pass
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data
        elif self.open_frames:
            self.elements.append(("#text", {"text": data}, tuple(self.open_frames)))
        else:
            self.texts.append(data)

    @property
    def text(self):
        return "".join(self.texts)


def script_findings(page_html):
    """The `pwned-` markers in something that can run, each with where: a list of findings, [] when none."""
    parsed = Parsed(page_html)
    found = [f"{marker} in a <script> element" for script in parsed.scripts for marker in markers(script)]
    for tag, attrs, frames in parsed.elements:
        if frames:
            found += [f"{marker} in <{tag}> inside <{frames[0]}>" for marker in markers(json.dumps(attrs))]
        for name, value in attrs.items():
            url = re.sub(r"[\x00-\x20\x7f-\xa0]+", "", value or "").lower()
            if name.startswith("on") or tag == "script" or url.startswith(("javascript:", "vbscript:")):
                found += [f"{marker} in {name}= of <{tag}>" for marker in markers(value or "")]
    return found


def markers(text):
    return re.findall(MARKER + r"[\w-]+", text)


def test_the_autograded_notebook_keeps_its_cells_as_they_were(graded):
    _, submitted, autograded, _ = graded
    full_tests = {cell.metadata["nbgrader"]["grade_id"]: cell.source
                  for cell in nbformat.read(source_notebook(A1), as_version=4).cells
                  if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")}
    assert [cell.id for cell in autograded.cells] == [cell.id for cell in submitted.cells]
    for given, kept in zip(submitted.cells, autograded.cells):
        assert kept.cell_type == given.cell_type and kept.metadata == given.metadata, given.id
        grade_id = given.metadata.get("nbgrader", {}).get("grade_id")
        assert kept.source == full_tests.get(grade_id, "".join(given.source)), given.id
    assert "BEGIN HIDDEN TESTS" in autograded.cells[index_of(autograded, "sigmoid_tests")].source


def test_the_autograded_notebook_keeps_the_plot_and_no_script(graded):
    autograded = graded[2]
    plot = next(cell for cell in autograded.cells if cell.id == "sigmoid-plot")
    assert any("image/png" in output.get("data", {}) for output in plot.outputs), "the notebook's plot is gone"
    own = autograded.cells[index_of(autograded, "sigmoid_tests") + 1]
    kinds = [sorted(output.get("data", {})) for output in own.outputs if output.output_type == "display_data"]
    assert not [kind for kind in kinds if set(kind) - {"text/plain", "text/html", "text/markdown", "image/png",
                                                       "image/svg+xml"}], kinds
    assert all("onerror" not in json.dumps(output.get("metadata", {})) for output in own.outputs)
    assert "&lt;script&gt;document.title='pwned-html-script'" in json.dumps(own.outputs)


@pytest.mark.parametrize("which", ["graded", "older"])
def test_the_page_runs_no_script_from_the_submission(pages, which):
    page = pages[which]
    assert script_findings(page) == []
    assert MARKER in page, "the page should show the submission's payloads, as text"
    notebook = page[page.index('id="notebook-container"'):].lower()
    assert not [tag for tag in ("<script", "<svg", "<iframe", "<object", "<embed") if tag in notebook], \
        "the notebook's part of the page has elements that can run script"


def test_the_payloads_are_shown_as_text(page):
    text = Parsed(page).text
    missing = [shown for shown in SHOWN_AS_TEXT if shown not in text]
    assert not missing, missing


def test_the_formgrader_s_own_page_is_still_there(page, graded):
    autograded = graded[2]
    parsed = Parsed(page)
    sources = [attrs.get("src", "") for tag, attrs, _ in parsed.elements if tag == "script"]
    assert any(src.endswith("/formgrader/static/js/formgrade.js") for src in sources), sources
    assert any(f'var submission_id = "{graded[3]}"' in script for script in parsed.scripts)
    scores = {attrs.get("id") for tag, attrs, _ in parsed.elements
              if tag == "input" and "score" in attrs.get("class", "").split()}
    tests = {cell.metadata["nbgrader"]["grade_id"] for cell in autograded.cells
             if cell.metadata.get("nbgrader", {}).get("grade")}
    assert tests and scores == tests, scores ^ tests
    assert "Submission 1 / 1" in parsed.text and "Student's answer" in parsed.text
    plot = [attrs for tag, attrs, _ in parsed.elements if tag == "img" and attrs.get("src", "").startswith(
        "data:image/png;base64,") and len(attrs["src"]) > 1000]
    assert plot, "the notebook's plot is not shown"


def test_the_older_notebook_s_outputs_are_shown_as_a_feedback_page_shows_them(pages):
    text = Parsed(pages["older"]).text
    assert "<script>document.title='pwned-old-html'</script>" in text
    assert "[a JavaScript output: not shown in the feedback page]" in text


def test_the_checks_would_see_script_run_without_the_course_s_settings(graded):
    """nbgrader's exporter as the formgrader builds it (formgrader.py), without nbgrader_config.py's
    settings, on the older notebook: the student's markdown (kept as written) and outputs put their
    script in the page."""
    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    bare, _ = HTMLExporter(config=config).from_notebook_node(older(graded[2]), resources={"base_url": "", "index": 0,
                                                                                          "total": 1})
    found = " ".join(script_findings(bare))
    for marker in ("pwned-md-script", "pwned-md-img", "pwned-md-link", "pwned-md-svg", "pwned-old-html",
                   "pwned-old-img", "pwned-old-js", "pwned-old-svg", "pwned-old-width"):
        assert marker in found, (marker, found)
