"""MIGRATION_TARGET_TABLES covers the schema in child→parent order; clearing empties it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cherry_migrate.db.connection import foreign_key_violations, open_target_db, transaction
from cherry_migrate.db.tables import MIGRATION_TARGET_TABLES, clear_migration_tables

NOT_CLEARED = {"app_state"}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_target_db(tmp_path / "target.sqlite")
    yield conn
    conn.close()


def schema_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'message_fts%' AND name != 'schema_migrations'"
    )
    return {name for (name,) in rows}


def fill_every_table(conn: sqlite3.Connection) -> None:
    """One consistent row per table (a full object graph), plus an app_state row."""
    rows: list[tuple[str, dict[str, object]]] = [
        ("app_state", {"key": "migration_v2_status", "value": '{"status":"failed"}'}),
        ("preference", {"key": "app.language", "value": '"en"'}),
        ("group", {"id": "g", "entity_type": "assistant", "name": "G", "order_key": "a0"}),
        ("tag", {"id": "tag", "name": "work"}),
        ("entity_tag", {"entity_type": "assistant", "entity_id": "a", "tag_id": "tag"}),
        ("pin", {"id": "pin", "entity_type": "topic", "entity_id": "t", "order_key": "a0"}),
        ("user_provider", {"provider_id": "p", "name": "P", "order_key": "a0"}),
        (
            "user_model",
            {"id": "p::m", "provider_id": "p", "model_id": "m", "preset_model_id": "m", "order_key": "a0"},
        ),
        (
            "assistant",
            {
                "id": "a",
                "name": "A",
                "emoji": ":)",
                "settings": "{}",
                "order_key": "a0",
                "model_id": "p::m",
                "group_id": "g",
            },
        ),
        ("mcp_server", {"id": "mcp", "name": "M"}),
        (
            "knowledge_base",
            {
                "id": "kb",
                "name": "KB",
                "status": "completed",
                "embedding_model_id": "p::m",
                "dimensions": 3,
                "chunk_size": 1,
                "chunk_overlap": 0,
                "group_id": "g",
            },
        ),
        (
            "knowledge_item",
            {"id": "dir", "base_id": "kb", "type": "directory", "data": "{}", "status": "idle"},
        ),
        (
            "knowledge_item",
            {"id": "ki", "base_id": "kb", "group_id": "dir", "type": "file", "data": "{}", "status": "idle"},
        ),
        ("assistant_knowledge_base", {"assistant_id": "a", "knowledge_base_id": "kb"}),
        ("assistant_mcp_server", {"assistant_id": "a", "mcp_server_id": "mcp"}),
        ("topic", {"id": "t", "assistant_id": "a", "order_key": "a0", "last_activity_at": 1}),
        (
            "message",
            {"id": "root", "topic_id": "t", "role": "root", "data": '{"parts":[]}', "status": "success"},
        ),
        (
            "message",
            {
                "id": "m",
                "parent_id": "root",
                "topic_id": "t",
                "role": "user",
                "data": '{"parts":[{"type":"text","text":"hello world"}]}',
                "status": "success",
                "model_id": "p::m",
            },
        ),
        ("prompt", {"id": "pr", "title": "T", "content": "C", "visibility": "global", "order_key": "a0"}),
        (
            "prompt_binding",
            {"prompt_id": "pr", "target_type": "assistant", "target_id": "a", "order_key": "a0"},
        ),
        ("note", {"id": "n", "root_path": "/", "path": "a.md", "is_starred": 1}),
        ("painting", {"id": "pa", "provider_id": "p", "prompt": "cat", "order_key": "a0"}),
        ("mini_app", {"app_id": "app", "name": "App", "url": "https://example.com", "order_key": "a0"}),
        ("translate_language", {"lang_code": "en-us", "value": "English", "emoji": "E"}),
        (
            "translate_history",
            {
                "id": "h",
                "source_text": "a",
                "target_text": "b",
                "source_language": "en-us",
                "target_language": "en-us",
            },
        ),
        ("file_entry", {"id": "f", "origin": "internal", "name": "f", "size": 1}),
        ("chat_message_file_ref", {"id": "r1", "file_entry_id": "f", "source_id": "m", "role": "attachment"}),
        ("painting_file_ref", {"id": "r2", "file_entry_id": "f", "source_id": "pa", "role": "output"}),
        (
            "translate_history_file_ref",
            {"id": "r3", "file_entry_id": "f", "source_id": "h", "role": "source"},
        ),
        ("mini_app_file_ref", {"id": "r4", "file_entry_id": "f", "source_id": "app", "logical_name": "icon"}),
        ("mini_app_logo_file_ref", {"id": "r5", "file_entry_id": "f", "source_id": "app"}),
        ("provider_logo_file_ref", {"id": "r6", "file_entry_id": "f", "source_id": "p"}),
    ]
    with transaction(conn):
        for table, row in rows:
            values = {"created_at": 1, "updated_at": 1, **row}
            columns = ", ".join(f'"{c}"' for c in values)
            marks = ", ".join("?" for _ in values)
            conn.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(values.values()))


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(schema_tables(conn))}


def test_every_table_except_app_state_is_a_target(db: sqlite3.Connection) -> None:
    assert len(MIGRATION_TARGET_TABLES) == len(set(MIGRATION_TARGET_TABLES))
    assert set(MIGRATION_TARGET_TABLES) == schema_tables(db) - NOT_CLEARED


def test_order_is_child_before_parent_for_every_foreign_key(db: sqlite3.Connection) -> None:
    position = {table: i for i, table in enumerate(MIGRATION_TARGET_TABLES)}
    for child in MIGRATION_TARGET_TABLES:
        for row in db.execute(f'PRAGMA foreign_key_list("{child}")'):
            parent = row[2]
            if parent != child:
                assert position[child] < position[parent], f"{child} must be cleared before {parent}"


def test_fixture_graph_is_complete_and_consistent(db: sqlite3.Connection) -> None:
    fill_every_table(db)
    assert all(count > 0 for count in row_counts(db).values())
    assert foreign_key_violations(db) == (0, [])


def test_clear_deletes_every_target_row_and_keeps_app_state(db: sqlite3.Connection) -> None:
    fill_every_table(db)
    deleted = clear_migration_tables(db)
    assert list(deleted) == list(MIGRATION_TARGET_TABLES)
    assert deleted["message"] == 2 and deleted["knowledge_item"] == 2 and deleted["tag"] == 1
    counts = row_counts(db)
    assert counts.pop("app_state") == 1
    assert set(counts.values()) == {0}
    assert db.execute("SELECT count(*) FROM message_fts").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM message_fts WHERE message_fts MATCH 'hello'").fetchone() == (0,)
    assert not db.in_transaction


def test_clear_restores_the_fts_triggers(db: sqlite3.Connection) -> None:
    fill_every_table(db)
    clear_migration_tables(db)
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert triggers == {"message_ai", "message_ad", "message_au"}


def test_clear_works_with_foreign_keys_enforced(db: sqlite3.Connection) -> None:
    """The order alone is valid: NO ACTION (knowledge_base → user_model) would fail otherwise."""
    fill_every_table(db)
    db.execute("PRAGMA foreign_keys = ON")
    clear_migration_tables(db)
    assert row_counts(db)["knowledge_base"] == 0


def test_clear_joins_the_callers_transaction(db: sqlite3.Connection) -> None:
    fill_every_table(db)
    with pytest.raises(RuntimeError), transaction(db):
        clear_migration_tables(db)
        assert row_counts(db)["message"] == 0
        raise RuntimeError("caller aborts")
    assert row_counts(db)["message"] == 2
    assert db.execute("SELECT count(*) FROM message_fts WHERE message_fts MATCH 'hello'").fetchone() == (1,)


def test_clearing_empty_tables_reports_zero(db: sqlite3.Connection) -> None:
    assert set(clear_migration_tables(db).values()) == {0}
