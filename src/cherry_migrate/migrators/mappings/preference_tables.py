"""Typed, validated views of the preference tables.

``preference_schema.json`` (every v2 preference key: type, shape, default) and
``preference_mappings.json`` (simple legacy key → preference key mappings) are loaded once and checked
on load: key names, shapes, defaults that fit their own shape, mapping targets that exist and are
unique. A broken table is a programming error and raises ValueError. The types shared with the complex
mappings (``SourceRef``, ``TransformResult``, ``ComplexMapping``) live here too, so transforms can use
them without importing the mapping table.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

import orjson

from cherry_migrate.migrators.mappings.value_shape import check_shape_definition, matches

SourceKind = Literal["electron_store", "redux", "dexie_settings", "local_storage"]

PREFERENCE_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

_MAPPING_SECTIONS: dict[str, SourceKind] = {
    "electronStore": "electron_store",
    "redux": "redux",
    "dexieSettings": "dexie_settings",
    "localStorage": "local_storage",
}


@dataclass(frozen=True)
class PreferenceSpec:
    """One v2 preference key."""

    key: str
    ts_type: str
    """The upstream TypeScript type, for people reading reports and tables."""
    shape: Mapping[str, Any]
    default: Any
    has_default: bool
    secret: bool
    """The value is a credential: it is registered with the run's secret registry when read."""


@dataclass(frozen=True)
class SourceRef:
    """Where one legacy value lives: a key of a key-value store, or a dot path inside a Redux slice."""

    source: SourceKind
    key: str
    category: str | None = None

    @property
    def label(self) -> str:
        """A human-readable location, e.g. ``redux settings.fontSize``."""
        prefix = f"{self.category}." if self.category else ""
        return f"{self.source.replace('_', ' ')} {prefix}{self.key}"


@dataclass(frozen=True)
class SimpleMapping:
    """A legacy value copied unchanged to one preference key."""

    ref: SourceRef
    target_key: str


@dataclass(frozen=True)
class DroppedItem:
    """A legacy sub-item a transform could not carry over (an unknown shortcut, an unsupported
    provider). ``item`` names it without its value, so it is safe for reports."""

    reason: str
    item: str


@dataclass(frozen=True)
class TransformResult:
    """What a complex transform produced. A target key missing from ``values`` has no usable legacy
    value: the schema default applies."""

    values: Mapping[str, Any]
    dropped: tuple[DroppedItem, ...] = field(default=())


Transform = Callable[[Mapping[str, Any]], TransformResult]


@dataclass(frozen=True)
class ComplexMapping:
    """Several legacy values turned into one or more preference keys by a pure function."""

    id: str
    description: str
    sources: Mapping[str, SourceRef]
    target_keys: tuple[str, ...]
    transform: Transform


@functools.cache
def preference_specs() -> Mapping[str, PreferenceSpec]:
    """Every preference key of the v2 schema, in schema order."""
    document = _load_json("preference_schema.json")
    specs: dict[str, PreferenceSpec] = {}
    for key, entry in document["keys"].items():
        specs[key] = _spec(key, entry)
    return MappingProxyType(specs)


@functools.cache
def simple_mappings() -> tuple[SimpleMapping, ...]:
    """Every simple mapping; targets are unique and exist in the schema."""
    document = _load_json("preference_mappings.json")
    unknown_sections = {name for name in document if not name.startswith("$")} - set(_MAPPING_SECTIONS)
    if unknown_sections:
        raise ValueError(f"preference_mappings.json: unknown sections {sorted(unknown_sections)}")
    result: list[SimpleMapping] = []
    for section, kind in _MAPPING_SECTIONS.items():
        entries = document.get(section, {})
        if kind == "redux":
            for category, paths in entries.items():
                result.extend(SimpleMapping(SourceRef(kind, path, category), t) for path, t in paths.items())
        else:
            result.extend(SimpleMapping(SourceRef(kind, key), target) for key, target in entries.items())
    _check_targets(result)
    return tuple(result)


def _spec(key: str, entry: Mapping[str, Any]) -> PreferenceSpec:
    where = f"preference_schema.json: {key}"
    if not PREFERENCE_KEY_PATTERN.match(key):
        raise ValueError(f"{where}: not a valid preference key")
    check_shape_definition(entry.get("schema"), where)
    has_default = "default" in entry
    if has_default and not matches(entry["schema"], entry["default"]):
        raise ValueError(f"{where}: the default does not fit the key's shape")
    return PreferenceSpec(
        key=key,
        ts_type=str(entry.get("tsType", "")),
        shape=MappingProxyType(dict(entry["schema"])),
        default=entry.get("default"),
        has_default=has_default,
        secret=bool(entry.get("secret", False)),
    )


def _check_targets(mappings: list[SimpleMapping]) -> None:
    specs = preference_specs()
    seen: set[str] = set()
    for mapping in mappings:
        if mapping.target_key not in specs:
            raise ValueError(f"preference_mappings.json: {mapping.target_key} is not a schema key")
        if mapping.target_key in seen:
            raise ValueError(f"preference_mappings.json: {mapping.target_key} is mapped twice")
        seen.add(mapping.target_key)


def _load_json(name: str) -> Any:
    return orjson.loads(resources.files(__package__).joinpath(name).read_bytes())
