"""MiniAppMigrator: Redux ``minapps`` + ``custom-minapps.json`` → ``mini_app`` (+ logo files).

Which records become rows is decided by :class:`MiniAppPlanner`; this module assigns order keys, turns
inline ``data:`` logos into staged files with a ``file_entry`` and a ``mini_app_logo_file_ref`` row,
and writes everything in one transaction (file entries, then apps, then logo refs).
"""

from __future__ import annotations

from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.order_keys import order_keys_by_scope
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult, ValidationError
from cherry_migrate.db.bulk import insert_rows, to_json
from cherry_migrate.db.transaction import transaction
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.data_url_images import (
    FILE_ENTRY_COLUMNS,
    decode_image_data_url,
    is_data_url,
    stage_image_file,
)
from cherry_migrate.migrators.common.row_checks import count_rows, row_based_result, row_count_error
from cherry_migrate.migrators.mappings.mini_app import STATUS_PRIORITY, order_scope
from cherry_migrate.migrators.mini_app.sources import MiniAppPlanner, PlannedApp, read_custom_apps

_APP_COLUMNS = (
    "app_id",
    "preset_mini_app_id",
    "kind",
    "name",
    "url",
    "logo_key",
    "status",
    "order_key",
    "bordered",
    "background",
    "supported_regions",
    "configuration",
    "name_key",
    "created_at",
    "updated_at",
)
_REF_COLUMNS = ("id", "file_entry_id", "source_id", "created_at", "updated_at")


class MiniAppMigrator(BaseMigrator):
    id = "miniapp"
    name = "MiniApp"
    description = "Migrate mini-apps from Redux and custom-minapps.json"
    order = 1.2
    owned_tables = ("mini_app", "mini_app_logo_file_ref")

    def __init__(self) -> None:
        super().__init__()
        self._apps_written = 0
        self._logos_written = 0

    def reset(self) -> None:
        super().reset()
        self._apps_written = 0
        self._logos_written = 0

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        state = ctx.sources.redux.get_category("minapps")
        if not isinstance(state, dict):
            return PrepareResult(success=True, item_count=0)
        count = sum(len(v) for v in (state.get(s) for s in STATUS_PRIORITY) if isinstance(v, list))
        return PrepareResult(success=True, item_count=count)

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        custom_apps = read_custom_apps(ctx.paths.legacy_files_dir, self.ledger)
        warnings = list(custom_apps.warnings)
        state = ctx.sources.redux.get_category("minapps")
        if state is not None and not isinstance(state, dict):
            warnings.append(f"The minapps slice is a {type(state).__name__}, not an object; it was ignored.")
        planner = MiniAppPlanner(self.ledger, custom_apps)
        planned = planner.plan(state if isinstance(state, dict) else {})
        warnings += [
            f"Custom mini-app id {old!r} was renamed to {new!r}" for old, new in planner.remapped.items()
        ]

        keys = order_keys_by_scope(planned, lambda app: order_scope(app.status))
        app_rows: list[tuple[Any, ...]] = []
        file_rows: list[tuple[Any, ...]] = []
        ref_rows: list[tuple[Any, ...]] = []
        for app, key in zip(planned, keys, strict=True):
            ctx.cancel.raise_if_cancelled()
            logo_key = self._logo_key(ctx, app, file_rows, ref_rows, warnings)
            app_rows.append(self._app_row(ctx, app, key, logo_key))

        with transaction(ctx.db):
            insert_rows(ctx.db, "file_entry", FILE_ENTRY_COLUMNS, file_rows)
            insert_rows(ctx.db, "mini_app", _APP_COLUMNS, app_rows)
            insert_rows(ctx.db, "mini_app_logo_file_ref", _REF_COLUMNS, ref_rows)
        self._apps_written = len(app_rows)
        self._logos_written = len(ref_rows)
        self.report_progress(100, f"Migrated {len(app_rows)} mini-apps")
        return ExecuteResult(success=True, processed_count=len(app_rows), warnings=warnings)

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        target = count_rows(ctx.db, "mini_app")
        checks = (
            row_count_error("mini_app", self._apps_written, target),
            row_count_error(
                "mini_app_logo_file_ref", self._logos_written, count_rows(ctx.db, "mini_app_logo_file_ref")
            ),
        )
        errors = [error for error in checks if error]
        (empty,) = ctx.db.execute(
            "SELECT count(*) FROM mini_app WHERE app_id = '' OR name = '' OR url = ''"
        ).fetchone()
        if empty:
            errors.append(
                ValidationError("mini_app_empty_fields", f"{empty} mini-apps have an empty id, name or url")
            )
        return row_based_result(self.ledger, self._apps_written, target, errors)

    def _logo_key(
        self,
        ctx: MigrationContext,
        app: PlannedApp,
        file_rows: list[tuple[Any, ...]],
        ref_rows: list[tuple[Any, ...]],
        warnings: list[str],
    ) -> str | None:
        """URLs and icon keys stay on ``logo_key``; an inline image becomes a file with a logo ref."""
        logo = app.fields.logo
        if logo is None or not is_data_url(logo):
            return logo
        image = decode_image_data_url(logo)
        if image is None:
            warnings.append(f"The logo of mini-app {app.app_id!r} is not a readable image and was dropped.")
            return None
        entry = stage_image_file(ctx.paths.staging_files_dir, image, "logo", ctx.now_ms)
        file_rows.append(tuple(entry[column] for column in FILE_ENTRY_COLUMNS))
        ref_rows.append((new_uuid4(), entry["id"], app.app_id, ctx.now_ms, ctx.now_ms))
        return None

    @staticmethod
    def _app_row(
        ctx: MigrationContext, app: PlannedApp, order_key: str, logo_key: str | None
    ) -> tuple[Any, ...]:
        fields = app.fields
        created_at = fields.created_at or ctx.now_ms
        return (
            app.app_id,
            fields.preset_mini_app_id,
            "site",
            fields.name,
            fields.url,
            logo_key,
            app.status,
            order_key,
            int(fields.bordered),
            fields.background,
            None if fields.supported_regions is None else to_json(fields.supported_regions),
            None,
            fields.name_key,
            created_at,
            created_at,
        )
