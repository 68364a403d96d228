"""MiniAppMigrator on hand-built ``minapps`` slices and ``custom-minapps.json`` side files."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from cherry_migrate.migrators.common.data_url_images import decode_image_data_url
from cherry_migrate.migrators.mini_app.migrator import MiniAppMigrator
from cherry_migrate.migrators.mini_app.sources import CUSTOM_APPS_KIND, list_kind
from tests.conftest import FIXED_NOW_MS
from tests.migrators.harness import counts, run_phases, skips, table

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PNG_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()
ADD_TIME = "2024-05-01T00:00:00.000Z"
ADD_TIME_MS = 1714521600000
LEGACY_BAD_ID = "legacy-" + hashlib.sha256(b"bad id!").hexdigest()


def write_custom_apps(root: Path, content: Any) -> Path:
    files = root / "Data" / "Files"
    files.mkdir(parents=True, exist_ok=True)
    path = files / "custom-minapps.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return root


def app_rows(ctx: Any) -> list[dict[str, Any]]:
    return table(ctx.db, "SELECT * FROM mini_app ORDER BY status = 'disabled', order_key")


MINAPPS = {
    "pinned": [{"id": "openai", "name": "ChatGPT", "url": "https://chatgpt.com/", "bodered": False}],
    "enabled": [
        {"id": "openai", "name": "ChatGPT", "url": "https://chatgpt.com/", "bodered": False},
        {
            "id": "gemini",
            "name": "Gemini",
            "url": "https://gemini.google.com/",
            "supportedRegions": ["Global", "Mars"],
        },
        {"id": "my-tool", "name": "My Tool", "url": "https://tool.example", "type": "Custom"},
        {"id": "bad id!", "name": "Bad", "url": "https://bad.example", "type": "Custom"},
        {"id": "stale", "name": "Stale", "url": "https://stale.example", "type": "Custom"},
        {"name": "No id", "url": "https://noid.example"},
        {"id": "noname", "url": "https://noname.example"},
        "junk",
        {"id": "bad.preset", "name": "Preset", "url": "https://preset.example"},
    ],
    "disabled": [
        {"id": "gemini", "name": "Gemini", "url": "https://gemini.google.com/"},
        {
            "id": "claude",
            "name": "Claude",
            "url": "https://claude.ai/",
            "addTime": ADD_TIME,
            "background": "#fff",
        },
    ],
}
CUSTOM_APPS = [
    {"id": "my-tool", "name": "My Tool", "url": "https://tool.example", "logo": PNG_URL, "addTime": ADD_TIME},
    {"id": "bad id!", "name": "Bad", "url": "https://bad.example", "logo": "https://bad.example/logo.png"},
    {
        "id": "only-file",
        "name": "Only File",
        "url": "https://only.example",
        "logo": "data:image/png;base64,!!!",
    },
    {"id": "my-tool", "name": "Shadow", "url": "https://shadow.example"},
]


def test_lists_and_side_file(make_context: Any, tmp_path: Path) -> None:
    root = write_custom_apps(tmp_path / "profile", CUSTOM_APPS)
    ctx = make_context(redux={"minapps": MINAPPS}, legacy_root=root)
    migrator = MiniAppMigrator()
    result = run_phases(migrator, ctx)

    rows = app_rows(ctx)
    logo_entry = table(ctx.db, "SELECT * FROM file_entry")
    assert len(logo_entry) == 1
    entry = logo_entry[0]
    assert {k: v for k, v in entry.items() if k != "id"} == {
        "origin": "internal",
        "name": "logo",
        "ext": "png",
        "size": len(PNG),
        "content_hash": None,
        "external_path": None,
        "cleanup_policy": "delete_when_unreferenced",
        "created_at": FIXED_NOW_MS,
        "updated_at": FIXED_NOW_MS,
        "deleted_at": None,
    }
    assert (ctx.paths.staging_files_dir / f"{entry['id']}.png").read_bytes() == PNG
    refs = table(ctx.db, "SELECT file_entry_id, source_id FROM mini_app_logo_file_ref")
    assert refs == [{"file_entry_id": entry["id"], "source_id": "my-tool"}]

    def brief(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row["app_id"], row["preset_mini_app_id"], row["status"], row["order_key"], row["logo_key"])

    assert [brief(r) for r in rows] == [
        ("openai", "openai", "pinned", "a0", None),
        ("gemini", "gemini", "enabled", "a1", None),
        ("my-tool", None, "enabled", "a2", None),
        (LEGACY_BAD_ID, None, "enabled", "a3", "https://bad.example/logo.png"),
        ("only-file", None, "enabled", "a4", None),
        ("claude", "claude", "disabled", "a0", None),
    ]
    by_id = {r["app_id"]: r for r in rows}
    assert by_id["openai"]["bordered"] == 0
    assert by_id["gemini"]["bordered"] == 1
    assert by_id["gemini"]["supported_regions"] == '["Global"]'
    assert by_id["claude"]["background"] == "#fff"
    assert by_id["claude"]["created_at"] == by_id["claude"]["updated_at"] == ADD_TIME_MS
    assert by_id["my-tool"]["created_at"] == ADD_TIME_MS
    assert by_id["openai"]["created_at"] == FIXED_NOW_MS
    assert {r["kind"] for r in rows} == {"site"}
    assert {r["configuration"] for r in rows} == {None}
    assert by_id[LEGACY_BAD_ID]["name"] == "Bad"

    assert counts(migrator, list_kind("pinned")) == (1, 1, 0)
    assert counts(migrator, list_kind("enabled")) == (9, 4, 5)
    assert skips(migrator, list_kind("enabled")) == {
        "custom_app_deleted": ["stale"],
        "missing_id": ["enabled[5]", "enabled[7]"],
        "missing_name_or_url": ["noname"],
        "invalid_id": ["bad.preset"],
    }
    assert counts(migrator, list_kind("disabled")) == (2, 2, 0)
    assert counts(migrator, CUSTOM_APPS_KIND) == (4, 3, 1)
    assert skips(migrator, CUSTOM_APPS_KIND) == {"duplicate_id": ["my-tool"]}
    assert result.executed.warnings == [
        f"Custom mini-app id 'bad id!' was renamed to '{LEGACY_BAD_ID}'",
        "The logo of mini-app 'only-file' is not a readable image and was dropped.",
    ]
    stats = result.validated.stats
    assert (stats.source_count, stats.target_count, stats.skipped_count) == (12, 6, 6)
    assert result.prepared.item_count == 12


def test_without_side_file_redux_custom_apps_are_kept(make_context: Any) -> None:
    state = {"enabled": [{"id": "stale", "name": "Kept", "url": "https://kept.example", "type": "Custom"}]}
    ctx = make_context(redux={"minapps": state})
    migrator = MiniAppMigrator()
    run_phases(migrator, ctx)
    assert [(r["app_id"], r["preset_mini_app_id"], r["status"]) for r in app_rows(ctx)] == [
        ("stale", None, "enabled")
    ]


def test_incomplete_side_file_is_not_authoritative(make_context: Any, tmp_path: Path) -> None:
    root = write_custom_apps(
        tmp_path / "profile", [{"name": "no id"}, {"id": "a", "name": "A", "url": "https://a"}]
    )
    state = {"enabled": [{"id": "kept", "name": "Kept", "url": "https://kept.example", "type": "Custom"}]}
    ctx = make_context(redux={"minapps": state}, legacy_root=root)
    migrator = MiniAppMigrator()
    run_phases(migrator, ctx)
    assert [r["app_id"] for r in app_rows(ctx)] == ["kept", "a"]
    assert skips(migrator, CUSTOM_APPS_KIND) == {"missing_id": ["#0"]}


def test_unreadable_side_file_is_a_warning(make_context: Any, tmp_path: Path) -> None:
    root = write_custom_apps(tmp_path / "profile", "[{broken")
    state = {"enabled": [{"id": "kept", "name": "Kept", "url": "https://kept.example", "type": "Custom"}]}
    ctx = make_context(redux={"minapps": state}, legacy_root=root)
    migrator = MiniAppMigrator()
    result = run_phases(migrator, ctx)
    assert [r["app_id"] for r in app_rows(ctx)] == ["kept"]
    assert len(result.executed.warnings) == 1
    assert result.executed.warnings[0].startswith("custom-minapps.json was ignored: is not valid JSON")
    assert (root / "Data" / "Files" / "custom-minapps.json").read_text() == "[{broken"


def test_missing_and_malformed_slices(make_context: Any) -> None:
    ctx = make_context()
    run_phases(MiniAppMigrator(), ctx)
    assert app_rows(ctx) == []

    ctx = make_context(redux={"minapps": {"enabled": {"id": "x"}, "pinned": None}})
    migrator = MiniAppMigrator()
    run_phases(migrator, ctx)
    assert app_rows(ctx) == []
    assert skips(migrator, list_kind("enabled")) == {"not_a_list": ["enabled"]}


def test_decode_image_data_url() -> None:
    svg = decode_image_data_url("data:image/svg+xml;utf8,%3Csvg%2F%3E")
    assert svg is not None and (svg.ext, svg.data) == ("svg", b"<svg/>")
    png = decode_image_data_url("data:IMAGE/PNG;charset=x;base64," + base64.b64encode(PNG).decode())
    assert png is not None and (png.mime, png.ext, png.data) == ("image/png", "png", PNG)
    assert decode_image_data_url("data:text/html;base64,PGI+") is None
    assert decode_image_data_url("data:image/png;base64,!!!") is None
    assert decode_image_data_url("data:image/png;base64,") is None
    assert decode_image_data_url("https://example.com/logo.png") is None
