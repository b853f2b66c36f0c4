"""A Canvas gradebook import: the CSV that Canvas's Gradebook > Import reads.

Canvas matches a row to a student by its ID, SIS User ID or SIS Login ID, never by our folder
names, and a column to an assignment by its header, "Name (canvas id)" as Canvas's own export
writes it; a header Canvas does not know makes a new assignment. So:

- with a roster (Canvas's exported gradebook CSV), each of our students is looked up by one of the
  roster's columns (`match`, SIS Login ID unless told), and their row keeps the roster's five
  student columns; an assignment goes into the roster's column of the same name (the part before
  " (id)"), else into a new column named after it. Students we graded who are not in the roster are
  returned, to be reported.
- without one, each row has our student id in the `match` column and the other student columns
  empty, and each assignment makes a new column of its name.

The second row, "Points Possible", is what Canvas's export writes there; Canvas takes new
assignments' points from it. Scores are after any late penalty, as in grades.csv; a missing
submission scores 0, as there. A name, section or header that would start a spreadsheet formula is
written with a leading apostrophe.
"""

import csv
import re
from pathlib import Path

from .text import spreadsheet_cell

STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
DEFAULT_MATCH = "SIS Login ID"
MATCH_COLUMNS = ["ID", "SIS User ID", "SIS Login ID"]
# Canvas matches rows by the id columns, so they are written as they are: ours are student ids
# (letters, digits and . _ @ + -: no formula can call a function), the roster's are Canvas's own.
TEXT_COLUMNS = ["Student", "Section"]
POINTS_ROW = "Points Possible"
_CANVAS_ID = re.compile(r"\s*\(\d+\)\s*$")


class RosterError(ValueError):
    """The roster cannot be used; the message says why."""


def write(path, records, roster=None, match=DEFAULT_MATCH):
    """The import at `path`; the students graded but not in the roster (none without one)."""
    if match not in MATCH_COLUMNS:
        raise RosterError(f"--canvas-match must be one of {', '.join(MATCH_COLUMNS)}; got {match!r}")
    assignments = sorted({record.assignment for record in records})
    max_scores = {record.assignment: record.max_score for record in records}
    scores = {(record.student, record.assignment): record.score for record in records}
    students = sorted({record.student for record in records})
    roster_rows, roster_headers = _read_roster(roster, match) if roster else ([], [])
    headers = [_column(assignment, roster_headers) for assignment in assignments]
    if roster:
        by_id = {row[match].strip(): row for row in roster_rows}
        rows = [[by_id[s].get(column, "") for column in STUDENT_COLUMNS] + [_score(scores, s, a) for a in assignments]
                for s in students if s in by_id]
        unmatched = [s for s in students if s not in by_id]
    else:
        rows = [[s if column == match else "" for column in STUDENT_COLUMNS] + [_score(scores, s, a) for a in assignments]
                for s in students]
        unmatched = []
    points = [POINTS_ROW] + [""] * (len(STUDENT_COLUMNS) - 1) + [f"{max_scores[a]:g}" for a in assignments]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(STUDENT_COLUMNS + [spreadsheet_cell(h) for h in headers])
        writer.writerow(points)
        for row in rows:
            writer.writerow([spreadsheet_cell(value) if column in TEXT_COLUMNS else value
                             for column, value in zip(STUDENT_COLUMNS, row)] + row[len(STUDENT_COLUMNS):])
    return unmatched


def _score(scores, student, assignment):
    """The score as Canvas reads it; 0 when the student has no record for the assignment (as grades.csv)."""
    return f"{scores.get((student, assignment), 0.0):g}"


def _column(assignment, roster_headers):
    """The roster's header for the assignment (its name, with Canvas's id after it), else the name."""
    return next((header for header in roster_headers if _CANVAS_ID.sub("", header) == assignment), assignment)


def _read_roster(path, match):
    """The roster's student rows (its "Points Possible" and other non-student rows left out) and headers."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            headers = list(reader.fieldnames or [])
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RosterError(f"cannot read the Canvas roster {path}: {error}") from None
    missing = [column for column in ["Student", match] if column not in headers]
    if missing:
        raise RosterError(f"the Canvas roster {path} has no column {', '.join(missing)}: export it from Canvas's "
                          "Gradebook (Export > Export Entire Gradebook)")
    # Canvas's export puts "Points Possible" (and, in some versions, a muted-assignments row) under the header.
    rows = [row for row in rows if (row.get(match) or "").strip() and not (row.get("Student") or "").strip()
            .startswith(POINTS_ROW)]
    return rows, headers
