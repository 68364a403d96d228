"""A read-only, merged view of a LevelDB folder: the newest live entry of each key.

Reading never changes the folder: files are opened read-only, ``LOCK`` is not touched, nothing
is replayed or compacted (a LevelDB library would do all three on open).

**Snapshot.** On open the reader reads ``CURRENT``/``MANIFEST`` once, checks that every live
table exists, opens the live logs and indexes them up to their length at that moment; bytes a
running app appends later are not seen, so no half-written record is read. Tables are opened
only while a range is read (a large profile has hundreds, more than some systems allow open at
once). If a listed table is missing at open time (compacted away between listing and opening)
the file list is read once more; if one vanishes later, reading fails with
:class:`MissingFileError`. This is a best effort, not a transaction: for a reliable migration read
a copy taken with the app closed.

**Streaming.** A key range (one object store, one localStorage origin) is read by merging sorted
runs, like LevelDB's own iterator:

* a table is sorted; its entries inside the range are produced block by block
  (``leveldb_table``), skipping blocks before the range by the table index. Level-0 tables may
  overlap, so each is a run of its own; the tables of a deeper level are disjoint, so the
  manifest's smallest/largest keys select those that overlap the range and they are read one
  after another as one run. One data block and one open file per run;
* logs are not sorted. At open the reader indexes them once: raw key -> (sequence, kind, file
  ranges of the value), newest entry only, values left on disk. LevelDB flushes a log into a
  table once it reaches its write-buffer size (a few MB), so this index is bounded by the log
  size, not by the size of the database. For a range the matching log keys are sorted in memory;
* the runs are merged with ``heapq.merge`` by (range sort key, descending sequence number); the
  first entry of each key is its newest; a deletion there hides the key, and older entries of the
  same key are skipped. Values are read from disk only for the entries yielded.

Memory therefore grows with the log size and the number of levels and level-0 tables, never
with the number of records. The caller supplies the range's sort key, which must agree with the comparator the
tables were written with (bytewise for localStorage, ``idb_cmp1`` for IndexedDB, see
``idb_keys``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import ChromiumDecodeError, ReadIssue
from .leveldb_log import KIND_DELETE, KIND_PUT, iter_log_records, parse_write_batch
from .leveldb_manifest import FileSet, MissingFileError, TableFile, list_live_files
from .leveldb_table import Table, safe_position

_OVERLAY_SEQUENCE = 1 << 64  # newer than anything stored


@dataclass(frozen=True)
class KeyRange:
    """All keys starting with ``prefix``.

    ``position`` places any key before (-1), inside (0) or after (1) the range in the file's
    comparator order; ``sort_key`` orders keys inside the range as that comparator does.
    """

    prefix: bytes
    position: Callable[[bytes], int]
    sort_key: Callable[[bytes], Any]


def bytewise_range(prefix: bytes) -> KeyRange:
    """Key range for a folder using ``leveldb.BytewiseComparator`` (e.g. localStorage)."""

    def position(key: bytes) -> int:
        if key.startswith(prefix):
            return 0
        return -1 if key < prefix else 1

    return KeyRange(prefix, position, bytes)


@dataclass(frozen=True)
class Overlay:
    """A state that replaces the stored one: ``points`` maps keys to a value or ``None``
    (absent); keys for which ``deleted`` is true are absent unless they are in ``points``.
    Used to roll back a transaction that never committed."""

    points: dict[bytes, bytes | None]
    deleted: Callable[[bytes], bool]


_LogEntry = tuple[int, int, int, tuple[tuple[int, int], ...]]  # sequence, kind, log index, value ranges


class LevelDB:
    """Open a LevelDB folder read-only; use as a context manager or call :meth:`close`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.issues: list[ReadIssue] = []
        self.overlay: Overlay | None = None
        self.comparator: str | None = None
        self._tables: list[TableFile] = []
        self._logs: list[BinaryIO] = []
        self._log_index: dict[bytes, _LogEntry] = {}
        if not folder.is_dir():
            raise FileNotFoundError(f"no LevelDB folder at {folder}")
        for attempt in range(2):
            try:
                self._open(list_live_files(folder, self.issues))
                break
            except (MissingFileError, FileNotFoundError) as exc:
                self.close()
                if attempt:
                    raise
                self.issues.append(
                    ReadIssue(str(folder), f"file list changed while opening, retrying: {exc}")
                )

    def _open(self, files: FileSet) -> None:
        self.comparator = files.comparator
        self._log_index = {}
        self._tables = files.tables
        for path in files.logs:
            f = path.open("rb")
            self._logs.append(f)
            self._index_log(f, len(self._logs) - 1, str(path))

    def _index_log(self, f: BinaryIO, log: int, where: str) -> None:
        index = self._log_index
        for record in iter_log_records(f, where, self.issues):
            try:
                entries = parse_write_batch(record.data)
            except ChromiumDecodeError as exc:
                self.issues.append(ReadIssue(f"{where}@{record.offset}", f"write batch dropped: {exc}"))
                continue
            for entry in entries:
                old = index.get(entry.key)
                if old is None or old[0] < entry.sequence:
                    ranges = (
                        record.locate(entry.value_start, entry.value_length) if entry.value_length else ()
                    )
                    index[entry.key] = (entry.sequence, entry.kind, log, ranges)

    def close(self) -> None:
        for f in self._logs:
            f.close()
        self._logs.clear()

    def __enter__(self) -> LevelDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_log_value(self, log: int, ranges: tuple[tuple[int, int], ...]) -> bytes:
        f = self._logs[log]
        parts = []
        for offset, size in ranges:
            f.seek(offset)
            parts.append(f.read(size))
        return b"".join(parts)

    def _table_entries(
        self, table: TableFile, key_range: KeyRange
    ) -> Iterator[tuple[bytes, int, int, memoryview]]:
        """Entries of one table inside the range; the file is open only while it is read."""
        try:
            f = table.path.open("rb")
        except FileNotFoundError:
            raise MissingFileError(
                f"table {table.path.name} vanished after the folder was opened (compacted by a running "
                "app? read a copy made with the app closed)",
                str(self.folder),
            ) from None
        with f:
            yield from Table(f, str(table.path), self.issues).iter_range(key_range.position, key_range.prefix)

    def _table_runs(self, key_range: KeyRange) -> list[list[TableFile]]:
        """Tables that may hold keys of the range, as runs that are each sorted: one run per
        level-0 table (they overlap), one per deeper level (its tables are disjoint, read one
        after another in key order). So at most one table per run is open at a time."""
        position = key_range.position
        runs: list[list[TableFile]] = []
        levels: dict[int, list[tuple[Any, TableFile]]] = {}
        for table in self._tables:
            if table.smallest is None or table.largest is None:
                runs.append([table])  # no manifest bounds (fallback file list): read it on its own
                continue
            start, end = safe_position(position, table.smallest), safe_position(position, table.largest)
            if end < 0 or start > 0:
                continue  # the table lies wholly before or after the range
            if table.level == 0:
                runs.append([table])
            else:
                order = (0,) if start < 0 else (1, key_range.sort_key(table.smallest))
                levels.setdefault(table.level, []).append((order, table))
        for _, tables in sorted(levels.items()):
            runs.append([table for _, table in sorted(tables, key=lambda item: item[0])])
        return runs

    def _sources(self, key_range: KeyRange) -> list[Iterable[tuple[Any, ...]]]:
        prefix, sort_key = key_range.prefix, key_range.sort_key
        sources: list[Iterable[tuple[Any, ...]]] = []
        log_entries = [
            (sort_key(key), -seq, 0, key, kind, ranges)
            for key, (seq, kind, _, ranges) in self._log_index.items()
            if key.startswith(prefix)
        ]
        log_entries.sort(key=lambda e: (e[0], e[1]))
        sources.append(log_entries)
        for number, run in enumerate(self._table_runs(key_range), start=1):
            entries = (entry for table in run for entry in self._table_entries(table, key_range))
            sources.append(
                (sort_key(key), -seq, number, key, kind, value) for key, seq, kind, value in entries
            )
        if self.overlay is not None:
            points = [
                (
                    sort_key(key),
                    -_OVERLAY_SEQUENCE,
                    -1,
                    key,
                    KIND_DELETE if value is None else KIND_PUT,
                    value,
                )
                for key, value in self.overlay.points.items()
                if key.startswith(prefix)
            ]
            points.sort(key=lambda e: e[0])
            sources.append(points)
        return sources

    def iter_range(self, key_range: KeyRange, *, values: bool = True) -> Iterator[tuple[bytes, bytes]]:
        """Yield (key, value) of every live key in the range, in the range's sort order.

        With ``values=False`` the values are not read (``b""`` is yielded instead).
        """
        overlay = self.overlay
        last_sort_key: Any = object()
        seen: set[bytes] = set()
        for sort_key, _, source, key, kind, ref in heapq.merge(*self._sources(key_range)):
            if sort_key != last_sort_key:
                last_sort_key = sort_key
                seen.clear()
            elif key in seen:
                continue  # an older entry of a key already decided
            seen.add(key)
            if kind != KIND_PUT:
                continue
            if overlay is not None and key not in overlay.points and overlay.deleted(key):
                continue
            if not values:
                yield key, b""
            elif source == 0:
                yield key, self._read_log_value(self._log_index[key][2], ref)
            else:
                yield key, bytes(ref)

    def collect_range(self, key_range: KeyRange) -> dict[bytes, bytes]:
        """All live keys of a small range (metadata) as a dict, in no particular order.

        Does not depend on ``sort_key`` agreeing with the comparator, only on ``position``.
        """
        newest: dict[bytes, tuple[int, int, bytes]] = {}
        prefix = key_range.prefix
        for key, (seq, kind, log, ranges) in self._log_index.items():
            if key.startswith(prefix):
                newest[key] = (seq, kind, self._read_log_value(log, ranges) if kind == KIND_PUT else b"")
        for run in self._table_runs(key_range):
            for key, seq, kind, value in (e for table in run for e in self._table_entries(table, key_range)):
                old = newest.get(key)
                if old is None or old[0] < seq:
                    newest[key] = (seq, kind, bytes(value))
        result = {key: value for key, (_, kind, value) in newest.items() if kind == KIND_PUT}
        if self.overlay is not None:
            deleted = self.overlay.deleted
            result = {k: v for k, v in result.items() if k in self.overlay.points or not deleted(k)}
            for key, point in self.overlay.points.items():
                if key.startswith(prefix):
                    if point is None:
                        result.pop(key, None)
                    else:
                        result[key] = point
        return result
