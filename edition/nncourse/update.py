"""Bring into a student's edition what the instructor published since: `course.py update`.

    python -m nncourse.update [SOURCE] [--edition DIR]

SOURCE is the newer edition: a folder, a .zip file, an http(s) URL of a .zip (GitHub's
"Download ZIP" works: the edition may sit inside one top folder), or a Git URL or path
(cloned with `git clone --depth 1`). Without it, the `source` the publisher recorded in
`.edition/edition.json` is used. DIR is the student's edition; without it, the folder
holding `.edition/edition.json`, looking from the current folder upwards.

For every file the new edition records:

- missing here: written ("new", or "restored" if it was published before);
- unchanged since it was published: replaced by the new version ("updated");
- changed by the student only, or already equal to the new version: left alone;
- changed by both, a notebook: merged with nbdime ("merged"), the student's answers kept and
  the instructor's changes brought in. Where both changed the same cell, the cell shows
  `<<<<<<< your version` ... `=======` ... `>>>>>>> the instructor's version` ("conflicts").
  Where both changed the outputs of a cell, the student's outputs are kept; where both changed
  the same metadata of a cell or notebook (nbgrader's settings, the kernel), the instructor's
  is taken;
- changed by both, any other file: the student's is kept and the instructor's is written
  beside it as `<name>.published<suffix>` ("kept");
- a notebook of the student's that cannot be read: left exactly as it is, the instructor's
  version written beside it ("unreadable").

Files the old edition recorded and the new one does not are kept ("retired"); files the
student added are never touched. Before a student's file is replaced or merged, a copy goes
to `.edition/backup/<time>/<path>`. At the end `.edition/base/` holds the new published
copies and `.edition/edition.json` the new record.

Exit status: 0 when everything went through; 1 on an error (nothing is changed when the new
edition is unusable); 2 when the update went through but something needs the student:
conflicts to resolve, a file kept with the instructor's version beside it, an unreadable
notebook, or a file that could not be written.

nbformat and nbdime are imported only where a notebook is merged: the rest needs nothing
but the standard library.
"""

import argparse
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from .edition import (FOLDER, EditionError, EditionRecord, base_copy, check_relative, file_digest, matches_digest,
                      is_edition, is_student_work, read_record, write_record)

# What can happen to a file, in the order the summary names them.
NEW, RESTORED, UPDATED, MERGED, CONFLICTS, KEPT, UNREADABLE, RETIRED, REFUSED = (
    "new", "restored", "updated", "merged", "conflicts", "kept", "unreadable", "retired", "refused")
NEEDS_THE_STUDENT = {CONFLICTS, KEPT, UNREADABLE, REFUSED}
EXIT_DONE, EXIT_ERROR, EXIT_NEEDS_THE_STUDENT = 0, 1, 2

YOURS, INSTRUCTORS = "your version", "the instructor's version"
ZIP_SIZE_LIMIT = 2 << 30  # an edition is small; a larger zip is a mistake or a zip bomb


@dataclass(frozen=True)
class Change:
    """What the update did to one file; its str() is the line the student reads."""

    path: str
    what: str
    detail: str = ""

    def __str__(self):
        line = f"{self.what:<10} {self.path}"
        return f"{line} - {self.detail}" if self.detail else line


class NotANotebook(Exception):
    """A file is not a notebook Jupyter can open; the message says why."""


# --- the update ----------------------------------------------------------------------------


def update_edition(edition_dir, new_edition_dir, log=print):
    """Bring the edition in `new_edition_dir` into the student's edition at `edition_dir`.

    Returns the changes, each also passed to `log` as it happens. Raises EditionError, having
    changed nothing, when either folder is not a usable edition.
    """
    edition_dir = Path(edition_dir).resolve()
    new_edition_dir = Path(new_edition_dir).resolve()
    old = read_record(edition_dir)
    new = read_new_record(new_edition_dir)
    if new_edition_dir == edition_dir:
        raise EditionError(f"{edition_dir} is your own edition; name the newer edition to bring in.")
    check_new_edition_files(new_edition_dir, new)

    log(f"Bringing in the edition of {new.course} published {new.published} (yours: {old.published}).")
    backup = Backup(edition_dir)
    changes = []
    for relative in sorted(new.files):
        change = bring_in_file(relative, edition_dir, new_edition_dir, old, new, backup)
        if change:
            changes.append(change)
            log(str(change))
    for relative in sorted(set(old.files) - set(new.files)):
        if (edition_dir / relative).exists():
            changes.append(Change(relative, RETIRED, "no longer part of the course; kept"))
            log(str(changes[-1]))

    refused = {change.path for change in changes if change.what == REFUSED}
    refresh_base_copies(edition_dir, new_edition_dir, old, new, refused)
    write_record(edition_dir, record_after_update(old, new, refused))
    if backup.saved:
        log(f"Your files as they were before this update: {backup.folder.relative_to(edition_dir).as_posix()}/ "
            f"({len(backup.saved)} file{'s' if len(backup.saved) != 1 else ''}).")
    return changes


