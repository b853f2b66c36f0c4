"""Late hand-ins: when each was handed in, when it was due, and the points a late one loses.

- The due date is nbgrader's: the gradebook's Assignment.duedate (`nbgrader db assignment add NAME
  --duedate ...`, or the formgrader's Manage Assignments page), plus the student's extension, if
  the gradebook gives one.
- The time of hand-in is the instructor's, given with `grade --timestamps FILE`, if it names the
  submission; else nbgrader's timestamp.txt in the submission's folder. Both timestamp.txt and a
  Git commit's date are written by the student: only the instructor's file (a collection time, a
  push time) is a time a student cannot set.
- The policy is nbgrader's: the plugin named by `c.AssignLatePenalties.plugin_class` in
  nbgrader_config.py, asked once per notebook for the points a late notebook loses, as nbgrader's
  AssignLatePenalties asks it (a penalty is at least 0 and at most the notebook's score). nbgrader's
  own LateSubmissionPlugin takes nothing off ("none") or everything ("zero"); PercentPerDayLate,
  below, takes a percentage per day late, up to a cap.

A timestamp that is missing, a link, too long, not a date or names no known time zone counts as no
timestamp: no penalty, and the record's reason says so. A date in the future is taken as it is
(it can only be later than the due date).
"""

import csv
import functools
import math
import os
import re
from datetime import timedelta, timezone
from pathlib import Path

from dateutil.tz import gettz
from nbgrader.api import Gradebook
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import AssignLatePenalties
from nbgrader.utils import parse_utc
from traitlets import Float

from .. import cells
from . import hand_in

