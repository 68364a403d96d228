"""The comparison helper ignores exactly what two runs cannot share, and nothing else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.profile.compare import MigratedDatabase, assert_same_migration

RUN_A, RUN_B = (1_800_000_000_000, 1_800_000_000_500), (1_800_000_009_000, 1_800_000_009_900)
LEGACY_ID = "0b0e7d7c-3c41-4a0e-9d8f-5d8c3f1b2a10"
LEGACY_TIME = 1_700_000_000_000


def database(path: Path, run: tuple[int, int], rows: list[tuple[str, str, str, int]]) -> MigratedDatabase:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE pin (id TEXT, entity_id TEXT, order_key TEXT, created_at INTEGER)")
        conn.executemany("INSERT INTO pin VALUES (?, ?, ?, ?)", rows)
        conn.execute("CREATE VIRTUAL TABLE pin_fts USING fts5(entity_id)")
        conn.execute("INSERT INTO pin_fts VALUES (?)", (str(path),))
    conn.close()
    return MigratedDatabase(path, *run)


def generated(n: int) -> str:
    return f"{n:08x}-0000-4000-8000-000000000000"


def test_generated_ids_run_times_and_their_order_keys_are_ignored(tmp_path: Path) -> None:
    a = database(
        tmp_path / "a.sqlite",
        RUN_A,
        [(generated(1), LEGACY_ID, "a0", RUN_A[0]), (generated(2), "topic-2", "a1", LEGACY_TIME)],
    )
    b = database(
        tmp_path / "b.sqlite",
        RUN_B,
        [(generated(4), LEGACY_ID, "a1", RUN_B[1]), (generated(3), "topic-2", "a0", LEGACY_TIME)],
    )
    assert_same_migration(a, b)


@pytest.mark.parametrize(
    "row_b",
    [
        (generated(3), "topic-2", "a1", LEGACY_TIME + 1),  # a legacy timestamp changed
        (generated(3), "topic-3", "a1", LEGACY_TIME),  # a legacy value changed
        (generated(3), "0b0e7d7c-3c41-4a0e-9d8f-5d8c3f1b2a11", "a1", LEGACY_TIME),  # a legacy id changed
        (generated(3), "topic-2", "a2", LEGACY_TIME),  # an order key that is not handed out in a
    ],
)
def test_any_other_difference_fails(tmp_path: Path, row_b: tuple[str, str, str, int]) -> None:
    a = database(
        tmp_path / "a.sqlite",
        RUN_A,
        [(generated(1), LEGACY_ID, "a0", 1), (generated(2), "topic-2", "a1", LEGACY_TIME)],
    )
    b = database(tmp_path / "b.sqlite", RUN_B, [(generated(4), LEGACY_ID, "a0", 1), row_b])
    with pytest.raises(AssertionError):
        assert_same_migration(a, b)


def test_a_missing_row_fails(tmp_path: Path) -> None:
    a = database(tmp_path / "a.sqlite", RUN_A, [("x", LEGACY_ID, "a0", 1), ("y", "topic-2", "a1", 2)])
    b = database(tmp_path / "b.sqlite", RUN_B, [("x", LEGACY_ID, "a0", 1)])
    with pytest.raises(AssertionError):
        assert_same_migration(a, b)
