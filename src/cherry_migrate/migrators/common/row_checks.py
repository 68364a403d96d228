"""Row counts and the row-based validation result used by the note, mini-app, painting, translate and
prompt migrators.

Their stats are counted in target rows, not source records: a source record merged into an earlier one
(a path both starred and expanded, a pinned app also listed as enabled) is written but adds no row, so
``source_count`` is the rows expected plus the records skipped, which keeps the engine's
``target >= source - skipped`` rule exact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.types import ValidateResult, ValidationError, ValidationStats
from cherry_migrate.db.quoting import quote_identifier


def count_rows(conn: sqlite3.Connection, table: str) -> int:
    (count,) = conn.execute(f"SELECT count(*) FROM {quote_identifier(table)}").fetchone()
    return int(count)


def row_count_error(table: str, expected: int, actual: int) -> ValidationError | None:
    """An error when ``table`` does not hold exactly the rows this run wrote (tables start empty)."""
    if actual == expected:
        return None
    return ValidationError(
        key=f"{table}_count_mismatch",
        message=f"Expected {expected} rows in {table} but found {actual}",
        expected=expected,
        actual=actual,
    )


def row_based_result(
    ledger: Ledger,
    expected_rows: int,
    target_rows: int,
    errors: list[ValidationError],
    *,
    other_kinds: Collection[str] = (),
) -> ValidateResult:
    """``other_kinds``: ledger kinds that do not become rows of the counted table (their skips are
    reported by the ledger, not in these stats)."""
    skipped = sum(entry.skipped_total for kind, entry in ledger.kinds.items() if kind not in other_kinds)
    mismatch = None if target_rows == expected_rows else f"expected {expected_rows} rows, found {target_rows}"
    return ValidateResult(
        success=not errors,
        stats=ValidationStats(
            source_count=expected_rows + skipped,
            target_count=target_rows,
            skipped_count=skipped,
            mismatch_reason=mismatch,
        ),
        errors=errors,
    )
