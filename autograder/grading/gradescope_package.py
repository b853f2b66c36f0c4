"""`python -m autograder gradescope-package OUT.zip --assignment NAME`: a Gradescope autograder zip.

At its root, as Gradescope's specification wants: setup.sh (run once when Gradescope builds the
image: Python, the course's .venv, the data checked) and run_autograder (run for each submission:
`python -m autograder gradescope-run`, gradescope_run.py). Beside them, the course's code (course.py,
pyproject.toml, constraints.txt, autograder/ with its hidden tests, edition/), the assignment's
source/ and a release/ and gradebook.db made for the zip alone (the course's own gradebook, with its
students' grades, stays here), the data files unless --no-data, and gradescope.json: the assignment
and the grading limits. The zip holds the solutions and the hidden tests: upload it only to
Gradescope's autograder settings; the sandbox keeps the student's code away from /autograder/source.
"""

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from nbgrader.api import Gradebook

from ..authoring.nbgrader_course import generate_assignment
from ..cells import course_config, course_folders

PROGRAM = Path(__file__).resolve().parents[2]    # the folder of course.py and autograder/
HERE = Path(__file__).resolve().parent
CODE = ["course.py", "pyproject.toml", "constraints.txt", "autograder", "edition"]
LEFT_OUT = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}
LEFT_OUT_SUFFIXES = (".pyc", ".egg-info", ".h5", ".partial")
CONFIG = "gradescope.json"


class PackageRefused(RuntimeError):
    """The zip cannot be built as asked; the message says what to fix."""


def gradescope_package(root, zip_path, assignment, data=True, timeout=120, memory=4096, log=print):
    """Write the zip; its path."""
    root = Path(root).resolve()
    folders = course_folders(root)
    if assignment not in folders.assignments():
        raise PackageRefused(f"no such assignment: {assignment} (the course has {', '.join(folders.assignments())})")
    if timeout <= 0 or memory < 512:
        raise PackageRefused("--timeout must be positive and --memory at least 512 MB")
    data_files = _data_files() if data else []
    with tempfile.TemporaryDirectory(prefix="gradescope-package-") as scratch:
        staging = Path(scratch)
        _course_for(root, assignment, staging)
        zip_path = Path(zip_path)
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("setup.sh", "run_autograder"):
                _add(archive, HERE / "gradescope" / name, name, executable=True)
            for name in CODE:
                _add_tree(archive, PROGRAM / name, name)
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    _add(archive, path, path.relative_to(staging).as_posix())
            for path in data_files:
                _add(archive, path, f"edition/datasets/{path.name}")
            archive.writestr(CONFIG, json.dumps({"assignment": assignment, "timeout": timeout, "memory": memory}))
    log(f"Gradescope autograder for {assignment}: {zip_path} ({zip_path.stat().st_size / 1e6:.1f} MB"
        + ("" if data else "; setup.sh downloads the data files") + "). Upload it in the assignment's "
        "Configure Autograder page; it holds the solutions and hidden tests.")
    return zip_path


def _course_for(root, assignment, staging):
    """nbgrader_config.py, source/<assignment>, and a release and gradebook of that assignment only."""
    shutil.copy(root / "nbgrader_config.py", staging)
    shutil.copytree(course_folders(root).source(assignment), staging / "source" / assignment,
                    ignore=shutil.ignore_patterns(*LEFT_OUT))
    course_id = course_config(root).CourseDirectory.course_id
    Gradebook(f"sqlite:///{staging / 'gradebook.db'}", course_id=course_id).close()
    generate_assignment(staging, assignment)


def _data_files():
    from nncourse.datasets import DatasetError, find_data_dir, read_manifest
    try:
        folder = find_data_dir()
        files = [folder / entry["name"] for entry in read_manifest(folder)]
    except DatasetError as error:
        raise PackageRefused(f"{error}\n(or leave the data out with --no-data)") from None
    missing = [path.name for path in files if not path.is_file()]
    if missing:
        raise PackageRefused(f"the data files {', '.join(missing)} are not in {folder}: run `python3 course.py data`, "
                             "or leave them out with --no-data")
    return files


def _add_tree(archive, folder, name):
    if folder.is_file():
        _add(archive, folder, name)
        return
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not path.is_symlink() and not LEFT_OUT.intersection(parts) \
                and not any(part.endswith(LEFT_OUT_SUFFIXES) for part in parts):
            _add(archive, path, f"{name}/{path.relative_to(folder).as_posix()}")


def _add(archive, path, name, executable=False):
    info = zipfile.ZipInfo.from_file(path, name)
    if executable:
        info.external_attr = (0o100755 << 16)
    with open(path, "rb") as file:
        archive.writestr(info, file.read(), zipfile.ZIP_DEFLATED)
