"""A kernel in the judge's own process, for the course's own answers.

The answer corpus's tests (tests/test_corpus.py) run a notebook once per answer, hundreds of
times; a sandboxed kernel per run would take many minutes where this takes seconds. Only the
transport differs from grading: a code cell is an `exec` in this kernel's namespace, and a request
is a method call on the grader's own kernel server (kernel_server.Server), whose answers are
written and read in the wire format exactly as a sandboxed kernel's are. So a test cell is judged
by the grader's judge (judge.judge) through the same protocol (kernel_protocol.py).

Never for a student's code: it runs with this process's rights and in its memory.
"""

import contextlib
import io
import os
import traceback

from nbformat.v4 import new_output

from . import kernel_server, wire
from .kernel_protocol import KernelRequests


class InProcessKernel(KernelRequests):
    """`folder`: an empty folder for the requests and answers."""

    def __init__(self, folder, timeout=120):
        super().__init__(folder, timeout)
        self.namespace = {"__name__": "__main__"}
        self.error = None     # the exception the last cell raised, or None
        self.server = kernel_server.Server(str(self.workdir), wire, self.namespace, wait_for=self._answer_callback)

    def run(self, code, label="cell"):
        """Execute `code` here; (outputs, outcome), outcome "ok" or "error". `label` names the code in tracebacks."""
        printed = io.StringIO()
        self.error = None
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                exec(compile(code, f"<{label}>", "exec"), self.namespace)
        except Exception as error:  # noqa: BLE001 (a cell's error is its outcome, as in a kernel)
            self.error = error
        outputs = [new_output("stream", name="stdout", text=printed.getvalue())] if printed.getvalue() else []
        if self.error is None:
            return outputs, "ok"
        outputs.append(new_output("error", ename=type(self.error).__name__, evalue=str(self.error),
                                  traceback=traceback.format_exception(self.error)))
        return outputs, "error"

    def is_alive(self):
        return True

    def _request(self, verb, argument):
        if verb in kernel_server.VERBS:
            getattr(self.server, verb)(argument)
        return "ok"

    def _answer_callback(self, path):
        """The notebook calls back one of the judge's functions: answer it now, in this thread."""
        self.callbacks.poll()
        if not os.path.exists(path):
            raise RuntimeError(f"the judge did not answer {os.path.basename(path)}")
