"""PromptMigrator: quick phrases, assistants' regular phrases and topic prompts → ``prompt`` (+
``prompt_binding``) (migrators.md §3.16, upstream README-PromptMigrator).

* Dexie quick phrases are ``global``.
* An assistant's phrase is ``restricted`` and bound to its assistant (legacy id resolved through
  ``LEGACY_ASSISTANT_ID_REMAP`` and checked against ``ASSISTANT_IDS``); when that assistant was not
  migrated the prompt stays ``restricted`` without a binding: visible in prompt management, offered
  to no unrelated assistant.
* A topic prompt (v2 topics have no prompt field) is bound to the topic's assistant when it was
  migrated, else ``global``; its title is the topic name.

A phrase keeps its v1 id when that is a UUID no earlier prompt took; otherwise it gets a new UUIDv4.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.order_keys import order_keys, order_keys_by_scope
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.db.transaction import transaction
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.row_checks import count_rows, row_based_result, row_count_error
from cherry_migrate.migrators.common.warning_log import WarningLog
from cherry_migrate.migrators.mappings.prompt import is_uuid, prompt_timestamps
from cherry_migrate.migrators.prompt.sources import (
    ASSISTANT_SLOTS,
    QUICK_PHRASES_KIND,
    QUICK_PHRASES_TABLE,
    TOPIC_PROMPTS_KIND,
    PromptCandidate,
    assistant_phrase_candidates,
    quick_phrase_candidates,
    slot_assistants,
    topic_prompt_candidates,
)

BATCH_SIZE = 500
_PROMPT_COLUMNS = ("id", "title", "content", "visibility", "order_key", "created_at", "updated_at")
_BINDING_COLUMNS = ("prompt_id", "target_type", "target_id", "order_key", "created_at", "updated_at")


class AssistantResolver:
    """Legacy assistant id → the id of the migrated assistant, or None when it was not migrated."""

    def __init__(self, shared_data: Mapping[str, Any]) -> None:
        remap = shared_data.get(shared_keys.LEGACY_ASSISTANT_ID_REMAP)
        self.remap: Mapping[str, str] = remap if isinstance(remap, Mapping) else {}
        self.migrated: set[str] | None = shared_data.get(shared_keys.ASSISTANT_IDS)

    def resolve(self, legacy_id: str) -> str | None:
        assistant_id = self.remap.get(legacy_id, legacy_id)
        return assistant_id if self.migrated is not None and assistant_id in self.migrated else None


@dataclass(frozen=True)
class _Binding:
    prompt_id: str
    assistant_id: str


class PromptMigrator(BaseMigrator):
    id = "prompt"
    name = "Prompt"
    description = "Migrate quick phrases, assistant phrases and topic prompts"
    order = 5.5
    owned_tables = ("prompt", "prompt_binding")

    def __init__(self) -> None:
        super().__init__()
        self._prompts_written = 0
        self._bindings_written = 0

    def reset(self) -> None:
        super().reset()
        self._prompts_written = 0
        self._bindings_written = 0

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        dexie = ctx.sources.dexie
        count = dexie.count(QUICK_PHRASES_TABLE) if dexie.table_exists(QUICK_PHRASES_TABLE) else 0
        state = ctx.sources.redux.get_category("assistants")
        if isinstance(state, Mapping):
            for slot in ASSISTANT_SLOTS:
                for assistant in slot_assistants(state, slot):
                    phrases = assistant.get("regularPhrases") if isinstance(assistant, Mapping) else None
                    count += len(phrases) if isinstance(phrases, list) else 0
        return PrepareResult(success=True, item_count=count)

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        warnings: list[str] = []
        candidates = [
            *quick_phrase_candidates(ctx.sources.dexie, self.ledger),
            *assistant_phrase_candidates(ctx.sources.redux, self.ledger),
            *topic_prompt_candidates(
                ctx.shared_data.get(shared_keys.TOPIC_PROMPT_CANDIDATES), self.ledger, warnings
            ),
        ]
        resolver = AssistantResolver(ctx.shared_data)
        notes = WarningLog()
        taken: set[str] = set()
        prompt_rows: list[tuple[Any, ...]] = []
        bindings: list[_Binding] = []
        for candidate, order_key in zip(candidates, order_keys(len(candidates)), strict=True):
            prompt_id = self._prompt_id(candidate, taken, notes)
            assistant_id = resolver.resolve(candidate.assistant_id) if candidate.assistant_id else None
            if assistant_id is not None:
                bindings.append(_Binding(prompt_id, assistant_id))
            elif candidate.kind != QUICK_PHRASES_KIND:
                notes.add(_unbound_note(candidate, resolver), candidate.record_id)
            stamps = prompt_timestamps(candidate.created, candidate.updated, ctx.now_ms)
            visibility = _visibility(candidate, bound=assistant_id is not None)
            prompt_rows.append(
                (
                    prompt_id,
                    candidate.title,
                    candidate.content,
                    visibility,
                    order_key,
                    stamps.created_at,
                    stamps.updated_at,
                )
            )
        binding_rows = [
            (b.prompt_id, "assistant", b.assistant_id, key, ctx.now_ms, ctx.now_ms)
            for b, key in zip(bindings, order_keys_by_scope(bindings, lambda b: b.assistant_id), strict=True)
        ]
        self._write(ctx, prompt_rows, binding_rows)
        warnings += notes.messages()
        return ExecuteResult(success=True, processed_count=len(prompt_rows), warnings=warnings)

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        target = count_rows(ctx.db, "prompt")
        checks = (
            row_count_error("prompt", self._prompts_written, target),
            row_count_error("prompt_binding", self._bindings_written, count_rows(ctx.db, "prompt_binding")),
        )
        return row_based_result(self.ledger, self._prompts_written, target, [e for e in checks if e])

    def _write(
        self, ctx: MigrationContext, prompts: list[tuple[Any, ...]], bindings: list[tuple[Any, ...]]
    ) -> None:
        with transaction(ctx.db):
            for start in range(0, len(prompts), BATCH_SIZE):
                ctx.cancel.raise_if_cancelled()
                insert_rows(ctx.db, "prompt", _PROMPT_COLUMNS, prompts[start : start + BATCH_SIZE])
                done = min(start + BATCH_SIZE, len(prompts))
                self.report_progress(90 * done / len(prompts), f"Migrated {done}/{len(prompts)} prompts")
            insert_rows(ctx.db, "prompt_binding", _BINDING_COLUMNS, bindings)
        self._prompts_written = len(prompts)
        self._bindings_written = len(bindings)
        self.report_progress(100, f"Migrated {len(prompts)} prompts")

    @staticmethod
    def _prompt_id(candidate: PromptCandidate, taken: set[str], notes: WarningLog) -> str:
        legacy = candidate.legacy_id
        if is_uuid(legacy) and str(legacy).lower() not in taken:
            prompt_id = str(legacy)
        else:
            prompt_id = new_uuid4()
            if is_uuid(legacy):
                notes.add("Prompts whose id an earlier prompt already used got a new id", candidate.record_id)
        taken.add(prompt_id.lower())
        return prompt_id


def _visibility(candidate: PromptCandidate, *, bound: bool) -> str:
    if candidate.kind == QUICK_PHRASES_KIND:
        return "global"
    if candidate.kind == TOPIC_PROMPTS_KIND and not bound:
        return "global"
    return "restricted"


def _unbound_note(candidate: PromptCandidate, resolver: AssistantResolver) -> str:
    """Why an assistant's phrase or a topic prompt has no binding (grouped into one warning each)."""
    if candidate.kind == TOPIC_PROMPTS_KIND:
        return "Topic prompts made global because their assistant was not migrated"
    if candidate.assistant_id is None:
        return "Assistant phrases kept unbound because their assistant has no id"
    if resolver.migrated is None:
        return "Assistant phrases kept unbound because no migrated assistants were handed over"
    return "Assistant phrases kept unbound because their assistant was not migrated"
