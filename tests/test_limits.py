"""What a hand-in may be and what a submission may use, piece by piece, without grading anything.

The robustness batch (test_grading_robustness.py) shows the same limits on whole submissions.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.grading import hand_in, intake, limits
from autograder.grading.sandbox import sandboxed
from course_layout import ROOT


# ---------------------------------------------------------------- what is read of a hand-in

@pytest.fixture
def class_folder(tmp_path):
    submissions = tmp_path / "submitted"
    (submissions / "ann" / "a1").mkdir(parents=True)
    (submissions / "ann" / "a1" / "work.ipynb").write_text("{}")
    (tmp_path / "elsewhere").mkdir()
    return submissions


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", "a b", "a&b", "a'b", 'a"b', "a;b"])
def test_a_folder_name_that_could_be_markup_is_not_a_student_id(name):
    with pytest.raises(hand_in.Refused, match="cannot be a student id"):
        hand_in.check_student_id(name)


@pytest.mark.parametrize("name", ["ann", "s1234567", "ann.lee", "ann_lee-2", "ann+course@uni.edu", "zoë"])
def test_usual_student_ids_are_accepted(name):
    hand_in.check_student_id(name)


def test_a_folder_that_is_a_link_is_refused_at_every_level(class_folder):
    hand_in.check_folder(class_folder, class_folder / "ann" / "a1")
    os.symlink(class_folder / "ann", class_folder / "bob")
    with pytest.raises(hand_in.Refused, match="the folder bob is a link"):
        hand_in.check_folder(class_folder, class_folder / "bob" / "a1")
    (class_folder / "cy").mkdir()
    os.symlink("../ann/a1", class_folder / "cy" / "a1")
    with pytest.raises(hand_in.Refused, match="the folder cy/a1 is a link"):
        hand_in.check_folder(class_folder, class_folder / "cy" / "a1")
    hand_in.check_folder(class_folder, class_folder / "dee" / "a1")   # missing: not refused, graded as missing


@pytest.mark.parametrize("make, said", [
    (lambda path, other: os.symlink(other, path), "is a link"),
    (lambda path, other: os.symlink(os.path.relpath(other, path.parent), path), "is a link"),
    (lambda path, other: os.symlink(path.parent / "nowhere", path), "is a link"),
    (lambda path, other: os.mkfifo(path), "is a FIFO, not a file"),
    (lambda path, other: path.mkdir(), "is a folder, not a file"),
    (lambda path, other: path.write_bytes(b"x" * 2001), "mine.ipynb is 2001 bytes; the limit is 2000 bytes"),
])
def test_only_regular_files_within_the_limit_are_read(class_folder, make, said):
    other = class_folder / "ann" / "a1" / "work.ipynb"
    path = class_folder / "ann" / "a1" / "mine.ipynb"
    make(path, other)
    started = time.monotonic()
    with pytest.raises(hand_in.Refused, match=said):
        hand_in.read_file(path, 2000)
    assert time.monotonic() - started < 1, "a FIFO must not make the grader wait"


def test_a_device_is_not_read():
    with pytest.raises(hand_in.Refused, match="null is a device"):
        hand_in.read_file(Path("/dev/null"), 2000)


def test_a_regular_file_is_read_whole(class_folder):
    assert hand_in.read_file(class_folder / "ann" / "a1" / "work.ipynb", 2) == b"{}"


def test_other_files_leave_out_links_and_special_files_and_never_enter_a_linked_folder(class_folder):
    folder = class_folder / "ann" / "a1"
    (folder / "data").mkdir()
    (folder / "data" / "x.csv").write_text("1,2")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("")
    (folder / "big.bin").write_bytes(b"x" * 3000)
    os.symlink("/etc", folder / "etc")
    os.symlink("/etc/passwd", folder / "data" / "passwd")
    os.mkfifo(folder / "pipe")
    kept, left_out = hand_in.regular_files(folder, 2000)
    assert sorted(str(relative) for relative, _ in kept) == ["data/x.csv", "work.ipynb"]
    assert sorted(left_out) == ["big.bin (over 2000 bytes)", "data/passwd (a link)", "etc (a link)", "pipe (a FIFO)"]


def test_folders_nested_too_deeply_are_left_out(class_folder):
    folder = class_folder / "ann" / "a1"
    deep = str(folder)
    for _ in range(1100):   # deeper than Python's recursion limit
        deep += "/d"
        os.mkdir(deep)
    Path(deep, "x.txt").write_text("")
    (folder / "d" / "y.txt").write_text("")
    try:
        kept, left_out = hand_in.regular_files(folder, 2000)
    finally:   # shutil.rmtree, and so pytest's clean-up, recurses once per level
        os.remove(Path(deep, "x.txt"))
        os.remove(folder / "d" / "y.txt")
        while deep != str(folder):
            os.rmdir(deep)
            deep = os.path.dirname(deep)
    assert sorted(str(relative) for relative, _ in kept) == ["d/y.txt", "work.ipynb"]
    assert left_out == ["/".join(["d"] * (hand_in.MAX_FOLDER_DEPTH + 1)) +
                        f" (folders nested more than {hand_in.MAX_FOLDER_DEPTH} deep)"]


def test_json_nested_too_deeply_is_unreadable_with_a_reason(tmp_path):
    real = nbformat.read(ROOT / "release" / "a1_single_neuron" / "single_neuron.ipynb", as_version=4)
    assert intake.nesting_depth(json.loads(nbformat.writes(real))) <= 8
    deep = tmp_path / "deep.ipynb"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(intake.Unreadable, match="nested too deeply"):
        intake.read_notebook(deep)
    raw = json.loads(nbformat.writes(real))
    raw["metadata"]["x"] = json.loads("[" * 100 + "]" * 100)
    deep.write_text(json.dumps(raw))
    with pytest.raises(intake.Unreadable, match=f"nested 102 levels deep.*the limit is {intake.MAX_NESTING}"):
        intake.read_notebook(deep)


# ---------------------------------------------------------------- what a submission may use

def test_tasks_under_counts_the_processes_and_threads_of_a_tree():
    script = ("import os, threading, time\n"
              "for _ in range(3):\n    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
              "if os.fork() == 0:\n    time.sleep(30)\n    os._exit(0)\n"
              "print('ready', flush=True)\ntime.sleep(30)\n")
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        assert process.stdout.readline() == "ready\n"
        assert limits.tasks_under(process.pid) == 5   # the parent and its 3 threads, a child (forked: one thread)
    finally:
        os.killpg(process.pid, 9)
        process.wait()


FLOOD = ("import os, time\nstarted = 0\ntry:\n    for _ in range(200):\n"
         "        if os.fork() == 0:\n            os.close(1)\n            os.close(2)\n            time.sleep(30)\n"
         "            os._exit(0)\n        started += 1\nexcept OSError as error:\n"
         "    print('refused after', started, error.errno)\n")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may make a pids cgroup here; CI grades as root")
def test_a_pids_cgroup_refuses_past_its_limit_and_counts_it():
    cgroup = limits.ProcessCgroup.create(f"nngrade-{os.getpid()}-test", 20)
    assert cgroup is not None, "as root, the grader must be able to make a pids cgroup on this machine"
    try:
        joined = f"open({cgroup.procs_file!r}, 'w').write('0')\n" + FLOOD
        done = subprocess.run([sys.executable, "-c", joined], capture_output=True, text=True, timeout=60)
        started = int(done.stdout.split("refused after ")[1].split()[0])
        assert 0 < started < 20 and cgroup.refused() >= 1, done.stdout + done.stderr
    finally:
        cgroup.remove()
    assert not cgroup.path.exists(), "the cgroup and the processes left in it are removed"


def test_the_disk_limit_holds_and_leaves_nothing_on_the_machine(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f"import os\nfrom autograder.grading.limits import enter_private_mounts, mount_disk, disk_full\n"
              f"enter_private_mounts()\nmount_disk({str(disk)!r}, 8)\n"
              f"print('full before:', disk_full({str(disk)!r}))\n"
              f"try:\n    open(os.path.join({str(disk)!r}, 'big'), 'wb').write(b'x' * 20 * 2**20)\n"
              "except OSError as error:\n    print('refused', error.errno)\n"
              f"print('full after:', disk_full({str(disk)!r}))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["full before: False", "refused 28", "full after: True"], done.stderr
    assert list(disk.iterdir()) == [], "the space belonged to the process's own mount namespace"


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/python3").exists(),
                    reason="needs root to become an ordinary user, and the system's Python for that user")
def test_an_unprivileged_grader_still_limits_processes(tmp_path):
    """Without a cgroup, RLIMIT_NPROC in the sandbox's own user namespace limits each submission."""
    own = tmp_path / "nobody"
    (own / "jail").mkdir(parents=True)
    (own / "work").mkdir()
    shutil.copy(ROOT / "autograder" / "grading" / "sandbox.py", own / "sandbox.py")
    for path in [tmp_path, own, own / "jail", own / "work", own / "sandbox.py"]:
        os.chown(path, NOBODY, NOBODY)
    tmp_path.chmod(0o755)
    command = sandboxed(["/usr/bin/python3", "-c", FLOOD], jail=own / "jail", workdir=own / "work", readable=[],
                        memory_mb=1024, max_processes=24, env={"PATH": "/usr/bin:/bin"})
    os.chown(own / "jail.json", NOBODY, NOBODY)
    interpreter, script = command.index(sys.executable), command.index(str(ROOT / "autograder" / "grading" / "sandbox.py"))
    command[interpreter], command[script] = "/usr/bin/python3", str(own / "sandbox.py")
    ancestors = [p for p in tmp_path.parents if p != Path("/")]
    modes = {p: p.stat().st_mode for p in ancestors}
    try:
        for path in ancestors:
            path.chmod(modes[path] | 0o001)   # let nobody through to its folder
        done = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command],
                              capture_output=True, text=True, timeout=60)
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    assert "refused after" in done.stdout, done.stdout + done.stderr
    started = int(done.stdout.split("refused after ")[1].split()[0])
    assert 0 < started < 24, done.stdout
