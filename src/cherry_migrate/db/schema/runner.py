"""Apply pending schema steps and record them in ``schema_migrations``."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence

from cherry_migrate.db.schema.steps import SchemaStep
from cherry_migrate.db.transaction import transaction

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)

BOOKKEEPING_TABLE_SQL = """CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)"""


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (trigger bodies stay whole).

    Needed because ``executescript`` would commit the transaction the steps run in. Text after
    the last statement may only be comments.
    """
    statements: list[str] = []
    buffer = ""
    *terminated, tail = script.split(";")
    for piece in terminated:
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.rstrip(";").strip():
                statements.append(buffer.strip())
            buffer = ""
    rest = _COMMENTS.sub("", buffer + tail).strip()
    if rest:
        raise ValueError(f"incomplete SQL statement at the end of the script: {rest[:80]!r}")
    return statements


def apply_steps(conn: sqlite3.Connection, steps: Sequence[SchemaStep]) -> list[int]:
    """Apply the steps not yet recorded, in version order, in one transaction.

    Returns the versions applied now (empty when the database is up to date). On error nothing
    is applied: the database stays at the version it had.
    """
    _check_steps(steps)
    applied_now: list[int] = []
    with transaction(conn):
        conn.execute(BOOKKEEPING_TABLE_SQL)
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for step in steps:
            if step.version in done:
                continue
            for statement in split_statements(step.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (step.version, step.name, time.time_ns() // 1_000_000),
            )
            applied_now.append(step.version)
    return applied_now


def _check_steps(steps: Sequence[SchemaStep]) -> None:
    versions = [step.version for step in steps]
    if any(v <= 0 for v in versions) or versions != sorted(set(versions)):
        raise ValueError(f"schema step versions must be positive and strictly increasing: {versions}")
