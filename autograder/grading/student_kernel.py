"""A student's notebook kernel, in the sandbox, driven cell by cell under time and output limits.

The kernel is forked, warm, from the grading process (`fork()`), before that process reads
anything of the course: it starts with numpy, matplotlib and ipykernel already imported (the
grading processes' warm parent imported them; see grading_processes.py), enters a sandbox of
its own (sandbox.enter) and becomes an IPython kernel there. The judge talks to it in two ways:
running a code cell (as "Run All" would), and asking the kernel server (kernel_server.py, sent
in as source) to call a function of the notebook or fetch its variables. Every answer is read
with `wire.loads`; nothing the kernel sends is executed or trusted here.
"""

import os
import queue
import random
import secrets
import signal
import sys
import time
import traceback
from pathlib import Path

import numpy as np
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from nbformat.v4 import new_output, output_from_msg

from . import kernel_server, limits, sandbox, wire
from .kernel_protocol import KernelDied, KernelRequests

MAX_OUTPUT_CHARS = 100_000   # per cell: enough for any honest cell, a bound for a flood
MAX_OUTPUTS = 50
INTERRUPT_GRACE = 5
START_TIMEOUT = 120


class StudentKernel(KernelRequests):
    def __init__(self, scratch, readable, memory_mb, timeout, max_processes, cgroup_procs=None):
        """scratch: an empty folder on the submission's disk, for the kernel's folder (`workdir`), its /tmp and
        its sandbox; readable: the folders the kernel may read, the last one the data folder; memory_mb,
        max_processes, cgroup_procs: the submission's limits (see limits.py and sandbox.plan)."""
        scratch = Path(scratch)
        super().__init__(scratch / "work", timeout)
        self.scratch = scratch
        self.workdir.mkdir()
        self.pid, self.status, self.client = None, None, None
        env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(self.workdir), "LANG": "C.UTF-8",
               "MPLBACKEND": "module://matplotlib_inline.backend_inline", "MPLCONFIGDIR": "/tmp/matplotlib",
               "IPYTHONDIR": "/tmp/ipython", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PYTHONDONTWRITEBYTECODE": "1", "NNCOURSE_DATA_DIR": readable[-1]}
        (scratch / "jail").mkdir()
        self.plan = sandbox.plan(jail=scratch / "jail", workdir=self.workdir, readable=readable, memory_mb=memory_mb,
                                 max_processes=max_processes, env=env, tmp=limits.temporary_space(scratch),
                                 cgroup_procs=cgroup_procs)
        self.connection_file = str(self.workdir / ".kernel.json")

    def fork(self):
        """Start the kernel: a child of this process, which enters the sandbox and becomes the kernel.

        It starts with a copy of this process's memory, so call it before this process has read
        anything the student may not see (the grading process does it first of all), and while this
        process has one thread (before any client connects)."""
        write_connection_file(self.connection_file, ip=str(self.workdir / ".kernel"), transport="ipc",
                              key=secrets.token_hex(16).encode())
        log = str(self.scratch / "kernel.log")
        self.pid = os.fork()
        if self.pid == 0:
            _become_kernel(self.plan, self.connection_file, log)

    def start(self):
        """Connect to the forked kernel, once it answers, and start the grader's helper in it."""
        self.client = BlockingKernelClient(connection_file=self.connection_file)
        self.client.load_connection_file()
        self.client.start_channels()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            self.client.kernel_info()
            try:
                self.client.get_shell_msg(timeout=0.2)
                break
            except queue.Empty:
                if not self.is_alive() or time.monotonic() > deadline:
                    raise KernelDied(f"the kernel did not start ({self._last_logged()})") from None
        while True:   # what the kernel published before it was ready
            try:
                self.client.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                break
        server = (f"import types as _t\n"
                  f"__nn_wire__ = _t.ModuleType('nn_wire'); exec({_source(wire)!r}, __nn_wire__.__dict__)\n"
                  f"_m = _t.ModuleType('nn_server'); exec({_source(kernel_server)!r}, _m.__dict__)\n"
                  f"__nn_grader__ = _m.Server({str(self.workdir)!r}, __nn_wire__, get_ipython().user_ns)\n"
                  f"_m.serve(get_ipython().kernel, __nn_grader__)\n"
                  f"del _t, _m\n")
        outputs, outcome = self.run(server, silent=True)
        if outcome != "ok":
            raise KernelDied(f"the kernel did not start the grader's helper: {outputs}")

    def is_alive(self):
        if self.pid is None or self.status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.status = status
        return False

    def interrupt(self):
        """Ask the kernel to interrupt what it runs (a signal would not reach it through the sandbox)."""
        self.client.control_channel.send(self.client.session.msg("interrupt_request", {}))

    def kill(self):
        """Kill the kernel and its sandbox (everything in it dies with the process that entered it)."""
        if self.is_alive():
            os.kill(self.pid, signal.SIGKILL)
            self.status = os.waitpid(self.pid, 0)[1]

    def tasks(self):
        """How many processes and threads the sandbox runs now."""
        return limits.tasks_under(self.pid) if self.is_alive() else 0

    def shutdown(self):
        if self.client is not None:
            self.client.stop_channels()
        self.kill()

    def _last_logged(self):
        try:
            lines = (self.scratch / "kernel.log").read_text(errors="replace").strip().splitlines()
        except OSError:
            lines = []
        return lines[-1][:300] if lines else "it wrote nothing"

    # ------------------------------------------------------------ running cells

    def run(self, code, silent=False):
        """Execute `code`; (outputs, outcome) with outcome "ok", "error", "timeout" or "died"."""
        msg_id = self.client.execute(code, silent=silent, store_history=not silent, allow_stdin=False,
                                     stop_on_error=False)
        outputs, size, outcome, truncated = [], 0, "ok", False
        watch = _Watch(self)
        while True:
            try:
                msg = self.client.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                stop = watch.check()
                if stop:
                    return outputs, stop
                outcome = "timeout" if watch.interrupted else outcome
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            if kind == "clear_output":
                outputs, size = [], 0
            elif kind in ("stream", "display_data", "execute_result", "error"):
                if kind == "error" and outcome == "ok":
                    outcome = "error"
                size += len(str(content))
                if size <= MAX_OUTPUT_CHARS and len(outputs) < MAX_OUTPUTS:
                    outputs.append(output_from_msg(msg))
                elif not truncated:
                    truncated = True
                    outputs.append(new_output("stream", name="stderr",
                                              text=f"\n... output cut: more than {MAX_OUTPUT_CHARS} characters\n"))
        return _merge_streams(outputs), outcome

    # ------------------------------------------------------------ the judge's requests (kernel_protocol.py)

    def _request(self, verb, argument):
        """Have the kernel server run `verb(argument)`, by a message of the course's own (kernel_server.serve):
        no cell, no IPython cell machinery, a third of an execute's round trip. "ok", "timeout" or "died"."""
        message = self.client.session.msg("nn_request", {"verb": verb, "argument": argument})
        self.client.shell_channel.send(message)
        watch, quick = _Watch(self), bool(self.callables)   # a callback can come only when the judge sent one
        while True:
            if quick:
                self.callbacks.poll()
            try:
                reply = self.client.get_shell_msg(timeout=0.002 if quick else 0.1)
            except queue.Empty:
                stop = watch.check()
                if stop:
                    return stop
                continue
            if reply["parent_header"].get("msg_id") == message["header"]["msg_id"] and reply["msg_type"] == "nn_reply":
                return "timeout" if watch.interrupted else "ok"


