"""The note, mini-app, painting, translate and prompt migrators on generated legacy profiles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.mini_app.migrator import MiniAppMigrator
from cherry_migrate.migrators.note.migrator import NoteMigrator
from cherry_migrate.migrators.painting import FILE_REFS_KIND, PaintingMigrator
from cherry_migrate.migrators.prompt.migrator import PromptMigrator
from cherry_migrate.migrators.translate import TranslateMigrator
from cherry_migrate.sampledata import MIN_MESSAGES, demo_profile_path, generate_export
from cherry_migrate.sources.export_folder import open_export_folder
from tests.conftest import FIXED_NOW_MS
from tests.migrators.harness import run_phases, table

NEW_DEFAULT = "3c1b5a7e-2d4f-4e6a-8b9c-0d1e2f3a4b5c"


@pytest.fixture(params=["demo", "generated"])
def profile(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The bundled demo, and a freshly generated export with another seed and a raw persist value."""
    if request.param == "demo":
        return demo_profile_path()
    folder = tmp_path / "export"
    generate_export(folder, seed=7, messages=MIN_MESSAGES, raw_persist=True)
    return folder


def profile_context(make_context: Any, profile: Path) -> Any:
    ctx = make_context(sources=open_export_folder(profile))
    file_ids = [row["id"] for row in ctx.sources.dexie.read_table("files")]
    columns = ("id", "origin", "name", "ext", "size", "created_at", "updated_at")
    insert_rows(
        ctx.db,
        "file_entry",
        columns,
        [(i, "internal", i, None, 0, FIXED_NOW_MS, FIXED_NOW_MS) for i in file_ids],
    )
    slots = ctx.sources.redux.get_category("assistants")
    legacy_ids = {a["id"] for slot in ("assistants", "presets") for a in slots.get(slot) or []}
    ctx.shared_data[shared_keys.ASSISTANT_IDS] = (legacy_ids - {"default"}) | {NEW_DEFAULT}
    ctx.shared_data[shared_keys.LEGACY_ASSISTANT_ID_REMAP] = {"default": NEW_DEFAULT}
    return ctx


def test_profile(make_context: Any, profile: Path) -> None:
    """Expectations are derived from the profile's own data, so a regenerated demo keeps them true."""
    ctx = profile_context(make_context, profile)
    redux = ctx.sources.redux
    note, mini_app, painting, translate, prompt = (
        NoteMigrator(),
        MiniAppMigrator(),
        PaintingMigrator(),
        TranslateMigrator(),
        PromptMigrator(),
    )
    runs = {m.id: run_phases(m, ctx) for m in (note, mini_app, painting, translate, prompt)}

    note_paths = {*redux.get("note", "starredPaths"), *redux.get("note", "expandedPaths")}
    assert {r["path"] for r in table(ctx.db, "SELECT path FROM note")} == note_paths
    assert note.ledger.total_skipped == 0 and runs["note"].executed.warnings == []

    lists = redux.get_category("minapps")
    apps = {r["app_id"]: r for r in table(ctx.db, "SELECT * FROM mini_app")}
    assert set(apps) == {app["id"] for group in lists.values() for app in group}
    assert {i for i, r in apps.items() if r["status"] == "pinned"} == {app["id"] for app in lists["pinned"]}
    custom_file = json.loads((profile / "Data" / "Files" / "custom-minapps.json").read_text())
    assert {i for i, r in apps.items() if r["preset_mini_app_id"] is None} == {
        app["id"] for app in custom_file
    }
    logos = table(ctx.db, "SELECT source_id FROM mini_app_logo_file_ref")
    assert sorted(r["source_id"] for r in logos) == sorted(
        a["id"] for a in custom_file if a["logo"].startswith("data:")
    )
    assert len(list(ctx.paths.staging_files_dir.iterdir())) == len(logos)
    assert mini_app.ledger.total_skipped == 0

    records = [r for group in redux.get_category("paintings").values() for r in group]
    placeholders = [r for r in records if not r.get("prompt") and not r.get("files")]
    assert len(table(ctx.db, "SELECT id FROM painting")) == len(records) - len(placeholders) > 0
    assert painting.ledger.skip_reasons() == {"empty_placeholder": len(placeholders)}
    refs = painting.ledger.kinds[FILE_REFS_KIND]
    assert refs.read == refs.written > 0

    history_count = ctx.sources.dexie.count("translate_history")
    assert len(table(ctx.db, "SELECT id FROM translate_history")) == history_count > 0
    assert translate.ledger.total_skipped == 0

    prompts = table(ctx.db, "SELECT id, visibility FROM prompt")
    assert len(prompts) == prompt.ledger.total_read - prompt.ledger.total_skipped > 0
    assert set(prompt.ledger.skip_reasons()) <= {"duplicate_phrase"}
    restricted = [p for p in prompts if p["visibility"] == "restricted"]
    assert len(table(ctx.db, "SELECT prompt_id FROM prompt_binding")) == len(restricted)
    assert runs["prompt"].executed.warnings == []
