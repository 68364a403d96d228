"""The benchmark's baselines measure what they claim: the floor writes exactly the migrated rows,
and the generic tool loads every distinct Dexie row, from arrays and from NDJSON alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from bench.floor import copy_floor
from bench.generic_tool import convert_to_ndjson, load_with_sqlite_utils

from cherry_migrate.core.engine import MigrationEngine
from cherry_migrate.core.types import RunOutcome
from cherry_migrate.db.quoting import quote_identifier
from cherry_migrate.db.tables import MIGRATION_TARGET_TABLES
from cherry_migrate.sampledata import demo_profile_path
from cherry_migrate.sources.export_folder import open_export_folder
from cherry_migrate.sources.json_stream import JsonArrayFile


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("migrated") / "cherrystudio.sqlite"
    result = MigrationEngine().run(open_export_folder(demo_profile_path()), target)
    assert result.outcome is RunOutcome.COMPLETED
    return target


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return sorted(conn.execute(f"SELECT * FROM {quote_identifier(table)}"), key=repr)


def test_floor_holds_the_migrated_rows_and_the_same_search_index(migrated: Path, tmp_path: Path) -> None:
    floor = tmp_path / "floor.sqlite"
    figures = copy_floor(str(migrated), str(floor))
    source, copy = sqlite3.connect(migrated), sqlite3.connect(floor)
    total = 0
    for table in MIGRATION_TARGET_TABLES:
        expected = _rows(source, table)
        assert _rows(copy, table) == expected, table
        assert figures["tables"][table]["rows"] == len(expected)
        total += len(expected)
    assert figures["rows"] == total
    assert _rows(source, "message") != []
    search = "SELECT rowid, searchable_text FROM message_fts ORDER BY rowid"
    assert copy.execute(search).fetchall() == source.execute(search).fetchall()


def test_sqlite_utils_loads_every_distinct_row_both_ways(tmp_path: Path) -> None:
    dexie = demo_profile_path() / "dexie_export"
    distinct = sum(len({row["id"] for row in JsonArrayFile(table)}) for table in sorted(dexie.glob("*.json")))
    from_arrays = load_with_sqlite_utils(str(dexie), str(tmp_path / "arrays.sqlite"), "array")
    ndjson = convert_to_ndjson(dexie, tmp_path / "ndjson")
    from_lines = load_with_sqlite_utils(str(ndjson), str(tmp_path / "lines.sqlite"), "nl")
    assert from_arrays["rows"] == from_lines["rows"] == distinct
    assert from_arrays["tool_peak_rss_mb"] > 0