class _Watch:
    """The time limit of one cell or request: the kernel is interrupted when it runs out, and killed when it
    ignores the interrupt for INTERRUPT_GRACE seconds."""

    def __init__(self, kernel):
        self.kernel, self.deadline, self.interrupted = kernel, time.monotonic() + kernel.timeout, None

    def check(self):
        """None while the wait may go on; else why it stops: "died" or "timeout"."""
        if not self.kernel.is_alive():
            return "died"
        now = time.monotonic()
        if self.interrupted is None and now > self.deadline:
            self.kernel.interrupt()
            self.interrupted = now
        elif self.interrupted is not None and now > self.interrupted + INTERRUPT_GRACE:
            self.kernel.kill()
            return "timeout"
        return None


def _merge_streams(outputs):
    merged = []
    for output in outputs:
        if merged and output["output_type"] == "stream" and merged[-1]["output_type"] == "stream" \
                and merged[-1]["name"] == output["name"]:
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def _source(module):
    return Path(module.__file__).read_text()


# ---------------------------------------------------------------- in the forked child

def _become_kernel(plan, connection_file, log):
    """In the child of `StudentKernel.fork`: leave the grading process's files behind, enter the sandbox
    and run an IPython kernel there. Never returns."""
    try:
        _leave_files_behind(log)
        sandbox.enter(plan)
        _reseed()
        _run_ipykernel(connection_file)
    except BaseException:   # anything at all: the kernel log says what, the grader says the kernel died
        traceback.print_exc()
        os._exit(1)
    os._exit(0)


def _leave_files_behind(log):
    """Standard input from /dev/null, output to the kernel log, and every other file the grading process had
    open (its log, the warm parent's pipes) made a copy of /dev/null: the numbers stay taken, so that
    nothing later closes a file of the kernel's by an old number, and nothing of the grader's is left."""
    null = os.open(os.devnull, os.O_RDWR)
    logged = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(null, 0)
    os.dup2(logged, 1)
    os.dup2(logged, 2)
    for fd in map(int, os.listdir("/proc/self/fd")):
        if fd > 2:
            try:
                os.dup2(null, fd)
            except OSError:
                pass    # the listing's own descriptor, closed by now
    os.close(null)
    os.close(logged)


def _reseed():
    """Random state: the warm parent seeded it once for all; each kernel gets its own, as a new process would."""
    random.seed()
    np.random.seed()


def _run_ipykernel(connection_file):
    """What `python -m ipykernel_launcher -f CONNECTION_FILE` does, in this already warm process."""
    if "matplotlib" in sys.modules:     # imported warm, before the sandbox's environment was set
        sys.modules["matplotlib"].rcParams["backend"] = os.environ["MPLBACKEND"]
    sys.path[:] = [path for path in sys.path if path not in ("", os.getcwd())]   # the kernel adds '' itself
    from ipykernel.kernelapp import IPKernelApp
    app = IPKernelApp.instance()
    app.initialize(["-f", connection_file])
    app.start()
