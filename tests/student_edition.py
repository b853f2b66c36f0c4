"""A student edition as a student gets it: published into a scratch folder and set up with the
README's command (`python3 course.py setup`) on this machine's Python, once per test run.

The edition's own .venv holds the student package and nothing of the instructor's. Commands
run in it with this machine's environment less the course's: no .venv on PATH, no data folder."""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.authoring.publish import publish
from course_layout import ROOT


@dataclass
class StudentEdition:
    folder: Path
    setup_output: str
    setup_errors: str
    publish_seconds: float
    setup_seconds: float

    @property
    def python(self):
        return self.folder / ".venv" / "bin" / "python"


def student_env(**extra):
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "NNCOURSE_DATA_DIR", "NNCOURSE_DATA_SOURCE")}
    env["PATH"] = os.pathsep.join(part for part in env["PATH"].split(os.pathsep) if ".venv" not in part)
    env.update(extra)
    return env


def student_command(folder, *args, **env):
    """`python3 course.py ARGS` in the edition, as the README has the student type it."""
    return subprocess.run([shutil.which("python3"), "course.py", *args], cwd=folder, capture_output=True,
                          text=True, env=student_env(**env), timeout=1800)


def published_and_set_up(scratch):
    """The whole course published into `scratch` and set up there. The data come from a local folder
    named by NNCOURSE_DATA_SOURCE, as an instructor may hand them out: this machine reaches no
    mirror (tests/test_fetch.py proves the downloads against a local server)."""
    data = scratch / "data-from-the-instructor"
    data.mkdir()
    for h5 in (ROOT / "edition" / "datasets").glob("*.h5"):
        shutil.copy(h5, data)
    folder = scratch / "neurons-to-networks"
    started = time.monotonic()
    publish(ROOT, folder, allow=True, log=lambda line: None)
    published = time.monotonic() - started
    started = time.monotonic()
    setup = student_command(folder, "setup", NNCOURSE_DATA_SOURCE=str(data))
    if setup.returncode != 0:
        raise RuntimeError(f"the edition's setup failed:\n{setup.stdout[-3000:]}\n{setup.stderr[-3000:]}")
    edition = StudentEdition(folder, setup.stdout, setup.stderr, published, time.monotonic() - started)
    print(f"\nstudent edition: publish {edition.publish_seconds:.1f} s, setup {edition.setup_seconds:.1f} s")
    return edition
