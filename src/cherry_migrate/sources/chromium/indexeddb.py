"""Read IndexedDB databases straight from Chromium's LevelDB backing store.

:class:`IndexedDBReader` lists databases and object stores from the live metadata and streams
the live records of one store in primary-key order: :mod:`.leveldb` merges the sorted runs of
tables and logs for the store's key range without collecting its keys, and the store's
external-object entries (needed for Blob/File values and blob-wrapped values) are walked in step
with the data records, since both are ordered by primary key. Values are decoded through
:mod:`.envelope` and :mod:`.v8`; :func:`.json_compat.to_json_compatible` turns them into the
rows Cherry Studio's JSON exporter would have written.

What is and is not trusted:

* databases come only from live "database name" entries (global type 201); data under ids
  without such an entry (deleted or re-created databases) is ignored;
* object stores and indexes come from their live metadata; stores deleted by a later schema
  version (Dexie ``table: null``) therefore do not appear, even if stray rows survive;
* rows are read from data records only, never through index entries (those go stale);
* an undo log of a transaction that never committed is applied before anything is read;
* auto-increment keys are injected into values at their key path when the value lacks the
  property, as Chromium does when it reads such a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .binary import decode_utf16, read_varint
from .envelope import ExternalObject, decode_record_value, parse_external_objects
from .errors import ChromiumCorruptionError, ChromiumDecodeError, ChromiumNotFoundError, ReadIssue
from .idb_keys import (
    BLOB_INDEX_ID,
    DATA_INDEX_ID,
    KeyPath,
    decode_key,
    decode_key_path,
    decode_prefix,
    format_key,
    prefix_range,
    read_string_with_length,
)
from .idb_scopes import build_undo_overlay
from .leveldb import LevelDB

IDB_COMPARATOR = "idb_cmp1"
_DATABASE_NAME = 201  # global metadata type
_DB_VERSION, _STORE_META, _INDEX_META = 4, 50, 100  # database metadata types
_STORE_NAME, _STORE_KEY_PATH, _STORE_AUTO_INCREMENT = 0, 1, 2
_INDEX_NAME, _INDEX_UNIQUE, _INDEX_KEY_PATH, _INDEX_MULTI_ENTRY = 0, 1, 2, 3


@dataclass(frozen=True)
class IndexInfo:
    name: str
    id: int
    key_path: KeyPath
    unique: bool
    multi_entry: bool


@dataclass(frozen=True)
class ObjectStoreInfo:
    name: str
    id: int
    key_path: KeyPath
    auto_increment: bool
    indexes: tuple[IndexInfo, ...] = ()


@dataclass(frozen=True)
class DatabaseInfo:
    """A live database; ``origin`` is the identifier as stored (e.g. ``file__0@1``) and
    ``version`` the IndexedDB version (Dexie writes 10 x its schema version)."""

    name: str
    origin: str
    id: int
    version: int | None
    object_stores: tuple[ObjectStoreInfo, ...] = field(default=())

    def store(self, name: str) -> ObjectStoreInfo:
        for store in self.object_stores:
            if store.name == name:
                return store
        raise ChromiumNotFoundError(f"database {self.name!r} has no object store {name!r}")


def _int(value: bytes) -> int:
    """Chromium's Int: little-endian, minimal length."""
    return int.from_bytes(value, "little")


class _BlobEntries:
    """Walks the external-object entries of a store alongside its data records (same order)."""

    def __init__(
        self, entries: Iterator[tuple[bytes, bytes]], prefix_length: int, sort_key: Callable[[bytes], Any]
    ):
        self._entries = entries
        self._prefix_length = prefix_length
        self._sort_key = sort_key
        self._current: tuple[Any, bytes, bytes] | None = None
        self._advance()

    def _advance(self) -> None:
        entry = next(self._entries, None)
        self._current = None if entry is None else (self._sort_key(entry[0]), entry[0], entry[1])

    def lookup(self, sort_key: Any, encoded_key: bytes) -> list[ExternalObject]:
        while self._current is not None and self._current[0] < sort_key:
            self._advance()
        if self._current is not None and self._current[1][self._prefix_length :] == encoded_key:
            return parse_external_objects(self._current[2])
        return []


