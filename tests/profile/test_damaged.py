"""Damaged input: a clear error naming the file, or a reported skip while the rest still migrates.

Each test damages a writable copy of the Chromium-written ``large-values`` sample (or a small
synthetic folder) and opens or migrates it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cherry_migrate.core.engine import MigrationEngine
from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.sources.profile import open_profile_folder
from tests.chromium.idb_writer import data_key, metadata, v8_value
from tests.chromium.leveldb_writer import TableSpec, write_batch, write_leveldb
from tests.profile.synthetic import UNDECODABLE, file_row, write_indexeddb
from tests.profile.synthetic import rows as synthetic_rows

BLOCK_IDS = [
    "big-random",
    "big-repeat",
    "big-semi",
    "big-semi-small",
    "comp-70k",
    "mid-70k",
    "nest-1",
    "num-1",
    "small-60k",
    "uni-1",
]
LOG = Path("IndexedDB") / "file__0.indexeddb.leveldb" / "000003.log"
BLOB_OF_BIG_SEMI = Path("IndexedDB") / "file__0.indexeddb.blob" / "1" / "00" / "3"


@pytest.fixture
def damaged(large_values: Path, writable_copy) -> Path:
    return writable_copy(large_values)


def migrate_report(folder: Path, target: Path) -> dict:
    result = MigrationEngine().run(open_profile_folder(folder), target)
    assert result.success, result.error
    return json.loads(target.with_name(target.name + ".report.json").read_text(encoding="utf-8"))


def test_a_truncated_log_keeps_what_was_complete_and_reports_the_cut(damaged: Path, tmp_path: Path) -> None:
    log = damaged / LOG
    log.write_bytes(log.read_bytes()[:-1000])
    sources = open_profile_folder(damaged)
    assert [row["id"] for row in sources.dexie.iter_rows("message_blocks")] == BLOCK_IDS
    assert any(str(log) in w and "log ends inside a record" in w for w in sources.warnings), sources.warnings
    report = migrate_report(damaged, tmp_path / "t.sqlite")
    assert any(str(log) in w for w in report["source"]["warnings"])


def test_a_flipped_byte_in_a_logged_value_is_reported_with_file_and_offset(
    damaged: Path, tmp_path: Path
) -> None:
    log = damaged / LOG
    data = bytearray(log.read_bytes())
    data[data.index("comp-70k".encode("utf-16-be")) + 300] ^= 0xFF
    log.write_bytes(bytes(data))
    sources = open_profile_folder(damaged)
    list(sources.dexie.iter_rows("message_blocks"))
    assert any(f"{log}@" in w and "checksum mismatch" in w for w in sources.warnings), sources.warnings
    report = migrate_report(damaged, tmp_path / "t.sqlite")
    assert any("checksum mismatch" in w for w in report["source"]["warnings"])


@pytest.mark.parametrize("damage", ["truncate", "flip-envelope-byte"])
def test_a_damaged_blob_file_skips_that_record_only(damaged: Path, damage: str) -> None:
    blob = damaged / BLOB_OF_BIG_SEMI
    data = bytearray(blob.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[1] ^= 0xFF  # the envelope's version byte
    blob.write_bytes(bytes(data))
    sources = open_profile_folder(damaged)
    assert [row["id"] for row in sources.dexie.iter_rows("message_blocks")] == [
        i for i in BLOCK_IDS if i != "big-semi"
    ]
    (skip,) = [w for w in sources.warnings if "skipped" in w]
    assert "'message_blocks'" in skip and "'big-semi'" in skip
    assert str(blob if damage == "truncate" else damaged / LOG.parent) in skip


def test_an_undecodable_record_is_in_the_run_report_and_the_others_are_migrated(tmp_path: Path) -> None:
    folder = tmp_path / "userdata"
    write_indexeddb(
        folder,
        {
            "files": [
                *synthetic_rows(file_row("f-1")),
                ("f-2", UNDECODABLE),
                *synthetic_rows(file_row("f-3")),
            ]
        },
    )
    (folder / "Local Storage").mkdir()
    target = tmp_path / "t.sqlite"
    report = migrate_report(folder, target)
    (skip,) = [w for w in report["source"]["warnings"] if "'f-2'" in w]
    assert "'files'" in skip and "cannot be decoded" in skip
    with sqlite3.connect(target) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT id FROM file_entry")) == ["f-1", "f-3"]


def test_a_broken_table_file_fails_the_run_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "userdata"
    stores = {1: ("files", "id", False)}
    rows = [
        (data_key(1, 1, f"f-{i}"), 10 + i, v8_value({"id": f"f-{i}", "name": f"{i}.txt"})) for i in range(3)
    ]
    write_leveldb(
        folder / "IndexedDB" / "file__0.indexeddb.leveldb",
        comparator="idb_cmp1",
        logs={3: [write_batch(1, metadata(1, "CherryStudio", stores))]},
        tables={5: TableSpec(rows)},
    )
    (folder / "Local Storage").mkdir()
    table = folder / "IndexedDB" / "file__0.indexeddb.leveldb" / "000005.ldb"
    assert [row["id"] for row in open_profile_folder(folder).dexie.iter_rows("files")] == [
        "f-0",
        "f-1",
        "f-2",
    ]
    table.write_bytes(table.read_bytes()[:-20])  # cut into the footer
    with pytest.raises(SourceDataError) as raised:
        open_profile_folder(folder).dexie.count("files")
    assert raised.value.path == str(table)
    target = tmp_path / "t.sqlite"
    result = MigrationEngine().run(open_profile_folder(folder), target)
    assert not result.success and str(table) in (result.error or "")
    assert not target.exists()
