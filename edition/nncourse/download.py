"""Bringing the data files in, from a local folder or by download, always verified.

`fetch_files(target)` makes every file named in `target`'s manifest present and verified.
For each file that is missing or corrupt it tries, in order:

1. the local folder it is given (`datasets/fetch.py` passes --from DIR, else $NNCOURSE_DATA_SOURCE),
2. each base address in $NNCOURSE_DATA_MIRRORS (separated by spaces; the file is BASE/NAME),
3. the addresses listed for the file in the manifest, in order,

and moves on to the next place on any failure: a missing file, an HTTP or connection error,
a server that sends nothing for `timeout` seconds, a wrong size or a wrong SHA-256. A file
is written under a temporary `.partial` name, verified, then renamed, so a bad file never
sits under the real name. A download that broke off keeps its `.partial`, and the next try
asks for the rest with an HTTP Range request (starting from zero when the server ignores it).

Only the standard library is used: `datasets/fetch.py` runs this before anything is installed.
"""

import http.client
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .datasets import DATA_SOURCE_ENV, MANIFEST, DatasetError, mismatch, problem_with, read_manifest

MIRRORS_ENV = "NNCOURSE_DATA_MIRRORS"
DEFAULT_TIMEOUT = 30.0   # seconds without a byte before a server counts as stalled
CHUNK = 64 * 1024
USER_AGENT = "nncourse-fetch (the Neurons to Networks course's data fetcher)"


class Failed(Exception):
    """One place could not provide a file; the message says why."""


class WrongAnswer(Failed):
    """The address answered, but not with the file (an HTTP error, a wrong size or checksum)."""


class NotFetched(Exception):
    """No place provided the file of `entry`; `tries` holds (place, Failed) for each one tried."""

    def __init__(self, entry, tries):
        super().__init__(entry["name"])
        self.entry, self.tries = entry, tries


def fetch_files(target, local=None, offline=False, timeout=DEFAULT_TIMEOUT, out=None):
    """Make every file of `target`'s manifest present and verified; returns a report, a line per file.

    `local` is a folder tried before any address; with `offline` nothing else is tried.
    Files already present and verified are left alone. Progress and failed tries are written
    to `out` (a text stream, or None for silence) as they happen. When some file could be had
    from no place, raises DatasetError naming each place tried and why, and how to get the
    files by hand; the files that could be had are in place by then.
    """
    target = Path(target)
    entries = read_manifest(target)
    if offline and not local:
        raise DatasetError("Offline, the files can only come from a local folder: name one with "
                           f"--from DIR or {DATA_SOURCE_ENV}.")
    report, failures = [], []
    for entry in entries:
        try:
            report.append(fetch_file(entry, target, places_for(entry, local, offline), timeout, out))
        except NotFetched as failure:
            failures.append(failure)
    if failures:
        raise DatasetError(failure_message(failures, target, timeout))
    return report


def places_for(entry, local, offline):
    """Where to look for the file, in order: a Path in the local folder, then download addresses."""
    places = [Path(local) / entry["name"]] if local else []
    if not offline:
        name = urllib.parse.quote(entry["name"])
        places += [f"{base.rstrip('/')}/{name}" for base in os.environ.get(MIRRORS_ENV, "").split()]
        places += entry["urls"]
    return places


def fetch_file(entry, target, places, timeout, out):
    """Bring one file in from the first of `places` that provides it; returns its report line."""
    destination = target / entry["name"]
    if problem_with(destination, entry) is None:
        return f"{entry['name']}: already present and verified"
    partial = destination.with_name(destination.name + ".partial")
    if destination.is_file():
        # A bad file must not stay under the real name; as a .partial it may still save a download.
        destination.replace(partial)
    tries = []
    for place in places:
        try:
            how = bring(place, partial, entry, timeout, out)
        except Failed as failure:
            tries.append((place, failure))
            say(out, f"  {place}: {failure}")
            continue
        partial.replace(destination)
        return f"{entry['name']}: {how} and verified"
    if partial.is_file() and partial.stat().st_size == 0:
        partial.unlink()
    raise NotFetched(entry, tries)


def bring(place, partial, entry, timeout, out):
    """Put the file from `place` (a local Path or an address) at `partial`, verified; says how, or raises Failed."""
    if isinstance(place, Path):
        copy_from_folder(place, partial, entry)
        return f"copied from {place}"
    download(place, partial, entry, timeout, out)
    return f"downloaded from {place}"


def copy_from_folder(origin, partial, entry):
    if not origin.is_file():
        raise Failed("missing")
    problem = mismatch(origin, entry)
    if problem:
        raise Failed(problem)
    try:
        shutil.copyfile(origin, partial)
        problem = mismatch(partial, entry)
        problem = problem and f"the copy {problem}"
    except OSError as error:
        problem = str(error)
    if problem:
        partial.unlink(missing_ok=True)
        raise Failed(f"copying it to {partial.parent} went wrong: {problem}")


