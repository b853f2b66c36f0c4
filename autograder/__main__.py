"""python -m autograder COMMAND ... (run from the course folder)."""

import argparse
import sys
from pathlib import Path

from .execution import NotebookFailed
from .nbgrader_course import NbgraderFailed
from .release import build_release


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser("release", help="build release/ from source/")
    release.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    release.add_argument("--no-check", action="store_true",
                         help="skip running each source notebook before releasing it")
    release.add_argument("--root", type=Path, default=Path.cwd(), help="course folder (default: here)")
    args = parser.parse_args(argv)

    try:
        build_release(args.root, args.assignments, check=not args.no_check)
    except (NotebookFailed, NbgraderFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
