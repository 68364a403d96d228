"""Whole-migration benchmark, side by side with its floor and with a generic tool.

    .venv/bin/python -m bench.bench_migration --messages 10000 100000 1000000 --seed 7

For each size a seeded export folder is generated once and cached under ``bench/out/``. Then, each
in a fresh process (wall time, CPU time, peak RSS, load average before and after):

``migrate``
    ``MigrationEngine().run(open_export_folder(dir), target)``: the whole run; per migrator figures
    come from the run report.
``floor``
    The migrated database's final rows written with plain ``executemany`` into the same schema
    (see ``bench/floor.py``): what any migration producing this database must at least pay.
``sqlite-utils`` / ``sqlite-utils-nl``
    ``sqlite-utils insert`` loading the raw Dexie exports (see ``bench/generic_tool.py``), from the
    JSON arrays and from newline-delimited JSON.

Writes every figure to a JSON file under ``bench/out/`` (after each step, so an interrupted run
keeps what it measured) and prints Markdown tables. CPU time is reported next to wall time because
the machine may be shared: wall time stretches under load, CPU time much less.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from bench.floor import copy_floor, cpu_seconds
from bench.generic_tool import convert_to_ndjson, load_with_sqlite_utils
from bench.measure import baseline_rss_mb, measure

OUT = Path(__file__).parent / "out"
STEPS = ("migrate", "floor", "sqlite-utils", "sqlite-utils-nl")
MIB = 1024 * 1024


# --- inputs ---------------------------------------------------------------------------------------


def size_label(messages: int) -> str:
    if messages % 1_000_000 == 0:
        return f"{messages // 1_000_000}M"
    if messages % 1000 == 0:
        return f"{messages // 1000}k"
    return str(messages)


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def ensure_export(messages: int, seed: int) -> Path:
    """The cached export folder for this size and seed, generated on first use.

    Generated under a temporary name and renamed when complete, so an interrupted generation is
    never taken for a finished one.
    """
    from cherry_migrate.sampledata import generate_export

    folder = OUT / f"export-{size_label(messages)}-s{seed}"
    if folder.is_dir():
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    generate_export(partial, seed=seed, messages=messages)
    partial.rename(folder)
    print(f"generated {folder} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return folder


# --- the measured steps (run in fresh processes) --------------------------------------------------


def run_migration(export_dir: str, target: str) -> dict[str, Any]:
    """One engine run; fails loudly unless it completed. Its warnings go to the report only."""
    cpu_start = cpu_seconds()
    logging.getLogger().addHandler(logging.NullHandler())
    from cherry_migrate.core.engine import MigrationEngine
    from cherry_migrate.core.types import RunOutcome
    from cherry_migrate.sources.export_folder import open_export_folder

    result = MigrationEngine().run(open_export_folder(Path(export_dir)), Path(target))
    if result.outcome is not RunOutcome.COMPLETED or result.report_file is None:
        raise RuntimeError(f"migration did not complete: {result.outcome.value} {result.error}")
    report = json.loads(result.report_file.read_bytes())
    migrators = [
        {
            "id": entry["migratorId"],
            "duration_s": entry["durationMs"] / 1000,
            **_ledger_totals(entry["ledger"]),
        }
        for entry in report["migrators"]
    ]
    return {"cpu_s": cpu_seconds() - cpu_start, "totals": report["totals"], "migrators": migrators}


def profile_migration(messages: int, seed: int, output: Path) -> None:
    """Run the migrate step in this process under pyinstrument; text or HTML by ``output``'s suffix."""
    from pyinstrument import Profiler

    export = ensure_export(messages, seed)
    target = OUT / f"run-{size_label(messages)}-s{seed}" / "profile" / "cherrystudio.sqlite"
    shutil.rmtree(target.parent, ignore_errors=True)
    target.parent.mkdir(parents=True)
    profiler = Profiler(interval=0.005)
    with profiler:
        run_migration(str(export), str(target))
    if output.suffix == ".html":
        output.write_text(profiler.output_html())
    else:
        output.write_text(profiler.output_text())
    print(f"profile: {output}", file=sys.stderr)


