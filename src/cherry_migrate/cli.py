"""The ``cherry-migrate`` command line."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console

from cherry_migrate import __version__
from cherry_migrate.console import LiveProgress, inventory_table, status_table, summary_table, warnings_table
from cherry_migrate.core.cancel import CancelToken
from cherry_migrate.core.engine import MigrationEngine, RunOptions
from cherry_migrate.core.errors import MigrationError
from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.status import read_status
from cherry_migrate.core.types import MigrationResult, RunOutcome
from cherry_migrate.sources.base import LegacySources
from cherry_migrate.sources.inventory import take_inventory
from cherry_migrate.sources.resolve import open_sources

app = typer.Typer(
    help="Move a Cherry Studio v1 profile into the v2 SQLite database, all or nothing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

SourceOption = Annotated[
    Path | None,
    typer.Option(
        "--source",
        help="An export folder: redux_export/ (or persist-cherry-studio.json), dexie_export/, "
        "localstorage_export/, config.json.",
        file_okay=False,
    ),
]
DemoOption = Annotated[bool, typer.Option("--demo", help="Use the sample v1 profile bundled with the tool.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


def _version(value: bool) -> None:
    if value:
        out.print(f"cherry-migrate {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what each migrator does (warnings and progress).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _open(source: Path | None, demo: bool) -> LegacySources:
    try:
        return open_sources(source=source, demo=demo)
    except MigrationError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(2) from exc


def _emit_json(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


@app.command()
def migrate(
    target: Annotated[Path, typer.Option("--target", help="The v2 database file to create or replace.")],
    source: SourceOption = None,
    demo: DemoOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only check and count (prepare phase); write nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Migrate legacy data into TARGET. The target changes only if the whole run succeeds.

    Exit status: 0 when the run completed (or the dry run found no problem), 1 when it failed or was
    cancelled (Ctrl-C), 2 for wrong usage. A run report is written beside the target
    (TARGET.report.json) unless --dry-run is given.
    """
    sources = _open(source, demo)
    cancel = CancelToken()
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        cancel.cancel()

    signal.signal(signal.SIGINT, on_interrupt)
    engine = MigrationEngine()
    try:
        if as_json:
            result = engine.run(sources, target, RunOptions(dry_run=dry_run, cancel=cancel))
        else:
            with LiveProgress(out) as live:
                result = engine.run(
                    sources, target, RunOptions(dry_run=dry_run, cancel=cancel, on_progress=live)
                )
    finally:
        signal.signal(signal.SIGINT, previous)
    _print_run(result, target, dry_run=dry_run, as_json=as_json)
    raise typer.Exit(0 if result.success else 1)


def _print_run(result: MigrationResult, target: Path, *, dry_run: bool, as_json: bool) -> None:
    report_file = MigrationPaths(target=target.expanduser().resolve(), legacy_root=None).report_file
    if as_json:
        if dry_run:
            _emit_json(
                {
                    "outcome": result.outcome.value,
                    "error": result.error,
                    "migrators": [r.to_dict() for r in result.migrator_results],
                }
            )
        else:
            _emit_json(orjson.loads(report_file.read_bytes()))
        return
    out.print(summary_table(result, dry_run=dry_run))
    warnings = warnings_table(result)
    if warnings is not None:
        out.print(warnings)
    if result.outcome is RunOutcome.COMPLETED:
        out.print(f"[green]Completed[/] in {result.total_duration_ms / 1000:.1f}s → {target}")
        out.print(f"Run report: {report_file}")
    elif result.outcome is RunOutcome.DRY_RUN:
        out.print("[green]Dry run found no problem.[/] Nothing was written.")
    else:
        label = "Cancelled" if result.outcome is RunOutcome.CANCELLED else "Failed"
        out.print(f"[bold red]{label}:[/] {result.error}")
        if not dry_run:
            out.print(f"The target was left as it was. Run report: {report_file}")


@app.command()
def status(
    target: Annotated[Path, typer.Option("--target", help="The v2 database file.")],
    as_json: JsonOption = False,
) -> None:
    """Show the migration status of TARGET: the database's marker and the last run's report."""
    resolved = target.expanduser().resolve()
    view = read_status(resolved, MigrationPaths(target=resolved, legacy_root=None).report_file)
    if as_json:
        _emit_json(
            {
                "target": str(resolved),
                "status": view.effective,
                "databaseStatus": view.database_status,
                "needsMigration": view.needs_migration,
                "lastRun": view.last_run,
            }
        )
        return
    out.print(status_table(view.effective, view.last_run))


@app.command()
def inspect(source: SourceOption = None, demo: DemoOption = False, as_json: JsonOption = False) -> None:
    """Show what the legacy data holds: Redux slices, Dexie tables, record counts and sizes."""
    sources = _open(source, demo)
    try:
        inventory = take_inventory(sources)
    except MigrationError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(1) from exc
    if as_json:
        _emit_json(inventory.to_dict())
    else:
        out.print(inventory_table(inventory))
        for warning in inventory.warnings:
            out.print(f"[yellow]Warning:[/] {warning}")


if __name__ == "__main__":  # pragma: no cover
    app()
