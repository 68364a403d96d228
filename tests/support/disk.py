"""Two honest ways to run out of disk space: a small tmpfs mount (needs root and a kernel that lets
the test mount), and a per-process file size limit (``RLIMIT_FSIZE``), which makes a write beyond the
limit fail with ``EFBIG`` like a full disk fails with ``ENOSPC``."""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .cli import PreExec


@contextmanager
def small_tmpfs(mountpoint: Path, size_bytes: int) -> Iterator[Path]:
    """A tmpfs of ``size_bytes`` mounted at ``mountpoint`` for the block; skips when mounting fails."""
    mount = shutil.which("mount")
    if mount is None:
        pytest.skip("no mount command")
    mountpoint.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={size_bytes},mode=0755", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "--lazy", str(mountpoint)], capture_output=True, check=False)


def file_size_limit(limit_bytes: int) -> PreExec:
    """``preexec_fn``: no file may grow beyond ``limit_bytes``. SIGXFSZ is ignored, so the write that
    crosses the limit fails with ``EFBIG`` instead of killing the process."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return apply
