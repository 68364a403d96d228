"""AssistantMigrator on generated export folders (the bundled demo profile and a raw-persist variant).

The hand-offs of the provider, MCP and knowledge migrators are built here from the same sources, as
those migrators publish them: model ids ``provider::model``, and a fresh id per MCP server and base.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.assistant import AssistantMigrator
from cherry_migrate.sampledata import demo_profile_path, generate_export
from cherry_migrate.sources.base import LegacySources
from cherry_migrate.sources.export_folder import open_export_folder


def hand_offs(sources: LegacySources) -> dict[str, Any]:
    providers = sources.redux.get("llm", "providers") or []
    models = {f"{p['id']}::{m['id']}" for p in providers for m in p.get("models") or []}
    servers = sources.redux.get("mcp", "servers") or []
    bases = sources.redux.get("knowledge", "bases") or []
    return {
        shared_keys.USER_MODEL_IDS: models,
        shared_keys.MCP_SERVER_ID_MAP: {s["id"]: new_uuid4() for s in servers},
        shared_keys.KNOWLEDGE_BASE_ID_REMAP: {b["id"]: new_uuid4() for b in bases},
    }


@pytest.fixture(params=["demo", "raw_persist"])
def profile(request: pytest.FixtureRequest, tmp_path: Path) -> LegacySources:
    if request.param == "demo":
        return open_export_folder(demo_profile_path())
    folder = tmp_path / "export"
    generate_export(folder, seed=7, messages=60, raw_persist=True)
    return open_export_folder(folder)


def test_generated_profile_migrates_every_assistant(make_context, profile: LegacySources) -> None:
    state = profile.redux.get_category("assistants")
    distinct_ids = {a["id"] for a in [*state["assistants"], *state["presets"], state["defaultAssistant"]]}
    ctx = make_context(sources=profile, shared=hand_offs(profile))

    migrator = AssistantMigrator()
    prepared = migrator.prepare(ctx)
    executed = migrator.execute(ctx)
    validated = migrator.validate(ctx)

    assert prepared.success and executed.success
    assert validated.success, validated.errors
    assert migrator.ledger.unbalanced() == {}
    assert prepared.item_count == len(distinct_ids)
    assert validated.stats.target_count == len(distinct_ids)
    assert validated.stats.skipped_count == 0

    remap = ctx.shared_data[shared_keys.LEGACY_ASSISTANT_ID_REMAP]
    assert uuid.UUID(remap["default"]).version == 4
    expected_ids = (distinct_ids - {"default"}) | {remap["default"]}
    assert ctx.shared_data[shared_keys.ASSISTANT_IDS] == expected_ids
    assert set(ctx.shared_data[shared_keys.ASSISTANT_SNAPSHOTS]) == expected_ids
    assert {r[0] for r in ctx.db.execute("SELECT id FROM assistant")} == expected_ids
    assert any("'default' appears more than once" in w for w in prepared.warnings)

    # The assistant whose model exists in no provider keeps no model; every kept model is migrated.
    models = {row[0] for row in ctx.db.execute("SELECT model_id FROM assistant WHERE model_id IS NOT NULL")}
    assert models <= ctx.shared_data[shared_keys.USER_MODEL_IDS]
    assert any("is not among the migrated models" in w for w in executed.warnings)

    # Every MCP/knowledge reference of the fixtures is in the maps, so each one became a link row.
    ledger = migrator.ledger.to_dict()
    for kind in ("redux:assistants.*.mcpServers", "redux:assistants.*.knowledge_bases"):
        if kind in ledger:
            assert ledger[kind]["written"] == ledger[kind]["read"]
    # Presets carry group names: one group row per distinct first name.
    assert validated.diagnostics["groups"] >= 1
    assert all(w.count("sk-demo-") == 0 and "ghp_demo" not in w for w in executed.warnings)
