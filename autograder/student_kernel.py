"""A student's notebook kernel, in the sandbox, driven cell by cell under time and output limits.

The judge talks to it in two ways: running a code cell (as "Run All" would), and asking
the kernel server (kernel_server.py, sent in as source) to call a function of the notebook
or fetch its variables. Every answer is read with `wire.loads`; nothing the kernel sends
is executed or trusted here.
"""

import os
import queue
import stat
import sys
import time
from pathlib import Path

import numpy as np
from jupyter_client import KernelManager
from nbformat.v4 import new_output, output_from_msg

from . import kernel_server, limits, wire
from .sandbox import sandboxed

MAX_OUTPUT_CHARS = 100_000   # per cell: enough for any honest cell, a bound for a flood
MAX_OUTPUTS = 50
MAX_ANSWER_BYTES = 512 * 1024 * 1024
INTERRUPT_GRACE = 5


class KernelDied(RuntimeError):
    """The kernel process ended (os._exit, a crash, or the memory limit)."""


class TimedOut(RuntimeError):
    """A cell or a call ran past its time; the kernel was interrupted or killed."""


class StudentError(Exception):
    """A function of the notebook raised; the message says what, in the student's terms."""


class _SandboxedKernelManager(KernelManager):
    sandbox_args = None

    def format_kernel_cmd(self, extra_arguments=None):
        connection = self.connection_file
        command = [sys.executable, "-m", "ipykernel_launcher", "-f", connection]
        return sandboxed(command, **self.sandbox_args)


