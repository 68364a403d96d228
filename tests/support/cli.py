"""Running ``python -m cherry_migrate`` in a subprocess, the way a user runs the tool."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

PreExec = Callable[[], None]
CLI_TIMEOUT_S = 600


def cli_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "cherry_migrate", *map(str, args)]


def cli_env() -> dict[str, str]:
    """The test's environment with a wide terminal, so rich never wraps a path or a message."""
    return {**os.environ, "COLUMNS": "1000", "PYTHONUNBUFFERED": "1"}


def run_cli(
    *args: str | Path, preexec_fn: PreExec | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(*args),
        capture_output=True,
        text=True,
        env=cli_env(),
        preexec_fn=preexec_fn,
        cwd=cwd,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )


def spawn_cli(*args: str | Path, output: Path | None = None) -> subprocess.Popen[bytes]:
    """Start the CLI. Its output goes to ``output/stdout.txt`` and ``output/stderr.txt`` (read them
    with :func:`collect`), or nowhere: files, unlike pipes, never fill up and stall a run."""
    if output is None:
        return subprocess.Popen(
            cli_command(*args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_env()
        )
    output.mkdir(parents=True, exist_ok=True)
    with (output / "stdout.txt").open("wb") as stdout, (output / "stderr.txt").open("wb") as stderr:
        return subprocess.Popen(cli_command(*args), stdout=stdout, stderr=stderr, env=cli_env())


def collect(proc: subprocess.Popen[bytes], output: Path) -> subprocess.CompletedProcess[str]:
    """Wait for a process started by :func:`spawn_cli` with ``output`` and return what it printed."""
    returncode = proc.wait(timeout=CLI_TIMEOUT_S)
    stdout, stderr = (_read_text(output / name) for name in ("stdout.txt", "stderr.txt"))
    return subprocess.CompletedProcess(proc.args, returncode, stdout, stderr)


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def migrate_args(source: Path, target: Path, *extra: str) -> list[str | Path]:
    return ["migrate", "--source", source, "--target", target, *extra]


def describe(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"


def assert_clean_failure(proc: subprocess.CompletedProcess[str], *mentions: str) -> str:
    """Exit status 1, no traceback, and every one of ``mentions`` named in the output (stdout and
    stderr joined, since the summary goes to stdout and log lines to stderr). Returns that output."""
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, describe(proc)
    assert "Traceback" not in proc.stderr, describe(proc)
    assert "Traceback" not in proc.stdout, describe(proc)
    for mention in mentions:
        assert _squeezed(mention) in _squeezed(output), f"{mention!r} not in the output:\n{describe(proc)}"
    return output


def _squeezed(text: str) -> str:
    """``text`` without whitespace, so a message that rich folded over lines is still found."""
    return re.sub(r"\s+", "", text)


def assert_success(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, describe(proc)
    assert "Traceback" not in proc.stderr, describe(proc)
