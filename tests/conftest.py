"""Keep each test's outcome on its item (the browser tests screenshot a failure), say where the
browser screenshots of this run are, and set up one student edition for the tests that need it."""

import time

import pytest

from browser import ARTIFACTS
from student_edition import published_and_set_up

STARTED = time.time()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def student_edition(tmp_path_factory):
    """The course published and set up as a student's (tests/student_edition.py); shared by the
    edition's tests and the browser's student flow, since setting one up installs a whole environment."""
    return published_and_set_up(tmp_path_factory.mktemp("student"))


def pytest_terminal_summary(terminalreporter):
    shots = sorted(path for path in ARTIFACTS.glob("*.png") if path.stat().st_mtime >= STARTED)
    if shots:
        terminalreporter.write_sep("-", f"{len(shots)} browser screenshots in {ARTIFACTS}")
        for path in shots:
            terminalreporter.write_line(f"  {path.name}")
