"""Turning transformed assistants into target rows, given what earlier migrators published.

Every reference an assistant holds (MCP server, knowledge base, tag, group) is a ledger record of its
own kind: it becomes a row, or it is skipped with a reason (no hand-off published, target not
migrated, malformed, duplicate). References of a record that was merged into an earlier same-id record
are not counted: the merge decided which side's list is the assistant's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.order_keys import order_keys
from cherry_migrate.db.bulk import to_json
from cherry_migrate.migrators.assistant.transform import Reference, TransformedAssistant
from cherry_migrate.migrators.common.warning_log import WarningLog

LEGACY_DEFAULT_ID = "default"
ENTITY_TYPE = "assistant"

MCP_REFS_KIND = "redux:assistants.*.mcpServers"
KNOWLEDGE_REFS_KIND = "redux:assistants.*.knowledge_bases"
TAGS_KIND = "redux:assistants.*.tags"
GROUPS_KIND = "redux:assistants.*.group"

ASSISTANT_COLUMNS = (
    "id",
    "name",
    "prompt",
    "emoji",
    "description",
    "model_id",
    "group_id",
    "settings",
    "order_key",
    "created_at",
    "updated_at",
)
LINK_TIMESTAMP_COLUMNS = ("created_at", "updated_at")


@dataclass(frozen=True)
class LinkMaps:
    """The hand-offs of earlier migrators; None when the producer did not publish the key."""

    user_model_ids: frozenset[str] | None
    mcp_server_ids: Mapping[str, str] | None
    knowledge_base_ids: Mapping[str, str] | None


@dataclass
class AssistantRows:
    """One assistant's rows, written together in one batch."""

    assistant: tuple[Any, ...]
    mcp_links: list[tuple[Any, ...]] = field(default_factory=list)
    knowledge_links: list[tuple[Any, ...]] = field(default_factory=list)
    tag_links: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class WritePlan:
    assistants: list[AssistantRows] = field(default_factory=list)
    groups: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[Any, ...]] = field(default_factory=list)
    id_remap: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, dict[str, str]] = field(default_factory=dict)
    issues: WarningLog = field(default_factory=WarningLog)
    """Per-assistant problems, grouped by message with the assistant ids (never values)."""
    warnings: list[str] = field(default_factory=list)
    """Run-level warnings (a hand-off missing), each given once."""
    models_nulled: int = 0

    @property
    def assistant_ids(self) -> set[str]:
        return set(self.snapshots)

    def count(self, part: str) -> int:
        return sum(len(getattr(rows, part)) for rows in self.assistants)


def _ref_label(legacy_id: str, ref: Reference, field_name: str) -> str:
    """A ledger record id for one reference: the referenced legacy id, or its position when it has none."""
    if ref.value is None:
        return f"{legacy_id}.{field_name}[{ref.position}]"
    return f"{legacy_id}->{ref.value}"


_EXTRACTION_SKIP_DETAILS = {
    "invalid_reference": "the entry has no usable id",
    "duplicate_reference": "the assistant already links this target",
    "invalid_tag": "the tag is blank or not text",
    "duplicate_tag": "the assistant already has this tag",
    "invalid_group": "the group name is blank or not text",
    "duplicate_group": "the group name is repeated on the assistant",
    "extra_group": "v2 puts an assistant in one group; the first was kept",
}
"""Details of the skip reasons found while extracting references (see ``assistant_transform``)."""


