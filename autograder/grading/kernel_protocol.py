"""The judge's side of the small protocol between a test cell and the notebook's kernel.

A test cell runs in the judge's process (judge.py). What it needs of the notebook goes through
four requests, answered by kernel_server.Server where the notebook's names live:

- fetch(names): for each name, missing, a function, or its value;
- call(name, args, kwargs): call the notebook's function; its value, and its arguments as it left them;
- stand_in(name, replacement) / restore(name): while a check runs, the notebook's global `name`
  is a function of the judge's (which the notebook calls back).

Requests and answers are files in the kernel's folder, in the wire format (wire.py); every answer
is read as untrusted data. `KernelRequests` holds all of that. A kernel class adds how a request
reaches the server (`_request`) and how a code cell runs (`run`):

- student_kernel.StudentKernel: a sandboxed IPython kernel in another process, for grading;
- in_process_kernel.InProcessKernel: the course's own answers in this process, for the corpus tests.
"""

import os
import stat
import sys
from pathlib import Path

import numpy as np

from . import wire

MAX_ANSWER_BYTES = 512 * 1024 * 1024


class KernelDied(RuntimeError):
    """The kernel process ended (os._exit, a crash, or the memory limit)."""


class TimedOut(RuntimeError):
    """A cell or a call ran past its time; the kernel was interrupted or killed."""


class StudentError(Exception):
    """A function of the notebook raised; the message says what, in the student's terms."""


class KernelRequests:
    """The judge's requests to a kernel whose server answers in the folder `workdir`."""

    def __init__(self, workdir, timeout):
        self.workdir, self.timeout = Path(workdir), timeout
        self.requests, self.busy = 0, False
        self.callables = []    # the judge's functions the kernel may call back, by handle
        self.callbacks = CallbackHandler(self.workdir, self.callables)
        self.suspicious = []   # why returned values looked made to fool a check

    def _request(self, verb, argument):
        """Have the kernel's server run `verb(argument)`; "ok", "timeout" or "died"."""
        raise NotImplementedError

    def call(self, name, args, kwargs):
        """Call the notebook's function `name`; its value, decoded. Printed text goes to our stdout."""
        answer = self._ask("call", {"name": name, "args": list(args), "kwargs": kwargs})
        if answer.get("printed"):
            sys.stdout.write(str(answer["printed"]))
        if "error" in answer:
            kind, message, where = (list(answer["error"]) + ["", "", ""])[:3]
            if kind == "NotImplementedError":
                raise StudentError(f"{name} is not written yet (it raises NotImplementedError): "
                                   "fill in its exercise cell")
            raise StudentError(f"{name}(...) raised {kind}: {message}" + (f"\n{where}" if where else ""))
        _copy_back(args, answer.get("args"))
        _copy_back(kwargs, answer.get("kwargs"))
        value = answer.get("value")
        why = _why_suspicious(value)
        if why:
            self.suspicious.append(f"{name} returned {why}")
        return value

    def fetch(self, names):
        """{name: ("missing",) | ("function",) | ("value", value)} for the notebook's names."""
        return self._ask("fetch", {"names": list(names)})

    def stand_in(self, name, replacement):
        self._ask("stand_in", {"name": name, "replacement": replacement}, answered=False)

    def restore(self, name):
        self._fail_unless_ok(self._request("restore", name))

    def _ask(self, verb, request, answered=True):
        if self.busy:  # a judge's callback calling into the kernel while it waits for that callback
            raise StudentError("the grader cannot call the notebook while the notebook is calling the grader")
        self.busy = True
        try:
            return self._ask_now(verb, request, answered)
        finally:
            self.busy = False

    def _ask_now(self, verb, request, answered):
        self.requests += 1
        n = f".request-{self.requests}"
        write_atomically(self.workdir / f"{n}.request", wire.dumps(request, self.callables))
        self._fail_unless_ok(self._request(verb, n))
        if not answered:
            return None
        answer = read_answer(self.workdir / f"{n}.answer")
        if answer is None:
            raise StudentError("the notebook's kernel gave no answer to the grader")
        return answer

    def _fail_unless_ok(self, outcome):
        if outcome == "died":
            raise KernelDied("the kernel died")
        if outcome == "timeout":
            raise TimedOut(f"it ran for more than {self.timeout:g} s")


class CallbackHandler:
    """Runs the judge's functions that the kernel asks for while a call is under way. The kernel numbers
    its requests from 1 (kernel_server.py), so one look for the next number is enough."""

    def __init__(self, folder, callables):
        self.folder, self.callables = Path(folder), callables
        self.answered = 0

    def poll(self):
        request = self.folder / f"callback-{self.answered + 1}.request"
        if os.path.exists(request):
            self.answered += 1
            self._answer(request)

    def _answer(self, request_path):
        request = read_answer(request_path)
        request_path.unlink(missing_ok=True)
        try:
            function = self.callables[int(request["handle"])]
            answer = {"value": function(*request["args"], **request["kwargs"])}
        except Exception as error:  # reported to the student's code as the callback's error
            answer = {"error": f"{type(error).__name__}: {error}"}
        write_atomically(request_path.with_suffix(".answer"), wire.dumps(answer))


def read_answer(path):
    """The value in a file the kernel wrote, or None; never follows a link, never reads a huge file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ANSWER_BYTES:
            raise StudentError("the notebook's kernel answered the grader with something that is not plain data")
        data = file.read()
    try:
        return wire.loads(data)
    except wire.WireError as error:
        raise StudentError(f"the notebook's kernel answered the grader with bad data ({error})") from None


def write_atomically(path, data):
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _copy_back(sent, returned):
    """In-place changes the student's function made to array arguments, made to ours too."""
    if isinstance(sent, (list, tuple)) and isinstance(returned, list):
        pairs = zip(sent, returned)
    elif isinstance(sent, dict) and isinstance(returned, dict):
        pairs = ((value, returned.get(key)) for key, value in sent.items())
    else:
        return
    for ours, theirs in pairs:
        if isinstance(ours, dict) and isinstance(theirs, dict):
            _copy_back(ours, theirs)
        elif isinstance(ours, np.ndarray) and type(theirs) is np.ndarray \
                and theirs.shape == ours.shape and ours.flags.writeable:
            ours[...] = theirs


def _why_suspicious(value):
    if isinstance(value, wire.Opaque) and getattr(value, "why", ""):
        return value.why
    if isinstance(value, (list, tuple)):
        return next((w for w in map(_why_suspicious, value) if w), "")
    if isinstance(value, dict):
        return next((w for w in map(_why_suspicious, value.values()) if w), "")
    return ""
