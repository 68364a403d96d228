"""Looking up physical files in the legacy ``Data/Files`` folder by name.

The folder is listed once, so checking a million rows costs one directory scan. Lookups accept plain
names only: a name from a record that would reach another folder (``../x``, ``a/b``) is never resolved,
so a record cannot make the migration read anything outside the legacy data folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def is_plain_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and not any(c in name for c in ("/", "\\", "\0"))


class LegacyFilesDir:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory if directory is not None and directory.is_dir() else None
        self._names: set[str] = set()
        if self.directory is not None:
            with os.scandir(self.directory) as entries:
                # Symlinks are not files of the profile: following one could read outside the folder.
                self._names = {entry.name for entry in entries if entry.is_file(follow_symlinks=False)}

    @property
    def available(self) -> bool:
        """Whether there is a folder to check against (no legacy root, or no ``Data/Files`` in it: no)."""
        return self.directory is not None

    def find(self, names: Iterable[str]) -> str | None:
        """The first of ``names`` present in the folder."""
        return next((name for name in names if is_plain_name(name) and name in self._names), None)

    def path(self, name: str) -> Path | None:
        """The file's path, for a name ``find`` returned."""
        if self.directory is None or not is_plain_name(name) or name not in self._names:
            return None
        return self.directory / name

    def size(self, name: str) -> int | None:
        if self.directory is None or not is_plain_name(name) or name not in self._names:
            return None
        try:
            return (self.directory / name).stat().st_size
        except OSError:
            return None
