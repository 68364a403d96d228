"""Running one migrator through its three phases against a test context, and reading the results."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult
from cherry_migrate.migrators.base import BaseMigrator


@dataclass
class Run:
    prepared: PrepareResult
    executed: ExecuteResult
    validated: ValidateResult


def run_phases(migrator: BaseMigrator, ctx: MigrationContext) -> Run:
    """reset → prepare → execute → validate, asserting the ledger balances and validation passes."""
    migrator.reset()
    prepared = migrator.prepare(ctx)
    executed = migrator.execute(ctx)
    validated = migrator.validate(ctx)
    assert migrator.ledger.unbalanced() == {}
    assert validated.success, validated.errors
    stats = validated.stats
    assert stats.target_count >= stats.source_count - stats.skipped_count
    return Run(prepared, executed, validated)


def table(db: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def skips(migrator: BaseMigrator, kind: str) -> dict[str, list[str]]:
    """The skip reasons of one ledger kind with the ids recorded for each."""
    entry = migrator.ledger.kinds.get(kind)
    return {} if entry is None else {reason: list(bucket.ids) for reason, bucket in entry.skipped.items()}


def counts(migrator: BaseMigrator, kind: str) -> tuple[int, int, int]:
    """(read, written, skipped) of one ledger kind."""
    entry = migrator.ledger.kinds[kind]
    return entry.read, entry.written, entry.skipped_total
