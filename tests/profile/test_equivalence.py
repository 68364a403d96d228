"""Migrating a v1 data folder directly gives the same database as migrating its export folder.

Cases: the shared Chromium-written sample ``large-values`` (with its ``export/``), and every profile
committed under ``tests/fixtures/chromium_profiles/<name>/{profile,export}``.

A sample's ``export/`` holds the values as the page stored them (``2**53 + 1``, ``-0``) in the order
they were written, while Cherry Studio's exporter writes ``JSON.stringify`` output, in which every
number has been a double (``2**53``, ``0``), in ascending primary-key order. The tests therefore
migrate a copy of the export whose Dexie tables went through those rules: what v1 would really have
exported (the order matters for the ids a run report samples for each skip reason).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cherry_migrate.core.engine import MigrationEngine
from cherry_migrate.sources.base import LegacySources
from cherry_migrate.sources.chromium import to_json_compatible
from cherry_migrate.sources.chromium.js_types import js_number
from cherry_migrate.sources.export_folder import open_export_folder
from cherry_migrate.sources.profile import open_profile_folder
from tests.profile.compare import MigratedDatabase, assert_same_migration, ledgers, read_tables
from tests.profile.conftest import profile_cases


@pytest.fixture(params=[pytest.param(case[1:], id=case[0]) for case in profile_cases()])
def case(request: pytest.FixtureRequest, userdata_view) -> tuple[Path, Path]:
    """(a v1 data folder made of the profile and the files beside the export, the export)."""
    profile, export = request.param
    if not profile.is_dir() or not export.is_dir():
        pytest.skip(f"sample profile {profile} (and its export) not found")
    return userdata_view(profile, export), export


def js_parse(path: Path) -> object:
    """``JSON.parse``: every number is a double."""

    def number(text: str) -> int | float:
        return js_number(float(text))

    return json.loads(path.read_text(encoding="utf-8"), parse_int=number, parse_float=number)


def as_v1_exported(export: Path, tmp_path: Path) -> Path:
    """A copy of ``export`` whose Dexie tables are what v1's exporter writes (see the module docstring)."""
    copy = tmp_path / "export"
    shutil.copytree(export, copy)
    for table in sorted((copy / "dexie_export").glob("*.json")):
        table.chmod(0o644)
        rows = to_json_compatible(js_parse(table))
        assert isinstance(rows, list)
        table.write_text(json.dumps(sorted(rows, key=primary_key_order)), encoding="utf-8")
    return copy


def primary_key_order(row: dict[str, object]) -> tuple[int, object]:
    """IndexedDB's order of ``id`` keys: numbers (by value) before strings (by UTF-16 code units)."""
    key = row["id"]
    if isinstance(key, str):
        return 1, key.encode("utf-16-be", "surrogatepass")
    assert isinstance(key, int | float)
    return 0, key


def migrate(sources: LegacySources, target: Path) -> MigratedDatabase:
    result = MigrationEngine().run(sources, target)
    assert result.success, result.error
    return MigratedDatabase.from_report(target)


def canonical(rows: list[object]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def test_direct_read_yields_the_exported_rows(case: tuple[Path, Path], tmp_path: Path) -> None:
    profile, export = case
    direct, exported = open_profile_folder(profile), open_export_folder(as_v1_exported(export, tmp_path))
    for table in exported.dexie.tables():
        assert direct.dexie.table_exists(table), table
        assert canonical(list(direct.dexie.iter_rows(table))) == canonical(
            list(exported.dexie.iter_rows(table))
        )
        assert direct.dexie.count(table) == exported.dexie.count(table)
    for table in set(direct.dexie.tables()) - set(exported.dexie.tables()):
        assert direct.dexie.count(table) == 0, f"{table} has rows the export does not have"
    for category in exported.redux.categories():
        assert direct.redux.get_category(category) == exported.redux.get_category(category)
    assert direct.warnings == []


def test_direct_migration_equals_export_migration(case: tuple[Path, Path], tmp_path: Path) -> None:
    profile, export = case
    from_export = migrate(
        open_export_folder(as_v1_exported(export, tmp_path)), tmp_path / "from-export.sqlite"
    )
    from_profile = migrate(open_profile_folder(profile), tmp_path / "from-profile.sqlite")
    assert_same_migration(from_export, from_profile)
    assert ledgers(from_profile.path) == ledgers(from_export.path)
    assert read_tables(from_profile.path)["preference"].rows  # the comparison saw real rows
