"""Redux Persist state, from an export folder (``redux_export/<slice>.json``) or from the raw
``persist:cherry-studio`` value (an object whose values are JSON strings, legacy-sources §2.2)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.sources.json_file import load_json_file, parse_json_text
from cherry_migrate.sources.redux_path import lookup_path


class _CachedSlices(ABC):
    """Parse each slice at most once per run; migrators ask for the same slices repeatedly."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}
        self.surrogates_replaced = 0

    @abstractmethod
    def _load(self, category: str) -> Any: ...

    def get_category(self, category: str) -> Any:
        if category not in self._cache:
            self._cache[category] = self._load(category)
        return self._cache[category]

    def get(self, category: str, path: str) -> Any:
        return lookup_path(self.get_category(category), path)


class ReduxExportDir(_CachedSlices):
    """``redux_export/``: one file per slice holding the slice's JSON object text."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory

    def _path(self, category: str) -> Path:
        return self.directory / f"{category}.json"

    def categories(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json"))

    def has_category(self, category: str) -> bool:
        return self._path(category).is_file()

    def _load(self, category: str) -> Any:
        path = self._path(category)
        if not path.is_file():
            return None
        value, replaced = load_json_file(path)
        self.surrogates_replaced += replaced
        return _slice_object(value, path)

    def location(self, category: str) -> str:
        return str(self._path(category))

    def size_bytes(self, category: str) -> int:
        path = self._path(category)
        return path.stat().st_size if path.is_file() else 0


class ReduxPersistValue(_CachedSlices):
    """The raw ``persist:cherry-studio`` value: two levels of JSON, decoded slice by slice."""

    def __init__(self, raw: bytes | str, *, location: str) -> None:
        super().__init__()
        self._location = location
        outer, replaced = parse_json_text(raw, location=location)
        self.surrogates_replaced += replaced
        if not isinstance(outer, dict):
            raise SourceDataError(location, f"expected a JSON object of slices, found {type(outer).__name__}")
        self._raw_slices: dict[str, Any] = {k: v for k, v in outer.items() if k != "_persist"}
        self.persist_version = _persist_version(outer.get("_persist"), location)

    @classmethod
    def from_file(cls, path: Path) -> ReduxPersistValue:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SourceDataError(path, f"cannot be read ({exc.strerror or exc})") from exc
        return cls(raw, location=str(path))

    def categories(self) -> list[str]:
        return sorted(self._raw_slices)

    def has_category(self, category: str) -> bool:
        return category in self._raw_slices

    def _load(self, category: str) -> Any:
        raw = self._raw_slices.get(category)
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise SourceDataError(
                self._location,
                f"slice is a {type(raw).__name__}, expected a JSON string (two-level persist format)",
                record=category,
            )
        value, replaced = parse_json_text(raw, location=self._location, record=category)
        self.surrogates_replaced += replaced
        return _slice_object(value, self._location, category)

    def location(self, category: str) -> str:
        return f"{self._location} (slice '{category}')"

    def size_bytes(self, category: str) -> int:
        raw = self._raw_slices.get(category)
        return len(raw.encode("utf-8", "surrogatepass")) if isinstance(raw, str) else 0


def _slice_object(value: Any, location: Path | str, record: str | None = None) -> dict[str, Any]:
    """Every v1 slice is an object. Anything else is refused here: a migrator would otherwise see an
    empty slice and silently migrate nothing of it."""
    if not isinstance(value, dict):
        raise SourceDataError(
            location, f"expected a JSON object (a Redux slice), found {_json_type(value)}", record=record
        )
    return value


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _persist_version(persist: Any, location: str) -> Any:
    """redux-persist's ``_persist`` bookkeeping (``{"version": N, "rehydrated": true}``). Nothing is
    migrated from it, so damage there is not a reason to refuse the whole state."""
    if not isinstance(persist, str):
        return None
    try:
        meta, _ = parse_json_text(persist, location=location, record="_persist")
    except SourceDataError:
        return None
    return meta.get("version") if isinstance(meta, dict) else None
