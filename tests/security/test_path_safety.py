"""Path safety: legacy records and symlinks that lead out of the legacy folder never make a run read,
copy, change or delete anything out there. Proof: the canaries outside keep their bytes, times and
access times, their bytes appear nowhere beside the target, and the run report accounts for every
record that pointed outside (skipped, or kept as a reference to a missing file)."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.security.path_profile import CANARY, VECTOR_DIMENSIONS, PathProfile, build_path_profile
from tests.support.cli import assert_success, migrate_args, run_cli
from tests.support.target_state import read_report
from tests.support.tree_snapshot import assert_tree_unchanged, snapshot_tree

PATH_SEED = 7_300_001
PATH_MESSAGES = 200
TARGET_NAME = "cherrystudio.sqlite"
_AN_HOUR_NS = 3_600 * 10**9


@pytest.fixture(scope="module")
def path_profile(tmp_path_factory: pytest.TempPathFactory) -> PathProfile:
    return build_path_profile(tmp_path_factory.mktemp("path-safety"), seed=PATH_SEED, messages=PATH_MESSAGES)


def _age_access_times(folder: Path) -> dict[str, int]:
    """Set every access time under ``folder`` well before its modification time, so any read moves
    it (even with ``relatime``); returns them."""
    times = {}
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        os.utime(path, ns=(info.st_mtime_ns - _AN_HOUR_NS, info.st_mtime_ns), follow_symlinks=False)
        times[str(path)] = path.lstat().st_atime_ns
    return times


def _access_times(paths: list[str]) -> dict[str, int]:
    """Access times of ``paths``, read without listing a folder (listing is a read)."""
    return {path: os.lstat(path).st_atime_ns for path in paths}


def _reads_are_visible(scratch: Path) -> bool:
    """Whether this file system records reads in access times (not on ``noatime`` mounts)."""
    probe = scratch / "atime-probe"
    probe.write_bytes(b"probe")
    before = _age_access_times(scratch)[str(probe)]
    probe.read_bytes()
    return probe.stat().st_atime_ns != before


def _skipped_ids(report: dict[str, Any], migrator: str) -> set[str]:
    ledger = next(m for m in report["migrators"] if m["migratorId"] == migrator)["ledger"]
    return {i for kind in ledger.values() for bucket in kind["skipReasons"].values() for i in bucket["ids"]}


def _warnings(report: dict[str, Any], migrator: str) -> str:
    return "\n".join(next(m for m in report["migrators"] if m["migratorId"] == migrator)["warnings"])


@pytest.fixture(scope="module")
def migrated(path_profile: PathProfile, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One completed run over the profile, with what the canaries looked like before and after."""
    target = tmp_path_factory.mktemp("path-safety-target") / TARGET_NAME
    legacy_before, outside_before = snapshot_tree(path_profile.root), snapshot_tree(path_profile.outside)
    atimes_before = _age_access_times(path_profile.outside)
    time.sleep(0.01)
    assert_success(run_cli(*migrate_args(path_profile.root, target)))
    return {
        "target": target,
        "report": read_report(target),
        "legacy_before": legacy_before,
        "outside_before": outside_before,
        "atimes_before": atimes_before,
        "atimes_after": _access_times(list(atimes_before)),
    }


def test_nothing_outside_is_changed_or_removed(path_profile: PathProfile, migrated: dict[str, Any]) -> None:
    assert_tree_unchanged(path_profile.outside, migrated["outside_before"])
    assert_tree_unchanged(path_profile.root, migrated["legacy_before"])


def test_nothing_outside_is_read(migrated: dict[str, Any], tmp_path: Path) -> None:
    if not _reads_are_visible(tmp_path):
        pytest.skip("this file system does not record reads (noatime); the copy checks still apply")
    read = [p for p, t in migrated["atimes_after"].items() if t != migrated["atimes_before"][p]]
    assert not read, f"the run read outside the legacy folder: {read}"


def test_no_canary_byte_reaches_the_target_folder(migrated: dict[str, Any]) -> None:
    target: Path = migrated["target"]
    holding = [p for p in target.parent.rglob("*") if p.is_file() and CANARY in p.read_bytes()]
    assert not holding, f"bytes from outside the legacy folder were copied into {holding}"
    assert not any(p.is_symlink() for p in target.parent.rglob("*")), "a symlink was copied as such"


def test_outside_records_are_reported(path_profile: PathProfile, migrated: dict[str, Any]) -> None:
    """Every files row that pointed outside is skipped, or kept as a reference whose file is missing."""
    report = migrated["report"]
    skipped, warned = _skipped_ids(report, "file"), _warnings(report, "file")
    unaccounted = {
        what: i for what, i in path_profile.file_ids.items() if i not in skipped and i not in warned
    }
    assert not unaccounted, f"records pointing outside are neither skipped nor reported: {unaccounted}"


def test_symlinked_note_entries_are_skipped(migrated: dict[str, Any]) -> None:
    note = next(m for m in migrated["report"]["migrators"] if m["migratorId"] == "note")
    reasons = {r for kind in note["ledger"].values() for r in kind["skipReasons"]}
    assert {"outside_legacy_folder", "outside_notes_folder"} <= reasons


def test_outside_vector_stores_are_not_used(path_profile: PathProfile, migrated: dict[str, Any]) -> None:
    """The canary store's dimensions would show in the target if a symlinked store had been opened."""
    target: Path = migrated["target"]
    with closing(sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT id, dimensions FROM knowledge_base").fetchall()
    assert rows, "no knowledge base was migrated"
    assert all(dimensions != VECTOR_DIMENSIONS for _, dimensions in rows), rows


def test_symlinked_custom_app_list_is_not_used(migrated: dict[str, Any]) -> None:
    target: Path = migrated["target"]
    assert b"canary-app" not in target.read_bytes()
    report = orjson.dumps(migrated["report"]).decode()
    assert "custom-minapps.json" in report, "ignoring the symlinked list must be reported"
