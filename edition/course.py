#!/usr/bin/env python3
"""The student's commands for Neurons to Networks. Run them from this folder.

    python3 course.py setup [--data-from DIR]   find Python 3.11-3.13, make .venv here, install, get the data
    python3 course.py lab                       open JupyterLab on your copies of the assignments
    python3 course.py validate NAME ...         run an assignment's visible tests, as the Validate button does
    python3 course.py update [SOURCE]           bring in what your instructor published since
    python3 course.py data [--from DIR]         download (or copy in) and verify the data files

On Windows, write `py course.py ...` instead of `python3 course.py ...`.
This file needs only Python itself: everything else goes into .venv beside it.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
WINDOWS = os.name == "nt"
BIN = VENV / ("Scripts" if WINDOWS else "bin")
PYTHON = BIN / ("python.exe" if WINDOWS else "python")
SUPPORTED = [(3, 13), (3, 12), (3, 11)]  # newest first: the one setup prefers
INSTALL_INPUTS = [ROOT / "pyproject.toml", ROOT / "constraints.txt"]
INSTALL_STAMP = VENV / "edition-installed.sha256"
# Turns off nbgrader's instructor panels (Create Assignment, formgrader), and has kernels encrypt what they send.
JUPYTER_CONFIG = ROOT / "jupyter-config"


class Failed(Exception):
    pass


def shown(version):
    return ".".join(str(part) for part in version)


def run(*command, **extra_env):
    """Run a step of set-up; a step that fails stops the command."""
    printable = " ".join(str(part) for part in command)
    print(f"$ {printable}", flush=True)
    if subprocess.run([str(part) for part in command], cwd=ROOT, env=dict(os.environ, **extra_env)).returncode != 0:
        raise Failed(f"this step failed: {printable}")


def hand_over(*command, **extra_env):
    """Run a command that reports for itself; its exit status becomes ours."""
    return subprocess.run([str(part) for part in command], cwd=ROOT, env=dict(os.environ, **extra_env)).returncode


def version_of(python_command):
    """(major, minor) of the Python that `python_command` starts, or None when it does not start."""
    try:
        result = subprocess.run([*python_command, "-c", "import sys; print(*sys.version_info[:2])"],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = result.stdout.split()
    return tuple(int(part) for part in parts) if result.returncode == 0 and len(parts) == 2 else None


def candidate_pythons():
    """Commands that may start a supported Python here, best first."""
    if WINDOWS:
        return [["py", f"-{shown(version)}"] for version in SUPPORTED]
    return [[found] for found in (shutil.which(f"python{shown(version)}") for version in SUPPORTED) if found]


def find_python():
    """A command that starts Python 3.11, 3.12 or 3.13: this one, else the newest found."""
    if sys.version_info[:2] in SUPPORTED:
        return [sys.executable], sys.version_info[:2]
    for command in candidate_pythons():
        version = version_of(command)
        if version in SUPPORTED:
            return command, version
    tried = ", ".join(" ".join(command) for command in candidate_pythons()) or "no python3.11, 3.12 or 3.13 on PATH"
    raise Failed(f"the course needs Python 3.11, 3.12 or 3.13; this is {sys.version.split()[0]} "
                 f"({sys.executable}), and no other was found (tried: {tried}). Install Python 3.13 "
                 "(from python.org on Windows and macOS, or your system's packages or Homebrew), then run setup again.")


def need_venv():
    if not PYTHON.exists():
        raise Failed("no environment yet: run `python3 course.py setup` first (on Windows: `py course.py setup`).")


def install():
    if PYTHON.exists():
        version = version_of([str(PYTHON)])
        print(f"Using the environment in {VENV} (Python {shown(version) if version else 'unknown'})")
    else:
        python, version = find_python()
        print(f"Using Python {shown(version)}: {' '.join(python)}", flush=True)
        run(*python, "-m", "venv", VENV)
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in INSTALL_INPUTS)).hexdigest()
    if INSTALL_STAMP.exists() and INSTALL_STAMP.read_text() == digest:
        print("Packages already installed (pyproject.toml and constraints.txt unchanged)")
        return
    # The pinned pip first: it installs the rest in about 60% of the time of the pip 23.2 of Python 3.11's venv.
    run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "--constraint", "constraints.txt", "pip")
    run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check",
        "--constraint", "constraints.txt", "--editable", ".", **QUIET_EDITABLE_BUILD)
    INSTALL_STAMP.write_text(digest)


# pip 26 shows what a build backend warns, and setuptools warns at every editable install that a folder
# named like the package may shadow it: nncourse/ is such a folder, on purpose.
QUIET_EDITABLE_BUILD = {"PYTHONWARNINGS": ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"),
                                                                  "ignore:Editable installation"]))}


def data(source=None):
    need_venv()
    run(PYTHON, ROOT / "datasets" / "fetch.py", *(["--from", source] if source else []))


def setup(args):
    install()
    data(args.data_from)
    again = "py course.py" if WINDOWS else "python3 course.py"
    print(f"Set-up done. Next: `{again} lab` opens JupyterLab on your assignments.")


def lab(args):
    need_venv()
    options = [f"--ServerApp.root_dir={ROOT}", *args.lab_args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.append("--allow-root")  # containers often run as root; JupyterLab refuses without this
    return hand_over(BIN / "jupyter", "lab", *options, JUPYTER_CONFIG_PATH=jupyter_config_path())


def jupyter_config_path():
    """Where Jupyter looks for its settings: the edition's own first, then the student's."""
    return os.pathsep.join(filter(None, [str(JUPYTER_CONFIG), os.environ.get("JUPYTER_CONFIG_PATH")]))


def validate(args):
    need_venv()
    # Names and paths as the student typed them, from wherever they typed them.
    names = [str(Path(name).resolve()) if Path(name).exists() else name for name in args.names]
    return hand_over(PYTHON, "-m", "nncourse.validate", *names, *(["--started"] if args.started else []),
                     JUPYTER_CONFIG_PATH=jupyter_config_path())


def update(args):
    need_venv()
    return hand_over(PYTHON, "-m", "nncourse.update", *([args.source] if args.source else []), "--edition", ROOT)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("setup", help="create .venv with Python 3.11-3.13, install the course, get the data")
    p.add_argument("--data-from", metavar="DIR", help="a folder holding the .h5 data files (instead of downloading)")
    p.set_defaults(action=setup)

    p = commands.add_parser("lab", help="open JupyterLab here (arguments after -- go to jupyter lab)")
    p.set_defaults(action=lab, lab_args=[])

    p = commands.add_parser("validate", help="run the visible tests of assignments or notebooks, "
                                             "as the Validate button does")
    p.add_argument("names", nargs="*", metavar="NAME_OR_NOTEBOOK", help="e.g. a1_single_neuron")
    p.add_argument("--started", action="store_true", help="every assignment you have changed")
    p.set_defaults(action=validate)

    p = commands.add_parser("update", help="bring in what your instructor published since, keeping your answers")
    p.add_argument("source", nargs="?", help="the new edition: a folder, a .zip (file or URL) or a Git URL "
                                             "(default: where this edition says it is published)")
    p.set_defaults(action=update)

    p = commands.add_parser("data", help="download (or copy in) and verify the data files")
    p.add_argument("--from", dest="source", metavar="DIR", help="a folder holding the .h5 files")
    p.set_defaults(action=lambda args: data(args.source))

    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "lab" and "--" in argv:
        split = argv.index("--")
        args = parser.parse_args(argv[:split])
        args.lab_args = argv[split + 1:]
    else:
        args = parser.parse_args(argv)
    try:
        return args.action(args) or 0
    except Failed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
