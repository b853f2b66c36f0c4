"""The class report (RESULTS_DIR/report.html and report/*.png) from records built here, no grading:
its numbers are the records', its figures are images drawn from the same numbers, and nothing a student
wrote can put markup or script in it."""

import base64
import json

import pytest
from matplotlib.image import imread

from autograder.__main__ import main
from autograder.grading import class_report, report_figures
from autograder.grading.class_stats import MESSAGE_CHARS, class_stats
from autograder.grading.results import _write_grades_json, summarise
from class_records import HIDDEN_MESSAGE, HOSTILE, HOSTILE_NAME, NOT_RUN, TIMED_OUT, a1, the_class
from page_check import Page, Tables, has_the_policy_first, unsafe

pytestmark = pytest.mark.spread

@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    page = class_report.write(out, the_class())
    return out, page.read_text(encoding="utf-8")


def test_the_scores_table_has_each_assignments_numbers(report):
    [rows] = Tables(report[1]).starting("assignment", "submissions", "handed in")
    # a1: eve handed nothing in; ada 3, bo 1 (f lost), cy 2.5 less 0.5 late, dee 0 (timed out), the tamperer 0
    assert rows == [["a1", "6", "5", "3", "1.2", "1", "1", "1"],
                    ["a2", "3", "3", "4", "1.33", "0", "1", "0"]]


def test_the_exercises_table_has_each_test_cells_pass_rate_and_where_the_others_failed(report):
    [rows] = Tables(report[1]).starting("assignment", "test cell")
    assert rows == [
        ["a1", "f_tests", "2", "5", "2", "3", "0", "0", "40%", "0.8", ""],
        ["a1", "g_tests", "1", "5", "2", "0", "2", "1", "40%", "0.5", "cost (hidden): 3 / 4; grads (hidden): 2 / 4"],
        ["a2", "h_tests", "4", "3", "1", "0", "1", "1", "33%", "1.33", ""]]


def test_the_most_frequent_messages_are_counted_per_test_cell_as_the_students_see_them(report):
    tables = Tables(report[1]).starting("submissions", "failed in", "message")
    assert tables == [
        [["2", "visible", HOSTILE], ["1", "visible", TIMED_OUT]],
        [["2", "hidden", HIDDEN_MESSAGE], ["1", "not run", NOT_RUN]],
        [["1", "hidden", "h is 3, which is not right."], ["1", "not run", "not run"]]]
    headings = [text for text, _ in Page(report[1]).texts if text.startswith(("a1: ", "a2: "))]
    assert headings == ["a1: f_tests", "a1: g_tests", "a2: h_tests"]


def test_statuses_and_the_submissions_to_look_at_gravest_first(report):
    [counts] = Tables(report[1]).starting("assignment", "graded", "missing")
    assert counts == [["a1", "3", "1", "0", "1", "0", "1", "1"], ["a2", "2", "0", "1", "0", "0", "0", "0"]]
    [attention] = Tables(report[1]).starting("student", "assignment", "status")
    assert [row[:6] for row in attention] == [
        [HOSTILE_NAME, "a1", "tampered", "", "0 / 3", "5"], ["dee", "a1", "timeout", "", "0 / 3", "12"],
        ["cy", "a2", "invalid", "", "0 / 4", "0.25"], ["eve", "a1", "missing", "", "0 / 3", "0.5"],
        ["cy", "a1", "graded", "2.0 h", "2 / 3", "4"]]
    assert attention[0][6] == f"the code patches numpy {HOSTILE}"


def test_grading_times_per_assignment(report):
    [rows] = Tables(report[1]).starting("assignment", "submissions", "mean seconds")
    assert rows == [["a1", "6", "4.42", "12", "26.5"], ["a2", "3", "4.42", "7", "13.25"]]


def test_the_figures_are_images_in_report_and_the_same_in_the_page(report, tmp_path):
    out, text = report
    shown = [attrs["src"] for attrs in Page(text).find("img")]
    assert len(shown) == len(report_figures.FIGURES) == 4
    for name, src in zip(report_figures.FIGURES, shown):
        path = out / "report" / f"{name}.png"
        image = imread(path)
        assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 300, (name, image.shape)
        assert base64.b64decode(src.removeprefix("data:image/png;base64,")) == path.read_bytes()


