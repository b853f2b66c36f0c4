"""The results in the formats other systems read: a Canvas gradebook import, Gradescope's results.json,
GitHub Classroom's autograding results. Each is written into RESULTS_DIR from the records alone.

RESULTS_DIR/canvas.csv                                   a Canvas gradebook import (canvas.py)
RESULTS_DIR/gradescope/<student>/<assignment>/results.json   Gradescope's results of one submission
RESULTS_DIR/classroom/<student>.json                     what GitHub Classroom's grading reporter reads
"""

from pathlib import Path

from .. import hand_in
from ..results import read_grades_json
from . import canvas, classroom, gradescope

FORMATS = ("canvas", "gradescope", "classroom")


class ExportRefused(ValueError):
    """The export cannot be written as asked; the message says what to fix."""


def check_options(formats, canvas_roster=None, canvas_match=canvas.DEFAULT_MATCH):
    """Refuse, before any grading, what the exports could not write."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ExportRefused(f"no such format: {', '.join(unknown)} (the formats are {', '.join(FORMATS)})")
    if canvas_roster and "canvas" not in formats:
        raise ExportRefused("--canvas-roster is for --format canvas")
    if canvas_roster and not Path(canvas_roster).is_file():
        raise ExportRefused(f"--canvas-roster {canvas_roster}: no such file (export it from Canvas's Gradebook)")
    if canvas_match not in canvas.MATCH_COLUMNS:
        raise ExportRefused(f"--canvas-match must be one of {', '.join(canvas.MATCH_COLUMNS)}; got {canvas_match!r}")


def export_results(folder, formats, canvas_roster=None, canvas_match=canvas.DEFAULT_MATCH, log=print):
    """The exports of a results folder already written (by grade or merge), from its grades.json."""
    _, records = read_grades_json(folder)    # ResultsUnreadable says what is wrong with the folder
    write_exports(folder, records, formats, canvas_roster, canvas_match, log)


def write_exports(out, records, formats, canvas_roster=None, canvas_match=canvas.DEFAULT_MATCH, log=print):
    """Each of `formats` into the results folder `out`; what each wrote, logged."""
    out = Path(out)
    check_options(formats, canvas_roster, canvas_match)
    named, refused = exportable(records)
    if refused:
        log(f"Not exported (not a student id): {', '.join(map(repr, refused))}")
    records = named
    for name in dict.fromkeys(formats):
        if name == "canvas":
            try:
                unmatched = canvas.write(out / "canvas.csv", records, canvas_roster, canvas_match)
            except canvas.RosterError as error:
                raise ExportRefused(str(error)) from None
            log(f"Canvas gradebook import: {out / 'canvas.csv'}"
                + (f"; not in the roster, so left out: {', '.join(unmatched)}" if unmatched else ""))
            if not canvas_roster:
                log(f"  (no --canvas-roster: each row names the student only by {canvas_match}; see README)")
        elif name == "gradescope":
            for record in records:
                gradescope.write(out / "gradescope" / record.student / record.assignment / "results.json", record)
            log(f"Gradescope results: {out / 'gradescope'}/<student>/<assignment>/results.json")
        else:
            for student, theirs in classroom.by_student(records).items():
                classroom.write(out / "classroom" / f"{student}.json", theirs)
            log(f"GitHub Classroom results: {out / 'classroom'}/<student>.json")


def exportable(records):
    """(the records whose student is a student id, the names that are not): a folder name becomes a
    file name and a gradebook row here, so only the names the gradebook takes are exported."""
    named, refused = [], []
    for record in records:
        try:
            hand_in.check_student_id(record.student)
            named.append(record)
        except hand_in.Refused:
            refused.append(record.student)
    return named, sorted(set(refused))
