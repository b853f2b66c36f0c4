"""The grading command on a class of broken and hostile submissions, graded in one batch.

Every bad input gets a record with its status and reason, no student's record depends on
another's, and every attack scores no more than the same wrong answers handed in honestly.

The class hands in the fixture course's assignment (tests/fixture_course/, two exercises,
basic_sigmoid and sigmoid, 3 points; tests/grading_course.py), so the batch takes the time its
limits take, not the time the real course's notebooks take.
"""

import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_raw_cell

import grading_course
from autograder.grading.class_stats import short
from autograder.grading.records import Status
from autograder.grading.report_figures import FIGURES
from autograder.grading.results import CSV_HEADER
from course_layout import ROOT
from grading_course import (FIXTURE, FIXTURE_COURSE, add_cell_after, block_lines, fixture_course, grade, index_of,
                            outliving, warm_processes)
from page_check import Page, Tables, has_the_policy_first, unsafe

pytestmark = pytest.mark.grading
TIMEOUT = 10
MEMORY_MB = 2000
DISK_MB = 96            # small limits, so that a fill and a flood test the limit, not the machine
MAX_PROCESSES = 48
MAX_NOTEBOOK_MB = 2
NOTEBOOK = "sigmoid.ipynb"
MARKUP_NAME = "<img src=x onerror=alert(1)>"   # a student folder named to be markup in the formgrader
# The real course's hidden tests: a file on this machine that no submission may read.
HIDDEN_MODULE = ROOT / "autograder" / "hidden" / "a1_single_neuron.py"
WRONG = {"basic_sigmoid": "def basic_sigmoid(x):\n    return 1 / (1 + math.exp(x))\n",
         "sigmoid": "def sigmoid(x):\n    return 1 / (1 - np.exp(-x))\n"}


def points(grade_id):
    """The points of one test cell of the fixture's assignment (those before a dying cell are kept)."""
    return grading_course.points(FIXTURE, grade_id, FIXTURE_COURSE)


TOTAL = grading_course.total_points(FIXTURE, FIXTURE_COURSE)


def full(course):
    return grading_course.full(FIXTURE, course)


def untouched(course):
    return grading_course.untouched(FIXTURE, course)


def submit(course, submissions, student, notebook=None, files=None):
    return grading_course.submit(submissions, student, FIXTURE, notebook, files, course)


def honest_wrong(course):
    """Both exercises answered wrong, handed in without tricks."""
    return grading_course.with_answers(FIXTURE, WRONG, course)


def without(notebook, grade_id):
    notebook = nbformat.from_dict(json.loads(nbformat.writes(notebook)))
    del notebook.cells[index_of(notebook, grade_id)]
    return notebook


