"""Dexie tables exported as ``dexie_export/<table>.json`` (one JSON array each), read by streaming."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cherry_migrate.sources.json_stream import JsonArrayFile


class DexieExportDir:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.surrogates_replaced = 0

    def _file(self, table: str) -> JsonArrayFile:
        return JsonArrayFile(self.directory / f"{table}.json")

    def tables(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json"))

    def table_exists(self, table: str) -> bool:
        return (self.directory / f"{table}.json").is_file()

    def iter_rows(self, table: str) -> Iterator[Any]:
        if not self.table_exists(table):
            return
        source = self._file(table)
        yield from source
        self.surrogates_replaced += source.surrogates_replaced

    def iter_batches(self, table: str, batch_size: int) -> Iterator[list[Any]]:
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError("batch_size must be a positive integer")
        if not self.table_exists(table):
            return
        source = self._file(table)
        yield from source.batches(batch_size)
        self.surrogates_replaced += source.surrogates_replaced

    def count(self, table: str) -> int:
        return self._file(table).count() if self.table_exists(table) else 0

    def sample(self, table: str, n: int) -> list[Any]:
        return self._file(table).sample(n) if self.table_exists(table) else []

    def read_table(self, table: str) -> list[Any]:
        return list(self.iter_rows(table))

    def size_bytes(self, table: str) -> int:
        path = self.directory / f"{table}.json"
        return path.stat().st_size if path.is_file() else 0

    def location(self, table: str) -> str:
        return str(self.directory / f"{table}.json")
