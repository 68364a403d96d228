"""The context every migrator phase receives."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from cherry_migrate.core.cancel import CancelToken
from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.redaction import SecretRegistry
from cherry_migrate.sources.base import LegacySources


@dataclass
class MigrationContext:
    """``sources`` is the only way to the legacy data; ``shared_data`` the only channel between
    migrators (a later migrator never re-reads a source that an earlier one already interpreted)."""

    sources: LegacySources
    db: sqlite3.Connection
    paths: MigrationPaths
    cancel: CancelToken = field(default_factory=CancelToken)
    secrets: SecretRegistry = field(default_factory=SecretRegistry)
    shared_data: dict[str, Any] = field(default_factory=dict)
    logger: logging.Logger = field(default_factory=lambda: logging.getLogger("cherry_migrate.engine"))
    now_ms: int = 0
    """One timestamp for the whole run, for created_at/updated_at columns that have no legacy value."""