def bad_inputs(course, submissions):
    full_marks = full(course)
    nb3 = nbformat.writes(nbformat.convert(full(course), 3), version=3)  # convert changes its argument
    moved = nbformat.from_dict(json.loads(nbformat.writes(full_marks)))
    moved.cells.append(moved.cells.pop(index_of(moved, "sigmoid")))
    duplicated = nbformat.from_dict(json.loads(nbformat.writes(full_marks)))
    copy = nbformat.from_dict(json.loads(json.dumps(duplicated.cells[index_of(duplicated, "sigmoid")])))
    copy.id = "sigmoid-copy"  # JupyterLab gives a copied cell an id of its own, and keeps its metadata
    duplicated.cells.insert(index_of(duplicated, "sigmoid"), copy)
    syntax = grading_course.with_answers(FIXTURE, {"basic_sigmoid": "def basic_sigmoid(x):\n    return (\n"}, course)
    syntax.cells = [c if c.metadata.get("nbgrader", {}).get("grade_id") == "basic_sigmoid" else f
                    for c, f in zip(syntax.cells, full_marks.cells)]
    slow = full(course)
    slow.cells[index_of(slow, "sigmoid")].source += "\nimport time\n_fast_sigmoid = sigmoid\n" \
        "def sigmoid(x):\n    time.sleep(1000)\n    return _fast_sigmoid(x)\n"
    # The slowest (their cells run into the time limit) are named to sort first: the batch starts them
    # first, and the rest of the class is graded beside them instead of after them.
    return {
        "malformed": "{not json",
        "empty": "",
        "nbformat3": nb3,
        "nbformat2": json.dumps({"nbformat": 2, "nbformat_minor": 0, "worksheets": []}),
        "deleted_test": without(full_marks, "sigmoid_tests"),
        "deleted_exercise": without(full_marks, "basic_sigmoid"),
        "duplicated": duplicated,
        "moved": moved,
        "syntax_error": syntax,
        "a_infinite_loop": add_cell_after(full_marks, "basic_sigmoid_tests", "while True:\n    pass\n"),
        # It waits rather than spins: the kernel that ignores the interrupt is killed the same way, and
        # the class is spared 15 s of a core (the time limit and the grace after the interrupt).
        "a_ignores_interrupt": add_cell_after(full_marks, "basic_sigmoid_tests", "import signal, time\n"
                                            "signal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
                                            "    time.sleep(0.1)\n"),
        "os_exit": add_cell_after(full_marks, "basic_sigmoid_tests", "import os\nos._exit(1)\n"),
        "killed": add_cell_after(full_marks, "basic_sigmoid_tests", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"),
        # It takes address space, which the limit is on (RLIMIT_AS), without touching it: filling 2 GB page by
        # page once took over the 10 s time limit on a loaded machine, a timeout instead of the crash under test.
        "out_of_memory": add_cell_after(full_marks, "basic_sigmoid_tests",
                                        "import numpy as np\nhog = [np.empty(10**8) for _ in range(10**4)]\n"),
        "flood": add_cell_after(full_marks, "sigmoid", "for _ in range(200):\n    print('x' * 100_000)\n"),
        "a_slow_function": slow,
        "nested_json": "[" * 100_000 + "]" * 100_000,
        "nested_metadata": nested_metadata(full_marks, 500),
        "oversize": oversize(full_marks),
        "script_outputs": script_outputs(course),
    }


def script_outputs(course):
    """Every answer right, with cells of the student's own that display script, and a plot."""
    notebook = add_cell_after(full(course), "basic_sigmoid_tests",
                              "from IPython.display import HTML, Javascript, display\n"
                              "display(HTML(\"<script>document.title='pwned-html'</script>\"))\n"
                              "display(Javascript(\"document.title='pwned-js'\"))\n"
                              "HTML(\"<img src=x onerror=\\\"document.title='pwned-img'\\\">\")\n")
    notebook = add_cell_after(notebook, "sigmoid_tests",
                              "import matplotlib.pyplot as plt\nplt.plot([0, 1, 2], [0.7, 0.4, 0.2])\nplt.show()\n")
    at = index_of(notebook, "sigmoid_tests") + 1
    notebook.cells[at:at] = [new_markdown_cell("Notes <script>document.title='pwned-md'</script>"),
                             new_raw_cell("<script>document.title='pwned-raw'</script>")]
    return notebook


def nested_metadata(notebook, depth):
    """A readable notebook whose metadata nests `depth` levels."""
    raw = json.loads(nbformat.writes(notebook))
    deep = {}
    for _ in range(depth):
        deep = {"x": deep}
    raw["metadata"]["deep"] = deep
    return json.dumps(raw)


def oversize(notebook):
    """A complete notebook with an output that takes it past the size limit."""
    notebook = nbformat.from_dict(json.loads(nbformat.writes(notebook)))
    code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * (MAX_NOTEBOOK_MB * 2**20 + 1000))]
    return notebook


def links_and_special_files(course, submissions, outside):
    """Hand-ins that are links (to a classmate, to the solutions, outside the class) or not files at all."""
    def folder(student):
        path = submissions / student / FIXTURE
        path.mkdir(parents=True)
        return path
    classmate = submissions / "honest_full"
    os.symlink(f"../../honest_full/{FIXTURE}/{NOTEBOOK}", folder("link_to_classmates_file") / NOTEBOOK)
    (submissions / "link_to_classmates_folder").mkdir()
    os.symlink(classmate / FIXTURE, submissions / "link_to_classmates_folder" / FIXTURE)
    os.symlink(classmate, submissions / "link_as_student_folder")
    to_source = folder("link_to_source")
    os.symlink(os.path.relpath(course / "source" / FIXTURE / NOTEBOOK, to_source), to_source / NOTEBOOK)
    nbformat.write(full(course), outside / NOTEBOOK)
    os.symlink(outside / NOTEBOOK, folder("link_outside") / NOTEBOOK)
    os.mkfifo(folder("fifo") / NOTEBOOK)
    among_files = folder("links_among_files")
    nbformat.write(full(course), among_files / NOTEBOOK)
    os.symlink(outside / NOTEBOOK, among_files / "data.txt")
    os.symlink("/etc/passwd", among_files / "timestamp.txt")


