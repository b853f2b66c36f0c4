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
