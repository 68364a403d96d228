"""AssistantMigrator end to end on hand-built Redux fixtures, against a real v2 target."""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

import pytest

from cherry_migrate.core.errors import MigrationCancelledError
from cherry_migrate.db.connection import foreign_key_violations
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.assistant import AssistantMigrator
from cherry_migrate.migrators.mappings.assistant_settings import DEFAULT_ASSISTANT_SETTINGS
from tests.conftest import FIXED_NOW_MS

NOW = FIXED_NOW_MS
SECRET = "ghp_assistantTestSecret0001"

WRITER: dict[str, Any] = {
    "id": "a-writer",
    "name": "Writer",
    "prompt": "You help people write.",
    "type": "assistant",
    "emoji": "✍️",
    "description": "Drafts and edits",
    "model": {"id": "gpt-4o", "provider": "openai", "name": "GPT-4o", "group": "gpt"},
    "settings": {
        "temperature": 0.7,
        "enableTemperature": True,
        "contextCount": 10,
        "streamOutput": True,
        "toolUseMode": "function",
        "maxTokens": 2048,
        "enableMaxTokens": True,
    },
    "mcpServers": [{"id": "mcp-fs", "name": "filesystem", "env": {"GITHUB_TOKEN": SECRET}}],
    "knowledge_bases": [{"id": "kb-docs", "name": "Docs"}],
    "tags": ["work", "writing"],
    "topics": [{"id": "t1", "assistantId": "a-writer", "name": "Draft", "messages": []}],
    "regularPhrases": [{"id": "rp1", "title": "Hi", "content": "Hello"}],
    "enableWebSearch": True,
}

FULL_SHARED: dict[str, Any] = {
    shared_keys.USER_MODEL_IDS: {"openai::gpt-4o", "anthropic::claude"},
    shared_keys.MCP_SERVER_ID_MAP: {"mcp-fs": "11111111-1111-4111-8111-111111111111"},
    shared_keys.KNOWLEDGE_BASE_ID_REMAP: {"kb-docs": "22222222-2222-4222-8222-222222222222"},
}


def run(ctx: Any) -> tuple[AssistantMigrator, Any, Any, Any]:
    migrator = AssistantMigrator()
    migrator.reset()
    prepared = migrator.prepare(ctx)
    executed = migrator.execute(ctx)
    validated = migrator.validate(ctx)
    return migrator, prepared, executed, validated


def rows(db: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.execute(sql).fetchall()]


def assistant_rows(db: sqlite3.Connection) -> list[dict[str, Any]]:
    cursor = db.execute("SELECT * FROM assistant ORDER BY order_key")
    names = [c[0] for c in cursor.description]
    result = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        row["settings"] = json.loads(row["settings"])
        result.append(row)
    return result


def slice_with(**slots: Any) -> dict[str, Any]:
    return {"assistants": {"assistants": [], "presets": [], **slots}}


def test_metadata() -> None:
    migrator = AssistantMigrator()
    assert (migrator.id, migrator.order) == ("assistant", 2)
    assert set(migrator.owned_tables) == {
        "assistant",
        "assistant_mcp_server",
        "assistant_knowledge_base",
        "tag",
        "entity_tag",
        "group",
    }


