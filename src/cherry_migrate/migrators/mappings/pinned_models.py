"""Reading the Dexie ``settings['pinned:models']`` list (legacy-sources.md §1.10).

v1 stores each pin as ``getModelUniqId(model)`` = ``JSON.stringify({id, provider})``; older builds and
imports left plain objects, ``provider/model`` and ``provider::model`` strings. The value itself may be
the list or a JSON string of it.
"""

from __future__ import annotations

import json
from typing import Any

from cherry_migrate.migrators.common.coerce import nonblank_str
from cherry_migrate.migrators.mappings.provider_model import MODEL_ID_SEPARATOR

PINNED_MODELS_KEY = "pinned:models"


def pinned_entries(value: object) -> list[Any] | None:
    """The list of pin entries, or None when the setting is absent or not a list."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, list) else None


def _from_object(value: dict[str, Any]) -> tuple[str, str] | None:
    provider, model = nonblank_str(value.get("provider")), nonblank_str(value.get("id"))
    return (provider, model) if provider and model else None


def parse_pinned_model(entry: object) -> tuple[str, str] | None:
    """``(provider id, model id)`` named by one entry, or None when it names no model."""
    if isinstance(entry, dict):
        return _from_object(entry)
    if not isinstance(entry, str) or not entry.strip():
        return None
    text = entry.strip()
    if text.startswith("{"):
        try:
            decoded = json.loads(text)
        except ValueError:
            return None
        return _from_object(decoded) if isinstance(decoded, dict) else None
    # Provider ids contain neither separator, model ids may (``silicon/deepseek-ai/DeepSeek-V3``):
    # split at the first one.
    for separator in (MODEL_ID_SEPARATOR, "/"):
        provider, found, model = text.partition(separator)
        if found and provider.strip() and model.strip():
            return provider.strip(), model.strip()
    return None
