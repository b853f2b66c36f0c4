"""What a student edition holds, as its publisher recorded it.

A published edition keeps, in its `.edition/` folder:

- `edition.json`: the course's name, when it was published, and every file the publisher
  wrote, as a relative POSIX path with its SHA-256;
- `base/<path>`: an untouched copy of each notebook and helper file a student works on
  (`assignments/` and `notebooks/`), the common ancestor of a three-way merge when a later
  edition changes a notebook the student has started.

`course.py publish` (the instructor's) writes these; `course.py update` (the student's)
reads them. Only the standard library is imported, so the student's command can use this
before anything is installed.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from .datasets import sha256 as file_digest

FOLDER = ".edition"
RECORD = "edition.json"
FORMAT = 1
STUDENT_WORK = ("assignments", "notebooks")  # folders whose files students edit


class EditionError(Exception):
    """A folder is not a student edition, or its record is unreadable."""


@dataclass
class EditionRecord:
    course: str
    published: str
    files: dict = field(default_factory=dict)  # relative POSIX path -> SHA-256 of what was published
    source: str = ""  # where later editions are published (a Git or .zip URL), if the publisher said

    def to_json(self):
        data = {"format": FORMAT, "course": self.course, "published": self.published}
        if self.source:
            data["source"] = self.source
        data["files"] = dict(sorted(self.files.items()))
        return json.dumps(data, indent=1) + "\n"


def record_path(edition_dir):
    return Path(edition_dir) / FOLDER / RECORD


def is_edition(folder):
    return record_path(folder).is_file()


def read_record(edition_dir):
    path = record_path(edition_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if data.get("format") != FORMAT or not isinstance(files, dict):
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        for relative in files:
            check_relative(relative)
        return EditionRecord(course=str(data["course"]), published=str(data["published"]), files=dict(files),
                             source=str(data.get("source") or ""))
    except FileNotFoundError:
        raise EditionError(f"{Path(edition_dir).resolve()} is not a student edition: it has no {FOLDER}/{RECORD}.") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise EditionError(f"{path} is not a readable edition record ({error}).") from None


def write_record(edition_dir, record):
    path = record_path(edition_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(record.to_json(), encoding="utf-8")
    partial.replace(path)


def check_relative(relative):
    """A recorded path must stay inside the edition: relative, no `..`, not inside .edition itself.

    A drive (`C:x`) is refused too: on a student's Windows machine it would leave the edition.
    """
    parts = PurePosixPath(relative).parts
    if (not parts or PurePosixPath(relative).is_absolute() or ".." in parts or parts[0] == FOLDER
            or "\\" in relative or PureWindowsPath(relative).drive):
        raise ValueError(f"{relative!r} is not a path inside the edition")
    return relative


def is_student_work(relative):
    return PurePosixPath(relative).parts[0] in STUDENT_WORK


def base_copy(edition_dir, relative):
    """Where the untouched published copy of a student's file is kept."""
    return Path(edition_dir) / FOLDER / "base" / PurePosixPath(check_relative(relative))


def matches_digest(path, digest):
    """Whether a file is the one recorded, also when Git on Windows turned its line ends into CRLF."""
    if file_digest(path) == digest:
        return True
    data = Path(path).read_bytes()
    return b"\r\n" in data and hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest() == digest
