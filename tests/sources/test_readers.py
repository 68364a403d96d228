from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from cherry_migrate.core.errors import SourceDataError, SourceNotFoundError
from cherry_migrate.sources.dexie_export import DexieExportDir
from cherry_migrate.sources.export_folder import RAW_PERSIST_FILE, open_export_folder
from cherry_migrate.sources.json_stream import READ_CHUNK, JsonArrayFile
from cherry_migrate.sources.redux import ReduxExportDir, ReduxPersistValue


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def export_folder(tmp_path: Path) -> Path:
    root = tmp_path / "export"
    write(root / "redux_export" / "settings.json", '{"theme":{"mode":"dark"},"language":"zh-CN"}')
    write(root / "redux_export" / "llm.json", '{"providers":[{"id":"openai"}]}')
    write(
        root / "dexie_export" / "topics.json",
        orjson.dumps([{"id": f"t{i}", "messages": []} for i in range(7)]),
    )
    write(root / "dexie_export" / "settings.json", '[{"id":"translate:scroll:sync","value":true},{"x":1}]')
    write(root / "localstorage_export" / "localStorage.json", '[{"key":"onboarding-completed","value":true}]')
    write(root / "config.json", '{"ZoomFactor":1.2,"clientId":"abc"}')
    return root


def test_export_folder_exposes_every_source(tmp_path: Path) -> None:
    sources = open_export_folder(export_folder(tmp_path))
    assert sources.redux.get("settings", "theme.mode") == "dark"
    assert sources.redux.get("settings", "theme.mode.deeper") is None
    assert sources.redux.get("llm", "providers.0.id") == "openai"
    assert sources.redux.get_category("missing") is None
    assert sources.redux.categories() == ["llm", "settings"]
    assert sources.dexie.count("topics") == 7
    assert [len(b) for b in sources.dexie.iter_batches("topics", 3)] == [3, 3, 1]
    assert [r["id"] for r in sources.dexie.sample("topics", 2)] == ["t0", "t1"]
    assert sources.dexie.sample("topics", 0) == []
    assert list(sources.dexie.iter_rows("no_such_table")) == []
    assert sources.dexie_settings.get("translate:scroll:sync") is True
    assert any("without a string id" in w for w in sources.warnings)
    assert sources.local_storage.get("onboarding-completed") is True
    assert sources.electron_store.get("ZoomFactor") == 1.2
    assert sources.root == tmp_path / "export"


def test_raw_persist_value_is_an_equivalent_redux_source(tmp_path: Path) -> None:
    root = export_folder(tmp_path)
    slices = {name: (root / "redux_export" / f"{name}.json").read_text() for name in ("settings", "llm")}
    slices["_persist"] = '{"version":180,"rehydrated":true}'
    for f in (root / "redux_export").iterdir():
        f.unlink()
    (root / "redux_export").rmdir()
    write(root / RAW_PERSIST_FILE, json.dumps(slices))
    sources = open_export_folder(root)
    assert isinstance(sources.redux, ReduxPersistValue)
    assert sources.redux.persist_version == 180
    assert sources.redux.categories() == ["llm", "settings"]
    assert sources.redux.get("settings", "theme.mode") == "dark"


def test_missing_folder_and_empty_folder_are_explained(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="does not exist"):
        open_export_folder(tmp_path / "nope")
    with pytest.raises(SourceNotFoundError, match="holds no legacy export"):
        open_export_folder(tmp_path)


def test_large_table_streams_across_chunk_boundaries(tmp_path: Path) -> None:
    rows = [{"id": f"{i:06d}", "text": "é" * (i % 50) + "x\\y" * (i % 7)} for i in range(30_000)]
    path = write(tmp_path / "t.json", orjson.dumps(rows))
    assert path.stat().st_size > 2 * READ_CHUNK
    assert list(JsonArrayFile(path)) == rows


