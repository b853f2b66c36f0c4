"""How the course's own tools start Jupyter kernels: the release build's (execution.py) and nbgrader's
(nbgrader_config.py). The sandboxed grader starts its kernels itself (grading/student_kernel.py), and
JupyterLab's are set by the course.py files."""

import os
import secrets

import zmq
from jupyter_core.paths import jupyter_runtime_dir
from jupyter_core.utils import ensure_dir_exists

# The longest path a Unix socket can have: 104 bytes on macOS with the closing NUL (108 on Linux).
LONGEST_SOCKET_PATH = 103


def kernel_manager_settings():
    """KernelManager settings for the kernels of one client (each call names new sockets).

    Encrypted: the manager gives each kernel CurveZMQ keys, so its messages are encrypted, and ipykernel
    does not warn at every start that it talks in plain text.

    On Linux and macOS, on Unix sockets in Jupyter's runtime folder, which only its user can open: over TCP
    the manager picks free ports and the kernel binds them a second later, and in between any other process
    may take one (jupyter_client's known race: "Address already in use", "Kernel died before replying to
    kernel_info"). A socket file that no other kernel names has no such gap. Windows keeps TCP: its zmq
    builds may claim ipc, but Jupyter's ipc is Unix sockets named by path, tried on Linux and macOS only.
    """
    settings = {"transport_encryption": "auto"}
    if os.name == "posix" and zmq.has("ipc"):
        # jupyter_client names a kernel's five sockets <ip>-1 to <ip>-5, skipping names in use, and removes
        # them when the kernel shuts down. Nothing is created here but the runtime folder, as any Jupyter app does.
        folder = jupyter_runtime_dir()
        ip = os.path.join(folder, f"kernel-{secrets.token_hex(6)}")
        if len(os.fsencode(ip)) + len("-99") <= LONGEST_SOCKET_PATH:  # room for sockets a crashed kernel left
            ensure_dir_exists(folder, mode=0o700)
            settings.update(transport="ipc", ip=ip)
    return settings
