"""PaintingMigrator on a hand-built ``paintings`` slice, with FileMigrator's ``file_entry`` rows present."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from cherry_migrate.db.bulk import insert_rows
from cherry_migrate.migrators.painting import (
    FILE_REFS_KIND,
    PaintingMigrator,
    existing_file_ids,
    namespace_kind,
)
from tests.conftest import FIXED_NOW_MS
from tests.migrators.harness import counts, run_phases, skips, table

NOW = FIXED_NOW_MS
CREATED = "2024-03-01T10:00:00.000Z"
CREATED_MS = 1709287200000

PAINTINGS: dict[str, Any] = {
    "siliconflow_paintings": [
        {
            "id": "p1",
            "model": "black-forest-labs/FLUX.1-schnell",
            "prompt": "a cat",
            "files": [{"id": "f1", "created_at": CREATED}, {"id": "missing-file"}],
            "urls": ["https://cdn.example/f1.png"],
            "imageSize": "1024x1024",
            "seed": "42",
        },
        {"id": "", "prompt": "no id"},
        {"id": "p-empty", "prompt": "  ", "files": [], "urls": []},
        "junk",
    ],
    "openai_image_edit": [
        {
            "id": "p2",
            "providerId": "my-gateway",
            "model": "gpt-image-1",
            "prompt": "edit it",
            "files": [{"id": "f2"}],
            "imageFile": "blob:http://localhost/abc",
            "mask": {"id": "f3"},
        }
    ],
    "openai_image_generate": [{"id": "p1", "prompt": "dup id", "files": [{"id": "f1"}, {"id": "f1"}]}],
    "dmxapi_paintings": [
        {"id": "p3", "prompt": "", "files": [], "imageFiles": [{"id": "f2"}], "generationMode": "edit"}
    ],
    "tokenflux_paintings": [{"id": "p4", "prompt": "", "generationId": "gen-1", "status": "processing"}],
    "ppio_edit": [
        {"id": "p5", "prompt": "mask it", "ppioMask": "data:image/png;base64,AAA", "ppioStatus": "done"}
    ],
    "mystery_paintings": [{"id": "p6", "prompt": "?"}],
    "zhipu_paintings": {"not": "a list"},
}


def add_file_entries(db: sqlite3.Connection, *ids: str) -> None:
    columns = ("id", "origin", "name", "ext", "size", "created_at", "updated_at")
    insert_rows(db, "file_entry", columns, [(i, "internal", i, "png", 1, NOW, NOW) for i in ids])


def test_paintings_and_file_refs(make_context: Any) -> None:
    ctx = make_context(redux={"paintings": PAINTINGS})
    add_file_entries(ctx.db, "f1", "f2", "f3")
    migrator = PaintingMigrator()
    result = run_phases(migrator, ctx)

    rows = table(ctx.db, "SELECT * FROM painting ORDER BY order_key")
    fresh_id = rows[3]["id"]
    assert uuid.UUID(fresh_id).version == 4
    assert [tuple(r.values()) for r in rows] == [
        (
            "p1",
            "silicon",
            "silicon::black-forest-labs/FLUX.1-schnell",
            "a cat",
            "a0",
            CREATED_MS,
            CREATED_MS,
            None,
        ),
        ("p3", "dmxapi", None, "", "a1", NOW, NOW, None),
        ("p4", "tokenflux", None, "", "a2", NOW, NOW, None),
        (fresh_id, "new-api", None, "dup id", "a3", NOW, NOW, None),
        ("p2", "my-gateway", "my-gateway::gpt-image-1", "edit it", "a4", NOW, NOW, None),
        ("p5", "ppio", None, "mask it", "a5", NOW, NOW, None),
    ]
    refs = table(
        ctx.db, "SELECT source_id, file_entry_id, role FROM painting_file_ref ORDER BY source_id, role"
    )
    assert sorted(tuple(r.values()) for r in refs) == sorted(
        [
            ("p1", "f1", "output"),
            ("p3", "f2", "input"),
            (fresh_id, "f1", "output"),
            ("p2", "f2", "output"),
            ("p2", "f3", "input"),
        ]
    )

    assert counts(migrator, namespace_kind("siliconflow_paintings")) == (4, 1, 3)
    assert skips(migrator, namespace_kind("siliconflow_paintings")) == {
        "missing_id": ["siliconflow_paintings[1]"],
        "empty_placeholder": ["p-empty"],
        "invalid_record": ["siliconflow_paintings[3]"],
    }
    assert skips(migrator, namespace_kind("mystery_paintings")) == {"unknown_namespace": ["p6"]}
    assert skips(migrator, namespace_kind("zhipu_paintings")) == {"not_a_list": ["zhipu_paintings"]}
    assert counts(migrator, FILE_REFS_KIND) == (9, 6, 3)
    assert skips(migrator, FILE_REFS_KIND) == {
        "file_not_migrated": ["missing-file"],
        "inline_input_image": ["p2"],
        "inline_mask": ["p5"],
    }
    warnings = result.executed.warnings
    assert len(warnings) == 2
    assert (
        warnings[0] == f"Painting id 'p1' in openai_image_generate was already used; it became '{fresh_id}'."
    )
    assert warnings[1].startswith("2 paintings carry generation settings")
    assert result.prepared.item_count == 10
    stats = result.validated.stats
    assert (stats.source_count, stats.target_count, stats.skipped_count) == (6 + 5, 6, 5)


def test_all_references_dangling(make_context: Any) -> None:
    state = {"siliconflow_paintings": [{"id": "p1", "prompt": "x", "files": [{"id": "f9"}]}]}
    ctx = make_context(redux={"paintings": state})
    migrator = PaintingMigrator()
    run_phases(migrator, ctx)
    assert table(ctx.db, "SELECT id FROM painting") == [{"id": "p1"}]
    assert table(ctx.db, "SELECT * FROM painting_file_ref") == []
    assert skips(migrator, FILE_REFS_KIND) == {"file_not_migrated": ["f9"]}


def test_missing_or_malformed_slice(make_context: Any) -> None:
    for redux in ({}, {"paintings": ["not", "an", "object"]}):
        ctx = make_context(redux=redux)
        migrator = PaintingMigrator()
        run_phases(migrator, ctx)
        assert table(ctx.db, "SELECT * FROM painting") == []
        assert migrator.ledger.total_read == 0


def test_existing_file_ids_looks_up_in_chunks(make_context: Any) -> None:
    ctx = make_context()
    present = [f"f{i}" for i in range(1200)]
    add_file_entries(ctx.db, *present)
    wanted = [*present[::2], *(f"x{i}" for i in range(700))]
    assert existing_file_ids(ctx.db, wanted) == set(present[::2])
