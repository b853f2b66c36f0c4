"""`python -m autograder gradescope-run`: grade the one submission of a Gradescope container.

Gradescope lays out /autograder: source/ (the zip of gradescope_package.py), submission/ (what the
student uploaded) and results/, where results.json must be. This lays the submission out as the grade
command reads it, runs that command (sandbox and all) for the zip's assignment, and copies its
Gradescope export to results/results.json.

It never grades without the sandbox: the grade command refuses to start where the sandbox cannot
be built (Gradescope's containers may forbid user namespaces), and then results.json gives no
marks and says the submission was not graded; why is printed to stdout, which only instructors see.
Whatever fails, a results.json is written.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import hand_in
from .exports import gradescope
from .gradescope_package import CONFIG

STUDENT = "student"   # the container holds one submission; its id in the gradebook made for it
NOT_GRADED = ("Not graded: the autograder could not grade this submission here, so it gave no marks. This is "
              "a problem of the autograder's set-up, not of your work; your instructor can see why and regrade it.")


def gradescope_run(autograder_root):
    """Grade /autograder/submission into /autograder/results/results.json; the exit status (0: written)."""
    root = Path(autograder_root).resolve()
    results = root / "results" / "results.json"
    started = time.monotonic()
    try:
        graded = _grade(root)
    except Exception as error:   # whatever broke, the student gets results.json and the instructor the cause
        print(f"gradescope-run: {type(error).__name__}: {error}", flush=True)
        graded = None
    gradescope.write(results, graded or gradescope.not_graded(NOT_GRADED, time.monotonic() - started))
    return 0


def _grade(root):
    """The results.json object of the grade command's export, or None (the reason printed) when it refused."""
    source = root / "source"
    config = json.loads((source / CONFIG).read_text())
    assignment = config["assignment"]
    with tempfile.TemporaryDirectory(prefix="gradescope-") as scratch:
        submissions, out = Path(scratch) / "submissions", Path(scratch) / "results"
        expected = [path.name for path in (source / "release" / assignment).glob("*.ipynb")]
        copy_regular_files(hand_in_folder(root / "submission", expected), submissions / STUDENT / assignment)
        command = [sys.executable, "-m", "autograder", "grade", str(submissions), "--out", str(out),
                   "--assignment", assignment, "--root", str(source), "--timeout", str(config["timeout"]),
                   "--memory", str(config["memory"]), "--format", "gradescope"]
        done = subprocess.run(command, cwd=source, capture_output=True, text=True)
        print(done.stdout + done.stderr, flush=True)
        exported = out / "gradescope" / STUDENT / assignment / "results.json"
        if done.returncode != 0 or not exported.is_file():
            print(f"gradescope-run: the grade command ended with status {done.returncode}; nothing was graded",
                  flush=True)
            return None
        return json.loads(exported.read_text())


def hand_in_folder(submission, expected):
    """The folder of the upload that holds the assignment's notebooks: the top, else the one folder
    below it that holds any of them (an upload from GitHub or a zip may nest them)."""
    submission = Path(submission)
    if any((submission / name).is_file() for name in expected):
        return submission
    found = {Path(folder) for folder, _, files in os.walk(submission) if set(files) & set(expected)}
    return found.pop() if len(found) == 1 else submission


def copy_regular_files(source, target):
    """The files of the upload that a hand-in may hold (hand_in.regular_files: no links, FIFOs, devices
    or oversized files) into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    kept, _ = hand_in.regular_files(source, hand_in.MAX_OTHER_FILE_MB * 2**20)
    for relative, path in kept:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative, follow_symlinks=False)
