"""All-or-nothing: the run builds a staging database beside the target and swaps it in atomically.

``os.replace`` within one directory is atomic on POSIX and Windows, so a reader of the target sees
either the old file or the complete new one, and a killed run leaves only staging leftovers, which the
next run removes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from cherry_migrate.core.errors import MigrationError, TargetBusyError
from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.status import read_status_from_db

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def remove_database_files(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def remove_path(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        remove_database_files(path)


def ensure_target_folder_writable(target: Path) -> None:
    """The run writes its lock, staging files and report beside the target: fail first, with the
    folder named, when it cannot."""
    parent = target.parent
    if not parent.is_dir():
        raise MigrationError(f"The folder of the target database does not exist: {parent}")
    if not os.access(parent, os.W_OK):
        raise MigrationError(
            f"Cannot write to {parent}: the folder is read-only. Choose a target in a writable folder."
        )


def ensure_target_usable(target: Path) -> None:
    """Fail early, before any work, when the target cannot be replaced later."""
    ensure_target_folder_writable(target)
    if target.exists():
        _check_existing_target(target)


def _check_existing_target(target: Path) -> None:
    try:
        conn = sqlite3.connect(target, timeout=0.5)
    except sqlite3.Error as exc:
        raise MigrationError(f"The existing target {target} cannot be opened: {exc}") from exc
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise TargetBusyError(
                f"The target database {target} is in use by another program (it is locked). "
                "Close Cherry Studio or any other program using it, then try again."
            ) from exc
        raise MigrationError(f"The existing target {target} cannot be used: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise MigrationError(
            f"The existing target {target} is not a SQLite database ({exc}); refusing to replace it. "
            "Move it away or choose another target."
        ) from exc
    finally:
        conn.close()


def seed_staging(paths: MigrationPaths) -> None:
    """Start the staging database as a copy of the existing target (so tables the migration does not
    own, like other app_state rows, survive), or empty when there is none."""
    remove_database_files(paths.staging_db)
    if not paths.target.exists():
        return
    source = sqlite3.connect(f"{paths.target.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(paths.staging_db)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def finalize_staging(conn: sqlite3.Connection) -> None:
    """Make the staging database one self-contained file before it is moved."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


@dataclass
class CommittedFiles:
    moved: int = 0
    added: list[Path] = field(default_factory=list)
    """The moved files that were not in the folder before: what ``withdraw`` removes."""

    def withdraw(self) -> None:
        """Undo the additions when the database they belong to could not be swapped in."""
        for path in self.added:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def commit_staged_files(paths: MigrationPaths) -> CommittedFiles:
    """Move files the run created into the target's files folder (before the swap: a run killed in
    between leaves unreferenced files, never a database whose files are missing)."""
    committed = CommittedFiles()
    staged = paths.staging_files_dir
    if not staged.is_dir():
        return committed
    paths.target_files_dir.mkdir(parents=True, exist_ok=True)
    for item in staged.iterdir():
        destination = paths.target_files_dir / item.name
        if not destination.exists():
            committed.added.append(destination)
        os.replace(item, destination)
        committed.moved += 1
    shutil.rmtree(staged, ignore_errors=True)
    return committed


def swap_in(paths: MigrationPaths) -> None:
    """Replace the target with the staging database, atomically."""
    target = paths.target
    if target.exists():
        _check_existing_target(target)
        conn = sqlite3.connect(target, timeout=0.5)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    os.replace(paths.staging_db, target)
    for suffix in SIDE_SUFFIXES:
        with contextlib.suppress(FileNotFoundError):
            target.with_name(target.name + suffix).unlink()
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def promote_staged_report(paths: MigrationPaths) -> None:
    """Put the report staged for the database just swapped in in place."""
    if paths.staging_report.exists():
        os.replace(paths.staging_report, paths.report_file)


def discard_staging(paths: MigrationPaths) -> None:
    remove_database_files(paths.staging_db)
    remove_path(paths.staging_files_dir)
    remove_path(paths.scratch_dir)
    remove_path(paths.staging_report)


def remove_stale_leftovers(paths: MigrationPaths) -> list[Path]:
    """Remove leftovers of killed runs; call only while holding the target lock. A staged report of
    a run killed right after its swap describes the target: it is put in place, not removed."""
    removed = []
    for leftover in paths.stale_staging():
        if _describes_target(leftover, paths.target):
            os.replace(leftover, paths.report_file)
            continue
        remove_path(leftover)
        removed.append(leftover)
    return removed


def _describes_target(report: Path, target: Path) -> bool:
    """Whether ``report`` is a complete run report whose status is the target's status row."""
    if not report.name.startswith(f".{target.name}.report-") or not report.is_file():
        return False
    try:
        status = orjson.loads(report.read_bytes()).get("status")
    except (orjson.JSONDecodeError, AttributeError, OSError):
        return False
    return status is not None and status == read_status_from_db(target)
