"""Run the student's kernel where it sees only what it needs: a private root, no network, no privileges.

`enter(plan)` is called in a process with one thread. It makes Linux namespaces (user, mount,
PID, network) with the system calls themselves, builds a root file system of read-only bind
mounts (the system's programs and libraries, Python, the course's student package and data)
plus the one writable folder of the submission, pivots into it, drops every privilege by
entering a second user namespace that owns nothing, and returns there, as PID 2 of its own
process tree. The process that called it never returns: it waits for the sandboxed one and
exits with its status. The gradebook, the hidden tests, the course folder and other students'
work are not in that file system at all; its network has only a loopback device.

Two ways in, one sandbox: the grader forks its kernel, warm, into it (student_kernel.py), and
`sandboxed(command, ...)` gives a command line that runs any command in it (this file, run as
a script, enters and then executes the command; the probe and the tests use it).

It needs Linux and user namespaces (root, or a kernel that allows unprivileged ones).
"""

import ctypes
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
# Only the parts of /etc that programs need to start; not its secrets (/etc/shadow and the like).
ETC = ["alternatives", "fonts", "group", "hosts", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
       "mime.types", "nsswitch.conf", "passwd"]
DEVICES = ["null", "zero", "random", "urandom"]


class SandboxUnavailable(RuntimeError):
    """This machine cannot build the sandbox; the message says why and what to do."""


def plan(*, jail, workdir, readable, memory_mb, max_processes, env, tmp=None, cgroup_procs=None, command=()):
    """What `enter` builds: jail: an empty folder to build the sandbox's root in; workdir: the only
    writable folder (it keeps its path inside); readable: more folders to show read-only, at their
    paths; env: the environment inside; tmp: a folder to be the sandbox's /tmp and /dev/shm (default:
    small tmpfs of their own); cgroup_procs: the cgroup.procs file of the submission's pids cgroup,
    joined first; command: what the script runs inside."""
    return {"jail": str(jail), "workdir": str(workdir), "readable": [str(p) for p in readable],
            "memory_mb": memory_mb, "env": dict(env), "command": [str(part) for part in command],
            "tmp": None if tmp is None else str(tmp), "max_processes": int(max_processes),
            "cgroup_procs": cgroup_procs}


def sandboxed(command, **where):
    """The command line that runs `command` inside the sandbox (see `plan` for the arguments)."""
    plan_file = Path(where["jail"]).with_suffix(".json")
    plan_file.write_text(json.dumps(plan(command=command, **where)))
    return [sys.executable, "-I", str(Path(__file__).resolve()), str(plan_file)]


def check_available(readable):
    """Raise SandboxUnavailable unless the sandbox starts here and its Python imports what a kernel needs."""
    if sys.platform != "linux" or platform.machine() not in PIVOT_ROOT:
        raise SandboxUnavailable("the grader's sandbox needs Linux on x86_64 or aarch64; this machine is "
                                 f"{sys.platform} on {platform.machine()}.")
    with tempfile.TemporaryDirectory(prefix="nngrade-check-") as scratch:
        disk, jail = Path(scratch) / "disk", Path(scratch) / "jail"
        disk.mkdir()
        jail.mkdir()
        command = sandboxed([sys.executable, "-c", "import ipykernel, numpy, nncourse"], jail=jail,
                            workdir=disk / "work", readable=readable, memory_mb=2048, max_processes=64,
                            env={"PATH": "/usr/bin:/bin"}, tmp=disk / "tmp")
        # As a grading process does it: its own mounts, a size-limited disk, the sandbox on it.
        on_its_disk = ("import os\nfrom autograder.grading.limits import enter_private_mounts, mount_disk, temporary_space\n"
                       f"enter_private_mounts()\nmount_disk({str(disk)!r}, 64)\nos.mkdir({str(disk / 'work')!r})\n"
                       f"temporary_space({str(disk)!r})\nos.execv({command[0]!r}, {command!r})\n")
        probe = subprocess.run([sys.executable, "-c", on_its_disk], capture_output=True, text=True,
                               cwd=Path(__file__).resolve().parents[2])
    if probe.returncode != 0:
        said = probe.stderr.strip().splitlines()[-1:] or [str(probe.returncode)]
        raise SandboxUnavailable(
            f"the grader's sandbox does not start here ({said[0]}). It needs user namespaces; on Ubuntu 24.04 "
            "run `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or grade as root; "
            "inside a container, allow them (e.g. Docker's --security-opt seccomp=unconfined).")


# ---------------------------------------------------------------- inside the namespaces

_libc = ctypes.CDLL(None, use_errno=True)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
PR_SET_PDEATHSIG = 1
SANDBOX_UID = 1000   # who the command is, in the user namespace that owns nothing
PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}  # pivot_root(2) has no libc wrapper


