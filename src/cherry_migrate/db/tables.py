"""The tables a migration run fills, and clearing them before a run (target-schema.md §6)."""

from __future__ import annotations

import sqlite3

from cherry_migrate.db.fts import message_fts_bulk_load
from cherry_migrate.db.quoting import quote_identifier
from cherry_migrate.db.transaction import atomic

#: Every migration-written table, children before parents.
#:
#: Derived from upstream's latest ``MIGRATION_TARGET_TABLES`` restricted to our tables, with two
#: changes so the order is child→parent for every foreign key (upstream relies on foreign keys
#: being off): the file-reference tables come first, before their owners (``message``,
#: ``painting``, ``user_provider``, ``mini_app``, ``translate_history``) rather than just before
#: ``file_entry``; and ``user_model``/``user_provider`` come after every table that references a
#: model (``message``, ``assistant``, ``knowledge_base``, whose ``embedding_model_id`` has
#: ``ON DELETE NO ACTION``). ``mini_app_file_ref`` and ``translate_history_file_ref`` are
#: included because their owners are cleared. ``app_state`` is not: it holds the migration
#: status record and seed journal, which a run must not erase (as upstream).
MIGRATION_TARGET_TABLES: tuple[str, ...] = (
    "chat_message_file_ref",
    "painting_file_ref",
    "provider_logo_file_ref",
    "mini_app_logo_file_ref",
    "mini_app_file_ref",
    "translate_history_file_ref",
    "pin",
    "entity_tag",
    "tag",
    "message",
    "topic",
    "painting",
    "assistant_mcp_server",
    "assistant_knowledge_base",
    "assistant",
    "mcp_server",
    "mini_app",
    "preference",
    "note",
    "translate_history",
    "translate_language",
    "knowledge_item",
    "knowledge_base",
    "user_model",
    "user_provider",
    "group",
    "prompt_binding",
    "prompt",
    "file_entry",
)


def clear_migration_tables(conn: sqlite3.Connection) -> dict[str, int]:
    """Delete every row of :data:`MIGRATION_TARGET_TABLES` in one transaction.

    Returns the number of rows deleted per table, in delete order (upstream warns about
    non-empty tables). Joins the caller's transaction if one is open. ``message`` is deleted in
    FTS bulk mode, so a large table is truncated at once instead of firing the FTS delete
    trigger for every row; ``message_fts`` is rebuilt empty on the way out.
    """
    deleted: dict[str, int] = {}
    with atomic(conn), message_fts_bulk_load(conn):
        for table in MIGRATION_TARGET_TABLES:
            deleted[table] = conn.execute(f"DELETE FROM {quote_identifier(table)}").rowcount
    return deleted
