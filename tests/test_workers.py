"""Which tests share a worker under xdist (tests/workers.py): a file's tests stay together unless it is spread,
and the users of a session fixture stay with the worker that built it."""

import os
import re
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

import workers
from workers import TESTS
from xdist.scheduler.loadgroup import LoadGroupScheduling


class FakeItem:
    def __init__(self, module, *markers, fixtures=(), params=None):
        self.module = SimpleNamespace(__name__=module)
        self.markers = list(markers)
        self.callspec = SimpleNamespace(params=params or {})
        self._fixtureinfo = SimpleNamespace(name2fixturedefs={
            function.__name__: [SimpleNamespace(func=function, scope=scope)] for function, scope in fixtures})

    def get_closest_marker(self, name):
        return next((marker for marker in self.markers if marker.name == name), None)

    def iter_markers(self):
        return iter(self.markers)

    def add_marker(self, marker):
        self.markers.append(marker)

    @property
    def group(self):
        found = self.get_closest_marker("xdist_group")
        return found and found.args[0]


def edition():   # a session fixture of ours (defined in tests/)
    pass


def test_a_files_tests_share_a_worker_unless_it_is_spread():
    one, two, other = FakeItem("test_one"), FakeItem("test_one"), FakeItem("test_two")
    spread = [FakeItem("test_many", pytest.mark.spread) for _ in range(2)]
    workers.pytest_collection_modifyitems([one, two, other, *spread])
    assert one.group == two.group and one.group != other.group
    assert [item.group for item in spread] == [None, None]


def test_a_file_spread_by_a_parameter_keeps_each_value_together():
    by = pytest.mark.spread(by="assignment")
    a1, a1_again, a2 = (FakeItem("test_batch", by, params={"assignment": name}) for name in ("a1", "a1", "a2[x]@y"))
    workers.pytest_collection_modifyitems([a1, a1_again, a2])
    assert a1.group == a1_again.group and a1.group != a2.group
    for item in (a1, a2):   # xdist finds the group at the end of the test's id, after the last "]"
        assert LoadGroupScheduling._split_scope(None, f"tests/test_batch.py::test[{item.group}]@{item.group}") \
            == item.group


def test_the_users_of_a_session_fixture_share_one_worker_with_their_files():
    ours, not_ours = (edition, "session"), (shutil.copy, "session")   # say, pytest's own tmp_path_factory
    lab = FakeItem("test_lab", fixtures=[ours])
    lab_other = FakeItem("test_lab")
    setup = FakeItem("test_setup", pytest.mark.spread, fixtures=[ours, not_ours])
    alone, elsewhere = FakeItem("test_alone", fixtures=[not_ours]), FakeItem("test_elsewhere")
    workers.pytest_collection_modifyitems([lab, lab_other, setup, alone, elsewhere])
    assert lab.group == lab_other.group == setup.group
    assert len({lab.group, alone.group, elsewhere.group}) == 3


def test_the_slowest_kinds_start_first_and_a_group_stays_together_in_its_order():
    quick, batch, batch_grading = FakeItem("test_quick"), FakeItem("test_batch"), FakeItem("test_batch", pytest.mark.grading)
    lab, notebook = FakeItem("test_lab", pytest.mark.browser), FakeItem("test_many", pytest.mark.spread, pytest.mark.notebooks)
    items = [quick, batch, notebook, batch_grading, lab]
    workers.pytest_collection_modifyitems(items)
    assert items == [lab, batch, batch_grading, notebook, quick]


def small_suite(folder, tests=12):
    """A folder of `tests` trivial tests with this plugin registered, as tests/conftest.py registers it."""
    (folder / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n")   # the root: not the course's
    (folder / "conftest.py").write_text("import workers\n\n\ndef pytest_configure(config):\n"
                                        "    config.pluginmanager.register(workers, 'workers')\n")
    (folder / "test_together.py").write_text("".join(f"def test_{n}():\n    pass\n\n\n" for n in range(tests)))


def run_pytest(folder, *args, files=("test_together.py",)):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v", *args, *files],
                          cwd=folder, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(TESTS)})


def test_xdist_keeps_a_group_in_one_worker(tmp_path):
    """The real thing, on a small suite of its own: every test reported with its group, all from one worker."""
    small_suite(tmp_path)
    done = run_pytest(tmp_path, "-n", "2", "--dist", "loadgroup")
    assert done.returncode == 0, done.stdout[-2000:]
    ran = re.findall(r"\[(gw\d)\] .*PASSED (\S+)", done.stdout)
    assert len(ran) == 12, done.stdout[-2000:]
    assert {worker for worker, _ in ran} in ({"gw0"}, {"gw1"}), ran
    assert all(nodeid.endswith("@test_together") for _, nodeid in ran), ran


def test_xdist_hands_out_the_groups_in_our_order_not_by_their_number_of_tests(tmp_path):
    """Left to itself, xdist would start the file of six quick tests before the slow one of one test."""
    small_suite(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\nmarkers =\n    browser: slow\n")
    (tmp_path / "test_a_quick.py").write_text("".join(f"def test_{n}():\n    pass\n\n\n" for n in range(6)))
    (tmp_path / "test_b_slow.py").write_text("import pytest\n\npytestmark = pytest.mark.browser\n\n\n"
                                            "def test_slow():\n    pass\n")
    done = run_pytest(tmp_path, "-n", "1", "--dist", "loadgroup", files=("test_a_quick.py", "test_b_slow.py"))
    assert done.returncode == 0, done.stdout[-2000:]
    ran = re.findall(r"PASSED (\S+?)::", done.stdout)
    assert ran == ["test_b_slow.py"] + ["test_a_quick.py"] * 6, ran


def test_without_xdist_the_groups_are_still_known_markers(tmp_path):
    """`python3 course.py test -p no:xdist` runs in one process, under --strict-markers."""
    small_suite(tmp_path, tests=3)
    done = run_pytest(tmp_path, "-p", "no:xdist")
    assert done.returncode == 0, done.stdout[-2000:]
    assert done.stdout.count("PASSED") == 3, done.stdout[-2000:]
