"""Rich rendering for the command line: live progress and the end-of-run summary."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from cherry_migrate.core.types import MigrationProgress, MigrationResult, MigratorResult, MigratorStatus
from cherry_migrate.sources.inventory import Inventory

_STATUS_STYLE = {
    MigratorStatus.PENDING: ("·", "dim"),
    MigratorStatus.RUNNING: ("▶", "bold cyan"),
    MigratorStatus.COMPLETED: ("✓", "green"),
    MigratorStatus.FAILED: ("✗", "bold red"),
}


class LiveProgress:
    """Shows the latest progress event, redrawn at most ~12 times a second."""

    def __init__(self, console: Console) -> None:
        self._live = Live(console=console, refresh_per_second=12, transient=False)
        self._last_draw = 0.0
        self._event: MigrationProgress | None = None

    def __enter__(self) -> LiveProgress:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._event is not None:
            self._live.update(self._render(self._event))
        self._live.__exit__(None, None, None)
        self._live.console.line()

    def __call__(self, event: MigrationProgress) -> None:
        self._event = event
        now = time.monotonic()
        if now - self._last_draw >= 0.08 or event.stage.value != "migration":
            self._last_draw = now
            self._live.update(self._render(event))

    @staticmethod
    def _render(event: MigrationProgress) -> Group:
        lines = Table.grid(padding=(0, 1))
        for migrator in event.migrators:
            mark, style = _STATUS_STYLE[migrator.status]
            text = Text(f"{mark} {migrator.name}", style=style)
            if migrator.status is MigratorStatus.RUNNING and event.current_migrator == migrator.id:
                text.append(f"  {event.current_message}", style="dim")
            lines.add_row(text)
        overall = Table.grid(padding=(0, 1))
        overall.add_row(
            Text(f"Overall {event.overall_progress:3d}%", style="bold"),
            ProgressBar(total=100, completed=event.overall_progress, width=50),
        )
        return Group(overall, lines)


def _reasons(result: MigratorResult) -> str:
    reasons: dict[str, int] = {}
    for kind in result.ledger.values():
        for reason, bucket in kind["skipReasons"].items():
            reasons[reason] = reasons.get(reason, 0) + bucket["count"]
    return ", ".join(f"{reason} ×{count}" for reason, count in sorted(reasons.items(), key=lambda x: -x[1]))


def _totals(result: MigratorResult) -> tuple[int, int, int]:
    read = sum(k["read"] for k in result.ledger.values())
    written = sum(k["written"] for k in result.ledger.values())
    skipped = sum(k["skipped"] for k in result.ledger.values())
    return read, written, skipped


def summary_table(result: MigrationResult, *, dry_run: bool = False) -> Table:
    title = "Dry run: what would be migrated" if dry_run else "Migration summary"
    table = Table(title=title, show_lines=False)
    table.add_column("Migrator")
    table.add_column("Status")
    if dry_run:
        table.add_column("Prepared", justify="right")
    else:
        table.add_column("Source", justify="right")
        table.add_column("Migrated", justify="right")
        table.add_column("Skipped", justify="right")
    table.add_column("Skip reasons / problems", overflow="fold")
    table.add_column("Time", justify="right")
    for r in result.migrator_results:
        mark, style = _STATUS_STYLE[r.status]
        note = r.error or _reasons(r)
        if dry_run:
            counts = [str(r.prepared_count)]
        else:
            read, written, skipped = _totals(r)
            counts = [str(read), str(written), str(skipped)]
        table.add_row(r.migrator_name, Text(mark, style=style), *counts, note, f"{r.duration_ms / 1000:.2f}s")
    return table


def warnings_table(result: MigrationResult) -> Table | None:
    """Every warning, per migrator (they name record ids, never values)."""
    rows = [(r.migrator_name, w) for r in result.migrator_results for w in r.warnings]
    if not rows:
        return None
    table = Table(title="Warnings", show_header=False)
    table.add_column("Migrator", style="bold")
    table.add_column("Warning", overflow="fold")
    for name, warning in rows:
        table.add_row(name, warning)
    return table


def inventory_table(inventory: Inventory) -> Table:
    table = Table(title=f"Legacy data: {inventory.description}")
    table.add_column("Store")
    table.add_column("Name")
    table.add_column("Records", justify="right")
    table.add_column("Size", justify="right")
    for name, size in sorted(inventory.slices.items()):
        table.add_row("redux slice", name, "", human_bytes(size))
    for name, info in sorted(inventory.tables.items()):
        table.add_row("dexie table", name, f"{info['records']:,}", human_bytes(info["bytes"]))
    table.add_row("config.json", "keys", str(inventory.config_keys), "")
    table.add_row("dexie settings", "keys", str(inventory.dexie_settings), "")
    table.add_row("localStorage", "keys", str(inventory.local_storage_keys), "")
    return table


def human_bytes(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def status_table(status: dict[str, Any] | None, last_run: dict[str, Any] | None) -> Table:
    table = Table(show_header=False)
    table.add_column("key", style="bold")
    table.add_column("value")
    if status is None:
        table.add_row("status", "no migration has run into this target")
    else:
        for key, value in status.items():
            table.add_row(key, str(value))
    if last_run:
        table.add_row("last run", f"{last_run.get('outcome')} ({last_run.get('durationMs', 0) / 1000:.1f}s)")
        totals = last_run.get("totals", {})
        table.add_row(
            "records",
            f"read {totals.get('read', 0)}, migrated {totals.get('written', 0)}, "
            f"skipped {totals.get('skipped', 0)}",
        )
    return table
