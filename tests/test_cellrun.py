"""cellrun.run_many, which judges the corpus: each of its runs gives what run_notebook gives for the same
sources, whatever the other runs did, and a run that kills its process ends only itself."""

import pytest

from cellrun import RunDied, run_many, run_notebook
from grading_course import FIXTURE, FIXTURE_COURSE

pytestmark = pytest.mark.notebooks

NOTEBOOK = FIXTURE_COURSE / "source" / FIXTURE / "sigmoid.ipynb"
WRONG_BASIC = "def basic_sigmoid(x):\n    return 1 / (1 + math.exp(x))\n"
WRONG_SIGMOID = "def sigmoid(x):\n    return 1 / (1 - np.exp(-x))\n"
# Leaves something behind for any later run in the same process.
LEAVES_A_TRACE = "def sigmoid(x):\n    np.seterr(all='raise')\n    math.pi = 3\n    return 1 / (1 + np.exp(-x))\n"

RUNS = [
    ({}, None),
    ({"basic_sigmoid": WRONG_BASIC}, "basic_sigmoid_tests"),
    ({"sigmoid": WRONG_SIGMOID}, "sigmoid_tests"),
    ({"sigmoid": WRONG_SIGMOID, "sigmoid_tests": "pass\n"}, "sigmoid_tests"),
    ({"after": "raise RuntimeError('the last cell fails')\n"}, None),
    ({}, "basic_sigmoid_tests"),
]


def summary(outcomes):
    return {key: (outcome.passed, outcome.blame, outcome.message, outcome.part, outcome.earned)
            for key, outcome in outcomes.items()}


def test_each_run_gives_what_run_notebook_gives():
    many = run_many(NOTEBOOK, RUNS)
    assert len(many) == len(RUNS)
    for (replace, stop_after), outcomes in zip(RUNS, many):
        alone = run_notebook(NOTEBOOK, replace, stop_after)
        assert list(outcomes) == list(alone), (replace, stop_after)
        assert summary(outcomes) == summary(alone), (replace, stop_after)
    # The runs did differ: the wrong answers failed their own tests, the replaced test passed.
    assert not many[1]["basic_sigmoid_tests"].passed and many[1]["basic_sigmoid_tests"].blame == "check"
    assert not many[2]["sigmoid_tests"].passed and many[3]["sigmoid_tests"].passed
    assert not many[4]["after"].passed and all(outcome.passed for outcome in many[0].values())


def test_no_run_sees_what_another_left_behind():
    # Never run in this process: it would leave math.pi = 3 here.
    runs = [({"sigmoid": LEAVES_A_TRACE, "after": "assert math.pi == 3 and np.geterr()['divide'] == 'raise'\n"}, None),
            ({"sigmoid": WRONG_SIGMOID}, "sigmoid_tests"),
            ({"after": "assert math.pi != 3 and np.geterr()['divide'] != 'raise'\n"}, None)]
    traced, wrong, after = run_many(NOTEBOOK, runs)
    assert all(outcome.passed for outcome in traced.values()), summary(traced)
    # Under np.seterr(all="raise") the wrong sigmoid's division by zero would raise instead of giving inf.
    assert wrong["sigmoid_tests"].blame == "check" and "got inf" in wrong["sigmoid_tests"].message
    assert after["after"].passed, after["after"].describe()


def test_a_run_that_ends_its_process_ends_only_itself():
    runs = [({"sigmoid": "import os\nos._exit(3)\n"}, None), ({"after": "raise SystemExit(1)\n"}, None), ({}, None)]
    died, exited, whole = run_many(NOTEBOOK, runs)
    assert isinstance(died, RunDied) and "without an answer" in str(died)
    assert isinstance(exited, RunDied) and "SystemExit" in str(exited)
    assert all(outcome.passed for outcome in whole.values()) and list(whole)[-1] == "after"


def test_a_cell_it_does_not_have_is_an_error():
    with pytest.raises(KeyError, match="no cells"):
        run_many(NOTEBOOK, [({"no_such_cell": "pass\n"}, None)])
    with pytest.raises(KeyError, match="no cells"):
        run_notebook(NOTEBOOK, {}, "no_such_cell")
