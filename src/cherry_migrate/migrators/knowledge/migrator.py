"""KnowledgeMigrator: Redux ``knowledge.bases[]`` with their items, plus the Dexie ``knowledge_notes``
texts → ``knowledge_base`` / ``knowledge_item`` (migrators.md §3.7).

Bases get new UUIDv4 ids and items new UUIDv7 ids; ``KNOWLEDGE_BASE_ID_REMAP`` and
``KNOWLEDGE_ITEM_ID_REMAP`` (a folder maps to its container item) are always published. Note items take
their full text from ``knowledge_notes``; file items complete their metadata from the Dexie ``files``
table. Mapping rules and skip reasons: ``knowledge_plan`` and ``mappings/knowledge``.

Out of scope: the vector indexes. The legacy vector store of a base is only read (never changed) for
its dimensions and for the files behind a folder item's loader ids; no vector is copied, and uploaded
files are not copied into a v2 knowledge folder either (items keep their legacy ``source`` path).

Dexie ``knowledge_notes`` rows (kind ``dexie:knowledge_notes``) are written when their note item is;
skip reasons: ``invalid_note`` (no id), ``duplicate_note``, ``note_without_item`` (no Redux item names
it), ``item_not_migrated`` (its item was skipped).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fractional_indexing import generate_n_keys_between

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.types import (
    ExecuteResult,
    PrepareResult,
    ValidateResult,
    ValidationError,
    ValidationStats,
)
from cherry_migrate.db.bulk import insert_rows, to_json
from cherry_migrate.db.connection import transaction
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.coerce import nonblank_str, opt_str
from cherry_migrate.migrators.common.warning_log import WarningLog
from cherry_migrate.migrators.knowledge.plan import (
    BASES_KIND,
    ITEMS_KIND,
    BasePlan,
    KnowledgePlanner,
    ModelLookup,
    file_item_refs,
    item_count,
    note_item_ids,
)
from cherry_migrate.migrators.mappings.knowledge import (
    KNOWLEDGE_BASE_COLUMNS,
    KNOWLEDGE_ITEM_COLUMNS,
    ItemValues,
    NoteContent,
)
from cherry_migrate.migrators.mappings.provider_model import MODEL_COLUMNS, model_row

NOTES_TABLE = "knowledge_notes"
NOTES_KIND = "dexie:knowledge_notes"
FILES_TABLE = "files"
READ_BATCH = 200


def _legacy_bases(state: object, warnings: WarningLog) -> list[Any]:
    if state is None:
        return []
    if isinstance(state, dict):
        bases = state.get("bases")
        if isinstance(bases, list):
            return bases
        if bases is None:
            return []
    warnings.add("Redux 'knowledge.bases' is not a list; no knowledge bases migrated")
    return []


def _item_row(base_id: str, item: ItemValues) -> tuple[object, ...]:
    return (
        item.id,
        base_id,
        item.group_id,
        item.type,
        to_json(item.data),
        item.status,
        item.error,
        item.created_at,
        item.updated_at,
    )


def _count(conn: sqlite3.Connection, table: str) -> int:
    (n,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(n)


class KnowledgeMigrator(BaseMigrator):
    id = "knowledge"
    name = "Knowledge bases"
    description = "Knowledge bases and their items (vector indexes are not migrated)"
    order = 1.8
    owned_tables = ("knowledge_base", "knowledge_item")

    def __init__(self) -> None:
        super().__init__()
        self._bases_written = 0
        self._items_written = 0

    def reset(self) -> None:
        super().reset()
        self._bases_written = 0
        self._items_written = 0

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        warnings = WarningLog()
        state = ctx.sources.redux.get_category("knowledge")
        ctx.secrets.add_from_mapping(state)  # file-processor settings carry API keys
        bases = _legacy_bases(state, warnings)
        items = sum(item_count(base) for base in bases)
        self.logger.info("Found %d knowledge base(s) with %d item(s)", len(bases), items)
        return PrepareResult(success=True, item_count=len(bases), warnings=warnings.messages())

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        state = ctx.sources.redux.get_category("knowledge")
        ctx.secrets.add_from_mapping(state)
        warnings = WarningLog()
        bases = _legacy_bases(state, warnings)
        notes: dict[str, NoteContent] = {}
        note_ids = self._read_notes(ctx, note_item_ids(bases), notes)
        lookup = self._model_lookup(ctx)
        planner = KnowledgePlanner(
            ledger=self.ledger,
            models=lookup,
            notes=notes,
            files_by_id=self._read_files(ctx, file_item_refs(bases)),
            knowledge_dir=ctx.paths.legacy_root / "Data" / "KnowledgeBase" if ctx.paths.legacy_root else None,
            now_ms=ctx.now_ms,
            warnings=warnings,
        )
        plans = [
            plan for index, base in enumerate(bases) if (plan := planner.plan_base(index, base)) is not None
        ]
        for note_id in note_ids:
            if note_id in planner.used_notes:
                self.ledger.written(NOTES_KIND)
            else:
                self.ledger.skip(
                    NOTES_KIND, "item_not_migrated", note_id, detail="its knowledge item was skipped"
                )

        self._write_models(ctx, lookup)
        self._write_bases(ctx, plans)

        ctx.shared_data[shared_keys.KNOWLEDGE_BASE_ID_REMAP] = {p.legacy_id: str(p.row[0]) for p in plans}
        ctx.shared_data[shared_keys.KNOWLEDGE_ITEM_ID_REMAP] = {
            legacy: new for plan in plans for legacy, new in plan.item_ids.items()
        }
        if lookup.resurrected:
            models = ctx.shared_data.get(shared_keys.USER_MODEL_IDS)
            ctx.shared_data[shared_keys.USER_MODEL_IDS] = set(models or ()) | set(lookup.resurrected)
        messages = warnings.messages()
        for message in messages:
            self.logger.warning(message)
        return ExecuteResult(success=True, processed_count=len(plans), warnings=messages)

    def _model_lookup(self, ctx: MigrationContext) -> ModelLookup:
        """The provider migrator's hand-offs; the target's rows when it did not publish them."""
        models = ctx.shared_data.get(shared_keys.USER_MODEL_IDS)
        providers = ctx.shared_data.get(shared_keys.USER_PROVIDER_IDS)
        if models is None:
            models = {row[0] for row in ctx.db.execute("SELECT id FROM user_model")}
        if providers is None:
            providers = {row[0] for row in ctx.db.execute("SELECT provider_id FROM user_provider")}
        return ModelLookup(model_ids=set(models), provider_ids=set(providers))

    def _read_notes(
        self, ctx: MigrationContext, wanted: set[str], notes: dict[str, NoteContent]
    ) -> list[str]:
        """Stream ``knowledge_notes``, keeping the texts of wanted notes; returns their ids in read order
        (their ledger outcome depends on their item)."""
        dexie = ctx.sources.dexie
        kept: list[str] = []
        if not dexie.table_exists(NOTES_TABLE):
            return kept
        seen: set[str] = set()
        index = 0
        for batch in dexie.iter_batches(NOTES_TABLE, READ_BATCH):
            ctx.cancel.raise_if_cancelled()
            for row in batch:
                self.ledger.read(NOTES_KIND)
                index += 1
                note_id = nonblank_str(row.get("id")) if isinstance(row, dict) else None
                if not isinstance(row, dict) or note_id is None:
                    self.ledger.skip(NOTES_KIND, "invalid_note", f"#{index - 1}")
                    continue
                if note_id in seen:
                    self.ledger.skip(NOTES_KIND, "duplicate_note", note_id)
                elif note_id not in wanted:
                    self.ledger.skip(
                        NOTES_KIND, "note_without_item", note_id, detail="no knowledge item names it"
                    )
                else:
                    notes[note_id] = NoteContent(
                        opt_str(row.get("content")), nonblank_str(row.get("sourceUrl"))
                    )
                    kept.append(note_id)
                seen.add(note_id)
        return kept

    def _read_files(self, ctx: MigrationContext, wanted: set[str]) -> dict[str, dict[str, Any]]:
        dexie = ctx.sources.dexie
        found: dict[str, dict[str, Any]] = {}
        if not wanted or not dexie.table_exists(FILES_TABLE):
            return found
        for batch in dexie.iter_batches(FILES_TABLE, READ_BATCH):
            ctx.cancel.raise_if_cancelled()
            for row in batch:
                if isinstance(row, dict) and row.get("id") in wanted:
                    found.setdefault(row["id"], row)
        return found

    def _write_models(self, ctx: MigrationContext, lookup: ModelLookup) -> None:
        """Recreated embedding models go after their provider's existing models."""
        if not lookup.resurrected:
            return
        by_provider: dict[str, list[Any]] = {}
        for values in lookup.resurrected.values():
            by_provider.setdefault(values.provider_id, []).append(values)
        with transaction(ctx.db) as conn:
            for provider_id, models in by_provider.items():
                (last,) = conn.execute(
                    "SELECT max(order_key) FROM user_model WHERE provider_id = ?", (provider_id,)
                ).fetchone()
                keys = generate_n_keys_between(last, None, len(models))
                rows = [model_row(values, key, ctx.now_ms) for values, key in zip(models, keys, strict=True)]
                insert_rows(conn, "user_model", MODEL_COLUMNS, rows)

    def _write_bases(self, ctx: MigrationContext, plans: list[BasePlan]) -> None:
        for done, plan in enumerate(plans, start=1):
            ctx.cancel.raise_if_cancelled()
            base_id = str(plan.row[0])
            with transaction(ctx.db) as conn:
                insert_rows(conn, "knowledge_base", KNOWLEDGE_BASE_COLUMNS, [plan.row])
                insert_rows(
                    conn,
                    "knowledge_item",
                    KNOWLEDGE_ITEM_COLUMNS,
                    (_item_row(base_id, i) for i in plan.items),
                )
            self._bases_written += 1
            self._items_written += len(plan.items)
            self.report_progress(100 * done / len(plans), f"Migrated {done} of {len(plans)} knowledge bases")

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        bases, items = _count(ctx.db, "knowledge_base"), _count(ctx.db, "knowledge_item")
        errors = [
            ValidationError(
                f"{table}_count_mismatch",
                f"expected {expected} {table} rows, found {actual}",
                expected,
                actual,
            )
            for table, expected, actual in (
                ("knowledge_base", self._bases_written, bases),
                ("knowledge_item", self._items_written, items),
            )
            if expected != actual
        ]
        source = skipped = 0
        for kind in (BASES_KIND, ITEMS_KIND):
            entry = self.ledger.kinds.get(kind)
            if entry is not None:
                source += entry.read
                skipped += entry.skipped_total
        return ValidateResult(
            success=not errors,
            stats=ValidationStats(
                source_count=source,
                target_count=bases + items,
                skipped_count=skipped,
                mismatch_reason="; ".join(e.message for e in errors) or None,
            ),
            errors=errors,
        )