def test_normal_assistant_exact_rows(make_context) -> None:
    ctx = make_context(redux=slice_with(assistants=[WRITER]), shared=FULL_SHARED)
    migrator, prepared, executed, validated = run(ctx)

    assert prepared.success and prepared.item_count == 1
    assert executed.success and executed.processed_count == 1
    [row] = assistant_rows(ctx.db)
    order_key = row.pop("order_key")
    assert order_key
    assert row == {
        "id": "a-writer",
        "name": "Writer",
        "prompt": "You help people write.",
        "emoji": "✍️",
        "description": "Drafts and edits",
        "model_id": "openai::gpt-4o",
        "group_id": None,
        "settings": {
            **DEFAULT_ASSISTANT_SETTINGS,
            "temperature": 0.7,
            "enableTemperature": True,
            "contextCount": 10,
            "maxTokens": 2048,
            "enableMaxTokens": True,
            "enableWebSearch": True,
        },
        "created_at": NOW,
        "updated_at": NOW,
        "deleted_at": None,
    }
    assert rows(ctx.db, "SELECT * FROM assistant_mcp_server") == [
        ("a-writer", "11111111-1111-4111-8111-111111111111", NOW, NOW)
    ]
    assert rows(ctx.db, "SELECT * FROM assistant_knowledge_base") == [
        ("a-writer", "22222222-2222-4222-8222-222222222222", NOW, NOW)
    ]
    tags = dict(rows(ctx.db, "SELECT name, id FROM tag"))
    assert sorted(tags) == ["work", "writing"]
    assert rows(ctx.db, "SELECT color, created_at, updated_at FROM tag") == [(None, NOW, NOW)] * 2
    assert sorted(rows(ctx.db, "SELECT * FROM entity_tag")) == sorted(
        [
            ("assistant", "a-writer", tags["work"], NOW, NOW),
            ("assistant", "a-writer", tags["writing"], NOW, NOW),
        ]
    )
    assert ctx.shared_data[shared_keys.ASSISTANT_IDS] == {"a-writer"}
    assert ctx.shared_data[shared_keys.LEGACY_ASSISTANT_ID_REMAP] == {}
    assert ctx.shared_data[shared_keys.ASSISTANT_SNAPSHOTS] == {
        "a-writer": {"id": "a-writer", "name": "Writer", "emoji": "✍️"}
    }
    assert executed.warnings == []
    assert migrator.ledger.unbalanced() == {}
    ledger = migrator.ledger.to_dict()
    assert ledger["redux:assistants.assistants"]["written"] == 1
    assert ledger["redux:assistants.*.mcpServers"] == {
        "read": 1,
        "written": 1,
        "skipped": 0,
        "skipReasons": {},
    }
    assert ledger["redux:assistants.*.knowledge_bases"]["written"] == 1
    assert ledger["redux:assistants.*.tags"]["written"] == 2
    assert validated.success, validated.errors
    assert validated.stats.source_count == 1
    assert validated.stats.target_count == 1
    assert validated.stats.skipped_count == 0
    assert "redux:assistants.assistants.topics" not in ledger


def test_secrets_in_embedded_mcp_servers_are_registered_and_never_reported(make_context) -> None:
    ctx = make_context(redux=slice_with(assistants=[WRITER]), shared={})
    _, _, executed, _ = run(ctx)
    assert ctx.secrets.redact(f"token {SECRET}") == "token «redacted»"
    assert all(SECRET not in w for w in executed.warnings)


def test_presets_become_assistants_with_their_group(make_context) -> None:
    presets = [
        {
            "id": "p-translate",
            "name": "Translator",
            "prompt": "Translate.",
            "emoji": "🌐",
            "group": ["Language"],
        },
        {
            "id": "p-coder",
            "name": "Coder",
            "group": ["Tools", "Language", "Tools", ""],
            "messages": [{"a": 1}],
        },
        {"id": "p-plain", "name": "Plain", "group": "Tools"},
    ]
    ctx = make_context(redux=slice_with(assistants=[WRITER], presets=presets), shared=FULL_SHARED)
    migrator, prepared, _, validated = run(ctx)

    assert prepared.item_count == 4
    found = assistant_rows(ctx.db)
    assert [r["id"] for r in found] == ["a-writer", "p-translate", "p-coder", "p-plain"]
    assert [r["order_key"] for r in found] == sorted(r["order_key"] for r in found)
    groups = rows(ctx.db, 'SELECT name, entity_type, created_at, updated_at, id, order_key FROM "group"')
    assert [g[:4] for g in groups] == [("Language", "assistant", NOW, NOW), ("Tools", "assistant", NOW, NOW)]
    assert groups[0][5] < groups[1][5]
    group_ids = {g[0]: g[4] for g in groups}
    by_id = {r["id"]: r for r in found}
    assert by_id["p-translate"]["group_id"] == group_ids["Language"]
    assert by_id["p-coder"]["group_id"] == group_ids["Tools"]
    assert by_id["p-plain"]["group_id"] == group_ids["Tools"]
    assert by_id["p-coder"]["emoji"] == "🌟"
    assert by_id["p-coder"]["prompt"] == ""
    assert by_id["p-coder"]["model_id"] is None
    groups_ledger = migrator.ledger.to_dict()["redux:assistants.*.group"]
    assert groups_ledger["read"] == 6
    assert groups_ledger["written"] == 3
    assert {reason: v["ids"] for reason, v in groups_ledger["skipReasons"].items()} == {
        "extra_group": ["p-coder->Language"],
        "duplicate_group": ["p-coder->Tools"],
        "invalid_group": ["p-coder.group[3]"],
    }
    assert validated.success, validated.errors
    assert validated.diagnostics["groups"] == 2


