"""Kernels that talk to their clients over Unix-domain sockets in a private folder, not TCP ports.

Over TCP, a kernel's manager picks five free ports and the kernel binds them a moment later; when
many kernels start at once (the runner's workers, pytest-xdist's, a cluster's), another process
can take one of those ports in between, and that kernel never answers ("Kernel didn't respond in
60 seconds"). A socket file in a folder of this process's own cannot be taken. The runner's
kernels use :class:`PrivateAsyncKernelManager`; as a pytest plugin (``-p estimates.kernels``, in
pyproject's addopts) this module gives nbval's kernels :class:`PrivateKernelManager`.
"""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
import uuid
from multiprocessing.util import Finalize
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager, KernelManager
from traitlets import CaselessStrEnum, HasTraits, default


PREFIX = "estimate-checker-kernels-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def sweep() -> None:
    """Remove the socket folders of processes that are gone (a worker killed when a run is stopped
    cannot remove its own)."""
    for folder in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        pid = folder.name[len(PREFIX):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def _folder_of(pid: int) -> str:
    sweep()
    folder = tempfile.mkdtemp(prefix=f"{PREFIX}{pid}-")
    # removed when the process ends: multiprocessing runs its finalizers at the end of a pool's worker
    # (which skips atexit) and at the end of the main process; a forked child starts with none
    Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
    return folder


def _folder() -> str:
    """This process's folder for its kernels' sockets: made once per process (a forked worker makes
    its own rather than using, and removing, its parent's), removed when the process ends."""
    return _folder_of(os.getpid())


def socket_prefix() -> str:
    """A path no other kernel uses: the kernel's sockets are this path with -1 to -5 appended (short
    enough for a socket path, at most 107 bytes, whenever the temporary folder's own path is)."""
    return os.path.join(_folder(), uuid.uuid4().hex[:12])


class _PrivateSockets(HasTraits):
    """The kernel's sockets are files of :func:`socket_prefix` (removed when the kernel is shut down),
    and so is its connection file; a transport, address or file set in the configuration still wins."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _private_socket_prefix(self) -> str:
        return socket_prefix()

    @default("connection_file")
    def _private_connection_file(self) -> str:
        """The connection file (it holds the kernel's key) in the same private folder, removed with it,
        not a file of the temporary folder left behind by a kernel that did not shut down cleanly."""
        return os.path.join(_folder(), f"kernel-{uuid.uuid4().hex[:12]}.json")


def _libc_prctl():
    """libc's prctl, looked up once here: the child of a fork calls it before exec, where nothing may be
    imported or looked up (another thread may have held a lock at the fork). None where there is none."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _libc_prctl()


def _die_with_launcher() -> None:
    """In a kernel, between fork and exec: be killed when the thread that started it ends (prctl
    PR_SET_PDEATHSIG, SIGKILL), so that no kernel outlives a worker or runner killed outright,
    whether or not its own parent polling has started yet."""
    if _PRCTL is not None:
        _PRCTL(1, 9, 0, 0, 0)


class _DiesWithLauncher:
    """A kernel manager whose kernels die with the process that launched them (Linux)."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if _PRCTL is not None:
            kw.setdefault("preexec_fn", _die_with_launcher)
        return await super()._async_launch_kernel(kernel_cmd, **kw)


class PrivateKernelManager(_DiesWithLauncher, _PrivateSockets, KernelManager):
    """A kernel manager whose kernel talks over private socket files (nbval's)."""


class PrivateAsyncKernelManager(_DiesWithLauncher, _PrivateSockets, AsyncKernelManager):
    """The same for nbclient, which drives its kernels asynchronously (the runner's)."""


def pytest_configure(config) -> None:
    """As a pytest plugin: nbval starts its kernels with :class:`PrivateKernelManager`."""
    import nbval.kernel
    nbval.kernel.KernelManager = PrivateKernelManager
