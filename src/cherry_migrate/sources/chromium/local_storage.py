"""Read Chromium's localStorage (``Local Storage/leveldb``) without running the browser.

Key layout (bytewise comparator): ``VERSION``; ``META:<storage key>`` and
``METAACCESS:<storage key>`` (protobuf timestamps and sizes, not data); and
``_<storage key> 00 <script key>`` -> script value. The storage key is the serialized origin
without a trailing slash (``file://``, ``http://localhost:5173``). Script keys and values start
with an encoding byte: ``01`` Latin-1, ``00`` UTF-16LE (lone surrogates are kept, see
:func:`.binary.decode_utf16`).

Newest-wins and deletions are applied by the merged LevelDB view (:mod:`.leveldb`), which also
describes what happens when the app is running while this is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .binary import Buffer, decode_utf16
from .errors import ChromiumDecodeError, ReadIssue
from .leveldb import LevelDB, bytewise_range

LOCAL_STORAGE_PATH = Path("Local Storage") / "leveldb"
PERSIST_KEY = "persist:cherry-studio"
# The packaged app loads its renderer from file://; a development build from the dev server.
CHERRY_STUDIO_ORIGINS = ("file://", "http://localhost:5173")

_LATIN1, _UTF16 = 1, 0
_META_PREFIX = b"META:"


def decode_storage_string(data: Buffer) -> str:
    """Decode a script key or value by its leading encoding byte."""
    if not data:
        raise ChromiumDecodeError("empty localStorage string (missing encoding byte)")
    if data[0] == _LATIN1:
        return bytes(data[1:]).decode("latin-1")
    if data[0] == _UTF16:
        return decode_utf16(data[1:], big_endian=False)
    raise ChromiumDecodeError(f"unknown localStorage string encoding byte {data[0]}")


def encode_storage_string(text: str, utf16: bool) -> bytes:
    if utf16:
        return bytes((_UTF16,)) + text.encode("utf-16-le", "surrogatepass")
    return bytes((_LATIN1,)) + text.encode("latin-1")


def _storage_key(origin: str) -> bytes:
    if origin.endswith("/") and not origin.endswith("://"):
        origin = origin[:-1]
    return origin.encode("utf-8")


class LocalStorageReader:
    """Read-only access to a ``Local Storage/leveldb`` folder (all origins).

    Use as a context manager or call :meth:`close`; worked-around problems are in :attr:`issues`.
    """

    def __init__(self, leveldb_dir: Path) -> None:
        self.folder = leveldb_dir
        self._db = LevelDB(leveldb_dir)
        self.issues: list[ReadIssue] = self._db.issues

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> LocalStorageReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def origins(self) -> list[str]:
        """Storage keys that have localStorage metadata (every origin that stored something)."""
        keys = self._db.collect_range(bytewise_range(_META_PREFIX))
        return sorted(key[len(_META_PREFIX) :].decode("utf-8", "replace") for key in keys)

    def items(self, origin: str) -> Iterator[tuple[str, str]]:
        """Yield (key, value) of one origin, in stored key order."""
        prefix = b"_" + _storage_key(origin) + b"\0"
        for key, value in self._db.iter_range(bytewise_range(prefix)):
            yield self._decode(key, key[len(prefix) :]), self._decode(key, value)

    def get(self, origin: str, key: str) -> str | None:
        """The value stored under ``key`` for ``origin``, or None if there is none."""
        prefix = b"_" + _storage_key(origin) + b"\0"
        # Chromium writes Latin-1 whenever every code unit fits; try the other form as well.
        encodings = (False, True) if all(ord(c) < 0x100 for c in key) else (True,)
        for utf16 in encodings:
            wanted = prefix + encode_storage_string(key, utf16)
            for found, value in self._db.iter_range(bytewise_range(wanted)):
                if found == wanted:
                    return self._decode(found, value)
        return None

    def _decode(self, key: bytes, data: bytes) -> str:
        try:
            return decode_storage_string(data)
        except ChromiumDecodeError as exc:
            raise exc.located(str(self.folder), repr(key)) from None


def read_persist_value(userdata_dir: Path) -> str | None:
    """The raw ``persist:cherry-studio`` string of a Cherry Studio v1 userData folder.

    Looks under ``file://`` (packaged app) first, then the development origin. Returns None if
    there is no localStorage folder or no such key.
    """
    folder = userdata_dir / LOCAL_STORAGE_PATH
    if not folder.is_dir():
        return None
    with LocalStorageReader(folder) as reader:
        for origin in CHERRY_STUDIO_ORIGINS:
            value = reader.get(origin, PERSIST_KEY)
            if value is not None:
                return value
    return None