def test_default_assistant_gets_a_new_id_and_both_copies_merge(make_context) -> None:
    live = {
        "id": "default",
        "name": "Default Assistant",
        "emoji": "😀",
        "prompt": "",
        "settings": {"temperature": 0.4, "contextCount": None, "maxTokens": 0},
        "tags": [],
        "topics": [{"id": "t-default"}],
    }
    slot = {
        "id": "default",
        "name": "Old name",
        "prompt": "Be brief.",
        "model": {"id": "claude", "provider": "anthropic"},
        "settings": {"temperature": 1.2, "contextCount": 20},
        "tags": ["daily"],
        "topics": [{"id": "t-slot"}],
    }
    ctx = make_context(redux=slice_with(assistants=[live], defaultAssistant=slot), shared=FULL_SHARED)
    migrator, prepared, executed, validated = run(ctx)

    assert prepared.item_count == 1
    remap = ctx.shared_data[shared_keys.LEGACY_ASSISTANT_ID_REMAP]
    new_id = remap["default"]
    assert uuid.UUID(new_id).version == 4
    [row] = assistant_rows(ctx.db)
    assert row["id"] == new_id
    assert (row["name"], row["emoji"], row["prompt"], row["model_id"]) == (
        "Default Assistant",
        "😀",
        "Be brief.",
        "anthropic::claude",
    )
    assert row["settings"]["temperature"] == 0.4
    assert row["settings"]["contextCount"] == 20
    assert rows(ctx.db, "SELECT entity_id FROM entity_tag") == [(new_id,)]
    assert ctx.shared_data[shared_keys.ASSISTANT_IDS] == {new_id}
    assert "default" not in ctx.shared_data[shared_keys.ASSISTANT_SNAPSHOTS]
    assert ctx.shared_data[shared_keys.ASSISTANT_SNAPSHOTS][new_id]["name"] == "Default Assistant"
    assert rows(ctx.db, "SELECT COUNT(*) FROM assistant WHERE id = 'default'") == [(0,)]
    ledger = migrator.ledger.to_dict()
    assert ledger["redux:assistants.assistants"]["written"] == 1
    assert ledger["redux:assistants.defaultAssistant"]["written"] == 1
    assert any("'default' appears more than once" in w for w in prepared.warnings)
    # Reports name the legacy id, the one the user's data shows.
    assert executed.warnings == [
        "settings 'maxTokens' had a value v2 rejects, default used, on assistants: 'default'"
    ]
    assert validated.success
    assert validated.diagnostics["mergedDuplicates"] == 1
    assert (validated.stats.source_count, validated.stats.target_count) == (1, 1)


