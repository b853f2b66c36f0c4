#!/usr/bin/env python3
"""The instructor's commands. Needs only Python 3.11, 3.12 or 3.13; everything else goes into .venv here.

    python3 course.py setup [--data-from DIR]   environment, data, release copies (--no-release: not those)
    python3 course.py test [PYTEST ARGS]        the whole test suite (installs Chromium for its browser tests)
    python3 course.py test --quick [ARGS]       the quick tier: leaves out notebooks, grading, edition, browser, network
    python3 course.py lab [--student]           JupyterLab with nbgrader (--student: on a student edition in student/)
    python3 course.py publish DIR [NAME ...]    write the student edition (no solutions, no hidden tests) into DIR
    python3 course.py data [--from DIR]         copy in and verify the data files
    python3 course.py release [NAME ...]        rebuild release/ from source/ (tidying the sources first)
    python3 course.py tidy [NOTEBOOK ...]       clear outputs and name new cells (default: sources and lectures)
    python3 course.py nbgrader ARGS...          nbgrader, from here, in .venv
    python3 course.py benchmark [ARGS]          how fast the notebooks and training run here
    python3 course.py grade SUBMISSIONS --out RESULTS [...]   grade a folder of submissions
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
EDITION = ROOT / "edition"  # the student package and the rest of the student edition's own files
INSTALL_INPUTS = [ROOT / "pyproject.toml", EDITION / "pyproject.toml", ROOT / "constraints.txt"]
INSTALL_STAMP = VENV / "course-installed.sha256"
STUDENT_DIR = ROOT / "student"
SUPPORTED_PYTHONS = [(3, 11), (3, 12), (3, 13)]
# `test` runs the tests in this many processes (pytest-xdist). On two cores the suite keeps both busy; a third
# process fills the gaps while another waits on pip, PyPI or the browser (12 minutes, against 13.7 with two).
TEST_WORKERS = 3
# `test --quick` leaves out the tests with these markers (pyproject.toml registers them, tests/tiers.py explains them).
SLOW_MARKERS = ["notebooks", "grading", "edition", "browser", "network"]
QUICK_TIER = " and ".join(f"not {marker}" for marker in SLOW_MARKERS)


class Failed(Exception):
    pass


def run(*command, **extra_env):
    """Run a command in the course folder as if .venv were activated."""
    printable = " ".join(str(part) for part in command)
    print(f"$ {printable}", flush=True)
    env = dict(os.environ, VIRTUAL_ENV=str(VENV), PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra_env)
    if subprocess.run([str(part) for part in command], cwd=ROOT, env=env).returncode != 0:
        raise Failed(f"this step failed: {printable}")


def need_venv():
    if not PYTHON.exists():
        raise Failed("no environment yet: run `python3 course.py setup` first.")


def install():
    if not PYTHON.exists():
        if sys.version_info[:2] not in SUPPORTED_PYTHONS:
            raise Failed(f"the course needs Python 3.11, 3.12 or 3.13; this is {sys.version.split()[0]}. "
                         "Run it as `python3.13 course.py setup` (or 3.12, 3.11).")
        print(f"Creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in INSTALL_INPUTS)).hexdigest()
    if INSTALL_STAMP.exists() and INSTALL_STAMP.read_text() == digest:
        print("Dependencies already installed (pyproject.toml files and constraints.txt unchanged)")
        return
    # The pinned pip first (constraints.txt says why), then, not --quiet: a first install downloads a few
    # hundred MB, and pip's lines show it moving.
    run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "--constraint", "constraints.txt", "pip")
    run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check",
        "--constraint", "constraints.txt", "--editable", "./edition", "--editable", ".[test]", **QUIET_EDITABLE_BUILD)
    INSTALL_STAMP.write_text(digest)


# pip 26 shows what a build backend warns, and setuptools warns at every editable install that a folder
# named like the package may shadow it: the course's packages are such folders, on purpose.
QUIET_EDITABLE_BUILD = {"PYTHONWARNINGS": ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"),
                                                                  "ignore:Editable installation"]))}


def data(source=None):
    """The data files, from a local folder when there is one (--from, $NNCOURSE_DATA_SOURCE, or
    ../shared/datasets beside the course), else from the download addresses of the manifest."""
    need_venv()
    shared = ROOT.parent / "shared" / "datasets"
    source = source or os.environ.get("NNCOURSE_DATA_SOURCE") or (str(shared) if shared.is_dir() else None)
    run(PYTHON, EDITION / "datasets" / "fetch.py", *(["--from", source] if source else []))


def release(names=(), check=True):
    need_venv()
    run(PYTHON, "-m", "autograder", "release", *names, *([] if check else ["--no-check"]))


def setup(args):
    started = time.monotonic()
    install()
    data(args.data_from)
    if not args.no_release:
        release()
    print(f"Set-up done in {time.monotonic() - started:.0f} s. "
          "Next: `python3 course.py test`, or `python3 course.py lab --student`.")


def test(args):
    need_venv()
    pytest_args = list(args.pytest_args)
    if "--quick" in pytest_args:
        pytest_args.remove("--quick")
        run(PYTHON, "-m", "pytest", *in_parallel(quick_tier(pytest_args)))
        return
    browser_for_tests()
    run(PYTHON, "-m", "pytest", *in_parallel(pytest_args))


def in_parallel(pytest_args):
    """The pytest arguments with xdist's workers, unless they choose their own (-n, or -p no:xdist).

    Tests that share an expensive fixture stay in one worker (tests/workers.py)."""
    chosen = any(arg in ("-n", "--numprocesses", "no:xdist") or arg.startswith(("-n", "--numprocesses="))
                 for arg in pytest_args)
    if chosen:
        return pytest_args
    return ["-n", str(TEST_WORKERS), "--dist", "loadgroup", *pytest_args]


def quick_tier(pytest_args):
    """The pytest arguments with the quick tier's marker expression; a -m of the user's own narrows it further."""
    own, rest, i = [], [], 0
    while i < len(pytest_args):
        arg = pytest_args[i]
        if arg == "-m" and i + 1 < len(pytest_args):
            own.append(pytest_args[i + 1])
            i += 2
            continue
        if arg.startswith("-m") and arg != "-m":   # -mEXPR, -m=EXPR
            own.append(arg[3:] if arg.startswith("-m=") else arg[2:])
        else:
            rest.append(arg)
        i += 1
    # pytest takes the last -m given.
    expression = f"({own[-1]}) and {QUICK_TIER}" if own else QUICK_TIER
    return [*rest, "-m", expression]


def browser_for_tests():
    """Debian's Chromium, which tests/test_browser.py drives; installed here when missing and possible.

    If it cannot be installed, the tests still run, and the browser tests fail saying how to get it."""
    if os.environ.get("NNCOURSE_CHROMIUM") or shutil.which("chromium"):
        return
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")):
        print("note: no Chromium found, and installing it needs root: the browser tests will fail. "
              "Install it with `sudo apt-get install chromium`, or set NNCOURSE_CHROMIUM to a Chromium binary.")
        return
    print("Installing Debian's chromium for the browser tests (about 30 s)", flush=True)
    try:
        run("apt-get", "update", "-q", DEBIAN_FRONTEND="noninteractive")
        run("apt-get", "install", "-y", "-q", "chromium", DEBIAN_FRONTEND="noninteractive")
    except Failed as error:
        print(f"note: {error}; the browser tests will fail.", flush=True)


def lab(args):
    need_venv()
    # Kernels get CurveZMQ keys from their manager: encrypted, and no warning at each start. They stay on TCP:
    # JupyterLab restarts a kernel that lost a port to another process on new ports (the course's other tools
    # use Unix sockets, autograder/authoring/kernels.py).
    lab_args = ["--KernelManager.transport_encryption=auto", *args.lab_args]
    extra_env = {}
    if args.student:
        # What a student sees: the edition, published once into student/, with the instructor panels off.
        if not (STUDENT_DIR / ".edition").is_dir():
            run(PYTHON, "-m", "autograder", "publish", STUDENT_DIR, "--allow")
        lab_args = [f"--ServerApp.root_dir={STUDENT_DIR}", *lab_args]
        extra_env["JUPYTER_CONFIG_PATH"] = str(EDITION / "jupyter-config")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        lab_args.append("--allow-root")  # course containers often run as root; JupyterLab refuses without this
    # nbgrader finds nbgrader_config.py in the working directory: start from the course folder.
    run(BIN / "jupyter", "lab", *lab_args, **extra_env)


def nbgrader(args):
    """Any nbgrader command, from the course folder, in the course's environment."""
    need_venv()
    run(BIN / "nbgrader", *args.nbgrader_args)


