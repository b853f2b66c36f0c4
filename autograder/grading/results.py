"""What a batch leaves behind: the gradebook, the autograded notebooks, and RESULTS_DIR.

RESULTS_DIR/grades.json    every record: each graded cell's score and maximum, the status, the reason
RESULTS_DIR/grades.csv     `nbgrader export`'s columns, written by nbgrader's own exporter
RESULTS_DIR/feedback/<student>/<assignment>/<notebook>.html   what the student may see
RESULTS_DIR/report.html, report/*.png   the class report, for the instructor (class_report)

Only this process writes the gradebook; the student's code never runs where it could.
"""

import html
import json
import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins.export import CsvExportPlugin

from . import class_report, feedback_page, hand_in, late
from .records import Record, Status

CSV_HEADER = "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score"


def missing_from_gradebook(db_url, assignments):
    """The assignments the gradebook does not know (they were never released into it)."""
    with Gradebook(db_url) as gradebook:
        known = {assignment.name for assignment in gradebook.assignments}
    return [name for name in assignments if name not in known]


def update_gradebook(db_url, course, records, scratch):
    """Each record's scores into the gradebook; its autograded notebooks into autograded/."""
    with Gradebook(db_url) as gradebook:
        for record in records:
            student, assignment = record.student, record.assignment
            try:
                hand_in.check_student_id(student)
            except hand_in.Refused:
                continue      # its record says why; the formgrader would show the name as markup
            gradebook.update_or_create_student(student)
            graded_dir = Path(course) / "autograded" / student / assignment
            shutil.rmtree(graded_dir, ignore_errors=True)   # nothing stale from an earlier grading
            if not record.handed_in:
                _remove_submission(gradebook, assignment, student)
                continue
            gradebook.update_or_create_submission(assignment, student, timestamp=record.timestamp)
            for notebook in record.notebooks:
                notebook_id = Path(notebook.notebook).stem
                # as nbgrader's AssignLatePenalties keeps it: None unless the submission is late
                gradebook.find_submission_notebook(notebook_id, assignment, student).late_submission_penalty = \
                    notebook.late_penalty if record.seconds_late > 0 else None
                for grade_id, cell in notebook.cells.items():
                    grade = gradebook.find_grade(grade_id, notebook_id, assignment, student)
                    grade.auto_score = cell.score
                    grade.needs_manual_grade = grade.manual_score is not None
            gradebook.db.commit()
            produced = Path(scratch) / student / assignment / "autograded"
            if produced.is_dir():
                shutil.copytree(produced, graded_dir)


def _remove_submission(gradebook, assignment, student):
    try:
        gradebook.remove_submission(assignment, student)
    except MissingEntry:
        pass


def write_results(out, db_url, records, scratch, seconds):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = summarise(records, seconds)
    _write_grades_json(out, summary, records)
    class_report.write(out, records)
    if not records:
        (out / "grades.csv").write_text(CSV_HEADER + "\n")
        return summary
    with Gradebook(db_url) as gradebook:
        CsvExportPlugin(to=str(out / "grades.csv"), student=sorted({r.student for r in records}),
                        assignment=sorted({r.assignment for r in records})).export(gradebook)
    for record in records:
        produced = Path(scratch) / record.student / record.assignment
        target = out / "feedback" / record.student / record.assignment
        shutil.rmtree(target, ignore_errors=True)
        if (produced / "feedback-html").is_dir():   # rendered by the grading process, in parallel
            shutil.copytree(produced / "feedback-html", target)
        else:
            render_feedback(record, produced / "feedback", target)
    return summary


def _write_grades_json(out, summary, records):
    (Path(out) / "grades.json").write_text(json.dumps({"summary": summary, "records": [r.to_json() for r in records]},
                                                      indent=1))


class ResultsUnreadable(RuntimeError):
    """A folder given as a RESULTS_DIR has no grades.json that can be read; the message says which."""


def read_grades_json(folder):
    path = Path(folder) / "grades.json"
    try:
        graded = json.loads(path.read_text())
        return graded["summary"], [Record.from_json(record) for record in graded["records"]]
    except OSError as error:
        raise ResultsUnreadable(f"{path}: {error.strerror or error} (is {folder} a RESULTS_DIR?)") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ResultsUnreadable(f"{path} is not a grades.json the grader wrote ({type(error).__name__}: "
                                f"{str(error)[:200]})") from None


