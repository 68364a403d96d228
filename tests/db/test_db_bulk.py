"""insert_rows and to_json."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cherry_migrate.db.bulk import insert_rows, to_json
from cherry_migrate.db.connection import open_target_db, transaction
from cherry_migrate.db.quoting import quote_identifier


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_target_db(tmp_path / "target.sqlite")
    yield conn
    conn.close()


def test_insert_rows_into_a_keyword_table(db: sqlite3.Connection) -> None:
    columns = ("id", "entity_type", "name", "order_key", "created_at", "updated_at")
    rows = [(f"g{i}", "assistant", f"Group {i}", f"a{i}", 1, 2) for i in range(3)]
    with transaction(db):
        assert insert_rows(db, "group", columns, rows) == 3
    assert db.execute('SELECT id, name FROM "group" ORDER BY id').fetchall() == [
        ("g0", "Group 0"),
        ("g1", "Group 1"),
        ("g2", "Group 2"),
    ]


def test_insert_rows_consumes_a_lazy_iterable_once(db: sqlite3.Connection) -> None:
    produced = 0

    def rows() -> Iterator[tuple[object, ...]]:
        nonlocal produced
        for i in range(1000):
            produced += 1
            yield (f"p::m{i}", "p", f"m{i}", f"m{i}", f"a{i:04}", 1, 1)

    columns = ["id", "provider_id", "model_id", "preset_model_id", "order_key", "created_at", "updated_at"]
    with transaction(db):
        count = insert_rows(db, "user_model", columns, rows())
    assert (count, produced) == (1000, 1000)
    assert db.execute('SELECT count(*), count("group") FROM user_model').fetchone() == (1000, 0)


def test_insert_rows_quotes_keyword_columns(db: sqlite3.Connection) -> None:
    columns = (
        "id",
        "provider_id",
        "model_id",
        "preset_model_id",
        "group",
        "order_key",
        "created_at",
        "updated_at",
    )
    assert insert_rows(db, "user_model", columns, [("p::m", "p", "m", "m", "chat", "a0", 1, 1)]) == 1
    assert db.execute('SELECT "group" FROM user_model').fetchone() == ("chat",)


def test_insert_rows_with_message_triggers_counts_only_inserted_rows(db: sqlite3.Connection) -> None:
    columns = ("id", "parent_id", "topic_id", "role", "data", "status", "created_at", "updated_at")
    rows: list[tuple[object, ...]] = [("r", None, "t", "root", '{"parts":[]}', "success", 1, 1)]
    rows += [(f"m{i}", "r", "t", "user", '{"parts":[]}', "success", 1, 1) for i in range(5)]
    assert insert_rows(db, "message", columns, rows) == 6


def test_insert_rows_errors(db: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="at least one column"):
        insert_rows(db, "tag", [], [])
    with pytest.raises(sqlite3.ProgrammingError):
        insert_rows(db, "tag", ["id", "name"], [("only-one",)])
    with pytest.raises(sqlite3.IntegrityError):
        insert_rows(
            db, "tag", ["id", "name", "created_at", "updated_at"], [("a", "x", 1, 1), ("b", "x", 1, 1)]
        )


def test_quote_identifier() -> None:
    assert quote_identifier("group") == '"group"'
    assert quote_identifier('we"ird') == '"we""ird"'
    with pytest.raises(ValueError):
        quote_identifier("")


# --- to_json ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": 1, "b": [True, False, None], "c": {"d": "e"}}, '{"a":1,"b":[true,false,null],"c":{"d":"e"}}'),
        ({"text": "你好, café 🍒"}, '{"text":"你好, café 🍒"}'),
        ('line\nbreak "quoted" back\\slash \u0001', '"line\\nbreak \\"quoted\\" back\\\\slash \\u0001"'),
        ([1.5, 0.1, -0.0, 10**15], "[1.5,0.1,-0.0,1000000000000000]"),
        ([float("nan"), float("inf"), float("-inf")], "[null,null,null]"),
        ((1, 2), "[1,2]"),
        ({}, "{}"),
        ([], "[]"),
        ("", '""'),
        (None, "null"),
    ],
)
def test_to_json_is_compact_like_json_stringify(value: object, expected: str) -> None:
    assert to_json(value) == expected


def test_to_json_keeps_native_orjson_types() -> None:
    moment = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert to_json({"at": moment, "id": ident}) == (
        '{"at":"2026-01-02T03:04:05+00:00","id":"12345678-1234-5678-1234-567812345678"}'
    )


def test_lone_surrogates_are_escaped_like_json_stringify() -> None:
    value = {"text": "a\ud800b", "tail": "end\udfff", "key\udc00": 1}
    text = to_json(value)
    assert text == '{"text":"a\\ud800b","tail":"end\\udfff","key\\udc00":1}'
    text.encode("utf-8")  # valid UTF-8, so SQLite accepts it
    assert json.loads(text) == value  # nothing lost


def test_surrogate_pairs_become_the_character_they_encode() -> None:
    assert to_json(["\ud83c\udf52", "x\ud83c"]) == '["🍒","x\\ud83c"]'


def test_slow_path_matches_the_fast_path_for_everything_else() -> None:
    value = {"n": [1, 2.5, float("nan")], "s": "é\ud800", "nested": {"deep": [None, True]}, "k": "你好"}
    assert to_json(value) == '{"n":[1,2.5,null],"s":"é\\ud800","nested":{"deep":[null,true]},"k":"你好"}'


def test_slow_path_also_handles_what_orjson_refuses() -> None:
    assert to_json({1: "a", None: "b"}) == '{"1":"a","null":"b"}'
    assert to_json(2**70) == "1180591620717411303424"


def test_unserialisable_values_raise_type_error() -> None:
    with pytest.raises(TypeError):
        to_json({"x": object()})


def test_json_values_round_trip_through_sqlite(db: sqlite3.Connection) -> None:
    value = {"parts": [{"type": "text", "text": "broken \ud800 surrogate and 🍒"}]}
    db.execute(
        "INSERT INTO app_state (key, value, created_at, updated_at) VALUES ('k', ?, 1, 1)",
        (to_json(value),),
    )
    (stored,) = db.execute("SELECT value FROM app_state").fetchone()
    assert json.loads(stored) == value
    assert db.execute("SELECT json_valid(value) FROM app_state").fetchone() == (1,)
