"""Write the student edition: what an instructor hands out, and nothing a student must not have.

An edition is a folder, ready to push as a Git repository (a GitHub Classroom starter, a
template) or to zip. Like otter-grader's assign, this writes the students' tree apart from
the course: it holds the release copies of the assignments named, the lectures they rely on
(lecture k goes out with assignment k), the student package and the rest of the course's `edition/` folder (the student's command, README, data
manifest and fetcher, the workflow), and `constraints.txt`, the course's one set of pins.

Publishing again into the same folder rewrites only what changed and says what it changed.
It never deletes a file, and refuses to overwrite one that was edited in the edition since
it was published. What it wrote is recorded in `.edition/` (see nncourse.edition), and the
audit (edition_audit.py) must find the result clean before the record is written.
"""

import ast
import fnmatch
import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from nncourse.edition import EditionRecord, base_copy, file_digest, is_edition, is_student_work, read_record, write_record

from ..cells import course_folders
from .edition_audit import audit_edition

COURSE_ID = "neurons-to-networks"
TEMPLATE = "edition"
NEVER_PUBLISHED = ["*.h5", "*.partial", "*.pyc", "__pycache__", "*.egg-info", ".ipynb_checkpoints", ".venv",
                   "build", ".pytest_cache"]
ALLOWED_IN_A_NEW_TARGET = {".git"}


class PublishRefused(Exception):
    """Publishing would lose something, or hand out something it must not; nothing was written."""


def publish(root, target, names=None, allow=False, source="", log=print):
    """Write or update the edition in `target` from the course at `root`; returns the lines it logged."""
    root, target = Path(root).resolve(), Path(target).absolute()
    names = list(names or course_folders(root).assignments())
    said = []

    def say(line):
        said.append(line)
        log(line)

    old = _check_target(target)
    _check_released(root, names)
    allowed = _check_helpers(root, names, allow, say)
    published_before = sorted({relative.split("/")[1] for relative in (old.files if old else {})
                               if relative.startswith("assignments/")})
    planned = planned_files(root, names, published_before)
    _check_not_edited_here(target, old, planned)

    with tempfile.TemporaryDirectory() as scratch:
        staged = Path(scratch) / "edition"
        _stage(target, planned, staged)
        findings = audit_edition(staged, root, allowed_helpers=allowed)
        if findings:
            raise PublishRefused("the edition would hand out what students must not have; nothing was written:\n  "
                                 + "\n  ".join(findings))
        changes = _write(staged, target, planned, say)

    record = old or EditionRecord(course=COURSE_ID, published="")
    record.files.update({relative: file_digest(target / relative) for relative in planned})
    if source:
        record.source = source
    if changes or not old or (source and old.source != source):
        record.published = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        write_record(target, record)
    counts = {what: sum(1 for _, w in changes if w == what) for what in ("added", "changed")}
    say(f"Published {len(names)} assignment(s) into {target}: {counts['added']} file(s) added, "
        f"{counts['changed']} changed, {len(planned) - len(changes)} unchanged.")
    return said


def planned_files(root, names, published_before=()):
    """{relative path in the edition: the course file it comes from}."""
    root = Path(root)
    planned = {}
    for path in _published_files(root / TEMPLATE):
        planned[path.relative_to(root / TEMPLATE).as_posix()] = path
    planned["constraints.txt"] = root / "constraints.txt"
    for name in names:
        for path in _published_files(course_folders(root).release(name)):
            planned[f"assignments/{name}/{path.relative_to(course_folders(root).release(name)).as_posix()}"] = path
    for lecture in lectures_for(root, [*names, *published_before]):
        planned[f"notebooks/{lecture.name}"] = lecture
    return planned


def lectures_for(root, assignments):
    """The lectures up to the one the latest of `assignments` relies on: lecture k teaches what
    assignment k needs (and the last lecture serves the assignments after it). A lecture published
    before its assignment opens would show its worked examples early."""
    lectures = sorted((Path(root) / "notebooks").glob("*.ipynb"))
    latest = max((_number(name) for name in assignments), default=0)
    return [lecture for lecture in lectures if _number(lecture.name) <= latest]


def _number(name):
    """The number a name starts with: 4 for `a4_deep_network` and for `04_deep_network.ipynb`."""
    match = re.match(r"a?(\d+)", name)
    return int(match.group(1)) if match else 0