def test_same_id_across_assistants_and_presets_is_merged_not_dropped(make_context) -> None:
    first = {"id": "dup", "name": "First", "mcpServers": [], "knowledge_bases": [{"id": "kb-docs"}]}
    second = {"id": "dup", "name": "Second", "description": "only here", "mcpServers": [{"id": "mcp-fs"}]}
    ctx = make_context(redux=slice_with(assistants=[first], presets=[second]), shared=FULL_SHARED)
    migrator, prepared, executed, validated = run(ctx)

    [row] = assistant_rows(ctx.db)
    assert (row["id"], row["name"], row["description"]) == ("dup", "First", "only here")
    assert rows(ctx.db, "SELECT mcp_server_id FROM assistant_mcp_server") == [
        ("11111111-1111-4111-8111-111111111111",)
    ]
    assert rows(ctx.db, "SELECT knowledge_base_id FROM assistant_knowledge_base") == [
        ("22222222-2222-4222-8222-222222222222",)
    ]
    ledger = migrator.ledger.to_dict()
    assert ledger["redux:assistants.assistants"]["written"] == 1
    assert ledger["redux:assistants.presets"]["written"] == 1
    assert executed.warnings == []
    assert prepared.warnings == [
        "assistant 'dup' appears more than once (redux:assistants.assistants, redux:assistants.presets); "
        "merged field by field, the earlier record wins where it has a value"
    ]
    assert validated.success


def test_invalid_settings_dropped_and_reported_by_key_without_values(make_context) -> None:
    assistants = [
        {"id": "s1", "settings": {"maxTokens": 0, "temperature": "hot-value-123", "hideMessages": True}},
        {"id": "s2", "settings": {"maxTokens": -5, "topP": 0.5}},
    ]
    ctx = make_context(redux=slice_with(assistants=assistants), shared=FULL_SHARED)
    _, _, executed, validated = run(ctx)

    settings = {r["id"]: r["settings"] for r in assistant_rows(ctx.db)}
    assert settings["s1"] == DEFAULT_ASSISTANT_SETTINGS
    assert settings["s2"] == {**DEFAULT_ASSISTANT_SETTINGS, "topP": 0.5}
    assert executed.warnings == [
        "settings 'maxTokens' had a value v2 rejects, default used, on assistants: 's1', 's2'",
        "settings 'temperature' had a value v2 rejects, default used, on assistants: 's1'",
        "settings 'hideMessages' is not a v2 assistant setting, dropped, on assistants: 's1'",
    ]
    assert all("hot-value-123" not in w and "-5" not in w for w in executed.warnings)
    assert validated.success


def test_tags_are_deduplicated_and_malformed_ones_skipped(make_context) -> None:
    assistants = [
        {"id": "t1", "tags": ["work", "work", "", 7, "home"]},
        {"id": "t2", "tags": ["home"]},
    ]
    ctx = make_context(redux=slice_with(assistants=assistants), shared=FULL_SHARED)
    migrator, _, _, validated = run(ctx)

    tag_ids = dict(rows(ctx.db, "SELECT name, id FROM tag"))
    assert sorted(tag_ids) == ["home", "work"]
    assert sorted(rows(ctx.db, "SELECT entity_id, tag_id FROM entity_tag")) == sorted(
        [("t1", tag_ids["work"]), ("t1", tag_ids["home"]), ("t2", tag_ids["home"])]
    )
    tags = migrator.ledger.to_dict()["redux:assistants.*.tags"]
    assert (tags["read"], tags["written"], tags["skipped"]) == (6, 3, 3)
    assert {reason: v["ids"] for reason, v in tags["skipReasons"].items()} == {
        "duplicate_tag": ["t1->work"],
        "invalid_tag": ["t1.tags[2]", "t1.tags[3]"],
    }
    assert validated.success
    assert (validated.diagnostics["tags"], validated.diagnostics["entityTags"]) == (2, 3)


