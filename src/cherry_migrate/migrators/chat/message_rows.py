"""Kept legacy messages → ``message`` rows (parts from their blocks) and file references."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from cherry_migrate.db.bulk import to_json
from cherry_migrate.migrators.chat.block_index import Outcome
from cherry_migrate.migrators.chat.blocks import KNOWN_BLOCK_TYPES, Part, attach_references, block_to_parts
from cherry_migrate.migrators.chat.kinds import FILE_REFS_KIND, MESSAGES_KIND
from cherry_migrate.migrators.chat.messages import legacy_model_ref, message_snapshot, normalize_status
from cherry_migrate.migrators.chat.run_state import ChatRun
from cherry_migrate.migrators.chat.stats import merge_stats

CLEAR_PART: Part = {"type": "data-clear", "data": {}}
"""v2's context-boundary marker, the part a v1 ``type: 'clear'`` message becomes."""


@dataclass(slots=True)
class PreparedMessage:
    """A kept legacy message with its final id, times and the index rows of its blocks."""

    source: dict[str, Any]
    id: str
    role: str
    block_rows: list[int]
    created_at: int
    updated_at: int


class MessageRowWriter:
    def __init__(self, run: ChatRun) -> None:
        self._run = run

    def write(
        self,
        topic_id: str,
        chunk: list[PreparedMessage],
        parents: list[str],
        groups: list[int],
        assistant: dict[str, Any] | None,
    ) -> None:
        """Queue the rows of ``chunk`` (parent ids and sibling groups aligned with it); the blocks
        of the whole chunk are read from the index in one query."""
        run = self._run
        payloads = run.index.fetch({row for message in chunk for row in message.block_rows})
        blocks = {row: orjson.loads(payload) for row, payload in payloads.items()}
        used: list[tuple[int, int]] = []
        rows: list[tuple[object, ...]] = []
        for message, parent_id, group in zip(chunk, parents, groups, strict=True):
            source = message.source
            run.images.timestamp_ms = message.created_at
            parts: list[Part] = []
            references: list[dict[str, Any]] = []
            for block_row in message.block_rows:
                block = blocks[block_row]
                result = block_to_parts(block, run.images)
                used.append((block_row, _outcome(block, result.empty)))
                parts.extend(result.parts)
                references.extend(result.references)
            attach_references(parts, references)
            if source.get("type") == "clear":
                parts.append(dict(CLEAR_PART))
            self._file_refs(message, parts)
            snapshot = message_snapshot(message.role, assistant, source.get("model"))
            stats = merge_stats(source.get("usage"), source.get("metrics"))
            rows.append(
                (
                    message.id,
                    parent_id,
                    topic_id,
                    message.role,
                    to_json({"parts": parts}),
                    normalize_status(source.get("status")),
                    group,
                    self._model_id(message),
                    to_json(snapshot) if snapshot is not None else None,
                    to_json(stats) if stats is not None else None,
                    message.created_at,
                    message.updated_at,
                )
            )
        run.index.mark_used(used)
        run.writer.add_file_entries(run.images.take_rows())
        run.writer.add_messages(rows)
        run.ledger.written(MESSAGES_KIND, len(rows))
        run.counters.messages_written += len(rows)

    def _model_id(self, message: PreparedMessage) -> str | None:
        ref = legacy_model_ref(message.source)
        model_id = self._run.references.model(ref)
        if ref is not None and model_id is None:
            self._run.counters.unknown_model_refs += 1
            self._run.findings.unknown_models.add(message.id)
        return model_id

    def _file_refs(self, message: PreparedMessage, parts: list[Part]) -> None:
        """One attachment ref per distinct file entry of the message, when the entry exists."""
        run = self._run
        promoted = run.images.take_promoted_ids()
        seen: set[str] = set()
        for part in parts:
            if part.get("type") != "file":
                continue
            file_entry_id = part.get("providerMetadata", {}).get("cherry", {}).get("fileEntryId")
            if not isinstance(file_entry_id, str) or file_entry_id in seen:
                continue
            seen.add(file_entry_id)
            run.ledger.read(FILE_REFS_KIND)
            if file_entry_id in promoted or run.references.file_entry_exists(file_entry_id):
                run.writer.add_file_ref(file_entry_id, message.id, message.created_at)
                run.ledger.written(FILE_REFS_KIND)
                run.counters.file_refs_inserted += 1
                continue
            known = run.references.file_entry_ids is not None
            run.ledger.skip(
                FILE_REFS_KIND,
                "file_entry_missing" if known else "file_entries_unknown",
                file_entry_id,
                detail=f"referenced by message {message.id}",
            )
            run.counters.file_refs_dangling += 1
            run.findings.dangling_file_refs.add(file_entry_id)


def _outcome(block: Any, empty: bool) -> int:
    if not empty:
        return Outcome.WRITTEN
    if isinstance(block, dict) and block.get("type") in KNOWN_BLOCK_TYPES:
        return Outcome.EMPTY
    return Outcome.UNKNOWN_TYPE