def _published_files(folder):
    files = []
    for directory, subfolders, filenames in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if not _never_published(d))
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if _never_published(filename):
                continue
            if path.is_symlink():
                raise PublishRefused(f"{path} is a symbolic link; the edition holds only regular files.")
            files.append(path)
    return files


def _never_published(name):
    return any(fnmatch.fnmatch(name, pattern) for pattern in NEVER_PUBLISHED)


def _check_target(target):
    """The target's record when it is an edition already, None when it is new or empty."""
    if target.exists() and not target.is_dir():
        raise PublishRefused(f"{target} is a file, not a folder: name a new or empty folder, or an edition.")
    if not target.exists():
        return None
    if is_edition(target):
        record = read_record(target)
        if record.course != COURSE_ID:
            raise PublishRefused(f"{target} is the edition of another course ({record.course}), not {COURSE_ID}.")
        return record
    others = sorted(p.name for p in target.iterdir() if p.name not in ALLOWED_IN_A_NEW_TARGET)
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise PublishRefused(f"{target} holds another project ({shown}) and no edition published before: "
                             "publish into a new or empty folder (a fresh `git clone` of an empty repository "
                             "is fine), or into an edition published before.")
    return None


def _check_released(root, names):
    known = course_folders(root).assignments()
    for name in names:
        if name not in known:
            raise PublishRefused(f"no assignment {name!r} in {root / 'source'} (there are: {', '.join(known)}).")
        if not list((course_folders(root).release(name)).glob("*.ipynb")):
            raise PublishRefused(f"release/{name} has not been built: run `python3 course.py release {name}` first.")


def answers_in_helpers(root, names):
    """[(edition path, earlier assignment, functions)] for the helper files of the assignments named
    that define functions graded in an earlier assignment (assignment 5's dnn_helpers.py answers
    assignment 4)."""
    root = Path(root)
    order = course_folders(root).assignments()
    graded = {name: course_folders(root).graded_functions(name) for name in order}
    found = []
    for name in names:
        for helper in sorted((course_folders(root).release(name)).glob("*.py")):
            defined = {node.name for node in ast.walk(ast.parse(helper.read_text(encoding="utf-8")))
                       if isinstance(node, ast.FunctionDef)}
            for earlier in order[:order.index(name)]:
                answered = sorted(defined & graded[earlier])
                if answered:
                    found.append((f"assignments/{name}/{helper.name}", earlier, answered))
    return found


def _check_helpers(root, names, allow, say):
    answers = answers_in_helpers(root, names)
    lines = [f"{path} answers {earlier} ({', '.join(functions)})" for path, earlier, functions in answers]
    if answers and not allow:
        raise PublishRefused("helper files would answer an earlier assignment:\n  " + "\n  ".join(lines) +
                             "\nPublish such an assignment only after the deadline of the one it answers, "
                             "then add --allow to say it is meant; nothing was written.")
    for line in lines:
        say(f"note: {line}; published on purpose (--allow)")
    return {path for path, _, _ in answers}


def _check_not_edited_here(target, old, planned):
    if old is None:
        return
    edited = [relative for relative in planned
              if relative in old.files and (target / relative).is_file()
              and file_digest(target / relative) != old.files[relative]]
    if edited:
        raise PublishRefused(f"these files were edited in {target} since they were published: "
                             + ", ".join(edited) + ". Make the change in the course (edition/, release/ or "
                             "notebooks/) or delete the file here, then publish again; nothing was written.")


def _stage(target, planned, staged):
    """The edition as it will be: what is in the target now, with the planned files and their base copies over it."""
    if target.exists():
        shutil.copytree(target, staged, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    for relative, origin in planned.items():
        for destination in _places_of(staged, relative):
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, destination)


def _places_of(edition, relative):
    """Where a published file goes: its place, and for a file students work on, its base copy too."""
    return [edition / relative, *([base_copy(edition, relative)] if is_student_work(relative) else [])]


def _write(staged, target, planned, say):
    """Copy what differs from `staged` into `target`; returns [(relative path, "added" or "changed")]."""
    changes = []
    for relative in sorted(planned):
        for new, current in zip(_places_of(staged, relative), _places_of(target, relative)):
            if current.is_file() and current.read_bytes() == new.read_bytes():
                continue
            what = "changed" if current.exists() else "added"
            _copy_atomically(new, current)
            if current == target / relative:
                changes.append((relative, what))
                say(f"{what}: {relative}")
    return changes


def _copy_atomically(origin, destination):
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    shutil.copyfile(origin, partial)
    partial.replace(destination)