def read_new_record(new_edition_dir):
    try:
        return read_record(new_edition_dir)
    except EditionError as error:
        raise EditionError(f"The new edition cannot be used, so nothing was changed: {error}") from None


def check_new_edition_files(new_edition_dir, record):
    """Every recorded file must be there, a plain file reached through no symbolic link, and
    match its record: anything else is a broken download or a hostile edition."""
    for relative in sorted(record.files):
        path = new_edition_dir
        for part in PurePosixPath(relative).parts:
            path = path / part
            if path.is_symlink():
                raise EditionError(f"The new edition is refused, so nothing was changed: {relative} "
                                   f"goes through a symbolic link ({part}), and an edition holds none.")
        if not path.is_file():
            raise EditionError(f"The new edition is incomplete, so nothing was changed: {relative} is missing.")
        if not matches_digest(path, record.files[relative]):
            raise EditionError(f"The new edition is damaged, so nothing was changed: {relative} "
                               "does not match its record. Download it again.")


def bring_in_file(relative, edition_dir, new_edition_dir, old, new, backup):
    """Decide what to do with one published file and do it; None when there is nothing to do."""
    incoming = new_edition_dir / relative
    old_digest, new_digest = old.files.get(relative), new.files[relative]
    try:
        target = path_inside(edition_dir, relative)
    except OutsideEdition as error:
        return Change(relative, REFUSED, str(error))

    if not target.exists() and not target.is_symlink():
        copy_file(incoming, target)
        return Change(relative, NEW if old_digest is None else RESTORED)
    if not target.is_file():
        return Change(relative, REFUSED, "it is not a file here (a folder?), so the new version was not written")
    if matches_digest(target, new_digest):
        return None
    if old_digest is not None and matches_digest(target, old_digest):
        backup.save(relative)
        copy_file(incoming, target)
        return Change(relative, UPDATED)
    if old_digest == new_digest:
        return None  # only the student changed it
    if old_digest is None:
        beside = write_beside(edition_dir, relative, incoming, backup)
        return Change(relative, KEPT, f"you have a file of your own here; the instructor's new file "
                                      f"is beside it as {beside}")
    if relative.endswith(".ipynb"):
        return merge_student_notebook(relative, edition_dir, incoming, old_digest, backup)
    beside = write_beside(edition_dir, relative, incoming, backup)
    return Change(relative, KEPT, f"you and the instructor both changed it; yours is kept and the "
                                  f"instructor's version is beside it as {beside}: compare them and "
                                  "take what you need")


def refresh_base_copies(edition_dir, new_edition_dir, old, new, refused):
    """Make .edition/base/ hold the new published copies: the ancestors of the next merge."""
    for relative in sorted(new.files):
        if is_student_work(relative) and relative not in refused:
            base = inside_or_refuse(edition_dir, base_copy(edition_dir, relative))
            if not (base.is_file() and matches_digest(base, new.files[relative])):
                copy_file(new_edition_dir / relative, base)
    for relative in sorted(set(old.files) - set(new.files)):
        base = base_copy(edition_dir, relative)
        if base.is_file() and not base.is_symlink():
            base.unlink()


def record_after_update(old, new, refused):
    """The new record, except that a file that could not be written keeps its old entry, so
    that the next update tries it again."""
    files = dict(new.files)
    for relative in refused:
        if relative in old.files:
            files[relative] = old.files[relative]
        else:
            files.pop(relative, None)
    return EditionRecord(course=new.course, published=new.published, files=files,
                         source=new.source or old.source)


# --- notebooks -----------------------------------------------------------------------------


