"""The grader's pieces on their own: the wire format, the notebook rebuild, the code scan,
and grading the same class twice."""

import json
import struct

import nbformat
import numpy as np
import pytest
from nbgrader.api import Gradebook, MissingEntry

from autograder import cells
from autograder.grading import code_scan, intake, wire
from autograder.authoring.nbgrader_course import api
from corpus import answers
from course_layout import assignments
from grading_course import (FIXTURE, add_cell_after, fixture_course, full, grade, index_of, submit, total_points,
                           untouched)

A1 = "a1_single_neuron"


# ---------------------------------------------------------------- the wire format

@pytest.mark.parametrize("value", [
    None, True, 3, 2.5, float("nan"), 1 + 2j, "text", np.float64(0.25), np.int32(7), np.array(3.0),
    np.arange(12.0).reshape(3, 4), np.asfortranarray(np.ones((2, 3), np.float32)), np.array([True, False]),
    [1, (2, "x")], {"W1": np.eye(2), "b1": np.zeros((2, 1)), 3: [None]},
])
def test_plain_values_cross_unchanged(value):
    back = wire.loads(wire.dumps(value))
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.shape == value.shape and back.dtype == value.dtype and np.array_equal(back, value)
    elif isinstance(value, dict):
        assert back.keys() == value.keys()
    elif value == value:  # not NaN
        assert back == value


def test_anything_else_arrives_as_a_stand_in_that_names_its_type():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return True

    for value, name in [(np.zeros(3).view(Liar), "Liar"), (np.array([object()]), "ndarray"), (object(), "object"),
                        (lambda x: x, "function")]:
        back = wire.loads(wire.dumps(value))
        assert isinstance(back, wire.Opaque) and type(back).__name__ == name
        assert back != back.__class__("x", "", "") and not isinstance(back, np.ndarray)
    assert wire.loads(wire.dumps(np.zeros(3).view(Liar))).why == "an ndarray subclass Liar"


def _forged(header, data=b""):
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


@pytest.mark.parametrize("data", [
    b"", b"\x00" * 3, b"junk" * 10,
    _forged({"t": "array", "dtype": "<f8", "shape": [1000, 1000], "nbytes": 8_000_000, "offset": 0}, b"\x00" * 16),
    _forged({"t": "array", "dtype": "|O", "shape": [1], "nbytes": 8, "offset": 0}, b"\x00" * 8),
    _forged({"t": "array", "dtype": "<f8", "shape": [2], "nbytes": 16, "offset": -8}, b"\x00" * 16),
    _forged({"t": "pickle", "v": "cos\nsystem\n"}),
    _forged({"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "none"}]]}),
    _forged(json.loads('{"t": "list", "v": [' * 40 + '{"t": "none"}' + ']}' * 40)),
])
def test_anything_that_is_not_plain_data_is_refused(data):
    with pytest.raises(wire.WireError):
        wire.loads(data)


# ---------------------------------------------------------------- the rebuild

def _graded_sources(built):
    return {cells.grading_metadata(c)["grade_id"]: c.source for c in built.cells if cells.grading_metadata(c)}


def test_rebuild_keeps_answers_and_added_cells_and_restores_the_course_cells():
    release, answered = untouched(A1), full(A1)
    student = add_cell_after(answered, "sigmoid", "def helper():\n    return 1\n")
    del student.cells[index_of(student, "L1_tests")]
    student.cells[index_of(student, "L2_tests")].source = "pass"
    built = intake.rebuild(student, release)
    sources = _graded_sources(built)
    assert sources["sigmoid"] == answered.cells[index_of(answered, "sigmoid")].source
    assert sources["L1_tests"] == release.cells[index_of(release, "L1_tests")].source
    assert sources["L2_tests"] == release.cells[index_of(release, "L2_tests")].source
    position = [c.source for c in built.cells].index("def helper():\n    return 1\n")
    assert cells.grading_metadata(built.cells[position - 1])["grade_id"] == "sigmoid"
    assert any("L1_tests was put back" in note for note in built.notes)
    assert built.tampering == ["the test cell L2_tests was edited (the course's version was graded)"]
    assert len(built.cells) == len(release.cells) + 1


def test_rebuild_matches_the_course_cells_of_a_copy_saved_without_cell_ids():
    release = untouched(A1)
    student = nbformat.from_dict(json.loads(nbformat.writes(full(A1))))
    for cell in student.cells:
        cell.pop("id", None)
    built = intake.rebuild(student, release)
    assert len(built.cells) == len(release.cells) and not built.notes and not built.tampering


# ---------------------------------------------------------------- the code scan

@pytest.mark.parametrize("source, finding", [
    ("np.allclose = lambda *a, **k: True", "replaces np.allclose"),
    ("import numpy\nnumpy.testing.assert_allclose = print", "replaces numpy.testing.assert_allclose"),
    ("setattr(np, 'isclose', None)", "calls setattr on np"),
    ("from nncourse import checks\nchecks.check_array = print", "replaces checks.check_array"),
    ("get_ipython().showtraceback = print", "error display"),
    ("import sys\nsys.excepthook = print", "replaces sys.excepthook"),
    ("import autograder.hidden.a1_single_neuron as h", "imports autograder"),
    ("open('../../gradebook.db').read()", "path outside"),
    ("__nn_grader__.call = print", "grader's helper"),
])
def test_the_scan_names_attempts_on_the_grading(source, finding):
    assert any(finding in found for found in code_scan.scan(source)), code_scan.scan(source)


@pytest.mark.parametrize("assignment", assignments())
def test_the_scan_finds_nothing_in_right_answers_or_the_course_code(assignment):
    flagged = {a.why: code_scan.scan(a.source) for a in answers(assignment) if a.correct and code_scan.scan(a.source)}
    assert not flagged
    given = [c.source for c in untouched(assignment).cells if c.cell_type == "code"]
    assert not [code_scan.scan(source) for source in given if code_scan.scan(source)]


# ---------------------------------------------------------------- grading again

def _without_times(record):
    record = json.loads(json.dumps(record))
    record.pop("seconds"), record.pop("timestamp")
    return record


@pytest.mark.grading
def test_grading_again_gives_the_same_records_and_leaves_nothing_stale(tmp_path):
    course = fixture_course(tmp_path / "course")
    submissions = tmp_path / "submitted"
    for student in ("steady", "gives_up", "withdraws"):
        submit(submissions, student, FIXTURE, full(FIXTURE, course), root=course)
    _, first = grade(course, submissions, tmp_path / "first", "--workers", "2")
    assert first[("steady", FIXTURE)]["score"] == total_points(FIXTURE, course) == 3
    submit(submissions, "gives_up", FIXTURE, untouched(FIXTURE, course), root=course)
    for path in (submissions / "withdraws" / FIXTURE).iterdir():
        path.unlink()
    done, second = grade(course, submissions, tmp_path / "second", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert _without_times(first[("steady", FIXTURE)]) == _without_times(second[("steady", FIXTURE)])
    assert second[("gives_up", FIXTURE)]["score"] == 0 and second[("withdraws", FIXTURE)]["status"] == "missing"
    with Gradebook(api(course).coursedir.db_url) as gradebook:
        assert gradebook.find_submission(FIXTURE, "steady").score == total_points(FIXTURE, course)
        assert gradebook.find_submission(FIXTURE, "gives_up").score == 0
        with pytest.raises(MissingEntry):
            gradebook.find_submission(FIXTURE, "withdraws")
    assert not (course / "autograded" / "withdraws" / FIXTURE).exists()
    assert (course / "autograded" / "steady" / FIXTURE / "sigmoid.ipynb").exists()
