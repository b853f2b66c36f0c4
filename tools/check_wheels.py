#!/usr/bin/env python3
"""Every package the course pins installs, from a wheel, on every Python and platform it supports.

    .venv/bin/python tools/check_wheels.py [--python 3.12 ...] [--platform windows-amd64 ...] [--jobs N]

For CPython 3.11, 3.12 and 3.13, each at its first release (x.y.0, the oldest that requires-python
admits), on Linux (x86_64, aarch64; glibc 2.28 or newer), macOS 11 or newer (arm64, x86_64) and
Windows (amd64), it finds what `python3 course.py setup` would install there: both pyproject files'
dependencies and the instructor's test extra, with constraints.txt, and all they pull in on that
machine. pip picks each package's wheel on PyPI as that machine would, installing nothing
(`pip install --dry-run --no-deps --report --only-binary=:all: --python-version --platform ...`,
with none of this machine's pip configuration); this script follows the wheels' Requires-Dist
under that machine's environment markers, which pip would evaluate for the machine it runs on.
A combination fails when a package it needs
  - is not pinned in constraints.txt (the message gives the pin to add: the version pip chose),
  - has no wheel for it, or none whose Requires-Python admits that Python, unless its sdist builds
    here to a py3-none-any wheel: pure Python, which installs anywhere without a compiler,
  - is pinned at a version that a package requiring it excludes, or that its authors yanked.
Prints one row per combination, with seconds; exits 1 if any failed, 2 if PyPI cannot be reached.
Needs the network and `packaging` (pinned by the course: run it with .venv's Python).
"""

import argparse
import compileall
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
PYPROJECTS = [ROOT / "edition" / "pyproject.toml", ROOT / "pyproject.toml"]
INSTRUCTOR_EXTRA = "test"

PYTHONS = ("3.11", "3.12", "3.13")

PACKAGE_INDEX = "https://pypi.org/simple"

# The pip that picks the wheels, whatever pip the running environment has: from pip 25.3 a dry run
# no longer downloads a wheel whose metadata it already has, and 26.3 runs about four times faster
# than the pip 23.2 that Python 3.11's venv brings.
PIP_VERSION = "26.3"

# PyPI, as reached from here, announces no PEP 658 metadata files, so a dry run would download
# every wheel it looks at whole (1.6 GB for the fifteen combinations); with this pip reads each
# wheel's METADATA by HTTP range requests instead (50 MB in all, index pages included).
PIP_METADATA_ONLY = "--use-feature=fast-deps"


@dataclass(frozen=True)
class Platform:
    name: str
    pip_tags: tuple
    markers: dict


def manylinux_tags(arch):
    """Wheels pip may take on a Linux with glibc 2.28 (Debian 10, Ubuntu 20.04, RHEL 8) or newer:
    those built for that glibc or an older one, under their PEP 600 names and the legacy aliases."""
    legacy = [f"manylinux2014_{arch}"] + ([f"manylinux2010_{arch}", f"manylinux1_{arch}"] if arch == "x86_64" else [])
    return tuple(f"manylinux_2_{minor}_{arch}" for minor in range(28, 4, -1)) + tuple(legacy)


def posix_markers(system, machine):
    return {"sys_platform": system.lower(), "platform_system": system, "os_name": "posix", "platform_machine": machine}


