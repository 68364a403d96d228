"""FileMigrator: Dexie ``files`` → ``file_entry`` (migrators.md §3.10), streamed in batches.

v1 ids are kept verbatim, so message blocks, paintings and knowledge items need no translation. Every
row becomes an ``internal`` entry; v1 had no external files. v2 keeps files as ``{id}.{ext}``, which is
v1's own ``{id}{ext}`` storage name, in the ``Files`` folder beside its database. When the target is the
profile's own ``Data/cherrystudio.sqlite`` that folder is v1's ``Data/Files`` and nothing moves; otherwise
each present file is copied (never moved or linked: the legacy data must stay untouched) into the run's
staging folder, which the engine moves beside the target only when the run completes.

Which rows are internal (§3.10): a row whose file is present in the legacy ``Data/Files`` folder, or
whose recorded path lies in this profile's ``Data/Files`` folder. The profile's folder may be spelled
differently in the records than on this machine (an export folder, a restore from another OS), so its
recorded spellings are learned from the rows whose files are present. A row in this folder whose file
is gone is kept, with a warning (the user deleted the file outside the app); a row that is neither is
dead metadata and is skipped as ``orphan_file``. Without a legacy ``Data/Files`` folder nothing can be
checked: rows recorded under any ``…/Data/Files`` folder are kept, with one warning.

Skip reasons (kind ``dexie:files``): ``invalid_row``, ``missing_id``, ``missing_path``, ``missing_name``,
``invalid_ext``, ``duplicate_id``, ``orphan_file``, ``invalid_size`` (no usable size and no file to
measure).

Publishes ``FILE_ENTRY_IDS``: every ``file_entry`` id in the target after this migrator, including
entries earlier migrators created.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.timestamps import to_epoch_ms
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult, ValidationError
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.db.connection import transaction
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.coerce import nonblank_str, opt_number
from cherry_migrate.migrators.common.legacy_files import LegacyFilesDir
from cherry_migrate.migrators.common.row_checks import count_rows, row_based_result, row_count_error
from cherry_migrate.migrators.common.warning_log import WarningLog
from cherry_migrate.migrators.mappings.file_entry import (
    FILE_ENTRY_COLUMNS,
    InvalidExtError,
    display_name,
    is_files_dir,
    normalize_dir,
    normalize_ext,
    recorded_dir,
    storage_names,
)

FILES_TABLE = "files"
FILES_KIND = "dexie:files"
BATCH_SIZE = 500


@dataclass
class _RowMapper:
    """Turns legacy rows into ``file_entry`` rows, recording skips in the ledger."""

    migrator: FileMigrator
    files: LegacyFilesDir
    profile_dirs: set[str]
    now_ms: int
    seen: set[str]
    warnings: WarningLog = field(default_factory=WarningLog)
    index: int = 0
    present: list[str] = field(default_factory=list)
    """Storage names of the current batch's files that exist in the legacy folder."""

    def _skip(self, reason: str, record_id: str, detail: str | None = None) -> None:
        self.migrator.ledger.skip(FILES_KIND, reason, record_id, detail=detail)

    def _is_internal(self, path: str, physical: str | None) -> bool:
        if physical is not None:
            return True
        directory = recorded_dir(path)
        return directory in self.profile_dirs if self.files.available else is_files_dir(directory)

    def map(self, record: Any) -> tuple[object, ...] | None:
        self.index += 1
        self.migrator.ledger.read(FILES_KIND)
        label = f"#{self.index - 1}"
        if not isinstance(record, dict):
            self._skip("invalid_row", label, "file record is not an object")
            return None
        file_id = nonblank_str(record.get("id"))
        if file_id is None:
            self._skip("missing_id", label)
            return None
        path = nonblank_str(record.get("path"))
        if path is None:
            self._skip("missing_path", file_id)
            return None
        if nonblank_str(record.get("name")) is None:
            self._skip("missing_name", file_id)
            return None
        try:
            ext = normalize_ext(record.get("ext"))
        except InvalidExtError:
            self._skip("invalid_ext", file_id, "extension is not a single path suffix")
            return None
        if file_id in self.seen:
            self._skip("duplicate_id", file_id, "an entry with this id already exists")
            return None
        physical = self.files.find(storage_names(record, file_id, ext))
        if not self._is_internal(path, physical):
            self._skip(
                "orphan_file", file_id, "no physical file and not recorded in this profile's Data/Files"
            )
            return None
        size = self._size(record, file_id, physical)
        if size is None:
            return None
        if physical is None and self.files.available:
            self.warnings.add("File entry kept although its file is missing from Data/Files", file_id)
        name, degraded = display_name(record, file_id)
        if degraded:
            self.warnings.add("File name unusable as a name; a cleaned-up name or the id is used", file_id)
        created = self._created_at(record, file_id)
        if physical is not None:
            self.present.append(physical)
        self.seen.add(file_id)
        self.migrator.ledger.written(FILES_KIND)
        return (file_id, "internal", name, ext, size, created, created)

    def _size(self, record: dict[str, Any], file_id: str, physical: str | None) -> int | None:
        size = opt_number(record.get("size"))
        if size is not None and size >= 0:
            return int(size)
        measured = self.files.size(physical) if physical is not None else None
        if measured is None:
            self._skip("invalid_size", file_id, "size is not a number and there is no file to measure")
            return None
        self.warnings.add("File size unreadable in the record; measured from the file", file_id)
        return measured

    def _created_at(self, record: dict[str, Any], file_id: str) -> int:
        raw = record.get("created_at")
        if raw is None or raw == "":
            return self.now_ms
        created = to_epoch_ms(raw)
        if created is None:
            self.warnings.add("File creation time unreadable; the migration time is used", file_id)
            return self.now_ms
        return created


