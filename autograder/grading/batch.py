"""Grade a folder of submissions: one process per submission, N kernels at a time, none able to stop the rest.

SUBMISSIONS/<student>/<assignment>/<notebook>.ipynb in, a record per student and assignment
out. A grading process that dies or hangs is killed and its submission recorded as crashed;
every other record is untouched.
"""

import contextlib
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import late, limits
from .grade_submission import GRADED, TOTAL_TIME_FACTOR, course_notebooks, handed_in, ungraded
from .grading_processes import GradingProcesses
from .hand_in import MAX_NOTEBOOK_MB
from .records import Job, Record, Status

GRACE = 120   # seconds a grading process may run past the submission's own time limit


@dataclass
class Batch:
    course: Path
    submissions: Path
    assignments: list
    workers: int = 1
    timeout: float = 120
    memory_mb: int = 4096
    disk_mb: int = limits.DISK_MB
    max_processes: int = limits.MAX_PROCESSES
    max_notebook_mb: float = MAX_NOTEBOOK_MB
    shard: tuple = (1, 1)   # (K, N): the K-th of N shares of the students
    deadlines: object = None    # late.Deadlines: due dates and the instructor's timestamps, if any
    log: object = print
    records: list = field(default_factory=list)


def students_in(submissions):
    """The student folders, and links in their place (graded as invalid, never followed)."""
    return sorted(p.name for p in Path(submissions).iterdir()
                  if (p.is_symlink() or p.is_dir()) and not p.name.startswith("."))


def readable_paths():
    """What the student's kernel may read: the Python environment, the student package, the data."""
    import nncourse
    from nncourse.datasets import find_data_dir
    return [sys.prefix, str(Path(nncourse.__file__).resolve().parent), str(find_data_dir().resolve())]


def run(batch, scratch, processes=None):
    """Grade every (student, assignment); the records, in that order. Outputs land in `scratch`. `processes`:
    the GradingProcesses to start grading processes from (made here when not given)."""
    jobs = []
    k, n = batch.shard
    for student in students_in(batch.submissions)[k - 1::n]:
        for assignment in batch.assignments:
            out = Path(scratch) / student / assignment
            jobs.append(Job(course=str(batch.course), assignment=assignment, student=student,
                            submissions=str(batch.submissions),
                            submission=str(Path(batch.submissions) / student / assignment), out=str(out),
                            readable=readable_paths(), memory_mb=batch.memory_mb, timeout=batch.timeout,
                            disk=str(Path(scratch) / f"{student}--{assignment}.disk"), disk_mb=batch.disk_mb,
                            max_processes=batch.max_processes, max_notebook_mb=batch.max_notebook_mb,
                            due=batch.deadlines and batch.deadlines.due(student, assignment),
                            handed_in=batch.deadlines and batch.deadlines.handed_in(student, assignment)))
    pending, running, records = list(jobs), {}, {}
    processes = processes or GradingProcesses(batch.course, batch.assignments)
    started = time.monotonic()
    with _terminated_as_interrupted():
        try:
            while pending or running:
                while pending and _kernels_running(running) < batch.workers:
                    job = pending.pop(0)
                    cgroup = limits.ProcessCgroup.create(f"nngrade-{os.getpid()}-{len(jobs) - len(pending)}",
                                                         batch.max_processes)
                    running[job.student, job.assignment] = (None, job, time.monotonic(), cgroup)
                    job.cgroup_procs = cgroup.procs_file if cgroup else None
                    running[job.student, job.assignment] = (_start(processes, job, scratch), job, time.monotonic(),
                                                            cgroup)
                time.sleep(0.05)
                for key, (process, job, began, cgroup) in list(running.items()):
                    limit = batch.timeout * TOTAL_TIME_FACTOR + GRACE
                    if process.is_alive() and time.monotonic() - began < limit:
                        continue
                    _stop(process, cgroup)
                    del running[key]
                    record = _record(job, process, time.monotonic() - began)
                    records[key] = record
                    batch.log(f"[{len(records)}/{len(jobs)}] {job.student} {job.assignment}: {record.status} "
                              f"{record.score:g}/{record.max_score:g} ({record.seconds:.1f} s)"
                              + ("" if record.status == Status.GRADED else f" - {record.reason}"))
        except BaseException:   # Ctrl-C, SIGTERM, or a bug of ours: nothing of the batch may outlive it
            for process, _, _, cgroup in running.values():
                _stop(process, cgroup)
            raise
    batch.records = [records[(j.student, j.assignment)] for j in jobs]
    return batch.records, time.monotonic() - started


def _kernels_running(running):
    """How many of the running grading processes still have a kernel: one that has written its
    record's grades only renders feedback pages, and the next submission may start beside it."""
    return sum(not (Path(job.out) / GRADED).exists() for _, job, _, _ in running.values())


def _stop(process, cgroup):
    """Kill the grading process if it still runs, reap it, and remove its cgroup (killing what is left in it)."""
    if process is not None:
        if process.is_alive():
            _kill(process)
        process.join()
    if cgroup:
        cgroup.remove()


@contextlib.contextmanager
def _terminated_as_interrupted():
    """SIGTERM (a cancelled CI job, `kill`) stops the batch as Ctrl-C does, through its clean-up, instead of
    leaving its grading processes' cgroups behind. Only where signals can be handled (the main thread)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"stopped by signal {signum}")
    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:      # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _start(processes, job, scratch):
    job_file = Path(scratch) / f"{job.student}--{job.assignment}.json"
    job.write(job_file)
    Path(job.disk).mkdir()
    return processes.start(job_file, Path(scratch) / f"{job.student}--{job.assignment}.log")


def _kill(process):
    """Kill the grading process and all it started (it leads a session of its own)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):   # not yet a session leader: the process alone
        process.kill()


def _record(job, process, seconds):
    """The grading process's record, or a crashed one that says why there is none."""
    path = Path(job.out) / "record.json"
    if process.exitcode == 0 and path.exists():
        return Record.read(path)
    log = Path(job.out).parent.parent / f"{job.student}--{job.assignment}.log"
    last = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
    why = (f"grading stopped after {seconds:.0f} s" if process.exitcode == -signal.SIGKILL
           else f"the grading process failed ({last[0][:200] if last else process.exitcode})")
    notebooks = [ungraded(name, source, Status.CRASHED, why) for name, _, source in course_notebooks(job.course, job.assignment)]
    record = Record(job.student, job.assignment, Status.CRASHED, why, notebooks, seconds=seconds)
    record.timestamp, why_no_timestamp = handed_in(job)
    return late.assess(record, job.due, late.course_policy(Path(job.course)), why_no_timestamp)


def scratch_dir():
    return tempfile.TemporaryDirectory(prefix="nngrade-batch-")
