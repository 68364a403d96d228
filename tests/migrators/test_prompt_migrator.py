"""PromptMigrator on hand-built quick phrases, assistants' regular phrases and topic prompt hand-offs."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from cherry_migrate.core.order_keys import order_keys
from cherry_migrate.migrators import shared_keys
from cherry_migrate.migrators.mappings.prompt import (
    PROMPT_TITLE_MAX,
    prompt_timestamps,
    prompt_title,
    utf16_length,
)
from cherry_migrate.migrators.prompt.migrator import PromptMigrator
from cherry_migrate.migrators.prompt.sources import QUICK_PHRASES_KIND, TOPIC_PROMPTS_KIND, phrases_kind
from tests.conftest import FIXED_NOW_MS
from tests.migrators.harness import counts, run_phases, skips, table

NOW = FIXED_NOW_MS
UUID_A = "0b7e1c9a-3f4d-4e21-9a55-1c2d3e4f5a6b"
UUID_B = "5f0c2a1e-8b7d-4c3e-a2f1-0e9d8c7b6a54"
NEW_DEFAULT = "9d1f6a2b-0c3e-4f5a-8b7c-6d5e4f3a2b1c"

QUICK_PHRASES: list[Any] = [
    {
        "id": "qp-old",
        "title": "Old",
        "content": "old content",
        "createdAt": 1700000000000,
        "updatedAt": 1700000001000,
        "order": 3,
    },
    {
        "id": UUID_A,
        "title": "  New  ",
        "content": "new",
        "createdAt": 1700000002000,
        "updatedAt": "bad",
        "order": 1,
    },
    {"id": "qp-noorder", "title": "", "content": "no order", "createdAt": None, "updatedAt": 1700000003000},
    {"id": "qp-empty", "title": "E", "content": ""},
    {"id": "qp-long", "title": "L", "content": "x" * 100_001},
    {"id": "qp-num", "title": "N", "content": 5},
    "junk",
]
ASSISTANTS: dict[str, Any] = {
    "assistants": [
        {
            "id": "default",
            "regularPhrases": [
                {"id": UUID_B, "title": "Greet", "content": "Hello"},
                {"id": "rp-2", "title": "Bye", "content": "Goodbye"},
            ],
        },
        {
            "id": "a-writer",
            "regularPhrases": [
                {"id": UUID_A, "title": "Clash", "content": "same uuid as a quick phrase"},
                {"id": "rp-2", "title": "Bye", "content": "Goodbye"},
            ],
        },
        {"id": "a-gone", "regularPhrases": [{"id": "rp-g", "title": "Orphan", "content": "orphan phrase"}]},
        {"id": "a-bad", "regularPhrases": "oops"},
        {"name": "no id", "regularPhrases": [{"title": "t", "content": "c"}]},
        {"id": "a-none"},
    ],
    "presets": [
        {
            "id": "preset-1",
            "regularPhrases": [
                {
                    "id": "rp-p",
                    "title": "Preset phrase",
                    "content": "from preset",
                    "createdAt": "2024-02-02T00:00:00Z",
                }
            ],
        }
    ],
    "defaultAssistant": {
        "id": "default",
        "regularPhrases": [
            {"id": UUID_B, "title": "Greet", "content": "Hello again"},
            {"id": "rp-3", "title": "Extra", "content": "only in defaultAssistant"},
            {"id": "rp-4", "title": "Bye", "content": "Goodbye"},
        ],
    },
}
TOPIC_PROMPTS: list[Any] = [
    {"topic_id": "t1", "name": "Research", "assistant_id": "a-writer", "prompt": "Be thorough"},
    {"topic_id": "t2", "name": "  ", "assistant_id": "a-gone", "prompt": "Orphan topic"},
    {"topic_id": "t3", "name": "Blank", "assistant_id": "a-writer", "prompt": "   "},
    {"topic_id": "t4", "name": "Default topic", "assistant_id": NEW_DEFAULT, "prompt": "p4"},
    "junk",
]
SHARED = {
    shared_keys.ASSISTANT_IDS: {NEW_DEFAULT, "a-writer", "preset-1"},
    shared_keys.LEGACY_ASSISTANT_ID_REMAP: {"default": NEW_DEFAULT},
    shared_keys.TOPIC_PROMPT_CANDIDATES: TOPIC_PROMPTS,
}


def prompt_rows(ctx: Any) -> list[dict[str, Any]]:
    return table(ctx.db, "SELECT * FROM prompt ORDER BY order_key")


def test_all_sources(make_context: Any) -> None:
    ctx = make_context(
        dexie={"quick_phrases": QUICK_PHRASES}, redux={"assistants": ASSISTANTS}, shared=SHARED
    )
    migrator = PromptMigrator()
    result = run_phases(migrator, ctx)

    rows = prompt_rows(ctx)
    ids = [r["id"] for r in rows]
    assert ids[1] == UUID_A and ids[3] == UUID_B
    fresh = [i for n, i in enumerate(ids) if n not in (1, 3)]
    assert all(uuid.UUID(i).version == 4 for i in fresh)
    assert len(set(ids)) == len(ids)
    assert [r["order_key"] for r in rows] == order_keys(14)
    assert [(r["title"], r["content"], r["visibility"], r["created_at"], r["updated_at"]) for r in rows] == [
        ("Old", "old content", "global", 1700000000000, 1700000001000),
        ("New", "new", "global", 1700000002000, 1700000002000),
        ("Untitled", "no order", "global", 1700000003000, 1700000003000),
        ("Greet", "Hello", "restricted", NOW, NOW),
        ("Bye", "Goodbye", "restricted", NOW, NOW),
        ("Clash", "same uuid as a quick phrase", "restricted", NOW, NOW),
        ("Bye", "Goodbye", "restricted", NOW, NOW),
        ("Orphan", "orphan phrase", "restricted", NOW, NOW),
        ("t", "c", "restricted", NOW, NOW),
        ("Preset phrase", "from preset", "restricted", 1706832000000, 1706832000000),
        ("Extra", "only in defaultAssistant", "restricted", NOW, NOW),
        ("Research", "Be thorough", "restricted", NOW, NOW),
        ("Topic t2", "Orphan topic", "global", NOW, NOW),
        ("Default topic", "p4", "restricted", NOW, NOW),
    ]

    bindings = table(
        ctx.db,
        "SELECT prompt_id, target_type, target_id, order_key FROM prompt_binding "
        "ORDER BY target_id, order_key",
    )
    position = {prompt_id: n for n, prompt_id in enumerate(ids)}
    assert [
        (position[b["prompt_id"]], b["target_type"], b["target_id"], b["order_key"]) for b in bindings
    ] == [
        (3, "assistant", NEW_DEFAULT, "a0"),
        (4, "assistant", NEW_DEFAULT, "a1"),
        (10, "assistant", NEW_DEFAULT, "a2"),
        (13, "assistant", NEW_DEFAULT, "a3"),
        (5, "assistant", "a-writer", "a0"),
        (6, "assistant", "a-writer", "a1"),
        (11, "assistant", "a-writer", "a2"),
        (9, "assistant", "preset-1", "a0"),
    ]

    assert counts(migrator, QUICK_PHRASES_KIND) == (7, 3, 4)
    assert skips(migrator, QUICK_PHRASES_KIND) == {
        "empty_content": ["qp-empty"],
        "content_too_long": ["qp-long"],
        "invalid_content": ["qp-num"],
        "invalid_record": ["#6"],
    }
    assert counts(migrator, phrases_kind("assistants")) == (7, 6, 1)
    assert skips(migrator, phrases_kind("assistants")) == {"not_a_list": ["assistants[3]"]}
    assert counts(migrator, phrases_kind("presets")) == (1, 1, 0)
    assert counts(migrator, phrases_kind("defaultAssistant")) == (3, 1, 2)
    assert skips(migrator, phrases_kind("defaultAssistant")) == {"duplicate_phrase": [UUID_B, "rp-4"]}
    assert counts(migrator, TOPIC_PROMPTS_KIND) == (5, 3, 2)
    assert skips(migrator, TOPIC_PROMPTS_KIND) == {"empty_content": ["t3"], "invalid_record": ["#4"]}

    assert result.executed.warnings == [
        f"Prompts whose id an earlier prompt already used got a new id: '{UUID_A}'",
        "Assistant phrases kept unbound because their assistant was not migrated: 'rp-g'",
        "Assistant phrases kept unbound because their assistant has no id: 'assistants[4].regularPhrases[0]'",
        "Topic prompts made global because their assistant was not migrated: 't2'",
    ]
    assert result.prepared.item_count == 7 + 6 + 1 + 3
    stats = result.validated.stats
    assert (stats.source_count, stats.target_count, stats.skipped_count) == (14 + 9, 14, 9)


def test_without_hand_offs(make_context: Any) -> None:
    assistants = {"assistants": [{"id": "a1", "regularPhrases": [{"id": "p", "title": "T", "content": "C"}]}]}
    ctx = make_context(redux={"assistants": assistants})
    migrator = PromptMigrator()
    result = run_phases(migrator, ctx)
    assert [(r["title"], r["visibility"]) for r in prompt_rows(ctx)] == [("T", "restricted")]
    assert table(ctx.db, "SELECT * FROM prompt_binding") == []
    assert result.executed.warnings == [
        "Assistant phrases kept unbound because no migrated assistants were handed over: 'p'"
    ]
    assert TOPIC_PROMPTS_KIND not in migrator.ledger.kinds


def test_empty_sources(make_context: Any) -> None:
    ctx = make_context(redux={"assistants": "broken"}, shared={shared_keys.TOPIC_PROMPT_CANDIDATES: {"a": 1}})
    migrator = PromptMigrator()
    result = run_phases(migrator, ctx)
    assert prompt_rows(ctx) == []
    assert result.executed.warnings == ["Topic prompts were handed over as a dict, not a list; ignored."]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Hi  ", "Hi"),
        ("", "Untitled"),
        (None, "Untitled"),
        (12, "Untitled"),
        ("a" * 300, "a" * PROMPT_TITLE_MAX),
        ("a" * 255 + "😀", "a" * 255),
        ("a" * 254 + "😀", "a" * 254 + "😀"),
    ],
)
def test_prompt_title(value: object, expected: str) -> None:
    title = prompt_title(value)
    assert title == expected
    assert utf16_length(title) <= PROMPT_TITLE_MAX


def test_prompt_timestamps() -> None:
    assert prompt_timestamps("2024-01-01T00:00:00Z", None, NOW).updated_at == 1704067200000
    assert prompt_timestamps(None, None, NOW) == prompt_timestamps("junk", float("nan"), NOW)
    assert prompt_timestamps(None, None, NOW).created_at == NOW