LIMIT_ATTACKS = {
    # writes past the disk limit, in its folder, /tmp and /dev/shm (a path the code scan does not see)
    "disk_fill": "import os\nchunk = b'x' * 2**20\nfor path in ('big.bin', '/tmp/big.bin', '/'.join(['', 'dev', 'shm', 'b'])):\n"
                 "    try:\n        with open(path, 'wb') as file:\n"
                 "            for _ in range(3 * 1024):\n                file.write(chunk)\n"
                 "    except OSError as error:\n        print('stopped:', error)\n",
    # leaves folders nested deeper than Python's recursion limit for the grader to clean up
    "deep_folders": "import os\nhere = os.getcwd()\nfor _ in range(1100):\n    os.mkdir('d')\n    os.chdir('d')\n"
                    "os.chdir(here)\n",
    # starts processes until refused, and leaves them running
    "process_flood": "import os, time\nstarted = 0\ntry:\n    for _ in range(1000):\n"
                     "        if os.fork() == 0:\n            time.sleep(600)\n            os._exit(0)\n"
                     "        started += 1\nexcept OSError as error:\n    print('refused after', started, error)\n",
}


def attacks(course, submissions):
    """Hostile cells added to the honest wrong answers (paths are the real ones of this batch)."""
    wrong = honest_wrong(course)
    gradebook, hidden = course / "gradebook.db", HIDDEN_MODULE
    other = submissions / "honest_full" / FIXTURE / NOTEBOOK
    cheats = {
        "patch_numpy": "np.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, **k: np.ones(np.shape(a), bool)\n"
                       "np.array_equal = lambda *a, **k: True\n",
        "patch_checks": "import nncourse.checks as c\nc.check_array = c.check_scalar = c.check_shape = "
                        "c.check_keys = lambda *a, **k: None\ncheck_array = check_scalar = check_shape = c.check_array\n",
        "hide_tracebacks": "get_ipython().showtraceback = lambda *a, **k: None\n"
                           "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n",
        "patch_grader_helper": f"import os\n__nn_grader__._write = lambda f, v: os.symlink({str(gradebook)!r}, "
                               "os.path.join(__nn_grader__.folder, f))\n",
        "files": f"import os\nfor path in [{str(gradebook)!r}, {str(hidden)!r}, {str(other)!r}, {str(submissions)!r}]:\n"
                 "    for attempt in ('read', 'write'):\n"
                 "        try:\n"
                 "            if os.path.isdir(path):\n                print('LISTED', os.listdir(path))\n"
                 "            elif attempt == 'read':\n                print('READ', len(open(path, 'rb').read()))\n"
                 "            else:\n                open(path, 'wb').write(b'owned')\n                print('WROTE', path)\n"
                 "        except OSError as error:\n            print('refused', type(error).__name__)\n"
                 "try:\n    import autograder.hidden\n    print('IMPORTED hidden tests')\n"
                 "except ImportError:\n    print('refused import')\n",
        "kill_others": "import os\nos.system('pkill -9 -f grade_submission; pkill -9 -f forkserver; pkill -9 -f ipykernel; kill -9 -1')\n",
    }
    notebooks = {name: add_cell_after(wrong, "basic_sigmoid", source)
                 for name, source in {**cheats, **LIMIT_ATTACKS}.items()}
    liar = ("class Liar(np.ndarray):\n    def __eq__(self, other):\n        return np.ones(np.shape(other), bool)\n"
            "    __ne__ = lambda self, other: np.zeros(np.shape(other), bool)\n\n"
            "class Anything:\n    def __eq__(self, other):\n        return True\n    def __float__(self):\n        return 0.5\n\n"
            "def sigmoid(x):\n    return np.zeros(np.shape(x)).view(Liar)\n\n"
            "def basic_sigmoid(x):\n    return Anything()\n")
    notebooks["lying_values"] = add_cell_after(wrong, "sigmoid", liar)
    edited = nbformat.from_dict(json.loads(nbformat.writes(wrong)))
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "print('all good')\n"
    notebooks["edit_tests"] = edited
    meta = nbformat.from_dict(json.loads(nbformat.writes(wrong)))
    for cell in meta.cells:
        nbgrader = cell.metadata.get("nbgrader", {})
        if nbgrader.get("grade"):
            nbgrader["points"] = 100
        elif nbgrader.get("solution"):
            nbgrader.update(grade=True, points=5)
    notebooks["edit_metadata"] = meta
    return notebooks


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = fixture_course(tmp_path_factory.mktemp("course"))
    submissions, out = tmp_path_factory.mktemp("submissions"), tmp_path_factory.mktemp("results")
    submit(course, submissions, "honest_full", full(course))
    submit(course, submissions, "honest_wrong", honest_wrong(course))
    for name, notebook in {**bad_inputs(course, submissions), **attacks(course, submissions)}.items():
        submit(course, submissions, name, notebook)
    submit(course, submissions, "no_notebook", files={"notes.txt": "nothing here"})
    submit(course, submissions, "wrong_name", files={"my_work.ipynb": nbformat.writes(full(course))})
    submit(course, submissions, "extra_notebook", full(course),
           files={"scratch.ipynb": nbformat.writes(untouched(course))})
    links_and_special_files(course, submissions, tmp_path_factory.mktemp("outside"))
    submit(course, submissions, MARKUP_NAME, full(course))
    protected = {path: _digest(path) for path in [HIDDEN_MODULE, submissions / "honest_full" / FIXTURE / NOTEBOOK]}
    free_before = shutil.disk_usage(tempfile.gettempdir()).free
    warm_before = warm_processes()
    done, records = grade(course, submissions, out, "--assignment", FIXTURE, "--workers", "2", "--timeout", str(TIMEOUT),
                          "--memory", str(MEMORY_MB), "--disk", str(DISK_MB), "--processes", str(MAX_PROCESSES),
                          "--max-notebook", str(MAX_NOTEBOOK_MB))
    disk_used = free_before - shutil.disk_usage(tempfile.gettempdir()).free
    assert {student for student, _ in records} == {folder.name for folder in submissions.iterdir()}, done.stderr[-3000:]
    left = outliving(warm_before)
    return course, out, done, {student: record for (student, _), record in records.items()}, protected, disk_used, left


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_batch_finishes_with_a_record_for_everyone(graded):
    _, _, done, records, _, _, _ = graded
    assert done.returncode == 0, done.stderr
    summary = json.loads((graded[1] / "grades.json").read_text())["summary"]
    assert summary["submissions"] == len(records)
    assert f"Graded {len(records)} submissions" in done.stdout
    assert f"[{len(records)}/{len(records)}]" in done.stdout, "no progress lines"


