"""AssistantMigrator: Redux assistants, presets and the default assistant → ``assistant`` and its links.

Targets: ``assistant``, ``assistant_mcp_server``, ``assistant_knowledge_base``, ``tag`` + ``entity_tag``
(from ``tags[]``) and ``group`` (from a preset's ``group[]``). Reads the hand-offs of the provider/model,
MCP and knowledge migrators; publishes the migrated ids, the ``'default'`` id remap and small
snapshots for the chat migrator.

Choices where upstream is silent or where we differ:

* A missing MCP or knowledge-base id map does not fail the run (upstream throws for MCP): the
  references are skipped with ``*_map_missing`` in the ledger, like references the map lacks.
* Without a published model list, ``provider::model`` references are kept unverified (one warning).
* v1 has no assistant groups except a preset's ``group[]`` categories; v2 allows one group per
  assistant, so the first name becomes the group and the others are skipped as ``extra_group``.
* A run whose records all lack an id is not failed (upstream fails prepare): the ledger names them.
* ``settings.defaultModel`` is a last fallback for the model after ``model`` and ``defaultModel``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

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
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.assistant.plan import (
    ASSISTANT_COLUMNS,
    LINK_TIMESTAMP_COLUMNS,
    AssistantRows,
    LinkMaps,
    WritePlan,
    plan_assistant_rows,
)
from cherry_migrate.migrators.assistant.sources import CollectedAssistants, collect_legacy_assistants
from cherry_migrate.migrators.assistant.transform import TransformedAssistant, transform_assistant
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.row_checks import count_rows, row_count_error

BATCH_SIZE = 100

_GROUP_COLUMNS = ("id", "entity_type", "name", "order_key", *LINK_TIMESTAMP_COLUMNS)
_TAG_COLUMNS = ("id", "name", "color", *LINK_TIMESTAMP_COLUMNS)
_ENTITY_TAG_COLUMNS = ("entity_type", "entity_id", "tag_id", *LINK_TIMESTAMP_COLUMNS)
_MCP_LINK_COLUMNS = ("assistant_id", "mcp_server_id", *LINK_TIMESTAMP_COLUMNS)
_KNOWLEDGE_LINK_COLUMNS = ("assistant_id", "knowledge_base_id", *LINK_TIMESTAMP_COLUMNS)


_TABLE_EXPECTATIONS: tuple[tuple[str, str], ...] = (
    ("assistant", "assistants"),
    ("assistant_mcp_server", "mcp_links"),
    ("assistant_knowledge_base", "knowledge_links"),
    ("entity_tag", "entity_tags"),
    ("tag", "tags"),
    ("group", "groups"),
)
"""Per owned table, the ``_Expected`` field its row count must equal (the tables start empty)."""


@dataclass(frozen=True)
class _Expected:
    """What ``execute`` wrote, for ``validate`` to compare with the target."""

    assistants: int
    skipped: int
    merged: int
    mcp_links: int
    knowledge_links: int
    entity_tags: int
    tags: int
    groups: int
    models_nulled: int


@dataclass
class _Prepared:
    collected: CollectedAssistants
    items: list[TransformedAssistant]


def _optional_set(value: Any) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def _optional_map(value: Any) -> dict[str, str] | None:
    return None if value is None else dict(value)


class AssistantMigrator(BaseMigrator):
    id = "assistant"
    name = "Assistants"
    description = "Assistants, presets and the default assistant, with their tags, groups and links"
    order = 2
    owned_tables = (
        "assistant",
        "assistant_mcp_server",
        "assistant_knowledge_base",
        "tag",
        "entity_tag",
        "group",
    )

    def __init__(self) -> None:
        super().__init__()
        self._prepared: _Prepared | None = None
        self._expected: _Expected | None = None

    def reset(self) -> None:
        super().reset()
        self._prepared = None
        self._expected = None

    def _load(self, ctx: MigrationContext) -> _Prepared:
        if self._prepared is None:
            collected = collect_legacy_assistants(ctx.sources.redux.get_category("assistants"))
            for legacy in collected.assistants:
                # MCP server objects embedded in assistants carry env/headers with tokens.
                ctx.secrets.add_from_mapping(legacy.data)
            items = [transform_assistant(legacy.id, legacy.data) for legacy in collected.assistants]
            self._prepared = _Prepared(collected, items)
        return self._prepared

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        prepared = self._load(ctx)
        collected = prepared.collected
        warnings = list(collected.warnings)
        if collected.skipped:
            warnings.append(f"{collected.skipped} assistant record(s) will be skipped (no usable id)")
        for warning in warnings:
            self.logger.warning(warning)
        return PrepareResult(success=True, item_count=len(prepared.items), warnings=warnings)

    def _record_sources(self, collected: CollectedAssistants) -> None:
        for kind, n in collected.read.items():
            self.ledger.read(kind, n)
        for kind, n in collected.written.items():
            self.ledger.written(kind, n)
        for skip in collected.skips:
            self.ledger.skip(skip.kind, skip.reason, skip.record_id, detail=skip.detail)

    def _write(self, ctx: MigrationContext, plan: WritePlan) -> None:
        with transaction(ctx.db) as conn:
            insert_rows(conn, "group", _GROUP_COLUMNS, plan.groups)
            insert_rows(conn, "tag", _TAG_COLUMNS, plan.tags)
        total = len(plan.assistants)
        for start in range(0, total, BATCH_SIZE):
            ctx.cancel.raise_if_cancelled()
            batch = plan.assistants[start : start + BATCH_SIZE]
            with transaction(ctx.db) as conn:
                _insert_batch(conn, batch)
            done = start + len(batch)
            self.report_progress(100 * done / total, f"Migrated {done} of {total} assistants")

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        prepared = self._load(ctx)
        self._record_sources(prepared.collected)
        maps = LinkMaps(
            user_model_ids=_optional_set(ctx.shared_data.get(shared_keys.USER_MODEL_IDS)),
            mcp_server_ids=_optional_map(ctx.shared_data.get(shared_keys.MCP_SERVER_ID_MAP)),
            knowledge_base_ids=_optional_map(ctx.shared_data.get(shared_keys.KNOWLEDGE_BASE_ID_REMAP)),
        )
        plan = plan_assistant_rows(prepared.items, maps, self.ledger, ctx.now_ms)
        self._write(ctx, plan)

        ctx.shared_data[shared_keys.ASSISTANT_IDS] = plan.assistant_ids
        ctx.shared_data[shared_keys.LEGACY_ASSISTANT_ID_REMAP] = dict(plan.id_remap)
        ctx.shared_data[shared_keys.ASSISTANT_SNAPSHOTS] = plan.snapshots

        collected = prepared.collected
        self._expected = _Expected(
            assistants=len(plan.assistants),
            skipped=collected.skipped,
            merged=len(collected.merged_ids),
            mcp_links=plan.count("mcp_links"),
            knowledge_links=plan.count("knowledge_links"),
            entity_tags=plan.count("tag_links"),
            tags=len(plan.tags),
            groups=len(plan.groups),
            models_nulled=plan.models_nulled,
        )
        warnings = [*plan.warnings, *plan.issues.messages()]
        for warning in warnings:
            self.logger.warning(warning)
        self.report_progress(100, f"Migrated {len(plan.assistants)} assistants")
        return ExecuteResult(success=True, processed_count=len(plan.assistants), warnings=warnings)

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        expected = self._expected or _Expected(0, 0, 0, 0, 0, 0, 0, 0, 0)
        actual = {table: count_rows(ctx.db, table) for table, _ in _TABLE_EXPECTATIONS}
        errors = [
            error
            for table, field_name in _TABLE_EXPECTATIONS
            if (error := row_count_error(table, getattr(expected, field_name), actual[table])) is not None
        ]
        blank = _count(ctx.db, "SELECT COUNT(*) FROM assistant WHERE id = '' OR trim(name) = ''")
        if blank:
            errors.append(
                ValidationError("assistant_missing_fields", f"{blank} assistant row(s) without id or name")
            )
        bad_settings = _count(
            ctx.db,
            "SELECT COUNT(*) FROM assistant"
            " WHERE json_valid(settings) = 0 OR json_type(settings) != 'object'",
        )
        if bad_settings:
            errors.append(
                ValidationError("assistant_settings_invalid", f"{bad_settings} row(s) with unusable settings")
            )
        return ValidateResult(
            success=not errors,
            stats=ValidationStats(
                source_count=expected.assistants + expected.skipped,
                target_count=actual["assistant"],
                skipped_count=expected.skipped,
            ),
            errors=errors,
            diagnostics={
                "mergedDuplicates": expected.merged,
                "mcpServerLinks": actual["assistant_mcp_server"],
                "knowledgeBaseLinks": actual["assistant_knowledge_base"],
                "tags": actual["tag"],
                "entityTags": actual["entity_tag"],
                "groups": actual["group"],
                "modelReferencesNulled": expected.models_nulled,
            },
        )


def _insert_batch(conn: sqlite3.Connection, batch: list[AssistantRows]) -> None:
    insert_rows(conn, "assistant", ASSISTANT_COLUMNS, [rows.assistant for rows in batch])
    insert_rows(
        conn, "assistant_mcp_server", _MCP_LINK_COLUMNS, [r for rows in batch for r in rows.mcp_links]
    )
    insert_rows(
        conn,
        "assistant_knowledge_base",
        _KNOWLEDGE_LINK_COLUMNS,
        [r for rows in batch for r in rows.knowledge_links],
    )
    insert_rows(conn, "entity_tag", _ENTITY_TAG_COLUMNS, [r for rows in batch for r in rows.tag_links])


def _count(db: sqlite3.Connection, sql: str) -> int:
    (value,) = db.execute(sql).fetchone()
    return int(value)
