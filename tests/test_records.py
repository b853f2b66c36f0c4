"""The typed records: the status precedence, and the JSON that record.json and grades.json have always had."""

import json

import pytest

from autograder.grading.records import CaseResult, CellResult, Job, NotebookRecord, Record, Status


@pytest.mark.parametrize("statuses, worst", [
    ([], "graded"), (["graded", "graded"], "graded"), (["graded", "missing"], "missing"),
    (["missing", "invalid"], "invalid"), (["invalid", "timeout"], "timeout"), (["timeout", "crashed"], "crashed"),
    (["crashed", "tampered", "graded"], "tampered"), (["tampered", "missing"], "tampered"),
])
def test_the_gravest_status_wins(statuses, worst):
    assert Status.worst(statuses) == worst
    assert Status.worst(reversed(statuses)) == worst


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        Status.worst(["graded", "lost"])


def test_a_status_is_its_name_in_text_and_json():
    assert str(Status.TIMEOUT) == "timeout" and Status.TIMEOUT == "timeout"
    assert json.dumps({"status": Status.CRASHED}) == '{"status": "crashed"}'


def two_notebooks():
    first = NotebookRecord.ungraded("a.ipynb", {"f_tests": 2.0, "g_tests": 1.0}, "graded", "")
    first.cells["f_tests"].judged(True, "", "visible")
    first.cells["g_tests"].judged(False, "g returned 3, expected a (2, 1) array", "hidden")
    second = NotebookRecord.ungraded("b.ipynb", {"h_tests": 4.0}, "missing", "no b.ipynb in the submission")
    return Record("ada", "a1", Status.worst([first.status, second.status]), "b.ipynb: missing", [first, second],
                  timestamp="2026-11-28 10:00:00", seconds=3.14159)


def test_scores_are_the_sums_of_the_cells():
    record = two_notebooks()
    assert (record.notebooks[0].score, record.notebooks[0].max_score) == (2.0, 3.0)
    assert (record.score, record.max_score) == (2.0, 7.0)
    assert record.status == Status.MISSING


def test_the_json_keeps_the_results_folders_fields_and_reads_back_the_same():
    data = two_notebooks().to_json()
    assert list(data) == ["student", "assignment", "status", "timestamp", "due", "seconds_late", "reason",
                          "raw_score", "late_penalty", "score", "max_score", "notebooks", "seconds"]
    assert data["seconds"] == 3.14 and data["status"] == "missing"
    assert list(data["notebooks"][0]) == ["notebook", "status", "reason", "cells", "raw_score", "late_penalty",
                                          "score", "max_score"]
    assert data["notebooks"][0]["cells"]["g_tests"] == {
        "max_score": 1.0, "score": 0.0, "passed": False, "message": "g returned 3, expected a (2, 1) array",
        "failed_in": "hidden", "cases": []}
    assert data["notebooks"][1]["cells"]["h_tests"]["message"] == "not run"
    again = Record.from_json(json.loads(json.dumps(data)))
    assert again.to_json() == data
    assert isinstance(again.notebooks[0].cells["f_tests"], CellResult) and again.notebooks[1].status is Status.MISSING


def test_a_job_reads_back_as_written(tmp_path):
    job = Job(course="/c", assignment="a1", student="ada", submissions="/s", submission="/s/ada/a1", out="/o",
              readable=["/usr", "/data"], memory_mb=4096, timeout=120.0, disk="/d", disk_mb=512, max_processes=64,
              max_notebook_mb=20.0)
    job.write(tmp_path / "job.json")
    assert Job.read(tmp_path / "job.json") == job
    job.cgroup_procs = "/sys/fs/cgroup/pids/x/cgroup.procs"
    job.write(tmp_path / "job.json")
    assert Job.read(tmp_path / "job.json").cgroup_procs == job.cgroup_procs


def test_merging_shards_keeps_every_record_row_and_page(tmp_path, capsys):
    from autograder.grading.results import CSV_HEADER, _write_grades_json, merge_results, summarise
    first, second = two_notebooks(), Record.from_json({**two_notebooks().to_json(), "student": "bo",
                                                       "status": "graded"})
    for name, record, seconds in [("part1", first, 10.0), ("part2", second, 12.5)]:
        part = tmp_path / name
        (part / "feedback" / record.student / "a1").mkdir(parents=True)
        (part / "feedback" / record.student / "a1" / "a.html").write_text(record.student)
        _write_grades_json(part, summarise([record], seconds), [record])
        (part / "grades.csv").write_text(f"{CSV_HEADER}\na1,,,{record.student},,,,2.0,0.0,2.0,7.0\n")
    summary = merge_results([tmp_path / "part2", tmp_path / "part1"], tmp_path / "all")
    assert summary["submissions"] == 2 and summary["seconds"] == 12.5
    assert summary["counts"] == {"graded": 1, "missing": 1, "invalid": 0, "timeout": 0, "crashed": 0, "tampered": 0}
    merged = json.loads((tmp_path / "all" / "grades.json").read_text())
    assert [Record.from_json(r).to_json() for r in merged["records"]] == [second.to_json(), first.to_json()]
    rows = (tmp_path / "all" / "grades.csv").read_text().splitlines()
    assert rows[0] == CSV_HEADER and [row.split(",")[3] for row in rows[1:]] == ["ada", "bo"]
    assert (tmp_path / "all" / "feedback" / "bo" / "a1" / "a.html").read_text() == "bo"
    report = (tmp_path / "all" / "report.html").read_text()     # the class report of both shards
    assert "2 submissions of 1 assignment," in report and (tmp_path / "all" / "report" / "scores.png").is_file()
    assert "Graded 2 submissions" in capsys.readouterr().out


def test_a_cell_with_cases_earns_the_points_of_the_cases_that_passed():
    cell = CellResult(2.0)
    cell.judged(False, "the cost is wrong", "hidden", [CaseResult("the gradients", "hidden", 1.5, True),
                                                      CaseResult("the cost", "hidden", 0.5, False, "the cost is wrong")])
    assert (cell.score, cell.passed, cell.failed_in) == (1.5, False, "hidden")
    cell.judged(True, "", "hidden", [CaseResult("the gradients", "hidden", 1.5, True),
                                     CaseResult("the cost", "hidden", 0.5, True)])
    assert (cell.score, cell.passed) == (2.0, True)
    cell.judged(False, "a check outside the cases failed", "visible", [])
    assert cell.score == 0.0


def test_the_late_penalty_comes_off_the_raw_score_and_never_below_zero():
    record = two_notebooks()
    record.notebooks[0].late_penalty = 0.5
    assert (record.raw_score, record.late_penalty, record.score) == (2.0, 0.5, 1.5)
    record.notebooks[0].late_penalty = 5.0
    assert (record.notebooks[0].score, record.score) == (0.0, 0.0)


def test_cases_late_penalties_and_due_dates_read_back_the_same():
    record = two_notebooks()
    record.notebooks[0].cells["g_tests"].judged(False, "cost", "hidden", [CaseResult("the cost", "hidden", 1.0)])
    record.notebooks[0].late_penalty, record.due, record.seconds_late = 0.25, "2026-11-27 23:59:00+00:00", 36000.0
    data = json.loads(json.dumps(record.to_json()))
    again = Record.from_json(data)
    assert again.to_json() == data
    assert again.notebooks[0].cells["g_tests"].cases == [CaseResult("the cost", "hidden", 1.0)]
    assert (again.due, again.seconds_late, again.late_penalty) == (record.due, 36000.0, 0.25)
