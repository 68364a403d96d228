"""Dexie topic rows → topic rows and their message trees, one streamed batch at a time.

Memory holds one batch of topic rows (as the source yields them), the tree inputs of one topic, and
the blocks of one chunk of its messages, read from the scratch index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

import orjson

from cherry_migrate.core.ids import new_uuid7
from cherry_migrate.core.timestamps import to_epoch_ms
from cherry_migrate.migrators.chat.kinds import MESSAGES_KIND, TOPIC_META_KIND, TOPICS_KIND
from cherry_migrate.migrators.chat.message_ids import NormalizedIds, normalize_ids
from cherry_migrate.migrators.chat.message_rows import MessageRowWriter, PreparedMessage
from cherry_migrate.migrators.chat.messages import ROLES, activity_ms
from cherry_migrate.migrators.chat.run_state import ChatRun
from cherry_migrate.migrators.chat.topics import MergedTopic, TopicMeta, merge_topic
from cherry_migrate.migrators.chat.tree import ROOT, MessageTree, TreeInput, build_tree
from cherry_migrate.migrators.chat.writer import PENDING_ORDER_KEY, TopicOrderEntry

MESSAGE_CHUNK = 1000
EMPTY_PARTS = '{"parts":[]}'

AcceptedTopic = tuple[str, dict[str, Any], list[dict[str, Any]]]


class TopicPipeline:
    """``metas`` (Redux topic metadata by id) is consumed as topics are written; what is left at
    the end belongs to topics without a Dexie row. ``checkpoint`` runs between chunks of a large
    topic (cancellation)."""

    def __init__(
        self,
        run: ChatRun,
        target: sqlite3.Connection,
        metas: dict[str, TopicMeta],
        checkpoint: Callable[[], None],
    ) -> None:
        self._run = run
        self._target = target
        self._metas = metas
        self._checkpoint = checkpoint
        self._rows = MessageRowWriter(run)
        self._seen_topics: set[str] = set()
        self._skipped_ids: list[str] = []
        """Legacy ids of skipped messages, until the batch hands them to the index."""

    def process_batch(self, rows: list[Any]) -> int:
        """Write one batch of Dexie topic rows; returns the number of messages it held."""
        topics = [accepted for row in rows if (accepted := self._accept_topic(row)) is not None]
        all_messages = [message for _, _, messages in topics for message in messages]
        taken = self._ids_in_target(message.get("id") for message in all_messages)
        block_refs = [_block_refs(message) for message in all_messages]
        located = self._run.index.locate({ref for refs in block_refs for ref in refs})
        used_in_batch: set[str] = set()
        start = 0
        for topic_id, row, messages in topics:
            end = start + len(messages)
            self._topic(topic_id, row, messages, block_refs[start:end], taken, used_in_batch, located)
            start = end
        self._run.writer.flush()
        self._run.index.mark_skipped_messages(self._skipped_ids)
        self._skipped_ids.clear()
        return len(all_messages)

    def write_metadata_only_topics(self) -> None:
        """Redux topics without a Dexie row: kept when the user pinned, renamed or prompted them."""
        run = self._run
        for topic_id, meta in self._metas.items():
            topic = merge_topic(topic_id, {}, meta)
            run.counters.metadata_only_topics += 1
            if not topic.has_user_intent:
                run.ledger.skip(TOPIC_META_KIND, "empty_topic", topic_id, detail="metadata only, no messages")
                run.counters.topics_skipped += 1
                continue
            run.ledger.written(TOPIC_META_KIND)
            self._write_topic(self._fill_times(topic, []), None, None)
        self._metas.clear()
        run.writer.flush()

    # --- accepting rows ---------------------------------------------------------------------------

    def _accept_topic(self, row: Any) -> AcceptedTopic | None:
        ledger = self._run.ledger
        ledger.read(TOPICS_KIND)
        if not isinstance(row, dict):
            self._skip_topic("invalid_record", None, "a topic row that is not a JSON object")
            return None
        raw_messages = row.get("messages")
        messages_in = raw_messages if isinstance(raw_messages, list) else []
        topic_id = row.get("id")
        if not isinstance(topic_id, str) or not topic_id:
            self._skip_topic("missing_id", None, "a topic row without an id", messages_in)
            return None
        if topic_id in self._seen_topics:
            self._skip_topic("duplicate_id", topic_id, "a later row with the same id", messages_in)
            return None
        self._seen_topics.add(topic_id)
        ledger.read(MESSAGES_KIND, len(messages_in))
        messages: list[dict[str, Any]] = []
        for message in messages_in:
            if isinstance(message, dict):
                messages.append(message)
            else:
                ledger.skip(MESSAGES_KIND, "invalid_record", detail="a message that is not a JSON object")
                self._run.counters.messages_skipped += 1
        return topic_id, row, messages

    def _skip_topic(
        self, reason: str, topic_id: str | None, detail: str, messages: Sequence[Any] = ()
    ) -> None:
        run = self._run
        run.ledger.skip(TOPICS_KIND, reason, topic_id, detail=detail)
        run.counters.topics_skipped += 1
        run.ledger.read(MESSAGES_KIND, len(messages))
        for message in messages:
            message_id = message.get("id") if isinstance(message, dict) else None
            self._skip_message(message_id, "topic_skipped", "its topic row was skipped")

    def _skip_message(self, raw_id: Any, reason: str, detail: str) -> None:
        message_id = raw_id if isinstance(raw_id, str) and raw_id else None
        self._run.ledger.skip(MESSAGES_KIND, reason, message_id, detail=detail)
        self._run.counters.messages_skipped += 1
        if message_id is not None:
            self._skipped_ids.append(message_id)

    def _ids_in_target(self, ids: Iterable[Any]) -> set[str]:
        wanted = [value for value in ids if isinstance(value, str) and value]
        if not wanted:
            return set()
        rows = self._target.execute(
            "SELECT m.id FROM json_each(?) AS j JOIN message AS m ON m.id = j.value", (orjson.dumps(wanted),)
        )
        return {row[0] for row in rows}

    # --- one topic --------------------------------------------------------------------------------

    def _topic(
        self,
        topic_id: str,
        row: dict[str, Any],
        sources: list[dict[str, Any]],
        block_refs: list[list[str]],
        taken: set[str],
        used_in_batch: set[str],
        located: dict[str, int],
    ) -> None:
        run = self._run
        meta = self._metas.pop(topic_id, None)
        topic = merge_topic(topic_id, row, meta)
        if not sources and not topic.has_user_intent:
            run.ledger.skip(
                TOPICS_KIND, "empty_topic", topic_id, detail="no messages, not pinned, renamed or prompted"
            )
            if meta is not None:
                run.ledger.skip(TOPIC_META_KIND, "empty_topic", topic_id, detail="its topic has no messages")
            run.counters.topics_skipped += 1
            return
        if meta is not None:
            run.ledger.written(TOPIC_META_KIND)
        run.ledger.written(TOPICS_KIND)
        created = [to_epoch_ms(message.get("createdAt")) for message in sources]
        topic = self._fill_times(topic, [ms for ms in created if ms is not None])
        topic_created = topic.created_at or run.now_ms
        ids = normalize_ids(sources, taken, used_in_batch, lambda i: new_uuid7(created[i] or topic_created))
        for index in ids.renamed:
            run.counters.renamed_message_ids += 1
            run.findings.renamed_messages.add(ids.ids[index])

        messages, tree = self._message_tree(sources, ids, created, topic_created, block_refs, located)
        activity = [
            ms
            for m in messages
            if (ms := activity_ms(m.role, m.source.get("status"), m.created_at, m.updated_at)) is not None
        ]
        active_id = ids.ids[tree.active] if tree.active != ROOT else None
        root_id, assistant_id = self._write_topic(topic, active_id, max(activity) if activity else None)

        assistant = run.references.snapshot(assistant_id)
        kept_positions = [index for index, kept in enumerate(tree.kept) if kept]
        for start in range(0, len(messages), MESSAGE_CHUNK):
            positions = kept_positions[start : start + MESSAGE_CHUNK]
            parents = [ids.ids[tree.parents[p]] if tree.parents[p] != ROOT else root_id for p in positions]
            groups = [tree.sibling_groups[p] for p in positions]
            self._rows.write(topic_id, messages[start : start + MESSAGE_CHUNK], parents, groups, assistant)
            run.writer.maybe_flush()
            self._checkpoint()

    def _message_tree(
        self,
        sources: list[dict[str, Any]],
        ids: NormalizedIds,
        created: list[int | None],
        topic_created: int,
        block_refs: list[list[str]],
        located: dict[str, int],
    ) -> tuple[list[PreparedMessage], MessageTree]:
        """The kept messages, in order, and the tree over all of them. A message without a readable
        time takes the previous one's, so the conversation order survives."""
        messages: list[PreparedMessage] = []
        nodes: list[TreeInput] = []
        previous_ms = topic_created
        for index, source in enumerate(sources):
            created_ms = previous_ms = created[index] or previous_ms
            message = self._prepare_message(source, ids.ids[index], created_ms, block_refs[index], located)
            if message is not None:
                messages.append(message)
            nodes.append(
                TreeInput(
                    id=ids.ids[index],
                    role=str(source.get("role")),
                    ask_id=ids.ask_ids[index],
                    fold_selected=source.get("foldSelected") is True,
                    kept=message is not None,
                )
            )
        tree = build_tree(nodes)
        self._run.counters.promoted_to_root += tree.promoted_to_root
        return messages, tree

    def _fill_times(self, topic: MergedTopic, message_times: list[int]) -> MergedTopic:
        """Missing topic times from its messages (earliest, latest), else the run's time."""
        created, updated = topic.created_at, topic.updated_at
        if message_times:
            created = created if created is not None else min(message_times)
            updated = updated if updated is not None else max(message_times)
        if created is None or updated is None:
            self._run.counters.topics_without_timestamps += 1
            self._run.findings.untimed_topics.add(topic.id)
            created = created if created is not None else self._run.now_ms
            updated = updated if updated is not None else max(created, self._run.now_ms)
        return replace(topic, created_at=created, updated_at=updated)

    def _prepare_message(
        self,
        source: dict[str, Any],
        message_id: str,
        created_ms: int,
        refs: list[str],
        located: dict[str, int],
    ) -> PreparedMessage | None:
        """The message ready to write, or None (recorded as skipped) when it is not kept."""
        run = self._run
        role = source.get("role")
        if role not in ROLES:
            self._skip_message(source.get("id"), "invalid_role", "role is not user, assistant or system")
            return None
        rows = [located[ref] for ref in refs if ref in located]
        if len(rows) < len(refs):
            run.counters.messages_with_missing_blocks += 1
            run.counters.missing_block_refs += len(refs) - len(rows)
            run.findings.messages_missing_blocks.add(message_id)
        if not rows and source.get("type") != "clear":
            self._skip_message(source.get("id"), "no_blocks", "none of its blocks exists")
            return None
        updated_ms = to_epoch_ms(source.get("updatedAt")) or created_ms
        return PreparedMessage(source, message_id, str(role), rows, created_ms, updated_ms)

    def _write_topic(
        self, topic: MergedTopic, active_id: str | None, last_activity: int | None
    ) -> tuple[str, str | None]:
        """Queue the topic row and its virtual root message; returns (root id, assistant id)."""
        run = self._run
        created_at, updated_at = topic.created_at or run.now_ms, topic.updated_at or run.now_ms
        assistant_id = run.references.assistant(topic.legacy_assistant_id)
        if assistant_id is None:
            run.counters.orphaned_assistant_topics += 1
            run.findings.orphaned_topics.add(topic.id)
        last_activity_at = last_activity if last_activity is not None else updated_at
        run.writer.add_topic(
            (
                topic.id,
                topic.name,
                int(topic.name_edited),
                assistant_id,
                active_id,
                PENDING_ORDER_KEY,
                last_activity_at,
                created_at,
                updated_at,
            ),
            TopicOrderEntry(topic.id, last_activity_at, updated_at, topic.pinned),
        )
        root_id = new_uuid7(created_at)
        root = (
            root_id,
            None,
            topic.id,
            "root",
            EMPTY_PARTS,
            "success",
            0,
            None,
            None,
            None,
            created_at,
            created_at,
        )
        run.writer.add_messages([root])
        run.counters.topics_written += 1
        run.counters.pinned_topics += int(topic.pinned)
        if topic.prompt.strip():
            run.findings.prompt_candidates.append(
                {
                    "topic_id": topic.id,
                    "name": topic.name,
                    "assistant_id": topic.legacy_assistant_id,
                    "prompt": topic.prompt,
                    "created_at": created_at,
                    "updated_at": updated_at,
                }
            )
        return root_id, assistant_id


def _block_refs(message: dict[str, Any]) -> list[str]:
    """The message's block ids, in order, each once."""
    blocks = message.get("blocks")
    if not isinstance(blocks, list):
        return []
    return list(dict.fromkeys(ref for ref in blocks if isinstance(ref, str) and ref))
