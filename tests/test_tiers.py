"""The quick tier (tests/tiers.py): a test that uses a tagged fixture gets its markers, and a test
that starts slow work without the marker for it is stopped before the work starts, naming the marker."""

import subprocess
import sys
from types import SimpleNamespace

import pytest

import conftest
import tiers
from cellrun import run_notebook
from course_layout import assignments, release_notebook


class FakeItem:
    """A test item with just these markers."""

    def __init__(self, *markers, fixtures=()):
        self.nodeid = "tests/test_new.py::test_new"
        self.markers = list(markers)
        self._fixtureinfo = SimpleNamespace(name2fixturedefs={
            function.__name__: [SimpleNamespace(func=function)] for function in fixtures})

    def get_closest_marker(self, name):
        return name if name in self.markers else None

    def add_marker(self, name):
        self.markers.append(name)


@pytest.fixture
def as_item(request):
    """Run the body as if `item` were the running test; the real one is watched again afterwards."""
    def watch(item):
        tiers.running(item)
        return item
    yield watch
    tiers.running(request.node)


@pytest.mark.parametrize("command, marker", [
    ([sys.executable, "-m", "ipykernel_launcher", "-f", "kernel.json"], "notebooks"),
    ([sys.executable, "-m", "autograder", "grade", "submitted", "--out", "results"], "grading"),
    ([sys.executable, "course.py", "grade", "submitted", "--out", "results"], "grading"),
    (["nbgrader", "autograde", "a1_single_neuron"], "grading"),
    ([sys.executable, "course.py", "setup"], "edition"),
])
def test_an_unmarked_test_cannot_start_slow_work(as_item, command, marker):
    item = as_item(FakeItem())
    with pytest.raises(tiers.UnmarkedSlowWork, match=f"not marked `{marker}`"):
        subprocess.run(command, capture_output=True)   # refused before anything starts
    assert f"@pytest.mark.{marker}" in item.unmarked_slow_work[0]


def test_a_marked_test_may_and_other_commands_run_unwatched(as_item):
    as_item(FakeItem("notebooks"))
    assert subprocess.run([sys.executable, "-c", "pass", "ipykernel_launcher"]).returncode == 0   # as if a kernel
    as_item(FakeItem())
    assert subprocess.run([sys.executable, "-c", "pass"]).returncode == 0
    # (the command line a grading batch's --help would have: `python -c pass` only pretends to be it)
    assert subprocess.run([sys.executable, "-c", "pass", "-m", "autograder", "grade", "--help"]).returncode == 0


def test_running_a_notebook_in_process_needs_the_notebooks_marker(as_item):
    item = as_item(FakeItem())
    with pytest.raises(tiers.UnmarkedSlowWork, match="runs the notebook .* but is not marked `notebooks` or `grading`"):
        run_notebook(release_notebook(assignments()[0]))
    assert item.unmarked_slow_work


def test_a_test_using_a_tagged_fixture_gets_its_markers():
    @tiers.marks_its_users("grading")
    def graded():
        pass

    def plain():
        pass

    users, other = FakeItem(fixtures=[plain, graded]), FakeItem(fixtures=[plain])
    conftest.pytest_collection_modifyitems([users, other])
    assert users.markers == ["grading"] and other.markers == []


def test_the_student_edition_marks_its_users_edition():
    assert conftest.student_edition.marks_its_users == ("edition",)
