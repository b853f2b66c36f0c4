"""Build the student copies in `release/` from the instructor's notebooks in `source/`.

Like otter-grader's assign step, a release is only made from a source notebook that runs
top to bottom with every test passing. nbgrader's `--force` deletes the old release
before writing the new one; if generation fails, the old release is put back.
"""

import shutil
import tempfile
from pathlib import Path

from .execution import execute_notebook
from .nbgrader_course import assignment_names, generate_assignment


def build_release(root, names=None, check=True, log=print):
    root = Path(root)
    for name in names or assignment_names(root):
        if check:
            for notebook in sorted((root / "source" / name).glob("*.ipynb")):
                log(f"{name}: running {notebook.name} with the solutions")
                execute_notebook(notebook)
        with _restored_on_failure(root / "release" / name):
            generate_assignment(root, name)
        log(f"{name}: release/{name} written")


class _restored_on_failure:
    def __init__(self, folder):
        self.folder = folder

    def __enter__(self):
        self.backup = None
        if self.folder.exists():
            self.backup = Path(tempfile.mkdtemp()) / self.folder.name
            shutil.copytree(self.folder, self.backup)

    def __exit__(self, kind, error, trace):
        if kind is not None and self.backup is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            shutil.copytree(self.backup, self.folder)
        if self.backup is not None:
            shutil.rmtree(self.backup.parent, ignore_errors=True)
        return False
