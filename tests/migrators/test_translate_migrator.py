"""TranslateMigrator on hand-built Dexie ``translate_languages`` and ``translate_history`` tables."""

from __future__ import annotations

from typing import Any

import pytest

from cherry_migrate.core.errors import MigrationCancelledError
from cherry_migrate.migrators import translate
from cherry_migrate.migrators.mappings.translate_languages import BUILTIN_TRANSLATE_LANGUAGES
from cherry_migrate.migrators.translate import HISTORY_KIND, LANGUAGES_KIND, TranslateMigrator
from tests.conftest import FIXED_NOW_MS
from tests.migrators.harness import counts, run_phases, skips, table

NOW = FIXED_NOW_MS

LANGUAGES: list[Any] = [
    {"id": "l1", "langCode": "xx-pirate", "value": "Pirate", "emoji": "🏴"},
    {"id": "l2", "langCode": "en-us", "value": "My English", "emoji": "🇬🇧"},
    {"id": "l3", "langCode": "xx-pirate", "value": "Again", "emoji": "🏴"},
    {"id": "l4", "langCode": "yy", "value": "", "emoji": "🏳"},
    {"id": "l5"},
    "junk",
]
HISTORY: list[Any] = [
    {
        "id": "h1",
        "sourceText": "hello",
        "targetText": "你好",
        "sourceLanguage": "en-us",
        "targetLanguage": "zh-cn",
        "createdAt": "2024-01-02T03:04:05.000Z",
        "star": True,
    },
    {
        "id": "h2",
        "sourceText": "arr",
        "targetText": "ahoy",
        "sourceLanguage": "auto",
        "targetLanguage": "xx-pirate",
        "createdAt": 1700000000000,
    },
    {"id": "h3", "sourceText": "x", "targetText": "y", "createdAt": "not a date", "star": "yes"},
    {"id": "h1", "sourceText": "dup", "targetText": "dup"},
    {"sourceText": "a", "targetText": "b"},
    {"id": "h6", "sourceText": "", "targetText": "b"},
    42,
]


def test_languages_and_history(make_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(translate, "BATCH_SIZE", 2)
    ctx = make_context(dexie={"translate_languages": LANGUAGES, "translate_history": HISTORY})
    migrator = TranslateMigrator()
    progress: list[float] = []
    migrator.set_progress_callback(lambda pct, _msg, _i18n: progress.append(pct))
    result = run_phases(migrator, ctx)

    languages = {
        r["lang_code"]: (r["value"], r["emoji"]) for r in table(ctx.db, "SELECT * FROM translate_language")
    }
    expected = {code: (value, emoji) for code, value, emoji in BUILTIN_TRANSLATE_LANGUAGES}
    expected["en-us"] = ("My English", "🇬🇧")
    expected["xx-pirate"] = ("Pirate", "🏴")
    assert languages == expected

    history = table(ctx.db, "SELECT * FROM translate_history ORDER BY id")
    assert [tuple(r.values()) for r in history] == [
        ("h1", "text", "hello", "你好", "en-us", "zh-cn", 1, 1704164645000, 1704164645000),
        ("h2", "text", "arr", "ahoy", None, "xx-pirate", 0, 1700000000000, 1700000000000),
        ("h3", "text", "x", "y", None, None, 0, NOW, NOW),
    ]
    assert skips(migrator, LANGUAGES_KIND) == {
        "duplicate_lang_code": ["xx-pirate"],
        "invalid_language": ["yy", "l5", "#5"],
    }
    assert skips(migrator, HISTORY_KIND) == {
        "duplicate_id": ["h1"],
        "missing_id": ["#4"],
        "missing_text": ["h6"],
        "invalid_record": ["#6"],
    }
    assert counts(migrator, LANGUAGES_KIND) == (6, 2, 4)
    assert counts(migrator, HISTORY_KIND) == (7, 3, 4)
    assert result.executed.warnings == [
        "1 translations had no readable date; they are dated at the migration time.",
        "1 language references named no known language (auto); they were cleared.",
    ]
    assert result.prepared.item_count == 13
    stats = result.validated.stats
    assert (stats.source_count, stats.target_count, stats.skipped_count) == (13, 5, 8)
    assert progress[-1] == 100
    assert len(progress) == 1 + 4


def test_without_tables_only_builtins_are_seeded(make_context: Any) -> None:
    ctx = make_context()
    migrator = TranslateMigrator()
    result = run_phases(migrator, ctx)
    assert len(table(ctx.db, "SELECT * FROM translate_language")) == len(BUILTIN_TRANSLATE_LANGUAGES)
    assert table(ctx.db, "SELECT * FROM translate_history") == []
    assert (result.validated.stats.source_count, result.validated.stats.target_count) == (0, 0)


def test_cancel_between_history_batches_writes_no_history(make_context: Any) -> None:
    ctx = make_context(dexie={"translate_history": HISTORY[:3]})
    ctx.cancel.cancel()
    migrator = TranslateMigrator()
    migrator.reset()
    with pytest.raises(MigrationCancelledError):
        migrator.execute(ctx)
    assert table(ctx.db, "SELECT * FROM translate_history") == []
