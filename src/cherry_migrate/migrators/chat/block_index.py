"""A scratch SQLite file holding the Dexie ``message_blocks`` table for the length of a run.

Blocks are looked up by id from each message, but the table can be larger than memory (hundreds of
megabytes of JSON for a heavy profile). It is streamed once into this file (block id, owning
message id, the block's JSON), indexed, and then queried per batch of messages. The file also
records which blocks were used and how, so every block can be accounted for at the end without
holding anything per block in memory. Nothing here is in a TEMP table or in RAM beyond SQLite's
bounded page cache.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path

import orjson

_PRAGMAS = (
    "PRAGMA journal_mode = OFF",
    "PRAGMA synchronous = OFF",
    "PRAGMA locking_mode = EXCLUSIVE",
    "PRAGMA temp_store = FILE",
    "PRAGMA cache_size = -32768",
)
_SCHEMA = (
    "CREATE TABLE block (id TEXT NOT NULL, message_id TEXT, payload BLOB NOT NULL)",
    "CREATE TABLE used (block_rowid INTEGER PRIMARY KEY, outcome INTEGER NOT NULL)",
    "CREATE TABLE skipped_message (id TEXT PRIMARY KEY) WITHOUT ROWID",
)


class Outcome(IntEnum):
    """What became of a block that a message referenced."""

    WRITTEN = 0
    UNKNOWN_TYPE = 1
    EMPTY = 2


class BlockIndex:
    """The scratch index at ``path`` (replaced if it exists, deleted by :meth:`close`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        self._conn = sqlite3.connect(path, isolation_level=None)
        for pragma in _PRAGMAS:
            self._conn.execute(pragma)
        for statement in _SCHEMA:
            self._conn.execute(statement)

    def close(self) -> None:
        self._conn.close()
        self.path.unlink(missing_ok=True)

    @contextmanager
    def _batch(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # --- loading ----------------------------------------------------------------------------------

    def add(self, rows: Iterable[tuple[str, str | None, bytes]]) -> None:
        """Append ``(block id, message id, block JSON)`` rows."""
        with self._batch() as conn:
            conn.executemany("INSERT INTO block (id, message_id, payload) VALUES (?, ?, ?)", rows)

    def finish_loading(self) -> list[str]:
        """Index the blocks by id and drop every later copy of a duplicated id (the first wins).
        Returns the id of each dropped copy."""
        with self._batch() as conn:
            conn.execute("CREATE INDEX block_id ON block (id)")
            dropped = [
                row[0]
                for row in conn.execute(
                    """SELECT b.id FROM block b
                       WHERE b.id IN (SELECT id FROM block GROUP BY id HAVING count(*) > 1)
                         AND b.rowid > (SELECT min(rowid) FROM block f WHERE f.id = b.id)
                       ORDER BY b.rowid"""
                )
            ]
            if dropped:
                conn.execute(
                    """DELETE FROM block WHERE rowid IN (
                         SELECT b.rowid FROM block b
                         WHERE b.id IN (SELECT id FROM block GROUP BY id HAVING count(*) > 1)
                           AND b.rowid > (SELECT min(rowid) FROM block f WHERE f.id = b.id))"""
                )
        return dropped

    # --- lookups ----------------------------------------------------------------------------------

    def locate(self, block_ids: Collection[str]) -> dict[str, int]:
        """``{block id: row number}`` for the ids that exist."""
        if not block_ids:
            return {}
        return dict(
            self._conn.execute(
                "SELECT b.id, b.rowid FROM json_each(?) AS j JOIN block AS b ON b.id = j.value",
                (orjson.dumps(list(block_ids)),),
            )
        )

    def fetch(self, rowids: Collection[int]) -> dict[int, bytes]:
        """``{row number: block JSON}``."""
        if not rowids:
            return {}
        return dict(
            self._conn.execute(
                "SELECT b.rowid, b.payload FROM json_each(?) AS j JOIN block AS b ON b.rowid = j.value",
                (orjson.dumps(list(rowids)),),
            )
        )

    # --- accounting -------------------------------------------------------------------------------

    def mark_used(self, outcomes: Iterable[tuple[int, int]]) -> None:
        """Record ``(row number, Outcome)`` pairs; a block used twice keeps its first outcome."""
        with self._batch() as conn:
            conn.executemany("INSERT OR IGNORE INTO used (block_rowid, outcome) VALUES (?, ?)", outcomes)

    def mark_skipped_messages(self, message_ids: Iterable[str]) -> None:
        with self._batch() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO skipped_message (id) VALUES (?)", ((i,) for i in message_ids)
            )

    def outcome_totals(self) -> dict[Outcome, int]:
        rows = self._conn.execute("SELECT outcome, count(*) FROM used GROUP BY outcome")
        return {Outcome(outcome): n for outcome, n in rows}

    def outcome_sample(self, outcome: Outcome, limit: int) -> list[str]:
        rows = self._conn.execute(
            """SELECT b.id FROM used AS u JOIN block AS b ON b.rowid = u.block_rowid
               WHERE u.outcome = ? ORDER BY u.block_rowid LIMIT ?""",
            (int(outcome), limit),
        )
        return [row[0] for row in rows]

    def iter_unused(self, batch_size: int) -> Iterator[list[tuple[str, str | None]]]:
        """``(block id, message id)`` of every block no message used, in batches."""
        cursor = self._conn.execute(
            """SELECT b.id, b.message_id FROM block AS b
               WHERE NOT EXISTS (SELECT 1 FROM used AS u WHERE u.block_rowid = b.rowid)
               ORDER BY b.rowid"""
        )
        while batch := cursor.fetchmany(batch_size):
            yield batch

    def skipped_among(self, message_ids: Collection[str]) -> set[str]:
        if not message_ids:
            return set()
        rows = self._conn.execute(
            "SELECT s.id FROM json_each(?) AS j JOIN skipped_message AS s ON s.id = j.value",
            (orjson.dumps(list(message_ids)),),
        )
        return {row[0] for row in rows}
