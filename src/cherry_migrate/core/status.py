"""The durable run marker: ``app_state['migration_v2_status']`` (upstream's ``MigrationStatusValue``).

A completed run writes it into the new database. A failed or cancelled run never touches the target,
so its status is kept in the run report beside the target; ``read_status`` looks at both.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

STATUS_KEY = "migration_v2_status"
STATUS_VERSION = "2.0.0"


def completed_status(now_ms: int) -> dict[str, Any]:
    return {"status": "completed", "completedAt": now_ms, "version": STATUS_VERSION, "error": None}


def failed_status(now_ms: int, error: str, *, cancelled: bool = False) -> dict[str, Any]:
    value: dict[str, Any] = {
        "status": "failed",
        "failedAt": now_ms,
        "version": STATUS_VERSION,
        "error": error,
    }
    if cancelled:
        value["cancelled"] = True
    return value


def write_status(conn: sqlite3.Connection, value: dict[str, Any], now_ms: int) -> None:
    conn.execute(
        "INSERT INTO app_state(key, value, description, created_at, updated_at) VALUES(?, ?, ?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (STATUS_KEY, orjson.dumps(value).decode(), "Migration V2 status", now_ms, now_ms),
    )


def read_status_from_db(path: Path) -> dict[str, Any] | None:
    """The status row of a database file, read without modifying it; None when absent."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM app_state WHERE key = ?", (STATUS_KEY,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if row is None:
        return None
    value = orjson.loads(row[0])
    return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class StatusView:
    """What ``cherry-migrate status`` shows: the database's marker and the last run's report."""

    target: Path
    database_status: dict[str, Any] | None
    last_run: dict[str, Any] | None

    @property
    def effective(self) -> dict[str, Any] | None:
        """The most recent of the two: a failed run after a completed one shows as failed."""
        report_status = (self.last_run or {}).get("status")
        if not isinstance(report_status, dict):
            return self.database_status
        if self.database_status is None:
            return report_status
        if report_status.get("status") == "completed":
            return self.database_status
        failed_at = report_status.get("failedAt") or 0
        completed_at = self.database_status.get("completedAt") or 0
        return report_status if failed_at >= completed_at else self.database_status

    @property
    def needs_migration(self) -> bool:
        status = self.database_status
        return not (status and status.get("status") == "completed")


def read_status(target: Path, report_file: Path) -> StatusView:
    last_run = None
    if report_file.is_file():
        try:
            loaded = orjson.loads(report_file.read_bytes())
            last_run = loaded if isinstance(loaded, dict) else None
        except orjson.JSONDecodeError:
            last_run = None
    return StatusView(target=target, database_status=read_status_from_db(target), last_run=last_run)
