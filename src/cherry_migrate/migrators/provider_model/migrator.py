"""ProviderModelMigrator: Redux ``llm.providers[]`` and their models → ``user_provider`` / ``user_model``;
Dexie ``settings['pinned:models']`` → ``pin`` rows; Dexie ``settings['image://provider-<id>']`` logos →
files + ``file_entry`` + ``provider_logo_file_ref`` (migrators.md §3.6).

Provider ids are kept; model ids become ``provider::model``. v2's managed CherryAI provider and its
default model (``cherryai::qwen``) are seeded first, as upstream does; v1's own CherryAI record is
reported as skipped. API keys stay data in ``api_keys``/``auth_config`` but are registered as secrets, so
no log, warning or skip detail can show them.

Publishes ``USER_MODEL_IDS`` and ``USER_PROVIDER_IDS`` (including the seeded CherryAI rows).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.ids import new_uuid4
from cherry_migrate.core.order_keys import order_keys
from cherry_migrate.core.types import (
    ExecuteResult,
    PrepareResult,
    ValidateResult,
    ValidationError,
    ValidationStats,
)
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.db.connection import transaction
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.data_url_images import (
    FILE_ENTRY_COLUMNS,
    decode_image_data_url,
    is_data_url,
    stage_image_file,
)
from cherry_migrate.migrators.common.warning_log import WarningLog
from cherry_migrate.migrators.mappings.pinned_models import PINNED_MODELS_KEY
from cherry_migrate.migrators.mappings.provider_model import (
    CHERRYAI_PROVIDER_ID,
    MODEL_COLUMNS,
    PROVIDER_COLUMNS,
    cherryai_default_model_values,
    cherryai_provider_values,
    model_row,
    provider_row,
)
from cherry_migrate.migrators.provider_model.plan import (
    LOGO_KEY_PREFIX,
    LOGOS_KIND,
    PROVIDERS_KIND,
    ProviderPlan,
    count_models,
    plan_pins,
    plan_providers,
    read_llm,
    register_llm_secrets,
)

PROVIDER_BATCH = 25
"""Providers per write transaction (each with all of its models)."""

PIN_COLUMNS = ("id", "entity_type", "entity_id", "order_key", "created_at", "updated_at")
LOGO_REF_COLUMNS = ("id", "file_entry_id", "source_id", "created_at", "updated_at")
PIN_ENTITY_TYPE = "model"


@dataclass(frozen=True)
class _Expected:
    providers: int
    models: int
    pins: int
    logos: int
    providers_with_keys: frozenset[str]


@dataclass
class _Logos:
    files: list[tuple[object, ...]]
    refs: list[tuple[object, ...]]


def _count(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    (n,) = conn.execute(sql, params).fetchone()
    return int(n)


def _logo_keys(ctx: MigrationContext) -> list[str]:
    keys = ctx.sources.dexie_settings.keys()
    return [key for key in keys if key.startswith(LOGO_KEY_PREFIX)]


class ProviderModelMigrator(BaseMigrator):
    id = "provider_model"
    name = "Providers and models"
    description = "Model providers, their models, pinned models and provider logos"
    order = 1.75
    owned_tables = ("user_provider", "user_model", "provider_logo_file_ref")

    def __init__(self) -> None:
        super().__init__()
        self._expected: _Expected | None = None

    def reset(self) -> None:
        super().reset()
        self._expected = None

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        warnings = WarningLog()
        llm = read_llm(ctx.sources.redux.get_category("llm"), warnings)
        register_llm_secrets(llm, ctx.secrets)
        models = sum(count_models(provider) for provider in llm.providers)
        logos = len(_logo_keys(ctx))
        self.logger.info(
            "Found %d provider(s) with %d model(s) and %d logo(s)", len(llm.providers), models, logos
        )
        return PrepareResult(success=True, item_count=len(llm.providers), warnings=warnings.messages())

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        llm = read_llm(ctx.sources.redux.get_category("llm"), WarningLog())
        register_llm_secrets(llm, ctx.secrets)
        plan = plan_providers(llm, self.ledger)
        ctx.cancel.raise_if_cancelled()

        model_ids = plan.model_ids() | {cherryai_default_model_values().id}
        provider_ids = {p.provider_id for p in plan.providers} | {CHERRYAI_PROVIDER_ID}
        pins = plan_pins(
            ctx.sources.dexie_settings.get(PINNED_MODELS_KEY), model_ids, self.ledger, plan.warnings
        )

        self._write_providers(ctx, plan)
        logos = self._stage_logos(ctx, provider_ids)
        with transaction(ctx.db) as conn:
            insert_rows(conn, "file_entry", FILE_ENTRY_COLUMNS, logos.files)
            insert_rows(conn, "provider_logo_file_ref", LOGO_REF_COLUMNS, logos.refs)
            insert_rows(conn, "pin", PIN_COLUMNS, self._pin_rows(pins, ctx.now_ms))

        ctx.shared_data[shared_keys.USER_MODEL_IDS] = model_ids
        ctx.shared_data[shared_keys.USER_PROVIDER_IDS] = provider_ids
        self._expected = _Expected(
            providers=len(plan.providers),
            models=plan.model_count,
            pins=len(pins),
            logos=len(logos.refs),
            providers_with_keys=frozenset(plan.providers_with_keys),
        )
        warnings = plan.warnings.messages()
        for warning in warnings:
            self.logger.warning(warning)
        self.report_progress(
            100, f"Migrated {len(plan.providers)} providers, {plan.model_count} models and {len(pins)} pins"
        )
        return ExecuteResult(success=True, processed_count=len(plan.providers), warnings=warnings)

    def _write_providers(self, ctx: MigrationContext, plan: ProviderPlan) -> None:
        now = ctx.now_ms
        keys = order_keys(len(plan.providers) + 1)
        seeded_model = cherryai_default_model_values()
        with transaction(ctx.db) as conn:
            seeded_provider = provider_row(cherryai_provider_values(plan.cherryai_enabled), keys[0], now)
            insert_rows(conn, "user_provider", PROVIDER_COLUMNS, [seeded_provider])
            insert_rows(conn, "user_model", MODEL_COLUMNS, [model_row(seeded_model, order_keys(1)[0], now)])
        total = len(plan.providers)
        for start in range(0, total, PROVIDER_BATCH):
            ctx.cancel.raise_if_cancelled()
            batch = plan.providers[start : start + PROVIDER_BATCH]
            with transaction(ctx.db) as conn:
                provider_rows = [
                    provider_row(values, keys[start + offset + 1], now) for offset, values in enumerate(batch)
                ]
                insert_rows(conn, "user_provider", PROVIDER_COLUMNS, provider_rows)
                for values in batch:
                    models = plan.models[values.provider_id]
                    model_keys = order_keys(len(models))
                    model_rows = [
                        model_row(model, key, now) for model, key in zip(models, model_keys, strict=True)
                    ]
                    insert_rows(conn, "user_model", MODEL_COLUMNS, model_rows)
            done = start + len(batch)
            self.report_progress(90 * done / total, f"Migrated {done} of {total} providers")

    def _stage_logos(self, ctx: MigrationContext, provider_ids: set[str]) -> _Logos:
        """Decode each ``image://provider-<id>`` data URL into a staged file; skip what cannot be used.

        Skip reasons: ``unknown_provider`` (provider not migrated), ``not_data_url`` (a path or URL
        left by an old build, nothing to keep), ``invalid_image`` (not a decodable image).
        """
        settings = ctx.sources.dexie_settings
        logos = _Logos([], [])
        for key in _logo_keys(ctx):
            self.ledger.read(LOGOS_KIND)
            provider_id = key[len(LOGO_KEY_PREFIX) :]
            value: Any = settings.get(key)
            if provider_id not in provider_ids:
                self.ledger.skip(
                    LOGOS_KIND, "unknown_provider", provider_id, detail="logo of a provider not migrated"
                )
                continue
            if not is_data_url(value):
                self.ledger.skip(
                    LOGOS_KIND, "not_data_url", provider_id, detail="logo is not an inline image"
                )
                continue
            image = decode_image_data_url(value)
            if image is None:
                self.ledger.skip(
                    LOGOS_KIND, "invalid_image", provider_id, detail="not a decodable image data URL"
                )
                continue
            name = "provider-logo-" + provider_id.replace("/", "_").replace("\\", "_")
            entry = stage_image_file(ctx.paths.staging_files_dir, image, name, ctx.now_ms)
            logos.files.append(tuple(entry[column] for column in FILE_ENTRY_COLUMNS))
            logos.refs.append((new_uuid4(), entry["id"], provider_id, ctx.now_ms, ctx.now_ms))
            self.ledger.written(LOGOS_KIND)
        return logos

    def _pin_rows(self, pins: list[str], now_ms: int) -> list[tuple[object, ...]]:
        return [
            (new_uuid4(), PIN_ENTITY_TYPE, model_id, key, now_ms, now_ms)
            for model_id, key in zip(pins, order_keys(len(pins)), strict=True)
        ]

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        expected = self._expected or _Expected(0, 0, 0, 0, frozenset())
        db = ctx.db
        # The seeded CherryAI provider and model are not legacy records.
        actual = {
            "user_provider": _count(
                db, "SELECT count(*) FROM user_provider WHERE provider_id != ?", CHERRYAI_PROVIDER_ID
            ),
            "user_model": _count(
                db, "SELECT count(*) FROM user_model WHERE provider_id != ?", CHERRYAI_PROVIDER_ID
            ),
            "pin": _count(db, "SELECT count(*) FROM pin WHERE entity_type = ?", PIN_ENTITY_TYPE),
            "provider_logo_file_ref": _count(db, "SELECT count(*) FROM provider_logo_file_ref"),
        }
        wanted = {
            "user_provider": expected.providers,
            "user_model": expected.models,
            "pin": expected.pins,
            "provider_logo_file_ref": expected.logos,
        }
        errors = [
            ValidationError(
                f"{table}_count_mismatch",
                f"expected {wanted[table]} {table} rows, found {n}",
                wanted[table],
                n,
            )
            for table, n in actual.items()
            if n != wanted[table]
        ]
        keyless = {
            row[0]
            for row in db.execute(
                "SELECT provider_id FROM user_provider WHERE api_keys IS NULL OR api_keys = '[]'"
            )
        }
        lost_keys = sorted(keyless & expected.providers_with_keys)
        if lost_keys:
            errors.append(
                ValidationError(
                    "missing_api_keys", f"providers lost their API keys: {', '.join(lost_keys[:5])}"
                )
            )
        kind = self.ledger.kinds.get(PROVIDERS_KIND)
        source = kind.read if kind else 0
        skipped = kind.skipped_total if kind else 0
        return ValidateResult(
            success=not errors,
            stats=ValidationStats(
                source_count=source,
                target_count=actual["user_provider"],
                skipped_count=skipped,
                mismatch_reason=None if not errors else "; ".join(e.message for e in errors),
            ),
            errors=errors,
            diagnostics={
                "models": actual["user_model"],
                "pins": actual["pin"],
                "logos": actual["provider_logo_file_ref"],
            },
        )
