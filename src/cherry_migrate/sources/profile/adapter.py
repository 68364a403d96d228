"""``DexieTables`` over the Dexie database read straight from Chromium's IndexedDB files.

Each row is what Cherry Studio's own exporter would have written to ``dexie_export/<table>.json``
(``to_json_compatible`` applies ``JSON.stringify``'s rules), in ascending primary-key order, with
lone UTF-16 surrogates replaced by U+FFFD as the export-folder reader does. Rows are decoded one at a
time while a table is iterated; nothing holds a whole table.

Damage does not stop a table:

* a record whose value cannot be decoded (a bad value, a missing or truncated blob file, a BigInt that
  ``JSON.stringify`` would refuse) is skipped, and one warning naming the table, the record's key and
  the file goes into the run's source warnings (``LegacySources.warnings``, which the run report lists
  under ``source.warnings``). The record never reaches a migrator, so it does not appear in a ledger;
* problems the reader worked around (a torn log tail, a block with a bad checksum, a rolled-back
  transaction) go into the same list, once each;
* damage that makes the whole database unreliable (a broken table index, a table file that vanished)
  raises ``SourceDataError`` naming the file.

All reads come from one snapshot taken when the reader was opened, so ``count`` is cached: it counts
the live records of a store, undecodable ones included.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Generator, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.sources.chromium import (
    ChromiumDecodeError,
    ChromiumReadError,
    IndexedDBReader,
    JsonConversionError,
    to_json_compatible,
)
from cherry_migrate.sources.text_fixes import fix_surrogates


class ProfileDexie:
    """The tables ``tables`` of IndexedDB database ``database`` of ``reader``; ``warnings`` receives
    skipped records and reader issues (pass the ``LegacySources.warnings`` list).

    The reader is closed by :meth:`close`, or when this object is garbage collected.
    """

    def __init__(
        self, reader: IndexedDBReader, database: str, tables: list[str], warnings: list[str]
    ) -> None:
        self._reader = reader
        self._database = database
        self._tables = sorted(tables)
        self._warnings = warnings
        self._reported: set[str] = set(warnings)
        self._counts: dict[str, int] = {}
        self._disk_bytes: int | None = None
        self._close = weakref.finalize(self, reader.close)
        self._report_issues()

    def close(self) -> None:
        self._close()

    # -- DexieTables -----------------------------------------------------------------------------

    def tables(self) -> list[str]:
        return list(self._tables)

    def table_exists(self, table: str) -> bool:
        return table in self._tables

    def iter_rows(self, table: str) -> Generator[Any, None, None]:
        if not self.table_exists(table):
            return
        records = self._reader.iter_records(self._database, table, on_error=self._skip_record(table))
        try:
            for key, value in records:
                row = self._to_row(table, key, value)
                if row is not None:
                    yield row
        except ChromiumReadError as exc:
            raise self._unreadable(exc) from exc
        finally:
            self._report_issues()

    def iter_batches(self, table: str, batch_size: int) -> Iterator[list[Any]]:
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError("batch_size must be a positive integer")
        rows = self.iter_rows(table)
        while batch := list(islice(rows, batch_size)):
            yield batch

    def count(self, table: str) -> int:
        if not self.table_exists(table):
            return 0
        if table not in self._counts:
            try:
                self._counts[table] = self._reader.count(self._database, table)
            except ChromiumReadError as exc:
                raise self._unreadable(exc) from exc
        return self._counts[table]

    def sample(self, table: str, n: int) -> list[Any]:
        if n < 0:
            raise ValueError("n must be >= 0")
        rows = self.iter_rows(table)
        try:
            return list(islice(rows, n))
        finally:
            rows.close()

    def read_table(self, table: str) -> list[Any]:
        return list(self.iter_rows(table))

    def size_bytes(self, table: str) -> int:
        """Approximate: the database's files on disk (its LevelDB folder and its blob files), split
        over its tables by record count. LevelDB keeps compressed blocks, stale versions and every
        database of the origin in one folder, so this is an order of magnitude, not an exact size."""
        if not self.table_exists(table):
            return 0
        total = sum(self.count(t) for t in self._tables)
        if total == 0:
            return 0
        if self._disk_bytes is None:
            self._disk_bytes = self._files_size()
        return round(self._disk_bytes * self.count(table) / total)

    def location(self, table: str) -> str:
        return f"IndexedDB store '{table}' of database '{self._database}' in {self._reader.folder}"

    # -- helpers ---------------------------------------------------------------------------------

    def _to_row(self, table: str, key: object, value: object) -> Any:
        try:
            row = to_json_compatible(value)
        except JsonConversionError as exc:
            self._warn(f"{self.location(table)}: record {key!r} skipped: {exc} (JSON.stringify would throw)")
            return None
        try:
            orjson.dumps(row)  # fast check: refuses lone surrogates, which are rare
        except orjson.JSONEncodeError:
            row, _ = fix_surrogates(row)
        return row

    def _skip_record(self, table: str) -> Callable[[ChromiumDecodeError], None]:
        def skip(error: ChromiumDecodeError) -> None:
            self._warn(
                f"{self.location(table)}: record {error.key} skipped, it cannot be decoded: "
                f"{error.reason} ({error.file})"
            )

        return skip

    def _unreadable(self, exc: ChromiumReadError) -> SourceDataError:
        self._report_issues()
        return unreadable("IndexedDB", exc, self._reader.folder)

    def _report_issues(self) -> None:
        for issue in self._reader.issues:
            self._warn(f"IndexedDB: {issue}")

    def _warn(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self._warnings.append(message)

    def _files_size(self) -> int:
        folders: list[Path] = [self._reader.folder]
        if self._reader.blob_dir is not None:
            database_id = self._reader.database(self._database).id
            folders.append(self._reader.blob_dir / f"{database_id:x}")
        total = 0
        for folder in folders:
            for root, _, files in os.walk(folder):
                for name in files:
                    try:
                        total += os.stat(os.path.join(root, name)).st_size
                    except OSError:
                        continue
        return total


def unreadable(store: str, exc: ChromiumReadError, folder: Path) -> SourceDataError:
    """Damage that stops a read, as an error naming the damaged file (``folder`` when the reader
    did not name one)."""
    file = getattr(exc, "file", None) or str(folder)
    problem = str(exc).removeprefix(f"{file}: ")
    return SourceDataError(file, f"the {store} data cannot be read: {problem}")
