"""Feedback pages run no script from a submission, and still show its plots and tables.

A page is opened in the formgrader or from the Jupyter server, in the instructor's origin, so
every hostile output a notebook can carry is rendered here and the page is read back with the
standard library's HTML parser: no script, no event handler, no javascript: URL, no frame, a
Content-Security-Policy first in <head>, and the honest plot and table still there. When Chromium
is installed, the pages are also opened in it. A submission that displays script is graded end to
end in the robustness batch (test_grading_robustness.py).
"""

import base64
import io

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from autograder.grading import feedback_page
from autograder.grading.records import Record
from autograder.grading.results import render_feedback
from page_check import Page, has_the_policy_first, unsafe

TITLE = "Feedback: a0 / hostile.ipynb"
PANDAS_TABLE = ('<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type {\n        vertical-align: middle;\n'
                '    }\n</style>\n<table border="1" class="dataframe">\n  <thead>\n'
                '    <tr style="text-align: right;">\n'
                '      <th></th>\n      <th>loss</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <th>0</th>\n'
                '      <td>0.693</td>\n    </tr>\n  </tbody>\n</table>\n</div>')
SVG = ("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40' onload=\"document.title='pwned-svg'\">"
       "<script>document.title='pwned-svg-script'</script><circle cx='20' cy='20' r='15' fill='red'/></svg>")


def matplotlib_png():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(figsize=(3, 2))
    axes.plot([0, 1, 2], [0.69, 0.4, 0.2])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def display(data, metadata=None):
    return new_output("display_data", data=data, metadata=metadata or {})


def hostile_notebook(png):
    """Every way a notebook can carry script, beside an honest plot and table."""
    outputs = [
        display({"image/png": png, "text/plain": "<Figure size 300x200 with 1 Axes>"}),
        new_output("execute_result", execution_count=7,
                   data={"text/html": PANDAS_TABLE, "text/plain": "   loss\n0  0.693"}),
        display({"text/html": "<b>bold</b><script>document.title='pwned-html-script'</script>"}),
        display({"text/html": "<img src=x onerror=\"document.title='pwned-img'\">"}),
        display({"text/html": "<a href=\"javascript:document.title='pwned-link'\">click</a>"
                              "<a href=\"  JaVa&#x09;ScRiPt:document.title='pwned-link2'\">click</a>"}),
        display({"text/html": "<iframe src=\"javascript:parent.document.title='pwned-frame'\"></iframe>"
                              "<object data=\"x.swf\"></object><embed src=\"x.swf\">"}),
        display({"text/html": "<svg onload=\"document.title='pwned-inline-svg'\"><circle r='5'/></svg>"}),
        display({"image/svg+xml": SVG}),
        display({"application/javascript": "document.title='pwned-js'",
                 "text/plain": "<IPython.core.display.Javascript object>"}),
        display({"text/javascript": "document.title='pwned-text-js'"}),
        display({"application/vnd.jupyter.widget-view+json": {"model_id": "model-from-the-student",
                                                              "version_major": 2, "version_minor": 0},
                 "text/plain": "IntSlider(value=3)"}),
        display({"image/png": png}, {"image/png": {"width": "1 onerror=document.title='pwned-width'"}}),
        display({"text/markdown": "*fine*\n\n<script>document.title='pwned-output-md'</script>"}),
        new_output("error", ename="ValueError", evalue="<script>document.title='pwned-error'</script>",
                   traceback=["ValueError: <script>document.title='pwned-error'</script>"]),
    ]
    widget_state = {"application/vnd.jupyter.widget-state+json": {
        "state": {"model-from-the-student": {"model_name": "IntSliderModel", "state": {"description": "pwned"}}},
        "version_major": 2, "version_minor": 0}}
    return new_notebook(cells=[
        new_markdown_cell("## My answers\n\nSee <script>document.title='pwned-md-script'</script> and "
                          "<img src=x onerror=\"document.title='pwned-md-img'\"> and "
                          "[a link](javascript:document.title='pwned-md-link'), "
                          "![a missing attachment](attachment:nothing.png) ![a local file](/etc/passwd).\n\n"
                          "<iframe srcdoc=\"<script>parent.document.title='pwned-md-frame'</script>\"></iframe>"),
        new_code_cell("def show_everything():\n    return plot(), table()\n\nshow_everything()",
                      execution_count=7, outputs=outputs),
        new_raw_cell("<script>document.title='pwned-raw'</script>"),
    ], metadata={"widgets": widget_state, "title": "</title><script>document.title='pwned-title'</script>"})


