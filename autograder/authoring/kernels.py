"""How the course's own tools start Jupyter kernels: the release build's (execution.py) and nbgrader's
(nbgrader_config.py). The sandboxed grader starts its kernels itself (grading/student_kernel.py), and
JupyterLab's are set by the course.py files."""

import atexit
import functools
import os
import secrets
import shutil
import tempfile

import zmq


def kernel_manager_settings():
    """KernelManager settings for the kernels of one client (each call names new sockets).

    Encrypted: the manager gives each kernel CurveZMQ keys, so its messages are encrypted, and ipykernel
    does not warn at every start that it talks in plain text.

    On Unix sockets in a private folder, where the platform has them: over TCP the manager picks free ports
    and the kernel binds them a second later, and in between any other process may take one (jupyter_client's
    known race: "Address already in use", "Kernel died before replying to kernel_info"). A socket file in a
    folder of this process's own has no such gap. Windows keeps TCP: its zmq builds may claim ipc, but Jupyter's
    ipc is Unix sockets named by path, tried on Linux and macOS only.
    """
    settings = {"transport_encryption": "auto"}
    if os.name == "posix" and zmq.has("ipc"):
        # jupyter_client names a kernel's five sockets <ip>-1 to <ip>-5, skipping names in use, and removes them
        # when the kernel shuts down.
        settings.update(transport="ipc", ip=os.path.join(_socket_folder(), secrets.token_hex(4)))
    return settings


@functools.cache
def _socket_folder():
    folder = tempfile.mkdtemp(prefix="kernels-")  # readable and writable by this user only
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
