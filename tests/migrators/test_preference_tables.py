"""The preference tables: schema, simple mappings, complex mapping table, shape checks, shortcut tokens."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from cherry_migrate.migrators.mappings.complex_preferences import (
    COMPLEX_PREFERENCE_MAPPINGS,
    complex_target_keys,
)
from cherry_migrate.migrators.mappings.preference_tables import (
    PREFERENCE_KEY_PATTERN,
    SourceRef,
    preference_specs,
    simple_mappings,
)
from cherry_migrate.migrators.mappings.shortcut_tokens import normalize_binding, normalize_token
from cherry_migrate.migrators.mappings.value_shape import check_shape_definition, matches
from cherry_migrate.migrators.preferences.plan import mapping_conflicts


def test_schema_has_every_key_of_the_spec_with_valid_defaults():
    specs = preference_specs()
    assert len(specs) == 261
    assert list(specs) == sorted(specs)
    for key, spec in specs.items():
        assert PREFERENCE_KEY_PATTERN.match(key)
        assert spec.has_default
        assert matches(spec.shape, spec.default), key


def test_schema_defaults_of_note():
    specs = preference_specs()
    assert specs["app.zoom_factor"].default == 1
    assert specs["app.language"].default is None
    assert specs["chat.input.send_message_shortcut"].default == ["Enter"]
    assert specs["shortcut.app.zoom.in"].default == {"binding": ["CommandOrControl", "="], "enabled": True}
    assert specs["ui.sidebar.favorites"].default[0] == {"id": "agents", "type": "app"}
    assert len(specs["feature.selection.action_items"].default) == 7
    assert specs["feature.translate.model_prompt"].default.startswith("You are a translation expert.")
    assert specs["feature.binary.install_settings"].default["verifySignatures"] is True


def test_secret_keys_are_flagged():
    secret = {key for key, spec in preference_specs().items() if spec.secret}
    assert {
        "data.backup.webdav.pass",
        "data.backup.s3.secret_access_key",
        "feature.api_gateway.api_key",
    } <= secret
    assert "data.backup.webdav.user" not in secret


def test_simple_mappings_per_source():
    mappings = simple_mappings()
    assert Counter(m.ref.source for m in mappings) == {"redux": 173, "electron_store": 2, "dexie_settings": 5}
    by_target = {m.target_key: m.ref for m in mappings}
    assert by_target["app.zoom_factor"] == SourceRef("electron_store", "ZoomFactor")
    assert by_target["app.user.id"] == SourceRef("electron_store", "clientId")
    assert by_target["app.language"] == SourceRef("redux", "language", "settings")
    assert by_target["chat.code.editor.enabled"] == SourceRef("redux", "codeEditor.enabled", "settings")
    assert by_target["data.backup.webdav.pass"] == SourceRef("redux", "webdavPass", "settings")
    assert by_target["data.backup.nutstore.token"] == SourceRef("redux", "nutstoreToken", "nutstore")
    assert by_target["feature.translate.page.auto_copy"] == SourceRef(
        "redux", "settings.autoCopy", "translate"
    )
    assert by_target["app.user.avatar"] == SourceRef("dexie_settings", "image://avatar")
    assert by_target["chat.web_search.max_results"] == SourceRef("redux", "maxResults", "websearch")
    assert "chat.input.send_message_shortcut" not in by_target
    assert "ui.custom_css" not in by_target


def test_source_ref_label():
    assert SourceRef("redux", "codeEditor.enabled", "settings").label == "redux settings.codeEditor.enabled"
    assert SourceRef("electron_store", "ZoomFactor").label == "electron store ZoomFactor"


def test_complex_table_has_no_conflicts():
    specs = preference_specs()
    assert mapping_conflicts(specs, simple_mappings(), COMPLEX_PREFERENCE_MAPPINGS) == []
    keys = complex_target_keys()
    assert len(keys) == len(set(keys)) == 39
    ids = [mapping.id for mapping in COMPLEX_PREFERENCE_MAPPINGS]
    assert len(ids) == len(set(ids)) == 13


def test_every_schema_key_is_mapped_or_deliberately_default():
    mapped = {m.target_key for m in simple_mappings()} | set(complex_target_keys())
    unmapped = set(preference_specs()) - mapped
    assert len(unmapped) == 42
    assert {"ui.custom_css", "chat.retry.enabled", "shortcut.tab.next", "menu.presentation_mode"} <= unmapped


@pytest.mark.parametrize(
    ("shape", "value", "expected"),
    [
        ({"type": "number"}, 3, True),
        ({"type": "number"}, 1.5, True),
        ({"type": "number"}, True, False),
        ({"type": "number"}, math.nan, False),
        ({"type": "number"}, "3", False),
        ({"type": "boolean"}, 0, False),
        ({"type": ["string", "null"], "enum": ["a", None]}, None, True),
        ({"type": ["string", "null"], "enum": ["a", None]}, "b", False),
        ({"type": "string", "pattern": "^[a-z]{2}$"}, "en", True),
        ({"type": "string", "pattern": "^[a-z]{2}$"}, "EN", False),
        ({"type": "array", "items": {"type": "string"}, "minItems": 1}, [], False),
        ({"type": "array", "items": {"type": "string"}, "maxItems": 1}, ["a", "b"], False),
        ({"type": "array", "items": {"type": "string"}}, ["a", 1], False),
        ({"type": "object", "required": ["a"], "properties": {"a": {"type": "boolean"}}}, {"a": True}, True),
        ({"type": "object", "required": ["a"]}, {"b": 1}, False),
        ({"type": "object", "properties": {"a": {"type": "boolean"}}}, {"a": 1}, False),
        ({"type": "object"}, [], False),
    ],
)
def test_value_shapes(shape, value, expected):
    assert matches(shape, value) is expected


def test_shape_definitions_are_checked():
    with pytest.raises(ValueError, match="unsupported shape keywords"):
        check_shape_definition({"type": "string", "format": "uri"}, "x")
    with pytest.raises(ValueError, match="unknown type"):
        check_shape_definition({"type": "integer"}, "x")
    with pytest.raises(ValueError, match="needs a type"):
        check_shape_definition({"enum": [1]}, "x")


@pytest.mark.parametrize(
    ("raw", "token"),
    [
        ("Enter", "Enter"),
        ("ctrl", "Ctrl"),
        ("Cmd", "Command"),
        ("commandorcontrol", "CommandOrControl"),
        ("KeyK", "K"),
        ("Digit7", "7"),
        ("ArrowUp", "Up"),
        ("f5", "F5"),
        ("a", "A"),
        ("Esc", "Escape"),
        ("Hyper", None),
        ("", None),
    ],
)
def test_shortcut_tokens(raw, token):
    assert normalize_token(raw) == token


def test_shortcut_binding_is_all_or_nothing():
    assert normalize_binding(["CommandOrControl", "Shift", "f"]) == ["CommandOrControl", "Shift", "F"]
    assert normalize_binding(["CommandOrControl", "Hyper"]) is None