def hostile_record():
    """A record whose messages carry markup, as a student's exception message can."""
    return Record.from_json({"student": "s1", "assignment": "a0", "status": "graded", "reason": "", "notebooks": [{
        "notebook": "hostile.ipynb", "score": 1.0, "max_score": 2.0, "status": "graded",
        "reason": "<img src=x onerror=\"document.title='pwned-reason'\">",
        "cells": {"sigmoid_tests": {"score": 1.0, "max_score": 1.0, "passed": True, "message": ""},
                  "softmax_tests": {"score": 0.0, "max_score": 1.0, "passed": False,
                                    "message": "<script>document.title='pwned-message'</script> [x](javascript:y)"}}}]})


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The feedback page render_feedback writes for the hostile notebook: (its path, its text, the PNG)."""
    produced, target = tmp_path_factory.mktemp("produced"), tmp_path_factory.mktemp("feedback")
    png = matplotlib_png()
    nbformat.write(hostile_notebook(png), produced / "hostile.ipynb")
    render_feedback(hostile_record(), produced, target)
    path = target / "hostile.html"
    return path, path.read_text(encoding="utf-8"), png


def test_no_element_or_attribute_can_run_script(rendered):
    page = Page(rendered[1])
    assert not page.find("script"), "a <script> element"
    assert unsafe(page) == []
    assert "<script" not in rendered[1].replace("&lt;script", "")


def test_the_policy_forbids_script_and_comes_first_in_head(rendered):
    page = Page(rendered[1])
    assert has_the_policy_first(page), page.head[:2]
    assert [tag for tag, _ in page.head if tag not in ("meta", "title", "style")] == []
    assert page.find("title") and "pwned" not in rendered[1].split("</title>")[0]


def test_the_plot_and_the_table_are_still_shown(rendered):
    page, png = Page(rendered[1]), rendered[2]
    sources = [attrs.get("src", "") for attrs in page.find("img")]
    assert sources.count(f"data:image/png;base64,{png}") == 2
    assert page.find("table") and any(attrs.get("class") == "dataframe" for attrs in page.find("table"))
    assert page.find("th") and "0.693" in page.text and "loss" in page.text
    assert "vertical-align: middle" not in page.text, "the table's <style> is shown as text"
    assert "bold" in page.text and page.find("b")
    assert page.find("em"), "the markdown output lost its emphasis"
    highlighted = [attrs for attrs in page.find("span") if attrs.get("class") == "nf"]
    assert highlighted, "the code is not highlighted"


def test_an_svg_output_is_an_image_that_cannot_run_script(rendered):
    page = Page(rendered[1])
    sources = [attrs["src"] for attrs in page.find("img") if attrs.get("src", "").startswith("data:image/svg+xml")]
    assert len(sources) == 1
    assert base64.b64decode(sources[0].split(",", 1)[1]).decode() == SVG
    assert not page.find("svg") and not page.find("circle")


def test_javascript_and_widgets_are_left_out(rendered):
    text = rendered[1]
    for payload in ("pwned-js", "pwned-text-js", "model-from-the-student", "widget-state", "widget-view",
                    "require.js", "mathjax", "cdn"):
        assert payload not in text.lower(), payload
    page = Page(text)
    assert "[a JavaScript output: not shown in the feedback page]" in page.text
    assert "[a widget: not shown in the feedback page] IntSlider(value=3)" in page.text


def test_hostile_markup_is_shown_as_text(rendered):
    text = Page(rendered[1]).text
    for shown in ("<script>document.title='pwned-html-script'</script>", "<script>document.title='pwned-raw'</script>",
                  "<script>document.title='pwned-md-script'</script>", "<script>document.title='pwned-error'</script>",
                  "<script>document.title='pwned-message'</script>"):
        assert shown in text, shown


def test_the_score_table_is_still_there(rendered):
    page = Page(rendered[1])
    assert "Score: 1 / 2" in page.text
    summary = page.cell_showing("Score: 1 / 2")
    assert page.find("table", summary) and len(page.find("td", summary)) == 6
    assert "softmax_tests" in page.text and "sigmoid_tests" in page.text


def test_the_page_is_the_notebook_not_the_plain_fallback(rendered):
    page = Page(rendered[1])
    assert "cannot be shown safely" not in page.text
    assert "a local file" in [attrs.get("alt") for attrs in page.find("img") if "src" not in attrs], \
        "a local file was read into the page"
    assert "a missing attachment" in [attrs.get("alt") for attrs in page.find("img")]


@pytest.mark.parametrize("failure", ["the sanitiser lets everything through", "nbconvert fails"])
def test_a_page_that_cannot_be_made_safe_is_replaced_by_a_plain_one(monkeypatch, failure):
    if failure == "nbconvert fails":
        monkeypatch.setattr(feedback_page.PageExporter, "from_notebook_node", lambda *args, **kwargs: 1 / 0)
    else:
        monkeypatch.setattr(feedback_page, "sanitise", lambda fragment: str(fragment))
    page = Page(feedback_page.page(hostile_notebook(matplotlib_png()), TITLE))
    assert "cannot be shown safely" in page.text and TITLE in page.text
    assert not page.find("script") and unsafe(page) == [] and has_the_policy_first(page)


@pytest.fixture(scope="module")
def chromium():
    """Chromium, as the other browser tests have it: without one these fail, saying how to get it."""
    import browser as browser_helpers
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = browser_helpers.launch(playwright)
        yield browser
        browser.close()


def opened(chromium, path):
    """The page at `path` in Chromium, and what its console said."""
    tab = chromium.new_page()
    said = []
    tab.on("console", lambda message: said.append(message.text))
    tab.goto(path.as_uri())
    tab.wait_for_load_state("load")
    return tab, said


@pytest.mark.browser
def test_in_chromium_no_script_runs_and_the_plot_shows(chromium, rendered):
    tab, said = opened(chromium, rendered[0])
    try:
        assert tab.title() == TITLE
        widths = tab.evaluate("png => [...document.images].filter(i => i.src === 'data:image/png;base64,' + png)"
                              ".map(i => i.naturalWidth)", rendered[2])
        assert len(widths) == 2 and all(width > 0 for width in widths)
        assert tab.locator("table.dataframe th", has_text="loss").is_visible()
        assert tab.evaluate("() => getComputedStyle(document.querySelector('span.nf')).color") != \
            tab.evaluate("() => getComputedStyle(document.body).color"), "code highlighting lost its colours"
        assert not [line for line in said if "Content Security Policy" in line], said
    finally:
        tab.close()


@pytest.mark.browser
def test_in_chromium_the_policy_alone_stops_script(chromium, rendered, tmp_path):
    """Script put into a page past the sanitiser still does not run: the policy blocks it."""
    injected = rendered[1].replace("<main>", "<main><script>document.title='pwned-inline'</script>"
                                   "<img src=\"data:image/png;base64,AAAA\" onerror=\"document.title='pwned-handler'\">"
                                   "<a id=\"go\" href=\"javascript:document.title='pwned-link'\">go</a>"
                                   "<script src=\"https://cdn.jsdelivr.net/npm/nothing.js\"></script>", 1)
    path = tmp_path / "injected.html"
    path.write_text(injected, encoding="utf-8")
    tab, said = opened(chromium, path)
    try:
        tab.click("#go")
        tab.wait_for_timeout(200)
        assert tab.title() == TITLE
        assert len([line for line in said if "Content Security Policy" in line]) >= 3, said
    finally:
        tab.close()
