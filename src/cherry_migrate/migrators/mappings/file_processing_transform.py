"""Legacy preprocess (document) and OCR (image) providers → v2 ``FileProcessorOverrides``.

v2 merges both lists into one set of file processors. An override keeps only what the user changed:
API keys (processor level), a host or model that differs from the preset of the feature it serves, and
processor options (OCR languages, API version). Paddle's legacy host and model settings are not carried
over, as in upstream: v2's Paddle presets use a different service layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cherry_migrate.migrators.mappings.preference_presets import FILE_PROCESSOR_PRESETS, FileProcessorFeature
from cherry_migrate.migrators.mappings.preference_tables import DroppedItem, TransformResult

FILE_PROCESSING_OVERRIDES_KEY = "feature.file_processing.overrides"


def merge_file_processing_overrides(sources: Mapping[str, Any]) -> TransformResult:
    overrides: dict[str, dict[str, Any]] = {}
    dropped: list[DroppedItem] = []
    for provider in _entries(sources.get("preprocessProviders")):
        processor_id = _known_processor(provider, dropped)
        if processor_id is not None:
            _merge_preprocess(overrides.setdefault(processor_id, {}), processor_id, provider)
    for provider in _entries(sources.get("ocrProviders")):
        processor_id = _known_processor(provider, dropped)
        config = provider.get("config")
        if processor_id is not None and isinstance(config, Mapping):
            _merge_ocr(overrides.setdefault(processor_id, {}), processor_id, config, dropped)
    return TransformResult({FILE_PROCESSING_OVERRIDES_KEY: _pruned(overrides)}, tuple(dropped))


def _entries(value: object) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _known_processor(provider: Mapping[str, Any], dropped: list[DroppedItem]) -> str | None:
    processor_id = provider.get("id")
    if isinstance(processor_id, str) and processor_id in FILE_PROCESSOR_PRESETS:
        return processor_id
    dropped.append(DroppedItem("unsupported_provider", str(processor_id)))
    return None


def _merge_preprocess(override: dict[str, Any], processor_id: str, provider: Mapping[str, Any]) -> None:
    feature: FileProcessorFeature = "image_to_text"
    if "document_to_markdown" in FILE_PROCESSOR_PRESETS[processor_id]:
        feature = "document_to_markdown"
    _add_api_key(override, provider.get("apiKey"))
    if processor_id != "paddleocr":
        _set_capability(override, processor_id, feature, "apiHost", provider.get("apiHost"))
        _set_capability(override, processor_id, feature, "modelId", provider.get("model"))
    options = provider.get("options")
    if isinstance(options, Mapping):
        _merge_options(override, dict(options))


def _merge_ocr(
    override: dict[str, Any], processor_id: str, config: Mapping[str, Any], dropped: list[DroppedItem]
) -> None:
    _add_api_key(override, config.get("accessToken"))
    if processor_id != "paddleocr":
        _set_capability(override, processor_id, "image_to_text", "apiHost", config.get("apiUrl"))
    langs = _enabled_langs(config.get("langs"))
    if langs is None:
        dropped.append(DroppedItem("invalid_value", f"{processor_id}.langs"))
    elif langs:
        _merge_options(override, {"langs": langs})
    api = config.get("api")
    if isinstance(api, Mapping):
        _add_api_key(override, api.get("apiKey"))
        if processor_id != "paddleocr":
            _set_capability(override, processor_id, "image_to_text", "apiHost", api.get("apiHost"))
        version = api.get("apiVersion")
        if isinstance(version, str) and version:
            _merge_options(override, {"apiVersion": version})


def _enabled_langs(value: object) -> list[str] | None:
    """OCR languages: a list of codes, or a ``{code: enabled}`` map; None when neither."""
    if value is None:
        return []
    if isinstance(value, list):
        return [lang for lang in value if isinstance(lang, str) and lang]
    if isinstance(value, Mapping):
        return [lang for lang, enabled in value.items() if enabled is True]
    return None


def _add_api_key(override: dict[str, Any], api_key: object) -> None:
    if isinstance(api_key, str) and api_key:
        keys: list[str] = override.setdefault("apiKeys", [])
        if api_key not in keys:
            keys.append(api_key)


def _set_capability(
    override: dict[str, Any], processor_id: str, feature: FileProcessorFeature, field: str, value: object
) -> None:
    """Record ``value`` when it differs from the preset's (``field`` is ``apiHost`` or ``modelId``)."""
    if not isinstance(value, str) or not value:
        return
    preset = FILE_PROCESSOR_PRESETS[processor_id].get(feature)
    preset_value = None if preset is None else (preset.api_host if field == "apiHost" else preset.model_id)
    if value != preset_value:
        override.setdefault("capabilities", {}).setdefault(feature, {})[field] = value


def _merge_options(override: dict[str, Any], options: dict[str, Any]) -> None:
    if options:
        override["options"] = {**override.get("options", {}), **options}


def _pruned(overrides: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Overrides without empty parts, and without processors left empty."""
    result: dict[str, dict[str, Any]] = {}
    for processor_id, override in overrides.items():
        kept = {name: part for name, part in override.items() if part}
        if kept:
            result[processor_id] = kept
    return result
