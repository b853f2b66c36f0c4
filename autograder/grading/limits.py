"""What one submission may use of the grading machine, enforced by the kernel, not by the grader's code.

Disk: each grading process enters a mount namespace of its own (`enter_private_mounts`, as
`unshare --mount` would) and mounts a size-limited tmpfs for its scratch space. The student's folder, `/tmp`
and `/dev/shm` of the sandbox all live on it, so a submission can fill only that, and the
space is gone with the grading process, however it ends.

Processes: a pids cgroup per submission when the grader may create one (as root, with
cgroup v1 or v2), which the sandbox joins before it starts the kernel. Without one (an
unprivileged grader), RLIMIT_NPROC in the sandbox; the kernel counts it per user namespace
(Linux 5.14 and later), and every submission has a user namespace of its own.
"""

import os
import signal
import time
from pathlib import Path

from .sandbox import CLONE_NEWNS, CLONE_NEWUSER, MS_NODEV, MS_NOSUID, MS_PRIVATE, MS_REC, map_ids, mount, unshare

DISK_MB = 1024        # a completed submission of the course uses at most 34 MB (assignment 2)
MAX_PROCESSES = 256   # threads count too: a completed submission runs at most 16 at once
CGROUP_ROOT = Path("/sys/fs/cgroup")


def enter_private_mounts():
    """Give this process a mount namespace of its own, whose mounts no other process sees.

    As root, a new mount namespace; otherwise a new user namespace too, in which this user is root
    (what `unshare --user --map-root-user --mount` does). The process must have one thread."""
    uid, gid = os.geteuid(), os.getegid()
    unshare(CLONE_NEWNS if uid == 0 else CLONE_NEWNS | CLONE_NEWUSER)
    if uid != 0:
        map_ids(0, uid, gid)
    mount(None, "/", None, MS_REC | MS_PRIVATE)


def mount_disk(folder, disk_mb):
    """Mount a tmpfs of `disk_mb` MB on `folder` (in this process's own mount namespace)."""
    mount("nngrade", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"size={int(disk_mb)}m,mode=700")


def temporary_space(scratch):
    """scratch/tmp, made for the sandbox's /tmp, and its .shm for /dev/shm: on the disk, writable by the kernel."""
    tmp = Path(scratch) / "tmp"
    (tmp / ".shm").mkdir(parents=True)
    for folder in (tmp, tmp / ".shm"):
        folder.chmod(0o1777)
    return tmp


def disk_full(folder):
    """Whether the space mounted on `folder` is (nearly) full: less than 1 MB or 1 % left."""
    info = os.statvfs(folder)
    free = info.f_bavail * info.f_frsize
    return free < max(2**20, info.f_blocks * info.f_frsize // 100)


def tasks_under(pid):
    """How many processes and threads run in the tree of processes under `pid`, itself included."""
    children = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat:
            parent = int(stat[stat.rindex(")") + 2:].split()[1])   # the name in (...) may hold spaces
            children.setdefault(parent, []).append(int(entry.name))
    count, waiting = 0, [pid]
    while waiting:
        member = waiting.pop()
        waiting.extend(children.get(member, []))
        try:
            count += len(os.listdir(f"/proc/{member}/task"))
        except OSError:
            continue
    return count


class ProcessCgroup:
    """A pids cgroup for one submission: created and removed by the batch, joined by the sandbox."""

    def __init__(self, path):
        self.path = Path(path)

    @classmethod
    def create(cls, name, max_processes):
        """The cgroup, or None when this machine does not let the grader make one."""
        base = _pids_hierarchy()
        if base is None:
            return None
        try:
            path = base / name
            path.mkdir()
            (path / "pids.max").write_text(str(int(max_processes)))
        except OSError:
            return None
        return cls(path)

    @property
    def procs_file(self):
        return str(self.path / "cgroup.procs")

    def refused(self):
        """How many times the limit refused a new process or thread."""
        try:
            for line in (self.path / "pids.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "max":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def remove(self):
        """Kill whatever is left in it, then remove it."""
        for _ in range(100):
            try:
                for pid in (self.path / "cgroup.procs").read_text().split():
                    _kill(int(pid))
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:      # busy until the killed processes are reaped
                time.sleep(0.02)


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _pids_hierarchy():
    """Where a new pids cgroup can be made: cgroup v2's root with pids enabled, or v1's pids hierarchy."""
    if (CGROUP_ROOT / "cgroup.controllers").exists():          # cgroup v2 only
        try:
            control = CGROUP_ROOT / "cgroup.subtree_control"
            if "pids" not in control.read_text().split():
                control.write_text("+pids")
        except OSError:
            return None
        return CGROUP_ROOT if os.access(CGROUP_ROOT, os.W_OK) else None
    v1 = CGROUP_ROOT / "pids"
    if not (v1 / "cgroup.procs").exists():
        return None
    own = next((line.split(":", 2)[2] for line in Path("/proc/self/cgroup").read_text().splitlines()
                if line.split(":")[1] == "pids"), "/")
    base = v1 / own.lstrip("/")
    return base if os.access(base, os.W_OK) else None
