"""message_fts triggers, and bulk mode ending in the same state as the triggers."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cherry_migrate.db.bulk import insert_rows, to_json
from cherry_migrate.db.connection import open_target_db, transaction
from cherry_migrate.db.fts import message_fts_bulk_load
from cherry_migrate.db.schema.message_fts import MESSAGE_TRIGGERS

COLUMNS = (
    "id",
    "parent_id",
    "topic_id",
    "role",
    "data",
    "searchable_text",
    "status",
    "created_at",
    "updated_at",
)
QUERIES = [
    "hello",
    "世界你",
    "print",
    "summary",
    "original",
    "timeout",
    "翻译内容",
    "nothing-matches",
    "llo wor",
]


def message(message_id: str, parts: object, parent: str | None = "root") -> tuple[object, ...]:
    data = to_json({"parts": parts}) if parts is not None else "{}"
    role = "root" if parent is None else "user"
    return (message_id, parent, "t1", role, data, "stale text from the migrator", "success", 1, 1)


def sample_messages(count: int, seed: int, prefix: str) -> list[tuple[object, ...]]:
    """Messages covering every part kind the searchable-text rule reads or skips."""
    rng = random.Random(seed)
    part_kinds = [
        lambda: {
            "type": "text",
            "text": rng.choice(["hello world", "你好世界你好", "  ", "", "say hello again"]),
        },
        lambda: {"type": "text"},
        lambda: {"type": "reasoning", "text": "hidden reasoning hello"},
        lambda: {"type": "data-code", "data": {"content": "print('hello')", "language": "python"}},
        lambda: {"type": "data-translation", "data": {"content": "翻译内容", "targetLanguage": "zh"}},
        lambda: {
            "type": "data-compact",
            "data": {"content": "summary text", "compactedContent": "original long"},
        },
        lambda: {"type": "data-compact", "data": {"content": " ", "compactedContent": "original only"}},
        lambda: {"type": "data-error", "data": {"message": "request timeout"}},
        lambda: {"type": "data-error", "data": {}},
        lambda: {"type": "file", "url": "file:///hello.txt"},
    ]
    rows = []
    for i in range(count):
        parts = [rng.choice(part_kinds)() for _ in range(rng.randint(0, 5))]
        rows.append(message(f"{prefix}{i:03}", parts if i % 17 else None))
    return rows


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_target_db(tmp_path / "target.sqlite")
    insert_rows(conn, "message", COLUMNS, [message("root", [], parent=None)])
    yield conn
    conn.close()


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_target_db(tmp_path / "other.sqlite")
    insert_rows(conn, "message", COLUMNS, [message("root", [], parent=None)])
    yield conn
    conn.close()


def state(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT id, fts_rowid, searchable_text FROM message ORDER BY id").fetchall()


def matches(conn: sqlite3.Connection, query: str) -> list[str]:
    rows = conn.execute(
        "SELECT m.id FROM message_fts JOIN message m ON m.fts_rowid = message_fts.rowid"
        " WHERE message_fts MATCH ? ORDER BY m.id",
        (f'"{query}"',),
    )
    return [r[0] for r in rows]


def assert_index_consistent(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)")


def triggers(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))


def searchable(conn: sqlite3.Connection, message_id: str) -> str:
    return str(conn.execute("SELECT searchable_text FROM message WHERE id = ?", (message_id,)).fetchone()[0])


# --- the triggers -----------------------------------------------------------------------------------


def test_insert_trigger_builds_searchable_text_and_numbers_rows(db: sqlite3.Connection) -> None:
    parts = [
        {"type": "text", "text": "first"},
        {"type": "data-error", "data": {"message": "oops"}},
        {"type": "data-compact", "data": {"content": "short", "compactedContent": "long version"}},
        {"type": "text", "text": "   "},
        {"type": "reasoning", "text": "not indexed"},
        {"type": "data-code", "data": {"content": "x = 1"}},
        {"type": "text", "text": "second"},
    ]
    insert_rows(db, "message", COLUMNS, [message("m1", parts), message("m2", []), message("m3", None)])
    assert searchable(db, "m1") == "first second short x = 1 long version oops"
    assert searchable(db, "m2") == ""
    assert searchable(db, "m3") == ""
    assert [r[1] for r in state(db)] == [2, 3, 4, 1]  # m1, m2, m3, root (inserted first)
    assert matches(db, "version") == ["m1"]
    assert_index_consistent(db)


def test_update_and_delete_triggers_keep_the_index_in_sync(db: sqlite3.Connection) -> None:
    insert_rows(db, "message", COLUMNS, [message("m1", [{"type": "text", "text": "before edit"}])])
    db.execute(
        "UPDATE message SET data = ? WHERE id = 'm1'",
        (to_json({"parts": [{"type": "text", "text": "after"}]}),),
    )
    assert (matches(db, "before"), matches(db, "after"), searchable(db, "m1")) == ([], ["m1"], "after")
    db.execute("DELETE FROM message WHERE id = 'm1'")
    assert matches(db, "after") == []
    assert_index_consistent(db)


# --- bulk mode --------------------------------------------------------------------------------------


def test_bulk_mode_ends_in_the_same_state_as_the_triggers(
    db: sqlite3.Connection, other_db: sqlite3.Connection
) -> None:
    before = sample_messages(20, seed=1, prefix="a")
    bulk = sample_messages(300, seed=2, prefix="b")
    for conn in (db, other_db):
        insert_rows(conn, "message", COLUMNS, before)

    with transaction(db):
        insert_rows(db, "message", COLUMNS, bulk)  # one row at a time through the triggers
    with message_fts_bulk_load(other_db), transaction(other_db):
        insert_rows(other_db, "message", COLUMNS, bulk)

    assert state(other_db) == state(db)
    fts_rowids = [r[1] for r in state(other_db) if isinstance(r[1], int)]
    assert len(fts_rowids) == len(before) + len(bulk) + 1  # no NULL left
    assert sorted(fts_rowids) == list(range(1, len(fts_rowids) + 1))  # unique, continuing the count
    for query in QUERIES:
        assert matches(other_db, query) == matches(db, query), query
    assert matches(db, "hello")  # the comparison is not vacuous
    assert not any("stale text" in str(r[2]) for r in state(other_db))
    assert_index_consistent(other_db)


def test_triggers_are_off_inside_and_back_afterwards(db: sqlite3.Connection) -> None:
    with message_fts_bulk_load(db):
        assert triggers(db) == {}
        insert_rows(db, "message", COLUMNS, [message("m1", [{"type": "text", "text": "hello"}])])
        assert db.execute("SELECT fts_rowid, searchable_text FROM message WHERE id = 'm1'").fetchone() == (
            None,
            "stale text from the migrator",
        )
    assert triggers(db) == MESSAGE_TRIGGERS
    assert db.execute("SELECT fts_rowid FROM message WHERE id = 'm1'").fetchone() == (2,)

    insert_rows(db, "message", COLUMNS, [message("m2", [{"type": "text", "text": "hello again"}])])
    assert db.execute("SELECT fts_rowid FROM message WHERE id = 'm2'").fetchone() == (3,)
    assert matches(db, "hello") == ["m1", "m2"]
    assert_index_consistent(db)


def test_deleting_inside_bulk_mode_removes_rows_from_the_index(db: sqlite3.Connection) -> None:
    insert_rows(db, "message", COLUMNS, [message("old", [{"type": "text", "text": "hello old"}])])
    with message_fts_bulk_load(db):
        db.execute("DELETE FROM message WHERE id = 'old'")
        insert_rows(db, "message", COLUMNS, [message("new", [{"type": "text", "text": "hello new"}])])
    assert matches(db, "hello") == ["new"]
    assert db.execute("SELECT fts_rowid FROM message WHERE id = 'new'").fetchone() == (2,)
    assert_index_consistent(db)


def test_an_error_restores_the_triggers_and_skips_the_fill(db: sqlite3.Connection) -> None:
    with pytest.raises(RuntimeError), message_fts_bulk_load(db):
        insert_rows(db, "message", COLUMNS, [message("m1", [{"type": "text", "text": "hello"}])])
        raise RuntimeError("migrator failed")
    assert triggers(db) == MESSAGE_TRIGGERS
    assert db.execute("SELECT fts_rowid FROM message WHERE id = 'm1'").fetchone() == (None,)

    with message_fts_bulk_load(db):  # the next session picks the row up
        pass
    assert db.execute("SELECT fts_rowid FROM message WHERE id = 'm1'").fetchone() == (2,)
    assert matches(db, "hello") == ["m1"]


def test_an_error_inside_a_caller_transaction_rolls_everything_back(db: sqlite3.Connection) -> None:
    with pytest.raises(RuntimeError), transaction(db), message_fts_bulk_load(db):
        insert_rows(db, "message", COLUMNS, [message("m1", [{"type": "text", "text": "hello"}])])
        raise RuntimeError("migrator failed")
    assert triggers(db) == MESSAGE_TRIGGERS
    assert db.execute("SELECT count(*) FROM message").fetchone() == (1,)
    assert_index_consistent(db)
