"""Reading a v1 data folder directly: throughput (records/s, MB/s) and peak RSS.

    .venv/bin/python -m bench.bench_profile_read --messages 100000 --keep bench/out/profile-100k
    .venv/bin/python -m bench.bench_profile_read --profile bench/out/profile-100k/profile

The profile must be written by real Chromium: without ``--profile``, a seeded export of
``--messages`` messages is generated and ``tools/chromium_profile_writer`` writes it into a Chromium
profile (Debian's chromium and npm needed; minutes for 100k messages). ``--keep DIR`` keeps the
export and the profile (``DIR/export``, ``DIR/profile``) for later runs.

Measured, each in a fresh process: every exported Dexie table read row by row through
``open_profile_folder`` (what a migration reads), and the same tables streamed from the export folder
for comparison. MB/s is given two ways: the profile's ``IndexedDB`` folder on disk, and the JSON the
export holds for the same rows (``dexie_export``), which is what a user would call the data size.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.measure import baseline_rss_mb, emit, measure
from cherry_migrate.sources.base import LegacySources


def read_profile(folder: str) -> dict[str, Any]:
    from cherry_migrate.sources.profile import open_profile_folder

    return _read_all(open_profile_folder(Path(folder)))


def read_export(folder: str) -> dict[str, Any]:
    from cherry_migrate.sources.export_folder import open_export_folder

    return _read_all(open_export_folder(Path(folder)))


def _read_all(sources: LegacySources) -> dict[str, Any]:
    """Every row of every table, one at a time (what limits memory is the reader, not a batch)."""
    records = sum(1 for table in sources.dexie.tables() for _ in sources.dexie.iter_rows(table))
    return {"records": records, "warnings": len(sources.warnings)}


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def write_chromium_profile(out: Path, messages: int, seed: int) -> Path:
    """A seeded export written into a Chromium profile; returns ``out`` (holding export/, profile/)."""
    from tools.chromium_profile_writer.write_profile import write_profile

    from cherry_migrate.sampledata import generate_export

    generate_export(out / "export", seed=seed, messages=messages)
    write_profile(out / "export", out / "profile", log=lambda _: None)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--profile", type=Path, help="a profile already written by Chromium (its export/ beside it)"
    )
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the generated export and profile in this new folder")
    args = parser.parse_args()
    scratch: Path | None = None
    if args.profile is not None:
        profile: Path = args.profile
    else:
        out: Path = args.keep or Path(tempfile.mkdtemp(prefix="cherry-bench-profile-"))
        scratch = None if args.keep else out
        profile = write_chromium_profile(out, args.messages, args.seed) / "profile"
    try:
        export = profile.parent / "export"
        disk_mb = folder_mb(profile / "IndexedDB")
        json_mb = folder_mb(export / "dexie_export") if export.is_dir() else None
        results: list[dict[str, Any]] = [
            {"step": "baseline (import only)", "peak_rss_mb": round(baseline_rss_mb(), 1)}
        ]
        steps = [("read the profile directly", read_profile, profile)]
        if export.is_dir():
            steps.append(("stream the export folder (reference)", read_export, export))
        for name, fn, folder in steps:
            figures = measure(fn, str(folder))
            wall = figures["wall_s"]
            results.append(
                {
                    "step": name,
                    "records": figures["records"],
                    "wall_s": round(wall, 2),
                    "records_per_s": round(figures["records"] / wall),
                    "indexeddb_mb": round(disk_mb, 1),
                    "indexeddb_mb_per_s": round(disk_mb / wall, 1),
                    "json_mb": round(json_mb, 1) if json_mb is not None else None,
                    "json_mb_per_s": round(json_mb / wall, 1) if json_mb is not None else None,
                    "peak_rss_mb": round(figures["peak_rss_mb"], 1),
                    "source_warnings": figures["warnings"],
                }
            )
        emit(results)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