def test_references_resolved_or_skipped_when_not_in_the_maps(make_context) -> None:
    assistant = {
        "id": "r1",
        "mcpServers": [{"id": "mcp-fs"}, {"id": "mcp-gone"}, {"name": "no id"}, "mcp-fs"],
        "knowledge_bases": [{"id": "kb-docs"}, {"id": "kb-deleted"}],
    }
    ctx = make_context(redux=slice_with(assistants=[assistant]), shared=FULL_SHARED)
    migrator, _, executed, validated = run(ctx)

    assert rows(ctx.db, "SELECT assistant_id, mcp_server_id FROM assistant_mcp_server") == [
        ("r1", "11111111-1111-4111-8111-111111111111")
    ]
    assert rows(ctx.db, "SELECT assistant_id, knowledge_base_id FROM assistant_knowledge_base") == [
        ("r1", "22222222-2222-4222-8222-222222222222")
    ]
    ledger = migrator.ledger.to_dict()
    mcp = ledger["redux:assistants.*.mcpServers"]
    assert (mcp["read"], mcp["written"]) == (4, 1)
    assert {reason: v["ids"] for reason, v in mcp["skipReasons"].items()} == {
        "mcp_server_not_migrated": ["r1->mcp-gone"],
        "invalid_reference": ["r1.mcpServers[2]"],
        "duplicate_reference": ["r1->mcp-fs"],
    }
    kb = ledger["redux:assistants.*.knowledge_bases"]
    assert {reason: v["ids"] for reason, v in kb["skipReasons"].items()} == {
        "knowledge_base_not_migrated": ["r1->kb-deleted"]
    }
    assert "3 assistant MCP server reference(s) skipped (see the ledger)" in executed.warnings
    assert "1 assistant knowledge base reference(s) skipped (see the ledger)" in executed.warnings
    assert migrator.ledger.unbalanced() == {}
    assert validated.success


def test_references_skipped_when_the_maps_are_absent(make_context) -> None:
    ctx = make_context(redux=slice_with(assistants=[WRITER]), shared={shared_keys.USER_MODEL_IDS: set()})
    migrator, _, executed, validated = run(ctx)

    assert rows(ctx.db, "SELECT COUNT(*) FROM assistant_mcp_server") == [(0,)]
    assert rows(ctx.db, "SELECT COUNT(*) FROM assistant_knowledge_base") == [(0,)]
    ledger = migrator.ledger.to_dict()
    assert ledger["redux:assistants.*.mcpServers"]["skipReasons"] == {
        "mcp_server_map_missing": {
            "count": 1,
            "ids": ["a-writer->mcp-fs"],
            "detail": "no mcp_server id map was published",
        }
    }
    assert (
        ledger["redux:assistants.*.knowledge_bases"]["skipReasons"]["knowledge_base_map_missing"]["count"]
        == 1
    )
    assert (
        "no MCP server id map was published; 1 assistant MCP server reference(s) skipped" in executed.warnings
    )
    assert (
        "no knowledge base id map was published; 1 assistant knowledge base reference(s) skipped"
        in executed.warnings
    )
    assert validated.success


def test_unknown_model_becomes_null_with_a_warning(make_context) -> None:
    assistants = [
        {"id": "m1", "model": {"id": "gpt-9", "provider": "openai"}},
        {"id": "m2", "model": {"id": "gpt-4o", "provider": "openai"}},
        {"id": "m3", "model": {"name": "no provider"}},
    ]
    ctx = make_context(redux=slice_with(assistants=assistants), shared=FULL_SHARED)
    _, _, executed, validated = run(ctx)

    assert {r["id"]: r["model_id"] for r in assistant_rows(ctx.db)} == {
        "m1": None,
        "m2": "openai::gpt-4o",
        "m3": None,
    }
    assert executed.warnings == [
        "model 'openai::gpt-9' is not among the migrated models, no model set, on assistants: 'm1'",
        "model reference is malformed, no model set, on assistants: 'm3'",
    ]
    assert validated.diagnostics["modelReferencesNulled"] == 1


