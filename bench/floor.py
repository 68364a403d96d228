"""The floor under a migration: its final rows written with plain ``executemany``, nothing else.

Every migration table of an already migrated database is read back in rowid order and inserted, in
batches, into a fresh database created by ``open_target_db`` (same schema, pragmas and indexes), in
one transaction and with the message full-text index in the same bulk mode the chat migrator uses.
So the floor pays for the same indexes, FTS fill and WAL checkpoint as a run, and for no parsing,
mapping, tree building or accounting. Rows are streamed: one batch is in memory at a time.

``message.searchable_text`` and ``message.fts_rowid`` are left out of the copy on purpose: the bulk
mode computes them for every new row, exactly as it does after the chat migrator's inserts.
"""

from __future__ import annotations

import resource
import sqlite3
import time
from pathlib import Path
from typing import Any

from cherry_migrate.db.connection import open_target_db
from cherry_migrate.db.fts import message_fts_bulk_load
from cherry_migrate.db.quoting import quote_identifier
from cherry_migrate.db.tables import MIGRATION_TARGET_TABLES
from cherry_migrate.db.transaction import transaction

BATCH_ROWS = 2000
COMPUTED_BY_BULK_MODE = {"message": frozenset({"searchable_text", "fts_rowid"})}
CHAT_TABLES = ("topic", "message", "chat_message_file_ref", "pin")
"""What the chat migrator writes (besides a few promoted-image ``file_entry`` rows)."""


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def copy_floor(migrated_db: str, floor_db: str) -> dict[str, Any]:
    """Write the migration tables of ``migrated_db`` into a new database at ``floor_db``.

    Returns per-table rows and seconds, the FTS fill and checkpoint seconds, the chat tables' share
    (``chat_s``, FTS fill included) and the CPU seconds of the whole step.
    """
    cpu_start = cpu_seconds()
    target = Path(floor_db)
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    source = sqlite3.connect(f"file:{migrated_db}?mode=ro", uri=True)
    conn = open_target_db(target)
    tables: dict[str, dict[str, float]] = {}
    try:
        with transaction(conn):
            with message_fts_bulk_load(conn):
                # Parents first: the order a migration writes them in.
                for table in reversed(MIGRATION_TARGET_TABLES):
                    tables[table] = _copy_table(source, conn, table)
                fts_started = time.perf_counter()
            fts_s = time.perf_counter() - fts_started
        checkpoint_started = time.perf_counter()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        checkpoint_s = time.perf_counter() - checkpoint_started
    finally:
        conn.close()
        source.close()
    chat_s = sum(tables[name]["s"] for name in CHAT_TABLES) + fts_s
    return {
        "tables": tables,
        "rows": int(sum(entry["rows"] for entry in tables.values())),
        "fts_fill_s": fts_s,
        "checkpoint_s": checkpoint_s,
        "chat_s": chat_s,
        "chat_rows": int(sum(tables[name]["rows"] for name in CHAT_TABLES)),
        "cpu_s": cpu_seconds() - cpu_start,
    }


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> dict[str, float]:
    started = time.perf_counter()
    skipped = COMPUTED_BY_BULK_MODE.get(table, frozenset())
    columns = [row[1] for row in source.execute(f"PRAGMA table_info({quote_identifier(table)})")]
    columns = [name for name in columns if name not in skipped]
    column_list = ", ".join(quote_identifier(name) for name in columns)
    placeholders = ", ".join("?" * len(columns))
    insert = f"INSERT INTO {quote_identifier(table)} ({column_list}) VALUES ({placeholders})"
    order = " ORDER BY rowid" if _has_rowid(source, table) else ""
    cursor = source.execute(f"SELECT {column_list} FROM {quote_identifier(table)}{order}")
    rows = 0
    while batch := cursor.fetchmany(BATCH_ROWS):
        target.executemany(insert, batch)
        rows += len(batch)
    return {"rows": rows, "s": time.perf_counter() - started}


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        conn.execute(f"SELECT rowid FROM {quote_identifier(table)} LIMIT 0")
    except sqlite3.OperationalError:
        return False
    return True
