"""The class report's four figures, drawn with matplotlib's Agg renderer into PNG bytes.

Each is drawn once, from the numbers of class_stats; figures are made with matplotlib.figure.Figure, not
pyplot, so nothing is left open and no window backend is chosen. No student text is drawn: labels are the
course's own names (assignments, test cells), with `$` escaped so none is read as maths.
"""

import io
import random

from matplotlib.figure import Figure

from .class_stats import NOT_RUN
from .records import Status

PASSED, VISIBLE, HIDDEN = "#4c9a2a", "#e8a33d", "#c2452d"
NOT_RUN_COLOUR = "#9e9e9e"
STATUS_COLOURS = {"graded": PASSED, "missing": "#bdbdbd", "invalid": "#8d6e63", "timeout": VISIBLE,
                  "crashed": "#7e57c2", "tampered": HIDDEN}
DPI = 100


def label(text):
    return str(text).replace("$", r"\$")


def png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def score_histograms(stats):
    """A histogram of the final scores of each assignment's submissions handed in."""
    assignments = list(stats.assignments.values())
    columns = min(3, max(1, len(assignments)))
    rows = (len(assignments) + columns - 1) // columns or 1
    figure = Figure(figsize=(4.2 * columns, 2.8 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).flatten()
    for ax, assignment in zip(axes, assignments):
        ax.hist(assignment.scores, bins=_bins(assignment.max_score), color="#3b78b0", edgecolor="white")
        ax.set_title(label(f"{assignment.name} ({assignment.handed_in} handed in)"), fontsize=10)
        ax.set_xlabel(f"score (of {assignment.max_score:g})")
        ax.set_ylabel("submissions")
        ax.yaxis.get_major_locator().set_params(integer=True)
        if assignment.scores:
            ax.axvline(assignment.mean, color="black", linestyle="--", linewidth=1,
                       label=f"mean {assignment.mean:.3g}")
            ax.legend(fontsize=8)
    for ax in axes[len(assignments):]:
        ax.set_visible(False)
    return figure


def _bins(top):
    """Bins centred on the scores a test can give: every half point, or coarser for long assignments."""
    step = 0.5 if top <= 10 else 1.0 if top <= 20 else top / 20
    count = int(round(top / step)) + 1
    return [step * (i - 0.5) for i in range(count + 1)]


def exercise_bars(stats):
    """Each test cell: the share of submissions that passed, failed in the visible checks, failed in the
    hidden ones, or did not get to run it."""
    exercises = list(reversed(stats.exercises))     # the first at the top
    figure = Figure(figsize=(9, 1.2 + 0.32 * max(1, len(exercises))), layout="constrained")
    ax = figure.subplots()
    names = [label(f"{e.assignment}: {e.grade_id}") for e in exercises]
    left = [0.0] * len(exercises)
    for what, colour, counts in [("passed", PASSED, [e.passed for e in exercises]),
                                 ("failed in visible checks", VISIBLE, [e.failed_visible for e in exercises]),
                                 ("failed in hidden checks", HIDDEN, [e.failed_hidden for e in exercises]),
                                 (NOT_RUN, NOT_RUN_COLOUR, [e.not_run for e in exercises])]:
        shares = [100 * n / e.submissions if e.submissions else 0 for n, e in zip(counts, exercises)]
        ax.barh(names, shares, left=left, color=colour, label=what)
        left = [a + b for a, b in zip(left, shares)]
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(exercises) - 0.4)
    ax.set_xlabel("% of the submissions handed in")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=8, frameon=False)
    ax.tick_params(axis="y", labelsize=8)
    return figure


def status_bars(stats):
    """Each assignment's submissions by status, and how many were late."""
    assignments = list(reversed(stats.assignments.values()))
    figure = Figure(figsize=(9, 1.2 + 0.45 * max(1, len(assignments))), layout="constrained")
    ax = figure.subplots()
    names = [label(a.name) for a in assignments]
    left = [0] * len(assignments)
    for status in Status:
        counts = [a.statuses[status.value] for a in assignments]
        if any(counts):
            ax.barh(names, counts, left=left, color=STATUS_COLOURS[status.value], label=status.value)
            left = [a + b for a, b in zip(left, counts)]
    for y, (assignment, width) in enumerate(zip(assignments, left)):
        if assignment.late:
            ax.annotate(f"{assignment.late} late", (width, y), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=8)
    ax.set_xlabel("submissions")
    ax.set_ylim(-0.6, len(assignments) - 0.4)
    ax.set_xlim(0, max(left, default=1) * 1.15 or 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if ax.containers:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=6, fontsize=8, frameon=False)
    return figure


def grading_times(stats):
    """The grading time of every submission, one dot each, by assignment and coloured by status."""
    assignments = list(stats.assignments.values())
    figure = Figure(figsize=(9, 3.2), layout="constrained")
    ax = figure.subplots()
    jitter = random.Random(0)   # the same figure from the same records
    dots = {}                   # status: ([x], [seconds])
    for x, assignment in enumerate(assignments):
        for seconds, status in assignment.seconds:
            xs, ys = dots.setdefault(status, ([], []))
            xs.append(x + jitter.uniform(-0.25, 0.25))
            ys.append(seconds)
    for status in Status:
        if status.value in dots:
            ax.scatter(*dots[status.value], s=14, color=STATUS_COLOURS[status.value], label=status.value, alpha=0.8)
    ax.set_xticks(range(len(assignments)), [label(a.name) for a in assignments], fontsize=8)
    ax.set_xlim(-0.6, len(assignments) - 0.4)
    ax.set_ylabel("seconds to grade")
    ax.set_ylim(bottom=0)
    if dots:
        ax.legend(fontsize=8, loc="upper left")
    return figure


FIGURES = {"scores": score_histograms, "exercises": exercise_bars, "statuses": status_bars,
           "grading-time": grading_times}


def draw(stats):
    """{name: PNG bytes} of every figure."""
    return {name: png(make(stats)) for name, make in FIGURES.items()}
