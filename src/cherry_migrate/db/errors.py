"""Errors raised by the target-database layer."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

OpenStage = Literal["open", "wal", "schema"]

_STAGE_TEXT: dict[OpenStage, str] = {
    "open": "Cannot open the target database",
    "wal": "Cannot switch the target database to write-ahead logging",
    "schema": "Cannot create the schema in the target database",
}

# What a user can do about the usual causes, keyed by SQLite's primary result code name.
_HINTS: dict[str, str] = {
    "SQLITE_CANTOPEN": "check that the folder exists and that you may write to it",
    "SQLITE_READONLY": "the file or its folder is read-only",
    "SQLITE_PERM": "permission denied",
    "SQLITE_NOTADB": "the file exists but is not an SQLite database",
    "SQLITE_CORRUPT": "the database file is damaged",
    "SQLITE_FULL": "the disk is full",
    "SQLITE_IOERR": "the disk reported an input/output error",
    "SQLITE_BUSY": "another program is using the database",
}


class TargetDatabaseError(Exception):
    """The target database could not be opened or prepared.

    ``stage`` tells how far opening got: ``open`` (creating or reading the file), ``wal``
    (enabling write-ahead logging, the first write) or ``schema`` (creating the tables).
    ``cause`` is the original exception, also chained as ``__cause__``.
    """

    def __init__(self, stage: OpenStage, path: Path, cause: Exception) -> None:
        self.stage: OpenStage = stage
        self.path = path
        self.cause = cause
        super().__init__(self._describe())

    @property
    def sqlite_error_name(self) -> str | None:
        """SQLite's result code name of the cause (e.g. ``SQLITE_READONLY_DIRECTORY``), if any."""
        name = getattr(self.cause, "sqlite_errorname", None)
        return name if isinstance(name, str) else None

    def _describe(self) -> str:
        return f"{_STAGE_TEXT[self.stage]} '{self.path}': {describe_sqlite_error(self.cause)}"

    def __reduce__(self) -> tuple[type[TargetDatabaseError], tuple[OpenStage, Path, Exception]]:
        # Keeps the error picklable (e.g. across a worker process) despite the custom __init__.
        return (type(self), (self.stage, self.path, self.cause))


def describe_sqlite_error(exc: BaseException) -> str:
    """``exc``'s message with SQLite's result code and, for the usual causes, what a user can do."""
    code = getattr(exc, "sqlite_errorname", None)
    if not isinstance(code, str):
        return str(exc)
    hint = _HINTS.get(_primary_code(code))
    return f"{exc} ({code}; {hint})" if hint else f"{exc} ({code})"


def _primary_code(name: str) -> str:
    """``SQLITE_READONLY_DIRECTORY`` -> ``SQLITE_READONLY`` (extended codes share a prefix)."""
    for primary in _HINTS:
        if name == primary or name.startswith(primary + "_"):
            return primary
    return name