def merge_student_notebook(relative, edition_dir, incoming, old_digest, backup):
    """Three-way merge of a notebook both the student and the instructor changed."""
    target = edition_dir / relative
    try:
        local = read_notebook(target)
    except NotANotebook as reason:
        beside = write_beside(edition_dir, relative, incoming, backup)
        return Change(relative, UNREADABLE,
                      f"{reason}, so it was left exactly as it is and nothing was written over it. "
                      f"The instructor's new version is beside it as {beside}. To carry on: rescue your "
                      f"answers from your file in a text editor (or from {FOLDER}/backup/ or your Git "
                      f"history), copy them into {PurePosixPath(beside).name}, then rename that to "
                      f"{target.name}.")

    def keep_with_instructors_beside(why):
        beside = write_beside(edition_dir, relative, incoming, backup)
        return Change(relative, KEPT, f"{why}; yours is kept and the instructor's version is beside "
                                      f"it as {beside}: copy your answers into it")

    base_path = base_copy(edition_dir, relative)
    if not (base_path.is_file() and matches_digest(base_path, old_digest)):
        return keep_with_instructors_beside(f"you and the instructor both changed it, and its published "
                                            f"copy in {FOLDER}/base/ is missing or altered, so it cannot be merged")
    try:
        merged, settled_metadata = merge_with_nbdime(read_notebook(base_path), local, read_notebook(incoming))
    except Exception as error:  # a merge that fails must neither lose work nor stop the update
        return keep_with_instructors_beside(f"you and the instructor both changed it, and the two could not "
                                            f"be merged ({type(error).__name__}: {error})")

    backup.save(relative)
    write_atomically(target, nbformat_writes(merged).encode("utf-8"))
    detail = "your work kept and the instructor's changes brought in"
    if settled_metadata:
        detail += "; where you both changed the same settings (metadata), the instructor's were taken"
    conflicted = cells_with_conflicts(merged)
    if not conflicted:
        return Change(relative, MERGED, detail)
    return Change(relative, CONFLICTS,
                  f"{detail}, except where you both changed the same place: {describe_cells(conflicted)}. "
                  f"Each shows <<<<<<< {YOURS} ... ======= ... >>>>>>> {INSTRUCTORS}: keep what is "
                  "right and delete the markers")


def read_notebook(path):
    """The notebook at `path`, or NotANotebook saying why Jupyter could not open it."""
    import nbformat

    try:
        text = Path(path).read_bytes().decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise NotANotebook("it is not a notebook (not even text)") from None
    except json.JSONDecodeError as error:
        raise NotANotebook(f"it is not a notebook Jupyter can open: its JSON is broken at line "
                           f"{error.lineno}, column {error.colno} ({error.msg})") from None
    if not (isinstance(data, dict) and isinstance(data.get("cells"), list) and data.get("nbformat") == 4):
        raise NotANotebook("it is JSON but not a Jupyter notebook (format 4)")
    notebook = nbformat.v4.reads(text)  # as nbformat.read does, without its logging of invalid notebooks
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat warns of the cell ids it fills in
            nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        raise NotANotebook(f"it is not a valid notebook ({str(error).splitlines()[0]})") from None
    return notebook


def merge_with_nbdime(base, local, remote):
    """nbdime's merge, as `nbmerge` does it with its "inline" strategy, but keeping the student's
    outputs where both changed them. Returns the merged notebook, valid, with the conflict
    markers named for the student, and whether metadata conflicts were settled."""
    import nbformat
    from nbdime.merging import merge_notebooks

    arguments = argparse.Namespace(merge_strategy="inline", input_strategy=None, output_strategy="use-local",
                                   ignore_transients=True, log_level="ERROR")
    nbdime_logger = logging.getLogger("nbdime")
    level = nbdime_logger.level
    nbdime_logger.setLevel(logging.ERROR)  # nbdime warns of every recorded conflict; the report says it better
    try:
        merged, _ = merge_notebooks(base, local, remote, arguments)
    finally:
        nbdime_logger.setLevel(level)
    settled = take_instructors_metadata_in_conflicts(merged)
    name_conflict_markers(merged)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, merged = nbformat.validator.normalize(merged)  # cell ids: both sides may bring the same one
    merged = nbformat.from_dict(merged)
    nbformat.validate(merged)
    return merged, settled


