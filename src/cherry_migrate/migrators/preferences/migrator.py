"""PreferencesMigrator: v1 settings (Redux slices, electron-store, Dexie settings) → the ``preference``
table (migrators.md §3.2, target-schema.md §5).

Sources are the tables in ``mappings/``: the simple mappings (a legacy value copied as it is), the
complex mappings (a pure transform per mapping) and the preference schema (shape and default of every
key). ``preference_plan.py`` describes how each value is judged and counted in the ledger.

Decisions that differ from upstream, and why:

* **Every schema key gets a row.** Upstream writes only mapped keys and relies on code defaults for the
  rest; here every key of the schema is written, with its default when no legacy value applies (null
  defaults as SQL NULL). The migrated profile is then complete and self-describing: a reader of the
  database, or a later app version with different code defaults, sees the values the user actually had
  at migration time.
* **More simple mappings than upstream's generated list.** The list follows the schema's own source
  annotations (target-schema.md §5.5), so WebDAV, S3, Nutstore, Notion, Yuque, Joplin, Siyuan,
  Obsidian and notes settings keep their legacy values (upstream's latest list no longer maps them, yet
  the keys still exist; dropping them would silently reset users' backup and integration settings).
  Added too: ``settings.privacyPolicyVersion`` (§5.6) and ``websearch.maxResults`` /
  ``websearch.excludeDomains`` (unchanged meaning and shape). Not added: ``settings.customCss``, whose
  CSS targets the v1 page structure. ``settings.sendMessageShortcut`` is a complex mapping, because its
  type changed; see ``mappings/complex_preferences.py`` for the other differences there.
* **Values are checked** against the key's shape before they are written; a value of the wrong shape
  is skipped (``wrong_type``) and the default written, so v2 never reads a value it cannot use.
* **The avatar** (a ``data:`` URL) is written as its original image bytes, not transcoded to WebP.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.types import (
    ExecuteResult,
    PrepareResult,
    ValidateResult,
    ValidationError,
    ValidationStats,
)
from cherry_migrate.db.bulk import insert_rows, to_json
from cherry_migrate.db.connection import transaction
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.mappings.complex_preferences import COMPLEX_PREFERENCE_MAPPINGS
from cherry_migrate.migrators.mappings.preference_tables import preference_specs, simple_mappings
from cherry_migrate.migrators.preferences.avatar import (
    FILE_ENTRY_COLUMNS,
    AvatarImage,
    avatar_file_entry_row,
    write_avatar,
)
from cherry_migrate.migrators.preferences.plan import PreferencePlan, build_plan, mapping_conflicts

BATCH_SIZE = 100
CRITICAL_KEYS = ("app.language", "ui.theme_mode", "app.zoom_factor")
PREFERENCE_COLUMNS = ("scope", "key", "value", "created_at", "updated_at")
SCOPE = "default"


class PreferencesMigrator(BaseMigrator):
    id = "preferences"
    name = "Preferences"
    description = "Settings from Redux, electron-store and Dexie into the preference table"
    order = 1
    owned_tables = ("preference",)

    def __init__(self) -> None:
        super().__init__()
        self._plan: PreferencePlan | None = None

    def reset(self) -> None:
        super().reset()
        self._plan = None

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        specs = preference_specs()
        conflicts = mapping_conflicts(specs, simple_mappings(), COMPLEX_PREFERENCE_MAPPINGS)
        if conflicts:
            return PrepareResult(
                success=False, item_count=0, error=f"Conflicting preference mappings: {'; '.join(conflicts)}"
            )
        plan = build_plan(ctx.sources, ctx.secrets, specs, simple_mappings(), COMPLEX_PREFERENCE_MAPPINGS)
        self._plan = plan
        for warning in plan.warnings:
            self.logger.warning(warning)
        self.logger.info(
            "Prepared %d preferences: %d mapped, %d defaulted for missing values, %d unmapped",
            len(plan.values),
            len(plan.mapped),
            len(plan.defaulted),
            len(plan.schema_defaults),
        )
        return PrepareResult(success=True, item_count=len(plan.values), warnings=list(plan.warnings))

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        plan = self._plan
        if plan is None:
            return ExecuteResult(success=False, processed_count=0, error="Preferences were not prepared.")
        ctx.cancel.raise_if_cancelled()
        rows = [
            (SCOPE, key, None if value is None else to_json(value), ctx.now_ms, ctx.now_ms)
            for key, value in plan.values.items()
        ]
        avatar_path: Path | None = None
        try:
            with transaction(ctx.db):
                if plan.avatar is not None:
                    avatar_path = write_avatar(plan.avatar, ctx.paths.staging_files_dir)
                    insert_rows(
                        ctx.db,
                        "file_entry",
                        FILE_ENTRY_COLUMNS,
                        [avatar_file_entry_row(plan.avatar, ctx.now_ms)],
                    )
                for start in range(0, len(rows), BATCH_SIZE):
                    ctx.cancel.raise_if_cancelled()
                    insert_rows(ctx.db, "preference", PREFERENCE_COLUMNS, rows[start : start + BATCH_SIZE])
                    done = min(start + BATCH_SIZE, len(rows))
                    self.report_progress(100 * done / len(rows), f"Migrated {done}/{len(rows)} preferences")
        except BaseException as exc:
            if avatar_path is not None:
                avatar_path.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error | OSError):
                return ExecuteResult(
                    success=False, processed_count=0, error=f"Writing preferences failed: {exc}"
                )
            raise
        self._record_outcomes(plan)
        return ExecuteResult(success=True, processed_count=len(rows))

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        plan = self._plan
        if plan is None:
            error = ValidationError("preferences", "Preferences were not prepared.")
            return ValidateResult(success=False, stats=ValidationStats(0, 0, 0), errors=[error])
        present = {key for (key,) in ctx.db.execute("SELECT key FROM preference WHERE scope = ?", (SCOPE,))}
        expected = len(plan.values)
        errors: list[ValidationError] = []
        if len(present) != expected:
            errors.append(
                ValidationError(
                    "preference_count",
                    "Preference rows differ from the prepared count",
                    expected,
                    len(present),
                )
            )
        errors.extend(
            ValidationError(key, f"Critical preference '{key}' not found after migration")
            for key in CRITICAL_KEYS
            if key in plan.values and key not in present
        )
        if plan.avatar is not None:
            errors.extend(_avatar_errors(ctx, plan.avatar))
        stats = ValidationStats(
            source_count=expected + len(plan.without_value),
            target_count=len(present),
            skipped_count=len(plan.without_value),
        )
        diagnostics = {
            "mapped": len(plan.mapped),
            "defaulted": len(plan.defaulted),
            "schema_defaults": len(plan.schema_defaults),
            "skipped_legacy_records": self.ledger.total_skipped,
        }
        return ValidateResult(success=not errors, stats=stats, errors=errors, diagnostics=diagnostics)

    def _record_outcomes(self, plan: PreferencePlan) -> None:
        for outcome in plan.outcomes:
            self.ledger.read(outcome.kind)
            if outcome.skip_reason is None:
                self.ledger.written(outcome.kind)
            else:
                self.ledger.skip(outcome.kind, outcome.skip_reason, outcome.record_id, detail=outcome.detail)


def _avatar_errors(ctx: MigrationContext, avatar: AvatarImage) -> list[ValidationError]:
    errors = []
    if ctx.db.execute("SELECT 1 FROM file_entry WHERE id = ?", (avatar.file_id,)).fetchone() is None:
        errors.append(ValidationError("app.user.avatar", "The avatar's file entry is missing"))
    if not (ctx.paths.staging_files_dir / avatar.file_name).is_file():
        errors.append(ValidationError("app.user.avatar", "The avatar's file was not written"))
    return errors