def _ledger_totals(ledger: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {key: sum(kind[key] for kind in ledger.values()) for key in ("read", "written", "skipped")}


# --- orchestration ---------------------------------------------------------------------------------


def timed_step(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``measure`` plus the one-minute load average before and after (is the machine quiet?)."""
    load_before = os.getloadavg()[0]
    figures = measure(fn, *args)
    figures["load_before"] = round(load_before, 2)
    figures["load_after"] = round(os.getloadavg()[0], 2)
    return figures


def bench_size(messages: int, options: argparse.Namespace, save: Callable[[dict[str, Any]], None]) -> None:
    """Measure ``options.steps`` for one size, ``options.repeat`` times in rounds; ``save(entry)``
    runs after each step."""
    export = ensure_export(messages, options.seed)
    dexie = export / "dexie_export"
    run_dir = OUT / f"run-{size_label(messages)}-s{options.seed}"
    run_dir.mkdir(parents=True, exist_ok=True)
    migrated = run_dir / "migrate" / "cherrystudio.sqlite"
    entry: dict[str, Any] = {
        "messages": messages,
        "label": size_label(messages),
        "export_mb": folder_bytes(export) / MIB,
        "dexie_mb": folder_bytes(dexie) / MIB,
        "steps": {},
    }
    runs: dict[str, list[dict[str, Any]]] = {}
    for round_number in range(options.repeat):
        for step in dict.fromkeys(options.steps):
            print(f"[{entry['label']}] {step} (run {round_number + 1}/{options.repeat}) ...", file=sys.stderr)
            if step == "migrate":
                shutil.rmtree(migrated.parent, ignore_errors=True)
                migrated.parent.mkdir(parents=True)
                figures = timed_step(run_migration, str(export), str(migrated))
            elif step == "floor":
                if not migrated.exists():
                    raise SystemExit(
                        f"the floor needs a migrated database: run the migrate step first ({migrated})"
                    )
                figures = timed_step(copy_floor, str(migrated), str(run_dir / "floor.sqlite"))
                _remove_db(run_dir / "floor.sqlite", options.keep_dbs)
            else:
                figures = _generic_tool_step(step, dexie, run_dir, options)
            runs.setdefault(step, []).append(figures)
            entry["steps"][step] = _least_disturbed(runs[step])
            save(entry)


def _least_disturbed(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the lowest wall time, with every run's headline figures beside it."""
    measured = [run for run in runs if "wall_s" in run]
    if not measured:
        return runs[-1]
    best = dict(min(measured, key=lambda run: run["wall_s"]))
    keys = ("wall_s", "cpu_s", "peak_rss_mb", "load_before", "load_after")
    best["runs"] = [{key: run[key] for key in keys} for run in measured]
    return best


def _generic_tool_step(step: str, dexie: Path, run_dir: Path, options: argparse.Namespace) -> dict[str, Any]:
    mode = "nl" if step == "sqlite-utils-nl" else "array"
    largest_mb = max(path.stat().st_size for path in dexie.glob("*.json")) / MIB
    if mode == "array" and largest_mb > options.max_array_mb:
        return {
            "skipped": f"largest table is {largest_mb:.0f} MB and sqlite-utils loads a JSON array whole "
            "(--max-array-mb)"
        }
    source = convert_to_ndjson(dexie, run_dir / "ndjson") if mode == "nl" else dexie
    database = run_dir / f"{step}.sqlite"
    figures = timed_step(load_with_sqlite_utils, str(source), str(database), mode)
    figures["peak_rss_mb"] = figures.pop("tool_peak_rss_mb")
    _remove_db(database, options.keep_dbs)
    return figures


def _remove_db(path: Path, keep: bool) -> None:
    if not keep:
        for file in path.parent.glob(path.name + "*"):
            file.unlink()


# --- derived figures and output -------------------------------------------------------------------


def derive(entry: dict[str, Any]) -> None:
    """Rates per step and the ratios between steps, added to ``entry`` in place."""
    steps = entry["steps"]
    messages = entry["messages"]
    migrate = steps.get("migrate")
    if migrate:
        migrate["records"] = migrate["totals"]["read"]
        migrate["data_mb"] = entry["export_mb"]
    floor = steps.get("floor")
    if floor:
        floor["records"] = floor["rows"]
    for name in ("sqlite-utils", "sqlite-utils-nl"):
        step = steps.get(name)
        if step and "skipped" not in step:
            step["records"] = step["rows"]
            step["data_mb"] = entry["dexie_mb"]
    for step in steps.values():
        if "wall_s" in step:
            step["records_per_s"] = step["records"] / step["wall_s"]
            step["messages_per_s"] = messages / step["wall_s"]
            if "data_mb" in step:
                step["mb_per_s"] = step["data_mb"] / step["wall_s"]
    ratios: dict[str, float] = {}
    if migrate and floor:
        ratios["total_vs_floor_wall"] = migrate["wall_s"] / floor["wall_s"]
        ratios["total_vs_floor_cpu"] = migrate["cpu_s"] / floor["cpu_s"]
        chat = next((m for m in migrate["migrators"] if m["id"] == "chat"), None)
        if chat:
            ratios["chat_vs_floor_chat_wall"] = chat["duration_s"] / floor["chat_s"]
    for name in ("sqlite-utils", "sqlite-utils-nl"):
        step = steps.get(name)
        if migrate and step and "wall_s" in step:
            ratios[f"ours_vs_{name}_wall"] = migrate["wall_s"] / step["wall_s"]
            ratios[f"ours_vs_{name}_cpu"] = migrate["cpu_s"] / step["cpu_s"]
    entry["ratios"] = ratios


STEP_COLUMNS = (
    "size",
    "step",
    "wall s",
    "CPU s",
    "records",
    "records/s",
    "messages/s",
    "MB read",
    "MB/s",
    "peak RSS MB",
    "load before→after",
)


def markdown(sizes: list[dict[str, Any]]) -> str:
    lines = _table_head(STEP_COLUMNS)
    for entry in sizes:
        for name, step in entry["steps"].items():
            if "skipped" in step:
                cells = [entry["label"], name, f"skipped: {step['skipped']}"]
                lines.append(_row(cells + [""] * (len(STEP_COLUMNS) - len(cells))))
                continue
            cells = [
                entry["label"],
                name,
                f"{step['wall_s']:.1f}",
                f"{step['cpu_s']:.1f}",
                f"{step['records']:,}",
                f"{step['records_per_s']:,.0f}",
                f"{step['messages_per_s']:,.0f}",
                _opt(step.get("data_mb"), ".0f"),
                _opt(step.get("mb_per_s"), ".1f"),
                f"{step['peak_rss_mb']:.0f}",
                f"{step['load_before']:.1f}→{step['load_after']:.1f}",
            ]
            lines.append(_row(cells))
    lines += ["", *_table_head(("size", "ratio", "value"))]
    for entry in sizes:
        lines += [_row([entry["label"], name, f"{value:.2f}"]) for name, value in entry["ratios"].items()]
    for entry in sizes:
        migrate = entry["steps"].get("migrate")
        if migrate:
            lines += ["", f"Per migrator, {entry['label']} messages:", ""]
            lines += _table_head(("migrator", "s", "read", "written", "skipped"))
            lines += [
                _row(
                    [
                        m["id"],
                        f"{m['duration_s']:.2f}",
                        f"{m['read']:,}",
                        f"{m['written']:,}",
                        f"{m['skipped']:,}",
                    ]
                )
                for m in migrate["migrators"]
            ]
    return "\n".join(lines)


def _table_head(columns: tuple[str, ...]) -> list[str]:
    return [_row(list(columns)), _row(["---"] * len(columns))]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _opt(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument(
        "--out", type=Path, help="JSON output (default: bench/out/bench_migration-<time>.json)"
    )
    parser.add_argument(
        "--max-array-mb",
        type=float,
        default=600.0,
        help="skip sqlite-utils on JSON arrays when a table file is larger (it loads files whole)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="instead of measuring: profile the migrate step of the first size with pyinstrument",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure every step N times, in rounds; report the fastest"
    )
    parser.add_argument("--keep-dbs", action="store_true", help="keep the floor and sqlite-utils databases")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.profile is not None:
        profile_migration(args.messages[0], args.seed, args.profile)
        return 0
    out: Path = args.out or OUT / f"bench_migration-{time.strftime('%Y%m%d-%H%M%S')}.json"
    sizes: list[dict[str, Any]] = []
    document = {
        "command": " ".join(["python -m bench.bench_migration", *sys.argv[1:]]),
        "machine": machine(),
        "baseline_rss_mb": baseline_rss_mb(),
        "sizes": sizes,
    }

    def save(entry: dict[str, Any]) -> None:
        if not any(known is entry for known in sizes):
            sizes.append(entry)
        derive(entry)
        out.write_text(json.dumps(document, indent=2))

    for messages in args.messages:
        bench_size(messages, args, save)
    print(markdown(sizes))
    print(f"\nfigures: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
