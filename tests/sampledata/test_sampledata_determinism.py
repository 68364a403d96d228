"""Determinism, the raw persist form, and flat memory at scale."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

from cherry_migrate.sampledata import ProfileSummary, generate_export
from cherry_migrate.sampledata.generator import PERSIST_FILE, PERSIST_VERSION

from .profile_data import all_files


def test_same_seed_gives_byte_identical_output(tmp_path: Path):
    first = generate_export(tmp_path / "a", seed=5, messages=400)
    second = generate_export(tmp_path / "b", seed=5, messages=400)
    assert first == second
    assert all_files(tmp_path / "a") == all_files(tmp_path / "b")
    other = generate_export(tmp_path / "c", seed=6, messages=400)
    assert all_files(tmp_path / "c") != all_files(tmp_path / "a")
    assert other.messages == first.messages


def test_raw_persist_decodes_to_the_same_slices(tmp_path: Path):
    generate_export(tmp_path / "export", seed=9, messages=200)
    generate_export(tmp_path / "raw", seed=9, messages=200, raw_persist=True)
    exported, raw = all_files(tmp_path / "export"), all_files(tmp_path / "raw")
    assert not any(name.startswith("redux_export/") for name in raw)
    persisted = json.loads(raw.pop(PERSIST_FILE))
    assert all(isinstance(value, str) for value in persisted.values())
    assert json.loads(persisted.pop("_persist")) == {"version": PERSIST_VERSION, "rehydrated": True}
    slices = {
        name.removeprefix("redux_export/").removesuffix(".json"): exported.pop(name)
        for name in list(exported)
        if name.startswith("redux_export/")
    }
    assert {name: text.encode() for name, text in persisted.items()} == slices
    assert raw == exported


def _traced_run(root: Path, messages: int) -> tuple[ProfileSummary, int, float]:
    tracemalloc.start()
    try:
        started = time.process_time()  # CPU time: robust against a busy machine
        summary = generate_export(root, seed=3, messages=messages)
        elapsed = time.process_time() - started
        return summary, tracemalloc.get_traced_memory()[1], elapsed
    finally:
        tracemalloc.stop()


def test_peak_memory_does_not_grow_with_the_message_count(tmp_path: Path):
    small, small_peak, _ = _traced_run(tmp_path / "small", 2_000)
    large, large_peak, elapsed = _traced_run(tmp_path / "large", 20_000)
    assert large.messages == 20_000 and large.blocks > 50_000
    assert large.total_bytes > 9 * small.total_bytes
    # Holding the rows would cost tens of MB here; the per-topic plan and Redux slices cost a little.
    assert large_peak - small_peak < 1 << 20, (small_peak, large_peak)
    assert elapsed < 8, elapsed
