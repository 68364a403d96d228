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
from rich.markup import escape

from cherry_migrate import __version__
from cherry_migrate.console import LiveProgress, inventory_table, status_table, summary_table, warnings_table
from cherry_migrate.core.cancel import CancelToken
from cherry_migrate.core.engine import MigrationEngine, RunOptions
from cherry_migrate.core.errors import MigrationError
from cherry_migrate.core.paths import MigrationPaths
from cherry_migrate.core.status import read_status
from cherry_migrate.core.types import MigrationResult, RunOutcome
from cherry_migrate.core.version_policy import VersionCheck, evaluate_version
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
FromProfileOption = Annotated[
    bool,
    typer.Option(
        "--from-profile",
        help="Read a Cherry Studio v1 data folder directly (IndexedDB, Local Storage, config.json, Data/): "
        "the folder given as DIR after this option, or, without DIR, the one found on this machine "
        "(the default location, or a custom one recorded in ~/.cherrystudio/config/config.json). "
        "Close Cherry Studio first: the folder is read, never written.",
    ),
]
ProfileDirArgument = Annotated[
    Path | None,
    typer.Argument(metavar="[DIR]", help="The v1 data folder for --from-profile.", show_default=False),
]
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


def _open(
    source: Path | None, demo: bool, from_profile: bool = False, profile_dir: Path | None = None
) -> LegacySources:
    try:
        sources = open_sources(source=source, demo=demo, from_profile=from_profile, profile_dir=profile_dir)
    except MigrationError as exc:
        err.print(f"[bold red]Error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    if from_profile:
        err.print(f"Reading {escape(sources.description)}")
    return sources


def _version_gate(sources: LegacySources, as_json: bool) -> None:
    """Refuse a v1 data folder the version policy blocks (exit 1, nothing touched)."""
    from cherry_migrate.sources.profile import VersionBlockedError, check_profile_version

    try:
        check_profile_version(sources)
    except VersionBlockedError as exc:
        if as_json:
            _emit_json({"outcome": "blocked", "error": str(exc), **_version_json(exc.check)})
        else:
            err.print(f"[bold red]Refused:[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc


def _version_json(check: VersionCheck) -> dict[str, Any]:
    return {
        "versionCheck": {
            "outcome": check.outcome,
            "reason": check.reason.value if check.reason else None,
            "previousVersion": check.previous_version,
            "details": check.details,
            "notices": [n.value for n in check.notices],
        }
    }


def _emit_json(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


@app.command()
def migrate(
    target: Annotated[Path, typer.Option("--target", help="The v2 database file to create or replace.")],
    source: SourceOption = None,
    demo: DemoOption = False,
    from_profile: FromProfileOption = False,
    profile_dir: ProfileDirArgument = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only check and count (prepare phase); write nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Migrate legacy data into TARGET. The target changes only if the whole run succeeds.

    Exit status: 0 when the run completed (or the dry run found no problem), 1 when it failed, was
    cancelled (Ctrl-C) or, with --from-profile, was refused by the version check (data of a v1 older
    than the supported minimum, or no version.log), 2 for wrong usage. A run report is written beside
    the target (TARGET.report.json) unless --dry-run is given or the version check refused.
    """
    sources = _open(source, demo, from_profile, profile_dir)
    if from_profile:
        _version_gate(sources, as_json)
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
    if not as_json:
        for warning in sources.warnings:
            out.print(f"[yellow]Source warning:[/] {escape(warning)}")
    raise typer.Exit(0 if result.success else 1)


def _print_run(result: MigrationResult, target: Path, *, dry_run: bool, as_json: bool) -> None:
    """The run's report, or (dry run, or a report that could not be written) its result."""
    report_file = result.report_file
    if as_json:
        if report_file is not None:
            _emit_json(orjson.loads(report_file.read_bytes()))
        else:
            _emit_json(
                {
                    "outcome": result.outcome.value,
                    "error": result.error,
                    "migrators": [r.to_dict() for r in result.migrator_results],
                }
            )
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
        out.print(f"[bold red]{label}:[/] {escape(result.error or '')}")
        if not dry_run:
            where = f"Run report: {report_file}" if report_file else "No run report was written."
            out.print(f"The target was left as it was. {where}")


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
def inspect(
    source: SourceOption = None,
    demo: DemoOption = False,
    from_profile: FromProfileOption = False,
    profile_dir: ProfileDirArgument = None,
    as_json: JsonOption = False,
) -> None:
    """Show what the legacy data holds: Redux slices, Dexie tables, record counts and sizes (and, with
    --from-profile, what the version check says about the data folder)."""
    sources = _open(source, demo, from_profile, profile_dir)
    try:
        inventory = take_inventory(sources)
    except MigrationError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(1) from exc
    check = evaluate_version(sources.version_log, require_version_log=True)[0] if from_profile else None
    if as_json:
        _emit_json({**inventory.to_dict(), **(_version_json(check) if check else {})})
    else:
        out.print(inventory_table(inventory))
        for warning in inventory.warnings:
            out.print(f"[yellow]Warning:[/] {warning}")
        if check is not None:
            out.print(_version_line(check))


def _version_line(check: VersionCheck) -> str:
    if check.reason is not None:
        from cherry_migrate.sources.profile import describe_block

        return f"[bold red]Version check: blocked[/] ({check.reason.value}): {escape(describe_block(check))}"
    last = (
        f"last used with Cherry Studio {check.previous_version}"
        if check.previous_version
        else "version.log present"
    )
    return f"[green]Version check: passed[/] ({last})"


@app.command()
def window(
    target: Annotated[Path, typer.Option("--target", help="The v2 database file to create or replace.")],
    source: SourceOption = None,
    demo: DemoOption = False,
    from_profile: FromProfileOption = False,
    profile_dir: ProfileDirArgument = None,
    no_browser: Annotated[
        bool,
        typer.Option(
            "--no-browser",
            help="Open nothing; the address (with its access token) is the first line on stdout.",
        ),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")
    ] = 0,
) -> None:
    """Open the migration window: version check, introduction, backup, migration, summary or recovery.

    It is served on 127.0.0.1 only, behind an access token made for this launch. Without --no-browser
    it opens in a native window (with the optional extra native-window) or in the default browser.
    It stops when you finish or close it; a running migration is then cancelled and the target left
    as it was.
    """
    import functools

    from cherry_migrate.window import logbuffer
    from cherry_migrate.window.server import run_window
    from cherry_migrate.window.session import MigrationSession

    opener = functools.partial(
        open_sources, source=source, demo=demo, from_profile=from_profile, profile_dir=profile_dir
    )
    log_buffer = logbuffer.install()
    try:
        session = MigrationSession(opener, target, log_buffer=log_buffer, require_version_log=from_profile)
        run_window(session, port=port, open_browser=not no_browser, out=sys.stdout)
    except MigrationError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(2) from exc
    except OSError as exc:
        err.print(f"[bold red]Error:[/] cannot serve the window: {exc}")
        raise typer.Exit(2) from exc
    finally:
        logbuffer.uninstall(log_buffer)


if __name__ == "__main__":  # pragma: no cover
    app()
