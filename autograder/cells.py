"""nbgrader's vocabulary, read in one place: which cells are answers and which are tests, their grade
ids and points, the visible and hidden parts of a test cell and the named cases that split its points,
the import statements of the course's own cells, and the course's folders as its nbgrader_config.py
names them.

The rest of the package asks here instead of reading a cell's metadata or a course path by hand.
The markers are nbgrader's own defaults (its ClearSolutions and ClearHiddenTests), which the
course does not change.
"""

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
from traitlets.config.loader import PyFileConfigLoader

CONFIG = "nbgrader_config.py"


def _default(preprocessor, trait):
    return preprocessor.class_traits()[trait].default_value


BEGIN_SOLUTION = _default(ClearSolutions, "begin_solution_delimeter")
END_SOLUTION = _default(ClearSolutions, "end_solution_delimeter")
BEGIN_HIDDEN = _default(ClearHiddenTests, "begin_test_delimeter")
END_HIDDEN = _default(ClearHiddenTests, "end_test_delimeter")
SOLUTION_BLOCK = (f"### {BEGIN_SOLUTION}", f"### {END_SOLUTION}")
HIDDEN_TESTS_BLOCK = (f"### {BEGIN_HIDDEN}", f"### {END_HIDDEN}")


# --- a cell's nbgrader metadata

def grading_metadata(cell):
    """The cell's nbgrader metadata, or None when it has none (or something that is not a dict)."""
    nbgrader = cell.get("metadata", {}).get("nbgrader")
    return nbgrader if isinstance(nbgrader, dict) else None


def grade_id(cell):
    return (grading_metadata(cell) or {}).get("grade_id")


def points(cell):
    return float((grading_metadata(cell) or {}).get("points", 0) or 0)


def is_test(cell):
    """An autograded test cell: graded, and not an answer."""
    meta = grading_metadata(cell)
    return bool(meta and meta.get("grade") and not meta.get("solution"))


def is_solution(cell):
    meta = grading_metadata(cell)
    return bool(meta and meta.get("solution"))


def is_answer(cell):
    """A cell a student answers in: a solution cell that is not itself graded."""
    meta = grading_metadata(cell)
    return bool(meta and meta.get("solution") and not meta.get("grade"))


def source(cell):
    """The cell's source as one string (a notebook on disk may keep it as a list of lines)."""
    return "".join(cell.get("source", ""))


def test_cells(notebook):
    """{grade_id: (points, cell)} of the notebook's test cells, in order."""
    return {grade_id(cell): (points(cell), cell) for cell in notebook.cells if is_test(cell)}


def answer_cells(notebook):
    return [cell for cell in notebook.cells if is_answer(cell)]


# --- the parts of a cell: a test's visible and hidden checks, the solution and hidden-test blocks

def visible_and_hidden(test_source):
    """The visible checks and the hidden ones of a test cell's source (the hidden part without its markers)."""
    visible, _, rest = test_source.partition(HIDDEN_TESTS_BLOCK[0])
    return visible, rest.partition(HIDDEN_TESTS_BLOCK[1])[0]


@dataclass(frozen=True)
class DeclaredCase:
    """A `with case(name, points=...)` block of a test cell (nncourse.checks.case)."""
    part: str       # "visible" or "hidden"
    name: str
    points: float


def declared_cases(test_source):
    """The cases a test cell's source declares, visible part first, in the order they are written.
    Raises ValueError for a case whose name and points are not written out as plain values."""
    declared = []
    for part, code in zip(("visible", "hidden"), visible_and_hidden(test_source)):
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.With):
                for item in node.items:
                    call = item.context_expr
                    if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "case":
                        declared.append(DeclaredCase(part, *_case_arguments(call)))
    return sorted(declared, key=lambda case: case.part != "visible")


def _case_arguments(call):
    arguments = dict(zip(("name", "points"), call.args)) | {keyword.arg: keyword.value for keyword in call.keywords}
    try:
        name, points = (ast.literal_eval(arguments[key]) for key in ("name", "points"))
    except (KeyError, ValueError):
        raise ValueError(f"line {call.lineno}: write a case as case(\"its name\", points=N), "
                         "with the name and the points as plain values") from None
    if not isinstance(name, str) or isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        raise ValueError(f"line {call.lineno}: case({name!r}, points={points!r}) needs a name and positive points")
    return name, float(points)


