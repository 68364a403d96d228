from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import orjson
import pytest

from cherry_migrate.core.engine import MigrationEngine, RunOptions
from cherry_migrate.core.locking import target_lock
from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.status import STATUS_KEY, read_status
from cherry_migrate.core.types import MigrationProgress, MigrationStage, MigratorStatus, RunOutcome
from cherry_migrate.sources.memory import in_memory_sources

from .fakes import CancelOnBatch, Script, ScriptedMigrator


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(tmp_path: Path, *migrators: ScriptedMigrator, events: list[MigrationProgress] | None = None, **kw):
    target = tmp_path / "cherrystudio.sqlite"
    options = RunOptions(on_progress=events.append if events is not None else None, **kw)
    result = MigrationEngine(list(migrators)).run(in_memory_sources(), target, options)
    return target, result


def prefs(target: Path) -> list[str]:
    with sqlite3.connect(target) as conn:
        return [r[0] for r in conn.execute("SELECT key FROM preference ORDER BY key")]


def make_existing_target(tmp_path: Path) -> Path:
    target, result = run(tmp_path, ScriptedMigrator("old", 1, Script(rows=2)))
    assert result.outcome is RunOutcome.COMPLETED
    return target


def test_runs_migrators_by_order_and_marks_completed(tmp_path: Path) -> None:
    calls: list[str] = []
    second = ScriptedMigrator("second", 2, log=calls)
    first = ScriptedMigrator("first", 1, log=calls)
    target, result = run(tmp_path, second, first)
    assert result.outcome is RunOutcome.COMPLETED
    assert calls == [
        "first.prepare",
        "first.execute",
        "first.validate",
        "second.prepare",
        "second.execute",
        "second.validate",
    ]
    assert first.resets == second.resets == 1
    assert prefs(target) == [f"{m}.key_{i}" for m in ("first", "second") for i in range(3)]
    with sqlite3.connect(target) as conn:
        (value,) = conn.execute("SELECT value FROM app_state WHERE key = ?", (STATUS_KEY,)).fetchone()
    status = orjson.loads(value)
    assert status["status"] == "completed" and status["version"] == "2.0.0" and status["error"] is None
    report = orjson.loads(MigrationPaths(target, None).report_file.read_bytes())
    assert report["outcome"] == "completed"
    assert report["totals"] == {"read": 6, "written": 6, "skipped": 0}
    assert [m["migratorId"] for m in report["migrators"]] == ["first", "second"]


def test_progress_sequence(tmp_path: Path) -> None:
    events: list[MigrationProgress] = []
    run(
        tmp_path, ScriptedMigrator("a", 1, Script(batches=2, rows=4)), ScriptedMigrator("b", 2), events=events
    )
    overall = [e.overall_progress for e in events]
    assert overall == sorted(overall), "overall progress never goes back"
    assert overall[-1] == 100 and events[-1].stage is MigrationStage.COMPLETED
    assert events[-1].summary is not None and events[-1].summary.completed_migrators == 2
    mid = next(e for e in events if e.current_migrator == "a" and e.current_message == "batch 1")
    assert mid.overall_progress == 25
    assert [m.status for m in mid.migrators] == [MigratorStatus.RUNNING, MigratorStatus.PENDING]
    first_b = next(e for e in events if e.current_migrator == "b")
    assert first_b.migrators[0].status is MigratorStatus.COMPLETED
    assert first_b.i18n_message is not None and first_b.i18n_message.key == "migration.progress.processing"


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (Script(claim_target=1), "count mismatch: expected 3, got 1"),
        (
            Script(validation_errors=["pins missing", "x", "y", "z"]),
            "validation failed: pins missing; x; y (+1 more)",
        ),
        (Script(dangling_fk=True), "foreign-key violation(s) in entity_tag"),
        (Script(unbalanced=True), "accounting failed: test:bad: 2 record(s) unaccounted for"),
        (Script(prepare_ok=False), "prepare failed: source is unusable"),
        (Script(raise_in_execute=RuntimeError("boom")), "execute failed unexpectedly: RuntimeError: boom"),
    ],
)
def test_failure_leaves_existing_target_byte_for_byte(tmp_path: Path, script: Script, expected: str) -> None:
    target = make_existing_target(tmp_path)
    before = sha(target)
    events: list[MigrationProgress] = []
    _, result = run(tmp_path, ScriptedMigrator("ok", 1), ScriptedMigrator("bad", 2, script), events=events)
    assert result.outcome is RunOutcome.FAILED
    assert expected in (result.error or "")
    assert sha(target) == before
    assert prefs(target) == ["old.key_0", "old.key_1"]
    assert [r.status for r in result.migrator_results] == [MigratorStatus.COMPLETED, MigratorStatus.FAILED]
    assert events[-1].stage is MigrationStage.ERROR
    assert events[-1].migrators[1].status is MigratorStatus.FAILED
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".cherrystudio.sqlite.")]
    assert leftovers == [".cherrystudio.sqlite.lock"]
    view = read_status(target, MigrationPaths(target, None).report_file)
    assert view.database_status is not None and view.database_status["status"] == "completed"
    assert view.effective is not None and view.effective["status"] == "failed"
    assert expected in view.effective["error"]