@pytest.mark.parametrize(
    ("content", "message", "record"),
    [
        (b'[{"id":"a"},{"id":"b"', "invalid JSON after 1 complete record(s)", "#1"),
        (b'[{"id":"a"},{"id":"b"}] trailing', "invalid JSON after 2 complete record(s)", "#2"),
        (b'{"id":"a"}', "expected a JSON array at the top level", None),
        (b"", "the file is empty", None),
        (b'[{"id":"a"},{"id":"\xff\xfe"}]', "invalid JSON after 1 complete record(s)", "#1"),
        (b'[{"id":NaN}]', "invalid JSON after 0 complete record(s)", "#0"),
    ],
)
def test_malformed_table_names_file_and_record(
    tmp_path: Path, content: bytes, message: str, record: str | None
):
    path = write(tmp_path / "dexie_export" / "topics.json", content)
    with pytest.raises(SourceDataError) as info:
        list(DexieExportDir(tmp_path / "dexie_export").iter_rows("topics"))
    assert message in str(info.value)
    assert str(path) in str(info.value)
    if record:
        assert info.value.record is not None and info.value.record.startswith(record)


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    content = b'[{"a":"x\\ud800y","pair":"\\ud83d\\ude00","esc":"\\\\ud800","low":"\\udc00"}]'
    table = DexieExportDir(write(tmp_path / "d" / "t.json", content).parent)
    (row,) = table.read_table("t")
    assert row == {"a": "x\ufffdy", "pair": "😀", "esc": "\\ud800", "low": "\ufffd"}
    assert table.surrogates_replaced == 2


def test_lone_surrogate_escape_split_across_chunks(tmp_path: Path) -> None:
    padding = "a" * (READ_CHUNK - 9)
    content = f'[{{"p":"{padding}","s":"\\ud83d\\ude00 and \\ud800"}}]'.encode()
    (row,) = JsonArrayFile(write(tmp_path / "t.json", content))
    assert row["s"] == "😀 and \ufffd"


def test_redux_slice_errors_name_the_file(tmp_path: Path) -> None:
    write(tmp_path / "redux" / "settings.json", "not-json")
    write(tmp_path / "redux" / "llm.json", b'{"a":"\xff"}')
    write(tmp_path / "redux" / "ok.json", '{"s":"\\udc01"}')
    redux = ReduxExportDir(tmp_path / "redux")
    with pytest.raises(SourceDataError, match=r"settings\.json: is not valid JSON"):
        redux.get_category("settings")
    with pytest.raises(SourceDataError, match=r"llm\.json: is not valid UTF-8"):
        redux.get_category("llm")
    assert redux.get("ok", "s") == "\ufffd"


def test_persist_value_with_a_non_string_slice(tmp_path: Path) -> None:
    redux = ReduxPersistValue('{"settings":{"theme":"dark"},"llm":"{bad"}', location="persist")
    with pytest.raises(SourceDataError, match="expected a JSON string") as info:
        redux.get_category("settings")
    assert info.value.record == "settings"
    with pytest.raises(SourceDataError, match="is not valid JSON") as info:
        redux.get_category("llm")
    assert info.value.record == "llm"
    with pytest.raises(SourceDataError, match="expected a JSON object of slices"):
        ReduxPersistValue("[1,2]", location="persist")


def test_wrong_top_level_types_in_side_files(tmp_path: Path) -> None:
    root = export_folder(tmp_path)
    write(root / "config.json", "[1]")
    with pytest.raises(SourceDataError, match=r"config\.json: expected a JSON object"):
        open_export_folder(root)
    write(root / "config.json", "{}")
    write(root / "localstorage_export" / "localStorage.json", '[{"key":1}]')
    with pytest.raises(SourceDataError, match="record #0"):
        open_export_folder(root)


def test_replaced_surrogates_are_reported(tmp_path: Path) -> None:
    root = export_folder(tmp_path)
    write(root / "dexie_export" / "topics.json", b'[{"id":"t\\ud800","messages":[]}]')
    sources = open_export_folder(root)
    assert sources.report_warnings() == sources.warnings
    assert [row["id"] for row in sources.dexie.iter_rows("topics")] == ["t\ufffd"]
    assert sources.report_warnings()[-1].startswith("1 lone UTF-16 surrogate(s)")
