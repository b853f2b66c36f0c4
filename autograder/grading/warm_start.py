"""Imported once by the warm parent of the grading processes and kernels (grading_processes.py),
first of all, never by a grading process itself: it does now what every grading process and
kernel would do first, so that each starts with it done.

- One BLAS thread (numpy reads it when it is first imported): a fork copies only the thread
  that forks, and every kernel computes with one thread anyway (student_kernel.py).
- A matplotlib settings folder of its own, empty, so the grader's own matplotlibrc never
  reaches a kernel; matplotlib builds its font cache there once, when it is imported next.
- One small page rendered: nbconvert's templates, its markdown renderer and pygments' Python
  lexer loaded.
It starts nothing, and reads no submission and nothing of the course.
"""

import atexit
import os
import shutil
import tempfile

os.environ.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="nngrade-matplotlib-")
atexit.register(shutil.rmtree, os.environ["MPLCONFIGDIR"], True)   # forked children end with os._exit

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from . import feedback_page  # noqa: E402

feedback_page.page(new_notebook(cells=[
    new_markdown_cell("# Warm start\n\n| a | b |\n| --- | --- |\n| $x$ | `y` |"),
    new_code_cell("import numpy as np\nprint(np.arange(3))",
                  outputs=[new_output("stream", name="stdout", text="[0 1 2]\n"),
                           new_output("display_data", data={"text/html": "<b>warm</b>", "text/plain": "warm"})]),
]), "warm start")
