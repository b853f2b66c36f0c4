"""course.py, the entry point of the README, and nbgrader run from the course folder."""

import filecmp
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import urllib.request

from browser import jupyter_lab
from course_layout import ROOT, assignments, release_notebook
import workers

spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
course = importlib.util.module_from_spec(spec)
spec.loader.exec_module(course)


def test_lab_for_a_student_publishes_the_edition_into_student_once_and_hides_the_instructor_panels(
        tmp_path, monkeypatch):
    monkeypatch.setattr(course, "STUDENT_DIR", tmp_path / "student")
    monkeypatch.setattr(course, "need_venv", lambda: None)
    ran = []
    monkeypatch.setattr(course, "run", lambda *command, **env: ran.append(([str(part) for part in command], env)))
    course.main(["lab", "--student"])
    publishing, lab = ran
    assert publishing[0][1:] == ["-m", "autograder", "publish", str(tmp_path / "student"), "--allow"]
    assert f"--ServerApp.root_dir={tmp_path / 'student'}" in lab[0]
    assert lab[1] == {"JUPYTER_CONFIG_PATH": str(ROOT / "edition" / "jupyter-config")}

    (tmp_path / "student" / ".edition").mkdir(parents=True)  # published already: the student's work stays
    ran.clear()
    course.main(["lab", "--student"])
    assert len(ran) == 1 and ran[0][0][1] == "lab"


def test_arguments_after_test_nbgrader_benchmark_and_lab_double_dash_pass_through(monkeypatch):
    seen = {}
    monkeypatch.setattr(course, "test", lambda args: seen.update(test=args.pytest_args))
    monkeypatch.setattr(course, "nbgrader", lambda args: seen.update(nbgrader=args.nbgrader_args))
    monkeypatch.setattr(course, "lab", lambda args: seen.update(lab=(args.student, args.lab_args)))
    monkeypatch.setattr(course, "benchmark", lambda args: seen.update(benchmark=args.benchmark_args))
    monkeypatch.setattr(course, "publish", lambda args: seen.update(publish=args.publish_args))
    assert course.main(["publish", "../edition", "a1", "--allow"]) == 0
    assert course.main(["test", "-q", "-k", "corpus"]) == 0
    assert course.main(["benchmark", "--iterations", "10", "--skip-notebooks"]) == 0
    assert course.main(["nbgrader", "autograde", "a1", "--force"]) == 0
    assert course.main(["lab", "--student", "--", "--port=8899", "--no-browser"]) == 0
    assert seen == {"test": ["-q", "-k", "corpus"], "nbgrader": ["autograde", "a1", "--force"],
                    "lab": (True, ["--port=8899", "--no-browser"]),
                    "benchmark": ["--iterations", "10", "--skip-notebooks"], "publish": ["../edition", "a1", "--allow"]}


def test_commands_before_setup_say_what_to_run(tmp_path):
    shutil.copy(ROOT / "course.py", tmp_path)
    for command in ["test", "lab", "data", "release", "nbgrader", "publish"]:
        result = subprocess.run([sys.executable, "course.py", command], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 1
        assert "run `python3 course.py setup` first" in result.stderr, result.stderr


def test_nbgrader_commands_work_from_the_course_folder(tmp_path):
    """As the README says: course.py nbgrader, or plain nbgrader with .venv activated."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    name = assignments()[0]
    activated = dict(os.environ, PATH=f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["nbgrader", "generate_assignment", name, "--force"], cwd=tmp_path, env=activated,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    made = tmp_path / "release" / name / release_notebook(name).name
    assert filecmp.cmp(made, release_notebook(name), shallow=False)
    assert (tmp_path / "gradebook.db").exists(), "the gradebook belongs in the course folder"


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_lab_serves_jupyterlab_with_the_formgrader():
    with jupyter_lab(ROOT) as (base, token):
        status, page = _get(f"{base}/lab?token={token}")
        assert status == 200 and "JupyterLab" in page
        assert '"name": "@jupyter/nbgrader"' in page, "nbgrader's JupyterLab extension is not in the page config"
        status, page = _get(f"{base}/formgrader?token={token}")
        assert status == 200 and "formgrader" in page.lower()


def _ran_by_test(monkeypatch, *args):
    """What `course.py test ARGS` runs, and whether it installs Chromium first."""
    monkeypatch.setattr(course, "need_venv", lambda: None)
    ran, chromium = [], []
    monkeypatch.setattr(course, "run", lambda *command, **env: ran.append([str(part) for part in command]))
    monkeypatch.setattr(course, "browser_for_tests", lambda: chromium.append(True))
    assert course.main(["test", *args]) == 0
    (command,) = ran
    assert command[:3] == [str(course.PYTHON), "-m", "pytest"]
    return command[3:], bool(chromium)


PARALLEL = ["-n", str(course.TEST_WORKERS), "--dist", "loadgroup"]


def test_test_runs_the_whole_suite_and_quick_leaves_out_the_slow_markers(monkeypatch):
    assert _ran_by_test(monkeypatch) == (PARALLEL, True)
    assert _ran_by_test(monkeypatch, "-x", "tests/test_release.py") == ([*PARALLEL, "-x", "tests/test_release.py"], True)
    quick = "not notebooks and not grading and not edition and not browser and not network"
    assert course.QUICK_TIER == quick
    assert _ran_by_test(monkeypatch, "--quick") == ([*PARALLEL, "-m", quick], False)   # no Chromium: no browser test
    assert _ran_by_test(monkeypatch, "--quick", "-q", "-k", "publish") == \
        ([*PARALLEL, "-q", "-k", "publish", "-m", quick], False)


def test_workers_of_the_users_own_replace_the_default(monkeypatch):
    assert course.TEST_WORKERS >= 2
    for own in (["-n", "0"], ["-n3"], ["--numprocesses=4"], ["-p", "no:xdist"]):
        assert _ran_by_test(monkeypatch, *own, "-x") == ([*own, "-x"], True)


def test_quick_narrows_a_marker_expression_of_the_users_own(monkeypatch):
    quick = course.QUICK_TIER
    for own in (["-m", "not slow"], ["-mnot slow"], ["-m=not slow"], ["-m", "grading", "-m", "not slow"]):
        assert _ran_by_test(monkeypatch, "--quick", *own, "-q") == \
            ([*PARALLEL, "-q", "-m", f"(not slow) and {quick}"], False)
    assert _ran_by_test(monkeypatch, "-m", "not slow") == ([*PARALLEL, "-m", "not slow"], True)


def test_the_quick_tier_leaves_out_every_registered_marker():
    """A marker added to pyproject.toml is a kind of slow test, the quick tier must leave it out too, unless it
    says which worker runs a test (tests/workers.py)."""
    registered = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["markers"]
    assert sorted(course.SLOW_MARKERS) == sorted(line.split(":")[0] for line in registered
                                                 if line.split(":")[0] not in workers.MARKERS)
