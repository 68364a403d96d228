"""The v2 assistant settings (upstream ``AssistantSettingsSchema`` in
``packages/shared/data/types/assistant.ts``) and a key-by-key sanitiser for legacy settings.

A legacy value that the v2 schema would reject (v1's ``maxTokens: 0`` "disabled" sentinel, a string
temperature, an unknown ``toolUseMode``) is dropped so the default fills the key; the caller reports the
key names, never the values. Keys the v2 schema does not know are dropped as well and reported apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_ASSISTANT_SETTINGS: dict[str, Any] = {
    "temperature": 1.0,
    "enableTemperature": False,
    "topP": 1,
    "enableTopP": False,
    "maxTokens": 4096,
    "enableMaxTokens": False,
    "contextCount": 5,
    "streamOutput": True,
    "reasoning_effort": "default",
    "qwenThinkMode": False,
    "mcpMode": "auto",
    "toolUseMode": "function",
    "maxToolCalls": 20,
    "enableMaxToolCalls": True,
    "enableWebSearch": False,
    "customParameters": [],
}
"""Upstream's ``DEFAULT_ASSISTANT_SETTINGS``: every migrated row starts from these."""

RETIRED_LEGACY_KEYS = frozenset({"defaultModel", "reasoning_effort_cache"})
"""Legacy keys with no v2 settings counterpart that are expected and dropped quietly: ``defaultModel``
is read as the assistant's model fallback, ``reasoning_effort_cache`` is a UI cache."""

_INVALID = object()
"""Returned by a field check for a value the v2 schema rejects."""

Check = Callable[[Any], Any]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_integer(value: Any) -> bool:
    return _is_number(value) and float(value).is_integer()


def _number_between(low: float, high: float) -> Check:
    def check(value: Any) -> Any:
        return value if _is_number(value) and low <= value <= high else _INVALID

    return check


def _integer_at_least(minimum: int) -> Check:
    def check(value: Any) -> Any:
        return int(value) if _is_integer(value) and value >= minimum else _INVALID

    return check


def _boolean(value: Any) -> Any:
    return value if isinstance(value, bool) else _INVALID


def _string(value: Any) -> Any:
    return value if isinstance(value, str) else _INVALID


def _one_of(*choices: str) -> Check:
    def check(value: Any) -> Any:
        return value if isinstance(value, str) and value in choices else _INVALID

    return check


_CUSTOM_PARAMETER_VALUE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "json": lambda v: True,
}


def _custom_parameter(entry: Any) -> dict[str, Any] | None:
    """One ``{name, type, value}`` entry as the v2 discriminated union accepts it (extra keys stripped)."""
    if not isinstance(entry, Mapping):
        return None
    kind, name = entry.get("type"), entry.get("name")
    value_ok = _CUSTOM_PARAMETER_VALUE_CHECKS.get(kind) if isinstance(kind, str) else None
    if not isinstance(name, str) or value_ok is None:
        return None
    if kind != "json" and not value_ok(entry.get("value")):
        return None
    cleaned: dict[str, Any] = {"name": name, "type": kind}
    if "value" in entry:
        cleaned["value"] = entry["value"]
    return cleaned


def _context_settings(value: Any) -> Any:
    """The optional per-assistant context override: every field optional, unknown keys stripped."""
    if not isinstance(value, Mapping):
        return _INVALID
    cleaned: dict[str, Any] = {}
    if "enabled" in value:
        if not isinstance(value["enabled"], bool):
            return _INVALID
        cleaned["enabled"] = value["enabled"]
    if "truncateThreshold" in value:
        threshold = _integer_at_least(1)(value["truncateThreshold"])
        if threshold is _INVALID:
            return _INVALID
        cleaned["truncateThreshold"] = threshold
    if "compress" in value:
        compress = value["compress"]
        if not isinstance(compress, Mapping) or not isinstance(compress.get("enabled"), bool):
            return _INVALID
        cleaned_compress: dict[str, Any] = {"enabled": compress["enabled"]}
        if "modelId" in compress:
            if compress["modelId"] is not None and not isinstance(compress["modelId"], str):
                return _INVALID
            cleaned_compress["modelId"] = compress["modelId"]
        cleaned["compress"] = cleaned_compress
    return cleaned


_FIELD_CHECKS: dict[str, Check] = {
    "temperature": _number_between(0, 2),
    "enableTemperature": _boolean,
    "topP": _number_between(0, 1),
    "enableTopP": _boolean,
    "maxTokens": _integer_at_least(1),
    "enableMaxTokens": _boolean,
    "contextCount": _integer_at_least(0),
    "streamOutput": _boolean,
    "reasoning_effort": _string,
    "qwenThinkMode": _boolean,
    "mcpMode": _one_of("disabled", "auto", "manual"),
    "toolUseMode": _one_of("function", "prompt"),
    "maxToolCalls": _integer_at_least(1),
    "enableMaxToolCalls": _boolean,
    "enableWebSearch": _boolean,
    "contextSettings": _context_settings,
}


@dataclass
class SanitizedSettings:
    settings: dict[str, Any]
    """Defaults overlaid with every legacy value the v2 schema accepts."""
    invalid_keys: list[str] = field(default_factory=list)
    """Keys whose legacy value was rejected (for ``customParameters``: one or more entries)."""
    unknown_keys: list[str] = field(default_factory=list)
    """Keys the v2 schema does not have, except the expected ``RETIRED_LEGACY_KEYS``."""


def sanitize_settings(legacy: Mapping[str, Any]) -> SanitizedSettings:
    """Validate ``legacy`` key by key against the v2 assistant settings and overlay it on the defaults.

    ``customParameters`` is checked entry by entry, so one malformed parameter does not cost the others.
    A ``null`` value means "not set" (as an absent key would) and leaves the default without a report.
    """
    result = SanitizedSettings(settings=dict(DEFAULT_ASSISTANT_SETTINGS))
    for key, value in legacy.items():
        if value is None:
            continue
        if key == "customParameters":
            entries = value if isinstance(value, list) else None
            kept = [c for c in map(_custom_parameter, entries or []) if c is not None]
            if entries is None or len(kept) != len(entries):
                result.invalid_keys.append(key)
            if entries is not None:
                result.settings[key] = kept
            continue
        check = _FIELD_CHECKS.get(key)
        if check is None:
            if key not in RETIRED_LEGACY_KEYS:
                result.unknown_keys.append(key)
            continue
        checked = check(value)
        if checked is _INVALID:
            result.invalid_keys.append(key)
        else:
            result.settings[key] = checked
    return result
