"""The pip and conda environments cannot drift apart: the student's and the instructor's pyproject
files, environment.yml and constraints.txt pin the same versions, and .venv holds them."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from course_layout import ROOT

STUDENT_PYPROJECT = ROOT / "edition" / "pyproject.toml"
INSTRUCTOR_PYPROJECT = ROOT / "pyproject.toml"


def _pins(requirements):
    pins = {}
    for line in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        assert match, f"not an exact pin: {line!r}"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def _project(path):
    return tomllib.loads(path.read_text())["project"]


def student_pins():
    return _pins(_project(STUDENT_PYPROJECT)["dependencies"])


def instructor_pins():
    project = _project(INSTRUCTOR_PYPROJECT)
    return _pins(project["dependencies"] + project["optional-dependencies"]["test"])


def pyproject_pins():
    """What both distributions pin, the instructor's test extra included, but the student package
    itself (the instructor's depends on it; environment.yml installs it from ./edition)."""
    student_package = canonicalize_name(_project(STUDENT_PYPROJECT)["name"])
    pins = {**student_pins(), **instructor_pins()}
    del pins[student_package]
    return pins


def constraint_pins():
    lines = [line for line in (ROOT / "constraints.txt").read_text().splitlines() if line and not line.startswith("#")]
    return _pins(lines)


def environment_yml():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_both_distributions_pin_the_same_versions_of_what_they_share():
    student, instructor = student_pins(), instructor_pins()
    disagreements = {name: (student[name], instructor[name]) for name in student.keys() & instructor.keys()
                     if student[name] != instructor[name]}
    assert not disagreements, f"edition/pyproject.toml vs pyproject.toml: {disagreements}"


def test_the_instructor_package_depends_on_this_student_package():
    student = _project(STUDENT_PYPROJECT)
    assert instructor_pins()[canonicalize_name(student["name"])] == student["version"]


def test_environment_yml_pins_exactly_what_the_pyproject_files_pin():
    pip_section = next(item["pip"] for item in environment_yml()["dependencies"] if isinstance(item, dict))
    packages = [line for line in pip_section if not line.startswith("-")]
    assert _pins(packages) == pyproject_pins()
    assert "--editable ./edition" in pip_section, "the student package must be installed"
    assert "--editable ." in pip_section, "the instructor's package must be installed"
    assert "--constraint constraints.txt" in pip_section


def test_environment_yml_asks_for_a_python_the_course_supports():
    requires_python = {_project(path)["requires-python"] for path in (STUDENT_PYPROJECT, INSTRUCTOR_PYPROJECT)}
    assert len(requires_python) == 1, f"the two pyproject files differ in requires-python: {requires_python}"
    assert f"python{requires_python.pop()}" in environment_yml()["dependencies"]


def test_constraints_agree_with_pyproject():
    constraints = constraint_pins()
    disagreements = {name: (version, constraints.get(name)) for name, version in pyproject_pins().items()
                     if constraints.get(name) != version}
    assert not disagreements, f"pyproject pin vs constraints.txt: {disagreements}"


def packages_this_python_needs():
    """The distributions `course.py setup` installs on this Python and platform: the instructor's
    package with its test extra and everything it pulls in, following installed metadata and the
    environment markers of this interpreter (constraints.txt also pins what other platforms need)."""
    needed, pending = set(), [Requirement(f"{_project(INSTRUCTOR_PYPROJECT)['name']}[test]")]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if (name, frozenset(requirement.extras)) in needed:
            continue
        needed.add((name, frozenset(requirement.extras)))
        for line in _requirements_of(name):
            dependency = Requirement(line)
            extras = {""} | set(requirement.extras)
            if dependency.marker is None or any(dependency.marker.evaluate({"extra": extra}) for extra in extras):
                pending.append(dependency)
    return {name for name, _ in needed}


def _requirements_of(name):
    try:
        return distribution(name).requires or []
    except PackageNotFoundError:
        return []


def test_installed_versions_are_the_pinned_ones():
    pins = constraint_pins()
    local = {canonicalize_name(_project(path)["name"]) for path in (STUDENT_PYPROJECT, INSTRUCTOR_PYPROJECT)}
    installed = {}
    for name in packages_this_python_needs() - local:
        try:
            installed[name] = distribution(name).version
        except PackageNotFoundError:
            installed[name] = None
    unpinned = sorted(name for name in installed if name not in pins)
    assert not unpinned, f"installed but not pinned in constraints.txt: {unpinned}"
    wrong = {name: (pins[name], version) for name, version in installed.items() if version != pins[name]}
    assert not wrong, f"pinned vs installed (re-run `python3 course.py setup`): {wrong}"
