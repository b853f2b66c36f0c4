"""nbgrader's Validate button, from the command line.

    python -m nncourse.validate NAME_OR_NOTEBOOK [...]     (the student's `course.py validate` runs this)
    python -m nncourse.validate --started                  every assignment changed since it was published

A NAME is an assignment folder of the edition (`a1_single_neuron`); a NOTEBOOK is a path. The
notebook is run from the top in a fresh kernel, as the Validate button runs it, and every test
cell that fails is listed with its error. The exit status is 0 when every notebook named
passes, 1 when one fails, 2 when a name or file cannot be validated at all.

Validation runs the visible checks only: the hidden tests, and so the grade, are the
instructor's.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from .edition import is_edition, matches_digest, read_record

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class CannotValidate(Exception):
    """The name or path given is not a notebook that can be validated."""


def find_edition(start):
    for folder in [Path(start).resolve(), *Path(start).resolve().parents]:
        if is_edition(folder):
            return folder
    return None


def notebook_for(name, edition):
    """The notebook a student means by `name`: a path, or an assignment folder's one notebook."""
    path = Path(name)
    if path.suffix == ".ipynb" or path.is_file():
        if not path.is_file():
            raise CannotValidate(f"{path} does not exist.")
        return path
    if edition is None:
        raise CannotValidate(f"{name} is not a notebook file, and this is not inside a student edition "
                             "where it could be an assignment's name.")
    folder = edition / "assignments" / name
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        known = sorted(p.name for p in (edition / "assignments").glob("*") if p.is_dir())
        raise CannotValidate(f"no assignment {name!r} in {edition / 'assignments'} (there are: {', '.join(known)}).")
    if len(notebooks) > 1:
        raise CannotValidate(f"{folder} holds several notebooks: name one of them: "
                             + ", ".join(str(p) for p in notebooks))
    return notebooks[0]


def started_notebooks(edition):
    """The assignment notebooks of `edition` that differ from what was published."""
    record = read_record(edition)
    return [edition / relative for relative, digest in sorted(record.files.items())
            if relative.startswith("assignments/") and relative.endswith(".ipynb")
            and (edition / relative).is_file() and not matches_digest(edition / relative, digest)]


def _read_notebook(path):
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            raise ValueError("it has no list of cells")
        return notebook
    except (ValueError, UnicodeDecodeError) as error:
        raise CannotValidate(f"{path} is not a notebook that Jupyter can open ({error}).") from None


def _grade_ids_by_source(notebook):
    ids = {}
    for cell in notebook["cells"]:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            ids[source.strip()] = grade_id
    return ids


def _last_line(error):
    lines = [line.rstrip() for line in ANSI.sub("", error).splitlines() if line.strip()]
    return lines[-1].strip() if lines else "failed"


def problems_of(path):
    """The problems nbgrader's validator finds in the notebook at `path`, one line each."""
    from nbgrader.validator import Validator

    names = _grade_ids_by_source(_read_notebook(path))
    results = Validator(config=_jupyter_settings()).validate(str(path))
    problems = []
    for cell in results.get("type_changed", []):
        problems.append(f"{names.get(cell['source'], 'a cell')}: its type was changed from "
                        f"{cell['old_type']} to {cell['new_type']}; change it back")
    for cell in results.get("changed", []):
        problems.append(f"{names.get(cell['source'], 'a test cell')}: this test cell was edited; "
                        "restore it (copy it from the published notebook in .edition/base/)")
    for cell in results.get("failed", []):
        problems.append(f"{names.get(cell['source'], 'a test cell')}: {_last_line(cell['raw_error'])}")
    return problems


def _jupyter_settings():
    """The Jupyter settings every Jupyter program reads (jupyter_config files on Jupyter's config path, where
    `course.py validate` puts the edition's jupyter-config/): JupyterLab and its Validate button read them too."""
    from jupyter_core.application import JupyterApp

    app = JupyterApp()
    app.load_config_file()
    return app.config


def main(argv=None):
    parser = argparse.ArgumentParser(prog="validate", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", metavar="NAME_OR_NOTEBOOK")
    parser.add_argument("--started", action="store_true",
                        help="validate every assignment notebook that was changed since it was published")
    args = parser.parse_args(argv)
    edition = find_edition(Path.cwd())
    try:
        paths = [notebook_for(name, edition) for name in args.notebooks]
        if args.started:
            if edition is None:
                raise CannotValidate("--started needs a student edition, and this folder is not inside one.")
            paths += started_notebooks(edition)
            if not paths:
                print("No assignment has been started yet: nothing to validate.")
        if not paths and not args.started:
            raise CannotValidate("name an assignment (e.g. a1_single_neuron) or a notebook to validate.")
        failed = 0
        for path in paths:
            problems = problems_of(path)
            if problems:
                failed += 1
                print(f"{path}: {len(problems)} problem(s):")
                for problem in problems:
                    print(f"  {problem}")
            else:
                print(f"{path}: Success! The notebook passes all the visible tests.")
    except CannotValidate as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
