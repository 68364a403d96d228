"""Shape of the export folder: JSON types, key order, compactness, counts."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import orjson
import pytest

from cherry_migrate.sampledata import LEGACY_USER_DATA, ProfileSummary, generate_export

from .profile_data import DEXIE_TABLES, Profile

REDUX_SLICES = {
    "settings",
    "assistants",
    "llm",
    "knowledge",
    "mcp",
    "minapps",
    "note",
    "paintings",
    "websearch",
    "codeTools",
    "preprocess",
    "ocr",
    "selectionStore",
    "shortcuts",
    "translate",
    "memory",
    "nutstore",
    "openclaw",
}
BLOCK_TYPES = {
    "unknown",
    "main_text",
    "thinking",
    "translation",
    "image",
    "code",
    "tool",
    "file",
    "error",
    "citation",
    "video",
    "compact",
}


def _utf16(key: str) -> bytes:
    """IndexedDB compares string keys by UTF-16 code units."""
    return key.encode("utf-16-be")


def test_dexie_tables_are_compact_arrays_in_ascending_key_order(any_profile: tuple[Profile, ProfileSummary]):
    profile, _ = any_profile
    for table in DEXIE_TABLES:
        raw = (profile.root / "dexie_export" / f"{table}.json").read_bytes()
        rows = orjson.loads(raw)
        assert isinstance(rows, list) and rows, table
        assert orjson.dumps(rows) == raw, f"{table} is not compact JSON"
        keys = [_utf16(row["id"]) for row in rows]
        assert all(a < b for a, b in itertools.pairwise(keys)), f"{table} not in ascending id order"


def test_redux_and_side_files_have_the_right_top_level_type(generated: tuple[Profile, ProfileSummary]):
    profile, summary = generated
    root = profile.root
    assert set(profile.redux) == REDUX_SLICES == set(summary.redux_slices)
    for name, value in profile.redux.items():
        assert isinstance(value, dict), name
        assert orjson.dumps(value) == (root / "redux_export" / f"{name}.json").read_bytes()
    local = json.loads((root / "localstorage_export" / "localStorage.json").read_bytes())
    assert isinstance(local, list) and all(set(item) == {"key", "value"} for item in local)
    config = json.loads((root / "config.json").read_text(encoding="utf-8"))
    assert isinstance(config, dict) and config["ZoomFactor"] == 1.1 and config["clientId"]
    assert (root / "config.json").read_text(encoding="utf-8").startswith('{\n\t"language"')
    assert isinstance(json.loads((root / "Data/Files/custom-minapps.json").read_bytes()), list)


def test_version_log_ends_with_the_last_v1_release(generated: tuple[Profile, ProfileSummary]):
    lines = (generated[0].root / "version.log").read_text().splitlines()
    assert all(len(line.split("|")) == 6 for line in lines)
    assert lines[-1].split("|")[0] == "1.9.12"


def test_numbers_serialise_like_javascript(generated: tuple[Profile, ProfileSummary]):
    """``JSON.stringify(1.0)`` is ``1``: no float in the output may be integral."""

    def check(text: str) -> float:
        assert not float(text).is_integer(), text
        return float(text)

    for path in generated[0].root.rglob("*.json"):
        json.loads(path.read_bytes(), parse_float=check)


def test_summary_counts_match_the_files(generated: tuple[Profile, ProfileSummary]):
    profile, summary = generated
    assert summary.messages == 600 == len(profile.messages)
    assert summary.blocks == len(profile.dexie["message_blocks"])
    assert summary.dexie_rows == {table: len(rows) for table, rows in profile.dexie.items()}
    assert summary.topics == len(profile.dexie["topics"])
    assert summary.redux_topics == len(profile.redux_topics())
    assert summary.assistants == len(profile.redux["assistants"]["assistants"])
    assert summary.providers == len(profile.redux["llm"]["providers"])
    assert summary.models == sum(len(m) for m in profile.provider_models().values())
    assert 10 <= summary.providers <= 65
    assert summary.knowledge_bases == len(profile.redux["knowledge"]["bases"])
    assert summary.mcp_servers == len(profile.redux["mcp"]["servers"])
    assert summary.notes == len(list((profile.root / "Data/Notes").rglob("*.md")))
    assert summary.total_bytes == sum(p.stat().st_size for p in profile.root.rglob("*") if p.is_file())
    assert 2.5 <= summary.blocks / summary.messages <= 3.5


def test_every_block_type_is_present(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    assert {block["type"] for block in profile.dexie["message_blocks"]} == BLOCK_TYPES
    assert set(summary.block_types) == BLOCK_TYPES


def test_message_blocks_reference_existing_files_and_messages(generated: tuple[Profile, ProfileSummary]):
    profile, summary = generated
    file_ids = {row["id"] for row in profile.dexie["files"]}
    message_ids = {m["id"] for _, m in profile.messages}
    orphans = [b["id"] for b in profile.dexie["message_blocks"] if b["messageId"] not in message_ids]
    assert orphans == [summary.tricky["orphan_block"]]
    for block in profile.dexie["message_blocks"]:
        if "file" in block:
            assert block["file"]["id"] in file_ids


def test_physical_files_exist_except_a_few(any_profile: tuple[Profile, ProfileSummary]):
    profile, summary = any_profile
    prefix = f"{LEGACY_USER_DATA}/Data/Files/"
    missing = []
    for row in profile.dexie["files"]:
        assert row["path"] == prefix + row["name"] and row["name"] == row["id"] + row["ext"]
        physical = profile.root / "Data/Files" / row["name"]
        if physical.exists():
            assert physical.stat().st_size == row["size"]
        else:
            missing.append(row["id"])
    assert summary.tricky["missing_physical_file"] in missing
    assert len(missing) <= max(2, len(profile.dexie["files"]) // 20)


def test_notes_slice_points_at_the_notes_tree(generated: tuple[Profile, ProfileSummary]):
    profile, _ = generated
    note = profile.redux["note"]
    assert note["notesPath"] == f"{LEGACY_USER_DATA}/Data/Notes"
    for path in note["starredPaths"] + note["expandedPaths"]:
        assert (profile.root / path.removeprefix(f"{LEGACY_USER_DATA}/")).exists(), path


def test_refuses_too_small_or_non_empty_targets(tmp_path: Path):
    with pytest.raises(ValueError):
        generate_export(tmp_path / "a", seed=1, messages=10)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "stale.json").write_text("[]")
    with pytest.raises(FileExistsError):
        generate_export(tmp_path / "b", seed=1, messages=100)
