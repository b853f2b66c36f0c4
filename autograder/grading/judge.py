"""Run a test cell in the judge's own process, against the notebook's kernel.

The test cell's code (visible and hidden parts) runs here, with the judge's own numpy and
checks. A cell that splits its points among named cases (nncourse.checks.case) has each case
judged on its own: a failing case earns nothing and the cell goes on, and its visible and hidden
parts both run even when the first fails. The names it uses from the notebook arrive as plain
data, and the notebook's functions as `KernelFunction`s that call into the kernel, through the protocol of
kernel_protocol.py: the sandboxed kernel when grading (student_kernel.py), an in-process one
for the course's own answers (in_process_kernel.py, the corpus tests). Nothing the student's
code does to numpy, to the checks or to the kernel's error display can change a verdict.
"""

import ast
import builtins
import contextlib
import io
from dataclasses import dataclass, field

from nncourse import checks
from nncourse.checks import CheckFailed

from ..cells import declared_cases, import_statements, visible_and_hidden
from .kernel_protocol import KernelDied, StudentError, TimedOut
from .records import CaseResult


@dataclass
class Verdict:
    passed: bool
    message: str = ""       # for the student: why it failed
    printed: str = ""       # what the test cell printed
    outcome: str = "ok"     # ok, failed, timeout or died
    part: str = ""          # where it failed: the "visible" checks or the "hidden" ones
    error: BaseException | None = None   # what the test cell raised
    cases: list = field(default_factory=list)   # CaseResult of each declared case, when the cell has them


class KernelFunction:
    """A function of the student's notebook, called in the notebook's kernel."""

    def __init__(self, kernel, name):
        self.kernel, self.__name__ = kernel, name
        self.wire_ref = name  # passed to another of the notebook's functions, it is sent as this name

    def __call__(self, *args, **kwargs):
        return self.kernel.call(self.__name__, args, kwargs)

    @contextlib.contextmanager
    def stand_in(self, name, replacement):
        """While the block runs, the notebook's global `name` is the judge's `replacement`."""
        self.kernel.stand_in(name, replacement)
        try:
            yield
        finally:
            self.kernel.restore(name)

    def __repr__(self):
        return f"<the notebook's function {self.__name__}>"


def trusted_imports(code_cells):
    """A namespace with what the course's own import statements bind (numpy, the checks, ...)."""
    namespace = {"__name__": "__judge__"}
    module = ast.Module(body=import_statements(code_cells), type_ignores=[])
    exec(compile(module, "<course imports>", "exec"), namespace)
    return namespace


def names_needed(source):
    """The names a test cell reads that it does not bind itself (check_defined's strings too)."""
    tree = ast.parse(source)
    read, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check_defined":
            read.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return sorted(read - bound - set(dir(builtins)))


def judge(source, kernel, trusted, namespace, label):
    """Run the test cell `source` in `namespace` (shared by a notebook's test cells, as in the
    notebook, where one test cell may use what an earlier one defined); its Verdict."""
    namespace.update(trusted)
    wanted = [name for name in names_needed(source) if name not in trusted]
    printed = io.StringIO()
    try:
        for name, answer in (kernel.fetch(wanted) if wanted else {}).items():
            if answer[0] == "function":
                namespace[name] = KernelFunction(kernel, name)
            elif answer[0] == "value":
                namespace[name] = answer[1]
    except Exception as error:
        return _failed(error, printed, "visible")
    declared = declared_cases(source)
    if not declared:
        return _judge_whole(source, namespace, label, printed)
    return _judge_cases(source, declared, namespace, label, printed)


def _judge_whole(source, namespace, label, printed):
    """All or nothing: the visible checks, then the hidden ones, until the first that fails."""
    part = "visible"
    try:
        for part, code in _parts(source):
            with contextlib.redirect_stdout(printed):
                exec(compile(code, f"<{label}>", "exec"), namespace)
    except Exception as error:
        return _failed(error, printed, part)
    return Verdict(True, "", printed.getvalue())


def _judge_cases(source, declared, namespace, label, printed):
    """Each case on its own, the visible part and the hidden part each run to its end. A check outside
    the cases that fails stops its part: the cases after it in that part are not run and earn nothing."""
    cases = Cases()
    first_failure = None
    for part, code in _parts(source):
        cases.part, outside = part, None
        checks._judges.append(cases)
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(code, f"<{label}>", "exec"), namespace)
        except (TimedOut, KernelDied) as error:
            return _failed(error, printed, part, cases.results(declared))
        except Exception as error:
            outside = _failed(error, printed, part)
        finally:
            checks._judges.pop()
        first_failure = first_failure or cases.first_failure(part) or outside
    results = cases.results(declared)
    if first_failure is None:
        return Verdict(True, "", printed.getvalue(), cases=results)
    first_failure.printed, first_failure.cases = printed.getvalue(), results
    return first_failure


class Cases:
    """What nncourse.checks.case reports to while the judge runs a cell's cases."""

    def __init__(self):
        self.part, self.judged = "visible", {}

    @contextlib.contextmanager
    def case(self, name, points):
        try:
            yield
        except (TimedOut, KernelDied):
            raise
        except Exception as error:
            if self.judged.get((self.part, name), (True,))[0]:   # a case run again (in a loop) fails if any run does
                self.judged[(self.part, name)] = (False, _verdict_on(error, "").message, error)
        else:
            self.judged.setdefault((self.part, name), (True, "", None))

    def first_failure(self, part):
        for (where, _), (passed, message, error) in self.judged.items():
            if where == part and not passed:
                return Verdict(False, message, "", "failed", part, error)
        return None

    def results(self, declared):
        """A CaseResult for each declared case; one that never ran failed with "not run"."""
        results = []
        for case in declared:
            passed, message, _ = self.judged.get((case.part, case.name),
                                                 (False, "not run: a check before it in the cell failed", None))
            results.append(CaseResult(case.name, case.part, case.points, passed, message))
        return results


def _failed(error, printed, part, cases=()):
    verdict = _verdict_on(error, printed.getvalue())
    verdict.part, verdict.error, verdict.cases = part, error, list(cases)
    return verdict


def _parts(source):
    """The visible checks and the hidden ones, in that order."""
    return list(zip(("visible", "hidden"), visible_and_hidden(source)))


def _verdict_on(error, printed):
    if isinstance(error, (CheckFailed, StudentError)):
        return Verdict(False, str(error), printed, "failed")
    if isinstance(error, TimedOut):
        return Verdict(False, f"stopped: {error} (an infinite loop, or very slow code)", printed, "timeout")
    if isinstance(error, KernelDied):
        return Verdict(False, "the notebook's kernel died during this test (os._exit, a crash, or the memory limit)",
                       printed, "died")
    if isinstance(error, NameError):
        return Verdict(False, f"NameError: {error}: run the cell that defines it (is the exercise done?)", printed,
                       "failed")
    # The check met a value it could not work with: the answer is wrong.
    return Verdict(False, f"{type(error).__name__}: {str(error)[:500]}", printed, "failed")
