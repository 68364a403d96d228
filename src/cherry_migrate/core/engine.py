"""The migration engine: runs the registered migrators in order into a staging database and swaps it
over the target only when every check passed.

Steps of ``run`` (upstream's run() with our all-or-nothing additions):
1. lock the target, remove leftovers of killed runs, check the target can be replaced;
2. seed the staging database (copy of the target, or new), apply the schema, clear the migration tables;
3. ``reset`` every migrator, then per migrator in ascending ``order``: prepare → execute → validate, the
   engine-level checks (count rule, validation errors, ledger balance, owned foreign keys);
4. whole-database foreign-key check, status ``completed`` into ``app_state``, make staging standalone;
5. move new files into place, stage the run report, swap the database in, rename the report into place.
A failure or cancel at any point discards the staging files (new files already moved are withdrawn)
and writes a report; the target is not touched. A run refused because another one holds the target
writes no report: the files beside the target are that run's.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cherry_migrate.core.cancel import CancelToken
from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.errors import (
    MigrationCancelledError,
    MigrationError,
    MigratorFailedError,
    RunInProgressError,
)
from cherry_migrate.core.locking import target_lock
from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.progress import ProgressListener, ProgressTracker
from cherry_migrate.core.redaction import RedactingFilter, SecretRegistry
from cherry_migrate.core.report import build_report, write_report
from cherry_migrate.core.staging import (
    commit_staged_files,
    discard_staging,
    ensure_target_folder_writable,
    ensure_target_usable,
    finalize_staging,
    promote_staged_report,
    remove_stale_leftovers,
    seed_staging,
    swap_in,
)
from cherry_migrate.core.status import completed_status, failed_status, write_status
from cherry_migrate.core.types import (
    I18nMessage,
    MigrationResult,
    MigrationStage,
    MigrationSummary,
    MigratorResult,
    MigratorStatus,
    RunOutcome,
)
from cherry_migrate.core.validation import check_migrator_result
from cherry_migrate.db.connection import foreign_key_violations, open_target_db
from cherry_migrate.db.errors import TargetDatabaseError, describe_sqlite_error
from cherry_migrate.db.schema import CURRENT_SCHEMA_VERSION
from cherry_migrate.db.tables import clear_migration_tables
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.sources.base import LegacySources

log = logging.getLogger("cherry_migrate.engine")


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class RunOptions:
    dry_run: bool = False
    cancel: CancelToken = field(default_factory=CancelToken)
    on_progress: ProgressListener | None = None


class MigrationEngine:
    def __init__(self, migrators: Sequence[BaseMigrator] | None = None) -> None:
        if migrators is None:
            from cherry_migrate.migrators.registry import all_migrators

            migrators = all_migrators()
        ids = [m.id for m in migrators]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate migrator ids: {ids}")
        self.migrators: list[BaseMigrator] = sorted(migrators, key=lambda m: m.order)

    def run(self, sources: LegacySources, target: Path, options: RunOptions | None = None) -> MigrationResult:
        options = options or RunOptions()
        target = target.expanduser().resolve()
        if options.dry_run:
            return self._dry_run(sources, target, options)
        paths = MigrationPaths(target=target, legacy_root=sources.root)
        tracker = ProgressTracker([(m.id, m.name) for m in self.migrators], options.on_progress)
        secrets = SecretRegistry()
        started = _now_ms()
        clock = time.monotonic()
        results: list[MigratorResult] = []

        def fill(conn: sqlite3.Connection) -> None:
            ctx = MigrationContext(
                sources=sources, db=conn, paths=paths, cancel=options.cancel, secrets=secrets, now_ms=started
            )
            self._run_migrators(ctx, tracker, results)

        def stage_report(status: dict[str, Any], files: int) -> None:
            report = build_report(
                status=status,
                outcome=RunOutcome.COMPLETED.value,
                source_description=sources.description,
                source_warnings=sources.report_warnings(),
                target=target,
                started_at_ms=started,
                finished_at_ms=_now_ms(),
                results=results,
                schema_version=CURRENT_SCHEMA_VERSION,
                files_committed=files,
            )
            write_report(paths.staging_report, report, secrets)

        try:
            self._build_and_swap(paths, fill, skipped=False, stage_report=stage_report)
        except MigrationCancelledError as exc:
            return self._finish_failed(paths, sources, secrets, tracker, results, started, clock, exc, True)
        except (MigrationError, TargetDatabaseError, sqlite3.Error, OSError) as exc:
            return self._finish_failed(paths, sources, secrets, tracker, results, started, clock, exc, False)
        finally:
            self._detach_filters()
        duration = int((time.monotonic() - clock) * 1000)
        warnings = [w for r in results for w in r.warnings]
        tracker.finish(
            MigrationStage.COMPLETED,
            "Migration completed",
            warnings=[secrets.redact(w) for w in warnings],
            summary=MigrationSummary(
                completed_migrators=len(results),
                total_migrators=len(self.migrators),
                items_processed=sum(r.records_processed for r in results),
                duration_ms=duration,
            ),
        )
        return MigrationResult(RunOutcome.COMPLETED, results, duration, report_file=paths.report_file)

    def use_defaults(self, target: Path) -> MigrationResult:
        """Upstream's "Ignore and use defaults": no legacy data is imported, the migration tables are
        emptied and the target is marked completed (v2 then starts with its defaults). All or nothing,
        like a run."""
        paths = MigrationPaths(target=target.expanduser().resolve(), legacy_root=None)
        clock = time.monotonic()
        try:
            self._build_and_swap(paths, lambda conn: None, skipped=True)
        except (MigrationError, TargetDatabaseError, sqlite3.Error, OSError) as exc:
            return MigrationResult(
                RunOutcome.FAILED, [], int((time.monotonic() - clock) * 1000), error=str(exc)
            )
        return MigrationResult(RunOutcome.COMPLETED, [], int((time.monotonic() - clock) * 1000))

    def _build_and_swap(
        self,
        paths: MigrationPaths,
        fill: Callable[[sqlite3.Connection], None],
        *,
        skipped: bool,
        stage_report: Callable[[dict[str, Any], int], None] | None = None,
    ) -> None:
        """Lock the target, build the staging database with ``fill``, check it, mark it completed and
        swap it in. On any error nothing is swapped and the staging files are removed.

        ``stage_report(status, files_committed)`` writes the run report to ``paths.staging_report``
        just before the swap; it is renamed into place right after, so the report always describes
        the database beside it (a run killed between the two renames leaves it staged, and the next
        run puts it in place)."""
        ensure_target_folder_writable(paths.target)
        with target_lock(paths.lock_file, paths.target):
            remove_stale_leftovers(paths)
            conn: sqlite3.Connection | None = None
            try:
                ensure_target_usable(paths.target)
                seed_staging(paths)
                conn = open_target_db(paths.staging_db)
                clear_migration_tables(conn)
                fill(conn)
                self._check_foreign_keys(conn)
                status = completed_status(_now_ms())
                if skipped:
                    status["skipped"] = True
                write_status(conn, status, _now_ms())
                finalize_staging(conn)
                conn = None
                self._commit_and_swap(paths, status, stage_report)
            except sqlite3.Error as exc:
                raise MigrationError(
                    f"Database error while building '{paths.staging_db}' to replace '{paths.target}': "
                    f"{describe_sqlite_error(exc)}"
                ) from exc
            finally:
                if conn is not None:
                    conn.close()
                discard_staging(paths)

    @staticmethod
    def _commit_and_swap(
        paths: MigrationPaths,
        status: dict[str, Any],
        stage_report: Callable[[dict[str, Any], int], None] | None,
    ) -> None:
        """Files first, then the report, then the database: whatever the moment a run is killed, the
        database in place has its files and, once the next run looked, its report."""
        committed = commit_staged_files(paths)
        try:
            if stage_report is not None:
                stage_report(status, committed.moved)
            swap_in(paths)
        except BaseException:
            if paths.staging_db.exists():  # not swapped in: its new files are orphans
                committed.withdraw()
            raise
        promote_staged_report(paths)

    def _run_migrators(
        self, ctx: MigrationContext, tracker: ProgressTracker, results: list[MigratorResult]
    ) -> None:
        for migrator in self.migrators:
            migrator.reset()
            migrator.logger.addFilter(RedactingFilter(ctx.secrets))
        log.addFilter(RedactingFilter(ctx.secrets))
        for index, migrator in enumerate(self.migrators):
            ctx.cancel.raise_if_cancelled()
            result = MigratorResult(migrator.id, migrator.name, MigratorStatus.RUNNING)
            results.append(result)
            self._run_one(ctx, tracker, index, migrator, result)
            tracker.tick(index + 1, 0, f"{migrator.name} done", None, migrator.id)

    def _run_one(
        self,
        ctx: MigrationContext,
        tracker: ProgressTracker,
        index: int,
        migrator: BaseMigrator,
        result: MigratorResult,
    ) -> None:
        """Run one migrator's three phases, filling ``result``; raises when the run must stop."""
        tracker.set_status(migrator.id, MigratorStatus.RUNNING)
        default_message = f"Processing {migrator.name}..."
        default_i18n = I18nMessage("migration.progress.processing", {"name": migrator.name})
        tracker.tick(index, 0, default_message, default_i18n, migrator.id)

        def on_progress(percent: float, message: str | None, i18n: I18nMessage | None) -> None:
            ctx.cancel.raise_if_cancelled()
            tracker.tick(index, percent, message or default_message, i18n or default_i18n, migrator.id)

        migrator.set_progress_callback(on_progress)
        started = time.monotonic()
        phase = "prepare"
        try:
            prepared = migrator.prepare(ctx)
            result.prepared_count = prepared.item_count
            result.warnings.extend(prepared.warnings)
            if not prepared.success:
                reason = prepared.error or ", ".join(prepared.warnings) or "unknown reason"
                raise MigratorFailedError(migrator.id, phase, f"{migrator.name} prepare failed: {reason}")
            ctx.cancel.raise_if_cancelled()
            phase = "execute"
            executed = migrator.execute(ctx)
            result.records_processed = executed.processed_count
            result.warnings.extend(executed.warnings)
            if not executed.success:
                raise MigratorFailedError(
                    migrator.id,
                    phase,
                    f"{migrator.name} execute failed: {executed.error or 'unknown reason'}",
                )
            ctx.cancel.raise_if_cancelled()
            phase = "validate"
            validated = migrator.validate(ctx)
            result.stats = validated.stats
            problem = check_migrator_result(migrator, validated, ctx.db)
            if problem:
                raise MigratorFailedError(migrator.id, phase, problem)
        except MigrationCancelledError:
            result.status = MigratorStatus.FAILED
            result.error = "cancelled"
            tracker.set_status(migrator.id, MigratorStatus.FAILED, "cancelled")
            raise
        except MigratorFailedError as exc:
            self._mark_failed(result, tracker, migrator, str(exc), ctx)
            raise
        except MigrationError as exc:
            message = f"{migrator.name} {phase} failed: {exc}"
            self._mark_failed(result, tracker, migrator, message, ctx)
            raise MigratorFailedError(migrator.id, phase, message) from exc
        except sqlite3.Error as exc:
            message = f"{migrator.name} {phase} failed: database error: {describe_sqlite_error(exc)}"
            self._mark_failed(result, tracker, migrator, message, ctx)
            raise MigratorFailedError(migrator.id, phase, message) from exc
        except OSError as exc:
            # The disk, not the code: a full disk, a file too large, a permission. Named, no traceback.
            message = f"{migrator.name} {phase} failed: {exc}"
            self._mark_failed(result, tracker, migrator, message, ctx)
            raise MigratorFailedError(migrator.id, phase, message) from exc
        except Exception as exc:
            log.exception("%s %s raised an unexpected error", migrator.name, phase)
            message = f"{migrator.name} {phase} failed unexpectedly: {type(exc).__name__}: {exc}"
            self._mark_failed(result, tracker, migrator, message, ctx)
            raise MigratorFailedError(migrator.id, phase, message) from exc
        finally:
            result.duration_ms = int((time.monotonic() - started) * 1000)
            result.ledger = migrator.ledger.to_dict()
            migrator.set_progress_callback(None)
        result.status = MigratorStatus.COMPLETED
        tracker.set_status(migrator.id, MigratorStatus.COMPLETED)

    @staticmethod
    def _mark_failed(
        result: MigratorResult,
        tracker: ProgressTracker,
        migrator: BaseMigrator,
        message: str,
        ctx: MigrationContext,
    ) -> None:
        message = ctx.secrets.redact(message)
        result.status = MigratorStatus.FAILED
        result.error = message
        tracker.set_status(migrator.id, MigratorStatus.FAILED, message)

    @staticmethod
    def _check_foreign_keys(conn: sqlite3.Connection) -> None:
        count, sample = foreign_key_violations(conn)
        if count:
            described = "; ".join(f"{v.table}(rowid={v.rowid})→{v.parent}" for v in sample)
            raise MigrationError(f"Foreign key check failed: {count} violation(s). Sample: {described}")

    def _detach_filters(self) -> None:
        for logger in [log, *(m.logger for m in self.migrators)]:
            for flt in list(logger.filters):
                if isinstance(flt, RedactingFilter):
                    logger.removeFilter(flt)

    def _finish_failed(
        self,
        paths: MigrationPaths,
        sources: LegacySources,
        secrets: SecretRegistry,
        tracker: ProgressTracker,
        results: list[MigratorResult],
        started: int,
        clock: float,
        exc: BaseException,
        cancelled: bool,
    ) -> MigrationResult:
        message = secrets.redact(str(exc))
        duration = int((time.monotonic() - clock) * 1000)
        outcome = RunOutcome.CANCELLED if cancelled else RunOutcome.FAILED
        log.error("Migration %s: %s", outcome.value, message)
        status = failed_status(_now_ms(), message, cancelled=cancelled)
        report = build_report(
            status=status,
            outcome=outcome.value,
            source_description=sources.description,
            source_warnings=sources.report_warnings(),
            target=paths.target,
            started_at_ms=started,
            finished_at_ms=_now_ms(),
            results=results,
            schema_version=CURRENT_SCHEMA_VERSION,
        )
        report_file: Path | None = None
        if not isinstance(exc, RunInProgressError):
            try:
                write_report(paths.report_file, report, secrets)
                report_file = paths.report_file
            except OSError as report_error:
                log.error("Could not write the run report %s: %s", paths.report_file, report_error)
        tracker.finish(MigrationStage.ERROR, message, error=message)
        return MigrationResult(outcome, results, duration, error=message, report_file=report_file)

    def _dry_run(self, sources: LegacySources, target: Path, options: RunOptions) -> MigrationResult:
        """Prepare only, against a throwaway database: counts and problems, nothing written."""
        tracker = ProgressTracker([(m.id, m.name) for m in self.migrators], options.on_progress)
        results: list[MigratorResult] = []
        clock = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="cherry-migrate-dry-run-") as scratch:
            scratch_target = Path(scratch) / target.name
            conn = open_target_db(scratch_target)
            ctx = MigrationContext(
                sources=sources,
                db=conn,
                paths=MigrationPaths(target=scratch_target, legacy_root=sources.root),
                cancel=options.cancel,
                now_ms=_now_ms(),
            )
            error = None
            try:
                for index, migrator in enumerate(self.migrators):
                    migrator.reset()
                    tracker.tick(index, 0, f"Checking {migrator.name}...", None, migrator.id)
                    result = MigratorResult(migrator.id, migrator.name, MigratorStatus.COMPLETED)
                    try:
                        prepared = migrator.prepare(ctx)
                    except MigrationError as exc:
                        result.status = MigratorStatus.FAILED
                        result.error = str(exc)
                    else:
                        result.prepared_count = prepared.item_count
                        result.warnings.extend(prepared.warnings)
                        if not prepared.success:
                            result.status = MigratorStatus.FAILED
                            result.error = prepared.error or "prepare failed"
                    result.ledger = migrator.ledger.to_dict()
                    tracker.set_status(migrator.id, result.status, result.error)
                    results.append(result)
                    error = error or result.error
            finally:
                conn.close()
        duration = int((time.monotonic() - clock) * 1000)
        outcome = RunOutcome.DRY_RUN if error is None else RunOutcome.FAILED
        return MigrationResult(outcome, results, duration, error=error)
