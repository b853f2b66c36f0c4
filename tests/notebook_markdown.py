"""What a notebook's markdown asks the browser to render: its maths and its images, and what is broken in them.

The maths is found the way JupyterLab finds it before MathJax typesets it: `$...$` and `$$...$$`
outside code, with `\\$` a literal dollar. Each segment becomes one typeset formula, which the
browser test counts.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat

FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
MATH = re.compile(r"(?<!\\)(\$\$?)(.+?)(?<!\\)\1", re.DOTALL)
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
REFERENCE_IMAGE = re.compile(r"!\[([^\]]*)\]\[([^\]]*)\]")
REFERENCE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{([^}]*)\}")


@dataclass(frozen=True)
class Problem:
    cell: int
    what: str

    def __str__(self):
        return f"cell {self.cell}: {self.what}"


def without_code(text):
    """The text with code blocks and code spans blanked out: markdown shows them verbatim."""
    text = FENCED_CODE.sub(lambda m: " " * len(m.group(0)), text)
    return INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)


def math_segments(text):
    """The formulas in one markdown cell, as (delimiter, body)."""
    return [(m.group(1), m.group(2)) for m in MATH.finditer(without_code(text))]


def latex_problems(text):
    """What would stop the maths of one markdown cell from rendering as written."""
    prose = without_code(text)
    problems = []
    leftover = MATH.sub(" ", prose)
    if re.search(r"(?<!\\)\$", leftover):
        problems.append("a $ that opens maths but is never closed (write \\$ for a dollar sign)")
    for delimiter, body in math_segments(text):
        shown = f"{delimiter}{body.strip()[:60]}{delimiter}"
        if not body.strip():
            problems.append(f"empty maths {delimiter}{delimiter}")
        if delimiter == "$" and re.search(r"\n\s*\n", body):
            problems.append(f"inline maths runs across a blank line: {shown}")
        depth = 0
        for brace in re.findall(r"(?<!\\)[{}]", body):
            depth += 1 if brace == "{" else -1
            if depth < 0:
                break
        if depth != 0:
            problems.append(f"unbalanced braces in {shown}")
        opened = []
        for kind, name in ENVIRONMENT.findall(body):
            if kind == "begin":
                opened.append(name)
            elif not opened or opened.pop() != name:
                problems.append(f"\\end{{{name}}} does not close the environment opened before it in {shown}")
                break
        else:
            if opened:
                problems.append(f"\\begin{{{opened[-1]}}} is never ended in {shown}")
        if len(re.findall(r"\\left\b", body)) != len(re.findall(r"\\right\b", body)):
            problems.append(f"\\left and \\right do not pair up in {shown}")
    return problems


def image_sources(text):
    """Every image the markdown of one cell shows: markdown, reference-style and HTML images."""
    prose = without_code(text)
    references = {label.lower(): target for label, target in REFERENCE.findall(prose)}
    sources = MARKDOWN_IMAGE.findall(prose) + HTML_IMAGE.findall(prose)
    for alt, label in REFERENCE_IMAGE.findall(prose):
        sources.append(references.get((label or alt).lower(), f"[{label or alt}] (an undefined reference)"))
    return sources


def image_problem(source, folder, attachments):
    """Why an image will not show, or None. Images must load offline, from the notebook or beside it."""
    if source.startswith("[") and source.endswith("(an undefined reference)"):
        return f"image reference {source}"
    parsed = urlparse(source)
    if parsed.scheme == "attachment":
        name = unquote(source.split(":", 1)[1])
        return None if name in attachments else f"attachment {name!r} is not attached to the cell"
    if parsed.scheme == "data":
        header, _, payload = source.partition(",")
        if not header.startswith("data:image/"):
            return f"data URL is not an image: {header[:40]}"
        if header.endswith(";base64"):
            try:
                base64.b64decode(payload, validate=True)
            except (binascii.Error, ValueError):
                return "data URL image is not valid base64"
        return None
    if parsed.scheme or source.startswith("//"):
        return f"image {source} is fetched from the network, so it is missing offline"
    path = folder / unquote(parsed.path)
    if not path.is_file():
        return f"image file {unquote(parsed.path)} does not exist next to the notebook"
    return None


def markdown_problems(path):
    """Every broken formula and image link in the markdown cells of the notebook at `path`."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        problems += [Problem(index, what) for what in latex_problems(cell.source)]
        for source in image_sources(cell.source):
            problem = image_problem(source, path.parent, cell.get("attachments", {}))
            if problem:
                problems.append(Problem(index, problem))
    return problems


def formulas_per_cell(path):
    """{cell index: how many formulas MathJax should typeset} for the markdown cells that have maths."""
    notebook = nbformat.read(path, as_version=4)
    counts = {index: len(math_segments(cell.source)) for index, cell in enumerate(notebook.cells)
              if cell.cell_type == "markdown"}
    return {index: count for index, count in counts.items() if count}
