"""Exceptions and non-fatal findings of the Chromium storage readers.

Two kinds of trouble are kept apart:

* A :class:`ReadIssue` is something the reader worked around and that a caller should report
  (a torn log tail, a skipped table block, a missing blob file, an unknown format version).
  Readers collect them in their ``issues`` list and go on.
* An exception is raised when the reader cannot give a correct answer: one record that cannot be
  decoded (:class:`ChromiumDecodeError`, the caller may skip that record and continue) or a
  database that cannot be read at all (:class:`ChromiumCorruptionError`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadIssue:
    """A problem the reader worked around; ``where`` names the file (and offset or key)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ChromiumReadError(Exception):
    """Base class of everything the Chromium readers raise on bad or unexpected input."""


class ChromiumCorruptionError(ChromiumReadError):
    """A LevelDB folder or file is damaged in a way that makes the whole read unreliable."""

    def __init__(self, message: str, file: str | None = None) -> None:
        self.file = file
        super().__init__(f"{file}: {message}" if file else message)


class ChromiumDecodeError(ChromiumReadError):
    """One stored value or key cannot be decoded.

    ``file`` is the LevelDB folder (or blob file) and ``key`` a readable form of the record key, so
    that a caller can report the record, skip it and continue with the next one.
    """

    def __init__(self, message: str, file: str | None = None, key: str | None = None) -> None:
        self.reason = message
        self.file = file
        self.key = key
        where = ", ".join(part for part in (file, f"key {key}" if key is not None else None) if part)
        super().__init__(f"{message} ({where})" if where else message)

    def located(self, file: str, key: str) -> ChromiumDecodeError:
        """The same error with the record's location filled in where it is still unknown."""
        return ChromiumDecodeError(self.reason, self.file or file, self.key if self.key is not None else key)


class ChromiumNotFoundError(ChromiumReadError, LookupError):
    """A database or object store of that name does not exist (or is not live)."""
