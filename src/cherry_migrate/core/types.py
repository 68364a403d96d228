"""Shared value types of a migration run: stages, per-phase results, progress events.

Field names follow upstream's `packages/shared/data/migration/v2/types.ts` in snake_case, so a reader of
upstream's docs recognises them. ``to_dict`` gives the camelCase JSON shape used by reports and the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class MigrationStage(StrEnum):
    """Where the user is in the flow (latest upstream stages plus the backup stages we keep)."""

    VERSION_INCOMPATIBLE = "version_incompatible"
    INTRODUCTION = "introduction"
    BACKUP_REQUIRED = "backup_required"
    BACKUP_PROGRESS = "backup_progress"
    BACKUP_CONFIRMED = "backup_confirmed"
    MIGRATION = "migration"
    COMPLETED = "completed"
    ERROR = "error"


class MigratorStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class I18nMessage:
    """A message the window can translate: an i18n key plus its parameters."""

    key: str
    params: dict[str, str | int | float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "params": dict(self.params)}


@dataclass
class PrepareResult:
    """Outcome of the dry phase: checks and counts, nothing written."""

    success: bool
    item_count: int
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ExecuteResult:
    success: bool
    processed_count: int
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ValidationError:
    key: str
    message: str
    expected: object | None = None
    actual: object | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "message": self.message, "expected": self.expected, "actual": self.actual}


@dataclass(frozen=True)
class ValidationStats:
    source_count: int
    target_count: int
    skipped_count: int
    mismatch_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sourceCount": self.source_count,
            "targetCount": self.target_count,
            "skippedCount": self.skipped_count,
            "mismatchReason": self.mismatch_reason,
        }


@dataclass
class ValidateResult:
    success: bool
    stats: ValidationStats
    errors: list[ValidationError] = field(default_factory=list)
    diagnostics: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MigratorProgress:
    id: str
    name: str
    status: MigratorStatus
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "status": self.status.value, "error": self.error}


@dataclass(frozen=True)
class MigrationSummary:
    completed_migrators: int
    total_migrators: int
    items_processed: int
    duration_ms: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "completedMigrators": self.completed_migrators,
            "totalMigrators": self.total_migrators,
            "itemsProcessed": self.items_processed,
            "durationMs": self.duration_ms,
        }


@dataclass(frozen=True)
class MigrationProgress:
    """One progress event (upstream's `MigrationProgress`, plus per-migrator `failed`)."""

    stage: MigrationStage
    overall_progress: int
    current_message: str
    migrators: tuple[MigratorProgress, ...]
    i18n_message: I18nMessage | None = None
    current_migrator: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    summary: MigrationSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage.value,
            "overallProgress": self.overall_progress,
            "currentMessage": self.current_message,
            "i18nMessage": self.i18n_message.to_dict() if self.i18n_message else None,
            "currentMigrator": self.current_migrator,
            "migrators": [m.to_dict() for m in self.migrators],
            "error": self.error,
            "warnings": list(self.warnings),
            "summary": self.summary.to_dict() if self.summary else None,
        }


@dataclass
class MigratorResult:
    """What one migrator did: counts, timing, warnings and the per-source ledger."""

    migrator_id: str
    migrator_name: str
    status: MigratorStatus
    records_processed: int = 0
    duration_ms: int = 0
    prepared_count: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    stats: ValidationStats | None = None
    ledger: dict[str, Any] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        return self.status is MigratorStatus.COMPLETED

    def to_dict(self) -> dict[str, Any]:
        return {
            "migratorId": self.migrator_id,
            "migratorName": self.migrator_name,
            "status": self.status.value,
            "recordsProcessed": self.records_processed,
            "preparedCount": self.prepared_count,
            "durationMs": self.duration_ms,
            "error": self.error,
            "warnings": list(self.warnings),
            "stats": self.stats.to_dict() if self.stats else None,
            "ledger": self.ledger,
        }


class RunOutcome(StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    DRY_RUN = "dry_run"


@dataclass
class MigrationResult:
    outcome: RunOutcome
    migrator_results: list[MigratorResult]
    total_duration_ms: int
    error: str | None = None
    report_file: Path | None = None
    """The run report this run wrote; None for a dry run, or when the report could not be written."""

    @property
    def success(self) -> bool:
        return self.outcome in (RunOutcome.COMPLETED, RunOutcome.DRY_RUN)
