"""Checks on the written chats, each one set-based SQL statement (fast on millions of messages)."""

from __future__ import annotations

import sqlite3

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.types import ValidateResult, ValidationError, ValidationStats
from cherry_migrate.migrators.chat.diagnostics import ChatCounters
from cherry_migrate.migrators.chat.kinds import TOPICS_KIND

_ORPHAN_MESSAGES = """SELECT count(*) FROM message AS m
WHERE NOT EXISTS (SELECT 1 FROM topic AS t WHERE t.id = m.topic_id)"""

_PARENT_PROBLEMS = """SELECT coalesce(sum(p.id IS NULL), 0), coalesce(sum(p.topic_id != m.topic_id), 0)
FROM message AS m LEFT JOIN message AS p ON p.id = m.parent_id
WHERE m.parent_id IS NOT NULL"""

# The partial unique index on roots (parent_id IS NULL AND deleted_at IS NULL) answers the inner count.
_ROOT_PROBLEMS = """SELECT coalesce(sum(roots = 0), 0), coalesce(sum(roots > 1), 0) FROM (
  SELECT (SELECT count(*) FROM message AS m
          WHERE m.topic_id = t.id AND m.parent_id IS NULL AND m.deleted_at IS NULL) AS roots
  FROM topic AS t)"""

_REACHABLE = """WITH RECURSIVE reached(id) AS (
  SELECT id FROM message WHERE parent_id IS NULL
  UNION ALL
  SELECT m.id FROM message AS m JOIN reached AS r ON m.parent_id = r.id)
SELECT count(*) FROM reached"""

_TOPIC_PINS = """SELECT count(*) FROM pin AS p JOIN topic AS t ON t.id = p.entity_id
WHERE p.entity_type = 'topic'"""


def validate_chat(conn: sqlite3.Connection, ledger: Ledger, counters: ChatCounters) -> ValidateResult:
    topics = _scalar(conn, "SELECT count(*) FROM topic")
    messages = _scalar(conn, "SELECT count(*) FROM message")
    pins = _scalar(conn, _TOPIC_PINS)
    orphans = _scalar(conn, _ORPHAN_MESSAGES)
    dangling, cross_topic = conn.execute(_PARENT_PROBLEMS).fetchone()
    rootless, multi_root = conn.execute(_ROOT_PROBLEMS).fetchone()
    unreachable = messages - _scalar(conn, _REACHABLE)
    file_refs = _scalar(conn, "SELECT count(*) FROM chat_message_file_ref")

    expected_messages = counters.messages_written + counters.topics_written
    errors = [
        error
        for error in (
            _low("topic_count_low", "topics", counters.topics_written, topics),
            _low("message_count_low", "messages (virtual roots included)", expected_messages, messages),
            _low("pin_count_low", "topic pins", counters.pinned_topics, pins),
            _problem("orphan_messages", orphans, "message(s) belong to no topic"),
            _problem("dangling_parent_ids", dangling, "message(s) have a parent_id that matches no message"),
            _problem("cross_topic_parents", cross_topic, "message(s) have a parent in another topic"),
            _problem(
                "unreachable_messages", unreachable, "message(s) cannot be reached from their topic's root"
            ),
            _problem("rootless_topics", rootless, "topic(s) have no root message"),
            _problem("multi_root_topics", multi_root, "topic(s) have more than one root message"),
        )
        if error is not None
    ]
    read = ledger.kinds[TOPICS_KIND].read if TOPICS_KIND in ledger.kinds else 0
    diagnostics = counters.as_dict()
    diagnostics["file_ref_rows"] = file_refs
    return ValidateResult(
        success=not errors,
        stats=ValidationStats(
            source_count=read + counters.metadata_only_topics,
            target_count=topics,
            skipped_count=counters.topics_skipped,
        ),
        errors=errors,
        diagnostics=diagnostics,
    )


def _scalar(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def _low(key: str, what: str, expected: int, actual: int) -> ValidationError | None:
    if actual >= expected:
        return None
    return ValidationError(
        key, f"Chats: {actual} {what} in the target, expected {expected}", expected, actual
    )


def _problem(key: str, count: int, what: str) -> ValidationError | None:
    if not count:
        return None
    return ValidationError(key, f"Chats: {count} {what}", 0, count)
