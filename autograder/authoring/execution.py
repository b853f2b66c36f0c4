"""Run a notebook top to bottom in a real Jupyter kernel, as a student's "Run All" would."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

from .kernels import kernel_manager_settings


class NotebookFailed(RuntimeError):
    """A cell raised; the message names the notebook and the cell."""


def execute_notebook(path, timeout=600):
    """Execute the notebook at `path` in its own folder; return the executed notebook."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": str(path.parent)}},
                            config=Config(KernelManager=kernel_manager_settings()))
    try:
        client.execute()
    except CellExecutionError as error:
        failing = next((cell for cell in notebook.cells if _has_error(cell)), None)
        where = f"cell {failing.get('id')!r}" if failing is not None else "a cell"
        raise NotebookFailed(f"{path}: {where} raised:\n{error}") from None
    return notebook


def _has_error(cell):
    return any(output.get("output_type") == "error" for output in cell.get("outputs", []))
