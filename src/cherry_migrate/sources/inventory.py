"""What the legacy data holds, for ``cherry-migrate inspect`` and the window's introduction screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cherry_migrate.sources.base import LegacySources


@dataclass
class Inventory:
    description: str
    slices: dict[str, int] = field(default_factory=dict)
    """Redux slice → size in bytes."""
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    """Dexie table → {"records": n, "bytes": size}."""
    config_keys: int = 0
    dexie_settings: int = 0
    local_storage_keys: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(self.slices.values()) + sum(t["bytes"] for t in self.tables.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.description,
            "reduxSlices": self.slices,
            "dexieTables": self.tables,
            "configKeys": self.config_keys,
            "dexieSettings": self.dexie_settings,
            "localStorageKeys": self.local_storage_keys,
            "totalBytes": self.total_bytes,
            "warnings": self.warnings,
        }


def take_inventory(sources: LegacySources, *, count_records: bool = True) -> Inventory:
    """Sizes always; record counts stream each table once (skip them for a quick look)."""
    inventory = Inventory(description=sources.description, warnings=list(sources.warnings))
    for category in sources.redux.categories():
        inventory.slices[category] = sources.redux.size_bytes(category)
    for table in sources.dexie.tables():
        inventory.tables[table] = {
            "records": sources.dexie.count(table) if count_records else -1,
            "bytes": sources.dexie.size_bytes(table),
        }
    inventory.config_keys = len(sources.electron_store)
    inventory.dexie_settings = len(sources.dexie_settings)
    inventory.local_storage_keys = len(sources.local_storage)
    return inventory
