"""The GitHub Actions templates in ci/github/ and the README's grading guide, against the real grader.

The workflows cannot run here; what can be checked is that they are valid YAML, that every
grading command in them is accepted by the grader's own argument parser, that the shards of
the matrix and `--shard K/N` agree, that the sandbox's sysctl comes before any grading, that
the data come only from an instructor's placeholder, and that the README documents every
option of `grade`.
"""

import fnmatch
import functools
import importlib.util
import re
import shlex
import subprocess
import sys

import pytest
import yaml

import autograder.__main__ as autograder_cli
from autograder.grading.grading_command import parse_shard
from course_layout import ROOT, assignments

PUSH = ROOT / "ci" / "github" / "grade-on-push.yml"
SHARDED = ROOT / "ci" / "github" / "grade-class-sharded.yml"
TEMPLATES = [PUSH, SHARDED]
SYSCTL = "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"
# `python3 course.py grade ...`, `python -m autograder grade|merge ...`: the words after the program.
COMMAND = re.compile(r"\bpython3?(?:\s+course\.py|\s+-m\s+autograder)\s+((?:grade|merge)\b.*)")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
course = importlib.util.module_from_spec(spec)
spec.loader.exec_module(course)


def load(path):
    return yaml.safe_load(path.read_text())


def triggers(workflow):
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True


def job_steps(job):
    return job.get("steps", [])


def scripts(job):
    """Each step's shell script, with its continuation lines joined."""
    return [re.sub(r"\\\n\s*", " ", step["run"]) for step in job_steps(job) if "run" in step]


def grading_commands(job):
    """(the program as written, its arguments as written) for every grading command of a job."""
    found = []
    for script in scripts(job):
        for line in script.splitlines():
            match = COMMAND.search(line)
            if match:
                program = line[match.start():match.start(1)].strip()
                found.append((program, match.group(1).strip()))
    return found


def argv(arguments, matrix_shard=1):
    """The words a shell would pass, with GitHub expressions and shell variables given sample values."""
    def expression(match):
        return str(matrix_shard) if match.group(1) == "matrix.shard" else "expr-" + re.sub(r"\W+", "-", match.group(1))
    text = EXPRESSION.sub(expression, arguments)
    text = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", r"/ci/\1", text)
    return shlex.split(text)


def parse(words):
    """The grader's own parser on `words`: the parsed arguments, with nothing run."""
    seen = {}
    original = autograder_cli.grade_command, autograder_cli.merge_results
    autograder_cli.grade_command = lambda args: seen.update(args=args)
    autograder_cli.merge_results = lambda parts, out: seen.update(args=(parts, out))
    try:
        assert autograder_cli.main(words) == 0
    except SystemExit as stop:   # argparse rejects the command line
        pytest.fail(f"the grader's parser rejects {shlex.join(words)} (exit {stop.code})")
    finally:
        autograder_cli.grade_command, autograder_cli.merge_results = original
    return seen["args"]


