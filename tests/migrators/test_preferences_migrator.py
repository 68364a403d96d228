"""PreferencesMigrator end to end on hand-built legacy data, with a real SQLite target."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from cherry_migrate.core.errors import MigrationCancelledError
from cherry_migrate.migrators.mappings.complex_preferences import COMPLEX_PREFERENCE_MAPPINGS
from cherry_migrate.migrators.mappings.preference_tables import (
    ComplexMapping,
    PreferenceSpec,
    SimpleMapping,
    SourceRef,
    TransformResult,
    preference_specs,
    simple_mappings,
)
from cherry_migrate.migrators.preferences import migrator as preferences_module
from cherry_migrate.migrators.preferences.migrator import PreferencesMigrator
from tests.conftest import FIXED_NOW_MS

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(PNG_BYTES).decode()


def run(ctx):
    migrator = PreferencesMigrator()
    migrator.reset()
    prepared = migrator.prepare(ctx)
    assert prepared.success, prepared.error
    executed = migrator.execute(ctx)
    assert executed.success, executed.error
    validated = migrator.validate(ctx)
    return migrator, prepared, executed, validated


def stored(ctx) -> dict[str, Any]:
    rows = ctx.db.execute("SELECT key, value FROM preference WHERE scope = 'default'").fetchall()
    return {key: None if value is None else json.loads(value) for key, value in rows}


def wrong_type_warning(key: str, origin: str, ts_type: str) -> str:
    return f"Preference {key} ({origin}): the legacy value is not a {ts_type}; using the default."


def ledger(migrator, kind):
    return migrator.ledger.to_dict()[kind]


def test_without_legacy_data_every_key_gets_its_default(make_context):
    ctx = make_context()
    migrator, prepared, executed, validated = run(ctx)

    specs = preference_specs()
    values = stored(ctx)
    assert prepared.item_count == executed.processed_count == len(values) == 261
    expected = {key: spec.default for key, spec in specs.items()}
    expected["chat.web_search.compression.method"] = "none"  # v1's own default when it has no config
    assert values == expected
    assert ctx.db.execute(
        "SELECT count(*) FROM preference WHERE created_at = ? AND updated_at = ?",
        (FIXED_NOW_MS, FIXED_NOW_MS),
    ).fetchone() == (261,)
    assert ctx.db.execute("SELECT value FROM preference WHERE key = 'app.language'").fetchone() == (None,)
    assert ledger(migrator, "preferences:simple") == {
        "read": 180,
        "written": 180,
        "skipped": 0,
        "skipReasons": {},
    }
    assert ledger(migrator, "preferences:complex") == {
        "read": 39,
        "written": 39,
        "skipped": 0,
        "skipReasons": {},
    }
    assert migrator.ledger.unbalanced() == {}
    assert validated.success
    assert validated.stats.to_dict() == {
        "sourceCount": 261,
        "targetCount": 261,
        "skippedCount": 0,
        "mismatchReason": None,
    }
    assert validated.diagnostics["schema_defaults"] == 42


def test_simple_mappings_from_every_source_kind(make_context, monkeypatch):
    table = (
        *simple_mappings(),
        SimpleMapping(SourceRef("local_storage", "memory_currentUserId"), "topic.naming_prompt"),
    )
    table = tuple(m for m in table if not (m.target_key == "topic.naming_prompt" and m.ref.source == "redux"))
    monkeypatch.setattr(preferences_module, "simple_mappings", lambda: table)
    ctx = make_context(
        electron_store={"ZoomFactor": 1.5, "clientId": "6f1c0b7e-0000-4000-8000-000000000001"},
        redux={
            "settings": {
                "language": "ja-JP",
                "theme": "dark",
                "codeEditor": {"enabled": True, "keymap": True},
            },
            "note": {"settings": {"fontSize": 18}, "sortType": "sort_z2a"},
            "selectionStore": {"filterList": ["code.exe"]},
            "translate": {"settings": {"autoCopy": True}},
        },
        dexie={"settings": [{"id": "translate:detect:method", "value": "llm"}]},
        local_storage={"memory_currentUserId": "from local storage"},
    )
    migrator, *_ = run(ctx)

    values = stored(ctx)
    assert values["app.zoom_factor"] == 1.5
    assert values["app.user.id"] == "6f1c0b7e-0000-4000-8000-000000000001"
    assert values["app.language"] == "ja-JP"
    assert values["ui.theme_mode"] == "dark"
    assert values["chat.code.editor.enabled"] is True
    assert values["chat.code.editor.keymap"] is True
    assert values["feature.notes.font_size"] == 18
    assert values["feature.notes.sort_type"] == "sort_z2a"
    assert values["feature.selection.filter_list"] == ["code.exe"]
    assert values["feature.translate.page.auto_copy"] is True
    assert values["feature.translate.auto_detection_method"] == "llm"
    assert values["topic.naming_prompt"] == "from local storage"
    assert ledger(migrator, "preferences:simple")["written"] == 180


def test_absent_and_null_values_fall_back_to_defaults(make_context):
    ctx = make_context(
        redux={"settings": {"theme": None, "fontSize": 16, "preprocess": None}}, electron_store={}
    )
    migrator, prepared, _, validated = run(ctx)

    values = stored(ctx)
    assert values["ui.theme_mode"] == "system"
    assert values["chat.message.font_size"] == 16
    assert values["app.zoom_factor"] == 1
    assert prepared.warnings == []
    assert ledger(migrator, "preferences:simple")["skipped"] == 0
    assert validated.diagnostics["defaulted"] == 179 + 30  # simple mappings, complex keys left undefined


def test_empty_string_counts_as_absent_only_for_fixed_choices(make_context):
    ctx = make_context(
        redux={"settings": {"proxyUrl": "", "theme": ""}, "preprocess": {"defaultProvider": ""}}
    )
    migrator, prepared, *_ = run(ctx)

    values = stored(ctx)
    assert values["app.proxy.url"] == ""
    assert values["ui.theme_mode"] == "system"
    assert values["feature.file_processing.default_document_to_markdown"] is None
    assert prepared.warnings == []
    assert ledger(migrator, "preferences:simple")["skipped"] == 0


def test_wrong_types_are_skipped_and_defaults_written(make_context):
    ctx = make_context(
        redux={
            "settings": {
                "fontSize": "14px",
                "theme": "blue",
                "language": "xx-XX",
                "tray": 1,
                "userName": "Ada",
            }
        },
        electron_store={"ZoomFactor": True},
    )
    migrator, prepared, _, validated = run(ctx)

    values = stored(ctx)
    assert values["chat.message.font_size"] == 14
    assert values["ui.theme_mode"] == "system"
    assert values["app.language"] is None
    assert values["app.tray.enabled"] is True
    assert values["app.zoom_factor"] == 1
    assert values["app.user.name"] == "Ada"
    simple = ledger(migrator, "preferences:simple")
    assert simple["read"] == 180
    assert simple["written"] == 175
    assert simple["skipReasons"]["wrong_type"]["count"] == 5
    assert sorted(simple["skipReasons"]["wrong_type"]["ids"]) == [
        "app.language",
        "app.tray.enabled",
        "app.zoom_factor",
        "chat.message.font_size",
        "ui.theme_mode",
    ]
    assert prepared.warnings == [
        wrong_type_warning("app.zoom_factor", "electron store ZoomFactor", "number"),
        wrong_type_warning("chat.message.font_size", "redux settings.fontSize", "number"),
        wrong_type_warning("app.language", "redux settings.language", "LanguageVarious | null"),
        wrong_type_warning("ui.theme_mode", "redux settings.theme", "ThemeMode"),
        wrong_type_warning("app.tray.enabled", "redux settings.tray", "boolean"),
    ]
    assert migrator.ledger.unbalanced() == {}
    assert validated.success


def test_complex_mappings_are_applied(make_context):
    ctx = make_context(
        redux={
            "settings": {
                "sendMessageShortcut": "Shift+Enter",
                "sidebarIcons": {"visible": ["assistants", "minapp"]},
            },
            "llm": {"defaultModel": {"id": "gpt-4o", "provider": "openai"}},
            "shortcuts": {
                "shortcuts": [
                    {"key": "zoom_in", "shortcut": ["CommandOrControl", "Shift", "="], "enabled": False}
                ]
            },
        },
        dexie={"settings": [{"id": "translate:bidirectional:pair", "value": ["ZH-CN", "en-us"]}]},
    )
    migrator, *_ = run(ctx)

    values = stored(ctx)
    assert values["chat.input.send_message_shortcut"] == ["Shift", "Enter"]
    assert values["ui.sidebar.favorites"] == [
        {"type": "app", "id": "assistants"},
        {"type": "app", "id": "agents"},
        {"type": "app", "id": "mini_app"},
    ]
    assert values["chat.default_model_id"] == "openai::gpt-4o"
    assert values["shortcut.app.zoom.in"] == {"binding": ["CommandOrControl", "Shift", "="], "enabled": False}
    assert values["shortcut.app.zoom.out"] == {"binding": ["CommandOrControl", "-"], "enabled": True}
    assert values["feature.translate.action.preferred_lang"] == "zh-cn"
    assert values["feature.translate.page.bidirectional_pair"] == ["zh-cn", "en-us"]
    assert ledger(migrator, "preferences:complex") == {
        "read": 39,
        "written": 39,
        "skipped": 0,
        "skipReasons": {},
    }


def test_dropped_sub_items_are_accounted_for(make_context):
    ctx = make_context(
        redux={
            "websearch": {"providers": [{"id": "local-bing"}], "defaultProvider": "local-bing"},
            "shortcuts": {"shortcuts": [{"key": "resend_last_user_message", "shortcut": ["R"]}]},
        }
    )
    migrator, *_ = run(ctx)

    complex_ = ledger(migrator, "preferences:complex")
    assert complex_["read"] == 42
    assert complex_["written"] == 39
    assert complex_["skipReasons"] == {
        "no_v2_equivalent": {
            "count": 1,
            "ids": ["shortcut_preferences_migrate/resend_last_user_message"],
            "detail": None,
        },
        "unsupported_provider": {
            "count": 2,
            "ids": [
                "websearch_default_provider_migrate/local-bing",
                "websearch_providers_migrate/local-bing",
            ],
            "detail": None,
        },
    }
    assert stored(ctx)["chat.web_search.default_search_keywords_provider"] == "exa-mcp"


def _with_complex(monkeypatch, *extra: ComplexMapping, replace: str | None = None) -> None:
    table = tuple(m for m in COMPLEX_PREFERENCE_MAPPINGS if m.id != replace) + extra
    monkeypatch.setattr(preferences_module, "COMPLEX_PREFERENCE_MAPPINGS", table)


def test_a_key_in_both_simple_and_complex_mappings_fails_prepare(make_context, monkeypatch):
    clash = ComplexMapping(
        "clash", "test", {}, ("app.language", "ui.theme_mode"), lambda _: TransformResult({})
    )
    _with_complex(monkeypatch, clash)
    ctx = make_context()
    migrator = PreferencesMigrator()

    prepared = migrator.prepare(ctx)

    assert not prepared.success
    assert prepared.error == (
        "Conflicting preference mappings: app.language (simple and complex mapping clash); "
        "ui.theme_mode (simple and complex mapping clash)"
    )
    assert not migrator.execute(ctx).success
    assert ctx.db.execute("SELECT count(*) FROM preference").fetchone() == (0,)


def test_duplicate_and_unknown_complex_targets_fail_prepare(make_context, monkeypatch):
    twice = ComplexMapping("twice", "test", {}, ("chat.default_model_id",), lambda _: TransformResult({}))
    unknown = ComplexMapping("unknown", "test", {}, ("no.such_key",), lambda _: TransformResult({}))
    _with_complex(monkeypatch, twice, unknown)

    prepared = PreferencesMigrator().prepare(make_context())

    assert prepared.error == (
        "Conflicting preference mappings: chat.default_model_id (two complex mappings, one is twice); "
        "no.such_key (complex mapping unknown; not a schema key)"
    )


def test_a_failing_transform_becomes_a_warning_without_values(make_context, monkeypatch, caplog):
    secret = "sk-live-0123456789abcdef"

    def explode(sources):
        raise ValueError(f"cannot use {sources['token']}")

    failing = ComplexMapping(
        "openclaw_preferences",
        "test",
        {"token": SourceRef("redux", "gatewayToken", "openclaw")},
        ("feature.openclaw.gateway_port", "feature.openclaw.selected_model_id"),
        explode,
    )
    _with_complex(monkeypatch, failing, replace="openclaw_preferences")
    ctx = make_context(redux={"openclaw": {"gatewayToken": secret, "gatewayPort": 19000}})
    caplog.set_level(logging.DEBUG)

    migrator, prepared, _, validated = run(ctx)

    assert prepared.warnings == [
        "Preference mapping 'openclaw_preferences' failed (ValueError); "
        "feature.openclaw.gateway_port, feature.openclaw.selected_model_id keep their defaults."
    ]
    assert secret not in caplog.text
    values = stored(ctx)
    assert values["feature.openclaw.gateway_port"] == 18790
    assert values["feature.openclaw.selected_model_id"] is None
    failed = ledger(migrator, "preferences:complex")["skipReasons"]["transform_failed"]
    assert failed == {
        "count": 2,
        "ids": ["feature.openclaw.gateway_port", "feature.openclaw.selected_model_id"],
        "detail": "mapping openclaw_preferences",
    }
    assert validated.success


def test_undefined_and_wrong_typed_transform_outputs(make_context, monkeypatch):
    odd = ComplexMapping(
        "openclaw_preferences",
        "test",
        {},
        ("feature.openclaw.gateway_port", "feature.openclaw.selected_model_id"),
        lambda _: TransformResult({"feature.openclaw.selected_model_id": 42, "ui.theme_mode": "dark"}),
    )
    _with_complex(monkeypatch, odd, replace="openclaw_preferences")
    ctx = make_context(redux={"settings": {"theme": "light"}})

    migrator, prepared, *_ = run(ctx)

    values = stored(ctx)
    assert values["feature.openclaw.gateway_port"] == 18790
    assert values["feature.openclaw.selected_model_id"] is None
    assert values["ui.theme_mode"] == "light"
    assert prepared.warnings == [
        "Preference mapping 'openclaw_preferences' produced undeclared keys ui.theme_mode; ignored.",
        wrong_type_warning(
            "feature.openclaw.selected_model_id", "mapping openclaw_preferences", "string | null"
        ),
    ]
    complex_ = ledger(migrator, "preferences:complex")
    assert complex_["skipReasons"]["wrong_type"]["ids"] == ["feature.openclaw.selected_model_id"]
    assert complex_["written"] == 38


def test_a_key_without_value_or_default_gets_no_row(make_context, monkeypatch):
    specs = dict(preference_specs())
    specs["app.user.name"] = PreferenceSpec("app.user.name", "string", {"type": "string"}, None, False, False)
    specs["app.power.prevent_sleep_when_busy"] = PreferenceSpec(
        "app.power.prevent_sleep_when_busy", "boolean", {"type": "boolean"}, None, False, False
    )
    monkeypatch.setattr(preferences_module, "preference_specs", lambda: specs)
    ctx = make_context()

    migrator, prepared, _, validated = run(ctx)

    values = stored(ctx)
    assert "app.user.name" not in values
    assert "app.power.prevent_sleep_when_busy" not in values
    assert prepared.item_count == len(values) == 259
    assert ledger(migrator, "preferences:simple")["skipReasons"]["no_value_no_default"]["ids"] == [
        "app.user.name"
    ]
    assert validated.success
    assert validated.stats.to_dict() == {
        "sourceCount": 261,
        "targetCount": 259,
        "skippedCount": 2,
        "mismatchReason": None,
    }


def test_avatar_data_url_becomes_a_file_entry(make_context):
    ctx = make_context(dexie={"settings": [{"id": "image://avatar", "value": PNG_DATA_URL}]})
    migrator, _, _, validated = run(ctx)

    avatar = stored(ctx)["app.user.avatar"]
    assert avatar.startswith("file:")
    file_id = avatar.removeprefix("file:")
    row = ctx.db.execute("SELECT * FROM file_entry WHERE id = ?", (file_id,)).fetchone()
    assert row == (
        file_id,
        "internal",
        "avatar",
        "png",
        len(PNG_BYTES),
        None,
        None,
        "manual",
        FIXED_NOW_MS,
        FIXED_NOW_MS,
        None,
    )
    assert (ctx.paths.staging_files_dir / f"{file_id}.png").read_bytes() == PNG_BYTES
    assert validated.success
    assert ledger(migrator, "preferences:simple")["skipped"] == 0


@pytest.mark.parametrize("avatar", ["😀", "", "https://example.com/me.png"])
def test_emoji_and_plain_avatars_pass_through(make_context, avatar):
    ctx = make_context(dexie={"settings": [{"id": "image://avatar", "value": avatar}]})
    run(ctx)

    assert stored(ctx)["app.user.avatar"] == avatar
    assert ctx.db.execute("SELECT count(*) FROM file_entry").fetchone() == (0,)
    assert not ctx.paths.staging_files_dir.exists()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("data:image/png;base64,@@@not-base64", "the data URL's base64 data is malformed"),
        ("data:text/plain;base64,aGVsbG8=", "the data URL does not hold a supported image type"),
        ("data:image/png;base64", "the data URL has no comma before its data"),
    ],
)
def test_bad_avatar_data_url_resets_the_avatar(make_context, url, problem):
    ctx = make_context(dexie={"settings": [{"id": "image://avatar", "value": url}]})
    migrator, prepared, *_ = run(ctx)

    assert stored(ctx)["app.user.avatar"] == ""
    assert prepared.warnings == [f"Preference app.user.avatar: {problem}; the avatar was reset."]
    skipped = ledger(migrator, "preferences:simple")["skipReasons"]["bad_avatar_data_url"]
    assert skipped == {"count": 1, "ids": ["app.user.avatar"], "detail": problem}
    assert ctx.db.execute("SELECT count(*) FROM file_entry").fetchone() == (0,)


def test_secrets_are_registered_and_never_logged(make_context, caplog):
    secrets = ["webdav-pa55word", "s3-secret-key-XYZ", "tvly-key-one", "tvly-key-two", "cs-sk-gateway"]
    ctx = make_context(
        redux={
            "settings": {
                "webdavPass": secrets[0],
                "s3": {"secretAccessKey": secrets[1], "maxBackups": "five"},
                "apiServer": {"apiKey": [secrets[4]]},
            },
            "websearch": {"providers": [{"id": "tavily", "apiKey": f"{secrets[2]},{secrets[3]}"}]},
        }
    )
    caplog.set_level(logging.DEBUG)

    migrator, prepared, executed, validated = run(ctx)

    report = (
        caplog.text + json.dumps(migrator.ledger.to_dict()) + " ".join(prepared.warnings + executed.warnings)
    )
    for secret in secrets:
        assert secret not in report
        assert ctx.secrets.redact(f"x {secret} y") == "x «redacted» y"
    values = stored(ctx)
    assert values["data.backup.webdav.pass"] == secrets[0]
    assert values["chat.web_search.provider_overrides"] == {"tavily": {"apiKeys": [secrets[2], secrets[3]]}}
    assert values["feature.api_gateway.api_key"] is None
    assert validated.success


def test_rows_are_written_in_batches_with_progress(make_context):
    ctx = make_context()
    migrator = PreferencesMigrator()
    events: list[tuple[float, str | None]] = []
    migrator.set_progress_callback(lambda percent, message, _: events.append((percent, message)))
    migrator.prepare(ctx)
    migrator.execute(ctx)

    assert [message for _, message in events] == [
        "Migrated 100/261 preferences",
        "Migrated 200/261 preferences",
        "Migrated 261/261 preferences",
    ]
    assert events[-1][0] == 100


def test_cancel_writes_nothing_and_removes_the_avatar(make_context):
    ctx = make_context(dexie={"settings": [{"id": "image://avatar", "value": PNG_DATA_URL}]})
    migrator = PreferencesMigrator()
    migrator.prepare(ctx)
    migrator.set_progress_callback(lambda *_: ctx.cancel.cancel())

    with pytest.raises(MigrationCancelledError):
        migrator.execute(ctx)

    assert ctx.db.execute("SELECT count(*) FROM preference").fetchone() == (0,)
    assert ctx.db.execute("SELECT count(*) FROM file_entry").fetchone() == (0,)
    assert list(ctx.paths.staging_files_dir.iterdir()) == []
    assert migrator.ledger.to_dict() == {}


def test_a_write_failure_is_reported_and_rolled_back(make_context):
    ctx = make_context()
    ctx.db.execute(
        "INSERT INTO preference (scope, key, value, created_at, updated_at) "
        "VALUES ('default', 'ui.window_style', NULL, 0, 0)"
    )
    migrator = PreferencesMigrator()
    migrator.prepare(ctx)

    executed = migrator.execute(ctx)

    assert not executed.success
    assert (
        executed.error
        == "Writing preferences failed: UNIQUE constraint failed: preference.scope, preference.key"
    )
    assert ctx.db.execute("SELECT count(*) FROM preference").fetchone() == (1,)


def test_validate_reports_missing_rows_and_critical_keys(make_context):
    ctx = make_context()
    migrator, *_ = run(ctx)
    ctx.db.execute("DELETE FROM preference WHERE key IN ('ui.theme_mode', 'chat.narrow_mode')")

    validated = migrator.validate(ctx)

    assert not validated.success
    assert [(e.key, e.message, e.expected, e.actual) for e in validated.errors] == [
        ("preference_count", "Preference rows differ from the prepared count", 261, 259),
        ("ui.theme_mode", "Critical preference 'ui.theme_mode' not found after migration", None, None),
    ]
    assert validated.stats.target_count == 259


def test_validate_checks_the_avatar_file(make_context):
    ctx = make_context(dexie={"settings": [{"id": "image://avatar", "value": PNG_DATA_URL}]})
    migrator, *_ = run(ctx)
    for path in ctx.paths.staging_files_dir.iterdir():
        path.unlink()

    validated = migrator.validate(ctx)

    assert [(e.key, e.message) for e in validated.errors] == [
        ("app.user.avatar", "The avatar's file was not written")
    ]


def test_execute_needs_prepare_and_reset_forgets_the_plan(make_context):
    ctx = make_context()
    migrator = PreferencesMigrator()
    assert migrator.execute(ctx).error == "Preferences were not prepared."
    assert [e.message for e in migrator.validate(ctx).errors] == ["Preferences were not prepared."]
    migrator.prepare(ctx)
    migrator.reset()
    assert not migrator.execute(ctx).success
    assert ctx.db.execute("SELECT count(*) FROM preference").fetchone() == (0,)
