"""What migrators may read: the interfaces behind ``context.sources``.

Every way into the legacy data (an export folder, a raw persist value, a v1 data folder read from disk)
provides these same interfaces, so migrators never know where the data came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class ReduxState(Protocol):
    """Redux Persist state, one category (slice) at a time."""

    def categories(self) -> list[str]: ...

    def has_category(self, category: str) -> bool: ...

    def get_category(self, category: str) -> Any:
        """The parsed slice, or None when it is absent. Raises SourceDataError when unreadable."""
        ...

    def get(self, category: str, path: str) -> Any:
        """Dot-path lookup inside a slice (``settings``, ``codeEditor.enabled``); None when absent."""
        ...

    def location(self, category: str) -> str:
        """Where the slice lives, for messages (a file path, or a key in a persist value)."""
        ...

    def size_bytes(self, category: str) -> int: ...


class DexieTables(Protocol):
    """The Dexie (IndexedDB) tables; large tables are streamed, never loaded whole."""

    def tables(self) -> list[str]: ...

    def table_exists(self, table: str) -> bool: ...

    def iter_rows(self, table: str) -> Iterator[Any]:
        """Rows in primary-key order. Raises SourceDataError naming the file and record index."""
        ...

    def iter_batches(self, table: str, batch_size: int) -> Iterator[list[Any]]: ...

    def count(self, table: str) -> int: ...

    def sample(self, table: str, n: int) -> list[Any]: ...

    def read_table(self, table: str) -> list[Any]:
        """The whole table in memory: only for tables that stay small (settings, languages)."""
        ...

    def size_bytes(self, table: str) -> int: ...

    def location(self, table: str) -> str: ...


class KeyValueSource(Protocol):
    """A read-only key-value store: electron-store config, Dexie ``settings``, localStorage."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def has(self, key: str) -> bool: ...

    def keys(self) -> list[str]: ...

    def __len__(self) -> int: ...


class DictKeyValueSource:
    """A ``KeyValueSource`` over an in-memory mapping."""

    def __init__(self, data: dict[str, Any] | None = None, *, location: str = "") -> None:
        self._data = dict(data or {})
        self.location = location

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def has(self, key: str) -> bool:
        return key in self._data

    def keys(self) -> list[str]:
        return list(self._data)

    def keys_with_prefix(self, prefix: str) -> list[str]:
        return [k for k in self._data if k.startswith(prefix)]

    def __len__(self) -> int:
        return len(self._data)


@dataclass
class LegacySources:
    """Everything a run may read. Migrators reach the legacy data only through this object."""

    description: str
    """Human-readable origin, e.g. ``export folder /path`` (shown in reports)."""
    redux: ReduxState
    dexie: DexieTables
    dexie_settings: KeyValueSource
    local_storage: KeyValueSource
    electron_store: KeyValueSource
    root: Path | None = None
    """The folder physical files are resolved against (``Data/Files`` …), when there is one."""
    version_log: Path | None = None
    warnings: list[str] = field(default_factory=list)
    """Problems found while opening the sources that did not stop them from being read."""

    def report_warnings(self) -> list[str]:
        """``warnings`` plus what the readers repaired while the run read them (lone UTF-16
        surrogates replaced with U+FFFD), for the run report."""
        replaced = sum(getattr(reader, "surrogates_replaced", 0) for reader in (self.redux, self.dexie))
        if not replaced:
            return list(self.warnings)
        return [
            *self.warnings,
            f"{replaced} lone UTF-16 surrogate(s) in the legacy data could not be stored as text and "
            "were replaced with U+FFFD (the replacement character).",
        ]
