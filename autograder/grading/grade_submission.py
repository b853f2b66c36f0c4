"""Grade one student's submission of one assignment: the record, and the notebooks to show.

Runs in a process of its own, forked for this submission alone from a warm parent
(grading_processes.py), in a mount namespace of its own. The student's code runs in a
sandboxed kernel; the test cells run here.
The record says, for every graded cell, its score and maximum, and for the submission a
status (graded, missing, invalid, timeout, crashed, tampered) with a one-line reason.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_output

from .. import cells
from . import code_scan, feedback_page, hand_in, intake, late, limits
from .judge import judge, trusted_imports
from .kernel_protocol import KernelDied
from .records import Job, NotebookRecord, Record, Status
from .results import render_feedback
from .student_kernel import StudentKernel

TOTAL_TIME_FACTOR = 5   # a submission may take at most this many times the per-cell limit in all
GRADED = "graded"       # written into the job's out folder once the cells are graded and the kernel is shut down


def course_notebooks(course, assignment):
    """[(name, release notebook, source notebook)] of an assignment."""
    folders = cells.course_folders(course)
    return [(path.name, nbformat.read(path, as_version=4),
             nbformat.read(folders.source(assignment) / path.name, as_version=4))
            for path in folders.notebooks(assignment)]


def grade(job, kernels):
    """The Record of one submission; the graded and feedback notebooks go to job.out. `kernels`: one
    forked StudentKernel per notebook of the assignment, in the order of their names."""
    started = time.monotonic()
    course, folder, out = Path(job.course), Path(job.submission), Path(job.out)
    out.mkdir(parents=True, exist_ok=True)
    notebooks, reasons = [], []
    try:
        hand_in.check_student_id(job.student)
        hand_in.check_folder(job.submissions, folder)
        refused = None
    except hand_in.Refused as problem:
        refused = str(problem)
    for (name, release, source), kernel in zip(course_notebooks(course, job.assignment), kernels):
        if refused:
            notebook = ungraded(name, source, Status.INVALID, refused)
        else:
            notebook = _grade_notebook(folder / name, release, source, job, kernel)
        kernel.shutdown()
        _remove(kernel.scratch)
        notebooks.append(notebook)
        if notebook.reason:
            reasons.append(notebook.reason if len(notebooks) == 1 else f"{name}: {notebook.reason}")
    extras = sorted(p.name for p in folder.glob("*.ipynb") if p.name not in {n.notebook for n in notebooks}) \
        if folder.is_dir() and not refused else []
    if extras:
        reasons.append(f"not graded, not part of the assignment: {', '.join(extras)}")
    record = Record(job.student, job.assignment, Status.worst(n.status for n in notebooks),
                    "; ".join(reasons) or "all cells graded", notebooks)
    record.timestamp, why_no_timestamp = handed_in(job)
    late.assess(record, job.due, late.course_policy(course), why_no_timestamp)
    record.seconds = time.monotonic() - started
    return record


def handed_in(job):
    """(the submission's ISO timestamp, None) or (None, why it has none): the instructor's, else timestamp.txt."""
    if job.handed_in:
        return job.handed_in, None
    try:
        hand_in.check_student_id(job.student)
        hand_in.check_folder(job.submissions, job.submission)
    except hand_in.Refused:
        return None, "the folder was not read"
    return late.read_timestamp(job.submission)


def fork_kernels(job):
    """A kernel for each notebook of the assignment, forked into its sandbox now: before this process reads
    any of the course's notebooks, so that no kernel starts with a solution or a hidden test in its memory
    (the warm parent imports no hidden test; grading_processes.py). They start while this process reads
    the submission."""
    names = cells.course_folders(job.course).notebooks(job.assignment)
    kernels = []
    for _ in names:
        kernel = StudentKernel(tempfile.mkdtemp(prefix="nngrade-", dir=job.disk), job.readable,
                               job.memory_mb, job.timeout, job.max_processes, job.cgroup_procs)
        kernel.fork()
        kernels.append(kernel)
    return kernels


def ungraded(name, source, status, reason):
    """A notebook's record with every test cell of the course's `source` notebook at zero."""
    return NotebookRecord.ungraded(name, {grade_id: points for grade_id, (points, _) in cells.test_cells(source).items()},
                                   status, reason)


def _grade_notebook(path, release, source, job, kernel):
    record = ungraded(path.name, source, Status.GRADED, "")
    if not os.path.lexists(path):
        record.ended(Status.MISSING, f"no {path.name} in the submission")
        return record
    try:
        submitted, version = intake.read_notebook(path, job.max_notebook_mb * 2**20)
    except intake.Unreadable as problem:
        record.ended(Status.INVALID, str(problem))
        return record
    built = intake.rebuild(submitted, release)
    if version == 3:
        built.notes.insert(0, "converted from nbformat 3")
    _run(built, source, record, job, kernel)
    return record


def _run(built, source, record, job, kernel):
    """Run the rebuilt notebook cell by cell in the kernel, judge its test cells, and say how it ended."""
    tests = cells.test_cells(source)
    source_dir = cells.course_folders(job.course).source(job.assignment)
    findings = [f"{finding}" for cell in built.cells if cell.cell_type == "code" and not cells.is_test(cell)
                for finding in code_scan.scan(cells.source(cell))]
    if str(source_dir) not in sys.path:
        sys.path.insert(0, str(source_dir))  # the course's helper modules, for the course's own imports
    trusted = trusted_imports(cells.course_code(source))
    outcome_counts, test_namespace, memory, crowded = {}, {}, [], []
    stopped = None
    try:
        built.notes.extend(_prepare_workdir(kernel.workdir, Path(job.submission), source_dir))
    except OSError as error:
        stopped = _disk_stop("the submission's own files", job) or \
            ("crashed", f"the submission's files could not be copied ({error.strerror})")
    deadline = time.monotonic() + job.timeout * TOTAL_TIME_FACTOR
    try:
        if stopped is None:
            kernel.start()
        for index, cell in enumerate(built.cells):
            if cell.cell_type != "code":
                continue
            if stopped is None and time.monotonic() > deadline:
                stopped = ("timeout", f"stopped after {job.timeout * TOTAL_TIME_FACTOR:g} s in all")
            if cells.is_test(cell):
                grade_id = cells.grade_id(cell)
                _judge_cell(cell, tests[grade_id][1], record.cells[grade_id], kernel, trusted, test_namespace,
                            stopped, outcome_counts)
                if stopped is None and not kernel.is_alive():
                    stopped = ("timeout", f"the test {grade_id} ran past {job.timeout:g} s and the kernel "
                                          "ignored the interrupt") if outcome_counts.get("timeout") else \
                              ("crashed", f"the kernel died in the test {grade_id}")
                stopped = stopped or _disk_stop(f"the test {grade_id}", job)
                continue
            if stopped is not None:
                continue
            cell.outputs, outcome = kernel.run(cells.source(cell))
            outcome_counts[outcome] = outcome_counts.get(outcome, 0) + 1
            if any(output.get("ename") == "MemoryError" for output in cell.outputs) and not memory:
                memory.append(f"cell {index + 1} ran out of memory (the limit is {job.memory_mb} MB)")
            if outcome == "died":
                stopped = ("crashed", f"the kernel died in cell {index + 1} (os._exit, a crash, "
                                      f"or the memory limit of {job.memory_mb} MB)")
            elif outcome == "timeout" and not kernel.is_alive():
                stopped = ("timeout", f"cell {index + 1} ran past {job.timeout:g} s and ignored the interrupt")
            elif outcome == "timeout":
                cell.outputs.append(new_output("error", ename="TimeoutError", traceback=[],
                                               evalue=f"interrupted after {job.timeout:g} s"))
            stopped = stopped or _disk_stop(f"cell {index + 1}", job)
            if not job.cgroup_procs and kernel.tasks() >= job.max_processes - 2:
                crowded.append(index + 1)
    except KernelDied as error:
        stopped = ("crashed", f"{error}")
    processes = _processes_refused(job, crowded)
    built.tampering.extend(findings + kernel.suspicious)
    # The first that applies says how the notebook ended: what stopped its grading before what merely went wrong.
    if built.tampering:
        record.ended(Status.TAMPERED, _first_few(built.tampering))
    elif stopped is not None:
        record.ended(*stopped)
    elif memory:
        record.ended(Status.CRASHED, memory[0])
    elif processes:
        record.ended(Status.CRASHED, processes)
    elif outcome_counts.get("timeout"):
        record.ended(Status.TIMEOUT, f"{outcome_counts['timeout']} cell(s) interrupted after {job.timeout:g} s")
    record.reason = "; ".join(part for part in (record.reason, *built.notes) if part)
    _write_notebooks(built, tests, record.notebook, Path(job.out))


def _remove(folder):
    """Remove a scratch folder, whatever the student left in it (on the submission's tmpfs, which goes
    with this process anyway: a tree nested deeper than Python's recursion limit is left to it)."""
    try:
        shutil.rmtree(folder, ignore_errors=True)
    except RecursionError:
        pass


def _disk_stop(where, job):
    """("crashed", why) if the submission's disk is full after `where`, else None."""
    if not limits.disk_full(job.disk):
        return None
    return ("crashed", f"{where} filled the submission's disk space (the limit is {job.disk_mb} MB for its "
                       "folder and temporary files); the tests after it were not run")


def _processes_refused(job, crowded):
    """Why the process limit was reached, or "". The cgroup counts refusals; without one (RLIMIT_NPROC),
    `crowded` lists the cells after which the kernel's processes and threads were at the limit."""
    limit = f"the limit is {job.max_processes} processes and threads at once"
    procs = job.cgroup_procs
    if procs:
        refused = limits.ProcessCgroup(Path(procs).parent).refused()
        return f"the notebook reached the process limit ({limit}; {refused} starts refused)" if refused else ""
    return f"cell {crowded[0]} reached the process limit ({limit})" if crowded else ""


def _first_few(findings, shown=3):
    """One line from many findings: the first few distinct ones, and how many more."""
    distinct = list(dict.fromkeys(findings))
    more = len(distinct) - shown
    return "; ".join(distinct[:shown]) + (f"; and {more} more" if more > 0 else "")


def _judge_cell(cell, full, result, kernel, trusted, namespace, stopped, outcome_counts):
    """Judge the test cell `cell` by the course's `full` one (visible and hidden parts) into `result`."""
    if stopped is not None:
        result.message = f"not run: {stopped[1]}"
    else:
        verdict = judge(cells.source(full), kernel, trusted, namespace, cells.grade_id(full))
        outcome_counts[verdict.outcome] = outcome_counts.get(verdict.outcome, 0) + 1
        result.judged(verdict.passed, verdict.message, verdict.part, verdict.cases)
        if verdict.printed:
            cell.outputs.append(new_output("stream", name="stdout", text=verdict.printed[-20000:]))
    if not result.passed:
        where = "Failed a hidden test" if result.failed_in == "hidden" else "Failed"
        cell.outputs.append(new_output("error", ename=where, evalue=result.message,
                                       traceback=[f"{where}: {result.message}"]))


def _prepare_workdir(workdir, submission, source_dir):
    """The submission's own files (regular files only), then the course's helper files over them;
    a note naming what was left out."""
    kept, left_out = hand_in.regular_files(submission, hand_in.MAX_OTHER_FILE_MB * 2**20) if submission.is_dir() else ([], [])
    for relative, path in kept:
        if path.suffix != ".ipynb":
            (workdir / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, workdir / relative, follow_symlinks=False)
    for helper in source_dir.iterdir():
        if helper.is_file() and helper.suffix != ".ipynb":
            shutil.copyfile(helper, workdir / helper.name)
    return [f"not copied to the work folder: {', '.join(left_out)}"] if left_out else []


def _write_notebooks(built, tests, name, out):
    """autograded/NAME: the course's full test cells; feedback/NAME: only what the student may see.

    Both keep of each code cell's outputs only what a feedback page may show, their HTML sanitised
    (feedback_page.show_outputs_safely): the formgrader's Manual Grading shows the autograded notebook
    in the instructor's origin, without a policy against script. The cells' ids, nbgrader metadata and
    sources, by which the gradebook and the formgrader match them, are left as they are."""
    for cell in built.cells:
        if cell.get("cell_type") == "code":
            feedback_page.show_outputs_safely(cell)
    graded = nbformat.v4.new_notebook(cells=built.cells)
    graded.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    feedback = nbformat.from_dict(json.loads(nbformat.writes(graded)))
    for cell in graded.cells:
        if cells.is_test(cell):
            cell.source = tests[cells.grade_id(cell)][1].source
    (out / "autograded").mkdir(exist_ok=True)
    (out / "feedback").mkdir(exist_ok=True)
    nbformat.write(graded, out / "autograded" / name)
    nbformat.write(feedback, out / "feedback" / name)


def main(job_file):
    """Grade the job in JOB_FILE: out/record.json, the notebooks and the feedback pages. The process must
    be in a mount namespace of its own (limits.enter_private_mounts): the submission's disk is mounted in it."""
    job = Job.read(job_file)
    os.chdir(job.course)
    limits.mount_disk(job.disk, job.disk_mb)
    record = grade(job, fork_kernels(job))
    Path(job.out, GRADED).touch()   # the kernel is gone: the batch may start the next submission's
    render_feedback(record, Path(job.out) / "feedback", Path(job.out) / "feedback-html")
    record.write(Path(job.out) / "record.json")
