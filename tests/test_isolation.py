"""Nothing one submission leaves behind reaches the next one graded by the same worker, and no
kernel starts with the course's answers in its memory.

Grading processes are forked from a warm parent (autograder/grading/grading_processes.py), and each
forks its kernel from itself. The first student's notebook leaves a global, module attributes,
environment variables and files wherever its kernel can write, including the places a kernel
reads at start (IPython's startup folder, the user's site-packages, matplotlib's settings);
the second student's notebook, graded next by the same single worker, looks for all of them.
Both notebooks also look right after the first one's leaving, so the probe is shown to find them.
A third looks through every object its kernel can reach for a line of the solutions or of the
hidden tests, knowing them only by their hashes.
"""

import hashlib
import json

import pytest

from course_layout import ROOT, release_notebook
from autograder import cells
from grading_course import add_cell_after, full, grade, block_lines, submit, throwaway_course, total_points, untouched

pytestmark = pytest.mark.grading
A1 = "a1_single_neuron"
AFTER = "sigmoid"   # the probes go after this exercise cell

LEAVE = """
import os, sys, pathlib
import numpy as np
import nncourse.checks
LEFT_BEHIND = "global"
np.left_behind = "module attribute"
nncourse.checks.left_behind = "module attribute"
os.environ["LEFT_BEHIND"] = "environment variable"
for folder in [os.getcwd(), os.path.expanduser("~"), "/tmp", "/dev/shm", os.path.dirname(os.getcwd())]:
    try:
        pathlib.Path(folder, "left_behind.txt").write_text("file")
    except OSError:
        pass
startups = [os.path.join(os.environ.get("IPYTHONDIR", os.path.expanduser("~/.ipython")), "profile_default", "startup"),
            os.path.expanduser("~/.local/lib/python%d.%d/site-packages" % sys.version_info[:2])]
for folder in startups:
    os.makedirs(folder, exist_ok=True)
    pathlib.Path(folder, "00-left.py").write_text("import os\\nos.environ['LEFT_AT_START'] = 'startup file'\\n")
    pathlib.Path(folder, "usercustomize.py").write_text("import os\\nos.environ['LEFT_AT_START'] = 'usercustomize'\\n")
os.makedirs(os.environ.get("MPLCONFIGDIR", "/tmp/matplotlib"), exist_ok=True)
pathlib.Path(os.environ.get("MPLCONFIGDIR", "/tmp/matplotlib"), "matplotlibrc").write_text("lines.linewidth: 42\\n")
"""

PROBE = """
import glob, json, os
import numpy as np
import nncourse.checks
import matplotlib
places = [os.getcwd(), os.path.expanduser("~"), "/tmp", "/dev/shm", os.path.dirname(os.getcwd())]
found = {
    "global": "LEFT_BEHIND" in globals(),
    "module attribute": hasattr(np, "left_behind") or hasattr(nncourse.checks, "left_behind"),
    "environment variable": sorted(name for name in os.environ if name.startswith("LEFT_")),
    "files": sorted({path for folder in places for path in glob.glob(os.path.join(folder, "**", "*left*"),
                                                                       recursive=True)}),
    "matplotlib setting": matplotlib.rcParams["lines.linewidth"] == 42,
}
print("PROBE " + json.dumps(found))
"""


SEARCH = """
import gc, hashlib, json, sys
wanted = set(json.loads(WANTED))
control = hashlib.sha256(b"wanted = set(json.loads(WANTED))").hexdigest()   # this line: in memory, as the cell
wanted.add(control)
seen, found, strings = set(), set(), 0

def look(text):
    global strings
    strings += 1
    for line in text.splitlines():
        if hashlib.sha256(line.strip().encode()).hexdigest() in wanted:
            found.add(hashlib.sha256(line.strip().encode()).hexdigest())

def walk(value, depth=0):
    if id(value) in seen or depth > 50:
        return
    seen.add(id(value))
    if isinstance(value, str):
        look(value)
    elif isinstance(value, bytes):
        look(value.decode("utf-8", "replace"))
    elif isinstance(value, dict):
        for key, item in list(value.items()):
            walk(key, depth + 1)
            walk(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in list(value):
            walk(item, depth + 1)
    elif hasattr(value, "co_consts"):
        walk(value.co_consts, depth + 1)

def walk_safely(value):
    try:
        walk(getattr(value, "__code__", None))
        walk(value)
    except Exception:   # a lazy module, say, that imports when looked at
        pass

for value in gc.get_objects():
    walk_safely(value)
for module in list(sys.modules.values()):
    walk_safely(vars(module) if hasattr(module, "__dict__") else None)
print("PROBE " + json.dumps({"found": len(found - {control}), "control found": control in found,
                             "strings": strings,
                             "hidden tests imported": sorted(m for m in sys.modules if ".hidden" in m)}))
"""


