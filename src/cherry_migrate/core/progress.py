"""Turning engine steps into ``MigrationProgress`` events (upstream's aggregation, plus ``failed``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from cherry_migrate.core.types import (
    I18nMessage,
    MigrationProgress,
    MigrationStage,
    MigrationSummary,
    MigratorProgress,
    MigratorStatus,
)

ProgressListener = Callable[[MigrationProgress], None]


def overall_percent(completed: int, total: int, migrator_percent: float) -> int:
    """``round(completed*w + (p/100)*w)`` with ``w = 100/N``; 0 when there are no migrators."""
    if total <= 0:
        return 0
    weight = 100 / total
    return min(100, round(completed * weight + (migrator_percent / 100) * weight))


class ProgressTracker:
    def __init__(self, migrators: Sequence[tuple[str, str]], listener: ProgressListener | None) -> None:
        self._listener = listener
        self._statuses = {mid: MigratorProgress(mid, name, MigratorStatus.PENDING) for mid, name in migrators}
        self._order = [mid for mid, _ in migrators]
        self.last: MigrationProgress = MigrationProgress(
            stage=MigrationStage.MIGRATION,
            overall_progress=0,
            current_message="Preparing migration…",
            migrators=self._snapshot(),
            i18n_message=I18nMessage("migration.progress.preparing"),
        )

    def _snapshot(self) -> tuple[MigratorProgress, ...]:
        return tuple(self._statuses[mid] for mid in self._order)

    def _emit(self, event: MigrationProgress) -> None:
        self.last = event
        if self._listener is not None:
            self._listener(event)

    def set_status(self, migrator_id: str, status: MigratorStatus, error: str | None = None) -> None:
        self._statuses[migrator_id] = replace(self._statuses[migrator_id], status=status, error=error)

    def tick(
        self,
        index: int,
        migrator_percent: float,
        message: str,
        i18n: I18nMessage | None,
        current: str | None,
    ) -> None:
        self._emit(
            MigrationProgress(
                stage=MigrationStage.MIGRATION,
                overall_progress=overall_percent(index, len(self._order), migrator_percent),
                current_message=message,
                i18n_message=i18n,
                migrators=self._snapshot(),
                current_migrator=current,
            )
        )

    def finish(
        self,
        stage: MigrationStage,
        message: str,
        *,
        error: str | None = None,
        warnings: Sequence[str] = (),
        summary: MigrationSummary | None = None,
    ) -> None:
        self._emit(
            MigrationProgress(
                stage=stage,
                overall_progress=100 if stage is MigrationStage.COMPLETED else self.last.overall_progress,
                current_message=message,
                i18n_message=I18nMessage(f"migration.progress.{stage.value}"),
                migrators=self._snapshot(),
                error=error,
                warnings=tuple(warnings),
                summary=summary,
            )
        )
