"""JupyterLab, started with the course's own command, and headless Chromium driven by Playwright.

The browser is Debian's `chromium` (`python3 course.py test` installs it when it can), or the
binary named by NNCOURSE_CHROMIUM; Playwright never downloads one. Screenshots go to
test-artifacts/browser/ (or $NNCOURSE_ARTIFACTS/browser/).
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from course_layout import ROOT

ARTIFACTS = Path(os.environ.get("NNCOURSE_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
# Headless as root on a machine with no outside network: no sandbox, no GPU, and none of the
# background connections Chromium would otherwise keep trying.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The same answer a student gives JupyterLab's "get notified about official Jupyter news?" prompt.
LAB_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"}}
STARTUP_SECONDS = 90
PANEL = "#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)"


class BrowserMissing(Exception):
    pass


def chromium_executable():
    found = os.environ.get("NNCOURSE_CHROMIUM") or shutil.which("chromium")
    if not found or not Path(found).exists():
        raise BrowserMissing(
            "the browser tests need Chromium and found none (looked at $NNCOURSE_CHROMIUM and for `chromium` "
            "on PATH). `python3 course.py test` installs Debian's package when it runs as root; otherwise run "
            "`sudo apt-get install chromium`, or set NNCOURSE_CHROMIUM to a Chromium or Chrome binary.")
    return found


def launch(playwright):
    return playwright.chromium.launch(**_chromium_options())


def launch_with_profile(playwright, profile, **context_options):
    """One browser context kept in the folder `profile`, whose pages share a disk cache: JupyterLab's
    scripts, loaded again by every test, come from it with the code compiled on an earlier load."""
    return playwright.chromium.launch_persistent_context(profile, **_chromium_options(), **context_options)


def _chromium_options():
    return {"executable_path": chromium_executable(), "args": CHROMIUM_FLAGS}


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path))
    return path


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(course, *lab_options, jupyter_options=()):
    """`python3 course.py lab [lab_options] -- [jupyter_options]` in the course folder `course`; yields
    the base URL and token.

    JupyterLab's user settings and workspaces are fresh ones, so a developer's own (a theme,
    a layout) never change what the test sees."""
    port, token = _free_port(), secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="lab-") as scratch:
        scratch = Path(scratch)
        for name, values in LAB_SETTINGS.items():
            (scratch / "settings" / name).parent.mkdir(parents=True, exist_ok=True)
            (scratch / "settings" / name).write_text(json.dumps(values))
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(scratch / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"))
        log_path = scratch / "jupyterlab.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "course.py", "lab", *lab_options, "--", "--no-browser", "--ServerApp.ip=127.0.0.1",
                 f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                 *jupyter_options],
                cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_until_serving(process, f"http://127.0.0.1:{port}/api/status?token={token}", log_path)
            yield f"http://127.0.0.1:{port}", token
        finally:
            _stop(process)


def _wait_until_serving(process, status_url, log_path):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(status_url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer within {STARTUP_SECONDS} s:\n{log_path.read_text()[-3000:]}")


def _stop(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# The highest execution count ("[7]:") among the code cells under a selector; 0 when none has run.
LATEST_EXECUTION_COUNT = """(panel => Math.max(0, ...Array.from(
    document.querySelectorAll(`${panel} .jp-CodeCell .jp-InputPrompt`),
    prompt => parseInt(prompt.textContent.replace(/\\D/g, '')) || 0)))"""


class RunningLab:
    """One page kept on a JupyterLab started with EXPOSE_APP, for the tests of a module: each opens its
    notebook in the app already running there, and closes every document when done. Loading the app
    again for each notebook (its scripts, styles, extensions and workspace) took 5 to 6 CPU-s more
    per notebook than opening it in the running app."""

    def __init__(self, page, lab):
        self.page, self.lab = page, lab
        self.boot()

    def boot(self):
        base, token = self.lab
        self.page.goto(f"{base}/lab?reset&token={token}")
        self.page.wait_for_function("window.jupyterapp !== undefined")
        self.page.evaluate("() => window.jupyterapp.restored.then(() => true)")

    def open(self, path, cells, timeout=120_000):
        """The notebook at `path` (relative to the lab's folder, `cells` cells long), open and shown."""
        self.page.evaluate("path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }", path)
        return OpenNotebook(self.page, cells, timeout)

    def close_everything(self):
        """Close every document, discarding what is unsaved (JupyterLab marks a notebook changed as it
        opens it), and any menu or dialog left open; load the app again if that fails, so that a test
        that broke the page leaves a working one to the next."""
        try:
            self.page.keyboard.press("Escape")
            self.page.evaluate(CLOSE_EVERYTHING)
            self.page.wait_for_function(f"document.querySelectorAll('{PANEL}, .jp-Dialog').length === 0",
                                        timeout=10_000)
        except Exception:
            self.boot()


EXPOSE_APP = "--LabApp.expose_app_in_browser=True"   # window.jupyterapp, for RunningLab
CLOSE_EVERYTHING = """() => {
    const app = window.jupyterapp;
    for (const widget of app.shell.widgets('main')) {
        if (widget.context) widget.context.model.dirty = false;
    }
    app.commands.execute('application:close-all');   // not awaited: a dialog it opened would hold the test
}"""


class OpenNotebook:
    """A notebook open in JupyterLab, as the page shows it (RunningLab.open opens one)."""

    def __init__(self, page, cells, timeout=120_000):
        self.page, self.cells, self.timeout = page, cells, timeout
        self.panel = page.locator(PANEL)
        # JupyterLab attaches the cells of a long notebook a few at a time; wait for all of them.
        page.wait_for_function(f"document.querySelectorAll('{PANEL} .jp-Cell').length >= {cells}", timeout=timeout)
        self.wait_for_kernel()

    def cell(self, index):
        return self.panel.locator(f".jp-Cell[data-windowed-list-index='{index}']")

    def wait_for_kernel(self):
        self.page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']",
                                    timeout=self.timeout)

    def menu(self, *path):
        for name in path:
            self.page.get_by_role("menuitem", name=name, exact=True).click()

    def prompts(self):
        """Each code cell's prompt ("[3]:", "[*]:", "[ ]:"), by cell index."""
        return {int(index): text.strip() for index, text in self.page.evaluate(
            f"""Array.from(document.querySelectorAll('{PANEL} .jp-CodeCell')).map(
                    cell => [cell.dataset.windowedListIndex, cell.querySelector('.jp-InputPrompt').textContent])""")}

    @contextlib.contextmanager
    def running(self):
        """Around an action that runs cells: on leaving, wait until a cell has run since, and
        none is running or queued, and the kernel is idle. Without the first condition a
        wait that starts before JupyterLab has queued the cells would end at once."""
        before = self.page.evaluate(f"{LATEST_EXECUTION_COUNT}('{PANEL}')")
        yield
        self.page.wait_for_function(
            f"""{LATEST_EXECUTION_COUNT}('{PANEL}') > {before}
                && !Array.from(document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt'))
                        .some(prompt => prompt.textContent.includes('*'))
                && document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'""",
            timeout=self.timeout)

    def outputs(self):
        """Each code cell's output as text, by cell index."""
        return {int(index): text for index, text in self.page.evaluate(
            f"""Array.from(document.querySelectorAll('{PANEL} .jp-CodeCell')).map(
                    cell => [cell.dataset.windowedListIndex, cell.querySelector('.jp-OutputArea').textContent])""")}

    def replace_source(self, index, text):
        """Select everything in a cell's editor and put `text` there, as a paste does (no auto-indent)."""
        editor = self.cell(index).locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(text)

    def formulas(self):
        """{cell index: (typeset formulas, MathJax errors)} for the rendered markdown cells.

        MathJax marks a TeX error with merror, and an undefined command (\\frca) by showing its
        name in red (its "noundefined" package)."""
        return {int(index): (typeset, errors) for index, typeset, errors in self.page.evaluate(
            f"""Array.from(document.querySelectorAll('{PANEL} .jp-MarkdownCell')).map(cell => [
                    cell.dataset.windowedListIndex, cell.querySelectorAll('mjx-container').length,
                    cell.querySelectorAll('mjx-assistive-mml merror').length
                    + Array.from(cell.querySelectorAll('mjx-assistive-mml mtext[mathcolor="red"]'))
                          .filter(text => text.textContent.startsWith('\\\\')).length])""")}

    def typesetting_problems(self, expected):
        """How the page's maths differs from `expected` ({cell index: formulas}, from the markdown):
        cells where MathJax typeset more or fewer formulas, and cells where it reports errors."""
        # MathJax typesets cell by cell: done when every formula is there and nothing changes for
        # a second, or (when some never appear) when nothing has changed for five.
        deadline, last, changed = time.monotonic() + self.timeout / 1000, None, time.monotonic()
        while time.monotonic() < deadline:
            shown = self.formulas()
            if shown != last:
                last, changed = shown, time.monotonic()
            quiet = time.monotonic() - changed
            if quiet >= 5 or (quiet >= 1 and sum(typeset for typeset, _ in shown.values()) >= sum(expected.values())):
                break
            self.page.wait_for_timeout(250)
        problems = [f"cell {index}: {shown.get(index, (0, 0))[0]} formulas typeset, the markdown has {count}"
                    for index, count in sorted(expected.items()) if shown.get(index, (0, 0))[0] != count]
        problems += [f"cell {index}: {typeset} formulas typeset where the markdown has none"
                     for index, (typeset, _) in sorted(shown.items()) if typeset and index not in expected]
        problems += [f"cell {index}: MathJax reports {errors} errors"
                     for index, (_, errors) in sorted(shown.items()) if errors]
        return problems

    def broken_images(self):
        """The sources of images on the page that did not load (markdown images and figures alike)."""
        return self.page.evaluate(
            f"""Array.from(document.querySelectorAll('{PANEL} img'))
                    .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src.slice(0, 80))""")

    def figures(self):
        return self.page.evaluate(f"""Array.from(document.querySelectorAll('{PANEL} .jp-OutputArea img'))
                                          .filter(img => img.complete && img.naturalWidth > 0).length""")
