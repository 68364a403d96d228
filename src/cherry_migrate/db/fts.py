"""Bulk mode for ``message`` inserts: index once at the end instead of once per row.

With the triggers on, every inserted message runs a ``MAX(fts_rowid)`` lookup, an ``UPDATE`` of
the row it just wrote and an FTS insert. :func:`message_fts_bulk_load` drops the triggers, lets
the caller insert plainly, then numbers, fills and indexes all new rows with three set-based
statements — ending in the same state as inserting with the triggers on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from cherry_migrate.db.schema.message_fts import MESSAGE_TRIGGERS, searchable_text_sql
from cherry_migrate.db.transaction import atomic

# Numbers rows in insertion (rowid) order after the current maximum, as the insert trigger
# would have; the subquery is materialised before the UPDATE changes any fts_rowid.
_FILL_NEW_ROWS_SQL = f"""UPDATE message SET
  fts_rowid = numbered.new_fts_rowid,
  searchable_text = {searchable_text_sql('"message"."data"', parts_by_path=True)}
FROM (
  SELECT rowid AS message_rowid,
         (SELECT COALESCE(MAX(fts_rowid), 0) FROM message)
           + row_number() OVER (ORDER BY rowid) AS new_fts_rowid
  FROM message
  WHERE fts_rowid IS NULL
) AS numbered
WHERE message.rowid = numbered.message_rowid"""

_REBUILD_INDEX_SQL = "INSERT INTO message_fts(message_fts) VALUES ('rebuild')"


@contextmanager
def message_fts_bulk_load(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Insert messages without the FTS triggers; index them all when the block ends.

    On entry the triggers ``message_ai``, ``message_ad`` and ``message_au`` are dropped. On normal
    exit every row with ``fts_rowid IS NULL`` gets its ``fts_rowid`` (continuing after the
    current maximum, in insertion order) and ``searchable_text`` (the trigger's expression),
    ``message_fts`` is rebuilt from the table, and the triggers are recreated — all in one
    transaction, or inside the caller's.

    Inside the block do not set ``fts_rowid`` yourself and do not update ``data`` of rows that
    existed before it: only rows without an ``fts_rowid`` are recomputed. Deleting rows is fine
    (the rebuild drops them from the index).

    If the block raises, only the triggers are recreated and the error propagates; rows the block
    left behind keep ``fts_rowid`` NULL until the next bulk session ends.
    """
    with atomic(conn):
        for name in MESSAGE_TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield conn
    except BaseException:
        _create_triggers(conn)
        raise
    with atomic(conn):
        conn.execute(_FILL_NEW_ROWS_SQL)
        conn.execute(_REBUILD_INDEX_SQL)
        _create_triggers(conn)


def _create_triggers(conn: sqlite3.Connection) -> None:
    # Idempotent: after an error SQLite may already have rolled back the DROPs.
    with atomic(conn):
        for name, sql in MESSAGE_TRIGGERS.items():
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute(sql)
