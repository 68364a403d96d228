"""Per-record accounting: for every kind of source record a migrator reads, how many were written and
how many were skipped, why, and which ids. This is what lets a support engineer answer "where did
record X go?" from the run report.

A *kind* names one source collection, e.g. ``dexie:topics`` or ``redux:assistants.assistants``.
``written`` counts source records whose data reached the target (a record that fans out into several
rows, or that is merged into an earlier duplicate, still counts once). The engine fails a run whose
ledger does not balance (read != written + skipped) for some kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_IDS_PER_REASON = 50


@dataclass
class SkipBucket:
    count: int = 0
    ids: list[str] = field(default_factory=list)
    detail: str | None = None

    def add(self, record_id: str | None, detail: str | None, n: int) -> None:
        self.count += n
        if record_id is not None and len(self.ids) < MAX_IDS_PER_REASON:
            self.ids.append(record_id)
        if detail and self.detail is None:
            self.detail = detail


@dataclass
class KindLedger:
    read: int = 0
    written: int = 0
    skipped: dict[str, SkipBucket] = field(default_factory=dict)

    @property
    def skipped_total(self) -> int:
        return sum(b.count for b in self.skipped.values())

    @property
    def unaccounted(self) -> int:
        return self.read - self.written - self.skipped_total

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "written": self.written,
            "skipped": self.skipped_total,
            "skipReasons": {
                reason: {"count": b.count, "ids": list(b.ids), "detail": b.detail}
                for reason, b in sorted(self.skipped.items())
            },
        }


class Ledger:
    """Counts kept by one migrator during one run."""

    def __init__(self) -> None:
        self.kinds: dict[str, KindLedger] = {}

    def _kind(self, kind: str) -> KindLedger:
        entry = self.kinds.get(kind)
        if entry is None:
            entry = self.kinds[kind] = KindLedger()
        return entry

    def read(self, kind: str, n: int = 1) -> None:
        self._kind(kind).read += n

    def written(self, kind: str, n: int = 1) -> None:
        self._kind(kind).written += n

    def skip(
        self, kind: str, reason: str, record_id: object = None, *, detail: str | None = None, n: int = 1
    ) -> None:
        """Record ``n`` skipped records of ``kind``; ``reason`` is a stable snake_case code."""
        rid = None if record_id is None else str(record_id)
        bucket = self._kind(kind).skipped.setdefault(reason, SkipBucket())
        bucket.add(rid, detail, n)

    @property
    def total_read(self) -> int:
        return sum(k.read for k in self.kinds.values())

    @property
    def total_written(self) -> int:
        return sum(k.written for k in self.kinds.values())

    @property
    def total_skipped(self) -> int:
        return sum(k.skipped_total for k in self.kinds.values())

    def unbalanced(self) -> dict[str, int]:
        """Kinds whose records are not all accounted for, with the number missing (or extra, if < 0)."""
        return {name: k.unaccounted for name, k in self.kinds.items() if k.unaccounted != 0}

    def skip_reasons(self) -> dict[str, int]:
        """All skip reasons over all kinds, with their counts (for summaries)."""
        totals: dict[str, int] = {}
        for k in self.kinds.values():
            for reason, bucket in k.skipped.items():
                totals[reason] = totals.get(reason, 0) + bucket.count
        return totals

    def to_dict(self) -> dict[str, Any]:
        return {name: k.to_dict() for name, k in sorted(self.kinds.items())}
