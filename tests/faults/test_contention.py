"""Contention on the target: a database another program holds locked, and a second run started while
one is in progress. A run in progress is frozen (SIGSTOP) at a chosen point, so the overlap is certain
rather than a race; a stopped process keeps its locks like a busy one."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from tests.support.cli import assert_clean_failure, assert_success, collect, migrate_args, run_cli, spawn_cli
from tests.support.target_state import (
    TargetState,
    leftovers,
    make_completed_target,
    read_report,
    status_row,
)
from tests.support.tree_snapshot import assert_tree_unchanged, snapshot_tree

TARGET_NAME = "cherrystudio.sqlite"
WAIT_S = 120.0


@contextmanager
def exclusive_lock(database: Path) -> Iterator[None]:
    """Another program's write transaction: nobody else may read or write the file meanwhile."""
    with closing(sqlite3.connect(database, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert proc.poll() is None, "the run ended before reaching the point to freeze it at"
        assert time.monotonic() < deadline, "the run never reached the point to freeze it at"
        time.sleep(0.002)


@contextmanager
def frozen_run(
    target: Path, source: Path, output: Path, when: Callable[[], bool]
) -> Iterator[subprocess.Popen[bytes]]:
    """A run into ``target``, stopped once ``when()`` holds; resumed at the end of the block at the
    latest (or killed, when the block fails)."""
    proc = spawn_cli(*migrate_args(source, target), output=output)
    try:
        _wait_for(when, proc)
        os.kill(proc.pid, signal.SIGSTOP)
        yield proc
    except BaseException:
        proc.kill()
        raise
    finally:
        resume(proc)


def resume(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)


def _staging_started(target: Path) -> Callable[[], bool]:
    return lambda: any(p.name.startswith(f".{target.name}.migrating-") for p in leftovers(target))


def _files_staged(target: Path) -> Callable[[], bool]:
    return lambda: any(p.name.startswith(f".{target.name}.files-") for p in leftovers(target))


def test_target_locked_by_another_program(fault_profile: Path, tmp_path: Path) -> None:
    target = make_completed_target(fault_profile, tmp_path / "locked" / TARGET_NAME)
    before, legacy_before = TargetState.of(target), snapshot_tree(fault_profile)
    with exclusive_lock(target):
        refused = run_cli(*migrate_args(fault_profile, target))
    assert_clean_failure(refused, str(target), "is in use by another program")
    after = TargetState.of(target)
    assert (after.database, after.files) == (before.database, before.files)
    assert leftovers(target) == []
    assert_success(run_cli(*migrate_args(fault_profile, target)))
    assert_tree_unchanged(fault_profile, legacy_before)


def test_target_locked_while_the_run_builds(fault_profile: Path, tmp_path: Path) -> None:
    """The lock is taken after the run copied the target: the swap is refused, nothing is replaced."""
    target = make_completed_target(fault_profile, tmp_path / "locked-later" / TARGET_NAME)
    before, legacy_before = TargetState.of(target), snapshot_tree(fault_profile)
    with (
        frozen_run(target, fault_profile, tmp_path / "run", _files_staged(target)) as run,
        exclusive_lock(target),
    ):
        resume(run)
        ended = collect(run, tmp_path / "run")
    assert_clean_failure(ended, str(target), "is in use by another program")
    after = TargetState.of(target)
    assert (after.database, after.files) == (before.database, before.files)
    assert leftovers(target) == []
    assert_tree_unchanged(fault_profile, legacy_before)


def test_second_run_is_refused_while_the_first_completes(fault_profile: Path, tmp_path: Path) -> None:
    target = make_completed_target(fault_profile, tmp_path / "busy" / TARGET_NAME)
    legacy_before = snapshot_tree(fault_profile)
    report_before = TargetState.of(target).report
    with frozen_run(target, fault_profile, tmp_path / "first", _staging_started(target)) as first:
        second = run_cli(*migrate_args(fault_profile, target))
        second_json = run_cli(*migrate_args(fault_profile, target, "--json"))
        assert TargetState.of(target).report == report_before, "the refused run wrote a report"
    assert_clean_failure(second, str(target), "Another migration", "already running")
    assert_clean_failure(second_json)
    assert "already running" in second_json.stdout
    assert_success(collect(first, tmp_path / "first"))
    status, report = status_row(target), read_report(target)
    assert status is not None and status["status"] == "completed"
    assert report is not None and report["status"] == status, "the report is not the first run's"
    assert leftovers(target) == []
    assert_tree_unchanged(fault_profile, legacy_before)
