"""Late hand-ins: the policy's arithmetic, timestamps from the student and from the instructor, and the
raw score, the penalty and the final score in grades.json, the feedback, grades.csv, the gradebook and
`nbgrader export`; and a partial cell score reaching the gradebook unchanged."""

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from nbgrader.api import Gradebook
from nbgrader.plugins import LateSubmissionPlugin

import grading_course
from autograder.grading import late, results
from autograder.grading.records import CellResult, NotebookRecord, Record, Status
from course_layout import ROOT
from grading_course import FIXTURE, FIXTURE_COURSE, fixture_course, grade
from page_check import Page
from tiers import marks_its_users

DUE = "2026-01-10 12:00:00 UTC"
HOUR, DAY = 3600, 86400
NBGRADER_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"     # nbgrader's Exchange.timestamp_format, as submit writes it
NOTEBOOK = "sigmoid.ipynb"
TOTAL = grading_course.total_points(FIXTURE, FIXTURE_COURSE)    # 3: basic_sigmoid_tests 1, sigmoid_tests 2
WRONG_SIGMOID = "def sigmoid(x):\n    return 1 / (1 - np.exp(-x))\n"


def after_due(seconds):
    """nbgrader's timestamp.txt `seconds` after the due date (before it, if negative)."""
    due = late.parse_timestamp(DUE)
    return datetime.fromtimestamp(due.timestamp() + seconds, timezone.utc).strftime(NBGRADER_FORMAT)


def a_record(timestamp, scores=(1.0, 2.0), student="s"):
    cells = {"basic_sigmoid_tests": CellResult(1.0, scores[0], scores[0] == 1.0),
             "sigmoid_tests": CellResult(2.0, scores[1], scores[1] == 2.0)}
    return Record(student, FIXTURE, Status.GRADED, "all cells graded",
                  [NotebookRecord(NOTEBOOK, Status.GRADED, "", cells)], timestamp=timestamp)


def percent_per_day(percent=10, cap=50):
    return late.PercentPerDayLate(percent_per_day=percent, max_percent=cap)


# ---------------------------------------------------------------- the policy, without grading

@pytest.mark.parametrize("seconds_late, percent", [
    (1, 10), (HOUR, 10), (DAY, 10), (DAY + 1, 20), (3 * DAY, 30), (5 * DAY, 50), (40 * DAY, 50), (10**12, 50)])
def test_percent_per_day_counts_a_started_day_and_stops_at_the_cap(seconds_late, percent):
    assert percent_per_day().late_submission_penalty("s", 8.0, seconds_late) == pytest.approx(8.0 * percent / 100)


def test_the_course_configures_its_policy_as_nbgrader_configures_plugins():
    policy = late.course_policy(ROOT)
    assert isinstance(policy, late.PercentPerDayLate) and isinstance(policy, LateSubmissionPlugin)
    assert (policy.percent_per_day, policy.max_percent) == (10, 50)


@pytest.mark.parametrize("seconds, penalty, note", [
    (-60, 0.0, None), (0, 0.0, None), (HOUR, 0.3, "handed in 1 h 0 min late, 0.3 points off"),
    (2 * DAY + HOUR, 0.9, "handed in 2 days 1 h late, 0.9 points off"), (30 * DAY, 1.5, "handed in 30 days 0 h late")])
def test_on_time_late_and_very_late_records(seconds, penalty, note):
    record = late.assess(a_record(late.iso(late.parse_timestamp(after_due(seconds)))), late.iso(late.parse_timestamp(DUE)),
                         percent_per_day())
    assert record.seconds_late == max(0, seconds)
    assert (record.raw_score, record.late_penalty, record.score) == pytest.approx((TOTAL, penalty, TOTAL - penalty))
    assert record.notebooks[0].late_penalty == pytest.approx(penalty)
    assert (note or "late") in record.reason if note else record.reason == "all cells graded"
    data = record.to_json()
    assert (data["raw_score"], data["late_penalty"], data["score"]) == pytest.approx((TOTAL, penalty, TOTAL - penalty))


def test_no_timestamp_means_no_penalty_and_the_reason_says_why():
    record = late.assess(a_record(None), late.iso(late.parse_timestamp(DUE)), percent_per_day(), "no timestamp.txt")
    assert record.late_penalty == 0 and record.score == TOTAL
    assert record.reason == "all cells graded; no late penalty: no timestamp (no timestamp.txt)"