# pip widens a macOS tag to every older macOS itself (and to universal2): one tag says macOS 11.
PLATFORMS = (
    Platform("linux-x86_64", manylinux_tags("x86_64"), posix_markers("Linux", "x86_64")),
    Platform("linux-aarch64", manylinux_tags("aarch64"), posix_markers("Linux", "aarch64")),
    Platform("macos-arm64", ("macosx_11_0_arm64",), posix_markers("Darwin", "arm64")),
    Platform("macos-x86_64", ("macosx_11_0_x86_64",), posix_markers("Darwin", "x86_64")),
    Platform("windows-amd64", ("win_amd64",),
             {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"}),
)


@dataclass
class Combination:
    python: str
    platform: Platform
    problems: list = field(default_factory=list)
    picked: dict = field(default_factory=dict)  # canonical name -> pip's report of the wheel it picked
    needed: set = field(default_factory=set)  # canonical names of the packages it installs
    seconds: float = 0.0

    @property
    def name(self):
        return f"cp{self.python.replace('.', '')}-{self.platform.name}"

    def markers(self):
        version = f"{self.python}.0"
        return {**self.platform.markers, "python_version": self.python, "python_full_version": version,
                "implementation_name": "cpython", "implementation_version": version,
                "platform_python_implementation": "CPython", "platform_release": "", "platform_version": ""}

    def pip_target_options(self):
        platforms = [option for tag in self.platform.pip_tags for option in ("--platform", tag)]
        return ["--python-version", f"{self.python}.0", "--implementation", "cp",
                "--abi", f"cp{self.python.replace('.', '')}", *platforms]

    def metadata(self):
        return {name: item["metadata"] for name, item in self.picked.items()}


class IndexUnreachable(Exception):
    pass


# ------------------------------------------------------------------ what the course pins and needs

def constraint_pins():
    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return pins


def projects():
    return [tomllib.loads(path.read_text())["project"] for path in PYPROJECTS]


def course_requirements():
    """What `course.py setup` installs besides the two local packages: pip (first, at its pin), both
    distributions' dependencies and the instructor's test extra. Reading them needs no build of ./edition or ."""
    student, instructor = projects()
    local = {canonicalize_name(student["name"]), canonicalize_name(instructor["name"])}
    lines = ["pip", *student["dependencies"], *instructor["dependencies"],
             *instructor["optional-dependencies"][INSTRUCTOR_EXTRA]]
    return list(dict.fromkeys(line for line in lines if canonicalize_name(Requirement(line).name) not in local))


def projects_refusing(python):
    return [project["name"] for project in projects()
            if not SpecifierSet(project.get("requires-python", "")).contains(f"{python}.0")]


def needed_requirements(roots, metadata, markers):
    """(who requires it, requirement) for every requirement that `roots` lead to on a machine with
    these markers, following the Requires-Dist of the packages in `metadata` (canonical name ->
    core metadata as pip reports it); a package not in `metadata` is a leaf."""
    needed, extras_seen = [], {}
    pending = [("pyproject.toml", requirement) for requirement in map(Requirement, roots)
               if requirement.marker is None or requirement.marker.evaluate(markers)]
    while pending:
        parent, requirement = pending.pop()
        needed.append((parent, requirement))
        name = canonicalize_name(requirement.name)
        first_visit = name not in extras_seen
        new_extras = {canonicalize_name(extra) for extra in requirement.extras} - extras_seen.setdefault(name, set())
        if not first_visit and not new_extras:
            continue
        extras_seen[name] |= new_extras
        extras_to_follow = new_extras | ({""} if first_visit else set())
        for line in metadata.get(name, {}).get("requires_dist", []):
            dependency = Requirement(line)
            if dependency.marker is None or any(dependency.marker.evaluate({**markers, "extra": extra})
                                                for extra in extras_to_follow):
                pending.append((metadata[name]["name"], dependency))
    return needed


def specifiers_by_package(needed):
    combined = {}
    for _, requirement in needed:
        name = canonicalize_name(requirement.name)
        combined[name] = combined.get(name, SpecifierSet()) & requirement.specifier
    return combined


def wheel_filename(item):
    return item["download_info"]["url"].rsplit("/", 1)[-1].split("#", 1)[0]


def is_pure_python_wheel(filename):
    """A wheel that any CPython 3 on any platform installs as it is: no compiled code in it."""
    _, _, _, tags = parse_wheel_filename(filename)
    return any(tag.interpreter == "py3" and tag.abi == "none" and tag.platform == "any" for tag in tags)


def package_pip_could_not_pick(pip_output):
    """The package pip found no wheel for (with --no-deps, the only way it fails to resolve), or None."""
    match = re.search(r"No matching distribution found for (\S+)|Cannot install (\S+?)(?: and | because)", pip_output)
    return canonicalize_name(Requirement(match[1] or match[2]).name) if match else None


def pip_errors(pip_output):
    errors = [line.removeprefix("ERROR: ").strip() for line in pip_output.splitlines() if line.startswith("ERROR:")]
    return " / ".join(errors) or pip_output.strip()[-500:]


# ------------------------------------------------------------------ running pip

def bring_pip(folder):
    """pip PIP_VERSION, unpacked in folder (run as `python folder/pip`), fetched with the running pip."""
    download = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
         "--timeout", "30", "--retries", "2", "--dest", str(folder), f"pip=={PIP_VERSION}"],
        capture_output=True, text=True)
    wheels = sorted(folder.glob(f"pip-{PIP_VERSION}-*.whl"))
    if download.returncode != 0 or not wheels:
        raise IndexUnreachable(f"could not download pip {PIP_VERSION}: {pip_errors(download.stdout + download.stderr)}")
    unpacked = folder / f"pip-{PIP_VERSION}"
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(unpacked)
    # Compiled once here, not at each of the many pip runs (which PYTHONDONTWRITEBYTECODE would make them do).
    compileall.compile_dir(unpacked, quiet=1, workers=0)
    return unpacked


