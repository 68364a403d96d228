"""Engine-level checks applied after each migrator's own ``validate``."""

from __future__ import annotations

import sqlite3

from cherry_migrate.core.types import ValidateResult
from cherry_migrate.db.connection import foreign_key_violations
from cherry_migrate.migrators.base import BaseMigrator


def check_migrator_result(
    migrator: BaseMigrator, validated: ValidateResult, conn: sqlite3.Connection
) -> str | None:
    """The reason the run must stop after this migrator, or None.

    Upstream's rule first: ``target < source - skipped`` fails, any validation error fails
    (``ValidateResult.success`` itself is not consulted). Then ours: every record in the ledger is
    accounted for, and the tables the migrator owns have no foreign-key violations.
    """
    stats = validated.stats
    expected = stats.source_count - stats.skipped_count
    if stats.target_count < expected:
        reason = f" {stats.mismatch_reason}" if stats.mismatch_reason else ""
        return f"{migrator.name} count mismatch: expected {expected}, got {stats.target_count}.{reason}"
    if validated.errors:
        shown = "; ".join(e.message for e in validated.errors[:3])
        more = f" (+{len(validated.errors) - 3} more)" if len(validated.errors) > 3 else ""
        return f"{migrator.name} validation failed: {shown}{more}"
    unbalanced = migrator.ledger.unbalanced()
    if unbalanced:
        described = ", ".join(
            f"{kind}: {abs(n)} record(s) {'unaccounted for' if n > 0 else 'counted twice'}"
            for kind, n in sorted(unbalanced.items())
        )
        return f"{migrator.name} accounting failed: {described}"
    for table in migrator.owned_tables:
        count, sample = foreign_key_violations(conn, table)
        if count:
            described = "; ".join(f"{v.table}(rowid={v.rowid})→{v.parent}" for v in sample)
            return f"{migrator.name} left {count} foreign-key violation(s) in {table}: {described}"
    return None