def test_without_a_due_date_nothing_is_late():
    record = late.assess(a_record(after_due(100 * DAY)), None, percent_per_day())
    assert (record.due, record.seconds_late, record.late_penalty) == (None, 0.0, 0.0)
    assert record.reason == "all cells graded"


@pytest.mark.parametrize("method, penalty", [("zero", TOTAL - 1), ("none", 0.0)])
def test_nbgraders_own_policies(method, penalty):
    record = late.assess(a_record(late.iso(late.parse_timestamp(after_due(1))), scores=(1.0, 0.0)),
                         late.iso(late.parse_timestamp(DUE)), LateSubmissionPlugin(penalty_method=method))
    assert record.raw_score == 1 and record.late_penalty == pytest.approx(1 if method == "zero" else 0)
    assert record.score == (0 if method == "zero" else 1)


class Greedy(LateSubmissionPlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return {"a": 1000.0, "b": -5.0, "c": float("nan")}[student_id]


@pytest.mark.parametrize("student, penalty", [("a", 3.0), ("b", 0.0), ("c", 0.0)])
def test_a_penalty_is_kept_between_zero_and_the_score_as_nbgrader_keeps_it(student, penalty):
    record = late.assess(a_record(late.iso(late.parse_timestamp(after_due(5))), student=student),
                         late.iso(late.parse_timestamp(DUE)), Greedy())
    assert record.late_penalty == penalty and 0 <= record.score <= TOTAL


# ---------------------------------------------------------------- timestamps

@pytest.mark.parametrize("text, expected", [
    (datetime(2026, 1, 10, 12, 0, 0, 5, timezone.utc).strftime(NBGRADER_FORMAT), "2026-01-10T12:00:00.000005+00:00"),
    ("2026-01-10 13:00:00 +0100", "2026-01-10T12:00:00+00:00"),
    ("2026-01-10T07:00:00-05:00", "2026-01-10T12:00:00+00:00"),
    ("2026-01-10 12:00:00 Europe/London", "2026-01-10T12:00:00+00:00"),
    ("2026-01-10 12:00:00", "2026-01-10T12:00:00+00:00"),
    ("  2026-01-10T12:00Z\n", "2026-01-10T12:00:00+00:00"),
])
def test_nbgraders_timestamps_and_iso_8601_are_read_in_utc(text, expected):
    assert late.iso(late.parse_timestamp(text)) == expected


@pytest.mark.parametrize("text", [
    "", "garbage", "yesterday", "1", "2026", "2026-13-45 10:00", "2026-01-10 25:00:00", "2026-01-10 12:00:00 Nowhere",
    "2026-01-10 12:00:00 ../../../etc/localtime", "2026-01-10 12:00:00 /dev/zero", "0001-01-01 00:00:00 +1400",
    "2026-01-10 12:00:00" + " " * 60 + "UTC", "2026-01-10 12:00:00 UTC; rm -rf /", "9" * 10**6, "\x00" * 40,
])
def test_a_garbled_or_huge_timestamp_is_refused_with_a_reason(text):
    with pytest.raises(late.BadTimestamp) as refused:
        late.parse_timestamp(text)
    assert str(refused.value) and len(str(refused.value)) < 120


def test_a_far_future_timestamp_is_taken_as_it_is_and_only_makes_the_hand_in_later():
    record = late.assess(a_record(late.iso(late.parse_timestamp("9999-12-31 23:59:59"))),
                         late.iso(late.parse_timestamp(DUE)), percent_per_day())
    assert record.seconds_late > 10**11 and record.score == pytest.approx(TOTAL / 2)


def test_timestamp_txt_is_read_only_when_it_is_a_small_regular_file_holding_a_date(tmp_path):
    assert late.read_timestamp(tmp_path) == (None, "no timestamp.txt")
    (tmp_path / "timestamp.txt").write_text(after_due(60) + "\n")
    assert late.read_timestamp(tmp_path) == (late.iso(late.parse_timestamp(after_due(60))), None)
    for content, why in [(b"not a date", "timestamp.txt is not a timestamp: not a date and time"),
                         (b"\xff\xfe2026", "timestamp.txt is not a timestamp: not text"),
                         (b"2" * 5000, "timestamp.txt not read: timestamp.txt is 5000 bytes; the limit is 1024 bytes")]:
        (tmp_path / "timestamp.txt").write_bytes(content)
        timestamp, reason = late.read_timestamp(tmp_path)
        assert timestamp is None and reason.startswith(why), reason
    (tmp_path / "timestamp.txt").unlink()
    (tmp_path / "elsewhere.txt").write_text(after_due(-60))
    (tmp_path / "timestamp.txt").symlink_to(tmp_path / "elsewhere.txt")
    assert late.read_timestamp(tmp_path) == (None, "timestamp.txt not read: timestamp.txt is a link; links are not followed")
    (tmp_path / "timestamp.txt").unlink()
    os.mkfifo(tmp_path / "timestamp.txt")   # a read would wait forever
    assert late.read_timestamp(tmp_path)[1].startswith("timestamp.txt not read: timestamp.txt is a FIFO")


def test_the_instructors_timestamps_file(tmp_path):
    path = tmp_path / "timestamps.csv"
    path.write_text("student,assignment,timestamp\nann,a1,2026-01-10 12:00:00 UTC\n\n"
                    "bob,a1,2026-01-10T13:00:00+01:00\n")
    assert late.read_timestamps_file(path) == {("ann", "a1"): "2026-01-10T12:00:00+00:00",
                                               ("bob", "a1"): "2026-01-10T12:00:00+00:00"}
    for text, why in [("ann,a1\n", "line 1: wants student,assignment,timestamp; got 2 fields"),
                      ("ann,a1,2026-01-10 12:00\nbob,a1,soon\n", "line 2: the timestamp 'soon' is not a date")]:
        path.write_text(text)
        with pytest.raises(late.BadTimestamp, match=why):
            late.read_timestamps_file(path)


# ---------------------------------------------------------------- the gradebook, without grading

def _export(course):
    exported = course / "export.csv"
    subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(exported)], cwd=course, check=True,
                   capture_output=True)
    return {row["student_id"]: row for row in csv.DictReader(io.StringIO(exported.read_text()))}