def run_pip(pip_folder, *arguments):
    """pip with its own defaults and these arguments only, whatever pip configuration this machine has
    (a local mirror or find-links folder would answer for the package index)."""
    return subprocess.run([sys.executable, str(pip_folder / "pip"), "--isolated", "--disable-pip-version-check",
                           "--no-input", *arguments],
                          capture_output=True, text=True, env={**os.environ, "PIP_CONFIG_FILE": os.devnull})


def pick_wheels(combination, pip_folder, index, find_links, requirements, folder, *options):
    """pip's report of the wheel it picks for each requirement on this combination, deps aside."""
    index.copy_pages([canonicalize_name(Requirement(requirement).name) for requirement in requirements])
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.json"
    picked = run_pip(pip_folder, "install", "--dry-run", "--no-deps", "--ignore-installed", "--quiet",
                     "--report", str(report), "--target", str(folder / "target"), *combination.pip_target_options(),
                     "--only-binary=:all:", PIP_METADATA_ONLY, "--index-url", index.url, "--find-links", str(find_links),
                     "--constraint", str(CONSTRAINTS), *options, *requirements)
    if picked.returncode != 0:
        return None, picked.stdout + picked.stderr
    return json.loads(report.read_text())["install"], ""


def pick_wheels_in_parts(combination, pip_folder, index, find_links, requirements, folder, parts):
    """pick_wheels for many requirements, in several pip runs at once (pip reads one wheel's metadata
    after the other, waiting on the network): what they picked, and the output of a run that failed."""
    index.copy_pages([canonicalize_name(Requirement(requirement).name) for requirement in requirements])
    parts = min(parts, len(requirements))
    with ThreadPoolExecutor(max_workers=parts) as pool:
        runs = list(pool.map(lambda part: pick_wheels(combination, pip_folder, index, find_links,
                                                      requirements[part::parts], folder / f"part-{part}"),
                             range(parts)))
    failures = [output for installs, output in runs if installs is None]
    return [item for installs, _ in runs for item in installs or []], failures[0] if failures else ""