def take_instructors_metadata_in_conflicts(notebook):
    """nbdime's "inline" merge records metadata conflicts under `nbdime-conflicts`, keeping the
    published value; apply the instructor's side instead, so that nbgrader's cell settings and
    the kernel are the course's. Returns how many were settled."""
    from nbdime.patching import patch

    settled = 0
    for holder in [notebook, *notebook.cells, *(output for cell in notebook.cells for output in cell.get("outputs", ()))]:
        metadata = holder.get("metadata")
        if isinstance(metadata, dict) and "nbdime-conflicts" in metadata:
            conflicts = metadata.pop("nbdime-conflicts")
            try:
                holder["metadata"] = patch(dict(metadata), conflicts["remote_diff"])
            except Exception:  # nbdime's recording is not a patch we can apply: keep the published value
                pass
            settled += 1
    return settled


MARKER_NAMES = {
    "<<<<<<< local": f"<<<<<<< {YOURS}",
    ">>>>>>> remote": f">>>>>>> {INSTRUCTORS}",
    "||||||| base": "||||||| as first published",
    "<<<<<<< LOCAL CELL DELETED >>>>>>>": "<<<<<<< you deleted this cell; the instructor changed it >>>>>>>",
    "<<<<<<< REMOTE CELL DELETED >>>>>>>": "<<<<<<< the instructor deleted this cell; you changed it >>>>>>>",
}


def name_conflict_markers(notebook):
    """nbdime labels the sides "local" and "remote"; the student reads whose version is whose."""
    for cell in notebook.cells:
        lines = cell.source.splitlines(keepends=True)
        for index, line in enumerate(lines):
            for nbdime_marker, ours in MARKER_NAMES.items():
                if line.rstrip("\n") == nbdime_marker or f"<b>{nbdime_marker}</b>" in line:
                    lines[index] = line.replace(nbdime_marker, ours)
                    break
        cell.source = "".join(lines)


def cells_with_conflicts(notebook):
    """The cells opening a conflict: (1-based position, what it is), the latter the cell's
    nbgrader grade_id, or a note for the markdown cell nbdime puts before cells both added."""
    found = []
    for position, cell in enumerate(notebook.cells, start=1):
        lines = cell.source.splitlines()
        if any(line.startswith("<<<<<<<") for line in lines):
            found.append((position, cell.metadata.get("nbgrader", {}).get("grade_id")))
        elif any("<b><<<<<<<" in line for line in lines):
            found.append((position, "cells you both added"))
    return found


def describe_cells(cells):
    names = [f"{position} ({what})" if what else str(position) for position, what in cells]
    return ("cell " if len(names) == 1 else "cells ") + ", ".join(names)


def nbformat_writes(notebook):
    import nbformat

    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


# --- files ---------------------------------------------------------------------------------


class OutsideEdition(EditionError):
    """Writing there would leave the student's edition (through a symbolic link)."""


def path_inside(edition_dir, relative):
    """The student's copy of a recorded file, refused if a link would take a write outside."""
    return inside_or_refuse(edition_dir, edition_dir / PurePosixPath(check_relative(relative)))


def inside_or_refuse(edition_dir, path):
    # The file itself may be a link: files are replaced, never written through. Its folders
    # must not lead out.
    if not path.parent.resolve().is_relative_to(edition_dir):
        raise OutsideEdition(f"not written: a symbolic link takes {path.parent.relative_to(edition_dir).as_posix()}/ "
                             "outside your edition")
    return path


def copy_file(source, destination):
    write_atomically(destination, Path(source).read_bytes(), mode_from=source)


def write_atomically(path, data, mode_from=None):
    """Replace `path` (never writing through a link there) with `data`, all at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.update-partial")
    partial.write_bytes(data)
    if mode_from is not None:
        shutil.copymode(mode_from, partial)
    os.replace(partial, path)


def beside_name(relative):
    """`helpers.py` -> `helpers.published.py`: where the instructor's version goes when the
    student's is kept."""
    path = PurePosixPath(relative)
    if path.suffix and path.stem:
        return (path.parent / f"{path.stem}.published{path.suffix}").as_posix()
    return (path.parent / f"{path.name}.published").as_posix()