def _ours(out):
    return {row["student_id"]: row for row in csv.DictReader(io.StringIO((out / "grades.csv").read_text()))}


def _set_due_date(course, due=DUE):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        gradebook.update_or_create_assignment(FIXTURE, duedate=due)


def test_a_partial_cell_score_and_a_late_penalty_reach_the_gradebook_grades_csv_and_nbgrader_export(tmp_path):
    """Records built here, as the judge and the late policy would leave them: a test cell with 1.5 of its
    2 points, and a late hand-in's penalty."""
    course = fixture_course(tmp_path / "course")
    _set_due_date(course)
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    partial = late.assess(a_record(late.iso(late.parse_timestamp(after_due(-5))), scores=(0.0, 1.5), student="partial"),
                          late.iso(late.parse_timestamp(DUE)), percent_per_day())
    tardy = late.assess(a_record(late.iso(late.parse_timestamp(after_due(DAY + 1))), student="tardy"),
                        late.iso(late.parse_timestamp(DUE)), percent_per_day())
    untimed = late.assess(a_record(None, student="untimed"), late.iso(late.parse_timestamp(DUE)), percent_per_day(),
                          "no timestamp.txt")
    records = [partial, tardy, untimed]
    scratch, out = tmp_path / "scratch", tmp_path / "out"
    scratch.mkdir()
    results.update_gradebook(db_url, course, records, scratch)
    results.write_results(out, db_url, records, scratch, 1.0)
    with Gradebook(db_url) as gradebook:
        assert gradebook.find_grade("sigmoid_tests", "sigmoid", FIXTURE, "partial").auto_score == 1.5
        assert gradebook.find_submission(FIXTURE, "partial").score == 1.5
        assert gradebook.find_submission_notebook("sigmoid", FIXTURE, "tardy").late_submission_penalty == \
            pytest.approx(0.6)
        assert gradebook.find_submission(FIXTURE, "tardy").total_seconds_late == DAY + 1
        assert gradebook.find_submission(FIXTURE, "untimed").timestamp is None
    expected = {"partial": (1.5, 0.0, 1.5), "tardy": (3.0, 0.6, 2.4), "untimed": (3.0, 0.0, 3.0)}
    for rows in (_ours(out), _export(course)):
        for student, (raw, penalty, score) in expected.items():
            row = rows[student]
            assert (float(row["raw_score"]), float(row["late_submission_penalty"] or 0), float(row["score"])) == \
                pytest.approx((raw, penalty, score)), row
    exported = _export(course)
    assert all(exported[student] == row for student, row in _ours(out).items())
    tardy_page = Page((out / "feedback" / "tardy" / FIXTURE / "sigmoid.html").read_text()).text
    assert "Score: 2.4 / 3 (3 less a late penalty of 0.6)" in tardy_page
    assert "Due 2026-01-10 12:00 UTC; handed in 2026-01-11 12:00 UTC, 1 day 0 h late: late penalty 0.6." in tardy_page
    untimed_page = Page((out / "feedback" / "untimed" / FIXTURE / "sigmoid.html").read_text()).text
    assert "handed in without a timestamp, so no late penalty" in untimed_page and "Score: 3 / 3" in untimed_page


