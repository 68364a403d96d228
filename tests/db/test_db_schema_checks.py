"""CHECK constraints, NOT NULL and unique indexes reject bad rows; valid rows go in."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cherry_migrate.db.connection import open_target_db
from cherry_migrate.db.transaction import transaction

T = {"created_at": 1, "updated_at": 2}

VALID_ROWS: dict[str, dict[str, object]] = {
    "user_model": {
        "id": "p::m",
        "provider_id": "p",
        "model_id": "m",
        "preset_model_id": "m",
        "order_key": "a0",
    },
    "message": {
        "id": "m1",
        "parent_id": "root",
        "topic_id": "t1",
        "role": "user",
        "data": '{"parts":[]}',
        "status": "success",
    },
    "knowledge_base": {
        "id": "kb",
        "name": "KB",
        "status": "completed",
        "embedding_model_id": "p::e",
        "dimensions": 1024,
        "chunk_size": 500,
        "chunk_overlap": 50,
    },
    "knowledge_item": {"id": "ki", "base_id": "kb", "type": "file", "data": "{}", "status": "idle"},
    "mcp_server": {"id": "mcp", "name": "MCP", "type": "stdio", "install_source": "manual"},
    "prompt": {"id": "pr", "title": "t", "content": "c", "visibility": "global", "order_key": "a0"},
    "prompt_binding": {"prompt_id": "pr", "target_type": "assistant", "target_id": "a", "order_key": "a0"},
    "note": {"id": "n", "root_path": "/notes", "path": "a.md", "is_starred": 1},
    "mini_app": {"app_id": "app", "name": "App", "url": "https://example.com", "order_key": "a0"},
    "file_entry": {"id": "f", "origin": "internal", "name": "f", "size": 3},
    "chat_message_file_ref": {"id": "r", "file_entry_id": "f", "source_id": "m1", "role": "attachment"},
    "painting_file_ref": {"id": "r", "file_entry_id": "f", "source_id": "p", "role": "output"},
    "translate_history_file_ref": {"id": "r", "file_entry_id": "f", "source_id": "h", "role": "source"},
}

# (table, changes to the valid row, constraint named in the error)
VIOLATIONS: list[tuple[str, dict[str, object], str]] = [
    ("user_model", {"preset_model_id": None}, "user_model_custom_config_check"),
    (
        "user_model",
        {"preset_model_id": None, "name": "n", "capabilities": "[]"},
        "user_model_custom_config_check",
    ),
    ("message", {"role": "bot"}, "message_role_check"),
    ("message", {"status": "sending"}, "message_status_check"),
    ("message", {"parent_id": None}, "message_root_parent_check"),
    ("message", {"role": "root"}, "message_root_parent_check"),
    ("knowledge_base", {"chunk_strategy": "fixed"}, "knowledge_base_chunk_strategy_check"),
    ("knowledge_base", {"status": "processing"}, "knowledge_base_status_check"),
    ("knowledge_base", {"error": "boom"}, "knowledge_base_status_error_check"),
    ("knowledge_base", {"dimensions": None}, "knowledge_base_status_error_check"),
    ("knowledge_base", {"dimensions": 0}, "knowledge_base_status_error_check"),
    ("knowledge_base", {"embedding_model_id": None}, "knowledge_base_status_error_check"),
    ("knowledge_base", {"status": "failed", "error": "  "}, "knowledge_base_status_error_check"),
    ("knowledge_item", {"type": "sitemap"}, "knowledge_item_type_check"),
    ("knowledge_item", {"status": "queued"}, "knowledge_item_status_check"),
    ("knowledge_item", {"status": "preparing"}, "knowledge_item_type_status_check"),
    ("knowledge_item", {"type": "directory", "status": "reading"}, "knowledge_item_type_status_check"),
    ("knowledge_item", {"error": "boom"}, "knowledge_item_status_error_check"),
    ("knowledge_item", {"status": "failed"}, "knowledge_item_status_error_check"),
    ("mcp_server", {"type": "websocket"}, "mcp_server_type_check"),
    ("mcp_server", {"install_source": "store"}, "mcp_server_install_source_check"),
    ("prompt", {"visibility": "private"}, "prompt_visibility_check"),
    ("prompt_binding", {"target_type": "topic"}, "prompt_binding_target_type_check"),
    ("note", {"is_starred": 0}, "note_has_state_check"),
    ("mini_app", {"status": "hidden"}, "mini_app_status_check"),
    ("mini_app", {"kind": "web"}, "mini_app_kind_check"),
    ("file_entry", {"origin": "remote"}, "fe_origin_check"),
    ("file_entry", {"cleanup_policy": "never"}, "fe_cleanup_policy_check"),
    ("file_entry", {"external_path": "/x"}, "fe_origin_consistency"),
    ("file_entry", {"size": None}, "fe_size_internal_only"),
    ("file_entry", {"size": -1}, "fe_size_internal_only"),
    (
        "file_entry",
        {"origin": "external", "external_path": "/x", "size": None, "deleted_at": 5},
        "fe_external_no_delete",
    ),
    (
        "file_entry",
        {"origin": "external", "external_path": "/x", "size": None, "content_hash": "h"},
        "fe_contenthash_external_null",
    ),
    ("file_entry", {"origin": "external", "external_path": "/x"}, "fe_size_internal_only"),
    ("chat_message_file_ref", {"role": "inline"}, "cmfr_role_check"),
    ("painting_file_ref", {"role": "mask"}, "pfr_role_check"),
    ("translate_history_file_ref", {"role": "attachment"}, "thfr_role_check"),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_target_db(tmp_path / "target.sqlite")
    yield conn
    conn.close()


def insert(conn: sqlite3.Connection, table: str, row: dict[str, object]) -> None:
    values = {**T, **row}
    columns = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join("?" for _ in values)
    conn.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(values.values()))


@pytest.mark.parametrize("table", sorted(VALID_ROWS))
def test_valid_rows_are_accepted(db: sqlite3.Connection, table: str) -> None:
    insert(db, table, VALID_ROWS[table])


@pytest.mark.parametrize(
    ("table", "changes", "constraint"),
    VIOLATIONS,
    ids=[f"{c}-{'-'.join(ch)}" for _, ch, c in VIOLATIONS],
)
def test_checks_reject_bad_rows(
    db: sqlite3.Connection, table: str, changes: dict[str, object], constraint: str
) -> None:
    with pytest.raises(sqlite3.IntegrityError, match=f"CHECK constraint failed: {constraint}"):
        insert(db, table, {**VALID_ROWS[table], **changes})


@pytest.mark.parametrize(
    ("table", "changes"),
    [
        ("user_model", {"preset_model_id": None, "name": "n", "capabilities": "[]", "supports_streaming": 1}),
        ("knowledge_base", {"embedding_model_id": None, "dimensions": None}),
        ("knowledge_base", {"status": "failed", "error": "no model"}),
        ("knowledge_item", {"type": "directory", "status": "preparing"}),
        ("knowledge_item", {"status": "failed", "error": "boom"}),
        ("mcp_server", {"type": None, "install_source": "ai_assisted"}),
        ("note", {"is_starred": 0, "is_expanded": 1}),
        ("file_entry", {"origin": "external", "external_path": "/x", "size": None}),
        ("message", {"role": "root", "parent_id": None}),
        ("chat_message_file_ref", {"role": "tool_output"}),
    ],
)
def test_checks_accept_the_allowed_alternatives(
    db: sqlite3.Connection, table: str, changes: dict[str, object]
) -> None:
    insert(db, table, {**VALID_ROWS[table], **changes})


def test_not_null_columns_reject_null(db: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError, match=re.escape("NOT NULL constraint failed: message.data")):
        insert(db, "message", {**VALID_ROWS["message"], "data": None})
    with pytest.raises(
        sqlite3.IntegrityError, match=re.escape("NOT NULL constraint failed: group.order_key")
    ):
        insert(db, "group", {"id": "g", "entity_type": "assistant", "name": "G"})


def test_defaults_fill_omitted_columns(db: sqlite3.Connection) -> None:
    insert(db, "mini_app", VALID_ROWS["mini_app"])
    insert(db, "knowledge_base", VALID_ROWS["knowledge_base"])
    insert(db, "preference", {"key": "app.language", "value": '"en"'})
    insert(db, "user_provider", {"provider_id": "p", "name": "P", "order_key": "a0"})
    assert db.execute("SELECT kind, status, bordered FROM mini_app").fetchone() == ("site", "enabled", 1)
    assert db.execute("SELECT chunk_strategy, chunk_separator FROM knowledge_base").fetchone() == (
        "structured",
        "\\n\\n",
    )
    assert db.execute("SELECT scope FROM preference").fetchone() == ("default",)
    assert db.execute("SELECT api_keys, is_enabled FROM user_provider").fetchone() == ("[]", 0)


def test_one_live_root_per_topic(db: sqlite3.Connection) -> None:
    root = {**VALID_ROWS["message"], "role": "root", "parent_id": None}
    insert(db, "message", {**root, "id": "r1"})
    with pytest.raises(sqlite3.IntegrityError, match=re.escape("UNIQUE constraint failed: message.topic_id")):
        insert(db, "message", {**root, "id": "r2"})
    insert(db, "message", {**root, "id": "r3", "deleted_at": 9})  # soft-deleted roots do not count
    insert(db, "message", {**root, "id": "r4", "topic_id": "t2"})


def test_external_paths_are_unique_ignoring_case(db: sqlite3.Connection) -> None:
    external = {"origin": "external", "name": "a", "size": None}
    insert(db, "file_entry", {**external, "id": "f1", "external_path": "/Docs/A.pdf"})
    with pytest.raises(
        sqlite3.IntegrityError, match="UNIQUE constraint failed: index 'fe_external_path_lower_unique_idx'"
    ):
        insert(db, "file_entry", {**external, "id": "f2", "external_path": "/docs/a.PDF"})


def test_composite_primary_keys(db: sqlite3.Connection) -> None:
    insert(db, "preference", {"key": "k", "value": "1"})
    insert(db, "preference", {"scope": "other", "key": "k", "value": "1"})
    with pytest.raises(
        sqlite3.IntegrityError, match=re.escape("UNIQUE constraint failed: preference.scope, preference.key")
    ):
        insert(db, "preference", {"key": "k", "value": "2"})


def test_knowledge_item_group_must_be_an_item_of_the_same_base(tmp_path: Path) -> None:
    conn = open_target_db(tmp_path / "fk.sqlite")
    conn.execute("PRAGMA foreign_keys = ON")
    base = {**VALID_ROWS["knowledge_base"], "embedding_model_id": None, "dimensions": None}
    with transaction(conn):
        insert(conn, "knowledge_base", base)
        insert(conn, "knowledge_base", {**base, "id": "kb2"})
        insert(conn, "knowledge_item", {**VALID_ROWS["knowledge_item"], "id": "dir", "type": "directory"})
        insert(conn, "knowledge_item", {**VALID_ROWS["knowledge_item"], "id": "child", "group_id": "dir"})
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
        insert(
            conn,
            "knowledge_item",
            {**VALID_ROWS["knowledge_item"], "id": "x", "base_id": "kb2", "group_id": "dir"},
        )
    conn.close()
