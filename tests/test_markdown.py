"""No notebook a student or instructor opens has broken maths or a broken image link in its markdown.

The browser test (test_browser.py) then checks that MathJax typesets every formula counted here."""

import base64

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from course_layout import ROOT, lecture_notebooks
from notebook_markdown import formulas_per_cell, latex_problems, markdown_problems

NOTEBOOKS = sorted((ROOT / "release").glob("*/*.ipynb")) + sorted((ROOT / "source").glob("*/*.ipynb")) \
    + lecture_notebooks()
PNG_1x1 = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_has_no_broken_latex_or_image_links(path):
    problems = markdown_problems(path)
    assert not problems, "\n".join(map(str, problems))


def test_every_assignment_and_lecture_has_maths_to_render():
    for path in NOTEBOOKS:
        assert sum(formulas_per_cell(path).values()) > 0, f"{path} has no formulas: is the $ detection broken?"


BROKEN_LATEX = {
    "unclosed inline": "The cost $J = \\frac{1}{m} \\sum_i L$ and then $w - \\alpha.",
    "unbalanced braces": "$$\\frac{1}{m \\sum_i L$$",
    "extra closing brace": "$\\sigma(z)}$",
    "mismatched environment": "$$\\begin{aligned} a &= b \\end{align}$$",
    "unended environment": "$$\\begin{bmatrix} 1 & 2$$",
    "unpaired left": "$\\left( \\frac{a}{b}$",
    "empty": "The value $$$$ here.",
    "inline across paragraphs": "$a +\n\nb$",
}
SOUND_LATEX = [
    "The sigmoid $\\sigma(z) = \\frac{1}{1 + e^{-z}}$ and $$J = -\\frac{1}{m}\\sum_{i=1}^m L^{(i)}.$$",
    "It costs \\$5 and \\$6, not maths.",
    "Code is not maths: `cost = '$'` and\n\n```python\nprice = '$'\n```\n",
    "Escaped braces $\\{x \\mid x > 0\\}$ and $\\left. \\frac{d}{dz} \\right|_{z=0}$.",
    "$$\\begin{aligned} dZ &= A - Y \\\\ dW &= \\frac{1}{m} dZ\\, A^{T} \\end{aligned}$$",
    "Nested: $$\\begin{bmatrix} \\begin{matrix} a \\end{matrix} & b \\end{bmatrix}$$",
]


@pytest.mark.parametrize("name", sorted(BROKEN_LATEX))
def test_the_latex_check_catches_broken_maths(name):
    assert latex_problems(BROKEN_LATEX[name]), f"missed: {BROKEN_LATEX[name]!r}"


@pytest.mark.parametrize("text", SOUND_LATEX)
def test_the_latex_check_passes_sound_maths(text):
    assert latex_problems(text) == []


def _notebook(folder, *cells):
    path = folder / "lesson.ipynb"
    nbformat.write(new_notebook(cells=list(cells)), path)
    return path


def test_the_image_check_catches_every_kind_of_broken_link(tmp_path):
    attached = new_markdown_cell("![ok](attachment:plot.png) ![gone](attachment:other.png)",
                                 attachments={"plot.png": {"image/png": base64.b64encode(PNG_1x1).decode()}})
    path = _notebook(tmp_path,
                     new_markdown_cell("![missing](figures/missing.png)"),
                     attached,
                     new_markdown_cell('<img src="images/nowhere.png" width="200">'),
                     new_markdown_cell("![remote](https://example.org/cat.png)"),
                     new_markdown_cell("![undefined][cat-picture]"),
                     new_markdown_cell("![bad](data:image/png;base64,@@not-base64@@)"))
    problems = markdown_problems(path)
    assert sorted(problem.cell for problem in problems) == [0, 1, 2, 3, 4, 5], problems
    assert any("other.png" in problem.what for problem in problems)


def test_the_image_check_passes_images_that_load(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "neuron diagram.png").write_bytes(PNG_1x1)
    attached = new_markdown_cell("![inline](attachment:plot.png)",
                                 attachments={"plot.png": {"image/png": base64.b64encode(PNG_1x1).decode()}})
    path = _notebook(tmp_path,
                     new_markdown_cell("![diagram](figures/neuron%20diagram.png \"A neuron\")"),
                     new_markdown_cell('<img src="figures/neuron diagram.png" alt="neuron">'),
                     new_markdown_cell("![diagram][fig]\n\n[fig]: figures/neuron%20diagram.png"),
                     new_markdown_cell(f"![dot](data:image/png;base64,{base64.b64encode(PNG_1x1).decode()})"),
                     new_markdown_cell("Not an image: `![x](nowhere.png)`"),
                     attached)
    assert markdown_problems(path) == []


def test_formulas_are_counted_per_cell(tmp_path):
    path = _notebook(tmp_path, new_markdown_cell("$a$ and $$b$$ and \\$c"), new_markdown_cell("no maths"),
                     new_markdown_cell("`$x$` then $y$"))
    assert formulas_per_cell(path) == {0: 2, 2: 1}