class _Planner:
    def __init__(self, maps: LinkMaps, ledger: Ledger, now_ms: int) -> None:
        self.maps = maps
        self.ledger = ledger
        self.now_ms = now_ms
        self.plan = WritePlan()
        self.tag_ids: dict[str, str] = {}
        self.group_ids: dict[str, str] = {}
        self.unverified_models = 0

    def _skip(self, kind: str, reason: str, label: str, detail: str) -> None:
        self.ledger.skip(kind, reason, label, detail=detail)

    def _skip_extracted(self, kind: str, legacy_id: str, ref: Reference, field_name: str) -> bool:
        """Skip ``ref`` if extraction already found it unusable; True when it was skipped."""
        if ref.skip_reason is None:
            return False
        label = _ref_label(legacy_id, ref, field_name)
        self._skip(kind, ref.skip_reason, label, _EXTRACTION_SKIP_DETAILS[ref.skip_reason])
        return True

    def _resolved_links(
        self,
        legacy_id: str,
        refs: Sequence[Reference],
        *,
        kind: str,
        field_name: str,
        mapping: Mapping[str, str] | None,
        what: str,
    ) -> list[str]:
        """Target ids for ``refs`` through ``mapping``; every ref is counted in the ledger."""
        self.ledger.read(kind, len(refs))
        resolved: list[str] = []
        for ref in refs:
            if self._skip_extracted(kind, legacy_id, ref, field_name) or ref.value is None:
                continue
            label = _ref_label(legacy_id, ref, field_name)
            if mapping is None:
                self._skip(kind, f"{what}_map_missing", label, f"no {what} id map was published")
                continue
            target = mapping.get(ref.value)
            if target is None:
                self._skip(kind, f"{what}_not_migrated", label, f"the referenced {what} was not migrated")
            elif target in resolved:
                self._skip(
                    kind, "duplicate_reference", label, _EXTRACTION_SKIP_DETAILS["duplicate_reference"]
                )
            else:
                resolved.append(target)
                self.ledger.written(kind)
        return resolved

    def _tag_ids(self, legacy_id: str, refs: Sequence[Reference]) -> list[str]:
        self.ledger.read(TAGS_KIND, len(refs))
        ids: list[str] = []
        for ref in refs:
            if self._skip_extracted(TAGS_KIND, legacy_id, ref, "tags") or ref.value is None:
                continue
            tag_id = self.tag_ids.get(ref.value)
            if tag_id is None:
                tag_id = self.tag_ids[ref.value] = new_uuid4()
                self.plan.tags.append((tag_id, ref.value, None, self.now_ms, self.now_ms))
            ids.append(tag_id)
            self.ledger.written(TAGS_KIND)
        return ids

    def _group_id(self, legacy_id: str, refs: Sequence[Reference]) -> str | None:
        self.ledger.read(GROUPS_KIND, len(refs))
        chosen: str | None = None
        for ref in refs:
            if self._skip_extracted(GROUPS_KIND, legacy_id, ref, "group") or ref.value is None:
                continue
            chosen = self.group_ids.get(ref.value)
            if chosen is None:
                chosen = self.group_ids[ref.value] = new_uuid4()
            self.ledger.written(GROUPS_KIND)
        return chosen

    def _model_id(self, item: TransformedAssistant, legacy_id: str) -> str | None:
        if item.malformed_model:
            self.plan.issues.add("model reference is malformed, no model set, on assistants", legacy_id)
        ref = item.model_ref
        if ref is not None and self.maps.user_model_ids is None:
            self.unverified_models += 1
        if ref is None or self.maps.user_model_ids is None or ref in self.maps.user_model_ids:
            return ref
        self.plan.models_nulled += 1
        self.plan.issues.add(
            f"model '{ref}' is not among the migrated models, no model set, on assistants", legacy_id
        )
        return None

    def _note_issues(self, item: TransformedAssistant, legacy_id: str) -> None:
        for key in item.invalid_settings:
            self.plan.issues.add(
                f"settings '{key}' had a value v2 rejects, default used, on assistants", legacy_id
            )
        for key in item.unknown_settings:
            self.plan.issues.add(
                f"settings '{key}' is not a v2 assistant setting, dropped, on assistants", legacy_id
            )
        for key in item.wrong_type_fields:
            self.plan.issues.add(f"field '{key}' had the wrong type, default used, on assistants", legacy_id)

    def add(self, item: TransformedAssistant, order_key: str) -> None:
        # Reports name the legacy id (what the user's data shows); rows carry the target id.
        legacy_id = assistant_id = item.legacy_id
        if legacy_id == LEGACY_DEFAULT_ID:
            assistant_id = self.plan.id_remap[LEGACY_DEFAULT_ID] = new_uuid4()
        self._note_issues(item, legacy_id)
        model_id = self._model_id(item, legacy_id)
        mcp_ids = self._resolved_links(
            legacy_id,
            item.mcp_servers,
            kind=MCP_REFS_KIND,
            field_name="mcpServers",
            mapping=self.maps.mcp_server_ids,
            what="mcp_server",
        )
        kb_ids = self._resolved_links(
            legacy_id,
            item.knowledge_bases,
            kind=KNOWLEDGE_REFS_KIND,
            field_name="knowledge_bases",
            mapping=self.maps.knowledge_base_ids,
            what="knowledge_base",
        )
        tag_ids = self._tag_ids(legacy_id, item.tags)
        group_id = self._group_id(legacy_id, item.groups)
        now = self.now_ms
        row = (
            assistant_id,
            item.name,
            item.prompt,
            item.emoji,
            item.description,
            model_id,
            group_id,
            to_json(item.settings),
            order_key,
            now,
            now,
        )
        self.plan.assistants.append(
            AssistantRows(
                assistant=row,
                mcp_links=[(assistant_id, target, now, now) for target in mcp_ids],
                knowledge_links=[(assistant_id, target, now, now) for target in kb_ids],
                tag_links=[(ENTITY_TYPE, assistant_id, tag_id, now, now) for tag_id in tag_ids],
            )
        )
        self.plan.snapshots[assistant_id] = {"id": assistant_id, "name": item.name, "emoji": item.emoji}

    def finish(self) -> WritePlan:
        keys = order_keys(len(self.group_ids))
        self.plan.groups = [
            (group_id, ENTITY_TYPE, name, key, self.now_ms, self.now_ms)
            for (name, group_id), key in zip(self.group_ids.items(), keys, strict=True)
        ]
        maps = self.maps
        if self.unverified_models:
            self.plan.warnings.append(
                f"no migrated model list was published; {self.unverified_models} assistant model "
                "reference(s) kept unverified"
            )
        for name, mapping, kind in (
            ("MCP server", maps.mcp_server_ids, MCP_REFS_KIND),
            ("knowledge base", maps.knowledge_base_ids, KNOWLEDGE_REFS_KIND),
        ):
            skipped = self.ledger.kinds[kind].skipped_total if kind in self.ledger.kinds else 0
            if mapping is None and skipped:
                self.plan.warnings.append(
                    f"no {name} id map was published; {skipped} assistant {name} reference(s) skipped"
                )
            elif skipped:
                self.plan.warnings.append(f"{skipped} assistant {name} reference(s) skipped (see the ledger)")
        return self.plan


def plan_assistant_rows(
    items: Sequence[TransformedAssistant], maps: LinkMaps, ledger: Ledger, now_ms: int
) -> WritePlan:
    """Rows for ``items`` (in source order, which the order keys follow), recording every reference
    in ``ledger``. The legacy ``'default'`` id is replaced by a fresh UUIDv4 (``WritePlan.id_remap``)."""
    planner = _Planner(maps, ledger, now_ms)
    for item, key in zip(items, order_keys(len(items)), strict=True):
        planner.add(item, key)
    return planner.finish()
