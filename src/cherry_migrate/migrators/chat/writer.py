"""Buffered inserts into the target: topics, messages, promoted file entries and file references.

Rows collect until about ``FLUSH_MESSAGES`` messages are pending and are then written with one
``executemany`` per table, so memory stays bounded by the buffer whatever the size of the profile.
The caller holds one transaction around all of it: committing per flush would checkpoint (and
sync) the WAL over and over. Order keys and pins are written last, once every topic's activity
is known.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.order_keys import order_keys
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.migrators.chat.images import FILE_ENTRY_COLUMNS

FLUSH_MESSAGES = 2000

TOPIC_COLUMNS = (
    "id",
    "name",
    "is_name_manually_edited",
    "assistant_id",
    "active_node_id",
    "order_key",
    "last_activity_at",
    "created_at",
    "updated_at",
)
MESSAGE_COLUMNS = (
    "id",
    "parent_id",
    "topic_id",
    "role",
    "data",
    "status",
    "siblings_group_id",
    "model_id",
    "message_snapshot",
    "stats",
    "created_at",
    "updated_at",
)
FILE_REF_COLUMNS = ("id", "file_entry_id", "source_id", "role", "created_at", "updated_at")
PIN_ENTITY_TYPE = "topic"
PENDING_ORDER_KEY = ""
"""Placeholder until :meth:`ChatWriter.finish` knows the global order."""


@dataclass(frozen=True, slots=True)
class TopicOrderEntry:
    topic_id: str
    last_activity_at: int
    updated_at: int
    pinned: bool


class ChatWriter:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._topics: list[tuple[object, ...]] = []
        self._messages: list[tuple[object, ...]] = []
        self._file_entries: list[tuple[object, ...]] = []
        self._file_refs: list[tuple[object, ...]] = []
        self._order: list[TopicOrderEntry] = []

    def add_topic(self, row: tuple[object, ...], order: TopicOrderEntry) -> None:
        self._topics.append(row)
        self._order.append(order)

    def add_messages(self, rows: Sequence[tuple[object, ...]]) -> None:
        self._messages.extend(rows)

    def add_file_entries(self, rows: Sequence[tuple[object, ...]]) -> None:
        self._file_entries.extend(rows)

    def add_file_ref(self, file_entry_id: str, message_id: str, created_at: int) -> None:
        self._file_refs.append((new_uuid4(), file_entry_id, message_id, "attachment", created_at, created_at))

    def maybe_flush(self) -> None:
        if len(self._messages) >= FLUSH_MESSAGES:
            self.flush()

    def flush(self) -> None:
        if not (self._topics or self._messages or self._file_entries or self._file_refs):
            return
        insert_rows(self._conn, "topic", TOPIC_COLUMNS, self._topics)
        insert_rows(self._conn, "file_entry", FILE_ENTRY_COLUMNS, self._file_entries)
        insert_rows(self._conn, "message", MESSAGE_COLUMNS, self._messages)
        insert_rows(self._conn, "chat_message_file_ref", FILE_REF_COLUMNS, self._file_refs)
        self._topics.clear()
        self._messages.clear()
        self._file_entries.clear()
        self._file_refs.clear()

    def finish(self, now_ms: int) -> None:
        """Flush, then give topics one order (most recent activity first) and pin the pinned ones
        in the same order (a topic already pinned keeps its pin)."""
        self.flush()
        ordered = sorted(self._order, key=lambda e: (-e.last_activity_at, -e.updated_at, e.topic_id))
        pinned = [entry.topic_id for entry in ordered if entry.pinned]
        self._conn.executemany(
            "UPDATE topic SET order_key = ? WHERE id = ?",
            zip(order_keys(len(ordered)), (entry.topic_id for entry in ordered), strict=True),
        )
        self._conn.executemany(
            """INSERT INTO pin (id, entity_type, entity_id, order_key, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            (
                (new_uuid4(), PIN_ENTITY_TYPE, topic_id, key, now_ms, now_ms)
                for topic_id, key in zip(pinned, order_keys(len(pinned)), strict=True)
            ),
        )
