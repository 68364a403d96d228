"""Warnings grouped by message, so a profile with thousands of similar records yields one line per kind of
problem instead of one per record. Lines name record ids only, never values (values may be secrets)."""

from __future__ import annotations


class WarningLog:
    SAMPLE = 5

    def __init__(self) -> None:
        self._ids: dict[str, list[str]] = {}
        self._counts: dict[str, int] = {}

    def add(self, message: str, record_id: object = None) -> None:
        self._counts[message] = self._counts.get(message, 0) + 1
        ids = self._ids.setdefault(message, [])
        if record_id is not None and len(ids) < self.SAMPLE:
            ids.append(str(record_id))

    def __len__(self) -> int:
        return len(self._counts)

    def messages(self) -> list[str]:
        lines = []
        for message, count in self._counts.items():
            ids = self._ids[message]
            if not ids:
                lines.append(f"{message} ({count}×)" if count > 1 else message)
                continue
            sample = ", ".join(f"'{i}'" for i in ids)
            more = f" and {count - len(ids)} more" if count > len(ids) else ""
            lines.append(f"{message}: {sample}{more}")
        return lines
