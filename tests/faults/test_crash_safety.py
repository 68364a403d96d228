"""Crash safety: a migration killed with SIGKILL at any moment leaves the target either exactly as it
was or completely migrated, and the next run cleans up after it and succeeds.

A first, timed run measures when the run starts staging and when it ends; the kill moments are
spread over that span (one seeded random moment in each of 20 equal slots). The kills run in two
lanes side by side, each on its own copy of the first run's target, so the test takes about half
the time of twenty runs.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.support.cli import assert_success, migrate_args, run_cli, spawn_cli
from tests.support.target_state import (
    TargetState,
    integrity_problems,
    leftovers,
    read_report,
    report_file,
    status_row,
    table_counts,
)
from tests.support.tree_snapshot import assert_tree_unchanged, snapshot_tree

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

KILLS = 20
LANES = 2
KILL_SEED = 20_240_611
POLL_S = 0.005
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class Reference:
    """What a complete run into a fresh target produces."""

    duration_s: float
    staging_after_s: float
    """When the run's staging files first appeared, measured from the start of the process."""
    counts: dict[str, int]
    files_in_place: int


def _files_in_place(target: Path) -> int:
    """How many of the target's ``file_entry`` rows have their file in ``Files`` beside it."""
    with closing(sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)) as conn:
        names = {f"{i}.{e}" if e else str(i) for i, e in conn.execute("SELECT id, ext FROM file_entry")}
    folder = target.parent / "Files"
    return sum(1 for name in names if (folder / name).is_file())


def _timed_run(profile: Path, target: Path) -> Reference:
    started = time.monotonic()
    proc = spawn_cli(*migrate_args(profile, target))
    staging_after = None
    while proc.poll() is None:
        if staging_after is None and leftovers(target):
            staging_after = time.monotonic() - started
        time.sleep(POLL_S)
    duration = time.monotonic() - started
    assert proc.returncode == 0, "the reference run failed; run it by hand to see why"
    assert staging_after is not None, "the run never staged anything"
    return Reference(duration, staging_after, table_counts(target), _files_in_place(target))


def kill_moments(reference: Reference, count: int, seed: int) -> list[float]:
    """One random moment in each of ``count`` equal slots, from a little before staging starts to
    just before the run ended (measured from the start of the process)."""
    rng = random.Random(seed)
    start = reference.staging_after_s * 0.8
    slot = (reference.duration_s * 0.95 - start) / count
    return [start + slot * (i + rng.random()) for i in range(count)]


def _copy_target(reference_target: Path, folder: Path) -> Path:
    folder.mkdir()
    target = folder / reference_target.name
    shutil.copy2(reference_target, target)
    shutil.copy2(report_file(reference_target), report_file(target))
    shutil.copytree(reference_target.parent / "Files", folder / "Files")
    return target


def _kill_at(profile: Path, target: Path, moment: float) -> int:
    started = time.monotonic()
    proc = spawn_cli(*migrate_args(profile, target))
    time.sleep(max(0.0, started + moment - time.monotonic()))
    proc.kill()
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - a kill that did not land is the failure
        pytest.fail(f"the run was still alive 60 s after SIGKILL at {moment:.2f}s")


@dataclass(frozen=True)
class Seen:
    """The target after a kill: what it was judged to be, and its state for the next comparison."""

    outcome: str
    state: TargetState
    completed_at: int | None


def check_untouched_or_complete(target: Path, before: Seen, reference: Reference) -> Seen:
    """After a kill: ``untouched`` or ``completed`` (by this run); anything in between fails."""
    for suffix in SIDE_SUFFIXES:
        assert not target.with_name(target.name + suffix).exists(), f"{suffix} file left beside the target"
    after = TargetState.of(target)
    for name, digest in before.state.files.items():
        assert after.files.get(name) == digest, f"Files/{name} was removed or changed"
    if after.database == before.state.database:
        assert after.report == before.state.report, "the target is untouched but the report was replaced"
        return Seen("untouched", after, before.completed_at)
    status = status_row(target)
    assert status is not None and status["status"] == "completed", status
    assert status["completedAt"] > (before.completed_at or 0), "the target changed but is not newer"
    assert integrity_problems(target) == []
    assert table_counts(target) == reference.counts, "the swapped-in target is not complete"
    assert _files_in_place(target) == reference.files_in_place
    report = _report_of(target, status)
    assert report is not None, "no report describes the target (in place, or staged for the next run)"
    assert report["outcome"] == "completed"
    return Seen("completed", after, status["completedAt"])


def _report_of(target: Path, status: dict[str, Any]) -> dict[str, Any] | None:
    """The report of the run that made the target: in place, or (killed between the database's
    rename and the report's) still staged, which the next run puts in place."""
    in_place = read_report(target)
    if in_place is not None and in_place["status"] == status:
        return in_place
    for staged in target.parent.glob(f".{target.name}.report-*"):
        report = orjson.loads(staged.read_bytes())
        if report.get("status") == status:
            return report
    return None


def _seen_now(target: Path) -> Seen:
    status = status_row(target)
    return Seen("start", TargetState.of(target), status["completedAt"] if status else None)


def _run_lane(profile: Path, target: Path, moments: list[float], reference: Reference) -> Counter[str]:
    """Kill one run at each moment in turn; each starts from what the previous one left."""
    counts: Counter[str] = Counter()
    seen = _seen_now(target)
    for moment in moments:
        exit_status = _kill_at(profile, target, moment)
        seen = check_untouched_or_complete(target, seen, reference)
        counts[seen.outcome] += 1
        counts["exited before the kill" if exit_status == 0 else "killed"] += 1
        if leftovers(target):
            counts["left staging files"] += 1
    assert_success(run_cli(*migrate_args(profile, target)))
    assert leftovers(target) == [], "the rerun did not remove the killed runs' leftovers"
    assert check_untouched_or_complete(target, seen, reference).outcome == "completed"
    return counts


def test_sigkill_at_any_moment_leaves_target_untouched_or_complete(
    crash_profile: Path, tmp_path: Path
) -> None:
    legacy_before = snapshot_tree(crash_profile)
    reference_target = tmp_path / "reference" / "cherrystudio.sqlite"
    reference_target.parent.mkdir()
    reference = _timed_run(crash_profile, reference_target)
    moments = kill_moments(reference, KILLS, KILL_SEED)
    lanes = [
        (_copy_target(reference_target, tmp_path / f"lane-{n}"), moments[n::LANES]) for n in range(LANES)
    ]
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        futures = [pool.submit(_run_lane, crash_profile, target, lane, reference) for target, lane in lanes]
        seen = sum((f.result() for f in futures), Counter())
    assert sum(seen[k] for k in ("untouched", "completed")) == KILLS
    assert seen["killed"] >= KILLS // 4, f"most runs ended before their kill: {dict(seen)}"
    assert seen["left staging files"] > 0, f"no kill landed while the run was staging: {dict(seen)}"
    assert_tree_unchanged(crash_profile, legacy_before)
