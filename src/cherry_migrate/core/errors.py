"""Errors a run can end with. Each message is meant for the person reading it: it names the file, the
record and what to do where that is known."""

from __future__ import annotations

from pathlib import Path


class MigrationError(Exception):
    """Base class: a run stopped for a reason we can explain."""


class SourceDataError(MigrationError):
    """Legacy data that cannot be read: names the file and, where known, the record."""

    def __init__(self, path: Path | str, problem: str, *, record: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.record = record
        where = f"{self.path}" + (f", record {record}" if record else "")
        super().__init__(f"{where}: {problem}")


class SourceNotFoundError(MigrationError):
    """The legacy data is not where the user said it is."""


class MigratorFailedError(MigrationError):
    """A migrator's prepare, execute or validate phase failed."""

    def __init__(self, migrator_id: str, phase: str, message: str) -> None:
        self.migrator_id = migrator_id
        self.phase = phase
        super().__init__(message)


class MigrationCancelledError(MigrationError):
    """The user cancelled the run; nothing was written to the target."""

    def __init__(self) -> None:
        super().__init__("Migration cancelled by the user; the target database was left as it was.")


class TargetBusyError(MigrationError):
    """Another run holds the target's lock."""


class RunInProgressError(TargetBusyError):
    """Another run holds the target's lock. The refused run writes no report: the files beside the
    target belong to the run in progress."""
