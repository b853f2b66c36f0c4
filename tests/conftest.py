"""Keep each test's outcome on its item (the browser tests screenshot a failure), and say where
the browser screenshots of this run are."""

import time

import pytest

from browser import ARTIFACTS

STARTED = time.time()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter):
    shots = sorted(path for path in ARTIFACTS.glob("*.png") if path.stat().st_mtime >= STARTED)
    if shots:
        terminalreporter.write_sep("-", f"{len(shots)} browser screenshots in {ARTIFACTS}")
        for path in shots:
            terminalreporter.write_line(f"  {path.name}")
