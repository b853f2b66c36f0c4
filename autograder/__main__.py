"""python -m autograder COMMAND ... (run from the course folder)."""

import argparse
import sys
from pathlib import Path

from nncourse.edition import EditionError

from .authoring.execution import NotebookFailed
from .authoring.nbgrader_course import NbgraderFailed
from .authoring.publish import PublishRefused, publish
from .authoring.release import build_release
from .authoring.tidy import tidy_file
from .grading.exports import FORMATS, ExportRefused, export_results
from .grading.exports.canvas import DEFAULT_MATCH, MATCH_COLUMNS
from .grading.grading_command import GradingRefused, grade_command
from .grading.gradescope_package import PackageRefused, gradescope_package
from .grading.gradescope_run import gradescope_run
from .grading.hand_in import MAX_NOTEBOOK_MB
from .grading.limits import DISK_MB, MAX_PROCESSES
from .grading.results import ResultsUnreadable, merge_results, rewrite_report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser("release", help="build release/ from source/")
    release.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    release.add_argument("--no-check", action="store_true",
                         help="skip running each source notebook before releasing it")
    release.add_argument("--root", type=Path, default=Path.cwd(), help="course folder (default: here)")

    grade = commands.add_parser("grade", help="grade a folder of submissions (SUBMISSIONS/<student>/<assignment>/)")
    grade.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    grade.add_argument("--out", type=Path, required=True, metavar="RESULTS_DIR",
                       help="where grades.json, grades.csv and feedback/ go")
    grade.add_argument("--assignment", action="append", dest="assignments", metavar="NAME",
                       help="grade only this assignment (repeatable; default: every assignment of the course)")
    grade.add_argument("--workers", type=int, default=1, metavar="N", help="submissions graded at once (default 1)")
    grade.add_argument("--timeout", type=float, default=120, metavar="SECONDS",
                       help="the longest one cell or one test may run (default 120); a submission gets at most "
                            "five times this in all")
    grade.add_argument("--memory", type=int, default=4096, metavar="MB",
                       help="memory limit of each submission's kernel (default 4096)")
    grade.add_argument("--disk", type=int, default=DISK_MB, metavar="MB",
                       help=f"disk space of each submission: its folder and temporary files (default {DISK_MB})")
    grade.add_argument("--processes", type=int, default=MAX_PROCESSES, metavar="N",
                       help=f"processes and threads each submission may run at once (default {MAX_PROCESSES})")
    grade.add_argument("--max-notebook", type=float, default=MAX_NOTEBOOK_MB, metavar="MB",
                       help=f"a handed-in notebook larger than this is not read (default {MAX_NOTEBOOK_MB})")
    grade.add_argument("--shard", default="1/1", metavar="K/N",
                       help="grade only the K-th of N equal shares of the students (for a CI matrix; default 1/1)")
    grade.add_argument("--timestamps", type=Path, metavar="FILE",
                       help="a CSV of student,assignment,timestamp: when each submission was handed in, "
                            "instead of its timestamp.txt (for late penalties)")
    add_format_options(grade)
    grade.add_argument("--root", type=Path, default=Path.cwd(), help="course folder (default: here)")

    tidy = commands.add_parser("tidy", help="clear outputs and name new cells of notebooks "
                                             "(default: every source and lecture notebook)")
    tidy.add_argument("notebooks", nargs="*", type=Path, metavar="NOTEBOOK")
    tidy.add_argument("--root", type=Path, default=Path.cwd(), help="course folder (default: here)")

    edition = commands.add_parser("publish", help="write the student edition (no solutions, no hidden tests) into DIR")
    edition.add_argument("target", type=Path, metavar="DIR")
    edition.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    edition.add_argument("--allow", action="store_true",
                         help="publish helper files that answer an earlier assignment (after its deadline)")
    edition.add_argument("--source", default="", metavar="URL",
                         help="where students get this edition (a Git or .zip URL), recorded for their `update`")
    edition.add_argument("--root", type=Path, default=Path.cwd(), help="course folder (default: here)")

    merge = commands.add_parser("merge", help="combine the RESULTS_DIRs of shards into one")
    merge.add_argument("parts", nargs="+", type=Path, metavar="RESULTS_DIR")
    merge.add_argument("--out", type=Path, required=True, metavar="RESULTS_DIR")
    add_format_options(merge)

    export = commands.add_parser("export", help="write the exports of a RESULTS_DIR already graded (from its grades.json)")
    export.add_argument("results", type=Path, metavar="RESULTS_DIR")
    add_format_options(export, required=True)

    package = commands.add_parser("gradescope-package", help="build a Gradescope autograder zip for one assignment")
    package.add_argument("zip", type=Path, metavar="OUT.zip")
    package.add_argument("--assignment", required=True, metavar="NAME", help="the assignment it grades")
    package.add_argument("--no-data", action="store_true",
                         help="leave the data files out (setup.sh then downloads them from the manifest's addresses)")
    package.add_argument("--timeout", type=float, default=120, metavar="SECONDS",
                         help="the longest one cell or one test may run (default 120)")
    package.add_argument("--memory", type=int, default=4096, metavar="MB", help="the kernel's memory (default 4096)")
    package.add_argument("--root", type=Path, default=Path.cwd(), help="course folder (default: here)")

    run = commands.add_parser("gradescope-run", help="grade the submission in a Gradescope container "
                                                     "(what the package's run_autograder calls)")
    run.add_argument("--autograder-root", type=Path, default=Path("/autograder"), metavar="DIR",
                     help="Gradescope's /autograder (default); another folder laid out the same way to try it")

    report = commands.add_parser("report", help="write RESULTS_DIR/report.html again from its grades.json")
    report.add_argument("results", type=Path, metavar="RESULTS_DIR")
    args = parser.parse_args(argv)

    try:
        if args.command == "release":
            build_release(args.root, args.assignments, check=not args.no_check)
        elif args.command == "tidy":
            notebooks = args.notebooks or [*sorted(args.root.glob("source/*/*.ipynb")),
                                           *sorted(args.root.glob("notebooks/*.ipynb"))]
            for notebook in notebooks:
                for change in tidy_file(notebook):
                    print(f"{notebook}: {change}")
        elif args.command == "publish":
            publish(args.root, args.target, args.assignments, allow=args.allow, source=args.source)
        elif args.command == "merge":
            merge_results(args.parts, args.out)
            if args.formats:
                export_results(args.out, args.formats, args.canvas_roster, args.canvas_match)
        elif args.command == "export":
            export_results(args.results, args.formats, args.canvas_roster, args.canvas_match)
        elif args.command == "gradescope-package":
            gradescope_package(args.root, args.zip, args.assignment, data=not args.no_data,
                               timeout=args.timeout, memory=args.memory)
        elif args.command == "gradescope-run":
            return gradescope_run(args.autograder_root)
        elif args.command == "report":
            print(f"Class report in {rewrite_report(args.results).resolve()}")
        else:
            grade_command(args)
    except (NotebookFailed, NbgraderFailed, GradingRefused, PublishRefused, EditionError, ExportRefused,
            PackageRefused, ResultsUnreadable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:   # Ctrl-C, or SIGTERM during grading (grading/batch.py)
        print(f"stopped{f' ({stop})' if str(stop) else ''}", file=sys.stderr)
        return 130
    return 0


def add_format_options(command, required=False):
    command.add_argument("--format", action="append", dest="formats", choices=FORMATS, required=required,
                         help="also write the results for Canvas (canvas.csv), Gradescope (gradescope/) or "
                              "GitHub Classroom (classroom/) (repeatable)")
    command.add_argument("--canvas-roster", type=Path, metavar="CSV",
                         help="Canvas's exported gradebook: canvas.csv fills its students' rows")
    command.add_argument("--canvas-match", default=DEFAULT_MATCH, choices=MATCH_COLUMNS, metavar="COLUMN",
                         help=f"the roster's column that holds our student ids (default {DEFAULT_MATCH!r}; "
                              f"or {', '.join(repr(c) for c in MATCH_COLUMNS if c != DEFAULT_MATCH)})")


if __name__ == "__main__":
    sys.exit(main())
