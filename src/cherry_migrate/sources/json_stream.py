"""Streaming reader for one JSON array file (a Dexie table export): constant memory whatever its size.

Built on ijson's C backend. Bytes pass through a small filter that replaces lone surrogate escapes
(see ``text_fixes``); a parse error becomes a SourceDataError naming the file and the index of the
record being read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.sources.text_fixes import MAX_ESCAPE_TOKEN, replace_lone_surrogate_escapes_before

READ_CHUNK = 1 << 20
"""Bytes read per call while records are small (ijson's buffer size)."""


class _SurrogateFilter:
    """A read-only file object that rewrites lone surrogate escapes on the fly.

    Each read keeps back the bytes after the last safe cut (fewer than two escape tokens' worth),
    so an escape, a surrogate pair or an escaped backslash is never split between two reads.

    Reads grow with the record being parsed: yajl re-scans a string token from its start whenever
    another buffer arrives, so a 50 MB string read 1 MB at a time costs quadratic time (about 40 s).
    Reading as many bytes again as the current record has taken so far makes that linear; memory
    stays proportional to the record, which is built whole anyway.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._pending = b""
        self._record_bytes = 0
        self.replaced = 0

    def record_done(self) -> None:
        """Called when a record has been yielded: reads shrink back to ``READ_CHUNK``."""
        self._record_bytes = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes with read(0) to learn whether the stream gives bytes or text
            return b""
        wanted = READ_CHUNK if size is None or size < 0 else max(size, MAX_ESCAPE_TOKEN)
        while True:
            chunk = self._raw.read(max(wanted, self._record_bytes))
            self._record_bytes += len(chunk)
            data = self._pending + chunk
            limit = len(data) - MAX_ESCAPE_TOKEN + 1 if chunk else len(data)
            fixed, replaced, covered = replace_lone_surrogate_escapes_before(data, limit)
            if covered or not chunk:
                self._pending = data[covered:]
                self.replaced += replaced
                return fixed
            self._pending = data


class JsonArrayFile:
    """One ``<table>.json`` file holding a JSON array."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.surrogates_replaced = 0

    def __iter__(self) -> Iterator[Any]:
        index = -1
        try:
            with self.path.open("rb") as raw:
                stream = _SurrogateFilter(raw)
                head = raw.read(1)
                while head in (b" ", b"\n", b"\r", b"\t", b"\xef", b"\xbb", b"\xbf"):
                    head = raw.read(1)
                if head == b"":
                    raise SourceDataError(self.path, "the file is empty; expected a JSON array")
                if head != b"[":
                    raise SourceDataError(
                        self.path, f"expected a JSON array at the top level, found {head!r}"
                    )
                stream._pending = head
                for item in ijson.items(stream, "item", use_float=True, buf_size=READ_CHUNK):
                    index += 1
                    stream.record_done()
                    yield item
                self.surrogates_replaced = stream.replaced
        except ijson.JSONError as exc:
            raise SourceDataError(
                self.path,
                f"invalid JSON after {index + 1} complete record(s): {_first_line(exc)}",
                record=f"#{index + 1} (0-based)",
            ) from exc
        except UnicodeDecodeError as exc:  # yajl lets UTF-8-encoded surrogates (CESU-8) through to Python
            raise SourceDataError(
                self.path,
                f"is not valid UTF-8 after {index + 1} complete record(s): {exc.reason}",
                record=f"#{index + 1} (0-based)",
            ) from exc
        except OSError as exc:
            raise SourceDataError(self.path, f"cannot be read ({exc.strerror or exc})") from exc

    def batches(self, batch_size: int) -> Iterator[list[Any]]:
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError("batch_size must be a positive integer")
        batch: list[Any] = []
        for item in self:
            batch.append(item)
            if len(batch) == batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def count(self) -> int:
        return sum(1 for _ in self)

    def sample(self, n: int) -> list[Any]:
        if n < 0:
            raise ValueError("n must be >= 0")
        out: list[Any] = []
        if n == 0:
            return out
        for item in self:
            out.append(item)
            if len(out) >= n:
                break
        return out


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    if isinstance(exc.args[0] if exc.args else None, bytes):
        text = exc.args[0].decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else type(exc).__name__