def test_honest_students_are_unaffected_by_the_rest_of_the_class(graded):
    records = graded[3]
    assert records["honest_full"]["status"] == "graded"
    assert records["honest_full"]["score"] == TOTAL
    assert records["honest_wrong"]["status"] == "graded"
    assert records["honest_wrong"]["score"] < TOTAL / 2


BAD_INPUTS = [
    ("malformed", "invalid", 0, "not valid JSON"),
    ("empty", "invalid", 0, "is empty"),
    ("nbformat2", "invalid", 0, "nbformat 2"),
    ("nbformat3", "graded", TOTAL, "converted from nbformat 3"),
    ("no_notebook", "missing", 0, f"no {NOTEBOOK}"),
    ("wrong_name", "missing", 0, "my_work.ipynb"),
    ("extra_notebook", "graded", TOTAL, "scratch.ipynb"),
    ("deleted_test", "graded", TOTAL, "sigmoid_tests was put back"),
    ("deleted_exercise", "graded", TOTAL - points("basic_sigmoid_tests"), "basic_sigmoid was deleted"),
    ("duplicated", "graded", TOTAL, "appears twice"),
    ("moved", "graded", TOTAL, "moved"),
    ("syntax_error", "graded", TOTAL - points("basic_sigmoid_tests"), "all cells graded"),
    ("a_infinite_loop", "timeout", TOTAL, "interrupted"),
    ("a_ignores_interrupt", "timeout", points("basic_sigmoid_tests"), "ignored the interrupt"),
    ("os_exit", "crashed", points("basic_sigmoid_tests"), "kernel died"),
    ("killed", "crashed", points("basic_sigmoid_tests"), "kernel died"),
    ("out_of_memory", "crashed", TOTAL, "ran out of memory"),
    ("flood", "graded", TOTAL, "all cells graded"),
    ("nested_json", "invalid", 0, "nested too deeply"),
    ("nested_metadata", "invalid", 0, "levels deep; a notebook needs far fewer"),
    ("oversize", "invalid", 0, f"the limit is {MAX_NOTEBOOK_MB} MB"),
    ("link_to_classmates_file", "invalid", 0, f"{NOTEBOOK} is a link"),
    ("link_to_classmates_folder", "invalid", 0, f"the folder link_to_classmates_folder/{FIXTURE} is a link"),
    ("link_as_student_folder", "invalid", 0, "the folder link_as_student_folder is a link"),
    ("link_to_source", "invalid", 0, f"{NOTEBOOK} is a link"),
    ("link_outside", "invalid", 0, f"{NOTEBOOK} is a link"),
    ("fifo", "invalid", 0, "is a FIFO"),
    ("script_outputs", "graded", TOTAL, "all cells graded"),
    (MARKUP_NAME, "invalid", 0, "cannot be a student id"),
    ("links_among_files", "graded", TOTAL, "not copied to the work folder: data.txt (a link), timestamp.txt (a link)"),
]


