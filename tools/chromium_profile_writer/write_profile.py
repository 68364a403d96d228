"""Write a Cherry Studio v1 export folder into a real Chromium profile (IndexedDB + localStorage).

Usage (from the repository root)::

    python -m tools.chromium_profile_writer.write_profile --export EXPORT_DIR --out PROFILE_DIR [--updates]

Debian's Chromium runs headless with a fresh user-data-dir and opens ``page.html`` from
``file://``; the page declares the ``CherryStudio`` Dexie database with every schema version of
Cherry Studio, ``bulkPut``s each ``dexie_export/<table>.json`` into it, and stores the Redux state
as ``persist:cherry-studio`` (two-level JSON, with ``_persist``) plus the entries of
``localstorage_export/localStorage.json`` in localStorage. PROFILE_DIR then receives
``IndexedDB/`` and ``Local Storage/`` as an Electron userData folder holds them (LOCK and LOG
files removed).

``--updates`` adds a second browser session that edits and deletes rows (see ``updates.py``),
rewrites the persist value with the next ``_persist`` version and removes a localStorage key the
first session wrote, so stale versions and tombstones exist on disk. The rows the profile must
decode to are written to PROFILE_DIR's sibling ``export/`` folder (a copy of EXPORT_DIR with the
final tables, or EXPORT_DIR itself if that is the sibling).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from cherry_migrate.sampledata.generator import PERSIST_VERSION

from .browser import DEFAULT_CHROMIUM, copy_storage, ensure_dexie, run_page, serve
from .updates import UpdatePlan, dump_rows, plan_updates, read_tables

RAW_PERSIST_FILE = "persist-cherry-studio.json"
LOCAL_STORAGE_FILE = "localstorage_export/localStorage.json"
SCRATCH_KEY = "chromium-profile-writer:scratch"
Session = Callable[[str, dict[str, Any]], Any]
"""Runs ``window[function](options)`` in a browser session on the profile being written."""


def _export_root(folder: Path) -> Path:
    """The folder holding ``dexie_export/`` etc. (a v1 data folder keeps them in ``migration_temp/``)."""
    inner = folder / "migration_temp"
    return inner if inner.is_dir() else folder


def _persist_option(root: Path, version: int) -> dict[str, Any] | None:
    slices_dir = root / "redux_export"
    if slices_dir.is_dir():
        return {"slices": sorted(p.stem for p in slices_dir.glob("*.json")), "version": version}
    if (root / RAW_PERSIST_FILE).is_file():
        return {"raw": RAW_PERSIST_FILE}
    return None


def _check_empty(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(f"{folder} exists and is not an empty folder")


def write_profile(
    export_dir: Path,
    out_dir: Path,
    *,
    updates: bool = False,
    persist_version: int = PERSIST_VERSION,
    chromium: Path = DEFAULT_CHROMIUM,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Write the profile; returns the number of rows each table holds at the end."""
    root = _export_root(export_dir)
    tables = sorted(p.stem for p in (root / "dexie_export").glob("*.json"))
    final_export = out_dir.parent / "export"
    _check_empty(out_dir)
    if updates and final_export.resolve() != export_dir.resolve():
        _check_empty(final_export)
    ensure_dexie()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as scratch:
        user_data = Path(scratch) / "user-data"
        serve_root = Path(scratch) / "served"
        serve_root.mkdir()
        (serve_root / "export").symlink_to(root.resolve(), target_is_directory=True)
        session: Session = partial(run_page, user_data, chromium=chromium, log=log)
        with serve(serve_root) as base:
            initial = {
                "base": f"{base}export/",
                "tables": tables,
                "localStorage": LOCAL_STORAGE_FILE if (root / LOCAL_STORAGE_FILE).is_file() else None,
                "persist": _persist_option(root, persist_version - 1 if updates else persist_version),
                "scratchKey": SCRATCH_KEY if updates else None,
            }
            counts: dict[str, int] = session("writeInitial", initial)
            if updates:
                plan = plan_updates(read_tables(root / "dexie_export", tables))
                final = {
                    "base": initial["base"],
                    "updatesBase": f"{base}updates/",
                    "persist": _persist_option(root, persist_version),
                    "scratchKey": SCRATCH_KEY,
                }
                _apply_updates(session, plan, serve_root / "updates", final)
                counts = {name: len(rows) for name, rows in plan.final.items()}
        out_dir.mkdir(parents=True, exist_ok=True)
        copy_storage(user_data, out_dir)
    if updates:
        _write_final_export(export_dir, final_export, plan)
    return counts


def _apply_updates(session: Session, plan: UpdatePlan, updates_dir: Path, options: dict[str, Any]) -> None:
    """The second browser session: put the edited rows (served from ``updates_dir``), delete the others."""
    updates_dir.mkdir()
    for name, rows in plan.puts.items():
        (updates_dir / f"{name}.json").write_bytes(dump_rows(rows))
    done = session("applyUpdates", {**options, "updates": plan.deletes})
    expected = {name: [len(plan.puts[name]), len(keys)] for name, keys in plan.deletes.items()}
    if done != expected:
        raise RuntimeError(f"the page applied {done}, expected {expected}")


def _write_final_export(export_dir: Path, final_export: Path, plan: UpdatePlan) -> None:
    if final_export.resolve() != export_dir.resolve():
        shutil.copytree(export_dir, final_export, dirs_exist_ok=True)
    dexie_dir = _export_root(final_export) / "dexie_export"
    for name, rows in plan.final.items():
        (dexie_dir / f"{name}.json").write_bytes(dump_rows(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", type=Path, required=True, help="the v1 export folder to write")
    parser.add_argument("--out", type=Path, required=True, help="new or empty folder for the profile")
    parser.add_argument(
        "--updates",
        action="store_true",
        help="then edit and delete rows in a second session; write the final rows to OUT/../export",
    )
    parser.add_argument(
        "--persist-version",
        type=int,
        default=PERSIST_VERSION,
        help=f"redux-persist version stored in _persist (default {PERSIST_VERSION})",
    )
    parser.add_argument("--chromium", type=Path, default=DEFAULT_CHROMIUM, help="Chromium executable")
    parser.add_argument("--quiet", action="store_true", help="do not print the page's progress")
    args = parser.parse_args(argv)
    if not (_export_root(args.export) / "dexie_export").is_dir():
        parser.error(f"{args.export} has no dexie_export/ folder")
    counts = write_profile(
        args.export,
        args.out,
        updates=args.updates,
        persist_version=args.persist_version,
        chromium=args.chromium,
        log=(lambda _: None) if args.quiet else print,
    )
    for name, count in counts.items():
        print(f"{name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
