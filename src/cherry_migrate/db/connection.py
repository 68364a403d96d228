"""Opening the target database for a migration run, and integrity checks on it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cherry_migrate.db.errors import OpenStage, TargetDatabaseError
from cherry_migrate.db.quoting import quote_identifier
from cherry_migrate.db.schema import apply_schema
from cherry_migrate.db.transaction import transaction

# Bulk-load tuning, per connection:
# * cache_size: 64 MiB of page cache (negative = KiB), allocated only as pages are used. Message
#   inserts touch the table and seven indexes at random places; a larger cache keeps their
#   interior pages in memory instead of re-reading them for every row.
# * temp_store = FILE, deliberately not MEMORY: migrators stage Dexie message blocks, which can
#   exceed a gigabyte, in a TEMP table, and MEMORY would hold all of that in RAM. Set explicitly
#   so an SQLite build that defaults to memory temp storage does not change this.
# * journal_size_limit: a million-row transaction grows the WAL file to gigabytes; without a limit
#   the file keeps that size on disk after the checkpoint.
_BULK_LOAD_PRAGMAS = (
    "PRAGMA cache_size = -65536",
    "PRAGMA temp_store = FILE",
    "PRAGMA journal_size_limit = 67108864",
)


@dataclass(frozen=True)
class FkViolation:
    """One row of ``PRAGMA foreign_key_check``: ``table``'s row ``rowid`` misses its ``parent``.

    ``fkid`` is the index of the violated constraint in ``PRAGMA foreign_key_list(table)``.
    """

    table: str
    rowid: int | None
    parent: str
    fkid: int

    def __str__(self) -> str:
        return f"{self.table}(rowid={self.rowid})→{self.parent}"


def open_target_db(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the target database and bring its schema up to date.

    The connection has ``isolation_level=None``: callers control transactions (see
    :func:`transaction`). It runs in WAL mode with ``synchronous=NORMAL`` and foreign-key
    enforcement OFF for the whole run, as upstream's migration connection does; integrity is
    checked at the end with :func:`foreign_key_violations`.

    Raises :class:`TargetDatabaseError` naming the file and the stage that failed.
    """
    stage: OpenStage = "open"
    try:
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise TargetDatabaseError(stage, path, exc) from exc
    try:
        # Reading the header now makes "not a database" fail at the open stage, not later.
        conn.execute("PRAGMA schema_version").fetchone()
        for pragma in _BULK_LOAD_PRAGMAS:
            conn.execute(pragma)
        stage = "wal"
        (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"journal_mode stayed {mode!r}")
        conn.execute("PRAGMA synchronous = NORMAL")
        stage = "schema"
        apply_schema(conn)
        conn.execute("PRAGMA foreign_keys = OFF")
    except sqlite3.Error as exc:
        conn.close()
        raise TargetDatabaseError(stage, path, exc) from exc
    return conn


def foreign_key_violations(
    conn: sqlite3.Connection, table: str | None = None, limit: int = 5
) -> tuple[int, list[FkViolation]]:
    """Count foreign-key violations (in the whole database, or in ``table``'s rows).

    Returns the total and the first ``limit`` violations as a sample. Works whether or not
    foreign-key enforcement is on.
    """
    pragma = "PRAGMA foreign_key_check"
    if table is not None:
        pragma += f"({quote_identifier(table)})"
    total = 0
    sample: list[FkViolation] = []
    for child, rowid, parent, fkid in conn.execute(pragma):
        total += 1
        if len(sample) < limit:
            sample.append(FkViolation(child, rowid, parent, fkid))
    return total, sample


__all__ = ["FkViolation", "foreign_key_violations", "open_target_db", "transaction"]
