"""What the exports show of a test cell, and text made safe for the places it goes."""

import re

# Control characters other than newline and tab: a terminal or a page would act on them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_MESSAGE = 2000


def plain(text, limit=MAX_MESSAGE):
    """Text with no control characters, cut to `limit` characters."""
    text = _CONTROL.sub("", str(text))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def spreadsheet_cell(text):
    """Text a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    text = plain(text, 1000)
    return "'" + text if text.startswith(_FORMULA_START) else text


def test_name(record, notebook, grade_id):
    """`<assignment>/<notebook>: <grade_id>`: the name an export gives a test cell."""
    return f"{record.assignment}/{notebook.notebook}: {grade_id}"


def cell_output(cell):
    """What a student may read of a test cell's result: passed, or its student-facing message, and each
    named case. Never the cell's own printing, nor anything hidden tests expected."""
    lines = ["passed" if cell.passed else (cell.message or "failed")]
    lines += [f"{'passed' if case.passed else 'failed'}: {case.name} ({case.score:g}/{case.points:g})"
              + (f": {case.message}" if case.message and not case.passed else "") for case in cell.cases]
    return plain("\n".join(lines))


def cells(record):
    """(notebook, grade_id, cell) for every test cell of the record, in order."""
    return [(notebook, grade_id, cell) for notebook in record.notebooks for grade_id, cell in notebook.cells.items()]


def summary(record):
    """One paragraph on the whole submission: its score, how it ended, and any late penalty."""
    lines = [f"{record.assignment}: {record.score:g} / {record.max_score:g} ({record.status})."]
    if record.reason and record.reason != "all cells graded":
        lines.append(plain(record.reason, 500))
    if record.late_penalty:
        lines.append(f"Late penalty: {record.late_penalty:g} points off {record.raw_score:g}.")
    return "\n".join(lines)
