"""Writing the export folder: byte counting and JSON arrays streamed one row at a time."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson

_STREAM_BUFFER = 1 << 20


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, key order preserved: the same bytes ``JSON.stringify`` produces for our data."""
    return orjson.dumps(value)


class ExportWriter:
    """Creates files under the export folder and counts every byte written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bytes_written = 0

    def path(self, relative: str) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_bytes(self, relative: str, data: bytes) -> None:
        self.path(relative).write_bytes(data)
        self.bytes_written += len(data)

    def write_json(self, relative: str, value: Any) -> None:
        self.write_bytes(relative, dumps(value))

    def write_rows(self, relative: str, rows: Iterable[Any]) -> int:
        """Write a Dexie-export style array (``[row,row]``, no whitespace); returns the row count."""
        with self.array(relative) as out:
            for row in rows:
                out.append(dumps(row))
            return out.count

    def write_electron_store(self, relative: str, value: dict[str, Any]) -> None:
        """electron-store (``conf``) serialises with ``JSON.stringify(value, undefined, '\\t')``."""
        self.write_bytes(relative, json.dumps(value, indent="\t", ensure_ascii=False).encode())

    def array(self, relative: str) -> ArrayStream:
        return ArrayStream(self, self.path(relative))


class ArrayStream:
    """A JSON array written element by element; each element's bytes may themselves be streamed."""

    def __init__(self, writer: ExportWriter, path: Path) -> None:
        self._writer = writer
        self._file: IO[bytes] = path.open("wb", buffering=_STREAM_BUFFER)
        self.count = 0
        self._write(b"[")

    def _write(self, data: bytes) -> None:
        self._file.write(data)
        self._writer.bytes_written += len(data)

    def append(self, element: bytes) -> None:
        """Append one complete, serialised element."""
        self._write(b"," + element if self.count else element)
        self.count += 1

    def begin_element(self) -> None:
        """Start a new element whose bytes follow through ``write_raw`` (used for huge topic rows)."""
        if self.count:
            self._write(b",")
        self.count += 1

    def write_raw(self, data: bytes) -> None:
        self._write(data)

    def close(self) -> None:
        self._write(b"]")
        self._file.close()

    def __enter__(self) -> ArrayStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self._file.close()
