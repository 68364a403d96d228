"""The MCP server, provider/model, knowledge and file migrators on generated legacy export folders."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from cherry_migrate.db.connection import foreign_key_violations
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.file import FileMigrator
from cherry_migrate.migrators.knowledge.migrator import KnowledgeMigrator
from cherry_migrate.migrators.mappings.provider_model import RETIRED_PROVIDER_IDS, split_api_keys
from cherry_migrate.migrators.mcp_server import McpServerMigrator
from cherry_migrate.migrators.provider_model.migrator import ProviderModelMigrator
from cherry_migrate.sampledata import MIN_MESSAGES, demo_profile_path, generate_export
from cherry_migrate.sources.export_folder import open_export_folder
from tests.migrators.harness import run_phases, skips, table


@pytest.fixture(params=["demo", "generated"])
def profile(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The bundled demo, and a freshly generated export with another seed and a raw persist value."""
    if request.param == "demo":
        return demo_profile_path()
    folder = tmp_path / "export"
    generate_export(folder, seed=7, messages=MIN_MESSAGES, raw_persist=True)
    return folder


def ids(db: Any, sql: str) -> set[str]:
    return {row[0] for row in db.execute(sql)}


def test_profile(make_context: Any, profile: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Expectations are derived from the profile's own data, so a regenerated demo keeps them true."""
    caplog.set_level(logging.DEBUG)
    ctx = make_context(sources=open_export_folder(profile))
    migrators = (McpServerMigrator(), ProviderModelMigrator(), KnowledgeMigrator(), FileMigrator())
    runs = {m.id: run_phases(m, ctx) for m in migrators}
    db, redux = ctx.db, ctx.sources.redux

    servers = redux.get("mcp", "servers")
    assert set(ctx.shared_data[shared_keys.MCP_SERVER_ID_MAP]) == {s["id"] for s in servers}
    assert ids(db, "SELECT id FROM mcp_server") == set(
        ctx.shared_data[shared_keys.MCP_SERVER_ID_MAP].values()
    )

    providers = redux.get("llm", "providers")
    kept = [p for p in providers if p["id"] not in RETIRED_PROVIDER_IDS | {"cherryai"}]
    assert ids(db, "SELECT provider_id FROM user_provider") == {p["id"] for p in kept} | {"cherryai"}
    expected_models = {f"{p['id']}::{m['id']}" for p in kept for m in p["models"]} | {"cherryai::qwen"}
    knowledge_models = ids(
        db, "SELECT embedding_model_id FROM knowledge_base WHERE embedding_model_id IS NOT NULL"
    )
    assert ids(db, "SELECT id FROM user_model") == expected_models | knowledge_models
    keyed = {p["id"] for p in kept if split_api_keys(p.get("apiKey"))}
    assert ids(db, "SELECT provider_id FROM user_provider WHERE api_keys != '[]'") >= keyed
    settings = ctx.sources.dexie_settings
    logo_keys = [k for k in settings.keys() if k.startswith("image://provider-")]  # noqa: SIM118
    logo_refs = table(db, "SELECT * FROM provider_logo_file_ref")
    assert len(logo_refs) == sum(settings.get(k).startswith("data:") for k in logo_keys)
    for ref in logo_refs:
        entry = table(db, "SELECT id, ext FROM file_entry WHERE id = ?", ref["file_entry_id"])[0]
        assert (ctx.paths.staging_files_dir / f"{entry['id']}.{entry['ext']}").is_file()
    pins = [
        r["entity_id"]
        for r in table(db, "SELECT entity_id FROM pin WHERE entity_type = 'model' ORDER BY order_key")
    ]
    assert pins and set(pins) <= ctx.shared_data[shared_keys.USER_MODEL_IDS]

    bases = redux.get("knowledge", "bases")
    rows = {r["id"]: r for r in table(db, "SELECT * FROM knowledge_base")}
    remap = ctx.shared_data[shared_keys.KNOWLEDGE_BASE_ID_REMAP]
    assert set(remap) == {b["id"] for b in bases} and set(rows) == set(remap.values())
    provider_ids = {p["id"] for p in providers}
    for base in bases:
        row = rows[remap[base["id"]]]
        if base["model"]["provider"] not in provider_ids:
            assert (row["status"], row["error"], row["embedding_model_id"]) == (
                "failed",
                "missing_embedding_model",
                None,
            )
        else:  # the export holds no legacy vector stores
            assert (row["status"], row["error"]) == ("failed", "missing_vector_store")
            assert row["embedding_model_id"] == f"{base['model']['provider']}::{base['model']['id']}"
    note_ids = {n["id"] for n in ctx.sources.dexie.read_table("knowledge_notes")}
    assert note_ids <= set(ctx.shared_data[shared_keys.KNOWLEDGE_ITEM_ID_REMAP])

    file_rows = ctx.sources.dexie.read_table("files")
    missing = [r["id"] for r in file_rows if not (profile / "Data" / "Files" / r["name"]).exists()]
    assert missing  # at least the profile's deliberately missing file
    assert ids(db, "SELECT id FROM file_entry") >= {r["id"] for r in file_rows}
    listed = ", ".join(f"'{i}'" for i in missing[:5])
    assert (
        f"File entry kept although its file is missing from Data/Files: {listed}"
        in runs["file"].executed.warnings
    )
    assert ctx.shared_data[shared_keys.FILE_ENTRY_IDS] == ids(db, "SELECT id FROM file_entry")
    assert skips(migrators[3], "dexie:files") == {}

    for table_name in (
        "mcp_server",
        "user_model",
        "provider_logo_file_ref",
        "knowledge_base",
        "knowledge_item",
    ):
        assert foreign_key_violations(db, table_name)[0] == 0

    secrets = [key for p in providers for key in split_api_keys(p.get("apiKey"))]
    secrets += [v for s in servers for field in ("env", "headers") for v in (s.get(field) or {}).values()]
    assert secrets
    visible = "\n".join(
        [caplog.text]
        + [w for run in runs.values() for w in (*run.prepared.warnings, *run.executed.warnings)]
        + [json.dumps(m.ledger.to_dict()) for m in migrators]
    )
    assert not [secret for secret in secrets if secret in visible]
