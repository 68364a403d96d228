"""A ZIP backup of the legacy data folder, with byte progress (upstream's backup step, §4.2).

The archive holds the folder under its own name plus ``cherry-migrate-backup.json`` (what was saved,
when, by which tool). It is written to ``<name>.partial`` and renamed when complete, so a cancelled or
failed backup leaves no file that looks finished. Nothing is ever written inside the legacy folder:
a destination there is refused. Symbolic links are not followed (a link loop or a link to a huge
folder must not end up in the archive); they are counted as skipped.
"""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import orjson

from cherry_migrate import __version__
from cherry_migrate.core.cancel import CancelToken
from cherry_migrate.core.errors import MigrationCancelledError

CHUNK = 1024 * 1024
METADATA_NAME = "cherry-migrate-backup.json"


class BackupError(Exception):
    """The backup cannot be made where asked, or writing it failed; the message is for the user."""


@dataclass(frozen=True)
class BackupProgress:
    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int

    @property
    def percent(self) -> int:
        if self.bytes_total <= 0:
            return 100 if self.files_done >= self.files_total else 0
        return min(100, int(self.bytes_done * 100 / self.bytes_total))


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    bytes: int
    skipped_links: int


def default_backup_path(directory: Path, today: date | None = None) -> Path:
    """``cherry-studio-migration-backup-YYYY-MM-DD.zip`` in ``directory``; a counter is added rather
    than replacing an earlier backup."""
    stem = f"cherry-studio-migration-backup-{(today or date.today()).isoformat()}"
    candidate = directory / f"{stem}.zip"
    counter = 2
    while candidate.exists():
        candidate = directory / f"{stem}-{counter}.zip"
        counter += 1
    return candidate


def check_destination(destination: Path, legacy_root: Path) -> Path:
    """The absolute ``.zip`` path to write; refuses the legacy folder, missing folders and directories."""
    path = destination.expanduser()
    if not path.is_absolute():
        raise BackupError("Give the backup's full path (for example /home/me/backup.zip).")
    if path.suffix.lower() != ".zip":
        path = path.with_name(path.name + ".zip")
    resolved = path.parent.resolve() / path.name
    root = legacy_root.resolve()
    if resolved == root or resolved.is_relative_to(root):
        raise BackupError("The backup cannot be saved inside the legacy data folder; choose another folder.")
    if not resolved.parent.is_dir():
        raise BackupError(f"The folder {resolved.parent} does not exist.")
    if resolved.is_dir():
        raise BackupError(f"{resolved} is a folder; give a file name ending in .zip.")
    return resolved


def _plan(root: Path) -> tuple[list[tuple[Path, str, int]], int]:
    """Regular files under ``root`` as (path, name in the archive, size), sorted; plus skipped links."""
    files: list[tuple[Path, str, int]] = []
    skipped = 0
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(directory)
        kept = []
        for name in sorted(dirnames):
            if (base / name).is_symlink():
                skipped += 1
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = base / name
            if path.is_symlink() or not path.is_file():
                skipped += 1
                continue
            arcname = (Path(root.name) / path.relative_to(root)).as_posix()
            files.append((path, arcname, path.stat().st_size))
    return files, skipped


def write_backup(
    legacy_root: Path,
    destination: Path,
    *,
    source_description: str,
    cancel: CancelToken | None = None,
    on_progress: Callable[[BackupProgress], None] | None = None,
) -> BackupResult:
    """Archive ``legacy_root`` into ``destination`` (already checked with ``check_destination``).

    Raises ``MigrationCancelledError`` when cancelled and ``BackupError`` when writing fails; in both
    cases no partial file is left behind.
    """
    cancel = cancel or CancelToken()
    files, skipped = _plan(legacy_root)
    total = sum(size for _, _, size in files)
    partial = destination.with_name(destination.name + ".partial")
    done = 0
    report = on_progress or (lambda progress: None)
    report(BackupProgress(0, total, 0, len(files)))
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for index, (path, arcname, size) in enumerate(files):
                cancel.raise_if_cancelled()
                info = zipfile.ZipInfo.from_file(path, arcname)
                info.compress_type = zipfile.ZIP_DEFLATED
                with path.open("rb") as source, archive.open(info, "w", force_zip64=size > 2**31) as sink:
                    while chunk := source.read(CHUNK):
                        cancel.raise_if_cancelled()
                        sink.write(chunk)
                        done += len(chunk)
                        report(BackupProgress(done, total, index, len(files)))
                report(BackupProgress(done, total, index + 1, len(files)))
            metadata = {
                "tool": {"name": "cherry-migrate", "version": __version__},
                "createdAt": datetime.now().astimezone().isoformat(timespec="seconds"),
                "source": source_description,
                "folder": legacy_root.name,
                "files": len(files),
                "bytes": total,
                "skippedLinks": skipped,
            }
            archive.writestr(METADATA_NAME, orjson.dumps(metadata, option=orjson.OPT_INDENT_2))
        cancel.raise_if_cancelled()
        os.replace(partial, destination)
    except MigrationCancelledError:
        partial.unlink(missing_ok=True)
        raise
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Writing the backup failed: {exc.strerror or exc}") from exc
    return BackupResult(destination, len(files), total, skipped)


class ThrottledProgress:
    """Passes on at most one update per ``interval`` seconds, and always the final one."""

    def __init__(self, sink: Callable[[BackupProgress], None], interval: float = 0.1) -> None:
        self._sink = sink
        self._interval = interval
        self._last = float("-inf")

    def __call__(self, progress: BackupProgress) -> None:
        now = time.monotonic()
        final = progress.files_done >= progress.files_total and progress.bytes_done >= progress.bytes_total
        if final or now - self._last >= self._interval:
            self._last = now
            self._sink(progress)