# Named by the student alone: `-k <assignment>` selects the corpus, not this class's batch.
@pytest.mark.parametrize("student, status, score, reason", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_gets_a_record_with_a_reason(graded, student, status, score, reason):
    record = graded[3][student]
    assert (record["status"], record["score"]) == (status, score), record["reason"]
    assert reason in record["reason"]
    assert record["max_score"] == TOTAL
    cells = record["notebooks"][0]["cells"]
    assert len(cells) == 2 and sum(cell["max_score"] for cell in cells.values()) == TOTAL


def test_slow_code_is_stopped_and_its_test_fails(graded):
    record = graded[3]["a_slow_function"]
    assert record["status"] == "timeout"
    assert record["notebooks"][0]["cells"]["sigmoid_tests"]["score"] == 0
    assert "stopped" in record["notebooks"][0]["cells"]["sigmoid_tests"]["message"]


def test_a_flood_of_output_is_cut(graded):
    course = graded[0]
    stored = course / "autograded" / "flood" / FIXTURE / NOTEBOOK
    assert stored.stat().st_size < 1_000_000, "20 MB of printing should not reach the autograded notebook"
    assert "output cut" in stored.read_text()


ATTACKS = ["patch_numpy", "patch_checks", "hide_tracebacks", "patch_grader_helper", "files", "lying_values",
           "edit_tests", "edit_metadata", *LIMIT_ATTACKS]


@pytest.mark.parametrize("student", ATTACKS + ["kill_others"])
def test_an_attack_scores_no_more_than_the_same_wrong_answers(graded, student):
    records = graded[3]
    assert records[student]["score"] <= records["honest_wrong"]["score"]
    assert records[student]["max_score"] == TOTAL


@pytest.mark.parametrize("student, reason", [
    ("patch_numpy", "replaces np.allclose"), ("patch_checks", "replaces c.check_array"),
    ("hide_tracebacks", "error display"), ("patch_grader_helper", "grader's helper"),
    ("files", "path outside"), ("lying_values", "Liar"), ("edit_tests", "was edited"),
    ("edit_metadata", "metadata"),
])
def test_an_attack_is_marked_tampered(graded, student, reason):
    record = graded[3][student]
    assert record["status"] == "tampered" and reason in record["reason"], record["reason"]


def test_a_disk_fill_stops_at_the_limit_and_the_machine_keeps_its_disk(graded):
    records, disk_used = graded[3], graded[5]
    record = records["disk_fill"]
    assert record["status"] == "crashed", record["reason"]
    assert f"filled the submission's disk space (the limit is {DISK_MB} MB" in record["reason"]
    assert disk_used < 300 * 2**20, f"grading took {disk_used / 2**20:.0f} MB of the machine's disk"
    stored = (graded[0] / "autograded" / "disk_fill" / FIXTURE / NOTEBOOK).read_text()
    assert "No space left on device" in stored, "the writes should have been refused by the limit"


def test_a_process_flood_stops_at_the_limit(graded):
    record = graded[3]["process_flood"]
    assert record["status"] == "crashed", record["reason"]
    assert f"reached the process limit (the limit is {MAX_PROCESSES} processes" in record["reason"]
    stored = nbformat.read(graded[0] / "autograded" / "process_flood" / FIXTURE / NOTEBOOK, as_version=4)
    printed = "".join(output.get("text", "") for cell in stored.cells if cell.cell_type == "code"
                      for output in cell.outputs)
    started = int(printed.split("refused after ")[1].split()[0])
    assert 0 < started < MAX_PROCESSES, printed
    assert not graded[6], "a grading process, a kernel or one of its processes outlived the batch"
    made = list(Path("/sys/fs/cgroup/pids").glob("nngrade-*")) + list(Path("/sys/fs/cgroup").glob("nngrade-*"))
    leftover = [path for path in made if not Path("/proc", path.name.split("-")[1]).exists()]
    assert not leftover, f"cgroups left behind by a batch that has ended: {leftover}"


def test_folders_nested_too_deeply_do_not_stop_grading(graded):
    record = graded[3]["deep_folders"]
    assert record["status"] == "graded" and record["reason"] == "all cells graded", record["reason"]


def test_nothing_is_read_through_a_link(graded):
    records = graded[3]
    among = records["links_among_files"]
    assert among["timestamp"] is None, "timestamp.txt is a link to /etc/passwd and must not be read"
    for student in ("link_to_classmates_file", "link_to_classmates_folder", "link_as_student_folder",
                    "link_to_source", "link_outside"):
        cells = records[student]["notebooks"][0]["cells"]
        assert all(cell["message"] == "not run" for cell in cells.values()), student


def test_a_submission_cannot_reach_files_outside_its_folder(graded):
    course, _, _, _, protected, _, _ = graded
    stored = nbformat.read(course / "autograded" / "files" / FIXTURE / NOTEBOOK, as_version=4)
    printed = "".join(output.get("text", "") for cell in stored.cells if cell.cell_type == "code"
                      for output in cell.outputs)
    assert printed.count("refused") == 9 and "refused import" in printed, printed
    for word in ("READ", "WROTE", "LISTED", "IMPORTED"):
        assert word not in printed, f"the sandbox let the notebook do this: {word}"
    assert all(_digest(path) == digest for path, digest in protected.items())


def test_feedback_never_shows_the_hidden_tests(graded):
    _, out, _, records, _, _, _ = graded
    hidden = block_lines(FIXTURE, root=FIXTURE_COURSE)
    assert len(hidden) >= 3, "the source notebook should have hidden tests to look for"
    pages = list((out / "feedback").rglob("*.html"))
    assert len(pages) == len(records)
    for page in pages:
        text = page.read_text()
        shown = [line for line in hidden if line in text or html.escape(line) in text]
        assert not shown and "BEGIN HIDDEN" not in text, f"{page} shows hidden tests: {shown[:3]}"
    wrong = (out / "feedback" / "honest_wrong" / FIXTURE / "sigmoid.html").read_text()
    assert "Score: " in wrong and "sigmoid_tests" in wrong


def test_no_page_runs_script_and_each_has_the_policy(graded):
    out, records = graded[1], graded[3]
    pages = sorted((out / "feedback").rglob("*.html"))
    assert len(pages) == len(records)
    for path in pages:
        page = Page(path.read_text(encoding="utf-8"))
        assert not page.find("script") and unsafe(page) == [] and has_the_policy_first(page), path


def test_a_submission_that_displays_script_gets_a_safe_page_that_shows_it_as_text(graded):
    page = Page((graded[1] / "feedback" / "script_outputs" / FIXTURE / "sigmoid.html").read_text(encoding="utf-8"))
    for shown in ("<script>document.title='pwned-html'</script>", "<script>document.title='pwned-md'</script>",
                  "<script>document.title='pwned-raw'</script>", "[a JavaScript output: not shown"):
        assert shown in page.text, shown
    plot = page.cell_showing("plt.plot([0, 1, 2]")
    assert any(attrs.get("src", "").startswith("data:image/png;base64,") for attrs in page.find("img", plot)), \
        "the student's plot is not shown"
    assert f"Score: {TOTAL:g} / {TOTAL:g}" in page.text


def test_the_class_report_counts_the_batch_and_shows_no_hidden_test_and_no_script(graded):
    _, out, _, records, _, _, _ = graded
    text = (out / "report.html").read_text(encoding="utf-8")
    page = Page(text)
    assert not page.find("script") and unsafe(page) == [] and has_the_policy_first(page)
    assert len(page.find("img")) == len(FIGURES) and all((out / "report" / f"{name}.png").stat().st_size
                                                          for name in FIGURES)
    statuses = [record["status"] for record in records.values()]
    [counts] = Tables(text).starting("assignment", "graded", "missing")
    assert counts == [[FIXTURE, *(str(statuses.count(status.value)) for status in Status), "0"]]
    [exercises] = Tables(text).starting("assignment", "test cell")
    assert [row[1] for row in exercises] == ["basic_sigmoid_tests", "sigmoid_tests"]
    assert all(int(row[3]) == sum(status != "missing" for status in statuses) for row in exercises)
    # Of the tests, the report shows the messages the students see in their feedback, and nothing else
    feedback = {short(cell["message"] or "failed") for record in records.values() for notebook in record["notebooks"]
                for cell in notebook["cells"].values() if not cell["passed"]}
    shown = {row[2] for table in Tables(text).starting("submissions", "failed in", "message") for row in table}
    assert shown and shown <= feedback, shown - feedback
    hidden = block_lines(FIXTURE, root=FIXTURE_COURSE)
    assert not [line for line in hidden if line in page.text] and "BEGIN HIDDEN" not in text
    assert MARKUP_NAME in page.text and MARKUP_NAME not in text


def test_gradebook_and_nbgrader_export_agree_with_the_results(graded):
    course, out, _, records, _, _, _ = graded
    exported = course / "export.csv"
    subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(exported)], cwd=course, check=True,
                   capture_output=True)
    ours = set((out / "grades.csv").read_text().splitlines())
    theirs = set(exported.read_text().splitlines())
    # the header and one line per record, but for the folder named as markup, which the gradebook never gets
    assert ours <= theirs and len(ours) == len(records)
    assert MARKUP_NAME not in exported.read_text()
    for line in ours - {CSV_HEADER}:
        fields = line.split(",")
        record = records[fields[3]]
        assert float(fields[7]) == record["score"], line