def write_beside(edition_dir, relative, incoming, backup):
    """Write the instructor's version beside the student's file; returns its relative path."""
    beside = beside_name(relative)
    target = path_inside(edition_dir, beside)
    if target.is_file() and Path(incoming).read_bytes() == target.read_bytes():
        return beside
    if target.is_file():
        backup.save(beside)  # an earlier update's copy, which the student may have edited
    copy_file(incoming, target)
    return beside


class Backup:
    """`.edition/backup/<time>/`: the student's files as they were before this update."""

    def __init__(self, edition_dir):
        self.edition_dir = edition_dir
        stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
        folder = edition_dir / FOLDER / "backup" / stamp
        serial = 1
        while folder.exists():
            serial += 1
            folder = folder.with_name(f"{stamp}-{serial}")
        self.folder = folder
        self.saved = []

    def save(self, relative):
        destination = inside_or_refuse(self.edition_dir, self.folder / PurePosixPath(relative))
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.edition_dir / relative, destination)
        self.saved.append(relative)


# --- where the new edition comes from ------------------------------------------------------


@contextmanager
def find_new_edition(source):
    """Yield a folder holding the edition `source` names: a folder as it is; a .zip file or an
    http(s) URL of one, extracted into a temporary folder; a Git URL or repository, cloned into
    one. Temporary folders are removed afterwards."""
    source = str(source)
    local = Path(source).expanduser()
    if local.is_dir() and is_edition(local):
        yield local
        return
    with tempfile.TemporaryDirectory(prefix="nncourse-update-") as scratch:
        scratch = Path(scratch)
        if local.is_file() and zipfile.is_zipfile(local):
            yield edition_in_zip(local, scratch / "edition")
        elif is_zip_url(source):
            yield edition_in_zip(download(source, scratch / "edition.zip"), scratch / "edition")
        elif is_git_source(source, local):
            yield clone(source, scratch / "edition")
        else:
            raise EditionError(f"No edition found at {source}: name a folder holding .edition/edition.json, "
                               "a .zip file, or the URL of a .zip or of a Git repository.")


def is_zip_url(source):
    parts = urllib.parse.urlsplit(source)
    return parts.scheme in ("http", "https") and (parts.path.endswith(".zip") or "/zipball/" in parts.path)


def is_git_source(source, local):
    if local.is_dir():
        return (local / ".git").exists() or (local / "HEAD").is_file()  # a working copy, or a bare repository
    scheme = urllib.parse.urlsplit(source).scheme
    return scheme in ("http", "https", "ssh", "git", "file") or (":" in source and "@" in source.split(":")[0])