def tidy(args):
    need_venv()
    run(PYTHON, "-m", "autograder", "tidy", *args.notebooks)


def benchmark(args):
    need_venv()
    run(PYTHON, ROOT / "benchmarks" / "benchmark.py", *args.benchmark_args)


def publish(args):
    """The student edition (python -m autograder publish ...), from the course folder, in .venv."""
    need_venv()
    run(PYTHON, "-m", "autograder", "publish", *args.publish_args)


def grade(args):
    """The autograder (python -m autograder grade ...), from the course folder, in .venv."""
    need_venv()
    run(PYTHON, "-m", "autograder", "grade", *args.grade_args)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("setup", help="create .venv, install, copy in the data, build the release copies")
    p.add_argument("--data-from", metavar="DIR", help="folder holding the .h5 data files")
    p.add_argument("--no-release", action="store_true",
                   help="keep release/ and gradebook.db as they are (a Gradescope autograder's setup.sh)")
    p.set_defaults(action=setup)

    p = commands.add_parser("test", help="run the test suite (arguments go to pytest); --quick: all but the tests "
                                         "marked notebooks, grading, edition, browser or network (about 2 minutes)")
    p.set_defaults(action=test, pytest_args=[])

    p = commands.add_parser("lab", help="start JupyterLab with nbgrader (arguments after -- go to jupyter lab)")
    p.add_argument("--student", action="store_true",
                   help="as a student: on the student edition, published into student/ the first time")
    p.set_defaults(action=lab, lab_args=[])

    p = commands.add_parser("nbgrader", help="run an nbgrader command from the course folder, e.g. `autograde NAME`")
    p.set_defaults(action=nbgrader, nbgrader_args=[])

    p = commands.add_parser("benchmark", help="time the notebooks and assignment 5's training (prints figures)")
    p.set_defaults(action=benchmark, benchmark_args=[])

    p = commands.add_parser("grade", help="grade a folder of submissions: SUBMISSIONS_DIR --out RESULTS_DIR "
                                          "[--assignment NAME] [--workers N] [--timeout S] (see python -m autograder grade -h)")
    p.set_defaults(action=grade, grade_args=[])

    p = commands.add_parser("publish", help="write the student edition into DIR: DIR [NAME ...] [--allow] "
                                            "[--source URL] (see python -m autograder publish -h)")
    p.set_defaults(action=publish, publish_args=[])

    p = commands.add_parser("data", help="copy in and verify the data files")
    p.add_argument("--from", dest="source", metavar="DIR", help="folder holding the .h5 files")
    p.set_defaults(action=lambda args: data(args.source))

    p = commands.add_parser("release", help="rebuild release/ from source/ (each source notebook is run first)")
    p.add_argument("names", nargs="*", help="assignments (default: all)")
    p.add_argument("--no-check", action="store_true", help="do not run the source notebooks first")
    p.set_defaults(action=lambda args: release(args.names, check=not args.no_check))

    p = commands.add_parser("tidy", help="clear the outputs and name the new cells of notebooks "
                                         "(default: every source and lecture notebook)")
    p.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    p.set_defaults(action=tidy)

    argv = sys.argv[1:] if argv is None else argv
    # test, nbgrader, benchmark and grade hand everything after them on; lab hands what follows `--`.
    passthrough = {"test": "pytest_args", "nbgrader": "nbgrader_args", "benchmark": "benchmark_args",
                   "grade": "grade_args", "publish": "publish_args"}
    if argv and argv[0] in passthrough:
        args = parser.parse_args(argv[:1])
        setattr(args, passthrough[argv[0]], argv[1:])
    elif argv and argv[0] == "lab" and "--" in argv:
        split = argv.index("--")
        args = parser.parse_args(argv[:split])
        args.lab_args = argv[split + 1:]
    else:
        args = parser.parse_args(argv)
    try:
        args.action(args)
    except Failed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
