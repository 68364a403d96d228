"""Builders for hand-made legacy chat data and readers for the rows the migrator writes."""

from __future__ import annotations

import sqlite3
from typing import Any

import orjson

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.types import ValidateResult
from cherry_migrate.migrators.chat import ChatMigrator

T0 = "2025-01-01T00:00:00.000Z"
T0_MS = 1_735_689_600_000


def iso(minutes: int) -> str:
    """T0 plus ``minutes``, as v1 wrote timestamps."""
    return f"2025-01-01T{minutes // 60:02d}:{minutes % 60:02d}:00.000Z"


def ms(minutes: int) -> int:
    return T0_MS + minutes * 60_000


def msg(message_id: str, role: str = "assistant", minute: int = 0, **extra: Any) -> dict[str, Any]:
    """A message with one main_text block named ``b-<id>`` unless ``blocks`` is given."""
    message: dict[str, Any] = {
        "id": message_id,
        "role": role,
        "assistantId": "a1",
        "topicId": "t1",
        "createdAt": iso(minute),
        "status": "success",
        "blocks": [f"b-{message_id}"],
    }
    message.update(extra)
    return message


def text_block(message_id: str, content: str | None = None, **extra: Any) -> dict[str, Any]:
    block: dict[str, Any] = {
        "id": f"b-{message_id}",
        "messageId": message_id,
        "type": "main_text",
        "createdAt": T0,
        "status": "success",
        "content": content if content is not None else f"text of {message_id}",
    }
    block.update(extra)
    return block


def block(block_id: str, message_id: str, block_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": block_id,
        "messageId": message_id,
        "type": block_type,
        "createdAt": T0,
        "status": "success",
        **extra,
    }


def blocks_for(*messages: dict[str, Any]) -> list[dict[str, Any]]:
    """One main_text block for each message that uses the default block id."""
    return [text_block(m["id"]) for m in messages if m.get("blocks") == [f"b-{m['id']}"]]


def assistants_slice(*topics: Any, assistant_id: str = "a1", **default: Any) -> dict[str, Any]:
    state: dict[str, Any] = {"assistants": [{"id": assistant_id, "name": "A", "topics": list(topics)}]}
    if default:
        state["defaultAssistant"] = default
    return state


def topic_meta(topic_id: str, **fields: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"id": topic_id, "name": f"Topic {topic_id}", "createdAt": T0, "updatedAt": T0}
    meta.update(fields)
    return meta


def shared(
    assistants: tuple[str, ...] = ("a1",), models: tuple[str, ...] = (), files: tuple[str, ...] = ()
) -> dict:
    return {
        "assistant_ids": set(assistants),
        "legacy_assistant_id_remap": {},
        "assistant_snapshots": {a: {"id": a, "name": f"Assistant {a}", "emoji": "🤖"} for a in assistants},
        "user_model_ids": set(models),
        "file_entry_ids": set(files),
    }


def run(ctx: MigrationContext) -> tuple[ChatMigrator, ValidateResult]:
    migrator = ChatMigrator()
    migrator.reset()
    assert migrator.prepare(ctx).success
    result = migrator.execute(ctx)
    assert result.success
    validated = migrator.validate(ctx)
    assert validated.errors == [], validated.errors
    assert migrator.ledger.unbalanced() == {}, migrator.ledger.to_dict()
    return migrator, validated


def rows(conn: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def messages_by_id(conn: sqlite3.Connection, topic_id: str | None = None) -> dict[str, dict[str, Any]]:
    """Message rows keyed by id, with ``data``/``stats``/``message_snapshot`` parsed."""
    sql = "SELECT * FROM message" + (" WHERE topic_id = ?" if topic_id else "") + " ORDER BY rowid"
    out = {}
    for row in rows(conn, sql, *([topic_id] if topic_id else [])):
        for key in ("data", "stats", "message_snapshot"):
            if row[key] is not None:
                row[key] = orjson.loads(row[key])
        out[row["id"]] = row
    return out


def root_id(conn: sqlite3.Connection, topic_id: str) -> str:
    (value,) = conn.execute(
        "SELECT id FROM message WHERE topic_id = ? AND role = 'root'", (topic_id,)
    ).fetchone()
    return str(value)


def parents(conn: sqlite3.Connection, topic_id: str) -> dict[str, str | None]:
    """``{message id: parent id}``, the root's id written as ``'ROOT'``."""
    root = root_id(conn, topic_id)
    return {
        mid: ("ROOT" if pid == root else pid)
        for mid, pid in conn.execute(
            "SELECT id, parent_id FROM message WHERE topic_id = ? AND role != 'root' ORDER BY rowid",
            (topic_id,),
        )
    }


def skip_reasons(migrator: ChatMigrator, kind: str) -> dict[str, int]:
    return {reason: bucket.count for reason, bucket in migrator.ledger.kinds[kind].skipped.items()}


def skipped_ids(migrator: ChatMigrator, kind: str, reason: str) -> list[str]:
    return list(migrator.ledger.kinds[kind].skipped[reason].ids)