# ---------------------------------------------------------------- grading

STUDENTS = {   # student: (timestamp.txt, the instructor's timestamp or None, the penalty in points)
    "on_time": (after_due(-HOUR), None, 0.0),
    "late": (after_due(HOUR), None, 0.3),
    "very_late": (after_due(30 * DAY), None, 1.5),
    "no_timestamp": (None, None, 0.0),
    "garbled": ("\x00\x01 next tuesday", None, 0.0),
    "future": ("2999-01-01 00:00:00 UTC", None, 1.5),
    "backdated": (after_due(-30 * DAY), "2026-01-12 12:00:00 UTC", 0.6),   # the instructor's time wins
    "collected_on_time": (after_due(5 * DAY), "2026-01-10 11:00:00 UTC", 0.0),
}


@pytest.fixture(scope="module")
@marks_its_users("grading")
def graded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("late")
    course = fixture_course(tmp_path / "course")
    _set_due_date(course)
    submissions, out = tmp_path / "submitted", tmp_path / "out"
    given = []
    for student, (timestamp, instructors, _) in STUDENTS.items():
        files = {"timestamp.txt": timestamp} if timestamp else {}
        grading_course.submit(submissions, student, FIXTURE, grading_course.full(FIXTURE, course), files, course)
        if instructors:
            given.append(f"{student},{FIXTURE},{instructors}\n")
    partly_wrong = grading_course.full(FIXTURE, course)
    partly_wrong.cells[grading_course.index_of(partly_wrong, "sigmoid")].source = WRONG_SIGMOID
    grading_course.submit(submissions, "late_partly_wrong", FIXTURE, partly_wrong, {"timestamp.txt": after_due(HOUR)},
                          course)
    (tmp_path / "timestamps.csv").write_text("student,assignment,timestamp\n" + "".join(given))
    done, records = grade(course, submissions, out, "--workers", "2", "--timestamps", str(tmp_path / "timestamps.csv"))
    assert done.returncode == 0, done.stderr[-3000:]
    return course, out, {student: record for (student, _), record in records.items()}


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_each_submission_loses_what_the_policy_says(graded, student):
    _, out, records = graded
    record, penalty = records[student], STUDENTS[student][2]
    assert record["status"] == "graded", record["reason"]
    assert (record["raw_score"], record["late_penalty"], record["score"]) == pytest.approx((TOTAL, penalty, TOTAL - penalty))
    assert record["due"] == "2026-01-10T12:00:00+00:00"
    assert (record["seconds_late"] > 0) == (penalty > 0)
    page = Page((out / "feedback" / student / FIXTURE / "sigmoid.html").read_text()).text
    assert f"Score: {TOTAL - penalty:g} / {TOTAL:g}" in page
    assert ("late penalty" in page) == (penalty > 0 or STUDENTS[student][0] in (None, "\x00\x01 next tuesday"))


