"""Schema versioning: steps applied once, in order, recorded; failures leave nothing behind."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cherry_migrate.db.schema import CURRENT_SCHEMA_VERSION, SCHEMA_STEPS, SchemaStep, apply_schema
from cherry_migrate.db.schema.message_fts import MESSAGE_TRIGGERS
from cherry_migrate.db.schema.runner import split_statements


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(tmp_path / "steps.sqlite", isolation_level=None)
    yield connection
    connection.close()


def recorded(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    return conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()


def test_shipped_steps() -> None:
    assert [step.version for step in SCHEMA_STEPS] == [1, 2]
    assert CURRENT_SCHEMA_VERSION == 2


def test_fresh_database_gets_every_step_recorded_once(conn: sqlite3.Connection) -> None:
    assert apply_schema(conn) == [1, 2]
    assert recorded(conn) == [(1, "core_tables"), (2, "message_fts")]
    (applied_at,) = conn.execute("SELECT min(applied_at) FROM schema_migrations").fetchone()
    assert applied_at > 1_600_000_000_000  # milliseconds since the epoch
    assert not conn.in_transaction


def test_applying_again_is_a_no_op(conn: sqlite3.Connection) -> None:
    apply_schema(conn)
    before = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert apply_schema(conn) == []
    assert recorded(conn) == [(1, "core_tables"), (2, "message_fts")]
    assert conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == before


def test_a_later_step_is_applied_in_order_on_an_existing_database(conn: sqlite3.Connection) -> None:
    apply_schema(conn)
    extra = (
        SchemaStep(3, "add_demo", "CREATE TABLE demo (id text PRIMARY KEY);\nINSERT INTO demo VALUES ('3');"),
        SchemaStep(
            4, "extend_demo", "ALTER TABLE demo ADD COLUMN note text;\nUPDATE demo SET note = 'after 3';"
        ),
    )
    assert apply_schema(conn, (*SCHEMA_STEPS, *extra)) == [3, 4]
    assert conn.execute("SELECT id, note FROM demo").fetchall() == [("3", "after 3")]
    assert recorded(conn)[-2:] == [(3, "add_demo"), (4, "extend_demo")]
    assert apply_schema(conn, (*SCHEMA_STEPS, *extra)) == []


def test_a_failing_step_rolls_back_every_pending_step(conn: sqlite3.Connection) -> None:
    steps = (*SCHEMA_STEPS, SchemaStep(3, "broken", "CREATE TABLE ok (x);\nCREATE TABLE message (x);"))
    with pytest.raises(sqlite3.OperationalError, match="table message already exists"):
        apply_schema(conn, steps)
    assert not conn.in_transaction
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


@pytest.mark.parametrize("versions", [[2, 1], [1, 1], [0, 1]])
def test_step_versions_must_be_positive_and_increasing(conn: sqlite3.Connection, versions: list[int]) -> None:
    steps = [SchemaStep(v, f"s{v}", "SELECT 1;") for v in versions]
    with pytest.raises(ValueError, match="strictly increasing"):
        apply_schema(conn, steps)


def test_refuses_to_run_inside_an_open_transaction(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    with pytest.raises(RuntimeError, match="already open"):
        apply_schema(conn)


def test_triggers_in_the_database_are_the_shared_definition(conn: sqlite3.Connection) -> None:
    apply_schema(conn)
    stored = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"))
    assert stored == MESSAGE_TRIGGERS
    (fts_sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'message_fts'").fetchone()
    assert "content='message'" in fts_sql
    assert "content_rowid='fts_rowid'" in fts_sql
    assert "tokenize='trigram'" in fts_sql


def test_split_statements_keeps_trigger_bodies_and_literals_whole() -> None:
    script = """
        -- a comment; with a semicolon
        CREATE TABLE t (x text DEFAULT ';');
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN
          UPDATE t SET x = 'a;b';
          DELETE FROM t WHERE x = '';
        END;
        /* trailing comment */
    """
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[0].endswith("CREATE TABLE t (x text DEFAULT ';');")
    assert statements[1].startswith("CREATE TRIGGER tr") and statements[1].endswith("END;")


def test_split_statements_rejects_an_unterminated_statement() -> None:
    with pytest.raises(ValueError, match="incomplete SQL statement"):
        split_statements("CREATE TABLE t (x); CREATE TABLE u (y)")
