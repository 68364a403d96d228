"""The window's state machine: one user, one legacy source, one target.

Stages (``MigrationStage``; upstream's latest flow plus the backup stages we keep):

```
introduction ──proceed──▶ backup_required ──backup──▶ backup_progress ──done──▶ backup_confirmed
backup_required ──"I already have a backup"──▶ backup_confirmed          (back: one step back)
backup_progress ──failed or cancelled──▶ backup_required
backup_confirmed ──start──▶ migration ──▶ completed | error ──retry──▶ migration
version_incompatible | introduction | backup_* | error ──use-defaults──▶ completed (nothing imported)
```

Only one long operation runs at a time (a migration, a backup, use-defaults or a diagnostics save);
any other request that would start one is refused with a ``SessionError`` (HTTP 409) that says why.
Runs and backups happen in worker threads and can be cancelled; a cancelled run leaves the target as
it was. Every change is published as a complete snapshot (``snapshot()``), so a page that reloads in
the middle of a run simply reattaches to it; ``history`` keeps the recent steps for that page.
Sources are reopened for every run, so a user can fix a broken file and press Retry.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cherry_migrate.core.cancel import CancelToken
from cherry_migrate.core.engine import MigrationEngine, RunOptions
from cherry_migrate.core.errors import MigrationCancelledError, MigrationError
from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.status import read_status
from cherry_migrate.core.types import (
    MigrationProgress,
    MigrationResult,
    MigratorResult,
    MigratorStatus,
    RunOutcome,
)
from cherry_migrate.core.types import MigrationStage as Stage
from cherry_migrate.core.version_policy import (
    CURRENT_APP_VERSION,
    V1_REQUIRED_VERSION,
    evaluate_version,
    explain,
)
from cherry_migrate.sources.base import LegacySources
from cherry_migrate.sources.inventory import take_inventory
from cherry_migrate.window import backup as backups
from cherry_migrate.window import diagnostics
from cherry_migrate.window.events import EventBroker
from cherry_migrate.window.language import DEFAULT_LANGUAGE, LANGUAGES, legacy_language
from cherry_migrate.window.logbuffer import RingBufferHandler

log = logging.getLogger("cherry_migrate.window")

SourceOpener = Callable[[], LegacySources]

RUNNING = "migration"
BACKING_UP = "backup"
USING_DEFAULTS = "use_defaults"
SAVING_DIAGNOSTICS = "diagnostics"
CONFIRM_CLOSE_WHILE = frozenset({RUNNING, BACKING_UP})
"""Closing during these asks for confirmation (upstream's CLOSE_CONFIRM_BY_STAGE)."""

HISTORY_SIZE = 40
PUBLISH_INTERVAL = 0.1
SHUTDOWN_WAIT_SECONDS = 60.0


class SessionError(Exception):
    """A request that does not fit the current state; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def migrator_summary(result: MigratorResult) -> dict[str, Any]:
    """A migrator's result with its ledger totalled: what the completed screen shows."""
    data = result.to_dict()
    reasons: dict[str, int] = {}
    read = written = skipped = 0
    for kind in result.ledger.values():
        read += kind["read"]
        written += kind["written"]
        skipped += kind["skipped"]
        for reason, bucket in kind["skipReasons"].items():
            reasons[reason] = reasons.get(reason, 0) + bucket["count"]
    data.update(read=read, written=written, skipped=skipped, skipReasonTotals=reasons)
    return data


class MigrationSession:
    def __init__(
        self,
        open_sources: SourceOpener,
        target: Path,
        *,
        engine: MigrationEngine | None = None,
        require_version_log: bool = False,
        log_buffer: RingBufferHandler | None = None,
    ) -> None:
        """``open_sources`` is called now (its errors reach the caller) and again before every run.
        ``require_version_log``: block when version.log is missing (see ``core.version_policy``)."""
        self._open_sources = open_sources
        self.sources = open_sources()
        self.target = target.expanduser().resolve()
        self.paths = MigrationPaths(target=self.target, legacy_root=self.sources.root)
        self.engine = engine or MigrationEngine()
        self.broker = EventBroker()
        self._log_buffer = log_buffer
        self._lock = threading.RLock()
        self._seq = 0
        self._last_publish = 0.0

        self.version_check, self.version_facts = evaluate_version(
            self.sources.version_log, CURRENT_APP_VERSION, require_version_log=require_version_log
        )
        self.stage = Stage.VERSION_INCOMPATIBLE if self.version_check.blocked else Stage.INTRODUCTION
        legacy = legacy_language(self.sources)
        self.language: str | None = legacy
        self.language_source = "legacy" if legacy else None

        self._inventory: dict[str, Any] | None = None
        self._inventory_error: str | None = None
        self._busy: str | None = None
        self._cancel: CancelToken | None = None
        self._worker: threading.Thread | None = None
        self._progress: dict[str, Any] | None = None
        self._migrator_messages: dict[str, str] = {}
        self._history: deque[dict[str, Any]] = deque(maxlen=HISTORY_SIZE)
        self._run_started: int | None = None
        self._run_finished: int | None = None
        self._backup: dict[str, Any] = {"state": "none"}
        self._result: dict[str, Any] | None = None
        self._last_error: str | None = None
        self._cancelled = False
        self._diagnostics_path: str | None = None
        self._closing = False
        self._confirm_close = False
        self._target_status: str | None = None
        self._refresh_target_status()
        self._inventory_thread = threading.Thread(target=self._take_inventory, name="inventory", daemon=True)
        self._inventory_thread.start()

    # ---- reading ---------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything the page shows; also the payload of every event."""
        with self._lock:
            return self._snapshot_locked()

    def _snapshot_locked(self) -> dict[str, Any]:
        check = self.version_check
        explanations = {}
        for reason in (check.reason, *check.notices):
            if reason is not None:
                explanations[reason.value] = {
                    lang: explain(reason, check.details, lang) for lang in LANGUAGES
                }
        return {
            "seq": self._seq,
            "serverTime": _now_ms(),
            "stage": self.stage.value,
            "busy": self._busy,
            "language": self.language,
            "languageSource": self.language_source,
            "versionCheck": {
                "outcome": check.outcome,
                "reason": check.reason.value if check.reason else None,
                "details": check.details,
                "previousVersion": check.previous_version,
                "requiredVersion": V1_REQUIRED_VERSION,
                "targetVersion": CURRENT_APP_VERSION,
                "notices": [n.value for n in check.notices],
                "explanations": explanations,
                "versionLog": self.version_facts.state.value,
            },
            "source": {
                "description": self.sources.description,
                "dataLocation": str(self.sources.root) if self.sources.root else None,
                "warnings": list(self.sources.warnings),
            },
            "target": {
                "path": str(self.target),
                "exists": self.target.is_file(),
                "status": self._target_status,
                "reportFile": str(self.paths.report_file),
            },
            "inventory": self._inventory,
            "inventoryError": self._inventory_error,
            "progress": self._progress,
            "migratorMessages": dict(self._migrator_messages),
            "history": list(self._history),
            "runStartedAt": self._run_started,
            "runFinishedAt": self._run_finished,
            "backup": dict(self._backup),
            "defaultBackupPath": str(backups.default_backup_path(self.target.parent)),
            "result": self._result,
            "lastError": self._last_error,
            "cancelled": self._cancelled,
            "diagnosticsPath": self._diagnostics_path,
            "closing": self._closing,
            "confirmClose": self._confirm_close,
        }

    def _refresh_target_status(self) -> None:
        """The target's ``migration_v2_status`` (read at start and after each run, not per snapshot)."""
        status = read_status(self.target, self.paths.report_file).database_status
        self._target_status = status.get("status") if status else None

    def _publish_locked(self) -> None:
        self._seq += 1
        self._last_publish = time.monotonic()
        self.broker.publish(self._snapshot_locked())

    def _publish(self) -> None:
        with self._lock:
            self._publish_locked()

    def _take_inventory(self) -> None:
        try:
            inventory = take_inventory(self.sources).to_dict()
        except (MigrationError, OSError) as exc:
            with self._lock:
                self._inventory_error = str(exc)
            log.warning("Counting the legacy data failed: %s", exc)
        else:
            with self._lock:
                self._inventory = inventory
        self._publish()

    def wait_for_inventory(self, timeout: float | None = None) -> None:
        self._inventory_thread.join(timeout)

    # ---- guards ----------------------------------------------------------------------------------

    def _require_idle(self) -> None:
        if self._closing:
            raise SessionError("closing", "The window is closing.")
        if self._busy == RUNNING:
            raise SessionError("already_running", "A migration is already running; wait for it or cancel it.")
        if self._busy == BACKING_UP:
            raise SessionError("backup_running", "A backup is being written; wait for it or cancel it.")
        if self._busy is not None:
            raise SessionError(
                "busy", f"Another action is in progress ({self._busy}); try again in a moment."
            )

    def _require_stage(self, allowed: set[Stage], action: str) -> None:
        if self.stage not in allowed:
            raise SessionError(
                "wrong_stage", f"Cannot {action} now (current step: {self.stage.value.replace('_', ' ')})."
            )

    # ---- navigation ------------------------------------------------------------------------------

    def set_language(self, language: str) -> dict[str, Any]:
        if language not in LANGUAGES:
            raise SessionError("unknown_language", f"Unsupported language {language!r}.", 400)
        with self._lock:
            self.language = language
            self.language_source = "user"
            self._publish_locked()
            return self._snapshot_locked()

    def suggest_language(self, language: str | None) -> None:
        """The browser's preference, used only when neither v1 nor the user chose one."""
        with self._lock:
            if self.language is None:
                self.language = language or DEFAULT_LANGUAGE
                self.language_source = "browser" if language else "default"

    def proceed(self) -> dict[str, Any]:
        with self._lock:
            self._require_idle()
            self._require_stage({Stage.INTRODUCTION}, "go to the backup step")
            self.stage = Stage.BACKUP_REQUIRED
            self._publish_locked()
            return self._snapshot_locked()

    def back(self) -> dict[str, Any]:
        """backup_required → introduction; backup_confirmed → backup_required (choose again)."""
        with self._lock:
            self._require_idle()
            self._require_stage({Stage.BACKUP_REQUIRED, Stage.BACKUP_CONFIRMED}, "go back")
            self.stage = Stage.INTRODUCTION if self.stage is Stage.BACKUP_REQUIRED else Stage.BACKUP_REQUIRED
            self._publish_locked()
            return self._snapshot_locked()

    # ---- backup ----------------------------------------------------------------------------------

    def start_backup(self, destination: str | None) -> dict[str, Any]:
        root = self.sources.root
        if root is None:
            raise SessionError("no_data_folder", "This source has no data folder to back up.", 400)
        with self._lock:
            self._require_idle()
            self._require_stage({Stage.INTRODUCTION, Stage.BACKUP_REQUIRED}, "make a backup")
            try:
                # The target's folder is where the run writes anyway, and where the default backup goes.
                self.target.parent.mkdir(parents=True, exist_ok=True)
                path = backups.check_destination(
                    Path(destination) if destination else backups.default_backup_path(self.target.parent),
                    root,
                )
            except OSError as exc:
                raise SessionError("bad_backup_path", f"Cannot write beside the target: {exc}", 400) from exc
            except backups.BackupError as exc:
                raise SessionError("bad_backup_path", str(exc), 400) from exc
            token = CancelToken()
            self._busy, self._cancel = BACKING_UP, token
            self.stage = Stage.BACKUP_PROGRESS
            self._backup = {"state": "running", "path": str(path), "bytesDone": 0, "bytesTotal": 0}
            self._worker = threading.Thread(
                target=self._backup_worker, args=(root, path, token), name="backup", daemon=True
            )
            self._publish_locked()
            self._worker.start()
            return self._snapshot_locked()

    def _backup_worker(self, root: Path, path: Path, token: CancelToken) -> None:
        def on_progress(progress: backups.BackupProgress) -> None:
            with self._lock:
                self._backup.update(
                    bytesDone=progress.bytes_done,
                    bytesTotal=progress.bytes_total,
                    filesDone=progress.files_done,
                    filesTotal=progress.files_total,
                    percent=progress.percent,
                )
                self._publish_locked()

        log.info("Backup of the legacy data folder started")
        try:
            result = backups.write_backup(
                root,
                path,
                source_description=self.sources.description,
                cancel=token,
                on_progress=backups.ThrottledProgress(on_progress),
            )
        except MigrationCancelledError:
            outcome: dict[str, Any] = {"state": "cancelled"}
            log.info("Backup cancelled; the partial file was removed")
        except (backups.BackupError, OSError) as exc:
            outcome = {"state": "failed", "error": str(exc)}
            log.warning("Backup failed: %s", exc)
        else:
            outcome = {
                "state": "created",
                "path": str(result.path),
                "files": result.files,
                "bytes": result.bytes,
                "skippedLinks": result.skipped_links,
            }
            log.info("Backup written: %d files, %d bytes", result.files, result.bytes)
        with self._lock:
            self._busy, self._cancel = None, None
            self._backup = outcome
            self.stage = Stage.BACKUP_CONFIRMED if outcome["state"] == "created" else Stage.BACKUP_REQUIRED
            self._publish_locked()

    def skip_backup(self) -> dict[str, Any]:
        """The user says they already have a backup."""
        with self._lock:
            self._require_idle()
            self._require_stage({Stage.INTRODUCTION, Stage.BACKUP_REQUIRED}, "confirm a backup")
            self._backup = {"state": "existing"}
            self.stage = Stage.BACKUP_CONFIRMED
            self._publish_locked()
            return self._snapshot_locked()

    # ---- migration -------------------------------------------------------------------------------

    def start(self) -> dict[str, Any]:
        with self._lock:
            self._require_idle()
            if self.stage is Stage.VERSION_INCOMPATIBLE:
                raise SessionError(
                    "version_blocked", "This data cannot be migrated by this version (see above)."
                )
            if self.stage in (Stage.INTRODUCTION, Stage.BACKUP_REQUIRED):
                raise SessionError(
                    "backup_not_confirmed", "Make a backup or confirm that you have one before migrating."
                )
            self._require_stage({Stage.BACKUP_CONFIRMED}, "start the migration")
            return self._launch_run_locked()

    def retry(self) -> dict[str, Any]:
        with self._lock:
            self._require_idle()
            self._require_stage({Stage.ERROR}, "retry")
            return self._launch_run_locked()

    def _launch_run_locked(self) -> dict[str, Any]:
        token = CancelToken()
        self._busy, self._cancel = RUNNING, token
        # The stage flips before the engine starts, so closing is already protected (upstream does the same).
        self.stage = Stage.MIGRATION
        self._progress = None
        self._result = None
        self._last_error = None
        self._cancelled = False
        self._diagnostics_path = None
        self._migrator_messages.clear()
        self._history.clear()
        self._run_started, self._run_finished = _now_ms(), None
        self._worker = threading.Thread(target=self._run_worker, args=(token,), name="migration", daemon=True)
        self._publish_locked()
        self._worker.start()
        return self._snapshot_locked()

    def _run_worker(self, token: CancelToken) -> None:
        log.info("Migration started")
        result: MigrationResult | None = None
        error: str | None = None
        try:
            sources = self._open_sources()
            self.target.parent.mkdir(parents=True, exist_ok=True)
            result = self.engine.run(
                sources, self.target, RunOptions(cancel=token, on_progress=self._on_engine_progress)
            )
        except (MigrationError, OSError) as exc:
            error = str(exc)
        except Exception as exc:  # the worker must always hand the stage back, whatever went wrong
            log.exception("The migration stopped on an unexpected error")
            error = f"Unexpected error: {type(exc).__name__}: {exc}"
        self._finish_run(result, error)

    def _on_engine_progress(self, event: MigrationProgress) -> None:
        data = event.to_dict()
        with self._lock:
            previous = self._progress
            self._progress = data
            running = {m.id for m in event.migrators if m.status is MigratorStatus.RUNNING}
            if event.current_migrator in running:
                # The engine's "<name> done" tick comes after the status flips; keep the last message
                # the migrator itself reported ("Migrated 6 of 6 MCP servers") instead.
                self._migrator_messages[event.current_migrator] = event.current_message
            if not self._history or self._history[-1]["message"] != event.current_message:
                self._history.append(
                    {
                        "at": _now_ms(),
                        "message": event.current_message,
                        "i18n": data["i18nMessage"],
                        "migrator": event.current_migrator,
                    }
                )
            statuses_changed = previous is None or [m["status"] for m in previous["migrators"]] != [
                m["status"] for m in data["migrators"]
            ]
            if statuses_changed or time.monotonic() - self._last_publish >= PUBLISH_INTERVAL:
                self._publish_locked()

    def _finish_run(self, result: MigrationResult | None, error: str | None) -> None:
        with self._lock:
            self._busy, self._cancel = None, None
            self._run_finished = _now_ms()
            self._refresh_target_status()
            if result is not None:
                self._result = {
                    "outcome": result.outcome.value,
                    "error": result.error,
                    "durationMs": result.total_duration_ms,
                    "migrators": [migrator_summary(r) for r in result.migrator_results],
                    "warnings": (self._progress or {}).get("warnings", []),
                    "importedLegacyData": True,
                }
            if result is not None and result.outcome is RunOutcome.COMPLETED:
                self.stage = Stage.COMPLETED
                log.info("Migration completed in %d ms", result.total_duration_ms)
            else:
                self.stage = Stage.ERROR
                self._cancelled = result is not None and result.outcome is RunOutcome.CANCELLED
                self._last_error = error or (result.error if result else None) or "Unknown error"
                log.warning(
                    "Migration %s: %s", "cancelled" if self._cancelled else "failed", self._last_error
                )
            self._publish_locked()

    def cancel(self) -> dict[str, Any]:
        """Stop the running migration or backup; the target (or backup file) is left as it was."""
        with self._lock:
            if self._busy not in CONFIRM_CLOSE_WHILE or self._cancel is None:
                raise SessionError("nothing_to_cancel", "Nothing is running that could be cancelled.")
            self._cancel.cancel()
            log.info("Cancel requested (%s)", self._busy)
            return self._snapshot_locked()

    def use_defaults(self) -> dict[str, Any]:
        """Start v2 without the legacy data (upstream's skip): blocking, all or nothing."""
        with self._lock:
            self._require_idle()
            if self.stage is Stage.COMPLETED:
                raise SessionError("already_completed", "The migration has already completed.")
            self._busy = USING_DEFAULTS
            self._publish_locked()
        log.info("Using defaults: emptying the migration tables of the target")
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            result = self.engine.use_defaults(self.target)
        except OSError as exc:
            result = MigrationResult(RunOutcome.FAILED, [], 0, error=str(exc))
        with self._lock:
            self._busy = None
            self._refresh_target_status()
            if result.outcome is RunOutcome.COMPLETED:
                self.stage = Stage.COMPLETED
                self._result = {
                    "outcome": result.outcome.value,
                    "error": None,
                    "durationMs": result.total_duration_ms,
                    "migrators": [],
                    "warnings": [],
                    "importedLegacyData": False,
                }
                self._last_error = None
            else:
                self.stage = Stage.ERROR
                self._last_error = result.error or "Unknown error"
                self._cancelled = False
            self._publish_locked()
            return self._snapshot_locked()

    # ---- diagnostics -----------------------------------------------------------------------------

    def save_diagnostics(self) -> dict[str, Any]:
        with self._lock:
            self._require_idle()
            self._busy = SAVING_DIAGNOSTICS
            facts = self._snapshot_locked()
        try:
            path = diagnostics.default_diagnostics_path(self.target.parent)
            self.target.parent.mkdir(parents=True, exist_ok=True)
            result = diagnostics.write_diagnostics(
                path,
                diagnostics.DiagnosticsInput(
                    stage=facts["stage"],
                    report_file=self.paths.report_file,
                    environment={
                        "versionCheck": {
                            k: facts["versionCheck"][k]
                            for k in (
                                "outcome",
                                "reason",
                                "details",
                                "previousVersion",
                                "notices",
                                "versionLog",
                            )
                        },
                        "versionLogLines": {
                            "total": self.version_facts.lines,
                            "valid": self.version_facts.valid_lines,
                        },
                        "language": facts["language"],
                        "source": facts["source"]["description"],
                        "target": facts["target"],
                        "backup": facts["backup"].get("state"),
                        "cancelled": facts["cancelled"],
                        "lastError": facts["lastError"],
                    },
                    counts={
                        "inventory": facts["inventory"],
                        "sourceWarnings": facts["source"]["warnings"],
                        "progress": facts["progress"],
                        "steps": facts["history"],
                        "result": facts["result"],
                    },
                    log_lines=self._log_buffer.lines() if self._log_buffer else [],
                    secrets=diagnostics.collect_secrets(self.sources),
                ),
            )
        except OSError as exc:
            raise SessionError("diagnostics_failed", f"Could not save the diagnostics: {exc}", 500) from exc
        finally:
            with self._lock:
                self._busy = None
        log.info("Diagnostics saved")
        with self._lock:
            self._diagnostics_path = str(result.path)
            self._publish_locked()
        return {"path": str(result.path), "manifest": result.manifest}

    # ---- closing ---------------------------------------------------------------------------------

    def close_request(self) -> dict[str, Any]:
        """Whether closing now needs the user's confirmation (a migration or backup is running)."""
        with self._lock:
            return {"needsConfirmation": self._busy in CONFIRM_CLOSE_WHILE, "stage": self.stage.value}

    def request_close_from_window(self) -> bool:
        """For a native window's close button: True when it may close now; otherwise the page is told to
        ask the user (``confirmClose`` in the next snapshot) and False is returned."""
        with self._lock:
            if self._busy in CONFIRM_CLOSE_WHILE:
                self._confirm_close = True
                self._publish_locked()
                return False
            return True

    def dismiss_close(self) -> None:
        with self._lock:
            self._confirm_close = False
            self._publish_locked()

    def finish(self) -> dict[str, Any]:
        with self._lock:
            self._require_stage({Stage.COMPLETED}, "finish")
        return self.shutdown(cancel=False)

    def shutdown(self, *, cancel: bool, wait: float = SHUTDOWN_WAIT_SECONDS) -> dict[str, Any]:
        """Stop serving. During a migration or backup this needs ``cancel=True``: the work is cancelled
        and awaited, so the target is left untouched before the process ends."""
        with self._lock:
            if self._busy in CONFIRM_CLOSE_WHILE and not cancel:
                raise SessionError(
                    "confirmation_required",
                    "A migration or backup is running; confirm to cancel it and quit.",
                )
            token, worker = self._cancel, self._worker
            if self._closing and (worker is None or not worker.is_alive()):
                return self._snapshot_locked()
            self._closing = True
            self._confirm_close = False
        if token is not None:
            token.cancel()
        if worker is not None and worker.is_alive():
            worker.join(wait)
        with self._lock:
            self._publish_locked()
            snapshot = self._snapshot_locked()
        self.broker.close()
        log.info("Window closed")
        return snapshot

    @property
    def busy(self) -> str | None:
        with self._lock:
            return self._busy

    def join_worker(self, timeout: float | None = None) -> None:
        """Wait for the current run or backup to end."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