def rewrite_report(folder):
    """The class report of a RESULTS_DIR again, from its grades.json alone; the page's path."""
    _, records = read_grades_json(folder)
    return class_report.write(folder, records)


def summarise(records, seconds):
    counts = {status.value: sum(r.status == status for r in records) for status in Status}
    return {"submissions": len(records), "counts": counts, "seconds": round(seconds, 1),
            "per_minute": round(60 * len(records) / seconds, 1) if seconds else None}


def render_feedback(record, produced, target):
    """An HTML page per notebook of the record: a score table, then the notebook as graded.

    The page runs no script, whatever the submission displayed: see feedback_page."""
    target.mkdir(parents=True, exist_ok=True)
    for notebook in record.notebooks:
        path = produced / notebook.notebook
        graded = nbformat.read(path, as_version=4) if path.exists() else nbformat.v4.new_notebook()
        graded.cells.insert(0, new_markdown_cell(_summary_markdown(record, notebook)))
        title = f"Feedback: {record.assignment} / {notebook.notebook}"
        (target / (Path(notebook.notebook).stem + ".html")).write_text(feedback_page.page(graded, title),
                                                                          encoding="utf-8")


def _summary_markdown(record, notebook):
    lines = [f"# Feedback: {record.assignment} / {notebook.notebook}", "",
             f"**Score: {notebook.score:g} / {notebook.max_score:g}**"
             + (f" ({notebook.raw_score:g} less a late penalty of {notebook.late_penalty:g})"
                if notebook.late_penalty else "")
             + f". Status: {notebook.status}" + (f" ({_escape(notebook.reason)})" if notebook.reason else "") + ".", "",
             *([_lateness(record), ""] if record.due else []),
             "| test | points | result |", "| --- | --- | --- |"]
    for grade_id, cell in notebook.cells.items():
        result = "passed" if cell.passed else _escape(cell.message or "failed")
        lines.append(f"| {grade_id} | {cell.score:g} / {cell.max_score:g} | {result} |")
        for case in cell.cases:
            result = "passed" if case.passed else _escape(case.message or "failed")
            lines.append(f"| &nbsp;&nbsp;{_escape(case.name)} ({case.part}) | {case.score:g} / {case.points:g} | {result} |")
    return "\n".join(lines)


def _lateness(record):
    """One line on the due date and the time of hand-in."""
    due = f"Due {_shown_time(record.due)}"
    if record.timestamp is None:
        return f"{due}; handed in without a timestamp, so no late penalty."
    handed_in = f"handed in {_shown_time(record.timestamp)}"
    if not record.seconds_late:
        return f"{due}; {handed_in}, on time."
    return f"{due}; {handed_in}, {late.how_late(record.seconds_late)} late: late penalty {record.late_penalty:g}."


def _shown_time(text):
    return late.parse_timestamp(text).strftime("%Y-%m-%d %H:%M UTC")


def _escape(text):
    """Student-made text, safe in a markdown table: no HTML, no links, no cell breaks."""
    text = " ".join(str(text).split())[:300]
    return html.escape(text).replace("|", "&#124;").replace("[", "&#91;").replace("`", "&#96;")


def print_summary(summary, log=print):
    counts = ", ".join(f"{n} {status}" for status, n in summary["counts"].items() if n)
    log(f"Graded {summary['submissions']} submissions in {summary['seconds']:.1f} s "
        f"({summary['per_minute']} per minute): {counts or 'none'}")


def merge_results(parts, out):
    """One RESULTS_DIR from the RESULTS_DIRs of shards: records, CSV rows and feedback together."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    records, seconds, header, rows = [], 0.0, None, []
    for part in map(Path, parts):
        summary, found = read_grades_json(part)
        records += found
        seconds = max(seconds, summary["seconds"])
        lines = (part / "grades.csv").read_text().splitlines()
        header = header or lines[0]
        rows += lines[1:]
        if (part / "feedback").is_dir():
            shutil.copytree(part / "feedback", out / "feedback", dirs_exist_ok=True)
    summary = summarise(records, seconds)
    _write_grades_json(out, summary, records)
    class_report.write(out, records)
    (out / "grades.csv").write_text("\n".join([header, *sorted(rows)]) + "\n")
    print_summary(summary)
    return summary
