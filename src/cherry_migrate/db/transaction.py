"""Explicit transaction control for connections opened with ``isolation_level=None``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count

_savepoint_ids = count(1)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block in ``BEGIN IMMEDIATE`` … ``COMMIT``; ``ROLLBACK`` if it raises.

    IMMEDIATE takes the write lock up front, so a concurrent writer fails at ``BEGIN`` (after
    the connection's busy timeout) instead of half-way through the block. Nesting is an error:
    use :func:`atomic` for code that may run inside a caller's transaction.
    """
    if conn.in_transaction:
        raise RuntimeError("a transaction is already open on this connection; use atomic() to nest")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        # SQLite may already have rolled back (e.g. disk full); a failed COMMIT may not have.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing block that also works inside a caller's transaction.

    Without an open transaction this is :func:`transaction`. Inside one it is a SAVEPOINT: an
    exception undoes only this block and leaves the caller's transaction open for the caller to
    decide on.
    """
    if not conn.in_transaction:
        with transaction(conn):
            yield conn
        return
    name = f"cherry_migrate_sp_{next(_savepoint_ids)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # else SQLite already rolled back the whole transaction
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")
