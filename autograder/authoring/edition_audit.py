"""Prove that a student edition holds nothing a student must not have.

The audit reads the course's source notebooks for what is secret: every line between the
solution markers of an exercise and every line between the hidden-test markers of a test
cell. It then reads every file of the edition and reports:

- a secret line found in a published file (lines too common to tell anything, such as
  `return cost`, are left out: a line counts when it also appears nowhere in the course's
  release copies, lectures or student package, which students get anyway);
- a module of the instructor's package (`autograder`), by path or by import;
- a gradebook or any other SQLite database.

`publish` runs the audit on what it wrote and refuses to finish when it finds anything.
"""

import json
import re
from pathlib import Path

from ..cells import HIDDEN_TESTS_BLOCK, SOLUTION_BLOCK, blocks_of, secret_lines_of

INSTRUCTOR_PACKAGE = "autograder"
IMPORT_OF_INSTRUCTOR_PACKAGE = re.compile(rf"^\s*(from|import)\s+{INSTRUCTOR_PACKAGE}\b", re.MULTILINE)
SQLITE_MAGIC = b"SQLite format 3\x00"
SHORTEST_SECRET = 8  # characters: shorter lines (`pass`, `A = Z`) say nothing about an answer
MOST_OF_A_BLOCK = (3, 0.6)  # at least 3 lines, and 60 % of the block's
# Lecture cells that work an exercise's computation through on purpose, so they hold most of its
# solution block: lecture 1 computes J = 3(a + bc) step by step, and lecture 4 writes a layer's
# backward pass, which assignment 4 asks students to package as linear_backward.
WORKED_EXAMPLES = {"notebooks/01_single_neuron.ipynb": {"graph-forward", "graph-nudges"},
                   "notebooks/04_deep_network.ipynb": {"backward-pass", "faulty-block"}}


def _cells(path):
    """[(cell id, source)] of a notebook; [] for a file that is not one."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (ValueError, UnicodeDecodeError, AttributeError):
        return []
    return [(cell.get("id"), "".join(cell.get("source", "")) if isinstance(cell.get("source"), list)
             else cell.get("source", "")) for cell in cells if isinstance(cell, dict)]


def _notebook_sources(path):
    return [source for _, source in _cells(path)]


def _lines(text):
    return {line.strip() for line in text.splitlines() if line.strip()}


def course_blocks(root, blocks=(SOLUTION_BLOCK, HIDDEN_TESTS_BLOCK)):
    """[(source notebook, lines of one block)] for every secret block of the course at `root`."""
    root = Path(root)
    return [(notebook.relative_to(root).as_posix(), lines)
            for notebook in sorted(root.glob("source/*/*.ipynb"))
            for text in _notebook_sources(notebook) for lines in blocks_of(text, blocks)]


def course_secrets(root, blocks=(SOLUTION_BLOCK, HIDDEN_TESTS_BLOCK)):
    """{secret line: where it comes from} for every source notebook of the course at `root`."""
    secrets = {}
    for origin, lines in course_blocks(root, blocks):
        for line in lines:
            secrets.setdefault(line, origin)
    return secrets


def _most_of(block, lines):
    """Whether `lines` hold most of a block: a pasted answer, even one whose every line is common."""
    shared = len(block & lines)
    return len(block) >= MOST_OF_A_BLOCK[0] and shared >= max(MOST_OF_A_BLOCK[0], MOST_OF_A_BLOCK[1] * len(block))


def what_students_get_anyway(root):
    """Lines of the release copies and lectures outside any secret block: students get these anyway."""
    root = Path(root)
    public = set()
    texts = [text for path in [*root.glob("release/*/*.ipynb"), *root.glob("notebooks/*.ipynb")]
             for text in _notebook_sources(path)]
    for text in texts:
        public |= _lines(text) - secret_lines_of(text)
    return public


def telling_secrets(root):
    """The secret lines worth looking for: long enough to tell, and not in what students get anyway."""
    public = what_students_get_anyway(root)
    return {line: origin for line, origin in course_secrets(root).items()
            if len(line) >= SHORTEST_SECRET and line not in public}


def _text_of(path, published_as):
    """(the file's text, the part of it that the block rule reads: all but a lecture's worked examples), bytes."""
    data = path.read_bytes()
    if path.suffix == ".ipynb":
        cells = _cells(path)
        worked = WORKED_EXAMPLES.get(published_as, set())
        return ("\n".join(source for _, source in cells),
                "\n".join(source for cell_id, source in cells if cell_id not in worked), data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    return text, text, data


def audit_edition(edition_dir, root, allowed_helpers=()):
    """What the edition at `edition_dir` must not hold, as a list of findings (empty when clean).

    `allowed_helpers` are relative paths of helper files the instructor published on purpose
    although they answer an earlier assignment (`publish --allow`); their lines are not searched
    for solutions, but they are still searched for hidden tests and the instructor's package."""
    edition_dir = Path(edition_dir)
    secrets = telling_secrets(root)
    hidden = course_secrets(root, blocks=(HIDDEN_TESTS_BLOCK,))
    solution_blocks, hidden_blocks = course_blocks(root, (SOLUTION_BLOCK,)), course_blocks(root, (HIDDEN_TESTS_BLOCK,))
    findings = []
    for path in sorted(p for p in edition_dir.rglob("*") if p.is_file() and ".git" not in p.relative_to(edition_dir).parts):
        relative = path.relative_to(edition_dir).as_posix()
        if INSTRUCTOR_PACKAGE in path.relative_to(edition_dir).parts:
            findings.append(f"{relative}: a file of the instructor's package")
            continue
        published_as = relative.removeprefix(".edition/base/")  # a base copy is the file it copies
        text, not_worked, data = _text_of(path, published_as)
        if data.startswith(SQLITE_MAGIC) or path.suffix == ".db":
            findings.append(f"{relative}: a database (a gradebook?)")
            continue
        if IMPORT_OF_INSTRUCTOR_PACKAGE.search(text):
            findings.append(f"{relative}: imports the instructor's package")
        lines = _lines(text)
        answers_on_purpose = published_as in allowed_helpers
        searched = {line: origin for line, origin in secrets.items() if not answers_on_purpose or line in hidden}
        for line in sorted(lines & searched.keys()):
            findings.append(f"{relative}: holds `{line}` from a secret block of {searched[line]}")
        block_lines = _lines(not_worked)
        for origin, block in hidden_blocks + ([] if answers_on_purpose else solution_blocks):
            if _most_of(block, block_lines):
                findings.append(f"{relative}: holds {len(block & block_lines)} of the {len(block)} lines "
                                f"of a secret block of {origin}")
    return findings