def _needs_copy(ctx: MigrationContext) -> bool:
    """Whether the target's ``Files`` folder is another folder than the legacy ``Data/Files``."""
    legacy = ctx.paths.legacy_files_dir
    if legacy is None or not legacy.is_dir():
        return False
    return ctx.paths.target_files_dir.resolve() != legacy.resolve()


def _stage_copies(files: LegacyFilesDir, names: list[str], staging: Path) -> int:
    """Copy the named legacy files into the staging folder; returns how many were copied."""
    if not names:
        return 0
    staging.mkdir(parents=True, exist_ok=True)
    copied = 0
    for name in names:
        source = files.path(name)
        if source is not None:
            shutil.copyfile(source, staging / name)
            copied += 1
    return copied


class FileMigrator(BaseMigrator):
    id = "file"
    name = "Files"
    description = "File metadata from the Dexie files table"
    order = 2.7

    def __init__(self) -> None:
        super().__init__()
        self._written = 0
        self._existing = 0
        self._copied = 0

    def reset(self) -> None:
        super().reset()
        self._written = 0
        self._existing = 0
        self._copied = 0

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        dexie = ctx.sources.dexie
        if not dexie.table_exists(FILES_TABLE):
            return PrepareResult(
                success=True, item_count=0, warnings=["No Dexie 'files' table; no files migrated"]
            )
        return PrepareResult(success=True, item_count=dexie.count(FILES_TABLE))

    def _profile_dirs(self, ctx: MigrationContext, files: LegacyFilesDir) -> set[str]:
        """How this profile's ``Data/Files`` folder is spelled in its records: the folder itself, plus
        every recorded ``…/Data/Files`` folder of a row whose file is present here."""
        if files.directory is None:
            return set()
        dirs = {normalize_dir(str(files.directory))}
        for batch in ctx.sources.dexie.iter_batches(FILES_TABLE, BATCH_SIZE):
            for record in batch:
                if not isinstance(record, dict):
                    continue
                file_id, path = nonblank_str(record.get("id")), nonblank_str(record.get("path"))
                if file_id is None or path is None or not is_files_dir(recorded_dir(path)):
                    continue
                try:
                    ext = normalize_ext(record.get("ext"))
                except InvalidExtError:
                    continue
                if files.find(storage_names(record, file_id, ext)) is not None:
                    dirs.add(recorded_dir(path))
            ctx.cancel.raise_if_cancelled()
        return dirs

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        self._existing = count_rows(ctx.db, "file_entry")
        dexie = ctx.sources.dexie
        if not dexie.table_exists(FILES_TABLE):
            ctx.shared_data[shared_keys.FILE_ENTRY_IDS] = self._entry_ids(ctx)
            return ExecuteResult(success=True, processed_count=0)
        files = LegacyFilesDir(ctx.paths.legacy_files_dir)
        mapper = _RowMapper(
            migrator=self,
            files=files,
            profile_dirs=self._profile_dirs(ctx, files),
            now_ms=ctx.now_ms,
            seen=self._entry_ids(ctx),
        )
        if not files.available:
            mapper.warnings.add("No legacy Data/Files folder: physical files were not checked")
        total = dexie.count(FILES_TABLE)
        done = 0
        copy_files = _needs_copy(ctx)
        for batch in dexie.iter_batches(FILES_TABLE, BATCH_SIZE):
            ctx.cancel.raise_if_cancelled()
            rows = [row for row in map(mapper.map, batch) if row is not None]
            with transaction(ctx.db) as conn:
                self._written += insert_rows(conn, "file_entry", FILE_ENTRY_COLUMNS, rows)
            if copy_files:
                self._copied += _stage_copies(files, mapper.present, ctx.paths.staging_files_dir)
            mapper.present.clear()
            done += len(batch)
            self.report_progress(100 * done / max(total, 1), f"Read {done} of {total} file records")

        ctx.shared_data[shared_keys.FILE_ENTRY_IDS] = self._entry_ids(ctx)
        if self._copied:
            self.logger.info("Copied %d file(s) for the target's Files folder", self._copied)
        warnings = mapper.warnings.messages()
        for warning in warnings:
            self.logger.warning(warning)
        return ExecuteResult(success=True, processed_count=self._written, warnings=warnings)

    @staticmethod
    def _entry_ids(ctx: MigrationContext) -> set[str]:
        return {row[0] for row in ctx.db.execute("SELECT id FROM file_entry")}

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        target = count_rows(ctx.db, "file_entry") - self._existing
        errors: list[ValidationError] = []
        mismatch = row_count_error("file_entry", self._written, target)
        if mismatch is not None:
            errors.append(mismatch)
        return row_based_result(self.ledger, self._written, target, errors)
