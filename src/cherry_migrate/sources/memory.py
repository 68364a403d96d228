"""In-memory sources: legacy data given as Python objects (tests, and callers that already hold it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from cherry_migrate.sources.base import DictKeyValueSource, LegacySources
from cherry_migrate.sources.redux_path import lookup_path


class InMemoryRedux:
    def __init__(self, slices: dict[str, Any]) -> None:
        self._slices = slices

    def categories(self) -> list[str]:
        return list(self._slices)

    def has_category(self, category: str) -> bool:
        return category in self._slices

    def get_category(self, category: str) -> Any:
        return self._slices.get(category)

    def get(self, category: str, path: str) -> Any:
        return lookup_path(self._slices.get(category), path)

    def location(self, category: str) -> str:
        return f"redux slice '{category}'"

    def size_bytes(self, category: str) -> int:
        return len(orjson.dumps(self._slices.get(category)))


class InMemoryDexie:
    def __init__(self, tables: dict[str, list[Any]]) -> None:
        self._tables = tables

    def tables(self) -> list[str]:
        return list(self._tables)

    def table_exists(self, table: str) -> bool:
        return table in self._tables

    def iter_rows(self, table: str) -> Iterator[Any]:
        yield from self._tables.get(table, [])

    def iter_batches(self, table: str, batch_size: int) -> Iterator[list[Any]]:
        if batch_size <= 0:
            raise ValueError("batch_size must be a positive integer")
        rows = self._tables.get(table, [])
        for start in range(0, len(rows), batch_size):
            yield rows[start : start + batch_size]

    def count(self, table: str) -> int:
        return len(self._tables.get(table, []))

    def sample(self, table: str, n: int) -> list[Any]:
        return list(self._tables.get(table, [])[:n])

    def read_table(self, table: str) -> list[Any]:
        return list(self._tables.get(table, []))

    def size_bytes(self, table: str) -> int:
        return len(orjson.dumps(self._tables.get(table, [])))

    def location(self, table: str) -> str:
        return f"dexie table '{table}'"


def in_memory_sources(
    *,
    redux: dict[str, Any] | None = None,
    dexie: dict[str, list[Any]] | None = None,
    electron_store: dict[str, Any] | None = None,
    local_storage: dict[str, Any] | None = None,
) -> LegacySources:
    """Sources over plain Python data. The Dexie ``settings`` table, when given, also feeds
    ``dexie_settings`` (as ``{id: value}``), exactly as the export-folder reader does."""
    tables = dict(dexie or {})
    settings = {row["id"]: row.get("value") for row in tables.get("settings", []) if isinstance(row, dict)}
    return LegacySources(
        description="in-memory legacy data",
        redux=InMemoryRedux(dict(redux or {})),
        dexie=InMemoryDexie(tables),
        dexie_settings=DictKeyValueSource(settings, location="dexie table 'settings'"),
        local_storage=DictKeyValueSource(local_storage, location="localStorage"),
        electron_store=DictKeyValueSource(electron_store, location="config.json"),
    )
