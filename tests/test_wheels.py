"""Every pinned package installs from a wheel on every Python and platform the course supports
(tools/check_wheels.py), and the check's own decisions are the right ones."""

import importlib.util
import os
import subprocess
import sys

import pytest

from course_layout import ROOT

CHECK = ROOT / "tools" / "check_wheels.py"


def load_check():
    spec = importlib.util.spec_from_file_location("check_wheels", CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_wheels = load_check()


@pytest.mark.network
def test_every_package_has_a_wheel_for_every_python_and_platform():
    check = subprocess.run([sys.executable, str(CHECK)], capture_output=True, text=True, timeout=1200)
    report = check.stdout + check.stderr
    if check.returncode == 2:
        pytest.fail("the package index (PyPI) cannot be reached, so the pins cannot be checked; "
                    f"deselect this test with -m 'not network' where there is no network.\n{report}")
    assert check.returncode == 0, report


def test_an_unreachable_package_index_is_said_so():
    dead_proxy = "http://127.0.0.1:9"  # the discard port: nothing listens there
    environment = {**os.environ, "https_proxy": dead_proxy, "HTTPS_PROXY": dead_proxy, "no_proxy": "", "NO_PROXY": ""}
    check = subprocess.run([sys.executable, str(CHECK), "--python", "3.12", "--platform", "linux-x86_64"],
                           capture_output=True, text=True, timeout=300, env=environment)
    assert check.returncode == 2, check.stdout + check.stderr
    assert "cannot reach the package index" in check.stderr


def metadata(name, version, *requires_dist):
    return {"name": name, "version": version, "requires_dist": list(requires_dist)}


def test_dependencies_are_followed_under_the_target_machines_markers():
    packages = {
        "terminado": metadata("terminado", "0.18.1", "ptyprocess; os_name != 'nt'", "pywinpty>=1.1.0; os_name == 'nt'"),
        "jupyter-server": metadata("jupyter_server", "2.21.1", "terminado>=0.8.3", "overrides>=5.0; python_version < '3.12'"),
    }
    windows = check_wheels.Combination("3.12", check_wheels.PLATFORMS[-1])
    linux = check_wheels.Combination("3.11", check_wheels.PLATFORMS[0])

    def needed(combination):
        return {requirement.name for _, requirement in
                check_wheels.needed_requirements(["jupyter-server"], packages, combination.markers())}

    assert needed(windows) == {"jupyter-server", "terminado", "pywinpty"}
    assert needed(linux) == {"jupyter-server", "terminado", "ptyprocess", "overrides"}


def test_extras_asked_for_bring_their_dependencies_in():
    packages = {"jsonschema": metadata("jsonschema", "4.26.0", "attrs>=22.2.0", "fqdn; extra == 'format-nongpl'",
                                       "idna; extra == 'format'")}
    markers = check_wheels.Combination("3.13", check_wheels.PLATFORMS[0]).markers()
    needed = {requirement.name for _, requirement in
              check_wheels.needed_requirements(["jsonschema[format_nongpl]>=3"], packages, markers)}
    assert needed == {"jsonschema", "attrs", "fqdn"}


@pytest.mark.parametrize("filename, pure", [
    ("six-1.17.0-py2.py3-none-any.whl", True),
    ("soupsieve-2.9.2-py3-none-any.whl", True),
    ("greenlet-3.5.6-cp311-cp311-linux_x86_64.whl", False),
    ("wcwidth-0.9.4-cp310-abi3-win_amd64.whl", False),
    ("legacy-1.0-py2-none-any.whl", False),
])
def test_only_a_py3_none_any_wheel_counts_as_installing_anywhere(filename, pure):
    assert check_wheels.is_pure_python_wheel(filename) is pure


@pytest.mark.parametrize("pip_output, package", [
    ("ERROR: Could not find a version that satisfies the requirement pywinpty==3.1.2 (from versions: none)\n"
     "ERROR: No matching distribution found for pywinpty==3.1.2\n", "pywinpty"),
    ("ERROR: Cannot install soupsieve>=1.6.1 because these package versions have conflicting dependencies.\n"
     "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/...\n", "soupsieve"),
    ("ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n", None),
])
def test_the_package_pip_could_not_pick_is_read_from_its_errors(pip_output, package):
    assert check_wheels.package_pip_could_not_pick(pip_output) == package


def test_the_local_index_keeps_only_the_pinned_version_of_a_pinned_package(tmp_path):
    index = check_wheels.PinnedIndex(tmp_path, {"soupsieve": "2.9.2"})
    assert index.may_take("soupsieve", "soupsieve-2.9.2-py3-none-any.whl")
    assert index.may_take("soupsieve", "soupsieve-2.9.2.tar.gz")
    assert not index.may_take("soupsieve", "soupsieve-4.1.2-py3-none-any.whl")
    assert index.may_take("unpinned", "unpinned-1.0-py3-none-any.whl")


def test_the_local_index_keeps_what_pip_needs_to_judge_a_file(tmp_path):
    index = check_wheels.PinnedIndex(tmp_path, {})
    index.write_page("soupsieve", [{
        "filename": "soupsieve-3.0.1-py3-none-any.whl", "url": "https://files.example/soupsieve-3.0.1-py3-none-any.whl",
        "hashes": {"sha256": "ab12"}, "requires-python": ">=3.11", "yanked": "broken on Python < 3.11.5"}])
    page = (tmp_path / "soupsieve" / "index.html").read_text()
    assert 'href="https://files.example/soupsieve-3.0.1-py3-none-any.whl#sha256=ab12"' in page
    assert 'data-requires-python="&gt;=3.11"' in page
    assert 'data-yanked="broken on Python &lt; 3.11.5"' in page


def test_the_pythons_checked_are_those_requires_python_admits():
    admitted = [f"3.{minor}" for minor in range(8, 20) if not check_wheels.projects_refusing(f"3.{minor}")]
    assert list(check_wheels.PYTHONS) == admitted


def test_five_platforms_are_checked():
    platforms = {platform.name for platform in check_wheels.PLATFORMS}
    assert platforms == {"linux-x86_64", "linux-aarch64", "macos-arm64", "macos-x86_64", "windows-amd64"}
