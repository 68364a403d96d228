"""A small JSON-Schema subset for checking preference values before they are written.

Supported keywords: ``type`` (a name or a list of names among null, boolean, number, string, array,
object), ``enum``, ``pattern`` (``re.search``), ``items``, ``minItems``, ``maxItems``, ``properties`` and
``required``. Keywords mean what they mean in JSON Schema, so the shapes in ``preference_schema.json``
stay readable to anyone who knows it. Numbers must be finite and booleans are never numbers.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import Any

SUPPORTED_KEYWORDS = frozenset(
    {"type", "enum", "pattern", "items", "minItems", "maxItems", "properties", "required"}
)
JSON_TYPES = frozenset({"null", "boolean", "number", "string", "array", "object"})


def check_shape_definition(shape: object, where: str) -> None:
    """Raise ValueError when ``shape`` uses something this checker does not understand."""
    if not isinstance(shape, Mapping):
        raise ValueError(f"{where}: a shape must be an object")
    unknown = set(shape) - SUPPORTED_KEYWORDS
    if unknown:
        raise ValueError(f"{where}: unsupported shape keywords {sorted(unknown)}")
    if "type" not in shape:
        raise ValueError(f"{where}: a shape needs a type")
    if not set(_types(shape)) <= JSON_TYPES:
        raise ValueError(f"{where}: unknown type in {shape['type']!r}")
    if "pattern" in shape:
        re.compile(shape["pattern"])
    if "items" in shape:
        check_shape_definition(shape["items"], f"{where}.items")
    for name, sub in shape.get("properties", {}).items():
        check_shape_definition(sub, f"{where}.{name}")


def matches(shape: Mapping[str, Any], value: object) -> bool:
    """Whether ``value`` (as parsed from JSON) has the given shape."""
    kind = _json_type(value)
    if kind is None or kind not in _types(shape):
        return False
    if "enum" in shape and value not in shape["enum"]:
        return False
    if isinstance(value, str) and "pattern" in shape and not _regex(shape["pattern"]).search(value):
        return False
    if isinstance(value, list):
        return _array_matches(shape, value)
    if isinstance(value, dict):
        return _object_matches(shape, value)
    return True


def allows_null(shape: Mapping[str, Any]) -> bool:
    return "null" in _types(shape)


def _array_matches(shape: Mapping[str, Any], value: list[Any]) -> bool:
    if len(value) < shape.get("minItems", 0) or len(value) > shape.get("maxItems", len(value)):
        return False
    items = shape.get("items")
    return items is None or all(matches(items, item) for item in value)


def _object_matches(shape: Mapping[str, Any], value: dict[Any, Any]) -> bool:
    if any(name not in value for name in shape.get("required", ())):
        return False
    properties: Mapping[str, Any] = shape.get("properties", {})
    return all(matches(sub, value[name]) for name, sub in properties.items() if name in value)


def _types(shape: Mapping[str, Any]) -> tuple[str, ...]:
    declared = shape["type"]
    return (declared,) if isinstance(declared, str) else tuple(declared)


def _json_type(value: object) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number" if math.isfinite(value) else None
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return None


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