def test_a_batch_stopped_by_sigterm_leaves_no_process_and_no_cgroup_behind(tmp_path):
    """A cancelled CI job or a `kill` sends SIGTERM: the batch stops its grading processes, their kernels and
    their cgroups, as Ctrl-C does, and writes no results."""
    import signal
    import time

    from autograder.grading.limits import _pids_hierarchy

    course = fixture_course(tmp_path / "course")
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    for student in ("slow_1", "slow_2", "slow_3"):
        submit(course, submissions, student, add_cell_after(full(course), "sigmoid", "import time\ntime.sleep(600)"))
    warm_before = warm_processes()
    batch = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(submissions), "--out", str(out),
                              "--root", str(course), "--workers", "2", "--timeout", "300"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    hierarchy = _pids_hierarchy()

    def batch_cgroups():
        return sorted(hierarchy.glob(f"nngrade-{batch.pid}-*")) if hierarchy else []

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (len(warm_processes() - warm_before) >= 5 and len(batch_cgroups()) == 2):
        assert batch.poll() is None, batch.communicate()[1][-2000:]
        time.sleep(0.5)
    time.sleep(3)   # the kernels in their sandboxes, running the notebook
    assert len(warm_processes() - warm_before) >= 5, "the warm parent, two grading processes and their kernels"
    if hierarchy:
        assert len(batch_cgroups()) == 2, "one cgroup per running grading process"
    batch.send_signal(signal.SIGTERM)
    try:
        _, stderr = batch.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        batch.kill()
        batch.communicate()
        raise AssertionError("the batch did not stop on SIGTERM") from None
    assert batch.returncode == 130 and "stopped (stopped by signal 15)" in stderr, stderr[-2000:]
    assert batch_cgroups() == [], "cgroups left behind"
    assert not outliving(warm_before), "processes of the batch outlived it"
    assert not (out / "grades.json").exists()

