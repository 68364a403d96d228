"""Identifier helpers: UUIDv4 for new ids, UUIDv7 (time-ordered) for messages, as upstream does."""

from __future__ import annotations

import os
import threading
import uuid

_lock = threading.Lock()
_last_ms = -1
_counter = 0


def new_uuid4() -> str:
    return str(uuid.uuid4())


def new_uuid7(timestamp_ms: int | None = None) -> str:
    """A UUIDv7 (RFC 9562) for ``timestamp_ms`` (now when None). Ids made for the same millisecond
    are strictly increasing: a 12-bit counter in ``rand_a`` carries the order."""
    global _last_ms, _counter
    if timestamp_ms is None:
        import time

        timestamp_ms = time.time_ns() // 1_000_000
    ms = max(0, int(timestamp_ms)) & ((1 << 48) - 1)
    with _lock:
        if ms == _last_ms:
            _counter = (_counter + 1) & 0xFFF
        else:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))
