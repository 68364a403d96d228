"""PreferencesMigrator on realistic export folders: a generated profile and the bundled demo profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cherry_migrate.migrators.mappings.preference_tables import preference_specs
from cherry_migrate.migrators.preferences.migrator import PreferencesMigrator
from cherry_migrate.sampledata import MIN_MESSAGES, demo_profile_path, generate_export
from cherry_migrate.sources.export_folder import open_export_folder


def _migrate(make_context, folder: Path):
    ctx = make_context(sources=open_export_folder(folder), legacy_root=folder)
    migrator = PreferencesMigrator()
    migrator.reset()
    prepared = migrator.prepare(ctx)
    executed = migrator.execute(ctx)
    validated = migrator.validate(ctx)
    assert prepared.success and executed.success and validated.success, (prepared, executed, validated.errors)
    rows = ctx.db.execute("SELECT key, value FROM preference WHERE scope = 'default'").fetchall()
    return ctx, migrator, {key: None if value is None else json.loads(value) for key, value in rows}


def _check_profile(ctx, migrator, values) -> None:
    assert set(values) == set(preference_specs())
    assert migrator.ledger.unbalanced() == {}
    settings = ctx.sources.redux.get_category("settings")
    assert values["app.language"] == settings["language"]
    assert values["ui.theme_mode"] == settings["theme"]
    assert values["app.zoom_factor"] == ctx.sources.electron_store.get("ZoomFactor", 1)
    avatar = ctx.sources.dexie_settings.get("image://avatar")
    if isinstance(avatar, str) and avatar.startswith("data:"):
        file_id = values["app.user.avatar"].removeprefix("file:")
        assert ctx.db.execute("SELECT count(*) FROM file_entry WHERE id = ?", (file_id,)).fetchone() == (1,)
        assert any(path.name.startswith(file_id) for path in ctx.paths.staging_files_dir.iterdir())


def test_generated_profile(make_context, tmp_path):
    folder = tmp_path / "export"
    generate_export(folder, seed=7, messages=MIN_MESSAGES)

    ctx, migrator, values = _migrate(make_context, folder)

    _check_profile(ctx, migrator, values)
    assert migrator.ledger.to_dict()["preferences:simple"]["read"] == 180


def test_demo_profile(make_context):
    try:
        folder = demo_profile_path()
    except FileNotFoundError:
        pytest.skip("the bundled demo profile has not been generated yet")

    ctx, migrator, values = _migrate(make_context, folder)

    _check_profile(ctx, migrator, values)