TIMESTAMP_FILE = "timestamp.txt"
MAX_TIMESTAMP = 64      # characters; nbgrader's own are about 30
# A zone after the date is a name (UTC, CET, Europe/London) or an offset: never a path, since dateutil
# looks a name up as a file.
_ZONE = re.compile(r"[A-Za-z][A-Za-z_]*(/[A-Za-z_]+)*")
_OFFSET = re.compile(r"[+-]\d{2}:?\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
DAY = 86400


class BadTimestamp(ValueError):
    """Not a time this module takes; the message says why."""


class PercentPerDayLate(LateSubmissionPlugin):
    """A percentage of the notebook's score off for every day or part of a day late, up to a cap."""

    percent_per_day = Float(10.0, help="percent of the notebook's score taken off per day late (a started "
                                       "day counts as a day)").tag(config=True)
    max_percent = Float(100.0, help="the most taken off, in percent of the notebook's score").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days = math.ceil(total_seconds_late / DAY)
        return score * min(self.max_percent, self.percent_per_day * days) / 100


def parse_timestamp(text):
    """A timestamp as nbgrader writes and reads it ("2026-01-10 12:00:00.123456 UTC", or ISO 8601), as an
    aware UTC datetime. No zone means UTC, as in nbgrader."""
    text = str(text).strip()
    if not text or len(text) > MAX_TIMESTAMP:
        raise BadTimestamp("empty" if not text else f"longer than {MAX_TIMESTAMP} characters")
    if not _DATE_TIME.match(text):
        raise BadTimestamp("not a date and time (YYYY-MM-DD HH:MM...)")
    parts = text.split(" ")
    if len(parts) == 3:
        if _OFFSET.fullmatch(parts[2]):     # nbgrader's parse_utc would take +0530 for 530 seconds
            text = parts[0] + " " + parts[1] + parts[2]
        elif not _ZONE.fullmatch(parts[2]) or gettz(parts[2]) is None:
            raise BadTimestamp(f"{parts[2][:20]!r} is not a known time zone")
    try:
        parsed = parse_utc(text)
    except (ValueError, OverflowError, TypeError, AttributeError) as error:
        raise BadTimestamp(f"not a date ({type(error).__name__})") from None
    return parsed.replace(tzinfo=timezone.utc)


def iso(moment):
    return moment.isoformat() if moment else None


def read_timestamp(folder):
    """(the ISO timestamp of the hand-in's timestamp.txt, None) or (None, why there is none)."""
    path = Path(folder) / TIMESTAMP_FILE
    if not os.path.lexists(path):
        return None, f"no {TIMESTAMP_FILE}"
    try:
        return iso(parse_timestamp(hand_in.read_file(path, 1024).decode("utf-8"))), None
    except hand_in.Refused as refused:
        return None, f"{TIMESTAMP_FILE} not read: {refused}"
    except (UnicodeDecodeError, BadTimestamp) as error:
        why = "not text" if isinstance(error, UnicodeDecodeError) else str(error)
        return None, f"{TIMESTAMP_FILE} is not a timestamp: {why}"


def read_timestamps_file(path):
    """{(student, assignment): ISO timestamp} from the instructor's CSV of student,assignment,timestamp
    (a header line with those names is allowed). A line that is not that raises BadTimestamp."""
    given = {}
    with open(path, newline="", encoding="utf-8") as file:
        for number, row in enumerate(csv.reader(file), 1):
            if not row or (number == 1 and [cell.strip() for cell in row] == ["student", "assignment", "timestamp"]):
                continue
            if len(row) != 3:
                raise BadTimestamp(f"{path} line {number}: wants student,assignment,timestamp; got {len(row)} fields")
            student, assignment, text = (cell.strip() for cell in row)
            try:
                given[student, assignment] = iso(parse_timestamp(text))
            except BadTimestamp as error:
                raise BadTimestamp(f"{path} line {number}: the timestamp {text[:80]!r} is {error}") from None
    return given


class Deadlines:
    """When each assignment is due for each student, and the instructor's timestamps."""

    def __init__(self, db_url, assignments, given=None):
        self.given = dict(given or {})
        self.due_dates, self.extensions = {}, {}
        with Gradebook(db_url) as gradebook:
            for name in assignments:
                assignment = gradebook.find_assignment(name)
                self.due_dates[name] = assignment.duedate
                for submission in assignment.submissions:
                    if submission.extension:
                        self.extensions[name, submission.student_id] = submission.extension

    def due(self, student, assignment):
        """The ISO due date of the assignment for the student (with an extension), or None."""
        due = self.due_dates.get(assignment)
        if due is None:
            return None
        return iso(due.replace(tzinfo=timezone.utc) + self.extensions.get((assignment, student), timedelta()))

    def handed_in(self, student, assignment):
        """The instructor's ISO timestamp of the submission, or None."""
        return self.given.get((student, assignment))


@functools.cache
def course_policy(root):
    """The late-submission plugin nbgrader_config.py names (nbgrader's LateSubmissionPlugin by default),
    configured as nbgrader configures it."""
    assigner = AssignLatePenalties(config=cells.course_config(root))
    assigner.init_plugin()
    return assigner.plugin_inst


def assess(record, due, policy, why_no_timestamp=None):
    """Fill the record's due date, lateness and each notebook's late penalty; say in its reason when it
    has no timestamp to check against the due date."""
    record.due = due
    record.seconds_late = 0.0
    for notebook in record.notebooks:
        notebook.late_penalty = 0.0
    if due is None:
        return record
    if record.timestamp is None:
        if record.handed_in:
            record.reason += f"; no late penalty: no timestamp ({why_no_timestamp or 'none given'})"
        return record
    record.seconds_late = max(0.0, (parse_timestamp(record.timestamp) - parse_timestamp(due)).total_seconds())
    if record.seconds_late > 0:
        for notebook in record.notebooks:
            notebook.late_penalty = _penalty(policy, record.student, notebook.raw_score, record.seconds_late)
        record.reason += f"; handed in {how_late(record.seconds_late)} late" + \
            (f", {record.late_penalty:g} points off" if record.late_penalty else "")
    return record


def _penalty(policy, student, score, seconds_late):
    """The plugin's penalty, kept between 0 and the score as nbgrader's AssignLatePenalties keeps it."""
    penalty = policy.late_submission_penalty(student, score, seconds_late)
    return 0.0 if penalty is None or math.isnan(penalty) else float(min(max(penalty, 0.0), score))


def how_late(seconds):
    """"2 days 3 h", "5 h 10 min", "40 min", "12 s"."""
    days, rest = divmod(int(seconds), DAY)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} day{'s' * (days != 1)} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min" if minutes else f"{secs} s"