@functools.cache
def grade_options():
    """The long options of `python -m autograder grade`, from its --help (asked once: it takes seconds)."""
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "--help"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return tuple(sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", done.stdout)) - {"--help"}))


def every_command():
    return [(path, name, program, arguments) for path in TEMPLATES
            for name, job in load(path)["jobs"].items() for program, arguments in grading_commands(job)]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_the_templates_are_workflows(path):
    workflow = load(path)
    assert workflow["name"] and triggers(workflow) and workflow["jobs"]
    for job in workflow["jobs"].values():
        assert job["runs-on"] == "ubuntu-24.04", "the sysctl step is written for ubuntu-24.04"
        assert job_steps(job) and all("run" in step or "uses" in step for step in job_steps(job))
        pythons = [step["with"]["python-version"] for step in job_steps(job)
                   if step.get("uses", "").startswith("actions/setup-python@")]
        assert pythons == ["3.11"], "the course is pinned to Python 3.11"


def test_every_grading_command_parses_with_the_graders_own_parser():
    commands = every_command()
    kinds = sorted({(path.name, argv(arguments)[0]) for path, _, _, arguments in commands})
    assert kinds == [("grade-class-sharded.yml", "grade"), ("grade-class-sharded.yml", "merge"),
                     ("grade-on-push.yml", "grade")]
    options = grade_options()
    for path, _, program, arguments in commands:
        words = argv(arguments)
        used = [word.split("=")[0] for word in words if word.startswith("--")]
        if words[0] == "grade":
            assert set(used) <= set(options), f"{path.name}: unknown options {set(used) - set(options)}"
        args = parse(words)
        if words[0] == "grade":
            assert args.out and args.submissions
            parse_shard(args.shard)   # K/N as the grader reads it
        if program.startswith("python3 course.py") or program.startswith("python course.py"):
            assert words[0] == "grade", "course.py has no merge command"


def test_course_py_grade_hands_the_command_line_to_the_grader(monkeypatch):
    for path, _, program, arguments in every_command():
        if "course.py" not in program:
            continue
        words = argv(arguments)
        ran = []
        monkeypatch.setattr(course, "run", lambda *command: ran.append([str(part) for part in command]))
        assert course.main(words) == 0
        assert ran == [[str(course.PYTHON), "-m", "autograder", *words]], path.name


def test_the_matrix_has_as_many_shards_as_the_shard_option_says():
    workflow = load(SHARDED)
    job = workflow["jobs"]["grade"]
    shards = job["strategy"]["matrix"]["shard"]
    [(_, arguments)] = [(p, a) for p, a in grading_commands(job) if a.startswith("grade")]
    ns = re.findall(r"--shard[ =]\$\{\{\s*matrix\.shard\s*\}\}/(\d+)\b", arguments)
    assert len(ns) == 1, f"expected --shard ${{{{ matrix.shard }}}}/N in: {arguments}"
    n = int(ns[0])
    assert shards == list(range(1, n + 1)), f"matrix.shard is {shards}, but --shard says N = {n}"
    for k in shards:
        assert parse_shard(parse(argv(arguments, matrix_shard=k)).shard) == (k, n)
    assert job["strategy"].get("fail-fast") is False, "one shard's failure should not cancel the others"


def test_the_merge_job_combines_every_shards_upload():
    jobs = load(SHARDED)["jobs"]
    uploads = [step["with"]["name"] for step in job_steps(jobs["grade"])
               if step.get("uses", "").startswith("actions/upload-artifact@")]
    [download] = [step["with"] for step in job_steps(jobs["merge"])
                  if step.get("uses", "").startswith("actions/download-artifact@")]
    assert jobs["merge"]["needs"] in ("grade", ["grade"])
    shards = jobs["grade"]["strategy"]["matrix"]["shard"]
    names = [EXPRESSION.sub(str(k), uploads[0]) for k in shards]
    assert len(set(names)) == len(shards), "each shard needs an artifact of its own name"
    assert all(fnmatch.fnmatch(name, download["pattern"]) for name in names)
    assert not download.get("merge-multiple"), "merge wants one RESULTS_DIR per shard"
    [(_, merge)] = grading_commands(jobs["merge"])
    args = parse(argv(merge))
    assert [str(part) for part in args[0]] == [f"{download['path']}/*"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_user_namespaces_are_allowed_before_any_grading(path):
    for name, job in load(path)["jobs"].items():
        runs = [step.get("run", "") for step in job_steps(job)]
        grading = [i for i, run in enumerate(runs) if any(COMMAND.search(line) and " grade" in line
                                                          for line in run.splitlines())]
        if not grading:
            continue
        sysctl = [i for i, run in enumerate(runs) if SYSCTL in run]
        assert sysctl, f"{path.name}, job {name}: no `{SYSCTL}` step"
        assert sysctl[0] < grading[0], f"{path.name}, job {name}: the sysctl step must come before grading"
        assert "sudo " + SYSCTL in runs[sysctl[0]]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_the_data_come_from_a_named_placeholder_and_nothing_is_downloaded_from_a_fixed_address(path):
    workflow = load(path)
    grading_jobs = [job for job in workflow["jobs"].values()
                    if any(a.startswith("grade") for _, a in grading_commands(job))]
    for job in grading_jobs:
        placeholders = [step for step in job_steps(job) if "PLACEHOLDER" in step.get("name", "")
                        and "data" in step.get("name", "")]
        assert len(placeholders) == 1, "one clearly named step must say where the data files come from"
        setup = [run for run in scripts(job) if "course.py setup" in run]
        assert setup and all("--data-from" in run for run in setup)
    for job in workflow["jobs"].values():
        for run in scripts(job):
            assert not re.search(r"https?://", run), f"{path.name}: a fixed address in a script: {run[:200]}"


def test_the_push_template_checks_out_the_course_from_a_placeholder_with_a_token():
    workflow = load(PUSH)
    assert workflow["env"]["COURSE_REPO"] == "your-org/neurons-to-networks"
    [course_checkout] = [step["with"] for step in job_steps(workflow["jobs"]["run-autograding-tests"])
                         if step.get("with", {}).get("repository") == "${{ env.COURSE_REPO }}"]
    assert course_checkout["token"].startswith("${{ secrets.")
    assert course_checkout.get("persist-credentials") is False


def test_the_sharded_template_offers_exactly_the_courses_assignments():
    options = triggers(load(SHARDED))["workflow_dispatch"]["inputs"]["assignment"]["options"]
    assert options == assignments()


def test_the_readme_documents_every_option_of_grade():
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Instructor guide: grading")
    end = readme.find("\n## ", start + 1)
    guide = readme[start:end if end != -1 else None]
    missing = [option for option in grade_options() if option not in guide]
    assert not missing, f"the README's grading guide does not mention {missing}"
    for needed in ["python -m autograder merge", "ci/github/grade-on-push.yml", "ci/github/grade-class-sharded.yml",
                   SYSCTL, "nbgrader release_feedback", "nbgrader collect", "c.Exchange.root"]:
        assert needed in guide, f"the README's grading guide does not mention {needed}"


def test_the_templates_recognise_a_failed_grading_process_by_the_graders_own_words():
    words = "the grading process failed"
    assert f'f"{words} (' in (ROOT / "autograder" / "grading" / "batch.py").read_text(), "batch.py's reason changed"
    for path in TEMPLATES:
        assert f'startswith("{words}")' in path.read_text(), path.name


def test_the_push_template_reports_points_to_github_classroom_as_its_reporter_reads_them():
    """classroom-resources/autograding-grading-reporter@v1 reads <RUNNER>_RESULTS (base64 JSON) for each id of
    `runners`, and writes the points onto the check run of the job run-autograding-tests."""
    workflow = load(PUSH)
    assert workflow["permissions"] == {"contents": "read", "checks": "write", "actions": "read"}
    [(job_id, job)] = workflow["jobs"].items()
    assert job_id == "run-autograding-tests" and "name" not in job
    steps = job_steps(job)
    [(program, arguments)] = grading_commands(job)
    assert parse(argv(arguments)).formats == ["classroom"]
    [reporter] = [i for i, step in enumerate(steps)
                  if step.get("uses") == "classroom-resources/autograding-grading-reporter@v1"]
    runners = steps[reporter]["with"]["runners"].split(",")
    assert all(re.fullmatch(r"[a-zA-Z0-9]+", runner) for runner in runners), "the reporter's own check on runners"
    for runner in runners:
        value = steps[reporter]["env"][f"{runner.strip().upper()}_RESULTS"]
        step_id = re.fullmatch(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.result\s*\}\}", value).group(1)
        [producer] = [i for i, step in enumerate(steps) if step.get("id") == step_id]
        assert producer < reporter
        script = steps[producer]["run"]
        assert '$RESULTS/classroom/$STUDENT_ID.json' in script and "base64 -w0" in script
        assert '"status": "error"' in script, "no results must still reach the reporter, as an error"
    grading = next(i for i, step in enumerate(steps) if any(COMMAND.search(line) for line in step.get("run", "").splitlines()))
    assert grading < producer
    assert steps[producer].get("if") == "always()" and steps[reporter].get("if") == "always()"
