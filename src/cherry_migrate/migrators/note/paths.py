"""Paths of the v1 notes feature: normalising the strings Redux holds, telling whether one lies inside
the notes folder, and finding the folder on this disk without ever following a path a record names out
of the legacy data folder.

v1 stores absolute paths as the OS wrote them (``C:\\Users\\…\\Notes\\a.md`` or
``/Users/…/Notes/a.md``). Containment is decided lexically (``.`` and ``..`` resolved, Windows paths
compared case-insensitively), so a path from another machine can be judged without touching the disk.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from cherry_migrate.core.paths import MigrationPaths

_WINDOWS_ROOT = re.compile(r"^(?:[A-Za-z]:/|//)")


def normalize_note_path(value: object) -> str | None:
    """Trimmed, with ``/`` separators; None for anything that is not a non-blank string."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\\", "/")
    return text or None


def relative_to_root(path: str, root: str) -> str | None:
    """``path`` below ``root`` as ``a/b.md`` (``''`` for the root itself), or None when outside it."""
    path_parts = _segments(path)
    root_parts = _segments(root)
    if len(path_parts) < len(root_parts):
        return None
    fold = bool(_WINDOWS_ROOT.match(root)) or bool(_WINDOWS_ROOT.match(path))
    for mine, theirs in zip(path_parts, root_parts, strict=False):
        if (mine.casefold() != theirs.casefold()) if fold else (mine != theirs):
            return None
    return "/".join(path_parts[len(root_parts) :])


def _segments(path: str) -> list[str]:
    normalized = posixpath.normpath(path)
    head = "/" if normalized.startswith("/") else ""
    return [head, *[part for part in normalized.split("/") if part]]


def local_notes_folder(notes_path: str, paths: MigrationPaths) -> Path | None:
    """Where this profile's notes are on disk: the slice's ``notesPath`` when it lies inside the legacy
    data folder, else the profile's default ``Data/Notes`` (the profile was moved or exported). None
    when the run has no legacy data folder."""
    legacy_root = paths.legacy_root
    if legacy_root is None:
        return None
    candidate = Path(notes_path)
    if candidate.is_absolute() and _lexically_inside(candidate, legacy_root):
        return candidate
    return paths.legacy_notes_dir


def _lexically_inside(path: Path, folder: Path) -> bool:
    target = Path(os.path.normpath(path))
    return any(
        target.is_relative_to(base) for base in (Path(os.path.normpath(folder.absolute())), folder.resolve())
    )


def resolve_inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` with symlinks resolved, or None when that leads out of ``folder``."""
    base = folder.resolve()
    resolved = (base / relative).resolve()
    return resolved if resolved.is_relative_to(base) else None
