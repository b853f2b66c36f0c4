"""`python -m autograder grade`: the batch, the gradebook, the results, with progress and a summary."""

import time
import warnings
from pathlib import Path

from sqlalchemy.exc import SAWarning

from nncourse.datasets import DatasetError

from ..cells import course_folders
from .batch import Batch, readable_paths, run, scratch_dir
from .exports import ExportRefused, check_options, write_exports
from .grading_processes import GradingProcesses
from .late import BadTimestamp, Deadlines, read_timestamps_file
from .results import missing_from_gradebook, print_summary, update_gradebook, write_results
from .sandbox import SandboxUnavailable, check_available


class GradingRefused(RuntimeError):
    """The batch cannot start; the message says what to fix."""


def grade_command(args, log=print):
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader 0.9.6's gradebook code, not ours
    root = Path(args.root).resolve()
    known = course_folders(root).assignments()
    released = [name for name in known if course_folders(root).notebooks(name)]
    assignments = args.assignments or released
    unknown = [name for name in assignments if name not in known]
    if unknown:
        raise GradingRefused(f"no such assignment: {', '.join(unknown)} (the course has {', '.join(known)})")
    unreleased = [name for name in assignments if name not in released]
    if unreleased:
        raise GradingRefused(f"not released yet: {', '.join(unreleased)}; run `python3 course.py release "
                             f"{' '.join(unreleased)}` first")
    if not Path(args.submissions).is_dir():
        raise GradingRefused(f"{args.submissions} is not a folder of submissions (<student>/<assignment>/...)")
    if args.workers < 1 or args.timeout <= 0 or args.memory < 512:
        raise GradingRefused("--workers must be at least 1, --timeout positive, --memory at least 512 MB")
    if args.disk < 64 or args.processes < 32 or args.max_notebook <= 0:
        raise GradingRefused("--disk must be at least 64 MB, --processes at least 32, --max-notebook positive")
    shard = parse_shard(args.shard)
    formats = args.formats or []
    try:
        check_options(formats, args.canvas_roster, args.canvas_match)
    except ExportRefused as error:
        raise GradingRefused(str(error)) from None
    processes = GradingProcesses(root, assignments)
    processes.warm_up()    # it imports while the sandbox and the gradebook are checked
    try:
        check_available(readable_paths())
    except (SandboxUnavailable, DatasetError) as error:
        raise GradingRefused(str(error)) from None
    db_url = course_folders(root).db_url
    missing = missing_from_gradebook(db_url, assignments)
    if missing:
        raise GradingRefused(f"the gradebook has no assignment {', '.join(missing)}: run `python3 course.py release "
                             f"{' '.join(missing)}` first")
    deadlines = Deadlines(db_url, assignments, given_timestamps(args.timestamps))
    batch = Batch(course=root, submissions=Path(args.submissions).resolve(), assignments=assignments,
                  workers=args.workers, timeout=args.timeout, memory_mb=args.memory, disk_mb=args.disk,
                  max_processes=args.processes, max_notebook_mb=args.max_notebook, shard=shard,
                  deadlines=deadlines, log=log)
    log(f"Grading {', '.join(assignments)} for the students in {batch.submissions} "
        f"({args.workers} at a time, {args.timeout:g} s per cell)")
    started = time.monotonic()
    with scratch_dir() as scratch:
        records, _ = run(batch, scratch, processes)
        update_gradebook(db_url, root, records, scratch)
        seconds = time.monotonic() - started
        summary = write_results(args.out, db_url, records, scratch, seconds)
    print_summary(summary, log)
    log(f"Results in {Path(args.out).resolve()}: grades.json, grades.csv, feedback/, report.html")
    write_exports(args.out, records, formats, args.canvas_roster, args.canvas_match, log)
    return summary


def given_timestamps(path):
    """The instructor's --timestamps FILE, read; {} without one."""
    if path is None:
        return {}
    try:
        return read_timestamps_file(path)
    except (OSError, UnicodeDecodeError) as error:
        raise GradingRefused(f"--timestamps {path}: cannot be read ({error})") from None
    except BadTimestamp as error:
        raise GradingRefused(f"--timestamps {error}") from None


def parse_shard(text):
    """"K/N" as (K, N), with 1 <= K <= N."""
    try:
        k, n = (int(part) for part in str(text).split("/"))
    except ValueError:
        raise GradingRefused(f"--shard wants K/N, such as 2/4; got {text!r}") from None
    if not 1 <= k <= n:
        raise GradingRefused(f"--shard {text}: K must be between 1 and N")
    return k, n