def download(url, partial, entry, timeout, out):
    """Download `url` to `partial`, resuming what an earlier try left there; raises Failed."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise WrongAnswer("not an http or https address")
    start = resumable_size(partial, entry)
    try:
        resumed = receive(url, partial, start, entry, timeout, out)
        problem = mismatch(partial, entry)
        if problem and resumed:
            # The bytes kept from an earlier try may be the bad ones: once more, from zero.
            say(out, f"  {url}: the resumed download {problem}; starting again from zero")
            receive(url, partial, 0, entry, timeout, out)
            problem = mismatch(partial, entry)
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection, open to read an error page
        raise WrongAnswer(f"HTTP {error.code} {error.reason}") from None
    except (OSError, http.client.HTTPException) as error:  # urllib's URLError is an OSError
        raise Failed(reason_for(error, timeout)) from None
    if problem:
        partial.unlink()
        raise WrongAnswer(f"the download {problem}")


def resumable_size(partial, entry):
    """How many bytes of `partial` an earlier, broken download left to build on (0: none)."""
    if not partial.is_file():
        return 0
    size = partial.stat().st_size
    if size >= entry["bytes"]:
        partial.unlink()  # not a beginning of the file: a wrong copy
        return 0
    return size


def receive(url, partial, start, entry, timeout, out):
    """One request for `url`, written to `partial` from byte `start` on (0: the whole file).

    Returns whether the bytes already in `partial` were kept (the server honoured the Range request).
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if start:
        request.add_header("Range", f"bytes={start}-")
    expected = entry["bytes"]
    # A new opener each time, so that proxy settings are read from the environment now.
    with urllib.request.build_opener().open(request, timeout=timeout) as response:
        if start and response.status != 206:
            start = 0  # the server ignored the Range request and sends the whole file
        elif start and not response.headers.get("Content-Range", "").startswith(f"bytes {start}-"):
            raise Failed(f"the server answered the request for bytes {start}- with another part of the file")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and start + int(length) != expected:
            raise WrongAnswer(f"the server offers {start + int(length)} bytes; expected {expected} (a wrong file)")
        done = start
        progress = Progress(out, entry["name"], expected, start)
        try:
            with open(partial, "ab" if start else "wb") as f:
                while done <= expected and (chunk := response.read(CHUNK)):
                    f.write(chunk)
                    done += len(chunk)
                    progress.show(done)
        finally:
            progress.end()
    if done > expected:
        partial.unlink()
        raise WrongAnswer(f"the server sends more than the expected {expected} bytes (a wrong file)")
    if done < expected:
        raise Failed(f"the connection closed after {done} of {expected} bytes")
    return start > 0


def reason_for(error, timeout):
    """A short reason for a download that got no answer, broke off or could not be written."""
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(cause, TimeoutError):
        return f"stalled: nothing received for {timeout:g} s"
    if isinstance(error, urllib.error.URLError):
        return f"could not connect ({cause})"
    if isinstance(error, (ConnectionError, http.client.HTTPException)):
        return f"the connection broke ({type(error).__name__}: {error})"
    return f"{type(error).__name__}: {error}"  # writing failed here, say a full disk


class Progress:
    """`train_catvnoncat.h5: 1,234,567 of 2,572,022 bytes (48%)`, kept on one line.

    On a terminal the line is rewritten in place as the bytes arrive; in a log (not a
    terminal) it is written again only at each quarter, so the log shows the download
    moving without filling up with lines.
    """

    def __init__(self, out, name, total, start=0):
        self.out, self.name, self.total = out, name, max(total, 1)
        self.in_place = out is not None and hasattr(out, "isatty") and out.isatty()
        self.shown = None     # the last percentage (on a terminal) or quarter (in a log) written
        self.line_open = False
        if start:
            say(out, f"  {name}: resuming after the {start:,} bytes of an earlier try")

    def show(self, done):
        if self.out is None:
            return
        percent = done * 100 // self.total
        step = percent if self.in_place else percent // 25
        if step == self.shown:
            return
        self.shown = step
        line = f"  {self.name}: {done:,} of {self.total:,} bytes ({percent}%)"
        if self.in_place:
            self.out.write("\r" + line)
            self.line_open = True
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def end(self):
        if self.line_open:
            self.out.write("\n")
            self.out.flush()
            self.line_open = False


def say(out, text):
    if out is not None:
        print(text, file=out, flush=True)


def failure_message(failures, target, timeout):
    """What was tried for each file that could not be had, and how to get the files by hand."""
    lines = [f"Could not get {len(failures)} of the course's data files. Tried:"]
    for failure in failures:
        entry = failure.entry
        lines.append(f"{entry['name']} ({entry['bytes']} bytes, SHA-256 {entry['sha256']}):")
        lines += [f"  {place}: {reason}" for place, reason in failure.tries]
        if not failure.tries:
            lines.append(f"  nothing: no local folder was named and {MANIFEST} lists no address for it")
    if any(str(reason).startswith("stalled") for failure in failures for _, reason in failure.tries):
        lines.append(f"On a slow network, allow more than {timeout:g} s of silence: --timeout SECONDS.")
    lines.append("To get the files by hand, download with a browser:")
    lines += [f"  {failure.entry['name']}: {address_by_hand(failure)}" for failure in failures]
    lines += ["Save them in a folder of your choice and run, in the course folder,",
              "  python3 course.py data --from THAT_FOLDER",
              f"(or python3 datasets/fetch.py --from THAT_FOLDER; {DATA_SOURCE_ENV}=THAT_FOLDER does the same),",
              f"or save them straight into {target} and run `python3 course.py data` to check them.",
              f"Each file is checked against {target / MANIFEST} before it is used."]
    return "\n".join(lines)


def address_by_hand(failure):
    """The address most worth a try in a browser: the first that failed for want of a connection."""
    tried = [(place, reason) for place, reason in failure.tries if isinstance(place, str)]
    addresses = [place for place, _ in tried]
    unreached = [place for place, reason in tried if not isinstance(reason, WrongAnswer)]
    for choice in (unreached, addresses, failure.entry["urls"]):
        if choice:
            return choice[0]
    return "(no address known: ask your instructor for this file)"