class IndexedDBReader:
    """Read-only access to one ``<origin>.indexeddb.leveldb`` folder (all databases of an origin).

    ``blob_dir`` is the sibling ``<origin>.indexeddb.blob`` folder, or None when there is none
    (Chromium creates it only once a first blob is written). Problems that were worked around
    are collected in :attr:`issues`. Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, leveldb_dir: Path, blob_dir: Path | None = None) -> None:
        self.folder = leveldb_dir
        self.blob_dir = blob_dir if blob_dir is not None and blob_dir.is_dir() else None
        self._db = LevelDB(leveldb_dir)
        self.issues: list[ReadIssue] = self._db.issues
        try:
            if self._db.comparator not in (None, IDB_COMPARATOR):
                raise ChromiumCorruptionError(
                    f"comparator {self._db.comparator!r}, not IndexedDB's {IDB_COMPARATOR}", str(leveldb_dir)
                )
            if (leveldb_dir / "corruption_info.json").exists():
                self.issues.append(
                    ReadIssue(
                        str(leveldb_dir), "corruption_info.json present: Chromium marked this store corrupt"
                    )
                )
            global_metadata = self._db.collect_range(prefix_range(0, 0, 0))
            self._db.overlay = build_undo_overlay(global_metadata)
            if self._db.overlay is not None:
                self.issues.append(
                    ReadIssue(str(leveldb_dir), "uncommitted transaction found and rolled back")
                )
                global_metadata = self._db.collect_range(prefix_range(0, 0, 0))
            self._databases = [
                self._read_database(key, value)
                for key, value in sorted(global_metadata.items())
                if key[4:5] == bytes((_DATABASE_NAME,))
            ]
        except ChromiumDecodeError as exc:
            self.close()
            raise ChromiumCorruptionError(f"unreadable metadata: {exc}", str(leveldb_dir)) from None
        except BaseException:
            self.close()
            raise

    @classmethod
    def for_origin(cls, storage_root: Path, origin_id: str = "file__0") -> IndexedDBReader:
        """Open ``<root>/IndexedDB/<origin_id>.indexeddb.leveldb`` and its ``.blob`` sibling."""
        folder = storage_root / "IndexedDB"
        return cls(folder / f"{origin_id}.indexeddb.leveldb", folder / f"{origin_id}.indexeddb.blob")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> IndexedDBReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- metadata ---------------------------------------------------------------------------

    def _read_database(self, key: bytes, value: bytes) -> DatabaseInfo:
        origin, pos = read_string_with_length(key, 5)
        name, _ = read_string_with_length(key, pos)
        database_id = _int(value)
        metadata = self._db.collect_range(prefix_range(database_id, 0, 0))
        version: int | None = None
        stores: dict[int, dict[int, bytes]] = {}
        indexes: dict[tuple[int, int], dict[int, bytes]] = {}
        for meta_key, meta_value in metadata.items():
            _, _, _, pos = decode_prefix(meta_key)
            kind = meta_key[pos]
            if kind == _DB_VERSION:
                version = read_varint(meta_value, 0)[0]
            elif kind == _STORE_META:
                store_id, pos = read_varint(meta_key, pos + 1)
                stores.setdefault(store_id, {})[meta_key[pos]] = meta_value
            elif kind == _INDEX_META:
                store_id, pos = read_varint(meta_key, pos + 1)
                index_id, pos = read_varint(meta_key, pos)
                indexes.setdefault((store_id, index_id), {})[meta_key[pos]] = meta_value
        object_stores = []
        for store_id, fields in sorted(stores.items()):
            if _STORE_NAME not in fields:
                continue  # deleted store: its name entry is gone
            store_indexes = tuple(
                IndexInfo(
                    decode_utf16(f[_INDEX_NAME], big_endian=True),
                    index_id,
                    decode_key_path(f.get(_INDEX_KEY_PATH, b"\0\0\0")),
                    f.get(_INDEX_UNIQUE, b"\0")[:1] not in (b"", b"\0"),
                    f.get(_INDEX_MULTI_ENTRY, b"\0")[:1] not in (b"", b"\0"),
                )
                for (owner, index_id), f in sorted(indexes.items())
                if owner == store_id and _INDEX_NAME in f
            )
            object_stores.append(
                ObjectStoreInfo(
                    decode_utf16(fields[_STORE_NAME], big_endian=True),
                    store_id,
                    decode_key_path(fields.get(_STORE_KEY_PATH, b"\0\0\0")),
                    fields.get(_STORE_AUTO_INCREMENT, b"\0")[:1] not in (b"", b"\0"),
                    store_indexes,
                )
            )
        return DatabaseInfo(name, origin, database_id, version, tuple(object_stores))

    def databases(self) -> list[DatabaseInfo]:
        """Live databases with their object stores and indexes."""
        return list(self._databases)

    def database(self, name: str) -> DatabaseInfo:
        found = [db for db in self._databases if db.name == name]
        if not found:
            raise ChromiumNotFoundError(f"no IndexedDB database {name!r} in {self.folder}")
        if len(found) > 1:
            raise ChromiumCorruptionError(
                f"database name {name!r} is live under several ids", str(self.folder)
            )
        return found[0]

    # -- records ----------------------------------------------------------------------------

    def iter_records(
        self,
        database: str,
        store: str,
        *,
        on_error: Callable[[ChromiumDecodeError], None] | None = None,
    ) -> Iterator[tuple[object, object]]:
        """Yield (primary key, value) of every live record of a store, in primary-key order.

        A record that cannot be decoded raises :class:`ChromiumDecodeError` (naming the folder and
        key), which ends the iteration; pass ``on_error`` to receive the error instead and go on
        with the next record.
        """
        db = self.database(database)
        info = db.store(store)
        data_range = prefix_range(db.id, info.id, DATA_INDEX_ID)
        blob_range = prefix_range(db.id, info.id, BLOB_INDEX_ID)
        prefix_length = len(data_range.prefix)
        blobs = _BlobEntries(self._db.iter_range(blob_range), len(blob_range.prefix), blob_range.sort_key)
        where = str(self.folder)
        for key, value in self._db.iter_range(data_range):
            try:
                primary_key, sort_key, end = decode_key(key, prefix_length)
                if end != len(key):
                    raise ChromiumDecodeError("trailing bytes after the primary key")
                readable = format_key(key)

                def report(message: str, readable: str = readable) -> None:
                    issue = ReadIssue(f"{where} key {readable}", message)
                    if issue not in self.issues:  # a store may be read more than once
                        self.issues.append(issue)

                external = blobs.lookup(sort_key, key[prefix_length:])
                decoded = decode_record_value(value, external, self.blob_dir, db.id, report)
                if info.auto_increment:
                    _inject_key(decoded, info.key_path, primary_key)
            except ChromiumDecodeError as exc:
                error = exc.located(where, format_key(key))
                if on_error is None:
                    raise error from None
                on_error(error)
                continue
            yield primary_key, decoded

    def count(self, database: str, store: str) -> int:
        """Number of live records of a store (values are not read)."""
        db = self.database(database)
        data_range = prefix_range(db.id, db.store(store).id, DATA_INDEX_ID)
        return sum(1 for _ in self._db.iter_range(data_range, values=False))


def _inject_key(value: object, key_path: KeyPath, key: object) -> None:
    """Put a generated key into the value at a single (possibly dotted) key path, if missing."""
    if not isinstance(key_path, str) or not key_path or not isinstance(value, dict):
        return
    *parents, last = key_path.split(".")
    target: dict[str, object] = value
    for name in parents:
        child = target.setdefault(name, {})
        if not isinstance(child, dict):
            return
        target = child
    target.setdefault(last, key)
