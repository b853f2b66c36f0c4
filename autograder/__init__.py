"""Grader-side code of the course: building releases, hidden checks, autograding.

Students never need this package; nothing a student imports comes from here.
"""

import os
import sys
from pathlib import Path

# Jupyter's python3 kernel runs `python` from PATH and nbgrader runs `alembic` from PATH. Put this
# interpreter's environment first, so both are this environment's even when it was not activated.
_scripts = str(Path(sys.executable).parent)
if _scripts not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _scripts + os.pathsep + os.environ.get("PATH", "")

# jsonschema, which nbformat imports, imports rfc3987_syntax when it can, and that builds a Lark
# parser at import: about 1.7 s in every process that reads a notebook (each grading process, the
# batch, the tests). It serves only the "iri" formats of JSON schemas, which nbformat's validation
# never checks; without it, jsonschema leaves those formats unchecked. A process that imported it
# already keeps it.
sys.modules.setdefault("rfc3987_syntax", None)