def case_problems(notebook):
    """What is wrong with the cases of the notebook's test cells: a cell whose cases' points do not add up
    to the cell's points, or a name used twice in one cell."""
    problems = []
    for grade_id_, (cell_points, cell) in test_cells(notebook).items():
        try:
            cases = declared_cases(source(cell))
        except ValueError as error:
            problems.append(f"{grade_id_}: {error}")
            continue
        names = [case.name for case in cases]
        if len(set(names)) != len(names):
            problems.append(f"{grade_id_}: two cases are named alike: {names}")
        if cases and abs(sum(case.points for case in cases) - cell_points) > 1e-9:
            problems.append(f"{grade_id_}: its cases' points add up to {sum(c.points for c in cases):g}, "
                            f"but the cell has {cell_points:g} points")
    return problems


def blocks_of(text, blocks=(SOLUTION_BLOCK, HIDDEN_TESTS_BLOCK)):
    """The stripped lines of each solution or hidden-test block of one cell's source, a set per block
    (comment lines left out)."""
    found, inside = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if inside is None:
            inside = next((end for begin, end in blocks if stripped.startswith(begin)), None)
            if inside:
                found.append(set())
        elif stripped.startswith(inside):
            inside = None
        elif stripped and not stripped.startswith("#"):
            found[-1].add(stripped)
    return found


def secret_lines_of(text, blocks=(SOLUTION_BLOCK, HIDDEN_TESTS_BLOCK)):
    """The stripped lines inside the solution and hidden-test blocks of one cell's source."""
    return set().union(*blocks_of(text, blocks))


# --- what the course's cells import

def _top_level(sources):
    """The top-level statements of the given cell sources; a cell that does not parse has none."""
    for text in sources:
        try:
            yield from ast.parse(text).body
        except SyntaxError:
            continue


def import_statements(sources):
    """The top-level import statements (ast nodes) of the given cell sources."""
    return [node for node in _top_level(sources) if isinstance(node, (ast.Import, ast.ImportFrom))]


def imported_modules(statements):
    """The absolute module names the import statements name."""
    names = set()
    for node in statements:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif node.module and not node.level:
            names.add(node.module)
    return names


def course_code(notebook):
    """The sources of the code cells nbgrader knows nothing about: the course's own set-up code."""
    return [source(cell) for cell in notebook.cells if cell.cell_type == "code" and not grading_metadata(cell)]


def defined_functions(sources):
    """The names of the functions the sources define at top level."""
    return {node.name for node in _top_level(sources) if isinstance(node, ast.FunctionDef)}


# --- the course's folders

@dataclass(frozen=True)
class CourseFolders:
    """A course folder's source and release folders, as its nbgrader_config.py names them."""
    root: Path
    source_dir: Path
    release_dir: Path
    db_url: str

    def source(self, assignment):
        return self.source_dir / assignment

    def release(self, assignment):
        return self.release_dir / assignment

    def assignments(self):
        """The assignments: the folders of the source folder, in order."""
        return sorted(p.name for p in self.source_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    def notebooks(self, assignment, where="release"):
        """The assignment's notebooks in the release (or source) folder, by name."""
        return sorted((self.release(assignment) if where == "release" else self.source(assignment)).glob("*.ipynb"))

    def graded_functions(self, assignment):
        """The names of the functions students write in `assignment`'s answer cells."""
        return defined_functions(source(cell) for path in self.notebooks(assignment, "source")
                                 for cell in answer_cells(nbformat.read(path, as_version=4)))


def course_config(root):
    """nbgrader's configuration of the course at `root`, from its nbgrader_config.py."""
    return PyFileConfigLoader(CONFIG, path=str(root)).load_config()


@functools.cache
def _folders(root):
    coursedir = CourseDirectory(config=course_config(root))
    base = Path(coursedir.root)
    return CourseFolders(base, base / coursedir.source_directory, base / coursedir.release_directory,
                         coursedir.db_url)


def course_folders(root):
    """The CourseFolders of the course at `root` (read once per process)."""
    return _folders(Path(root).resolve())