def download(url, destination):
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(destination, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as error:
        raise EditionError(f"Could not download {url}: {error}") from None
    if not zipfile.is_zipfile(destination):
        raise EditionError(f"{url} did not give a zip file. If the repository is private, download the zip "
                           "in your browser and give the file instead.")
    return destination


def clone(source, destination):
    git = shutil.which("git")
    if not git:
        raise EditionError(f"{source} is a Git repository, and Git is not installed: install Git, or "
                           "download the edition as a .zip and give that instead.")
    # core.autocrlf=false: the files must arrive as they were published, to match their record.
    command = [git, "-c", "core.autocrlf=false", "clone", "--depth", "1", "--quiet", "--", source, str(destination)]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise EditionError(f"Could not clone {source}: {result.stderr.strip() or 'git failed'}")
    return destination


def edition_in_zip(zip_path, folder):
    """Extract a zipped edition safely; returns the folder holding its .edition/, at the zip's
    top or inside its one top folder (as GitHub's "Download ZIP" makes it)."""
    extract_safely(zip_path, folder)
    if is_edition(folder):
        return folder
    tops = [entry for entry in folder.iterdir() if entry.name != "__MACOSX"]
    if len(tops) == 1 and tops[0].is_dir() and is_edition(tops[0]):
        return tops[0]
    raise EditionError(f"{zip_path} holds no edition: no .edition/edition.json at its top or inside one top folder.")


def extract_safely(zip_path, folder):
    """Extract, refusing the whole zip if a member is absolute, climbs out with `..`, or is a link."""
    if not zipfile.is_zipfile(zip_path):
        raise EditionError(f"{zip_path} is not a zip file.")
    with zipfile.ZipFile(zip_path) as archive:
        members = archive.infolist()
        for member in members:
            refuse_unsafe_member(zip_path, member)
        if sum(member.file_size for member in members) > ZIP_SIZE_LIMIT:
            raise EditionError(f"{zip_path} is refused: it would unpack to more than {ZIP_SIZE_LIMIT >> 30} GB.")
        folder.mkdir(parents=True, exist_ok=True)
        for member in members:
            destination = folder / PurePosixPath(member.filename)
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as packed, open(destination, "wb") as out:
                shutil.copyfileobj(packed, out)


def refuse_unsafe_member(zip_path, member):
    name = member.filename
    path = PurePosixPath(name)
    unsafe = (path.is_absolute() or ".." in path.parts or "\\" in name or ":" in name
              or stat.S_ISLNK(member.external_attr >> 16))
    if unsafe:
        raise EditionError(f"{zip_path} is refused: its member {name!r} would be written outside the "
                           "edition or is a symbolic link.")


# --- the command ---------------------------------------------------------------------------


def find_edition_above(folder):
    folder = Path(folder).resolve()
    for candidate in (folder, *folder.parents):
        if is_edition(candidate):
            return candidate
    raise EditionError(f"No student edition here: neither {folder} nor a folder above it holds "
                       f"{FOLDER}/edition.json. Run this inside your course folder, or give --edition DIR.")


def summarize(changes):
    """One line: how many files had each outcome."""
    if not changes:
        return "Already up to date: nothing to bring in."
    count = {what: sum(1 for change in changes if change.what == what) for what in
             (NEW, RESTORED, UPDATED, MERGED, CONFLICTS, KEPT, UNREADABLE, RETIRED, REFUSED)}
    parts = []
    if count[UPDATED]:
        parts.append(f"{count[UPDATED]} updated")
    if count[MERGED] or count[CONFLICTS]:
        merged = f"{count[MERGED] + count[CONFLICTS]} merged"
        if count[CONFLICTS]:
            conflicted = ", ".join(change.path for change in changes if change.what == CONFLICTS)
            merged += f" ({count[CONFLICTS]} with conflicts: {conflicted})"
        parts.append(merged)
    labels = {NEW: "new", RESTORED: "restored", KEPT: "kept with the instructor's version beside",
              UNREADABLE: "unreadable, left as they are", RETIRED: "no longer part of the course",
              REFUSED: "not written"}
    parts += [f"{count[what]} {label}" for what, label in labels.items() if count[what]]
    return ", ".join(parts) + "."


def what_to_run_after(changes):
    """What the student must run for changes that take effect only then: new pins, a new data manifest."""
    brought_in = {change.path for change in changes if change.what in (NEW, RESTORED, UPDATED)}
    advice = []
    if brought_in & {"pyproject.toml", "constraints.txt"}:
        advice.append("The course's packages changed: run `python3 course.py setup` again (on Windows `py course.py setup`).")
    if "datasets/manifest.json" in brought_in:
        advice.append("The data manifest changed: run `python3 course.py data` (on Windows `py course.py data`).")
    return advice


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m nncourse.update",
        description="Bring in what the instructor published since your edition, keeping your work.")
    parser.add_argument("source", nargs="?",
                        help="the newer edition: a folder, a .zip file or URL, or a Git URL "
                             "(default: where your edition says editions are published)")
    parser.add_argument("--edition", type=Path, help="your edition's folder (default: the one you are in)")
    arguments = parser.parse_args(argv)
    try:
        edition_dir = arguments.edition.resolve() if arguments.edition else find_edition_above(Path.cwd())
        source = arguments.source or read_record(edition_dir).source
        if not source:
            raise EditionError("Your edition does not say where new editions are published: name one, "
                               "`python3 course.py update SOURCE` (on Windows `py course.py update SOURCE`), "
                               "where SOURCE is a folder, a .zip file, or a Git or .zip URL.")
        with find_new_edition(source) as new_edition_dir:
            changes = update_edition(edition_dir, new_edition_dir)
    except (EditionError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(summarize(changes))
    for advice in what_to_run_after(changes):
        print(advice)
    if any(change.what in NEEDS_THE_STUDENT for change in changes):
        print("Some files need you: see the lines marked " +
              ", ".join(sorted({change.what for change in changes if change.what in NEEDS_THE_STUDENT})) + " above.")
        return EXIT_NEEDS_THE_STUDENT
    return EXIT_DONE


if __name__ == "__main__":
    sys.exit(main())
