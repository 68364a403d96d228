"""Fingerprints of a folder tree, to prove that a run left the legacy data exactly as it was.

Every entry is recorded without following symlinks: a file by its content hash, size, mode and
modification time, a folder by its mode and modification time (a file created and removed again
changes it), a symlink by where it points. Two snapshots are equal only when nothing was written,
renamed, added, removed or re-permissioned.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class EntryState:
    kind: str
    """``file``, ``dir``, ``link`` or ``other``."""
    mode: int
    mtime_ns: int
    size: int = 0
    digest: str = ""
    """sha256 of a file's bytes; a symlink's target."""


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(path: Path) -> EntryState:
    info = path.lstat()
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        return EntryState("link", mode, info.st_mtime_ns, digest=os.readlink(path))
    if stat.S_ISDIR(info.st_mode):
        return EntryState("dir", mode, info.st_mtime_ns)
    if stat.S_ISREG(info.st_mode):
        return EntryState("file", mode, info.st_mtime_ns, info.st_size, file_digest(path))
    return EntryState("other", mode, info.st_mtime_ns)


def snapshot_tree(root: Path) -> dict[str, EntryState]:
    """Every entry under ``root`` (``root`` itself as ``.``), by path relative to it."""
    entries = {".": _entry(root)}
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(folder) / name
            entries[path.relative_to(root).as_posix()] = _entry(path)
    return entries


def tree_changes(before: dict[str, EntryState], after: dict[str, EntryState]) -> list[str]:
    """Human-readable differences between two snapshots; empty when they are equal."""
    changes = [f"removed: {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"added: {p}" for p in sorted(after.keys() - before.keys())]
    for path in sorted(before.keys() & after.keys()):
        old, new = before[path], after[path]
        if old != new:
            fields = [
                f
                for f in ("kind", "mode", "mtime_ns", "size", "digest")
                if getattr(old, f) != getattr(new, f)
            ]
            changes.append(f"changed ({', '.join(fields)}): {path}")
    return changes


def assert_tree_unchanged(root: Path, before: dict[str, EntryState]) -> None:
    changes = tree_changes(before, snapshot_tree(root))
    assert not changes, f"{root} was modified:\n" + "\n".join(changes[:50])
