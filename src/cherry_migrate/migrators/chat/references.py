"""What earlier migrators tell the chat migrator (``ctx.shared_data``), and resolving against it.

A missing key never stops the run: topics lose their assistant link, file references are reported
as unresolved, and model references are kept when well-formed (each with one warning).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cherry_migrate.migrators import shared_keys


@dataclass(frozen=True)
class SharedReferences:
    assistant_ids: frozenset[str] | None
    assistant_remap: Mapping[str, str]
    assistant_snapshots: Mapping[str, dict[str, Any]]
    model_ids: frozenset[str] | None
    file_entry_ids: frozenset[str] | None
    missing_keys: tuple[str, ...] = field(default=())

    @classmethod
    def from_shared_data(cls, shared: Mapping[str, Any]) -> SharedReferences:
        missing = tuple(
            key
            for key in (shared_keys.ASSISTANT_IDS, shared_keys.USER_MODEL_IDS, shared_keys.FILE_ENTRY_IDS)
            if shared.get(key) is None
        )
        remap = shared.get(shared_keys.LEGACY_ASSISTANT_ID_REMAP)
        snapshots = shared.get(shared_keys.ASSISTANT_SNAPSHOTS)
        return cls(
            assistant_ids=_id_set(shared.get(shared_keys.ASSISTANT_IDS)),
            assistant_remap=dict(remap) if isinstance(remap, Mapping) else {},
            assistant_snapshots=dict(snapshots) if isinstance(snapshots, Mapping) else {},
            model_ids=_id_set(shared.get(shared_keys.USER_MODEL_IDS)),
            file_entry_ids=_id_set(shared.get(shared_keys.FILE_ENTRY_IDS)),
            missing_keys=missing,
        )

    def assistant(self, legacy_id: str | None) -> str | None:
        """The migrated assistant id for a legacy one (``default`` → its new id), or None."""
        if not legacy_id or self.assistant_ids is None:
            return None
        resolved = self.assistant_remap.get(legacy_id, legacy_id)
        return resolved if resolved in self.assistant_ids else None

    def snapshot(self, assistant_id: str | None) -> dict[str, Any] | None:
        snapshot = self.assistant_snapshots.get(assistant_id) if assistant_id else None
        return snapshot if isinstance(snapshot, dict) else None

    def model(self, ref: str | None) -> str | None:
        """``ref`` when it names a migrated model; without the model list, every well-formed ref."""
        if ref is None or self.model_ids is None:
            return ref
        return ref if ref in self.model_ids else None

    def file_entry_exists(self, file_entry_id: str) -> bool:
        return self.file_entry_ids is not None and file_entry_id in self.file_entry_ids


def _id_set(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(item for item in value if isinstance(item, str))
