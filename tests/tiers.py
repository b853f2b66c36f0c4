"""The markers of the slow tests, and a check, while the tests run, that each test doing slow work has its marker.

`python3 course.py test --quick` leaves out the tests marked (pyproject.toml registers them):

- notebooks: runs notebooks, in a Jupyter kernel or cell by cell in this process (tests/cellrun.py);
- grading:   runs a grading batch (`python -m autograder grade`) or nbgrader's autograde;
- edition:   uses the student edition, published and set up once per run (tests/student_edition.py);
- browser:   drives JupyterLab or a page in headless Chromium;
- network:   needs the package index.

A test is marked by what it does: with `pytestmark` or a decorator, or through a fixture tagged
with `marks_its_users` (conftest.py marks every test that uses such a fixture, directly or
through another fixture). And what it does is watched: a test that starts a Jupyter kernel, a
grading batch, nbgrader's autograde, the edition's setup or the browser's driver, or runs a
notebook with tests/cellrun.py, without a marker that allows it fails saying which marker it
needs. So a new slow test cannot land in the quick tier unnoticed.
"""

import os
import sys

# What a command line started from the test process shows, the markers that allow it, and what it does.
SPAWNS = [
    (lambda argv: "ipykernel_launcher" in argv, ("notebooks", "grading"), "starts a Jupyter kernel"),
    (lambda argv: (_follows(argv, ["-m", "autograder", "grade"]) or _follows(argv, ["course.py", "grade"]))
     and not {"-h", "--help"} & set(argv), ("grading",), "runs a grading batch"),
    (lambda argv: "autograde" in argv and any(os.path.basename(part) == "nbgrader" for part in argv),
     ("grading",), "runs nbgrader autograde"),
    (lambda argv: _follows(argv, ["course.py", "setup"]), ("edition",), "sets up a course with course.py setup"),
    (lambda argv: "run-driver" in argv, ("browser",), "starts Playwright's browser driver"),
]

_current = None        # the test item whose setup, call or teardown is running
_installed = False


def _follows(argv, words):
    return any(argv[i:i + len(words)] == words for i in range(len(argv)))


def marks_its_users(*markers):
    """Tag a fixture: every test that uses it (directly or through another fixture) gets these markers.

        @pytest.fixture(scope="module")
        @marks_its_users("grading")
        def graded(tmp_path_factory): ...
    """
    def tag(function):
        function.marks_its_users = markers
        return function
    return tag


def markers_from_fixtures(item):
    """The markers the fixtures `item` uses ask for."""
    found = set()
    for definitions in getattr(item, "_fixtureinfo").name2fixturedefs.values():
        for definition in definitions:
            found.update(getattr(definition.func, "marks_its_users", ()))
    return found


def running(item):
    """Watch `item` from now (None: no test is running)."""
    global _current
    _current = item


def require(allowed, what):
    """Fail the running test unless it carries one of the `allowed` markers: it does slow work (`what`)."""
    item = _current
    if item is None or any(item.get_closest_marker(name) for name in allowed):
        return
    names = " or ".join(f"`{name}`" for name in allowed)
    message = (f"{item.nodeid} {what} but is not marked {names}: mark it (pytestmark = pytest.mark.{allowed[0]}, "
               f"or @pytest.mark.{allowed[0]}), or tag the fixture doing it with "
               f"@marks_its_users({allowed[0]!r}) from tests/tiers.py, so that `course.py test --quick` leaves it out")
    unmarked = getattr(item, "unmarked_slow_work", [])
    unmarked.append(message)
    item.unmarked_slow_work = unmarked
    raise UnmarkedSlowWork(message)


class UnmarkedSlowWork(Exception):
    pass


def _audit(event, args):
    if event != "subprocess.Popen" or _current is None:
        return
    command = args[1]
    if isinstance(command, (str, bytes, os.PathLike)):
        command = [command]
    argv = [os.fsdecode(part) if isinstance(part, (bytes, os.PathLike)) else str(part) for part in command or []]
    for matches, allowed, what in SPAWNS:
        if matches(argv):
            require(allowed, f"{what}: {' '.join(argv)[:200]}")


def install():
    """Watch the commands the test process starts (an audit hook, once per process)."""
    global _installed
    if not _installed:
        sys.addaudithook(_audit)
        _installed = True
