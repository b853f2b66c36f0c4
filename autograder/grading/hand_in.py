"""A student's hand-in, read without following anything: only regular files inside the submissions folder.

A hand-in is the folder SUBMISSIONS/<student>/<assignment>/. Git repositories and zip files
carry symbolic links, so a hand-in can be a link to a classmate's work or to the instructor's
files; a FIFO would make a read wait forever, and a huge file would fill the grader's memory.
Such a file or folder is refused with a one-line reason, and nothing is read through it.
"""

import os
import stat
from pathlib import Path

# The largest completed notebook of the course, outputs included, is 0.65 MB (assignment 3);
# this leaves room for a student's extra plots and printing.
MAX_NOTEBOOK_MB = 20
MAX_OTHER_FILE_MB = 50  # each of the other files of a hand-in (data, images); bigger ones are left out
MAX_FOLDER_DEPTH = 16   # of the other files; deeper folders are left out


class Refused(ValueError):
    """The file or folder is not read; the message says why, in one line."""


def kind_of(mode):
    """What a file that is not a regular file is, in words."""
    for test, name in ((stat.S_ISLNK, "a link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"


def check_student_id(name):
    """Refused unless the student folder's name can be a student id that pages show as text.

    nbgrader's formgrader puts student ids into its pages as they are, so a folder named
    `<img onerror=...>` would be live markup there."""
    if not all(character.isalnum() or character in "._@+-" for character in name):
        raise Refused(f"the folder name {name!r} cannot be a student id (letters, digits and . _ @ + - only); "
                      "rename the folder to grade it")


def check_folder(submissions, folder):
    """Refused unless every folder from `submissions` down to `folder` is a real folder, not a link."""
    submissions, folder = Path(submissions), Path(folder)
    relative = folder.relative_to(submissions)
    here = submissions
    for part in relative.parts:
        here = here / part
        try:
            mode = here.lstat().st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(mode):
            shown = here.relative_to(submissions).as_posix()
            raise Refused(f"the folder {shown} is {kind_of(mode)}; nothing was read through it")


def read_file(path, max_bytes):
    """The bytes of the regular file at `path`, which must not be a link, a FIFO, a device or too big."""
    path, max_bytes = Path(path), int(max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if path.is_symlink():
            raise Refused(f"{path.name} is a link; links are not followed") from None
        raise Refused(f"{path.name} cannot be read ({error.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{path.name} is {kind_of(info.st_mode)}, not a file; it was not read")
        raise Refused(f"{path.name} is {_megabytes(info.st_size)}; the limit is {_megabytes(max_bytes)}")
    with os.fdopen(fd, "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while we read it
        raise Refused(f"{path.name} is larger than the limit of {_megabytes(max_bytes)}")
    return data


def regular_files(folder, max_bytes):
    """([(relative path, path)] of the regular files under `folder` up to `max_bytes`, [what was left out]).

    Hidden files and folders are skipped silently; links, FIFOs, devices and big files are
    named in the second list. Links to folders are never entered."""
    kept, left_out = [], []
    for top, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in folders:
            if os.path.islink(os.path.join(top, name)):
                left_out.append(f"{_relative(folder, top, name)} (a link)")
        if len(Path(top).relative_to(folder).parts) >= MAX_FOLDER_DEPTH and folders:
            left_out.append(f"{_relative(folder, top, folders[0])} (folders nested more than {MAX_FOLDER_DEPTH} deep)")
            folders[:] = []
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(top) / name
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                left_out.append(f"{_relative(folder, top, name)} ({kind_of(info.st_mode)})")
            elif info.st_size > max_bytes:
                left_out.append(f"{_relative(folder, top, name)} (over {_megabytes(max_bytes)})")
            else:
                kept.append((Path(_relative(folder, top, name)), path))
    return kept, left_out


def _relative(folder, top, name):
    return (Path(top) / name).relative_to(folder).as_posix()


def _megabytes(size):
    """A size in words, exact enough to compare with the limit it is shown beside."""
    if size < 10 * 2**10:   # the limits the tests set, and timestamp.txt's (1 KB)
        return f"{size} bytes"
    if size < 2**20:
        return f"{size / 2**10:.1f}".removesuffix(".0") + " KB"
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"