def test_the_figures_are_drawn_from_the_records_numbers():
    stats = class_stats(the_class())
    bars = {container.get_label(): [round(bar.get_width(), 1) for bar in container]
            for container in report_figures.exercise_bars(stats).axes[0].containers}
    # from the bottom: a2 h_tests, a1 g_tests, a1 f_tests
    assert bars == {"passed": [33.3, 40.0, 40.0], "failed in visible checks": [0.0, 0.0, 60.0],
                    "failed in hidden checks": [33.3, 40.0, 0.0], "not run": [33.3, 20.0, 0.0]}
    statuses = {container.get_label(): [bar.get_width() for bar in container]
                for container in report_figures.status_bars(stats).axes[0].containers}
    assert statuses == {"graded": [2, 3], "missing": [0, 1], "invalid": [1, 0], "timeout": [0, 1],
                        "tampered": [0, 1]}
    histograms = report_figures.score_histograms(stats).axes
    assert [sorted(round(bar.get_x() + bar.get_width() / 2, 2) for bar in ax.patches for _ in range(int(bar.get_height())))
            for ax in histograms[:2]] == [[0, 0, 1, 2, 3], [0, 0, 4]]
    dots = report_figures.grading_times(stats).axes[0].collections
    assert sorted(y for dot in dots for _, y in dot.get_offsets()) == sorted(r.seconds for r in the_class())


def test_the_page_runs_no_script_loads_nothing_and_shows_student_text_as_text(report):
    text = report[1]
    page = Page(text)
    assert not page.find("script") and unsafe(page) == [] and has_the_policy_first(page)
    assert HOSTILE in page.text and HOSTILE_NAME in page.text
    assert HOSTILE not in text and HOSTILE_NAME not in text     # only escaped


def test_a_long_message_is_cut_and_a_hidden_tests_message_is_shown_as_it_is(tmp_path):
    long = "x is wrong: " + "9" * 5000 + " expected"
    record = a1("ada", f=("visible", long), g=("hidden", HIDDEN_MESSAGE))
    text = class_report.write(tmp_path, [record]).read_text(encoding="utf-8")
    [f_messages, g_messages] = Tables(text).starting("submissions", "failed in", "message")
    assert len(f_messages[0][2]) == MESSAGE_CHARS and f_messages[0][2].endswith("…") and "expected" not in text
    assert g_messages == [["1", "hidden", HIDDEN_MESSAGE]]      # nothing added to what the student sees


def test_an_empty_class_gets_a_report_that_says_so(tmp_path):
    text = class_report.write(tmp_path, []).read_text(encoding="utf-8")
    assert "0 submissions of 0 assignments" in text and "No test failed." in text
    assert all(imread(tmp_path / "report" / f"{name}.png").size for name in report_figures.FIGURES)


def test_the_report_command_writes_the_same_report_again_from_grades_json(report, tmp_path, capsys):
    records = the_class()
    _write_grades_json(tmp_path, summarise(records, 30.0), records)
    assert main(["report", str(tmp_path)]) == 0
    assert "Class report in" in capsys.readouterr().out
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == report[1]
    for name in report_figures.FIGURES:
        assert (tmp_path / "report" / f"{name}.png").read_bytes() == (report[0] / "report" / f"{name}.png").read_bytes()


@pytest.mark.parametrize("grades_json", [None, "not json", json.dumps({"records": []}),
                                         json.dumps({"summary": {}, "records": [{"student": "ada"}]})])
def test_the_report_command_says_what_is_wrong_with_a_folder_without_a_readable_grades_json(
        tmp_path, capsys, grades_json):
    if grades_json is not None:
        (tmp_path / "grades.json").write_text(grades_json)
    assert main(["report", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "grades.json" in error and "Traceback" not in error
    assert not (tmp_path / "report.html").exists()
