"""TranslateMigrator: Dexie ``translate_languages`` and ``translate_history`` → ``translate_language``,
``translate_history`` (migrators.md §3.15).

Custom languages are written first, then the built-in ones are seeded (a custom row wins on a shared
code), then the history is streamed in batches. A history row's language code that names no
``translate_language`` row becomes NULL (the column is a foreign key), as upstream does.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.timestamps import to_epoch_ms
from cherry_migrate.core.types import ExecuteResult, PrepareResult, ValidateResult
from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.db.transaction import transaction
from cherry_migrate.migrators.base import BaseMigrator
from cherry_migrate.migrators.common.row_checks import count_rows, row_based_result, row_count_error
from cherry_migrate.migrators.mappings.translate_languages import BUILTIN_TRANSLATE_LANGUAGES

LANGUAGES_TABLE = "translate_languages"
HISTORY_TABLE = "translate_history"
LANGUAGES_KIND = f"dexie:{LANGUAGES_TABLE}"
HISTORY_KIND = f"dexie:{HISTORY_TABLE}"
BATCH_SIZE = 1000
_LANGUAGE_COLUMNS = ("lang_code", "value", "emoji", "created_at", "updated_at")
_HISTORY_COLUMNS = (
    "id",
    "source_text",
    "target_text",
    "source_language",
    "target_language",
    "star",
    "created_at",
    "updated_at",
)


class TranslateMigrator(BaseMigrator):
    id = "translate"
    name = "Translate"
    description = "Migrate translate history and custom languages"
    order = 5
    owned_tables = ("translate_language", "translate_history")

    def __init__(self) -> None:
        super().__init__()
        self._languages_written = 0
        self._languages_seeded = 0
        self._history_written = 0

    def reset(self) -> None:
        super().reset()
        self._languages_written = 0
        self._languages_seeded = 0
        self._history_written = 0

    def prepare(self, ctx: MigrationContext) -> PrepareResult:
        dexie = ctx.sources.dexie
        count = sum(
            dexie.count(table) for table in (LANGUAGES_TABLE, HISTORY_TABLE) if dexie.table_exists(table)
        )
        return PrepareResult(success=True, item_count=count)

    def execute(self, ctx: MigrationContext) -> ExecuteResult:
        language_rows = self._language_rows(ctx)
        custom_codes = {row[0] for row in language_rows}
        seeded = [
            (code, value, emoji, ctx.now_ms, ctx.now_ms)
            for code, value, emoji in BUILTIN_TRANSLATE_LANGUAGES
            if code not in custom_codes
        ]
        with transaction(ctx.db):
            insert_rows(ctx.db, "translate_language", _LANGUAGE_COLUMNS, language_rows + seeded)
        self._languages_written = len(language_rows)
        self._languages_seeded = len(seeded)
        self.report_progress(5, f"Migrated {len(language_rows)} custom translate languages")

        known_codes = custom_codes | {row[0] for row in seeded}
        warnings = self._migrate_history(ctx, known_codes)
        return ExecuteResult(
            success=True, processed_count=self._languages_written + self._history_written, warnings=warnings
        )

    def validate(self, ctx: MigrationContext) -> ValidateResult:
        languages = count_rows(ctx.db, "translate_language")
        history = count_rows(ctx.db, "translate_history")
        checks = (
            row_count_error(
                "translate_language", self._languages_written + self._languages_seeded, languages
            ),
            row_count_error("translate_history", self._history_written, history),
        )
        expected = self._languages_written + self._history_written
        target = languages - self._languages_seeded + history
        return row_based_result(self.ledger, expected, target, [error for error in checks if error])

    def _language_rows(self, ctx: MigrationContext) -> list[tuple[Any, ...]]:
        if not ctx.sources.dexie.table_exists(LANGUAGES_TABLE):
            return []
        rows: list[tuple[Any, ...]] = []
        codes: set[str] = set()
        for index, record in enumerate(ctx.sources.dexie.read_table(LANGUAGES_TABLE)):
            self.ledger.read(LANGUAGES_KIND)
            code, value, emoji = (
                _text(record.get(key)) if isinstance(record, dict) else None
                for key in ("langCode", "value", "emoji")
            )
            label = code or _label(record, index)
            if code is None or value is None or emoji is None:
                self.ledger.skip(
                    LANGUAGES_KIND, "invalid_language", label, detail="langCode, value and emoji are required"
                )
            elif code in codes:
                self.ledger.skip(LANGUAGES_KIND, "duplicate_lang_code", label)
            else:
                codes.add(code)
                rows.append((code, value, emoji, ctx.now_ms, ctx.now_ms))
                self.ledger.written(LANGUAGES_KIND)
        return rows

    def _migrate_history(self, ctx: MigrationContext, known_codes: set[str]) -> list[str]:
        dexie = ctx.sources.dexie
        if not dexie.table_exists(HISTORY_TABLE):
            return []
        total = max(dexie.count(HISTORY_TABLE), 1)
        converter = _HistoryConverter(self.ledger, known_codes, ctx.now_ms)
        with transaction(ctx.db):
            for batch in dexie.iter_batches(HISTORY_TABLE, BATCH_SIZE):
                ctx.cancel.raise_if_cancelled()
                rows = [row for record in batch if (row := converter.row(record)) is not None]
                self._history_written += insert_rows(ctx.db, "translate_history", _HISTORY_COLUMNS, rows)
                done = min(converter.index, total)
                self.report_progress(5 + 95 * done / total, f"Migrated {done}/{total} translations")
        return converter.warnings()


class _HistoryConverter:
    """One v1 history record → a ``translate_history`` row, recording every skip in the ledger."""

    def __init__(self, ledger: Ledger, known_codes: set[str], now_ms: int) -> None:
        self.ledger = ledger
        self.known_codes = known_codes
        self.now_ms = now_ms
        self.index = 0
        self.seen: set[str] = set()
        self.unknown_codes: Counter[str] = Counter()
        self.undated = 0

    def row(self, record: Any) -> tuple[Any, ...] | None:
        index = self.index
        self.index += 1
        self.ledger.read(HISTORY_KIND)
        if not isinstance(record, dict):
            self.ledger.skip(HISTORY_KIND, "invalid_record", f"#{index}")
            return None
        record_id = _text(record.get("id"))
        source, target = record.get("sourceText"), record.get("targetText")
        if record_id is None:
            self.ledger.skip(HISTORY_KIND, "missing_id", f"#{index}")
            return None
        if not (isinstance(source, str) and source and isinstance(target, str) and target):
            self.ledger.skip(
                HISTORY_KIND, "missing_text", record_id, detail="sourceText and targetText are required"
            )
            return None
        if record_id in self.seen:
            self.ledger.skip(HISTORY_KIND, "duplicate_id", record_id)
            return None
        self.seen.add(record_id)
        self.ledger.written(HISTORY_KIND)
        created_at = to_epoch_ms(record.get("createdAt"))
        if created_at is None:
            self.undated += 1
            created_at = self.now_ms
        return (
            record_id,
            source,
            target,
            self._language(record.get("sourceLanguage")),
            self._language(record.get("targetLanguage")),
            int(record.get("star") is True),
            created_at,
            created_at,
        )

    def _language(self, value: Any) -> str | None:
        code = _text(value)
        if code is None or code in self.known_codes:
            return code
        self.unknown_codes[code] += 1
        return None

    def warnings(self) -> list[str]:
        warnings = []
        if self.undated:
            warnings.append(
                f"{self.undated} translations had no readable date; they are dated at the migration time."
            )
        if self.unknown_codes:
            codes = ", ".join(sorted(self.unknown_codes))
            cleared = sum(self.unknown_codes.values())
            warnings.append(
                f"{cleared} language references named no known language ({codes}); they were cleared."
            )
        return warnings


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _label(record: Any, index: int) -> str:
    record_id = record.get("id") if isinstance(record, dict) else None
    return record_id if isinstance(record_id, str) and record_id else f"#{index}"
