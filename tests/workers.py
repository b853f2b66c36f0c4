"""Which tests run in the same worker when `python3 course.py test` runs them in parallel
(pytest-xdist with `--dist loadgroup`).

A worker builds its own copy of every module and session fixture its tests use, and the fixtures
here are the expensive part of the suite (a graded class, a set-up student edition, a running
JupyterLab). So, by default, the tests of one file run in one worker, and so do all the tests of
a session fixture. A file whose tests share nothing expensive says so with a marker:

    pytestmark = pytest.mark.spread                      # any test in any worker
    pytestmark = pytest.mark.spread(by="assignment")     # the tests of one assignment together

xdist hands out the groups in the order of the tests, so the slowest kinds go first (the edition
and the browser, the network, grading, notebooks) and the quick tests fill the gaps at the end.
"""

import inspect
from pathlib import Path

import pytest

import tiers

TESTS = Path(__file__).resolve().parent


# The markers this module reads (pyproject.toml registers them); they say where a test runs, not how slow it is.
MARKERS = ["spread"]
# The kinds of test that start first, slowest first.
START_FIRST = ["edition", "browser", "network", "grading", "notebooks"]


def pytest_configure(config):
    """Under `-p no:xdist` nothing registers xdist's marker, and --strict-markers would refuse the groups.
    Under xdist, the groups go out in the order given here: xdist would otherwise hand out the groups
    with the most tests first (its --loadscope-reorder, on by default), which starts the corpus's
    hundreds of quick tests first and the longest batches last."""
    if not config.pluginmanager.hasplugin("xdist"):
        config.addinivalue_line("markers", "xdist_group(name): the xdist group of the test (tests/workers.py)")
    elif hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(tryfirst=True)   # before xdist's worker reads the groups
def pytest_collection_modifyitems(items):
    """Give every item an xdist_group marker, except the spread ones that share nothing, and put the groups
    of the slowest kinds first (each group's tests stay together and in their order)."""
    parent = {}

    def find(key):
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    keys_of = [_shared(item) for item in items]
    for keys in keys_of:
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
    groups = [find(keys[0]) if keys else index for index, keys in enumerate(keys_of)]
    first, kind = {}, {}
    for index, (item, group) in enumerate(zip(items, groups)):
        if not isinstance(group, int):
            item.add_marker(pytest.mark.xdist_group(_plain(group)))
        first.setdefault(group, index)
        kind[group] = min(kind.get(group, len(START_FIRST)), _kind(item))
    order = sorted(range(len(items)), key=lambda index: (kind[groups[index]], first[groups[index]], index))
    items[:] = [items[index] for index in order]


def _kind(item):
    """Where the item's kind comes in START_FIRST (its length for the rest)."""
    names = {marker.name for marker in item.iter_markers()} | tiers.markers_from_fixtures(item)
    return min((START_FIRST.index(name) for name in names if name in START_FIRST), default=len(START_FIRST))


def _plain(name):
    """The group's name as xdist can read it back from the end of a test's id: without "@", "[" or "]"."""
    return "".join(" " if char in "@[]" else char for char in name)


def _shared(item):
    """What `item` shares with other tests: its file (unless spread), and the session fixtures of ours it uses."""
    module = item.module.__name__
    keys = []
    spread = item.get_closest_marker("spread")
    if spread is None:
        keys.append(module)
    elif "by" in spread.kwargs:
        keys.append(f"{module}:{item.callspec.params[spread.kwargs['by']]}")
    for name, definitions in item._fixtureinfo.name2fixturedefs.items():
        definition = definitions[-1]
        if definition.scope == "session" and Path(inspect.getfile(definition.func)).resolve().parent == TESTS:
            keys.append(f"session fixture {name}")
    return keys
