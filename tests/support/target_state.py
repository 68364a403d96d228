"""What a run left beside its target: the database's status and contents, the run report, the
``Files`` folder and any staging leftovers."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.status import read_status_from_db

from .tree_snapshot import file_digest

LEFTOVER_KINDS = ("migrating", "files", "scratch", "report")


def leftovers(target: Path) -> list[Path]:
    """Staging files and folders of runs into ``target`` (``.<name>.migrating-<pid>`` and friends,
    ``.<name>.report-<pid>`` included)."""
    prefixes = tuple(f".{target.name}.{kind}-" for kind in LEFTOVER_KINDS)
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefixes))


def report_file(target: Path) -> Path:
    return MigrationPaths(target=target, legacy_root=None).report_file


def read_report(target: Path) -> dict[str, Any] | None:
    path = report_file(target)
    return orjson.loads(path.read_bytes()) if path.is_file() else None


def status_row(target: Path) -> dict[str, Any] | None:
    return read_status_from_db(target)


def table_counts(target: Path) -> dict[str, int]:
    """Rows per table (SQLite's own tables left out), read without modifying the file."""
    with closing(sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        names = [row[0] for row in conn.execute(query)]
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def integrity_problems(target: Path) -> list[str]:
    """What SQLite's structural check (every page and b-tree, as a torn write would break them) and
    its foreign-key check find; empty for a sound file."""
    with closing(sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        problems += [str(row) for row in conn.execute("PRAGMA foreign_key_check")]
    return [] if problems == ["ok"] else problems


def files_digests(target: Path) -> dict[str, str]:
    """Content hash of every file in the ``Files`` folder beside ``target``."""
    folder = MigrationPaths(target=target, legacy_root=None).target_files_dir
    if not folder.is_dir():
        return {}
    return {p.name: file_digest(p) for p in folder.iterdir() if p.is_file()}


@dataclass(frozen=True)
class TargetState:
    """Everything a run may change beside its target, for before/after comparisons."""

    database: str | None
    report: str | None
    files: dict[str, str]

    @classmethod
    def of(cls, target: Path) -> TargetState:
        report = report_file(target)
        return cls(
            database=file_digest(target) if target.is_file() else None,
            report=file_digest(report) if report.is_file() else None,
            files=files_digests(target),
        )


def make_completed_target(source: Path, target: Path) -> Path:
    """Migrate ``source`` into ``target`` in this process (faster than the CLI) and return it."""
    from cherry_migrate.core.engine import MigrationEngine
    from cherry_migrate.sources.resolve import open_sources

    target.parent.mkdir(parents=True, exist_ok=True)
    result = MigrationEngine().run(open_sources(source=source), target)
    assert result.success, result.error
    return target
