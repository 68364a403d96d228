"""Which files of a LevelDB folder are live: ``CURRENT`` names the manifest, the manifest's
version edits name the live tables and the oldest log still needed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .binary import read_length_prefixed, read_varint
from .errors import ChromiumCorruptionError, ChromiumDecodeError, ReadIssue
from .leveldb_log import iter_log_records

_MANIFEST_NAME = re.compile(r"MANIFEST-(\d+)")
_DATA_FILE = re.compile(r"(\d+)\.(ldb|sst|log)")

# VersionEdit tags
_COMPARATOR, _LOG_NUMBER, _NEXT_FILE, _LAST_SEQUENCE = 1, 2, 3, 4
_COMPACT_POINTER, _DELETED_FILE, _NEW_FILE, _PREV_LOG_NUMBER = 5, 6, 7, 9


class MissingFileError(ChromiumCorruptionError):
    """A file the manifest lists as live does not exist."""


@dataclass(frozen=True)
class TableFile:
    """A live table: its level and smallest/largest user keys (None when unknown)."""

    path: Path
    level: int = 0
    smallest: bytes | None = None
    largest: bytes | None = None


@dataclass
class FileSet:
    """The files to read, oldest log first."""

    tables: list[TableFile] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    comparator: str | None = None


@dataclass
class _ManifestState:
    comparator: str | None = None
    log_number: int = 0
    prev_log_number: int = 0
    live: dict[int, tuple[int, bytes, bytes]] = field(default_factory=dict)  # number -> level, bounds


def _apply_edit(data: bytes, state: _ManifestState) -> None:
    pos = 0
    live = state.live
    while pos < len(data):
        tag, pos = read_varint(data, pos)
        if tag == _COMPARATOR:
            name, pos = read_length_prefixed(data, pos)
            state.comparator = name.decode("latin-1")
        elif tag == _LOG_NUMBER:
            state.log_number, pos = read_varint(data, pos)
        elif tag == _PREV_LOG_NUMBER:
            state.prev_log_number, pos = read_varint(data, pos)
        elif tag in (_NEXT_FILE, _LAST_SEQUENCE):
            _, pos = read_varint(data, pos)
        elif tag == _COMPACT_POINTER:
            _, pos = read_varint(data, pos)
            _, pos = read_length_prefixed(data, pos)
        elif tag == _DELETED_FILE:
            _, pos = read_varint(data, pos)
            number, pos = read_varint(data, pos)
            live.pop(number, None)
        elif tag == _NEW_FILE:
            level, pos = read_varint(data, pos)
            number, pos = read_varint(data, pos)
            _, pos = read_varint(data, pos)  # file size
            smallest, pos = read_length_prefixed(data, pos)  # internal keys
            largest, pos = read_length_prefixed(data, pos)
            live[number] = (level, smallest[:-8], largest[:-8])
        else:
            raise ChromiumDecodeError(f"unknown version edit tag {tag}")


def _numbered_files(folder: Path) -> dict[str, dict[int, Path]]:
    found: dict[str, dict[int, Path]] = {"ldb": {}, "sst": {}, "log": {}}
    for path in folder.iterdir():
        match = _DATA_FILE.fullmatch(path.name)
        if match:
            found[match.group(2)][int(match.group(1))] = path
    return found


def list_live_files(folder: Path, issues: list[ReadIssue]) -> FileSet:
    """Read ``CURRENT`` and its manifest and return the live tables and logs.

    Without a usable ``CURRENT``/manifest every table and log present is used (and reported):
    newest-sequence-wins still gives the right answer unless obsolete files are lying around.
    A table the manifest lists but that does not exist raises :class:`MissingFileError`
    (it vanished, e.g. compacted away by a running app: read a copy taken with the app closed).
    """
    files = _numbered_files(folder)
    manifest = _read_current(folder, issues)
    if manifest is None:
        every_table = sorted({**files["sst"], **files["ldb"]}.items())
        issues.append(
            ReadIssue(str(folder), "no usable CURRENT/MANIFEST; reading every table and log present")
        )
        return FileSet([TableFile(p) for _, p in every_table], [p for _, p in sorted(files["log"].items())])
    state = _ManifestState()
    with manifest.open("rb") as f:
        for record in iter_log_records(f, str(manifest), issues):
            try:
                _apply_edit(record.data, state)
            except ChromiumDecodeError as exc:
                raise ChromiumCorruptionError(f"unreadable version edit: {exc}", str(manifest)) from None
    tables = []
    for number, (level, smallest, largest) in sorted(state.live.items()):
        path = files["ldb"].get(number) or files["sst"].get(number)
        if path is None:
            raise MissingFileError(
                f"live table {number:06d}.ldb is missing (compacted while reading? read a copy made "
                "with the app closed)",
                str(folder),
            )
        tables.append(TableFile(path, level, smallest, largest))
    prev_log = state.prev_log_number
    logs = [
        p for n, p in sorted(files["log"].items()) if n >= state.log_number or (prev_log and n == prev_log)
    ]
    return FileSet(tables, logs, state.comparator)


def _read_current(folder: Path, issues: list[ReadIssue]) -> Path | None:
    try:
        name = (folder / "CURRENT").read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    manifest = folder / name
    if not _MANIFEST_NAME.fullmatch(name) or not manifest.is_file():
        issues.append(ReadIssue(str(folder / "CURRENT"), f"names a missing or odd manifest {name!r}"))
        return None
    return manifest
