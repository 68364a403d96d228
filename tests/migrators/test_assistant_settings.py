"""The v2 assistant settings sanitiser: key-by-key validation, defaults, reports by key name."""

from __future__ import annotations

from cherry_migrate.migrators.mappings.assistant_settings import DEFAULT_ASSISTANT_SETTINGS, sanitize_settings


def test_empty_legacy_settings_give_the_defaults() -> None:
    result = sanitize_settings({})
    assert result.settings == DEFAULT_ASSISTANT_SETTINGS
    assert result.invalid_keys == []
    assert result.unknown_keys == []


def test_valid_values_overlay_the_defaults() -> None:
    legacy = {
        "temperature": 0.7,
        "enableTemperature": True,
        "topP": 0.9,
        "maxTokens": 8192.0,
        "enableMaxTokens": True,
        "contextCount": 0,
        "streamOutput": False,
        "reasoning_effort": "high",
        "qwenThinkMode": True,
        "toolUseMode": "prompt",
        "mcpMode": "manual",
        "enableWebSearch": True,
        "contextSettings": {"enabled": True, "compress": {"enabled": False, "modelId": None}, "extra": 1},
    }
    result = sanitize_settings(legacy)
    assert result.invalid_keys == []
    assert result.settings == {
        **DEFAULT_ASSISTANT_SETTINGS,
        **legacy,
        "maxTokens": 8192,
        "contextSettings": {"enabled": True, "compress": {"enabled": False, "modelId": None}},
    }
    assert isinstance(result.settings["maxTokens"], int)


def test_invalid_values_are_dropped_and_reported_by_key() -> None:
    result = sanitize_settings(
        {
            "maxTokens": 0,
            "temperature": "0.5",
            "topP": 1.5,
            "contextCount": 2.5,
            "streamOutput": 1,
            "toolUseMode": "xml",
            "mcpMode": "always",
            "enableTopP": "yes",
            "contextSettings": {"truncateThreshold": 0},
        }
    )
    assert result.settings == DEFAULT_ASSISTANT_SETTINGS
    assert result.invalid_keys == [
        "maxTokens",
        "temperature",
        "topP",
        "contextCount",
        "streamOutput",
        "toolUseMode",
        "mcpMode",
        "enableTopP",
        "contextSettings",
    ]


def test_booleans_are_not_numbers() -> None:
    result = sanitize_settings({"temperature": True, "maxToolCalls": False})
    assert result.invalid_keys == ["temperature", "maxToolCalls"]


def test_null_values_mean_not_set() -> None:
    result = sanitize_settings({"temperature": None, "hideMessages": None})
    assert result.settings == DEFAULT_ASSISTANT_SETTINGS
    assert result.invalid_keys == []
    assert result.unknown_keys == []


def test_unknown_keys_are_reported_apart_and_retired_keys_are_quiet() -> None:
    result = sanitize_settings(
        {"hideMessages": True, "defaultModel": {"id": "m", "provider": "p"}, "reasoning_effort_cache": "low"}
    )
    assert result.unknown_keys == ["hideMessages"]
    assert result.invalid_keys == []
    assert "hideMessages" not in result.settings
    assert "defaultModel" not in result.settings


def test_custom_parameters_are_checked_entry_by_entry() -> None:
    result = sanitize_settings(
        {
            "customParameters": [
                {"name": "top_k", "type": "number", "value": 40, "id": "x"},
                {"name": "stop", "type": "string", "value": 5},
                {"name": "cfg", "type": "json", "value": {"a": [1]}},
                {"name": "flag", "type": "boolean", "value": False},
                "bogus",
                {"name": "mode", "type": "enum", "value": "a"},
            ]
        }
    )
    assert result.settings["customParameters"] == [
        {"name": "top_k", "type": "number", "value": 40},
        {"name": "cfg", "type": "json", "value": {"a": [1]}},
        {"name": "flag", "type": "boolean", "value": False},
    ]
    assert result.invalid_keys == ["customParameters"]


def test_custom_parameters_that_are_not_a_list_are_invalid() -> None:
    result = sanitize_settings({"customParameters": {}})
    assert result.settings["customParameters"] == []
    assert result.invalid_keys == ["customParameters"]
