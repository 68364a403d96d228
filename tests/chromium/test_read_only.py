"""Reading the sample profiles changes nothing in them: no byte, no file, no LOCK."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from cherry_migrate.sources.chromium import (
    IndexedDBReader,
    JsonConversionError,
    LocalStorageReader,
    read_persist_value,
    to_json_compatible,
)


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every file and folder below ``root`` with content hash, mode and modification time."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[str(path.relative_to(root))] = (digest, info.st_mode, info.st_mtime_ns)
    return state


def test_reading_every_sample_leaves_the_fixture_folder_unchanged(fixtures: Path) -> None:
    before = snapshot(fixtures)
    for name in ("large-values", "exotic-types"):
        profile = fixtures / name
        with IndexedDBReader.for_origin(profile) as reader:
            for db in reader.databases():
                for store in db.object_stores:
                    for _, value in reader.iter_records(db.name, store.name):
                        with contextlib.suppress(JsonConversionError):  # BigInt, cycles (exotic sample)
                            to_json_compatible(value)
                        for blob in value.values() if isinstance(value, dict) else ():
                            if hasattr(blob, "read_bytes"):
                                blob.read_bytes()
        with LocalStorageReader(profile / "Local Storage" / "leveldb") as local:
            for origin in local.origins():
                list(local.items(origin))
        read_persist_value(profile)
    assert snapshot(fixtures) == before
    assert not list(fixtures.rglob("LOCK"))
