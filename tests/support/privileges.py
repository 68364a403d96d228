"""Making a child process obey file permissions even when the tests run as root.

Root ignores permission bits (capabilities ``CAP_DAC_OVERRIDE`` and ``CAP_DAC_READ_SEARCH``), so a
read-only folder stops nobody there. Switching to another user does not help when the interpreter
lives in a folder only root may enter; instead the child drops those two capabilities from its
bounding set before ``exec``, after which the new program runs as root without them: it owns what
root owns, and a folder's ``r-x`` bits apply to it like to anyone else.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .cli import PreExec

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def drop_permission_override() -> None:
    """``preexec_fn``: the program the child executes cannot override file permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def permission_respecting_preexec(scratch: Path) -> PreExec | None:
    """A ``preexec_fn`` under which a child cannot write into a read-only folder (None when the tests
    do not run as root: permissions then apply anyway). Skips the test when that cannot be had."""
    preexec = drop_permission_override if os.geteuid() == 0 else None
    folder = scratch / "read-only-probe"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import sys; open(sys.argv[1], 'w')", str(folder / "probe")],
            preexec_fn=preexec,
            capture_output=True,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot start a process without root's permission override: {exc}")
    finally:
        folder.chmod(0o755)
    if probe.returncode == 0:
        pytest.skip("a child process can still write into a read-only folder here (permissions not enforced)")
    return preexec
