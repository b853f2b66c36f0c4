"""The pip and conda environments cannot drift apart."""

import re
import tomllib

import yaml

from course_layout import ROOT


def _pins(requirements):
    pins = {}
    for line in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        assert match, f"not an exact pin: {line!r}"
        pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return pins


def pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return _pins(project["dependencies"] + project["optional-dependencies"]["test"])


def constraint_pins():
    lines = [line for line in (ROOT / "constraints.txt").read_text().splitlines() if line and not line.startswith("#")]
    return _pins(lines)


def test_environment_yml_pins_exactly_what_pyproject_pins():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    packages = [line for line in pip_section if not line.startswith("-")]
    assert _pins(packages) == pyproject_pins()
    assert "--editable ." in pip_section, "the course package itself must be installed"
    assert "--constraint constraints.txt" in pip_section
    assert "python=3.11" in environment["dependencies"]


def test_constraints_agree_with_pyproject():
    constraints = constraint_pins()
    disagreements = {name: (version, constraints.get(name)) for name, version in pyproject_pins().items()
                     if constraints.get(name) != version}
    assert not disagreements, f"pyproject pin vs constraints.txt: {disagreements}"


def test_installed_versions_are_the_pinned_ones():
    from importlib.metadata import version

    wrong = {name: (pinned, version(name)) for name, pinned in constraint_pins().items() if version(name) != pinned}
    assert not wrong, f"pinned vs installed (re-run `python3 course.py setup`): {wrong}"
