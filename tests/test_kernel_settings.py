"""The settings of the kernels the course's own tools start (autograder/authoring/kernels.py): encrypted, and
on Linux and macOS on Unix sockets of their own. test_notebooks_execute.py starts such kernels."""

import os
import subprocess
import sys

import pytest

from autograder.authoring.kernels import LONGEST_SOCKET_PATH, kernel_manager_settings
from course_layout import ROOT

posix_only = pytest.mark.skipif(os.name != "posix", reason="Windows kernels use TCP")


@posix_only
def test_each_client_gets_socket_names_of_its_own_in_the_runtime_folder(tmp_path, monkeypatch):
    runtime = tmp_path / "runtime"
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    first, second = kernel_manager_settings(), kernel_manager_settings()
    for settings in (first, second):
        assert settings["transport"] == "ipc" and settings["transport_encryption"] == "auto"
        assert os.path.dirname(settings["ip"]) == str(runtime)
    assert first["ip"] != second["ip"]
    assert runtime.stat().st_mode & 0o777 == 0o700


@posix_only
def test_a_runtime_folder_too_deep_for_a_socket_path_keeps_tcp(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * (LONGEST_SOCKET_PATH - len(str(tmp_path))))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(deep))
    assert kernel_manager_settings() == {"transport_encryption": "auto"}
    assert not deep.exists()


def test_reading_the_course_settings_leaves_nothing_behind(tmp_path):
    """Every process that reads nbgrader_config.py (each grading process does) gets kernel settings; one that
    then ends at once, as a killed one does, must leave no folder behind."""
    temp, runtime = tmp_path / "temp", tmp_path / "runtime"
    temp.mkdir()
    runtime.mkdir(mode=0o700)
    reader = ("import os, sys; from autograder.cells import course_config; "
              "assert course_config(sys.argv[1]).KernelManager.transport_encryption == 'auto'; os._exit(0)")
    env = {**os.environ, "TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp), "JUPYTER_RUNTIME_DIR": str(runtime)}
    subprocess.run([sys.executable, "-c", reader, str(ROOT)], env=env, check=True, timeout=120)
    assert list(temp.iterdir()) == [] and list(runtime.iterdir()) == []


def test_the_course_settings_load_without_the_course_package(monkeypatch):
    """nbgrader, started from a Python without `autograder`, would drop all of nbgrader_config.py, the
    formgrader's guards included, if reading it raised; the guards must stay and fail closed when used."""
    from autograder.cells import course_config

    monkeypatch.setitem(sys.modules, "autograder.authoring.kernels", None)  # import raises ImportError
    config = course_config(ROOT)
    assert dict(config.KernelManager) == {"transport_encryption": "auto"}
    assert config.Autograde.exporter_class == "autograder.authoring.formgrader_guard.AutogradeGate"