def secret_lines():
    """sha256 of each distinctive line of the solutions and of the hidden tests: lines of 20 characters or
    more that appear nowhere a kernel may read (the release notebook, the student package)."""
    public = release_notebook(A1).read_text() + "".join(
        path.read_text() for path in (ROOT / "edition").rglob("*.py"))
    solutions = block_lines(A1, (cells.SOLUTION_BLOCK, cells.HIDDEN_TESTS_BLOCK))
    hidden = (ROOT / "autograder" / "hidden" / f"{A1}.py").read_text().splitlines()
    lines = {line.strip() for line in solutions + hidden if len(line.strip()) >= 20}
    return sorted(hashlib.sha256(line.encode()).hexdigest() for line in lines if line not in public)


def probe_findings(course, student):
    notebook = json.loads((course / "autograded" / student / A1 / "single_neuron.ipynb").read_text())
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", ""))
            if text.startswith("PROBE "):
                return json.loads(text[len("PROBE "):].splitlines()[0])
    raise AssertionError(f"{student}'s probe printed nothing")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = throwaway_course(tmp_path_factory.mktemp("course"), [A1])
    submissions, out = tmp_path_factory.mktemp("submissions"), tmp_path_factory.mktemp("results")
    submit(submissions, "a_leaves_things_behind", A1, add_cell_after(full(A1), AFTER, LEAVE + PROBE))
    submit(submissions, "b_looks_for_them", A1, add_cell_after(full(A1), AFTER, PROBE))
    submit(submissions, "c_looks_for_answers", A1,
           add_cell_after(untouched(A1), AFTER, f"WANTED = {json.dumps(json.dumps(secret_lines()))}\n" + SEARCH))
    done, records = grade(course, submissions, out, "--assignment", A1, "--workers", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    return course, done, records


def test_the_probe_finds_what_is_left_in_its_own_submission(graded):
    course, _, _ = graded
    found = probe_findings(course, "a_leaves_things_behind")
    assert found["global"] and found["module attribute"]
    assert found["environment variable"] == ["LEFT_BEHIND"]
    assert any(path.endswith("/tmp/left_behind.txt") for path in found["files"]), found["files"]
    assert any("/startup/" in path for path in found["files"]), found["files"]


def test_the_next_submission_in_the_same_worker_finds_none_of_it(graded):
    course, done, records = graded
    order = [line.split("]")[1].split()[0] for line in done.stdout.splitlines() if line.startswith("[")]
    assert order[:2] == ["a_leaves_things_behind", "b_looks_for_them"], "graded one after the other, in one worker"
    assert probe_findings(course, "b_looks_for_them") == {
        "global": False, "module attribute": False, "environment variable": [], "files": [],
        "matplotlib setting": False}


def test_the_next_submission_passes_every_test(graded):
    record = graded[2][("b_looks_for_them", A1)]
    cells = record["notebooks"][0]["cells"]
    assert all(cell["passed"] for cell in cells.values()), {k: c["message"] for k, c in cells.items() if not c["passed"]}
    assert sum(cell["max_score"] for cell in cells.values()) == total_points(A1)
    # Both probes name /tmp and /dev/shm, and the leaver patches modules: the code scan says so.
    assert {graded[2][(student, A1)]["status"] for student in ("a_leaves_things_behind", "b_looks_for_them")} \
        == {"tampered"}


def test_no_kernel_starts_with_a_solution_or_a_hidden_test_in_memory(graded):
    assert len(secret_lines()) >= 30, "enough lines to look for"
    found = probe_findings(graded[0], "c_looks_for_answers")
    assert found["strings"] > 50_000, "the probe looked through the kernel's memory"
    assert found["control found"], "the probe finds a line that is in memory: its own"
    assert (found["found"], found["hidden tests imported"]) == (0, [])