def test_global_foreign_key_check_fails_the_run(tmp_path: Path) -> None:
    migrator = ScriptedMigrator("bad", 1, Script(dangling_fk=True))
    migrator.owned_tables = ()  # type: ignore[misc,assignment]
    target, result = run(tmp_path, migrator)
    assert result.outcome is RunOutcome.FAILED
    assert "Foreign key check failed: 1 violation(s). Sample: entity_tag(rowid=" in (result.error or "")
    assert not target.exists()


def test_cancel_mid_run_stops_and_leaves_target(tmp_path: Path) -> None:
    target = make_existing_target(tmp_path)
    before = sha(target)
    later = ScriptedMigrator("later", 2)
    cancelling = ScriptedMigrator("slow", 1, Script(rows=10, batches=10, on_batch=CancelOnBatch(3)))
    _, result = run(tmp_path, cancelling, later)
    assert result.outcome is RunOutcome.CANCELLED
    assert later.calls == []
    assert sha(target) == before
    view = read_status(target, MigrationPaths(target, None).report_file)
    assert view.last_run is not None and view.last_run["outcome"] == "cancelled"


def test_second_concurrent_run_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "cherrystudio.sqlite"
    paths = MigrationPaths(target, None)
    with target_lock(paths.lock_file, target):
        _, result = run(tmp_path, ScriptedMigrator("a", 1))
    assert result.outcome is RunOutcome.FAILED
    assert "already running" in (result.error or "")
    assert not target.exists()


def test_stale_leftovers_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".cherrystudio.sqlite.migrating-99999"
    stale.write_bytes(b"half a database")
    _, result = run(tmp_path, ScriptedMigrator("a", 1))
    assert result.outcome is RunOutcome.COMPLETED
    assert not stale.exists()


def test_rows_outside_the_migration_tables_survive(tmp_path: Path) -> None:
    target = make_existing_target(tmp_path)
    with sqlite3.connect(target) as conn:
        conn.execute("INSERT INTO app_state(key, value, created_at, updated_at) VALUES('other', '1', 0, 0)")
    _, result = run(tmp_path, ScriptedMigrator("new", 1))
    assert result.outcome is RunOutcome.COMPLETED
    assert prefs(target) == ["new.key_0", "new.key_1", "new.key_2"], "migration tables start empty"
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT value FROM app_state WHERE key='other'").fetchone() == ("1",)


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    calls: list[str] = []
    _, result = run(tmp_path, ScriptedMigrator("a", 1, log=calls), dry_run=True)
    assert result.outcome is RunOutcome.DRY_RUN
    assert calls == ["a.prepare"]
    assert result.migrator_results[0].prepared_count == 3
    assert list(tmp_path.iterdir()) == []


def test_target_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "cherrystudio.sqlite"
    target.write_bytes(b"not a database at all" * 100)
    before = sha(target)
    _, result = run(tmp_path, ScriptedMigrator("a", 1))
    assert result.outcome is RunOutcome.FAILED
    assert "is not a SQLite database" in (result.error or "")
    assert sha(target) == before


def test_skips_count_toward_the_rule(tmp_path: Path) -> None:
    _, result = run(tmp_path, ScriptedMigrator("a", 1, Script(skip=2)))
    assert result.outcome is RunOutcome.COMPLETED
    ledger = result.migrator_results[0].ledger["test:a"]
    assert ledger["read"] == 5 and ledger["written"] == 3 and ledger["skipped"] == 2
    assert ledger["skipReasons"]["test_reason"]["ids"] == ["skipped-0", "skipped-1"]


def test_use_defaults_empties_migration_tables_and_marks_completed(tmp_path: Path) -> None:
    target = make_existing_target(tmp_path)
    result = MigrationEngine([]).use_defaults(target)
    assert result.outcome is RunOutcome.COMPLETED
    assert prefs(target) == []
    view = read_status(target, MigrationPaths(target, None).report_file)
    assert view.database_status is not None
    assert view.database_status["status"] == "completed" and view.database_status["skipped"] is True
