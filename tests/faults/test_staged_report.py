"""A run killed between swapping its database in and renaming its report into place leaves the report
staged; the next run puts it in place, since it describes the database beside it, and removes any
other staged report (of runs killed before their swap)."""

from __future__ import annotations

from pathlib import Path

import orjson

from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.staging import remove_stale_leftovers
from tests.support.target_state import make_completed_target, read_report, report_file


def test_staged_report_of_the_database_in_place_is_promoted(fault_profile: Path, tmp_path: Path) -> None:
    target = make_completed_target(fault_profile, tmp_path / "target" / "cherrystudio.sqlite")
    this_run = report_file(target).read_bytes()
    staged = target.with_name(f".{target.name}.report-4000001")
    staged.write_bytes(this_run)
    older = {"outcome": "completed", "status": {"status": "completed", "completedAt": 1}}
    report_file(target).write_bytes(orjson.dumps(older))
    not_swapped = target.with_name(f".{target.name}.report-4000002")
    not_swapped.write_bytes(orjson.dumps({"outcome": "completed", "status": {"status": "completed"}}))
    half_written = target.with_name(f".{target.name}.report-4000003.tmp")
    half_written.write_bytes(this_run[: len(this_run) // 2])

    removed = remove_stale_leftovers(MigrationPaths(target=target, legacy_root=None))

    assert read_report(target) == orjson.loads(this_run)
    assert sorted(removed) == sorted([not_swapped, half_written])
    assert not any(p.name.startswith(f".{target.name}.report-") for p in target.parent.iterdir())