def test_without_a_model_list_references_are_kept_and_warned_once(make_context) -> None:
    assistants = [
        {"id": "m1", "model": {"id": "gpt-9", "provider": "openai"}},
        {"id": "m2", "defaultModel": {"id": "claude", "provider": "anthropic"}},
    ]
    shared = {k: v for k, v in FULL_SHARED.items() if k != shared_keys.USER_MODEL_IDS}
    ctx = make_context(redux=slice_with(assistants=assistants), shared=shared)
    _, _, executed, _ = run(ctx)

    assert {r["id"]: r["model_id"] for r in assistant_rows(ctx.db)} == {
        "m1": "openai::gpt-9",
        "m2": "anthropic::claude",
    }
    assert executed.warnings == [
        "no migrated model list was published; 2 assistant model reference(s) kept unverified"
    ]


def test_malformed_entries_are_skipped_with_reasons(make_context) -> None:
    redux = {
        "assistants": {
            "assistants": [None, "text", {"name": "No id"}, {"id": ""}, {"id": 5}, {"id": "ok", "name": 3}],
            "presets": [{"id": ["x"]}],
            "defaultAssistant": "broken",
        }
    }
    ctx = make_context(redux=redux, shared=FULL_SHARED)
    migrator, prepared, executed, validated = run(ctx)

    assert prepared.success and prepared.item_count == 1
    assert "7 assistant record(s) will be skipped (no usable id)" in prepared.warnings
    [row] = assistant_rows(ctx.db)
    assert (row["id"], row["name"]) == ("ok", "Unnamed Assistant")
    assert "field 'name' had the wrong type, default used, on assistants: 'ok'" in executed.warnings
    ledger = migrator.ledger.to_dict()
    assert ledger["redux:assistants.assistants"] == {
        "read": 6,
        "written": 1,
        "skipped": 5,
        "skipReasons": {
            "invalid_id": {
                "count": 1,
                "ids": ["assistants.assistants[4]"],
                "detail": "assistant id is not a string",
            },
            "missing_id": {
                "count": 2,
                "ids": ["assistants.assistants[2]", "assistants.assistants[3]"],
                "detail": "assistant has no id",
            },
            "not_an_object": {
                "count": 2,
                "ids": ["assistants.assistants[0]", "assistants.assistants[1]"],
                "detail": "entry is not an object",
            },
        },
    }
    assert ledger["redux:assistants.presets"]["skipReasons"]["invalid_id"]["count"] == 1
    assert ledger["redux:assistants.defaultAssistant"]["skipReasons"]["not_an_object"]["count"] == 1
    assert migrator.ledger.unbalanced() == {}
    assert validated.success
    assert (validated.stats.source_count, validated.stats.target_count, validated.stats.skipped_count) == (
        8,
        1,
        7,
    )


@pytest.mark.parametrize("redux", [{}, {"assistants": {}}, {"assistants": {"assistants": [], "presets": []}}])
def test_no_assistants_write_nothing_and_publish_empty_hand_offs(make_context, redux) -> None:
    ctx = make_context(redux=redux, shared=FULL_SHARED)
    migrator, prepared, executed, validated = run(ctx)
    assert prepared.success and prepared.item_count == 0
    assert executed.success and executed.processed_count == 0
    assert ctx.shared_data[shared_keys.ASSISTANT_IDS] == set()
    assert ctx.shared_data[shared_keys.LEGACY_ASSISTANT_ID_REMAP] == {}
    assert ctx.shared_data[shared_keys.ASSISTANT_SNAPSHOTS] == {}
    assert validated.success
    assert migrator.ledger.unbalanced() == {}


def test_validate_reports_missing_rows(make_context) -> None:
    ctx = make_context(redux=slice_with(assistants=[WRITER, {"id": "second"}]), shared=FULL_SHARED)
    migrator, _, _, validated = run(ctx)
    assert validated.success
    assert (validated.stats.source_count, validated.stats.target_count) == (2, 2)

    ctx.db.execute("DELETE FROM assistant WHERE id = 'second'")
    ctx.db.execute("DELETE FROM entity_tag")
    again = migrator.validate(ctx)
    assert not again.success
    assert {e.key for e in again.errors} == {"assistant_count_mismatch", "entity_tag_count_mismatch"}
    assert again.stats.target_count == 1


