"""NoteMigrator: the notes' starred and expanded state (Redux ``note``) → ``note`` rows.

The markdown files stay where they are and remain the source of truth; a row only carries the
long-lived state of one path (migrators.md §3.3). ``root_path`` is the slice's ``notesPath`` (also the
``feature.notes.path`` preference) and ``path`` the entry's absolute path, both with ``/`` separators.

Entries are checked against the notes folder on disk (:func:`local_notes_folder`) when there is one:
an entry must lie inside ``notesPath``, must not lead out of the folder through a symlink, and must
still exist. Without a legacy data folder, or when the profile holds no notes folder, the state is
kept unchecked (nothing is read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.db.transaction import transaction
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.row_checks import count_rows, row_based_result, row_count_error
from cherry_migrate.migrators.note.paths import (
    local_notes_folder,
    normalize_note_path,
    relative_to_root,
    resolve_inside,
)

STARRED_KIND = "redux:note.starredPaths"
EXPANDED_KIND = "redux:note.expandedPaths"
_LISTS = (("starredPaths", STARRED_KIND), ("expandedPaths", EXPANDED_KIND))
_COLUMNS = ("id", "root_path", "path", "is_starred", "is_expanded", "created_at", "updated_at")


@dataclass
class _NoteState:
    starred: bool = False
    expanded: bool = False


@dataclass
class _Checker:
    """Decides, per entry, whether its path may become a row (None) or why not (a reason code)."""

    root: str
    folder: Path | None
    seen: dict[str, set[str]] = field(default_factory=dict)

    def reason_to_skip(self, kind: str, path: str) -> str | None:
        if path in self.seen.setdefault(kind, set()):
            return "duplicate_path"
        self.seen[kind].add(path)
        relative = relative_to_root(path, self.root)
        if relative is None:
            return "outside_notes_folder"
        if self.folder is None:
            return None
        located = resolve_inside(self.folder, relative)
        if located is None:
            return "outside_legacy_folder"
        return None if located.exists() else "note_not_found"


class NoteMigrator(BaseMigrator):
    id = "note"
    name = "Note"
    description = "Migrate the notes' starred and expanded state"
    order = 1.1
    owned_tables = ("note",)

    def __init__(self) -> None:
        super().__init__()
        self._rows_written = 0

    def reset(self) -> None:
        super().reset()
        self._rows_written = 0

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        state = ctx.sources.redux.get_category("note")
        if not isinstance(state, dict):
            return PrepareResult(success=True, item_count=0)
        count = sum(_entry_count(state.get(key)) for key, _ in _LISTS)
        return PrepareResult(success=True, item_count=count)

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        state = ctx.sources.redux.get_category("note")
        warnings: list[str] = []
        if state is None:
            return ExecuteResult(success=True, processed_count=0)
        if not isinstance(state, dict):
            warnings.append(f"The note slice is a {type(state).__name__}, not an object; nothing to migrate.")
            return ExecuteResult(success=True, processed_count=0, warnings=warnings)

        root = normalize_note_path(state.get("notesPath"))
        folder = _notes_folder(ctx, root)
        notes = self._collect(state, root, _Checker(root or "", folder))
        if root is None and self.ledger.total_read:
            warnings.append("The note slice has no notesPath; starred and expanded state was not migrated.")
        if folder is None and notes:
            warnings.append(
                "The notes folder is not part of the legacy data; "
                "note state was kept without checking the files."
            )

        rows = [
            (new_uuid4(), root, path, int(n.starred), int(n.expanded), ctx.now_ms, ctx.now_ms)
            for path, n in notes.items()
        ]
        ctx.cancel.raise_if_cancelled()
        with transaction(ctx.db):
            insert_rows(ctx.db, "note", _COLUMNS, rows)
        self._rows_written = len(rows)
        self.report_progress(100, f"Migrated the state of {len(rows)} notes")
        return ExecuteResult(success=True, processed_count=len(rows), warnings=warnings)

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        target = count_rows(ctx.db, "note")
        error = row_count_error("note", self._rows_written, target)
        return row_based_result(self.ledger, self._rows_written, target, [error] if error else [])

    def _collect(self, state: dict[str, Any], root: str | None, checker: _Checker) -> dict[str, _NoteState]:
        """Every entry of both lists, recorded in the ledger; the paths that become rows, with flags."""
        notes: dict[str, _NoteState] = {}
        for key, kind in _LISTS:
            for index, value in self._entries(state.get(key), kind):
                self.ledger.read(kind)
                path = normalize_note_path(value)
                if path is None:
                    self.ledger.skip(kind, "invalid_path", f"#{index}", detail="not a non-empty string")
                    continue
                if root is None:
                    self.ledger.skip(kind, "notes_path_empty", path, detail="the slice has no notesPath")
                    continue
                reason = checker.reason_to_skip(kind, path)
                if reason is not None:
                    self.ledger.skip(kind, reason, path)
                    continue
                note = notes.setdefault(path, _NoteState())
                if kind == STARRED_KIND:
                    note.starred = True
                else:
                    note.expanded = True
                self.ledger.written(kind)
        return notes

    def _entries(self, value: Any, kind: str) -> list[tuple[int, Any]]:
        """The list's items with their index; a value that is not a list is one unreadable record."""
        if value is None:
            return []
        if isinstance(value, list):
            return list(enumerate(value))
        self.ledger.read(kind)
        self.ledger.skip(kind, "not_a_list", kind, detail=f"expected a list, found {type(value).__name__}")
        return []


def _notes_folder(ctx: MigrationContext, root: str | None) -> Path | None:
    """The profile's notes folder when it exists on disk (entries are then checked against it)."""
    if root is None:
        return None
    folder = local_notes_folder(root, ctx.paths)
    return folder if folder is not None and folder.is_dir() else None


def _entry_count(value: Any) -> int:
    if value is None:
        return 0
    return len(value) if isinstance(value, list) else 1
