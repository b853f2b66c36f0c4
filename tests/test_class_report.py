"""The class report (RESULTS_DIR/report.html and report/*.png) from records built here, no grading:
its numbers are the records', its figures are images drawn from the same numbers, and nothing a student
wrote can put markup or script in it."""

import base64
import json
from html.parser import HTMLParser

import pytest
from matplotlib.image import imread

from autograder.__main__ import main
from autograder.grading import class_report, report_figures
from autograder.grading.class_stats import MESSAGE_CHARS, class_stats
from autograder.grading.records import CaseResult, NotebookRecord, Record, Status
from autograder.grading.results import _write_grades_json, summarise
from page_check import Page, has_the_policy_first, unsafe

pytestmark = pytest.mark.spread

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_NAME = "<script>alert('name')</script>"
HIDDEN_MESSAGE = "g is 0.5, which is not right."
TIMED_OUT = "stopped: the cell ran past 10 s (an infinite loop, or very slow code)"
NOT_RUN = "not run: the notebook ran past 50 s"


def a1(student, f=None, g=None, cases=(), status="graded", reason="", seconds=1.0, late=0.0, penalty=0.0):
    """A record of assignment a1 (a.ipynb: f_tests, 2 points; g_tests, 1 point in two named cases).
    f and g: None when passed, (where, message) when failed; cases: the names of the cases passed."""
    notebook = NotebookRecord.ungraded("a.ipynb", {"f_tests": 2.0, "g_tests": 1.0}, status, reason)
    if status != "missing":
        for grade_id, verdict in (("f_tests", f), ("g_tests", g)):
            where, message = verdict or ("visible", "")
            case_results = [CaseResult(name, "hidden", 0.5, name in cases) for name in ("cost", "grads")]
            if where == "not run":
                notebook.cells[grade_id].message = message
            else:
                notebook.cells[grade_id].judged(verdict is None, message, where,
                                                case_results if grade_id == "g_tests" else ())
    notebook.late_penalty = penalty
    return Record(student, "a1", Status(status), reason, [notebook], "2026-11-28 10:00:00", seconds, None, late)


def a2(student, h=None, status="graded", seconds=1.0):
    notebook = NotebookRecord.ungraded("b.ipynb", {"h_tests": 4.0}, status, "")
    if status == "graded":
        notebook.cells["h_tests"].judged(h is None, h or "", "hidden")
    return Record(student, "a2", Status(status), "not JSON" if status == "invalid" else "", [notebook],
                  seconds=seconds)


def the_class():
    both = ("cost", "grads")
    return [
        a1("ada", cases=both, seconds=2.0),
        a1("bo", f=("visible", HOSTILE), cases=both, seconds=3.0),
        a1("cy", g=("hidden", HIDDEN_MESSAGE), cases=("cost",), late=7200.0, penalty=0.5, seconds=4.0),
        a1("dee", f=("visible", TIMED_OUT), g=("not run", NOT_RUN), status="timeout", reason="ran past 10 s",
           seconds=12.0),
        a1("eve", status="missing", reason="no a.ipynb in the submission", seconds=0.5),
        a1(HOSTILE_NAME, f=("visible", HOSTILE), g=("hidden", HIDDEN_MESSAGE), status="tampered",
           reason=f"the code patches numpy {HOSTILE}", seconds=5.0),
        a2("ada", seconds=6.0),
        a2("bo", h="h is 3, which is not right.", seconds=7.0),
        a2("cy", status="invalid", seconds=0.25),
    ]


class Tables(HTMLParser):
    """The page's tables as the browser reads them: rows of cell texts, the header row first."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tables, self._cell = [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def starting(self, *headers):
        """The rows (header left out) of every table whose header row starts with `headers`."""
        return [table[1:] for table in self.tables if tuple(table[0][:len(headers)]) == headers]


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
