"""Small migrators with scripted behaviour, to test the engine itself (not domain logic)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.types import (
    ExecuteResult,
    PrepareResult,
    ValidateResult,
    ValidationError,
    ValidationStats,
)
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.db.connection import transaction
from cherry_migrate.migrators.base import BaseMigrator


@dataclass
class Script:
    """What a scripted migrator does; defaults describe a well-behaved one."""

    rows: int = 3
    prepare_ok: bool = True
    claim_target: int | None = None
    skip: int = 0
    validation_errors: list[str] = field(default_factory=list)
    dangling_fk: bool = False
    unbalanced: bool = False
    raise_in_execute: Exception | None = None
    on_batch: Callable[[MigrationContext, int], None] | None = None
    batches: int = 1


class ScriptedMigrator(BaseMigrator):
    """Writes ``rows`` preference rows named ``<id>.key_<n>`` in ``batches`` batches."""

    description = "test double"
    owned_tables = ("entity_tag",)

    def __init__(
        self, mid: str, order: float, script: Script | None = None, log: list[str] | None = None
    ) -> None:
        self.id = mid  # type: ignore[misc]
        self.name = f"Scripted {mid}"  # type: ignore[misc]
        self.order = order  # type: ignore[misc]
        super().__init__()
        self.script = script or Script()
        self.calls = log if log is not None else []
        self.resets = 0

    def reset(self) -> None:
        super().reset()
        self.resets += 1

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        self.calls.append(f"{self.id}.prepare")
        if not self.script.prepare_ok:
            return PrepareResult(False, 0, error="source is unusable")
        return PrepareResult(True, self.script.rows)

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        self.calls.append(f"{self.id}.execute")
        if self.script.raise_in_execute:
            raise self.script.raise_in_execute
        kind = f"test:{self.id}"
        per_batch = max(1, self.script.rows // self.script.batches)
        written = 0
        for batch in range(self.script.batches):
            count = per_batch if batch < self.script.batches - 1 else self.script.rows - written
            rows = [
                ("default", f"{self.id}.key_{written + i}", '"v"', ctx.now_ms, ctx.now_ms)
                for i in range(count)
            ]
            with transaction(ctx.db):
                insert_rows(ctx.db, "preference", ("scope", "key", "value", "created_at", "updated_at"), rows)
            written += count
            self.ledger.read(kind, count)
            self.ledger.written(kind, count)
            if self.script.on_batch:
                self.script.on_batch(ctx, batch)
            self.report_progress(100 * (batch + 1) / self.script.batches, f"batch {batch + 1}")
            ctx.cancel.raise_if_cancelled()
        for i in range(self.script.skip):
            self.ledger.read(kind)
            self.ledger.skip(kind, "test_reason", f"skipped-{i}")
        if self.script.unbalanced:
            self.ledger.read(kind, 2)
        if self.script.dangling_fk:
            with transaction(ctx.db):
                ctx.db.execute(
                    "INSERT INTO entity_tag(entity_type, entity_id, tag_id, created_at, updated_at) "
                    "VALUES('assistant', 'a1', 'missing-tag', 0, 0)"
                )
        return ExecuteResult(True, self.script.rows)

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        self.calls.append(f"{self.id}.validate")
        (count,) = ctx.db.execute(
            "SELECT count(*) FROM preference WHERE key LIKE ?", (f"{self.id}.key_%",)
        ).fetchone()
        target = count if self.script.claim_target is None else self.script.claim_target
        return ValidateResult(
            success=True,
            stats=ValidationStats(self.script.rows + self.script.skip, target, self.script.skip),
            errors=[ValidationError("check", m) for m in self.script.validation_errors],
        )


class CancelOnBatch:
    """Cancels the run from another thread when a migrator reaches a given batch."""

    def __init__(self, at_batch: int) -> None:
        self.at_batch = at_batch

    def __call__(self, ctx: MigrationContext, batch: int) -> None:
        if batch == self.at_batch:
            thread = threading.Thread(target=ctx.cancel.cancel)
            thread.start()
            thread.join()
