"""Opening a v1 data folder: what each part of ``LegacySources`` holds, skips, warnings, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cherry_migrate.core.errors import SourceDataError, SourceNotFoundError
from cherry_migrate.sources.profile import ProfileDexie, open_profile_folder
from tests.profile.synthetic import (
    bigint_value,
    persist_value,
    rows,
    write_indexeddb,
    write_local_storage,
    write_profile,
)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return write_profile(tmp_path / "userdata")


def test_every_source_is_filled_from_the_folder(profile: Path) -> None:
    sources = open_profile_folder(profile)
    assert sources.root == profile
    assert sources.version_log == profile / "version.log"
    assert sources.redux.categories() == ["settings"]
    assert sources.redux.get("settings", "language") == "en-US"
    assert sources.dexie.tables() == ["files", "message_blocks", "settings", "topics", "translate_languages"]
    assert sources.dexie_settings.get("translate:target:language") == "zh-cn"
    assert sources.dexie_settings.get("pinned:models") == ['{"id":"gpt-4o","provider":"openai"}']
    # other localStorage keys: JSON.parse'd when they parse, lone surrogates replaced, persist value left out
    local_storage = sources.local_storage
    assert {key: local_storage.get(key) for key in local_storage.keys()} == {  # noqa: SIM118
        "onboarding-completed": True,
        "plain": "not json",
        "odd-\ufffd": "x",
    }
    assert sources.electron_store.get("theme") == "dark"
    assert "data folder" in sources.description and str(profile) in sources.description


def test_rows_stream_in_key_order_and_an_undecodable_record_is_skipped_and_reported(profile: Path) -> None:
    sources = open_profile_folder(profile)
    dexie = sources.dexie
    assert [row["id"] for row in dexie.iter_rows("message_blocks")] == ["b-1", "b-3"]
    assert dexie.read_table("message_blocks")[0]["content"] == "lone \ufffd here"
    assert dexie.count("message_blocks") == 3  # live records, the undecodable one included
    skipped = [w for w in sources.warnings if "'b-2'" in w]
    assert len(skipped) == 1, sources.warnings  # reported once, however often the table is read
    assert "message_blocks" in skipped[0] and "cannot be decoded" in skipped[0]
    assert str(profile / "IndexedDB" / "file__0.indexeddb.leveldb") in skipped[0]


def test_a_record_json_stringify_would_refuse_is_skipped_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "bigint"
    write_indexeddb(folder, {"topics": [("t-1", bigint_value("t-1")), *rows({"id": "t-2", "messages": []})]})
    (folder / "Local Storage").mkdir()
    sources = open_profile_folder(folder)
    assert sources.dexie.read_table("topics") == [{"id": "t-2", "messages": []}]
    (skip,) = [w for w in sources.warnings if "skipped" in w]
    assert "'topics'" in skip and "'t-1'" in skip and "BigInt" in skip


def test_batches_samples_and_missing_tables(profile: Path) -> None:
    dexie = open_profile_folder(profile).dexie
    assert [[row["id"] for row in batch] for batch in dexie.iter_batches("message_blocks", 1)] == [
        ["b-1"],
        ["b-3"],
    ]
    assert [row["id"] for row in dexie.sample("message_blocks", 1)] == ["b-1"]
    assert dexie.sample("message_blocks", 0) == []
    assert list(dexie.iter_rows("knowledge_notes")) == []
    assert dexie.count("knowledge_notes") == 0 and dexie.size_bytes("knowledge_notes") == 0
    with pytest.raises(ValueError):
        list(dexie.iter_batches("topics", 0))


def test_sizes_split_the_database_files_by_record_count(profile: Path) -> None:
    dexie = open_profile_folder(profile).dexie
    folder = profile / "IndexedDB" / "file__0.indexeddb.leveldb"
    on_disk = sum(p.stat().st_size for p in folder.iterdir())
    sizes = {t: dexie.size_bytes(t) for t in dexie.tables()}
    records = {t: dexie.count(t) for t in dexie.tables()}
    assert sum(sizes.values()) == pytest.approx(on_disk, abs=len(sizes))
    assert sizes["message_blocks"] == pytest.approx(on_disk * 3 / sum(records.values()), abs=1)
    assert "message_blocks" in dexie.location("message_blocks") and str(folder) in dexie.location("topics")


def test_stores_the_exporter_does_not_export_are_named_when_they_hold_records(profile: Path) -> None:
    sources = open_profile_folder(profile)
    assert not sources.dexie.table_exists("legacy_drafts")
    assert any("'legacy_drafts'" in w and "1 record(s)" in w for w in sources.warnings)


def test_the_reader_is_closed_with_the_sources(profile: Path) -> None:
    dexie = open_profile_folder(profile).dexie
    assert isinstance(dexie, ProfileDexie)
    dexie.close()
    dexie.close()  # idempotent


def test_missing_parts_are_warnings(tmp_path: Path) -> None:
    only_storage = tmp_path / "only-local-storage"
    write_local_storage(only_storage, {"onboarding-completed": "true"})
    sources = open_profile_folder(only_storage)
    assert sources.dexie.tables() == []
    assert sources.redux.categories() == []
    assert any("No IndexedDB" in w for w in sources.warnings)
    assert any("persist:cherry-studio" in w for w in sources.warnings)
    assert sources.version_log is None

    other_db = tmp_path / "other-database"
    write_indexeddb(other_db, {"things": rows({"id": "x"})}, database="Exotic")
    sources = open_profile_folder(other_db)
    assert sources.dexie.tables() == []
    assert any("No 'CherryStudio' IndexedDB database" in w for w in sources.warnings)
    assert any("No localStorage" in w for w in sources.warnings)


def test_the_development_origin_is_read_when_only_it_has_the_state(tmp_path: Path) -> None:
    folder = tmp_path / "dev"
    write_local_storage(
        folder,
        {"persist:cherry-studio": persist_value({"llm": {"providers": []}}), "k": "1"},
        origin="http://localhost:5173",
    )
    sources = open_profile_folder(folder)
    assert sources.redux.get_category("llm") == {"providers": []}
    assert sources.local_storage.get("k") == 1
    assert "localhost:5173" in sources.redux.location("llm")


def test_folders_that_are_not_v1_data_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="does not exist"):
        open_profile_folder(tmp_path / "nowhere")
    export = tmp_path / "export"
    (export / "dexie_export").mkdir(parents=True)
    with pytest.raises(SourceNotFoundError, match="use --source"):
        open_profile_folder(export)
    sqlite_backend = tmp_path / "sqlite"
    (sqlite_backend / "IndexedDB" / "file__0").mkdir(parents=True)
    with pytest.raises(SourceDataError, match="SQLite backend") as raised:
        open_profile_folder(sqlite_backend)
    assert raised.value.path == str(sqlite_backend / "IndexedDB" / "file__0")


def test_a_broken_config_json_names_the_file(profile: Path) -> None:
    (profile / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceDataError) as raised:
        open_profile_folder(profile)
    assert raised.value.path == str(profile / "config.json")


def test_settings_rows_without_a_string_id_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "settings"
    write_indexeddb(folder, {"settings": rows({"id": 1, "value": 1}, {"id": "k", "value": 2})})
    (folder / "Local Storage").mkdir()
    sources = open_profile_folder(folder)
    assert sources.dexie_settings.keys() == ["k"]
    assert any("without a string id" in w for w in sources.warnings)
    assert json.dumps(sources.warnings)  # plain strings, ready for the report
