"""Runs inside the student's kernel: answers the judge's requests about the notebook's names.

The judge never trusts this code (the student can replace it); it only reads the values it
writes, in the wire format, and judges them itself. Requests and answers are files in the
submission's folder: `<n>.request` in, `<n>.answer` out (written whole, then renamed); the
judge asks for each with a message of its own on the kernel's shell channel (`serve`).
A callable sent by the judge becomes a function here that asks the judge to run it.
"""

import contextlib
import io
import os
import time
import traceback

MAX_PRINTED = 1_000_000


class _Capped(io.StringIO):
    """Keeps the first MAX_PRINTED characters printed, and counts the rest."""

    def __init__(self):
        super().__init__()
        self.dropped = 0

    def write(self, text):
        room = MAX_PRINTED - self.tell()
        if room < len(text):
            self.dropped += len(text) - max(room, 0)
            text = text[:max(room, 0)]
        return super().write(text)


class Server:
    def __init__(self, folder, wire, namespace, wait_for=None):
        """`wait_for(path)` returns once the judge has written the file `path` (a callback's answer); by default
        it looks every half millisecond, the judge being another process."""
        self.folder, self.wire, self.namespace = folder, wire, namespace
        self.wait_for = wait_for or _wait_for
        self.replaced = {}
        self.callbacks = 0

    def call(self, n):
        request = self._read(n)
        printed = _Capped()
        args = [self._live(a) for a in request["args"]]
        kwargs = {k: self._live(v) for k, v in request["kwargs"].items()}
        try:
            function = self.namespace[request["name"]]
            with contextlib.redirect_stdout(printed):
                value = function(*args, **kwargs)
            answer = {"value": value, "args": args, "kwargs": kwargs}
        except BaseException as error:  # the student's error, reported to the judge
            answer = {"error": [type(error).__name__, str(error)[:2000], _student_traceback(error)]}
        answer["printed"] = printed.getvalue() + (f"\n... ({printed.dropped} more characters)" if printed.dropped else "")
        self._write(f"{n}.answer", answer)

    def fetch(self, n):
        """For each name: missing, a function, or its value."""
        answer = {}
        for name in self._read(n)["names"]:
            if name not in self.namespace:
                answer[name] = ["missing"]
            elif callable(self.namespace[name]) and not isinstance(self.namespace[name], type):
                answer[name] = ["function"]
            else:
                answer[name] = ["value", self.namespace[name]]
        self._write(f"{n}.answer", answer)

    def stand_in(self, n):
        """While the judge checks a function, `name` in the notebook is a function of the judge's."""
        request = self._read(n)
        name = request["name"]
        self.replaced.setdefault(name, self.namespace.get(name, _MISSING))
        self.namespace[name] = self._live(request["replacement"])

    def restore(self, name):
        before = self.replaced.pop(name, _MISSING)
        if before is _MISSING:
            self.namespace.pop(name, None)
        else:
            self.namespace[name] = before

    def _live(self, value):
        if isinstance(value, self.wire.Callback):
            return self._callback(value.handle)
        if isinstance(value, self.wire.Ref):
            return self.namespace.get(value.name)
        if isinstance(value, list):
            return [self._live(v) for v in value]
        if isinstance(value, dict):
            return {k: self._live(v) for k, v in value.items()}
        return value

    def _callback(self, handle):
        def judge_function(*args, **kwargs):
            self.callbacks += 1
            n = f"callback-{self.callbacks}"
            self._write(n + ".request", {"handle": handle, "args": list(args), "kwargs": kwargs})
            answer_path = os.path.join(self.folder, n + ".answer")
            self.wait_for(answer_path)
            with open(answer_path, "rb") as file:
                answer = self.wire.loads(file.read())
            os.unlink(answer_path)
            if "error" in answer:
                raise RuntimeError(answer["error"])
            return answer["value"]
        return judge_function

    def _read(self, n):
        path = os.path.join(self.folder, f"{n}.request")
        with open(path, "rb") as file:
            request = self.wire.loads(file.read())
        os.unlink(path)
        return request

    def _write(self, filename, value):
        path = os.path.join(self.folder, filename)
        with open(path + ".partial", "wb") as file:
            file.write(self.wire.dumps(value))
        os.replace(path + ".partial", path)


_MISSING = object()


def _wait_for(path):
    while not os.path.exists(path):
        time.sleep(0.0005)


def serve(kernel, server):
    """Answer the judge's `nn_request` messages on the kernel's shell channel: {"verb", "argument"} runs
    `server.<verb>(argument)`, then an `nn_reply` goes back, whatever happened (the answer itself is in
    the request's answer file)."""
    def handle(stream, ident, parent):
        content = parent.get("content", {})
        try:
            if content.get("verb") in VERBS:
                getattr(server, content["verb"])(content.get("argument"))
        finally:
            kernel.session.send(stream, "nn_reply", {}, parent, ident)
    kernel.shell_handlers["nn_request"] = handle


VERBS = {"call", "fetch", "stand_in", "restore"}


def _student_traceback(error):
    """The last frames of the traceback, from the notebook's cells only."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename != "<string>"]
    return "".join(traceback.format_list(frames[-4:]))[-3000:]