def test_prepare_is_dry_and_reads_no_shared_data(make_context) -> None:
    ctx = make_context(redux=slice_with(assistants=[WRITER]))
    migrator = AssistantMigrator()
    prepared = migrator.prepare(ctx)
    assert prepared.item_count == 1
    assert rows(ctx.db, "SELECT COUNT(*) FROM assistant") == [(0,)]
    assert ctx.shared_data == {}
    assert migrator.ledger.to_dict() == {}


def test_reset_forgets_the_previous_attempt(make_context) -> None:
    first = make_context(redux=slice_with(assistants=[WRITER]), shared=FULL_SHARED)
    migrator, *_ = run(first)
    migrator.reset()
    second = make_context(redux=slice_with(assistants=[{"id": "other"}]), shared=FULL_SHARED)
    assert migrator.prepare(second).item_count == 1
    migrator.execute(second)
    assert [r["id"] for r in assistant_rows(second.db)] == ["other"]
    assert migrator.ledger.to_dict()["redux:assistants.assistants"]["read"] == 1


def test_written_rows_have_no_foreign_key_violations(make_context) -> None:
    ctx = make_context(
        redux=slice_with(assistants=[WRITER], presets=[{"id": "p", "group": ["G"]}]), shared=FULL_SHARED
    )
    ctx.db.execute(
        "INSERT INTO user_model (id, provider_id, model_id, name, capabilities, supports_streaming,"
        " order_key, created_at, updated_at)"
        " VALUES ('openai::gpt-4o', 'openai', 'gpt-4o', 'GPT-4o', '[]', 1, 'a0', 1, 1)"
    )
    ctx.db.execute(
        "INSERT INTO mcp_server (id, name, created_at, updated_at)"
        " VALUES ('11111111-1111-4111-8111-111111111111', 'fs', 1, 1)"
    )
    ctx.db.execute(
        "INSERT INTO knowledge_base (id, name, status, chunk_size, chunk_overlap, created_at, updated_at)"
        " VALUES ('22222222-2222-4222-8222-222222222222', 'Docs', 'completed', 512, 64, 1, 1)"
    )
    migrator, *_ = run(ctx)
    for table in migrator.owned_tables:
        assert foreign_key_violations(ctx.db, table) == (0, []), table


def test_large_profiles_are_written_in_batches_with_progress(make_context) -> None:
    many = [{"id": f"a{i:03d}", "name": f"A{i}", "tags": [f"tag{i % 7}"]} for i in range(250)]
    ctx = make_context(redux=slice_with(presets=many), shared=FULL_SHARED)
    migrator = AssistantMigrator()
    progress: list[float] = []
    migrator.set_progress_callback(lambda pct, msg, i18n: progress.append(pct))
    migrator.prepare(ctx)
    migrator.execute(ctx)
    assert progress == [40.0, 80.0, 100.0, 100.0]
    found = assistant_rows(ctx.db)
    assert [r["id"] for r in found] == [f"a{i:03d}" for i in range(250)]
    assert migrator.validate(ctx).success


def test_cancel_stops_between_batches(make_context) -> None:
    many = [{"id": f"a{i:03d}"} for i in range(250)]
    ctx = make_context(redux=slice_with(presets=many), shared=FULL_SHARED)
    migrator = AssistantMigrator()

    def cancel_after_first_batch(pct: float, msg: str | None, i18n: object) -> None:
        ctx.cancel.cancel()

    migrator.set_progress_callback(cancel_after_first_batch)
    migrator.prepare(ctx)
    with pytest.raises(MigrationCancelledError):
        migrator.execute(ctx)
    assert rows(ctx.db, "SELECT COUNT(*) FROM assistant") == [(100,)]
