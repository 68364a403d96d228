"""Fixtures shared by every test: a real SQLite target and a context over in-memory legacy data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.sources.base import LegacySources
from cherry_migrate.sources.memory import in_memory_sources

ContextFactory = Callable[..., MigrationContext]

FIXED_NOW_MS = 1_760_000_000_000


@pytest.fixture
def make_context(tmp_path: Path) -> Iterator[ContextFactory]:
    """``make_context(redux=..., dexie=..., electron_store=..., local_storage=..., sources=..., shared=...)``
    builds a context whose ``db`` is a real SQLite file with the v2 schema under ``tmp_path``."""
    from cherry_migrate.db.connection import open_target_db

    opened: list[MigrationContext] = []

    def factory(
        *,
        sources: LegacySources | None = None,
        shared: dict[str, Any] | None = None,
        legacy_root: Path | None = None,
        **data: Any,
    ) -> MigrationContext:
        src = sources or in_memory_sources(**data)
        if legacy_root is not None:
            src.root = legacy_root
        target = tmp_path / f"target-{len(opened)}.sqlite"
        conn = open_target_db(target)
        ctx = MigrationContext(
            sources=src,
            db=conn,
            paths=MigrationPaths(target=target, legacy_root=legacy_root or src.root),
            shared_data=dict(shared or {}),
            now_ms=FIXED_NOW_MS,
        )
        opened.append(ctx)
        return ctx

    yield factory
    for ctx in opened:
        ctx.db.close()
