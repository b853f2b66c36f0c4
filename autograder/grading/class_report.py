"""The class report: RESULTS_DIR/report.html and its figures, RESULTS_DIR/report/*.png.

What an instructor wants to see of a graded class rather than read: each assignment's scores, how many
passed each test cell and where the others failed (its visible checks or its hidden ones), the most
frequent failure messages, the statuses, and how long each submission took to grade (the numbers:
class_stats; the figures: report_figures).

The page is static: no script, and nothing it loads (its figures are in it as data: URLs, and also
beside it in report/ for pasting elsewhere), with the feedback pages' Content-Security-Policy first in
its head, so it opens the same from a zip, a CI artifact or the Jupyter server. Of the submissions it
shows the numbers, the names, and the messages and reasons their students already see in their feedback,
escaped and cut short.
"""

import base64
import html
from pathlib import Path

from .class_stats import NOT_RUN, class_stats, is_late, short
from .feedback_page import policy_meta
from .records import Status

PAGE = "report.html"
FIGURES_DIR = "report"
REASON_CHARS = 200
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f3f3f3; }
img { max-width: 100%; border: 1px solid #eee; }
h3 { font-size: 1em; margin-bottom: 0.2em; }
.where-hidden { color: #a3321c; } .where-visible { color: #9a5b00; }
"""


def write(out, records):
    """report.html and report/*.png in the folder `out`, from the records; the page's path."""
    # matplotlib only here: results.py is imported by every grading process, whose kernels must not
    # start with the grader's matplotlib loaded, nor pay for its import.
    from .report_figures import draw
    out = Path(out)
    stats = class_stats(records)
    figures = draw(stats)
    (out / FIGURES_DIR).mkdir(parents=True, exist_ok=True)
    for name, data in figures.items():
        (out / FIGURES_DIR / f"{name}.png").write_bytes(data)
    page = out / PAGE
    page.write_text(render(stats, figures), encoding="utf-8")
    return page


def render(stats, figures):
    """The page, from the numbers and the figures ({name: PNG bytes})."""
    submissions = sum(a.submissions for a in stats.assignments.values())
    body = [f"<h1>Class report</h1>\n<p>{_count(submissions, 'submission')} of "
            f"{_count(len(stats.assignments), 'assignment')}, "
            f"{_number(stats.seconds)} s of grading added up over the submissions. Scores, pass rates and "
            f"messages count the submissions handed in; statuses and grading times count all of them.</p>",
            _section("scores", "Scores", figures, "The final score of each submission handed in, per assignment",
                     _scores_table(stats)),
            _section("exercises", "Exercises", figures,
                     "Each test cell: passed, failed in its visible checks, failed in its hidden checks, or not run",
                     _exercises_table(stats)),
            _section("messages", "Most frequent failure messages", None, "", _messages(stats)),
            _section("statuses", "Statuses", figures, "Each assignment's submissions by status, and how many were late",
                     _statuses_table(stats) + _attention_table(stats)),
            _section("grading-time", "Grading time", figures, "The grading time of each submission",
                     _times_table(stats))]
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n{policy_meta()}\n<meta charset="utf-8">\n'
            f"<title>Class report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _section(anchor, title, figures, caption, content):
    figure = ""
    if figures is not None:
        data = base64.b64encode(figures[anchor]).decode()
        figure = (f'<p><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}"></p>\n'
                  f"<p><small>{html.escape(caption)} (also {FIGURES_DIR}/{anchor}.png).</small></p>\n")
    return f'<section id="{anchor}">\n<h2>{html.escape(title)}</h2>\n{figure}{content}</section>'


def _table(headers, rows, numeric=()):
    """A table of escaped text; the columns named in `numeric` aligned right."""
    def cell(tag, index, value):
        return f'<{tag}{" class=n" if index in numeric else ""}>{html.escape(str(value))}</{tag}>'
    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "\n".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<tr>{head}</tr>\n{body}\n</table>\n"


def _scores_table(stats):
    rows = [(a.name, a.submissions, a.handed_in, _number(a.max_score), _number(a.mean), _number(a.median),
             a.full_marks, a.late) for a in stats.assignments.values()]
    return _table(["assignment", "submissions", "handed in", "points", "mean", "median", "full marks", "late"],
                  rows, numeric=range(1, 8))


def _exercises_table(stats):
    rows = [(e.assignment, e.grade_id, _number(e.max_score), e.submissions, e.passed, e.failed_visible,
             e.failed_hidden, e.not_run, _percent(e.pass_rate), _number(e.mean_score), _cases(e))
            for e in stats.exercises]
    return _table(["assignment", "test cell", "points", "handed in", "passed", "failed in visible checks",
                   "failed in hidden checks", NOT_RUN, "pass rate", "mean points", "named cases passed"],
                  rows, numeric=range(2, 10))


def _cases(exercise):
    return "; ".join(f"{name} ({count.part}): {count.passed} / {count.judged}"
                     for name, count in exercise.cases.items())


def _messages(stats):
    parts = []
    for exercise in stats.exercises:
        shown = exercise.frequent_messages()
        if not shown:
            continue
        rows = "\n".join(f'<tr><td class=n>{count}</td><td class="where-{html.escape(where.replace(" ", "-"))}">'
                         f"{html.escape(where)}</td><td>{html.escape(text)}</td></tr>" for count, where, text in shown)
        more = len(exercise.messages) - len(shown)
        parts.append(f"<h3>{html.escape(exercise.assignment)}: {html.escape(exercise.grade_id)}</h3>\n"
                     f"<table>\n<tr><th class=n>submissions</th><th>failed in</th><th>message</th></tr>\n{rows}\n"
                     f"</table>\n" + (f"<p><small>and {more} other messages</small></p>\n" if more > 0 else ""))
    return "".join(parts) or "<p>No test failed.</p>\n"


def _statuses_table(stats):
    statuses = [status.value for status in Status]
    rows = [(a.name, *(a.statuses[s] for s in statuses), a.late) for a in stats.assignments.values()]
    return _table(["assignment", *statuses, "late"], rows, numeric=range(1, len(statuses) + 2))


def _attention_table(stats):
    if not stats.attention:
        return "<p>Every submission was graded, none late.</p>\n"
    rows = [(r.student, r.assignment, Status(r.status).value, _duration(r.seconds_late) if is_late(r) else "",
             f"{_number(r.score)} / {_number(r.max_score)}", _number(r.seconds), short(r.reason, REASON_CHARS))
            for r in stats.attention]
    return ("<h3>Submissions to look at: not graded, or late</h3>\n"
            + _table(["student", "assignment", "status", "late by", "score", "seconds", "reason"], rows,
                     numeric=(4, 5)))


def _times_table(stats):
    rows = []
    for a in stats.assignments.values():
        seconds = [s for s, _ in a.seconds]
        rows.append((a.name, a.submissions, _number(sum(seconds) / len(seconds)) if seconds else "",
                     _number(max(seconds, default=0)), _number(sum(seconds))))
    return _table(["assignment", "submissions", "mean seconds", "longest", "all together"], rows,
                  numeric=range(1, 5))


def _number(value):
    """A score or a time as the page shows it: at most two decimals, no trailing zeros."""
    return f"{round(float(value), 2):g}"


def _count(n, noun):
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _percent(rate):
    return f"{100 * rate:.0f}%"


def _duration(seconds):
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