class PinnedIndex:
    """A copy, in a local folder, of the package index's pages of the packages asked for, made once
    for all the combinations: of a pinned package only the files of the pinned version, the only
    ones pip may take under constraints.txt, and of any other package all. pip reads it
    (--index-url file://...) instead of pages of thousands of files, fetched and parsed again
    for every combination (numpy's alone is 2 MB)."""

    def __init__(self, folder, pins):
        self.folder, self.pins = folder, pins
        self.lock = threading.Lock()

    @property
    def url(self):
        return self.folder.as_uri()

    def copy_pages(self, names):
        with self.lock:
            missing = [name for name in names if not (self.folder / name / "index.html").exists()]
            with ThreadPoolExecutor(max_workers=8) as pool:
                for name, files in zip(missing, pool.map(files_on_index, missing)):
                    self.write_page(name, [file for file in files if self.may_take(name, file["filename"])])

    def may_take(self, name, filename):
        if name not in self.pins:
            return True
        version = version_in_filename(filename)
        return version is not None and version == Version(self.pins[name])

    def write_page(self, name, files):
        links = []
        for file in files:
            hashes = "".join(f"#{algorithm}={digest}" for algorithm, digest in list(file["hashes"].items())[:1])
            attributes = f' data-requires-python="{html.escape(file["requires-python"])}"' if file.get("requires-python") else ""
            if file.get("yanked"):
                reason = file["yanked"] if isinstance(file["yanked"], str) else ""
                attributes += f' data-yanked="{html.escape(reason)}"'
            links.append(f'<a href="{html.escape(file["url"] + hashes)}"{attributes}>{html.escape(file["filename"])}</a><br>')
        (self.folder / name).mkdir(parents=True, exist_ok=True)
        (self.folder / name / "index.html").write_text("<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")


