"""Signs, in a student's own code, of an attempt on the grading rather than an answer.

Grading does not depend on this scan: patched modules, hidden errors and files outside
the folder cannot change a verdict (judge.py, sandbox.py). The scan only names what was
tried, so that such a submission is marked tampered instead of passing as an honest one.
"""

import ast

PATCHABLE = {"np", "numpy", "nncourse", "checks", "builtins", "__builtins__", "sys", "math", "autograder", "hidden",
             "IPython", "os"}
GRADER_NAMES = {"autograder", "hidden", "gradebook", "nbgrader", "__nn_grader__", "__nn_wire__"}
HOOKS = {"showtraceback", "excepthook", "set_custom_exc", "_showtraceback", "CustomTB", "InteractiveTB"}


def scan(source):
    """What in `source` (one cell) looks like tampering: a list of one-line findings."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    findings = []
    for node in ast.walk(tree):
        for target in _targets(node):
            root = _root_name(target)
            if isinstance(target, ast.Attribute) and (root in PATCHABLE or _is_checks_function(target)):
                findings.append(f"replaces {ast.unparse(target)}")
            elif isinstance(target, ast.Attribute) and target.attr in HOOKS:
                findings.append(f"replaces the error display ({ast.unparse(target)})")
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in ("setattr", "delattr") and node.args and _root_name(node.args[0]) in PATCHABLE:
                findings.append(f"calls {name} on {ast.unparse(node.args[0])}")
            if name.endswith("set_custom_exc"):
                findings.append("replaces the error display (set_custom_exc)")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            if any(m.split(".")[0] in ("autograder", "nbgrader", "ctypes", "gc") for m in modules):
                findings.append(f"imports {', '.join(modules)}")
        if isinstance(node, ast.Name) and node.id in ("__nn_grader__", "__nn_wire__"):
            findings.append("touches the grader's helper in the kernel")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _outside_path(node.value):
            findings.append(f"names a path outside its folder ({node.value[:60]!r})")
    return sorted(set(findings))


def _targets(node):
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Delete):
        return node.targets
    return []


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    if isinstance(node, ast.Call):
        return _root_name(node.func)
    return getattr(node, "id", None)


def _is_checks_function(target):
    return target.attr.startswith("check_") or target.attr in ("CheckFailed", "scalar_value")


def _outside_path(text):
    if "\n" in text or len(text) > 300:
        return False
    lowered = text.lower()
    if any(name in lowered for name in ("gradebook", "submitted/", "autograded/", "autograder/", "source/")):
        return True
    return text.startswith("../") or "/../" in text or (text.startswith("/") and len(text) > 1 and " " not in text
                                                         and not text.startswith(("/tmp", "/dev/null")))