def mount(source, target, fstype, flags, data=None):
    if _libc.mount(_b(source), _b(target), _b(fstype), flags, _b(data)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {source} on {target}: {os.strerror(error)}")


def _b(text):
    return None if text is None else str(text).encode()


def _bind(host_path, jail, writable=False):
    host_path = Path(host_path)
    target = Path(str(jail) + str(host_path))
    if host_path.is_symlink():
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_symlink():
            target.symlink_to(os.readlink(host_path))
        resolved = host_path.resolve()
        if not Path(str(jail) + str(resolved)).exists():  # /bin -> usr/bin is there already; a linked .venv is not
            _bind(resolved, jail, writable)
        return
    if not host_path.exists():
        return
    if host_path.is_dir():
        target.mkdir(parents=True, exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()
    mount(host_path, target, None, MS_BIND | MS_REC)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (0 if writable else MS_RDONLY)
    mount(None, target, None, flags)


def _bind_at(host_folder, target):
    """A writable bind mount of `host_folder` at `target` (both exist)."""
    mount(host_folder, target, None, MS_BIND | MS_REC)
    mount(None, target, None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV)


def _build_root(plan):
    jail = Path(plan["jail"])
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("jail", jail, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=755")
    (jail / "tmp").mkdir()
    if plan["tmp"] is None:
        mount("tmp", jail / "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=1777")
    else:
        _bind_at(plan["tmp"], jail / "tmp")
    etc = [f"/etc/{name}" for name in ETC]
    for folder in SYSTEM_DIRS + etc + [sys.base_prefix] + plan["readable"]:
        _bind(folder, jail)
    _bind(plan["workdir"], jail, writable=True)
    (jail / "proc").mkdir()
    mount("proc", jail / "proc", "proc", MS_NOSUID | MS_NODEV)
    (jail / "dev").mkdir()
    mount("dev", jail / "dev", "tmpfs", MS_NOSUID, "size=64k,mode=755")
    for device in DEVICES:
        _bind(f"/dev/{device}", jail)
    (jail / "dev" / "fd").symlink_to("/proc/self/fd")
    (jail / "dev" / "shm").mkdir()
    if plan["tmp"] is None:
        mount("shm", jail / "dev" / "shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
    else:
        _bind_at(Path(plan["tmp"]) / ".shm", jail / "dev" / "shm")
    old = jail / ".old-root"
    old.mkdir()
    if _libc.syscall(PIVOT_ROOT[platform.machine()], _b(jail), _b(old)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"pivot_root: {os.strerror(error)}")
    os.chdir("/")
    if _libc.umount2(b"/.old-root", MNT_DETACH) != 0:
        raise OSError(ctypes.get_errno(), "umount of the old root")
    os.rmdir("/.old-root")


def enter(plan):
    """Enter the sandbox that `plan` describes; return in it. The calling process, which must have one
    thread, never returns: it waits for the sandbox and exits with its status. Everything in the
    sandbox is killed when the caller's parent dies (the grading process, or the script's caller)."""
    _die_with_parent()
    if plan["cgroup_procs"]:
        Path(plan["cgroup_procs"]).write_text("0")   # this process, and so all it starts
    uid, gid = os.geteuid(), os.getegid()
    unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET)
    map_ids(0, uid, gid)
    _wait_and_exit(os.fork())    # the child is the PID namespace's init
    _die_with_parent()
    _build_root(plan)
    os.chdir(plan["workdir"])
    limit = plan["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (plan["max_processes"], plan["max_processes"]))
    # The command runs as PID 2, not as the namespace's init: signals it sends itself behave as
    # anywhere else (init would ignore even its own SIGKILL), and init reaps it.
    _wait_and_exit(os.fork())
    _die_with_parent()
    # A second user namespace that owns no other namespace: the command keeps no privilege
    # over the mounts above, so it cannot unmount or remount them.
    unshare(CLONE_NEWUSER)
    map_ids(SANDBOX_UID, 0, 0)
    os.environ.clear()
    os.environ.update(plan["env"])


def unshare(flags):
    if _libc.unshare(flags) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"unshare: {os.strerror(error)}")


def map_ids(inside, uid, gid):
    """In a new user namespace: `inside` is the user and group `uid`, `gid` of the namespace outside."""
    Path("/proc/self/uid_map").write_text(f"{inside} {uid} 1")
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/gid_map").write_text(f"{inside} {gid} 1")


def _die_with_parent():
    if _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")


def _wait_and_exit(child):
    """In the parent of a fork: wait for the child, then exit with its status; in the child, return."""
    if child == 0:
        return
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _run_command(plan_file):
    plan = json.loads(Path(plan_file).read_text())
    enter(plan)
    os.execvpe(plan["command"][0], plan["command"], plan["env"])


if __name__ == "__main__":
    _run_command(sys.argv[1])
