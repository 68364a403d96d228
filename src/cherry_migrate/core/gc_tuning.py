"""Fewer cyclic garbage-collector passes during bulk work.

A migration allocates millions of short-lived containers (parsed records, parts, rows). With the
default first-generation threshold (700 allocations) the collector runs constantly, and every
object alive at that moment (a batch of topics, its messages) is promoted and later re-scanned by
full collections, which visit the whole heap. A higher threshold lets those objects die young (a
few percent of a chat migration's CPU time, see docs/performance.md). Reference counting still
frees everything that is not in a cycle at once, so memory does not grow.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLD = 50_000


@contextmanager
def fewer_collections(threshold: int = BULK_THRESHOLD) -> Iterator[None]:
    """Raise the first-generation threshold for the block; the previous thresholds come back after."""
    previous = gc.get_threshold()
    gc.set_threshold(max(threshold, previous[0]), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