class StudentKernel:
    def __init__(self, workdir, scratch, readable, memory_mb, timeout, max_processes, cgroup_procs=None, tmp=None):
        """readable: the folders the kernel may read; the last one is the data folder; max_processes,
        cgroup_procs and tmp: the submission's limits (see limits.py and sandbox.sandboxed)."""
        self.workdir, self.timeout = Path(workdir), timeout
        self.requests, self.busy = 0, False
        self.callables = []    # the judge's functions the kernel may call back, by handle
        self.suspicious = []   # why returned values looked made to fool a check
        env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8",
               "MPLBACKEND": "module://matplotlib_inline.backend_inline", "MPLCONFIGDIR": "/tmp/matplotlib",
               "IPYTHONDIR": "/tmp/ipython", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PYTHONDONTWRITEBYTECODE": "1", "NNCOURSE_DATA_DIR": readable[-1]}
        jail = Path(scratch) / "jail"
        jail.mkdir()
        self.manager = _SandboxedKernelManager(transport="ipc", ip=str(self.workdir / ".kernel"))
        self.manager.connection_file = str(self.workdir / ".kernel.json")
        self.manager.sandbox_args = {"jail": jail, "workdir": self.workdir, "readable": readable,
                                     "memory_mb": memory_mb, "max_processes": max_processes, "env": env,
                                     "tmp": tmp, "cgroup_procs": cgroup_procs}
        self.manager.kernel_spec.interrupt_mode = "message"  # a signal would reach `unshare`, not the kernel
        self.client = None

    def start(self):
        with open(self.workdir.parent / "kernel.log", "ab") as log:
            self.manager.start_kernel(stdout=log, stderr=log)
        self.client = self.manager.blocking_client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)
        server = (f"import types as _t\n"
                  f"__nn_wire__ = _t.ModuleType('nn_wire'); exec({_source(wire)!r}, __nn_wire__.__dict__)\n"
                  f"_m = _t.ModuleType('nn_server'); exec({_source(kernel_server)!r}, _m.__dict__)\n"
                  f"__nn_grader__ = _m.Server({str(self.workdir)!r}, __nn_wire__, get_ipython().user_ns)\n"
                  f"del _t, _m\n")
        outputs, outcome = self.run(server, silent=True)
        if outcome != "ok":
            raise KernelDied(f"the kernel did not start the grader's helper: {outputs}")

    def tasks(self):
        """How many processes and threads the sandbox runs now."""
        process = getattr(self.manager.provisioner, "process", None)
        return limits.tasks_under(process.pid) if process is not None and process.poll() is None else 0

    def shutdown(self):
        if self.client is not None:
            self.client.stop_channels()
        if self.manager.has_kernel:
            self.manager.shutdown_kernel(now=True)

    # ------------------------------------------------------------ running cells

    def run(self, code, silent=False, limit=None, on_wait=None):
        """Execute `code`; (outputs, outcome) with outcome "ok", "error", "timeout" or "died"."""
        limit = self.timeout if limit is None else limit
        msg_id = self.client.execute(code, silent=silent, store_history=not silent, allow_stdin=False,
                                     stop_on_error=False)
        outputs, size, outcome, truncated = [], 0, "ok", False
        deadline = time.monotonic() + limit
        interrupted_at = None
        while True:
            if on_wait is not None:
                on_wait()
            try:
                msg = self.client.get_iopub_msg(timeout=0.002 if on_wait else 0.1)
            except queue.Empty:
                if not self.manager.is_alive():
                    return outputs, "died"
                now = time.monotonic()
                if interrupted_at is None and now > deadline:
                    self.manager.interrupt_kernel()
                    interrupted_at, outcome = now, "timeout"
                elif interrupted_at is not None and now > interrupted_at + INTERRUPT_GRACE:
                    self.manager.shutdown_kernel(now=True)  # it ignores interrupts: kill it
                    return outputs, "timeout"
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

    # ------------------------------------------------------------ the judge's requests

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
        _, outcome = self.run(f"__nn_grader__.restore({name!r})", silent=True)
        self._fail_unless_ok(outcome)

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
        _write_atomically(self.workdir / f"{n}.request", wire.dumps(request, self.callables))
        handler = _CallbackHandler(self.workdir, self.callables)
        outputs, outcome = self.run(f"__nn_grader__.{verb}({n!r})", silent=True, on_wait=handler.poll)
        self._fail_unless_ok(outcome)
        if not answered:
            return None
        answer = _read_answer(self.workdir / f"{n}.answer")
        if answer is None:
            raise StudentError(f"the notebook's kernel gave no answer to the grader ({_describe(outputs)})")
        return answer

    def _fail_unless_ok(self, outcome):
        if outcome == "died":
            raise KernelDied("the kernel died")
        if outcome == "timeout":
            raise TimedOut(f"it ran for more than {self.timeout:g} s")


class _CallbackHandler:
    """Runs the judge's functions that the kernel asks for while a call is under way."""

    def __init__(self, folder, callables):
        self.folder, self.callables = Path(folder), callables

    def poll(self):
        if not self.callables:
            return
        for entry in os.scandir(self.folder):
            if entry.name.startswith("callback-") and entry.name.endswith(".request"):
                self._answer(Path(entry.path))

    def _answer(self, request_path):
        request = _read_answer(request_path)
        request_path.unlink(missing_ok=True)
        try:
            function = self.callables[int(request["handle"])]
            answer = {"value": function(*request["args"], **request["kwargs"])}
        except Exception as error:  # reported to the student's code as the callback's error
            answer = {"error": f"{type(error).__name__}: {error}"}
        _write_atomically(request_path.with_suffix(".answer"), wire.dumps(answer))


def _read_answer(path):
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


def _write_atomically(path, data):
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


def _merge_streams(outputs):
    merged = []
    for output in outputs:
        if merged and output["output_type"] == "stream" and merged[-1]["output_type"] == "stream" \
                and merged[-1]["name"] == output["name"]:
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def _describe(outputs):
    texts = [o.get("ename", "") + ": " + o.get("evalue", "") for o in outputs if o.get("output_type") == "error"]
    return texts[0][:200] if texts else "no output"


def _source(module):
    return Path(module.__file__).read_text()
