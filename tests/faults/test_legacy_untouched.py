"""The legacy data is only ever read: every command, completed or failed, leaves each file's bytes
and modification time, and each folder's entries, exactly as they were."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cherry_migrate.sampledata import demo_profile_path, generate_export
from tests.support.cli import assert_clean_failure, assert_success, run_cli
from tests.support.tree_snapshot import assert_tree_unchanged, snapshot_tree

RAW_PERSIST_SEED = 7_100_003


@pytest.fixture(scope="module")
def raw_persist_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("raw-persist") / "export"
    generate_export(root, seed=RAW_PERSIST_SEED, messages=600, raw_persist=True)
    assert (root / "persist-cherry-studio.json").is_file()
    return root


def _every_command(source: list[str], target: Path) -> None:
    """Inspect, dry run, migrate twice (into a new and an existing target), status, and a failed run
    into a folder that does not exist."""
    assert_success(run_cli("inspect", *source, "--json"))
    assert_success(run_cli("migrate", *source, "--target", target, "--dry-run"))
    assert_success(run_cli("-v", "migrate", *source, "--target", target))
    assert_success(run_cli("migrate", *source, "--target", target, "--json"))
    assert_success(run_cli("status", "--target", target))
    missing = target.parent / "missing" / target.name
    assert_clean_failure(run_cli("migrate", *source, "--target", missing), str(missing.parent))


def test_demo_profile_is_never_modified(tmp_path: Path) -> None:
    demo = demo_profile_path()
    before = snapshot_tree(demo)
    _every_command(["--demo"], tmp_path / "demo.sqlite")
    assert_tree_unchanged(demo, before)


def test_raw_persist_profile_is_never_modified(raw_persist_profile: Path, tmp_path: Path) -> None:
    before = snapshot_tree(raw_persist_profile)
    _every_command(["--source", str(raw_persist_profile)], tmp_path / "raw.sqlite")
    assert_tree_unchanged(raw_persist_profile, before)


def test_snapshot_notices_a_touched_file(raw_persist_profile: Path, tmp_path: Path) -> None:
    """The fingerprint is sensitive enough: a rewrite with the same bytes still shows (mtime)."""
    copy = tmp_path / "copy"
    copy.mkdir()
    original = raw_persist_profile / "persist-cherry-studio.json"
    (copy / original.name).write_bytes(original.read_bytes())
    an_hour_ago = time.time_ns() - 3_600 * 10**9
    os.utime(copy / original.name, ns=(an_hour_ago, an_hour_ago))
    before = snapshot_tree(copy)
    (copy / original.name).write_bytes(original.read_bytes())
    with pytest.raises(AssertionError, match=r"persist-cherry-studio\.json"):
        assert_tree_unchanged(copy, before)
