"""Keep each test's outcome on its item (the browser tests screenshot a failure), say where the
browser screenshots of this run are, and set up one student edition for the tests that need it.

Also the tiers (tests/tiers.py): a test that uses a fixture tagged with `marks_its_users` gets
the fixture's markers, and a test doing slow work without its marker fails, naming the marker.

And which tests share a worker when xdist runs them in parallel (tests/workers.py)."""

import os
import time

# xdist's workers share the cores: a kernel whose BLAS starts a thread per core, beside another worker's,
# spins them against each other (a5's training took minutes instead of 20 s). One thread each, as in grading.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

import pytest  # noqa: E402

import autograder  # noqa: F401  first: it spares every test process a slow import (see its __init__)
import tiers
import workers
from browser import ARTIFACTS
from nbgrader_autograde import autograded
from student_edition import published_and_set_up

STARTED = time.time()

tiers.install()


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        for name in sorted(tiers.markers_from_fixtures(item)):
            if not item.get_closest_marker(name):
                item.add_marker(name)


def pytest_configure(config):
    config.pluginmanager.register(workers, "workers")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    tiers.running(item)
    try:
        return (yield)
    finally:
        tiers.running(None)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    unmarked = getattr(item, "unmarked_slow_work", None)
    if unmarked:  # failed even if the test or a fixture caught the refusal
        report.outcome, report.longrepr = "failed", "\n".join(unmarked)
        item.unmarked_slow_work = []
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
@tiers.marks_its_users("edition")
def student_edition(tmp_path_factory):
    """The course published and set up as a student's (tests/student_edition.py); shared by the
    edition's tests and the browser's student flow, since setting one up installs a whole environment."""
    return published_and_set_up(tmp_path_factory.mktemp("student"))


@pytest.fixture(scope="session")
@tiers.marks_its_users("grading")
def autograded_by_nbgrader(tmp_path_factory):
    """autograded_by_nbgrader(assignment): the assignment autograded by nbgrader (tests/nbgrader_autograde.py),
    on first use, so that `-k <assignment>` autogrades that one only."""
    done = {}

    def of(assignment):
        if assignment not in done:
            done[assignment] = autograded(assignment, tmp_path_factory.mktemp("course"),
                                          tmp_path_factory.mktemp("scratch"))
        return done[assignment]
    return of


def pytest_terminal_summary(terminalreporter):
    shots = sorted(path for path in ARTIFACTS.glob("*.png") if path.stat().st_mtime >= STARTED)
    if shots:
        terminalreporter.write_sep("-", f"{len(shots)} browser screenshots in {ARTIFACTS}")
        for path in shots:
            terminalreporter.write_line(f"  {path.name}")
