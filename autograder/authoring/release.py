"""Build the student copies in `release/` from the instructor's notebooks in `source/`.

Like otter-grader's assign step, a release is only made from a source notebook that runs
top to bottom with every test passing, and whose test cells' named cases add up to their points. The source is tidied first (see tidy.py). nbgrader's `--force` deletes the old release
before writing the new one; if generation fails, the old release is put back.
"""

import contextlib
import shutil
import tempfile
from pathlib import Path

import nbformat

from ..cells import case_problems, course_folders
from .execution import NotebookFailed, execute_notebook
from .nbgrader_course import generate_assignment
from .tidy import tidy_file


def build_release(root, names=None, check=True, log=print):
    folders = course_folders(root)
    for name in names or folders.assignments():
        for notebook in folders.notebooks(name, "source"):
            changes = tidy_file(notebook)
            if changes:
                log(f"{name}: tidied {notebook.name}: " + "; ".join(changes))
        for notebook in folders.notebooks(name, "source"):
            problems = case_problems(nbformat.read(notebook, as_version=4))
            if problems:
                raise NotebookFailed(f"{notebook}: " + "; ".join(problems))
        if check:
            for notebook in folders.notebooks(name, "source"):
                log(f"{name}: running {notebook.name} with the solutions")
                execute_notebook(notebook)
        with _restored_on_failure(folders.release(name)):
            generate_assignment(root, name)
        log(f"{name}: release/{name} written")


@contextlib.contextmanager
def _restored_on_failure(folder):
    with tempfile.TemporaryDirectory() as scratch:
        backup = Path(scratch) / folder.name
        if folder.exists():
            shutil.copytree(folder, backup)
        try:
            yield
        except BaseException:
            if backup.exists():
                shutil.rmtree(folder, ignore_errors=True)
                shutil.copytree(backup, folder)
            raise
