"""PaintingMigrator: Redux ``paintings`` (every provider namespace) → ``painting`` + ``painting_file_ref``.

Ids are kept; an id already used by an earlier painting (v1 namespaces are separate lists) gets a
fresh UUIDv4. File references are written only for ``file_entry`` rows that exist: FileMigrator ran
before (order 2.7) and keeps v1 file ids, so the table is the truth about which files made it.
References are accounted as their own kind, ``redux:paintings.file_refs``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.order_keys import order_keys
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.db.transaction import transaction
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.row_checks import count_rows, row_based_result, row_count_error
from cherry_migrate.migrators.mappings.painting import (
    PROVIDER_BY_NAMESPACE,
    FileRef,
    PaintingPlan,
    plan_painting,
)

FILE_REFS_KIND = "redux:paintings.file_refs"
BATCH_SIZE = 500
_LOOKUP_CHUNK = 500
_PAINTING_COLUMNS = (
    "id",
    "provider_id",
    "model_id",
    "prompt",
    "order_key",
    "created_at",
    "updated_at",
    "deleted_at",
)
_REF_COLUMNS = ("id", "file_entry_id", "source_id", "role", "created_at", "updated_at")


def namespace_kind(namespace: str) -> str:
    return f"redux:paintings.{namespace}"


class PaintingMigrator(BaseMigrator):
    id = "painting"
    name = "Painting"
    description = "Migrate painting history and its image references"
    order = 4.5
    owned_tables = ("painting", "painting_file_ref")

    def __init__(self) -> None:
        super().__init__()
        self._paintings_written = 0
        self._refs_written = 0

    def reset(self) -> None:
        super().reset()
        self._paintings_written = 0
        self._refs_written = 0

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        state = ctx.sources.redux.get_category("paintings")
        if not isinstance(state, dict):
            return PrepareResult(success=True, item_count=0)
        return PrepareResult(
            success=True, item_count=sum(len(v) for v in state.values() if isinstance(v, list))
        )

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        state = ctx.sources.redux.get_category("paintings")
        warnings: list[str] = []
        if state is not None and not isinstance(state, dict):
            warnings.append(
                f"The paintings slice is a {type(state).__name__}, not an object; it was ignored."
            )
        plans = self._plan(state if isinstance(state, dict) else {}, warnings)
        ref_rows = self._ref_rows(ctx, plans)
        unkept = sum(plan.has_settings for plan in plans)
        if unkept:
            warnings.append(
                f"{unkept} paintings carry generation settings (size, seed, steps, …) that the v2 painting "
                "table has no column for; their prompt, model and images were kept."
            )

        rows = [
            _painting_row(plan, key, ctx.now_ms)
            for plan, key in zip(plans, order_keys(len(plans)), strict=True)
        ]
        with transaction(ctx.db):
            for start in range(0, len(rows), BATCH_SIZE):
                ctx.cancel.raise_if_cancelled()
                insert_rows(ctx.db, "painting", _PAINTING_COLUMNS, rows[start : start + BATCH_SIZE])
                done = min(start + BATCH_SIZE, len(rows))
                self.report_progress(90 * done / len(rows), f"Migrated {done}/{len(rows)} paintings")
            insert_rows(ctx.db, "painting_file_ref", _REF_COLUMNS, ref_rows)
        self._paintings_written = len(rows)
        self._refs_written = len(ref_rows)
        self.report_progress(100, f"Migrated {len(rows)} paintings")
        return ExecuteResult(success=True, processed_count=len(rows), warnings=warnings)

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        target = count_rows(ctx.db, "painting")
        checks = (
            row_count_error("painting", self._paintings_written, target),
            row_count_error("painting_file_ref", self._refs_written, count_rows(ctx.db, "painting_file_ref")),
        )
        errors = [error for error in checks if error]
        return row_based_result(
            self.ledger, self._paintings_written, target, errors, other_kinds={FILE_REFS_KIND}
        )

    def _plan(self, state: dict[str, Any], warnings: list[str]) -> list[PaintingPlan]:
        namespaces = [*PROVIDER_BY_NAMESPACE, *(key for key in state if key not in PROVIDER_BY_NAMESPACE)]
        plans: list[PaintingPlan] = []
        seen: set[str] = set()
        for namespace in namespaces:
            records = state.get(namespace)
            kind = namespace_kind(namespace)
            if records is None:
                continue
            if not isinstance(records, list):
                self.ledger.read(kind)
                self.ledger.skip(kind, "not_a_list", namespace, detail=f"found {type(records).__name__}")
                continue
            for index, record in enumerate(records):
                self.ledger.read(kind)
                plan = self._plan_one(namespace, index, record)
                if isinstance(plan, tuple):
                    self.ledger.skip(kind, *plan)
                    continue
                if plan.id in seen:
                    fresh = new_uuid4()
                    warnings.append(
                        f"Painting id {plan.id!r} in {namespace} was already used; it became {fresh!r}."
                    )
                    plan.id = fresh
                seen.add(plan.id)
                plans.append(plan)
                self.ledger.written(kind)
        return plans

    @staticmethod
    def _plan_one(namespace: str, index: int, record: Any) -> PaintingPlan | tuple[str, str]:
        """The plan, or (reason, record id) when the record is skipped."""
        record_id = record.get("id") if isinstance(record, dict) else None
        label = record_id if isinstance(record_id, str) and record_id.strip() else f"{namespace}[{index}]"
        if namespace not in PROVIDER_BY_NAMESPACE:
            return "unknown_namespace", label
        if not isinstance(record, dict):
            return "invalid_record", label
        plan = plan_painting(namespace, record)
        return (plan, label) if isinstance(plan, str) else plan

    def _ref_rows(self, ctx: MigrationContext, plans: list[PaintingPlan]) -> list[tuple[Any, ...]]:
        present = existing_file_ids(ctx.db, (ref.file_id for plan in plans for ref in plan.refs))
        rows: list[tuple[Any, ...]] = []
        for plan in plans:
            seen: set[FileRef] = set()
            for ref in plan.refs:
                self.ledger.read(FILE_REFS_KIND)
                if ref.file_id not in present:
                    self.ledger.skip(
                        FILE_REFS_KIND, "file_not_migrated", ref.file_id, detail=f"painting {plan.id}"
                    )
                    continue
                self.ledger.written(FILE_REFS_KIND)
                if ref not in seen:
                    seen.add(ref)
                    rows.append((new_uuid4(), ref.file_id, plan.id, ref.role, ctx.now_ms, ctx.now_ms))
            for reason in plan.inline_images:
                self.ledger.read(FILE_REFS_KIND)
                self.ledger.skip(FILE_REFS_KIND, reason, plan.id, detail="v1 kept this image only in memory")
        return rows


def _painting_row(plan: PaintingPlan, order_key: str, now_ms: int) -> tuple[Any, ...]:
    created = plan.created_at or now_ms
    return (plan.id, plan.provider_id, plan.model_id, plan.prompt, order_key, created, created, None)


def existing_file_ids(conn: sqlite3.Connection, file_ids: Iterable[str]) -> set[str]:
    """The ids among ``file_ids`` that have a ``file_entry`` row, looked up in chunks."""
    wanted = sorted(set(file_ids))
    found: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0] for row in conn.execute(f"SELECT id FROM file_entry WHERE id IN ({marks})", chunk)
        )
    return found