def files_on_index(name):
    """The files the package index lists for a package (PEP 691's JSON), or [] if it has none."""
    request = urllib.request.Request(f"{PACKAGE_INDEX}/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["files"]
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return []
        raise IndexUnreachable(f"{PACKAGE_INDEX}/{name}/: {error}") from error
    except (urllib.error.URLError, OSError) as error:
        raise IndexUnreachable(f"{PACKAGE_INDEX}/{name}/: {error}") from error


def version_in_filename(filename):
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        if filename.endswith((".tar.gz", ".zip")):
            return parse_sdist_filename(filename)[1]
    except (ValueError, InvalidVersion):
        pass
    return None


class SourceOnlyPackages:
    """Wheels built here from the sdists of packages that publish no wheel for some combination;
    only a py3-none-any one counts, as it needs no compiler anywhere. Built once, offered to every
    combination's pip with --find-links."""

    def __init__(self, pip_folder, folder):
        self.pip_folder, self.folder = pip_folder, folder
        self.lock = threading.Lock()
        self.outcomes = {}  # requirement -> None if it built to a pure wheel, else why not

    def why_not_pure(self, requirement):
        with self.lock:
            if requirement not in self.outcomes:
                self.outcomes[requirement] = self._build(requirement)
            return self.outcomes[requirement]

    def _build(self, requirement):
        scratch = Path(tempfile.mkdtemp(dir=self.folder.parent))
        built = run_pip(self.pip_folder, "wheel", "--quiet", "--no-deps", "--no-binary=:all:",
                        "--constraint", str(CONSTRAINTS), "--wheel-dir", str(scratch), requirement)
        wheels = list(scratch.glob("*.whl"))
        if built.returncode != 0 or not wheels:
            return f"no wheel, and its sdist does not build here ({pip_errors(built.stdout + built.stderr)})"
        if not is_pure_python_wheel(wheels[0].name):
            return f"no wheel, and its sdist needs a compiler (it builds to {wheels[0].name})"
        wheels[0].rename(self.folder / wheels[0].name)
        return None


class WhatOthersLearnt:
    """What the combinations checked so far learnt, shared by all.
    - Every wheel's core metadata, by package: wheels of one version declare the same dependencies
      on every platform (under markers), so a combination predicts from these all it will need,
      and asks pip for it in one go. What it learns of its own wheels is what counts.
    - The pure-Python wheels picked: one installs on every platform and on every Python its
      Requires-Python admits, so the other combinations take it as it is, and ask pip only for
      the packages with compiled code."""

    def __init__(self):
        self.lock = threading.Lock()
        self.metadata = {}
        self.pure_wheels = {}  # canonical name -> pip's report of the wheel

    def learn(self, picked):
        with self.lock:
            self.metadata.update((name, item["metadata"]) for name, item in picked.items())
            self.pure_wheels.update((name, item) for name, item in picked.items()
                                    if is_pure_python_wheel(wheel_filename(item)))

    def predicted_metadata(self, combination):
        with self.lock:
            return {**self.metadata, **combination.metadata()}

    def pure_wheel(self, combination, name, specifier):
        """A pure-Python wheel already picked that serves this combination, or None."""
        with self.lock:
            item = self.pure_wheels.get(name)
        if item is None:
            return None
        metadata = item["metadata"]
        admits_python = SpecifierSet(metadata.get("requires_python", "")).contains(f"{combination.python}.0")
        return item if admits_python and specifier.contains(metadata["version"], prereleases=True) else None


@dataclass
class Checker:
    pip_folder: Path
    index: PinnedIndex
    source_only: SourceOnlyPackages
    others: WhatOthersLearnt
    pins: dict
    workdir: Path
    pip_runs_at_once: int = 1  # for each combination, in each round

    def check(self, combination):
        started = time.monotonic()
        refusing = projects_refusing(combination.python)
        if refusing:
            combination.problems.append(f"requires-python of {', '.join(refusing)} excludes {combination.python}")
        else:
            self.follow_dependencies(combination, self.workdir / combination.name)
            judge(combination, self.pins)
        combination.seconds = time.monotonic() - started
        return combination

    def follow_dependencies(self, combination, folder):
        """Let pip pick the wheels of the packages needed, read their dependencies, and again, until
        every package needed is picked or has failed. --no-deps spares pip's resolver, which would
        follow the markers of the machine it runs on, and backtrack for minutes over a pin it
        cannot meet."""
        markers = combination.markers()
        lacking, tried = {}, set()
        for round_number in range(1, 100):
            predicted = needed_requirements(course_requirements(), self.others.predicted_metadata(combination), markers)
            todo = {name: specifier for name, specifier in specifiers_by_package(predicted).items()
                    if name not in combination.picked and name not in lacking}
            combination.picked.update((name, item) for name, specifier in todo.items()
                                      if (item := self.others.pure_wheel(combination, name, specifier)))
            todo = {name: specifier for name, specifier in todo.items() if name not in combination.picked}
            if not todo:
                break
            installs, failure = pick_wheels_in_parts(combination, self.pip_folder, self.index, self.source_only.folder,
                                                     [f"{name}{specifier}" for name, specifier in sorted(todo.items())],
                                                     folder / f"round-{round_number}", self.pip_runs_at_once)
            picked = {canonicalize_name(item["metadata"]["name"]): item for item in installs}
            combination.picked.update(picked)
            self.others.learn(picked)
            if not failure:
                continue
            name = package_pip_could_not_pick(failure)
            if name not in todo or name in tried:
                return combination.problems.append(f"pip failed: {pip_errors(failure)}")
            tried.add(name)
            why = self.why_no_wheel(combination, f"{name}{todo[name]}", folder / f"round-{round_number}-{name}")
            if why:
                pinned = f"{name}=={self.pins[name]}" if name in self.pins else f"{name}{todo[name]} (not pinned)"
                lacking[name] = f"{pinned}: {why}"
        needed = {canonicalize_name(requirement.name)
                  for _, requirement in needed_requirements(course_requirements(), combination.metadata(), markers)}
        combination.problems.extend(why for name, why in lacking.items() if name in needed)

    def why_no_wheel(self, combination, requirement, folder):
        """Why pip found no wheel for `requirement` on this combination, or None if its sdist
        builds to a pure-Python wheel (which the next round then finds)."""
        if pick_wheels(combination, self.pip_folder, self.index, self.source_only.folder, [requirement], folder,
                       "--ignore-requires-python")[0] is not None:
            return f"its Requires-Python excludes Python {combination.python}.0"
        return self.source_only.why_not_pure(requirement)


def judge(combination, pins):
    """What is wrong with the wheels picked for the packages this combination needs."""
    needed = needed_requirements(course_requirements(), combination.metadata(), combination.markers())
    combination.needed = {canonicalize_name(requirement.name) for _, requirement in needed}
    picked = {name: item for name, item in combination.picked.items() if name in combination.needed}
    for parent, requirement in needed:
        item = picked.get(canonicalize_name(requirement.name))
        if item and not requirement.specifier.contains(item["metadata"]["version"], prereleases=True):
            combination.problems.append(
                f"{requirement.name}=={item['metadata']['version']} does not meet {parent}'s requirement {requirement}")
    combination.problems.extend(f"{name}=={item['metadata']['version']} is yanked"
                                for name, item in sorted(picked.items()) if item.get("is_yanked"))
    missing = sorted(f"{name}=={item['metadata']['version']}" for name, item in picked.items() if name not in pins)
    if missing:
        combination.problems.append(f"missing pins: {' '.join(missing)}")


# ------------------------------------------------------------------ the table

def print_table(combinations, seconds, jobs):
    print(f"{'Python':<8}{'Platform':<16}{'Seconds':>8}  Result")
    for combination in combinations:
        result = "; ".join(combination.problems) or f"OK ({len(combination.needed)} packages)"
        print(f"{combination.python:<8}{combination.platform.name:<16}{combination.seconds:>8.1f}  {result}")
    failed = sum(bool(combination.problems) for combination in combinations)
    print(f"{len(combinations)} combinations in {seconds:.1f} s ({jobs} pip runs at once): "
          f"{f'{failed} failed' if failed else 'all OK'}")


def print_pins_nothing_needs(combinations, pins):
    everything_checked = len(combinations) == len(PYTHONS) * len(PLATFORMS)
    if everything_checked and not any(combination.problems for combination in combinations):
        unused = sorted(set(pins) - set().union(*(combination.needed for combination in combinations)))
        if unused:
            print(f"Pinned in constraints.txt but needed by no combination: {' '.join(unused)}")


def check_all(combinations, workdir, pins, jobs):
    pip_folder = bring_pip(workdir)
    (workdir / "from-source").mkdir()
    checker = Checker(pip_folder, PinnedIndex(workdir / "index", pins),
                      SourceOnlyPackages(pip_folder, workdir / "from-source"), WhatOthersLearnt(), pins, workdir)
    # The first alone, in `jobs` pip runs at once: it learns the pure-Python wheels, and the
    # others, `jobs` at a time, then ask pip only for the rest.
    checker.pip_runs_at_once = jobs
    checker.check(combinations[0])
    checker.pip_runs_at_once = 1
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(checker.check, combinations[1:]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", choices=PYTHONS, help="only this Python (repeatable)")
    parser.add_argument("--platform", action="append", choices=[p.name for p in PLATFORMS],
                        help="only this platform (repeatable)")
    parser.add_argument("--jobs", type=int, default=6, help="pip runs at once (default 6: they mostly wait on the network)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    combinations = [Combination(python, platform) for python in args.python or PYTHONS for platform in PLATFORMS
                    if platform.name in (args.platform or [platform.name])]
    pins = constraint_pins()
    with tempfile.TemporaryDirectory(prefix="check-wheels-") as scratch:
        workdir = Path(scratch)
        try:
            check_all(combinations, workdir, pins, args.jobs)
        except IndexUnreachable as unreachable:
            print(f"check_wheels: cannot reach the package index: {unreachable}", file=sys.stderr)
            return 2
    print_table(combinations, time.monotonic() - started, args.jobs)
    print_pins_nothing_needs(combinations, pins)
    return 1 if any(combination.problems for combination in combinations) else 0


if __name__ == "__main__":
    sys.exit(main())
