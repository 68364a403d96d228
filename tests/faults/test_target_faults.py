"""Faults of the target's disk: a read-only folder and a disk that fills up. Each must end the run
with a clear error (exit status 1, no traceback, the file or cause named) and leave the legacy data
and an existing target exactly as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from tests.support.cli import PreExec, assert_clean_failure, migrate_args, run_cli
from tests.support.disk import file_size_limit, small_tmpfs
from tests.support.privileges import permission_respecting_preexec
from tests.support.target_state import TargetState, leftovers, make_completed_target, report_file
from tests.support.tree_snapshot import assert_tree_unchanged, snapshot_tree

TARGET_NAME = "cherrystudio.sqlite"
BIG_FILE_BYTES = 4 * 1024 * 1024


FULL_DISK_CAUSES = ("No space left", "disk is full", "File too large", "disk I/O error")


def json_failure_error(stdout: str) -> str:
    """The error ``--json`` printed: this run's report, or its result when no report could be
    written (never the report of an earlier run)."""
    shown = orjson.loads(stdout)
    assert shown["outcome"] == "failed", shown
    error = shown["status"]["error"] if "status" in shown else shown["error"]
    assert isinstance(error, str)
    return error


def test_read_only_target_folder_is_a_clear_error(fault_profile: Path, tmp_path: Path) -> None:
    preexec = permission_respecting_preexec(tmp_path)
    target = make_completed_target(fault_profile, tmp_path / "read-only" / TARGET_NAME)
    before, legacy_before = TargetState.of(target), snapshot_tree(fault_profile)
    target.parent.chmod(0o555)
    try:
        shown = run_cli(*migrate_args(fault_profile, target), preexec_fn=preexec)
        as_json = run_cli(*migrate_args(fault_profile, target, "--json"), preexec_fn=preexec)
    finally:
        target.parent.chmod(0o755)
    assert_clean_failure(shown, str(target.parent), "read-only")
    assert_clean_failure(as_json)
    error = json_failure_error(as_json.stdout)
    assert str(target.parent) in error and "read-only" in error
    assert TargetState.of(target) == before
    assert leftovers(target) == []
    assert_tree_unchanged(fault_profile, legacy_before)


@pytest.fixture
def big_file_profile(fault_profile: Path, tmp_path: Path) -> Path:
    """A copy of the fault profile where one attachment is larger than the disk space left."""
    profile = tmp_path / "big-file-profile"
    shutil.copytree(fault_profile, profile)
    files = sorted(p for p in (profile / "Data" / "Files").iterdir() if p.suffix in (".txt", ".md"))
    files[0].write_bytes(b"x" * BIG_FILE_BYTES)
    return profile


def _run_into_full_disk(profile: Path, target: Path, preexec_fn: PreExec | None = None) -> None:
    before, legacy_before = TargetState.of(target), snapshot_tree(profile)
    assert_clean_failure(run_cli(*migrate_args(profile, target), preexec_fn=preexec_fn))
    as_json = run_cli(*migrate_args(profile, target, "--json"), preexec_fn=preexec_fn)
    assert_clean_failure(as_json)
    error = json_failure_error(as_json.stdout)
    assert str(target.parent) in error, error
    assert any(cause in error for cause in FULL_DISK_CAUSES), error
    after = TargetState.of(target)
    assert (after.database, after.files) == (before.database, before.files)
    assert leftovers(target) == []
    assert not report_file(target).with_name(report_file(target).name + ".tmp").exists()
    assert_tree_unchanged(profile, legacy_before)


def test_full_tmpfs_with_existing_target(fault_profile: Path, tmp_path: Path) -> None:
    """The staging copy of the existing target does not fit beside it."""
    made = make_completed_target(fault_profile, tmp_path / "made" / TARGET_NAME)
    used = sum(p.stat().st_size for p in made.parent.rglob("*") if p.is_file())
    with small_tmpfs(tmp_path / "disk", used + made.stat().st_size // 2) as disk:
        shutil.copytree(made.parent, disk, dirs_exist_ok=True)
        _run_into_full_disk(fault_profile, disk / TARGET_NAME)


def test_full_tmpfs_while_copying_files(big_file_profile: Path, tmp_path: Path) -> None:
    """A fresh target whose database fits but whose attachments do not."""
    with small_tmpfs(tmp_path / "disk", BIG_FILE_BYTES // 2 + 2 * 1024 * 1024) as disk:
        _run_into_full_disk(big_file_profile, disk / TARGET_NAME)


def test_file_size_limit_with_existing_target(fault_profile: Path, tmp_path: Path) -> None:
    target = make_completed_target(fault_profile, tmp_path / "limited" / TARGET_NAME)
    limit = target.stat().st_size // 2
    _run_into_full_disk(fault_profile, target, file_size_limit(limit))


def test_file_size_limit_while_copying_files(big_file_profile: Path, tmp_path: Path) -> None:
    target = tmp_path / "limited" / TARGET_NAME
    target.parent.mkdir()
    _run_into_full_disk(big_file_profile, target, file_size_limit(BIG_FILE_BYTES - 1024 * 1024))
