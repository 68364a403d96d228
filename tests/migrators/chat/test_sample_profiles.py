"""The chat migrator over generated export folders: the bundled demo profile and a fresh one whose
tricky cases are known by id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.chat.kinds import BLOCKS_KIND, TOPIC_META_KIND, TOPICS_KIND
from cherry_migrate.sampledata import MIN_MESSAGES, demo_profile_path, generate_export
from cherry_migrate.sources.base import LegacySources
from cherry_migrate.sources.export_folder import open_export_folder
from tests.migrators.chat.helpers import messages_by_id, run, skipped_ids


def shared_from(sources: LegacySources) -> dict[str, Any]:
    """What the earlier migrators would publish for this profile (``default`` gets a new id)."""
    state = sources.redux.get_category("assistants") or {}
    owners = [*(state.get("assistants") or []), state.get("defaultAssistant") or {}]
    remap = {"default": "default-new"}
    assistant_ids = {remap.get(a["id"], a["id"]) for a in owners if isinstance(a, dict) and a.get("id")}
    providers = sources.redux.get("llm", "providers") or []
    models = {f"{p['id']}::{m['id']}" for p in providers for m in p.get("models") or []}
    files = {row["id"] for row in sources.dexie.iter_rows("files")}
    return {
        shared_keys.ASSISTANT_IDS: assistant_ids,
        shared_keys.LEGACY_ASSISTANT_ID_REMAP: remap,
        shared_keys.ASSISTANT_SNAPSHOTS: {a: {"id": a, "name": a} for a in assistant_ids},
        shared_keys.USER_MODEL_IDS: models,
        shared_keys.FILE_ENTRY_IDS: files,
    }


def test_bundled_demo_profile_migrates_cleanly(make_context):
    sources = open_export_folder(demo_profile_path())
    ctx = make_context(sources=sources, shared=shared_from(sources))
    migrator, validated = run(ctx)
    assert validated.stats.target_count == validated.stats.source_count - validated.stats.skipped_count
    assert validated.diagnostics["messages_written"] > 0
    assert validated.diagnostics["file_refs_inserted"] > 0
    assert migrator.ledger.kinds[BLOCKS_KIND].written > 0


def test_tricky_cases_of_a_generated_profile(make_context, tmp_path: Path):
    summary = generate_export(tmp_path / "export", seed=11, messages=max(MIN_MESSAGES, 400))
    tricky = summary.tricky
    sources = open_export_folder(tmp_path / "export")
    ctx = make_context(sources=sources, shared=shared_from(sources))
    migrator, validated = run(ctx)
    conn = ctx.db
    messages = messages_by_id(conn)

    ask, selected = tricky["multi_model_ask"], tricky["multi_model_fold_selected"]
    replies = [m for m in messages.values() if m["parent_id"] == ask and m["role"] == "assistant"]
    assert len(replies) >= 3 and selected in {m["id"] for m in replies}
    assert len({m["siblings_group_id"] for m in replies}) == 1 and replies[0]["siblings_group_id"] > 0

    deleted_ask = messages[tricky["deleted_ask_answer"]]
    assert deleted_ask["parent_id"] is not None and deleted_ask["siblings_group_id"] == 0

    duplicate = tricky["duplicate_message_id"]
    assert duplicate in messages and validated.diagnostics["renamed_message_ids"] >= 1

    assert tricky["message_with_missing_block"] in messages
    assert validated.diagnostics["missing_block_refs"] >= 1

    mismatched = messages[tricky["topic_id_mismatch"]]
    assert messages[mismatched["parent_id"]]["topic_id"] == mismatched["topic_id"]

    assert messages[tricky["clear_marker"]]["data"] == {"parts": [{"type": "data-clear", "data": {}}]}
    assert tricky["orphan_block"] in skipped_ids(migrator, BLOCKS_KIND, "message_not_found")

    topics = {row[0]: row for row in conn.execute("SELECT id, assistant_id FROM topic")}
    assert tricky["empty_topic"] in skipped_ids(migrator, TOPICS_KIND, "empty_topic")
    assert tricky["pinned_empty_topic"] in topics
    pinned = {row[0] for row in conn.execute("SELECT entity_id FROM pin WHERE entity_type = 'topic'")}
    assert tricky["pinned_empty_topic"] in pinned
    assert topics[tricky["orphan_topic"]][1] is None
    redux_only = tricky["redux_only_topic"]
    assert redux_only in topics or redux_only in skipped_ids(migrator, TOPIC_META_KIND, "empty_topic")

    for message in messages.values():
        assert orjson.dumps(message["data"])  # valid JSON parts everywhere