def test_a_missing_or_garbled_timestamp_is_no_penalty_and_the_record_says_why(graded):
    _, _, records = graded
    assert records["no_timestamp"]["timestamp"] is None
    assert records["no_timestamp"]["reason"] == "all cells graded; no late penalty: no timestamp (no timestamp.txt)"
    assert records["garbled"]["timestamp"] is None
    assert records["garbled"]["reason"] == ("all cells graded; no late penalty: no timestamp (timestamp.txt is not a "
                                            "timestamp: not a date and time (YYYY-MM-DD HH:MM...))")


def test_the_instructors_timestamp_wins_over_timestamp_txt(graded):
    _, _, records = graded
    assert records["backdated"]["timestamp"] == "2026-01-12T12:00:00+00:00"
    assert records["backdated"]["seconds_late"] == 2 * DAY
    assert records["collected_on_time"]["timestamp"] == "2026-01-10T11:00:00+00:00"


def test_a_late_partly_wrong_submission_loses_a_share_of_what_it_earned(graded):
    _, _, records = graded
    record = records["late_partly_wrong"]
    assert (record["raw_score"], record["late_penalty"], record["score"]) == pytest.approx((1, 0.1, 0.9))


def test_grades_csv_the_gradebook_and_nbgrader_export_agree_with_grades_json(graded):
    course, out, records = graded
    ours, theirs = _ours(out), _export(course)
    assert set(ours) == set(records)
    for student, row in ours.items():
        assert theirs[student] == row
        record = records[student]
        assert (float(row["raw_score"]), float(row["late_submission_penalty"] or 0), float(row["score"])) == \
            pytest.approx((record["raw_score"], record["late_penalty"], record["score"])), row
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(FIXTURE, "no_timestamp").timestamp is None
        assert gradebook.find_submission(FIXTURE, "very_late").total_seconds_late == 30 * DAY


@pytest.mark.grading
def test_nbgraders_zero_policy_and_a_bad_timestamps_file(tmp_path):
    course = fixture_course(tmp_path / "course")
    with open(course / "nbgrader_config.py", "a") as config:
        config.write('\nc.AssignLatePenalties.plugin_class = "nbgrader.plugins.LateSubmissionPlugin"\n'
                     'c.LateSubmissionPlugin.penalty_method = "zero"\n')
    _set_due_date(course)
    submissions = tmp_path / "submitted"
    for student, seconds in (("early", -60), ("tardy", 60)):
        grading_course.submit(submissions, student, FIXTURE, grading_course.full(FIXTURE, course),
                              {"timestamp.txt": after_due(seconds)}, course)
    (tmp_path / "bad.csv").write_text(f"early,{FIXTURE},whenever\n")
    done, _ = grade(course, submissions, tmp_path / "refused", "--timestamps", str(tmp_path / "bad.csv"))
    assert done.returncode == 1 and not (tmp_path / "refused").exists()
    assert "error: --timestamps" in done.stderr and "line 1: the timestamp 'whenever' is not a date" in done.stderr
    done, records = grade(course, submissions, tmp_path / "out", "--workers", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert records[("early", FIXTURE)]["score"] == TOTAL
    assert (records[("tardy", FIXTURE)]["late_penalty"], records[("tardy", FIXTURE)]["score"]) == (TOTAL, 0)
    assert _export(course)["tardy"]["score"] == "0.0"


def test_the_due_date_is_the_gradebooks_and_an_extension_moves_it_for_that_student(tmp_path):
    course = fixture_course(tmp_path / "course")
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    assert late.Deadlines(db_url, [FIXTURE]).due("ann", FIXTURE) is None
    _set_due_date(course, "2026-01-10T13:00:00+01:00")
    with Gradebook(db_url) as gradebook:
        for student in ("ann", "bob"):
            gradebook.update_or_create_student(student)
            gradebook.update_or_create_submission(FIXTURE, student)
        gradebook.grant_extension(FIXTURE, "bob", days=2)
    deadlines = late.Deadlines(db_url, [FIXTURE], {("ann", FIXTURE): "2026-01-11T00:00:00+00:00"})
    assert deadlines.due("ann", FIXTURE) == "2026-01-10T12:00:00+00:00"
    assert deadlines.due("bob", FIXTURE) == "2026-01-12T12:00:00+00:00"
    assert deadlines.handed_in("ann", FIXTURE) == "2026-01-11T00:00:00+00:00" and deadlines.handed_in("bob", FIXTURE) is None
